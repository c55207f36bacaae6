//! The profile's operations in process (router + oneshot), without and with defects.

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::*;
use kofu_profile::content::Content;
use kofu_profile::identity::Identity;
use kofu_profile::issuance::Issuance;
use kofu_profile::menu::Menu;
use kofu_profile::outcome::{CopyOutcome, CopyState, Outcome, OutcomeReport};
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::registration::{Registration, RegistrationRequest, RegistrationStatus};
use kofu_profile::{
    CertificateType, IssuanceOptions, MAX_REQUEST_BYTES, PROFILE_VERSION, Scope, VERSION_HEADER,
    paths,
};
use kofu_reference_server::Defect;
use pretty_assertions::assert_eq;
use sha2::{Digest, Sha256};

async fn issue(h: &Harness, code: &str, req: &kofu_profile::issuance::IssuanceRequest) -> Issuance {
    h.post(&paths::issuances(code), req).await.ok()
}

async fn menu(h: &Harness, code: &str, card: &str, time: &str) -> Menu {
    h.post(&paths::menu(code), &menu_request(card, time))
        .await
        .ok()
}

fn types(menu: &Menu) -> Vec<CertificateType> {
    menu.items.iter().map(|i| i.certificate).collect()
}

#[tokio::test]
async fn identity_names_profile_and_every_municipality() {
    let h = Harness::new(&[]);
    let reply = h.get(paths::IDENTITY).await;
    assert_eq!(reply.version_header(), Some(PROFILE_VERSION));
    let identity: Identity = reply.ok();
    assert_eq!(identity.profile_version, "1.2");
    assert_eq!(identity.implementation.name, "kofu-reference-server");
    assert_eq!(identity.municipalities, vec![AOBADAI, SHIRASUNA]);
}

#[tokio::test]
async fn ordinary_adult_menu_matches_the_claims() {
    let h = Harness::new(&[]);
    let m = menu(&h, AOBADAI, "C001", SCENARIO_TIME).await;
    assert_eq!(m.municipality, AOBADAI);
    assert_eq!(types(&m), CertificateType::ALL.to_vec());
    assert_eq!(m.koseki_registration, None);
    let claims = fixtures();
    let claims = claims.municipality(AOBADAI).unwrap();
    for item in &m.items {
        let offer = claims.offer(item.certificate).unwrap();
        assert_eq!((item.fee, item.max_copies), (offer.fee, offer.max_copies));
    }
    let j = &m.items[0];
    assert_eq!(
        j.scopes,
        vec![Scope::Holder, Scope::Household, Scope::Members]
    );
    assert!(j.relationship_option && j.honseki_option);
    // Current household members only: R003 moved out.
    let ids: Vec<&str> = j.members.iter().map(|c| c.member_id.as_str()).collect();
    assert_eq!(ids, vec!["R001", "R002", "R004", "R005"]);
    let kazei = m
        .items
        .iter()
        .find(|i| i.certificate == CertificateType::Kazei)
        .unwrap();
    assert_eq!(kazei.fiscal_years, vec![2024, 2025, 2026]);
}

#[tokio::test]
async fn restrictions_shape_the_menu() {
    let h = Harness::new(&[]);
    // Birthday morning before 9:00 JST: aged 15 in JST, 14 in UTC.
    let m = menu(&h, AOBADAI, "C017", "2026-11-26T06:30:00+09:00").await;
    assert!(types(&m).contains(&CertificateType::Juminhyo));
    // The day before the 15th birthday.
    assert!(
        menu(&h, AOBADAI, "C020", "2026-11-26T22:59:00+09:00")
            .await
            .items
            .is_empty()
    );
    // DV等支援措置.
    assert!(
        menu(&h, AOBADAI, "C027", SCENARIO_TIME)
            .await
            .items
            .is_empty()
    );
    // Moved out: no residence types.
    let moved = menu(&h, AOBADAI, "C029", SCENARIO_TIME).await;
    assert!(!types(&moved).contains(&CertificateType::Juminhyo));
    // Seal abolished; adult guardianship.
    assert!(
        !types(&menu(&h, AOBADAI, "C033", SCENARIO_TIME).await).contains(&CertificateType::Inkan)
    );
    assert!(
        !types(&menu(&h, AOBADAI, "C035", SCENARIO_TIME).await).contains(&CertificateType::Inkan)
    );
    // Only assessed years.
    let tax = menu(&h, AOBADAI, "C036", SCENARIO_TIME).await;
    let kazei = tax
        .items
        .iter()
        .find(|i| i.certificate == CertificateType::Kazei)
        .unwrap();
    assert_eq!(kazei.fiscal_years, vec![2025]);
    // 本籍地 990002 for a resident of 990001: registration approved / none.
    let approved = menu(&h, SHIRASUNA, "C039", SCENARIO_TIME).await;
    assert_eq!(
        types(&approved),
        vec![
            CertificateType::KosekiZenbu,
            CertificateType::KosekiKojin,
            CertificateType::Fuhyo
        ]
    );
    assert_eq!(
        approved.koseki_registration,
        Some(RegistrationStatus::Approved)
    );
    let none = menu(&h, SHIRASUNA, "C040", SCENARIO_TIME).await;
    assert!(none.items.is_empty());
    assert_eq!(none.koseki_registration, Some(RegistrationStatus::None));
    // A closed 戸籍 is not offered.
    assert!(
        !types(&menu(&h, AOBADAI, "C032", SCENARIO_TIME).await)
            .contains(&CertificateType::KosekiZenbu)
    );
}

#[tokio::test]
async fn juminhyo_content_and_document() {
    let h = Harness::new(&[]);
    let req = juminhyo("C001");
    let i = issue(&h, AOBADAI, &req).await;
    assert_eq!(i.request_id, req.reception.request_id);
    assert_eq!((i.fee_per_copy, i.fee_total, i.copies), (200, 200, 1));
    assert_eq!(i.issue_date.to_string(), "2026-11-26");
    assert!(
        i.certificate_number.starts_with("990001-20261126-"),
        "{}",
        i.certificate_number
    );
    let Content::ResidentRecord(r) = &i.content else {
        panic!("not a resident record: {:?}", i.content)
    };
    assert_eq!(r.persons.len(), 1);
    assert_eq!(r.persons[0].name, "桜井 太郎");
    assert_eq!(r.household_head, None);
    assert_eq!(r.persons[0].honseki, None);

    let bytes = pdf_bytes(&i);
    assert_eq!(i.document.media_type, "application/pdf");
    assert_eq!(i.document.sha256, hex::encode(Sha256::digest(&bytes)));
    let pdf = lopdf::Document::load_mem(&bytes).expect("a PDF");
    assert_eq!(i.document.page_count as usize, pdf.get_pages().len());
    let text = pdf_text(&bytes);
    for wanted in [
        "桜井太郎",
        "令和8年11月26日",
        "青葉台市長",
        "この写しは、住民票の原本と相違ないことを証明する。",
        i.certificate_number.as_str(),
    ] {
        assert!(text.contains(wanted), "`{wanted}` missing from: {text}");
    }
    let person = fixtures().register.person("R001").unwrap().clone();
    assert!(!text.contains(&person.individual_number));
    assert!(!text.contains(&person.resident_code));
}

#[tokio::test]
async fn household_and_members_scopes() {
    let h = Harness::new(&[]);
    let mut req = juminhyo("C001");
    req.options = IssuanceOptions {
        scope: Some(Scope::Household),
        show_relationship: true,
        show_honseki: true,
        ..Default::default()
    };
    let i = issue(&h, AOBADAI, &req).await;
    let Content::ResidentRecord(r) = &i.content else {
        panic!()
    };
    let names: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["桜井 太郎", "桜井 良子", "桜井 美咲", "桜井 大地"]
    );
    assert_eq!(r.household_head.as_deref(), Some("桜井 太郎"));
    assert_eq!(r.persons[1].relationship.as_deref(), Some("妻"));
    assert_eq!(r.persons[0].hittosha.as_deref(), Some("桜井 太郎"));

    let mut req = juminhyo("C001");
    req.options = IssuanceOptions {
        scope: Some(Scope::Members),
        members: vec!["R004".into(), "R001".into()],
        ..Default::default()
    };
    let i = issue(&h, AOBADAI, &req).await;
    let Content::ResidentRecord(r) = &i.content else {
        panic!()
    };
    let names: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["桜井 太郎", "桜井 美咲"]);

    // A 消除者 is not a member to choose.
    let mut req = juminhyo("C001");
    req.options = IssuanceOptions {
        scope: Some(Scope::Members),
        members: vec!["R003".into()],
        ..Default::default()
    };
    h.post(&paths::issuances(AOBADAI), &req)
        .await
        .error(422, "invalid-request");
}

#[tokio::test]
async fn foreign_resident_and_exact_kanji() {
    let h = Harness::new(&[]);
    let i = issue(&h, AOBADAI, &juminhyo("C023")).await;
    let Content::ResidentRecord(r) = &i.content else {
        panic!()
    };
    assert!(r.persons[0].foreign.is_some());
    assert_eq!(r.persons[0].honseki, None);
    for card in ["C007", "C009", "C011", "C013"] {
        let i = issue(&h, AOBADAI, &juminhyo(card)).await;
        let Content::ResidentRecord(r) = &i.content else {
            panic!()
        };
        assert_eq!(r.persons[0].name, person_name(card));
        let text = pdf_text(&pdf_bytes(&i));
        let squeezed: String = person_name(card)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(text.contains(&squeezed), "{card}: {text}");
    }
}

#[tokio::test]
async fn every_type_issues_for_an_ordinary_adult() {
    let h = Harness::new(&[]);
    for t in CertificateType::ALL {
        let options = if t.is_resident_record() {
            holder_only()
        } else if t.is_tax() {
            IssuanceOptions {
                fiscal_year: Some(2026),
                ..Default::default()
            }
        } else {
            IssuanceOptions::default()
        };
        let i = issue(&h, AOBADAI, &issuance_request("C001", t, options, 1)).await;
        let text = pdf_text(&pdf_bytes(&i));
        assert!(
            text.contains(&t.certification_statement().replace(' ', "")),
            "{t}: {text}"
        );
        match (&i.content, t) {
            (Content::Tax(x), CertificateType::Kazei) => {
                assert_eq!(
                    (x.fiscal_year, x.income_year, x.total_income),
                    (2026, 2025, 5_350_000)
                );
            }
            (Content::FamilyRegister(k), CertificateType::KosekiZenbu) => {
                assert_eq!(k.persons.len(), 5);
                assert_eq!(k.hittosha, "桜井 太郎");
            }
            (Content::FamilyRegister(k), CertificateType::KosekiKojin) => {
                assert_eq!(k.persons.len(), 1);
            }
            (Content::FamilyRegisterAnnex(a), _) => {
                assert_eq!(a.persons[0].addresses.len(), 2);
            }
            (Content::SealRegistration(s), _) => assert_eq!(s.registration_number, "10001"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn refusals_and_validation() {
    let h = Harness::new(&[]);
    let path = paths::issuances(AOBADAI);
    // Under age; moved out; seal abolished; unassessed year.
    h.post(&path, &juminhyo("C005"))
        .await
        .error(422, "not-issuable");
    h.post(&path, &juminhyo("C029"))
        .await
        .error(422, "not-issuable");
    let inkan = issuance_request(
        "C033",
        CertificateType::Inkan,
        IssuanceOptions::default(),
        1,
    );
    h.post(&path, &inkan).await.error(422, "not-issuable");
    let tax = |year| {
        issuance_request(
            "C036",
            CertificateType::Kazei,
            IssuanceOptions {
                fiscal_year: Some(year),
                ..Default::default()
            },
            1,
        )
    };
    h.post(&path, &tax(2026)).await.error(422, "not-issuable");
    h.post(&path, &tax(2020)).await.error(422, "not-offered");
    // Not offered by 白砂町 at all.
    h.post(&paths::issuances(SHIRASUNA), &juminhyo("C001"))
        .await
        .error(422, "not-offered");
    // Copies and options.
    let mut r = juminhyo("C001");
    r.copies = 0;
    h.post(&path, &r).await.error(422, "invalid-request");
    r.copies = 11;
    h.post(&path, &r).await.error(422, "invalid-request");
    let mut r = juminhyo("C001");
    r.options.scope = None;
    h.post(&path, &r).await.error(422, "invalid-request");
    let r = issuance_request(
        "C001",
        CertificateType::Kazei,
        IssuanceOptions::default(),
        1,
    );
    h.post(&path, &r).await.error(422, "invalid-request");
}

#[tokio::test]
async fn other_offsets_are_converted_to_jst() {
    let h = Harness::new(&[]);
    // 06:30 JST on the 15th birthday, written in UTC (still the 25th there).
    let utc = "2026-11-25T21:30:00Z";
    assert!(types(&menu(&h, AOBADAI, "C017", utc).await).contains(&CertificateType::Juminhyo));
    let mut req = juminhyo("C017");
    req.reception.reception_time = chrono::DateTime::parse_from_rfc3339(utc).unwrap();
    let i = issue(&h, AOBADAI, &req).await;
    assert_eq!(i.issue_date.to_string(), "2026-11-26");
    let day: Records = h
        .get(&format!(
            "{}?from=2026-11-26&to=2026-11-26",
            paths::records(AOBADAI)
        ))
        .await
        .ok();
    assert_eq!(
        day.records[0].reception_time.to_rfc3339(),
        "2026-11-26T06:30:00+09:00"
    );
}

#[tokio::test]
async fn dv_refusal_is_indistinguishable_from_an_unknown_card() {
    let h = Harness::new(&[]);
    let dv = juminhyo("C027");
    let mut unknown = juminhyo("C027");
    unknown.card_serial = "0000000000000000".into();
    let a = h.post(&paths::issuances(AOBADAI), &dv).await;
    let b = h.post(&paths::issuances(AOBADAI), &unknown).await;
    a.error(422, "not-issuable");
    assert_eq!(a.status, b.status);
    assert_eq!(a.body, b.body);
    assert_eq!(a.headers, b.headers);
    // And the menus are the same.
    let mut unknown_menu = menu_request("C027", SCENARIO_TIME);
    unknown_menu.card_serial = "0000000000000000".into();
    let ma = h
        .post(&paths::menu(AOBADAI), &menu_request("C027", SCENARIO_TIME))
        .await;
    let mb = h.post(&paths::menu(AOBADAI), &unknown_menu).await;
    assert_eq!((ma.status, ma.body), (mb.status, mb.body));
}

#[tokio::test]
async fn idempotent_replay_and_request_id_conflict() {
    let h = Harness::new(&[]);
    let req = juminhyo("C001");
    let first = h.post(&paths::issuances(AOBADAI), &req).await;
    let second = h.post(&paths::issuances(AOBADAI), &req).await;
    assert_eq!(first.status, 201);
    assert_eq!((first.status, &first.body), (second.status, &second.body));
    let mut other = req.clone();
    other.copies = 2;
    h.post(&paths::issuances(AOBADAI), &other)
        .await
        .error(409, "request-id-conflict");
    // Same id at another municipality is another body too.
    h.post(&paths::issuances(SHIRASUNA), &req)
        .await
        .error(409, "request-id-conflict");
    let day = req.reception.reception_time.date_naive();
    let records: Records = h
        .get(&format!("{}?from={day}&to={day}", paths::records(AOBADAI)))
        .await
        .ok();
    assert_eq!(
        records
            .records
            .iter()
            .filter(|r| r.request_id == req.reception.request_id)
            .count(),
        1
    );
}

#[tokio::test]
async fn transport_errors_use_the_error_model() {
    let h = Harness::new(&[]);
    let path = paths::issuances(AOBADAI);
    // Broken JSON and schema mismatch.
    let broken = h
        .send(json_request(
            Method::POST,
            &path,
            br#"{"reception": {"request_id": "x", "#.to_vec(),
        ))
        .await;
    broken.error(400, "malformed-request");
    assert_eq!(broken.version_header(), Some(PROFILE_VERSION));
    let mut value = serde_json::to_value(juminhyo("C001")).unwrap();
    value["surprise"] = serde_json::json!(1);
    h.post(&path, &value).await.error(400, "malformed-request");
    // Oversized, declared and streamed.
    let mut value = serde_json::to_value(juminhyo("C001")).unwrap();
    value["reception"]["terminal_id"] = serde_json::json!("T".repeat(MAX_REQUEST_BYTES * 4));
    let big = serde_json::to_vec(&value).unwrap();
    h.send(json_request(Method::POST, &path, big.clone()))
        .await
        .error(413, "payload-too-large");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(8192).map(|c| Ok(c.to_vec())).collect();
    let streamed = Request::builder()
        .method(Method::POST)
        .uri(&path)
        .header(VERSION_HEADER, PROFILE_VERSION)
        .body(Body::from_stream(futures::stream::iter(chunks)))
        .unwrap();
    h.send(streamed).await.error(413, "payload-too-large");
    // Versions.
    for version in [None, Some("0.9"), Some("2.0"), Some("1"), Some("1.0")] {
        let mut b = Request::builder().method(Method::GET).uri(paths::IDENTITY);
        if let Some(v) = version {
            b = b.header(VERSION_HEADER, v);
        }
        let reply = h.send(b.body(Body::empty()).unwrap()).await;
        reply.error(400, "unsupported-profile-version");
        assert_eq!(reply.version_header(), Some(PROFILE_VERSION));
    }
    // Unknown municipality, unknown path.
    h.post(&paths::menu("999999"), &menu_request("C001", SCENARIO_TIME))
        .await
        .error(404, "unknown-municipality");
    h.get("/v1/nothing").await.error(404, "not-found");
}

#[tokio::test]
async fn outcomes_and_records() {
    let h = Harness::new(&[]);
    let mut req = juminhyo("C001");
    req.copies = 2;
    let i = issue(&h, AOBADAI, &req).await;
    let path = paths::outcome(AOBADAI, &i.issuance_id);
    let report = |copies: Vec<(u8, Outcome)>| OutcomeReport {
        reported_at: chrono::DateTime::parse_from_rfc3339("2026-11-26T10:01:00+09:00").unwrap(),
        copies: copies
            .into_iter()
            .map(|(copy, outcome)| CopyOutcome { copy, outcome })
            .collect(),
    };
    let rec: IssuanceRecord = h
        .post(&path, &report(vec![(1, Outcome::Confirmed)]))
        .await
        .ok();
    assert_eq!(
        rec.copy_states,
        vec![CopyState::Confirmed, CopyState::Pending]
    );
    let both = report(vec![(1, Outcome::Confirmed), (2, Outcome::Cancelled)]);
    let rec: IssuanceRecord = h.post(&path, &both).await.ok();
    assert_eq!(
        rec.copy_states,
        vec![CopyState::Confirmed, CopyState::Cancelled]
    );
    assert_eq!((rec.confirmed_copies, rec.fee_confirmed), (1, 200));
    // The same again is fine; a change is a conflict; out of range is invalid.
    let again: IssuanceRecord = h.post(&path, &both).await.ok();
    assert_eq!(again, rec);
    h.post(&path, &report(vec![(2, Outcome::Confirmed)]))
        .await
        .error(409, "outcome-conflict");
    h.post(&path, &report(vec![(3, Outcome::Confirmed)]))
        .await
        .error(422, "invalid-request");
    h.post(&path, &report(vec![]))
        .await
        .error(422, "invalid-request");
    h.post(
        &paths::outcome(AOBADAI, "no-such-issuance"),
        &report(vec![(1, Outcome::Confirmed)]),
    )
    .await
    .error(404, "not-found");

    // Records by JST business date, inclusive, ordered by reception time.
    let mut early = juminhyo("C002");
    early.reception.reception_time =
        chrono::DateTime::parse_from_rfc3339("2026-11-26T07:30:00+09:00").unwrap();
    let e = issue(&h, AOBADAI, &early).await;
    let base = paths::records(AOBADAI);
    let records = |q: &str| {
        let path = format!("{base}?{q}");
        let h = &h;
        async move { h.get(&path).await }
    };
    let day: Records = records("from=2026-11-26&to=2026-11-26").await.ok();
    let ids: Vec<&str> = day.records.iter().map(|r| r.issuance_id.as_str()).collect();
    assert_eq!(ids, vec![e.issuance_id.as_str(), i.issuance_id.as_str()]);
    assert_eq!(day.records[1].fee_confirmed, 200);
    assert_eq!(day.records[0].business_date.to_string(), "2026-11-26");
    let before: Records = records("from=2026-11-20&to=2026-11-25").await.ok();
    assert!(before.records.is_empty());
    for bad in ["", "from=2026-11-26", "from=2026-11-26&to=tomorrow"] {
        records(bad).await.error(400, "malformed-request");
    }
    records("from=2026-11-27&to=2026-11-26")
        .await
        .error(422, "invalid-request");
}

#[tokio::test]
async fn koseki_registration_flow() {
    let h = Harness::new(&[]);
    let koseki = || {
        issuance_request(
            "C040",
            CertificateType::KosekiZenbu,
            IssuanceOptions::default(),
            1,
        )
    };
    h.post(&paths::issuances(SHIRASUNA), &koseki())
        .await
        .error(422, "registration-required");
    let file = RegistrationRequest {
        reception: reception_at(SCENARIO_TIME),
        card_serial: serial("C040"),
    };
    let filed = h.post(&paths::registrations(SHIRASUNA), &file).await;
    assert_eq!(filed.status, 201);
    let reg: Registration = filed.ok();
    assert_eq!(reg.status, RegistrationStatus::Pending);
    let replay = h.post(&paths::registrations(SHIRASUNA), &file).await;
    assert_eq!(
        (replay.status.as_u16(), replay.ok::<Registration>()),
        (200, reg.clone())
    );
    // Filing again (a new request) while pending answers the pending one.
    let refile = RegistrationRequest {
        reception: reception_at(SCENARIO_TIME),
        card_serial: serial("C040"),
    };
    let again = h.post(&paths::registrations(SHIRASUNA), &refile).await;
    assert_eq!(
        (again.status.as_u16(), again.ok::<Registration>()),
        (200, reg.clone())
    );
    let read: Registration = h
        .get(&paths::registration(SHIRASUNA, &reg.registration_id))
        .await
        .ok();
    assert_eq!(read, reg);
    assert_eq!(
        menu(&h, SHIRASUNA, "C040", SCENARIO_TIME)
            .await
            .koseki_registration,
        Some(RegistrationStatus::Pending)
    );
    h.post(&paths::issuances(SHIRASUNA), &koseki())
        .await
        .error(422, "registration-required");

    assert!(
        h.state
            .store()
            .approve_registration(&reg.registration_id)
            .unwrap()
    );
    let i = issue(&h, SHIRASUNA, &koseki()).await;
    let Content::FamilyRegister(k) = &i.content else {
        panic!()
    };
    assert_eq!(k.persons.len(), 3);
    assert_eq!(i.fee_per_copy, 450);

    // A resident of the 本籍地 needs none; an unknown card is refused like any other.
    let mine = RegistrationRequest {
        reception: reception_at(SCENARIO_TIME),
        card_serial: serial("C001"),
    };
    h.post(&paths::registrations(AOBADAI), &mine)
        .await
        .error(422, "not-issuable");
    h.get(&paths::registration(SHIRASUNA, "nope"))
        .await
        .error(404, "not-found");
    // Lives elsewhere, approved in the fixtures.
    let elsewhere = menu(&h, AOBADAI, "C047", SCENARIO_TIME).await;
    assert_eq!(
        types(&elsewhere),
        vec![
            CertificateType::KosekiZenbu,
            CertificateType::KosekiKojin,
            CertificateType::Fuhyo
        ]
    );
    assert_eq!(
        elsewhere.koseki_registration,
        Some(RegistrationStatus::Approved)
    );
}

#[test]
fn every_defect_name_round_trips() {
    assert!(Defect::ALL.len() >= 35);
    for d in Defect::ALL {
        assert_eq!(d.name().parse::<Defect>(), Ok(*d));
        assert!(!d.description().trim().is_empty(), "{}", d.name());
        assert_eq!(d.to_string(), d.name());
    }
    assert!("no-such-defect".parse::<Defect>().is_err());
}

#[tokio::test]
async fn checks_come_in_the_profiles_order() {
    let h = Harness::new(&[]);
    // Version before size before municipality before body.
    let mut big = serde_json::to_value(juminhyo("C001")).unwrap();
    big["reception"]["terminal_id"] = serde_json::json!("T".repeat(MAX_REQUEST_BYTES));
    let mut req = json_request(
        Method::POST,
        &paths::issuances("999999"),
        serde_json::to_vec(&big).unwrap(),
    );
    req.headers_mut().remove(VERSION_HEADER);
    h.send(req).await.error(400, "unsupported-profile-version");
    h.send(json_request(
        Method::POST,
        &paths::issuances("999999"),
        serde_json::to_vec(&big).unwrap(),
    ))
    .await
    .error(413, "payload-too-large");
    h.send(json_request(
        Method::POST,
        &paths::issuances("999999"),
        b"{".to_vec(),
    ))
    .await
    .error(404, "unknown-municipality");
    // For a protected person, everything that does not depend on the person comes first.
    let not_offered = issuance_request(
        "C027",
        CertificateType::KosekiZenbu,
        IssuanceOptions::default(),
        1,
    );
    h.post(&paths::issuances(SHIRASUNA), &juminhyo("C027"))
        .await
        .error(422, "not-offered");
    let mut too_many = juminhyo("C027");
    too_many.copies = 11;
    h.post(&paths::issuances(AOBADAI), &too_many)
        .await
        .error(422, "invalid-request");
    let mut wrong_option = not_offered.clone();
    wrong_option.options.fiscal_year = Some(2026);
    h.post(&paths::issuances(AOBADAI), &wrong_option)
        .await
        .error(422, "invalid-request");
    let unoffered_year = issuance_request(
        "C027",
        CertificateType::Kazei,
        IssuanceOptions {
            fiscal_year: Some(2019),
            ..Default::default()
        },
        1,
    );
    h.post(&paths::issuances(AOBADAI), &unoffered_year)
        .await
        .error(422, "not-offered");
    h.post(&paths::issuances(AOBADAI), &juminhyo("C027"))
        .await
        .error(422, "not-issuable");
}
