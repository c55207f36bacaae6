//! The audit against hand-made answers: each finding from one wrong field.

use kofu_fixtures::Fixtures;
use kofu_profile::issuance::{Document, Issuance, IssuanceRequest};
use kofu_profile::{CertificateType, IssuanceOptions, Reception, Scope};

use super::{Asked, Finding, audit, page_findings};
use crate::checks::expected;

fn fixtures() -> Fixtures {
    Fixtures::load_default().expect("fixtures load")
}

fn request(
    fixtures: &Fixtures,
    card: &str,
    certificate: CertificateType,
    scope: Scope,
) -> IssuanceRequest {
    IssuanceRequest {
        reception: Reception {
            request_id: uuid::Uuid::from_u128(7),
            reception_time: "2026-11-26T10:00:00+09:00".parse().expect("time"),
            operator_code: "OP-A".into(),
            store_id: "OPA-S01".into(),
            terminal_id: "OPA-S01-T01".into(),
        },
        card_serial: fixtures.card(card).expect("card").serial.clone(),
        certificate,
        options: IssuanceOptions {
            scope: Some(scope),
            ..Default::default()
        },
        copies: 2,
    }
}

/// The issuance a conforming server gives for `person` (the content from the fixtures).
fn issuance_for(fixtures: &Fixtures, req: &IssuanceRequest, person: &str) -> Issuance {
    let m = fixtures.municipality("990001").expect("aobadai");
    let holder = fixtures.register.person(person).expect("person");
    let content =
        expected::content(fixtures, m, holder, req.certificate, &req.options).expect("content");
    let fee = m.offer(req.certificate).expect("offered").fee;
    Issuance {
        issuance_id: "I-1".into(),
        request_id: req.reception.request_id,
        municipality: "990001".into(),
        certificate: req.certificate,
        copies: u8::try_from(req.copies).expect("copies"),
        fee_per_copy: fee,
        fee_total: fee * u32::try_from(req.copies).expect("copies"),
        certificate_number: "990001-0001".into(),
        issue_date: "2026-11-26".parse().expect("date"),
        document: Document {
            media_type: "application/pdf".into(),
            page_count: 2,
            sha256: String::new(),
            pdf_base64: String::new(),
        },
        content,
    }
}

fn persons_and_echo(
    fixtures: &Fixtures,
    req: &IssuanceRequest,
    issuance: &Issuance,
) -> Vec<Finding> {
    let m = fixtures.municipality("990001").expect("aobadai");
    let asked = Asked {
        municipality: m,
        request: req,
        chosen_persons: None,
    };
    match audit(fixtures, asked, issuance) {
        Ok(()) => Vec::new(),
        Err(f) => f
            .findings
            .into_iter()
            .filter(|f| !matches!(f, Finding::Unreadable(_)))
            .collect(),
    }
}

#[test]
fn the_holders_own_certificate_passes() {
    let fx = fixtures();
    let req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Holder);
    let issuance = issuance_for(&fx, &req, "R001");
    assert_eq!(persons_and_echo(&fx, &req, &issuance), Vec::new());
}

#[test]
fn another_residents_certificate_is_named() {
    let fx = fixtures();
    let req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Holder);
    let issuance = issuance_for(&fx, &req, "R002");
    let findings = persons_and_echo(&fx, &req, &issuance);
    assert_eq!(
        findings,
        vec![Finding::Persons {
            expected: vec!["桜井 太郎".into()],
            named: vec!["桜井 良子".into()],
        }]
    );
    let failure = audit(
        &fx,
        Asked {
            municipality: fx.municipality("990001").expect("m"),
            request: &req,
            chosen_persons: None,
        },
        &issuance,
    )
    .expect_err("fails");
    let text = failure.to_string();
    assert!(text.contains("card C001 held by R001 桜井 太郎"), "{text}");
    assert!(text.contains("another resident's certificate"), "{text}");
}

#[test]
fn type_copies_and_fee_are_those_asked() {
    let fx = fixtures();
    let req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Holder);
    let mut issuance = issuance_for(&fx, &req, "R001");
    issuance.copies = 1;
    issuance.fee_per_copy += 10;
    let findings = persons_and_echo(&fx, &req, &issuance);
    assert!(findings.contains(&Finding::Copies {
        asked: 2,
        answered: 1
    }));
    assert!(findings.iter().any(|f| matches!(f, Finding::Fee { .. })));
    assert!(
        findings
            .iter()
            .any(|f| matches!(f, Finding::FeeTotal { .. }))
    );
}

#[test]
fn a_changed_field_is_listed_by_path() {
    let fx = fixtures();
    let req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Holder);
    let mut issuance = issuance_for(&fx, &req, "R001");
    if let kofu_profile::content::Content::ResidentRecord(r) = &mut issuance.content {
        r.address = "架空県どこか".into();
    }
    let findings = persons_and_echo(&fx, &req, &issuance);
    match findings.as_slice() {
        [Finding::Content(lines)] => {
            assert!(lines[0].starts_with("address: expected"), "{lines:?}")
        }
        other => panic!("unexpected findings {other:?}"),
    }
}

#[test]
fn members_without_the_menu_must_be_of_the_household() {
    let fx = fixtures();
    let mut req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Members);
    req.options.members = vec!["m-1".into()];
    // R001's household member R002 is fine; a person of another household is not.
    let mut own = req.clone();
    own.options.members = vec!["R002".into()];
    let issuance = issuance_for(&fx, &own, "R001");
    assert_eq!(persons_and_echo(&fx, &req, &issuance), Vec::new());
    let mut stranger = issuance.clone();
    let other = issuance_for(
        &fx,
        &request(&fx, "C006", CertificateType::Juminhyo, Scope::Holder),
        &fx.card("C006").expect("card").person,
    );
    stranger.content = other.content;
    assert!(matches!(
        persons_and_echo(&fx, &req, &stranger).as_slice(),
        [Finding::Persons { .. }]
    ));
}

#[test]
fn a_card_of_no_one_gets_no_certificate() {
    let fx = fixtures();
    let mut req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Holder);
    let issuance = issuance_for(&fx, &req, "R001");
    req.card_serial = "FFFFFFFFFFFFFFFF".into();
    assert!(persons_and_echo(&fx, &req, &issuance).contains(&Finding::UnknownCard));
}

#[test]
fn every_page_carries_number_page_and_subject() {
    let fx = fixtures();
    let req = request(&fx, "C001", CertificateType::Juminhyo, Scope::Holder);
    let issuance = issuance_for(&fx, &req, "R001");
    let good = |i: usize| format!("住民票の写し 桜井 太郎\n証明書番号 990001-0001   {i} / 2");
    assert_eq!(page_findings(&issuance, &[good(1), good(2)]), Vec::new());
    // Page 2 of another resident's document: other number, other subject.
    let foreign = "住民票の写し 桜井 良子\n証明書番号 990001-0002   2 / 2".to_owned();
    assert_eq!(
        page_findings(&issuance, &[good(1), foreign]),
        vec![
            Finding::PageWithoutNumber { page: 2, total: 2 },
            Finding::PageWithoutSubject {
                page: 2,
                total: 2,
                subject: "桜井太郎".into()
            },
        ]
    );
    assert_eq!(
        page_findings(&issuance, &[good(1)]),
        vec![
            Finding::PageCount {
                declared: 2,
                actual: 1
            },
            Finding::PageWithoutPageNumber { page: 1, total: 1 },
        ]
    );
}

#[test]
fn age_follows_the_anniversary_rule() {
    let d = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
    assert_eq!(super::age_on(d("2011-11-26"), d("2026-11-25")), 14);
    assert_eq!(super::age_on(d("2011-11-26"), d("2026-11-26")), 15);
    assert_eq!(super::age_on(d("2012-02-29"), d("2027-02-28")), 14);
    assert_eq!(super::age_on(d("2012-02-29"), d("2027-03-01")), 15);
    assert_eq!(super::age_on(d("2012-02-29"), d("2028-02-29")), 16);
}

#[test]
fn a_protected_person_is_never_printed() {
    let fx = fixtures();
    // C026 (R026) shares 戸籍 K010 with R027 and R028, both under DV等支援措置.
    let req = request(&fx, "C026", CertificateType::Fuhyo, Scope::Holder);
    let mut req = req;
    req.options = IssuanceOptions::default();
    let issuance = issuance_for(&fx, &req, "R026");
    let findings = persons_and_echo(&fx, &req, &issuance);
    assert!(
        findings.contains(&Finding::ProtectedPersonPrinted("R027 上田 美穂".into())),
        "{findings:?}"
    );
}

#[test]
fn a_holder_under_the_age_limit_gets_nothing() {
    let fx = fixtures();
    // R005 is 10 on the reception date; 青葉台市 has an age limit of 15.
    let req = request(&fx, "C005", CertificateType::Juminhyo, Scope::Holder);
    let issuance = issuance_for(&fx, &req, "R005");
    assert!(matches!(
        persons_and_echo(&fx, &req, &issuance).as_slice(),
        [Finding::NotIssuable(why)] if why.contains("under the age limit of 15")
    ));
}

#[test]
fn persons_in_another_order_or_with_changed_code_points_are_told_apart() {
    let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let registered =
        |n: &str| ["三浦 健二", "三浦 遥", "三浦 蒼太", "\u{FA10}本 \u{FA19}也"].contains(&n);
    assert!(matches!(
        Finding::of_persons(
            names(&["三浦 健二", "三浦 蒼太", "三浦 遥"]),
            names(&["三浦 健二", "三浦 遥", "三浦 蒼太"]),
            registered
        ),
        Finding::PersonOrder { .. }
    ));
    let changed = Finding::of_persons(
        names(&["\u{FA10}本 \u{FA19}也"]),
        names(&["\u{585A}本 \u{795E}也"]),
        registered,
    );
    let text = changed.to_string();
    assert!(text.contains("U+FA10") && text.contains("U+585A"), "{text}");
    assert!(matches!(
        Finding::of_persons(names(&["三浦 健二"]), names(&["三浦 遥"]), registered),
        Finding::Persons { .. }
    ));
}
