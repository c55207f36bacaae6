//! メニュー steps: what the candidate offers a card holder, checked against the
//! municipality profile's claims, and refusals that must not reveal their reason.

use cucumber::{given, then, when};
use kofu_profile::CertificateType;
use kofu_profile::error::NOT_ISSUABLE_MESSAGE;

use super::{certificate_named, keep, scope_named};
use crate::checks::{expect_eq, fail, fail_diff};
use crate::world::{KofuWorld, LastAnswer};

#[when(expr = "メニューを要求する")]
async fn ask_menu(world: &mut KofuWorld) {
    let code = world.municipality_code();
    let card = world
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed on the terminal"));
    let req = kofu_profile::menu::MenuRequest {
        reception: crate::terminal::reception(world),
        card_serial: card.serial.clone(),
    };
    let reply = world.center().menu(&code, &req).await;
    world.menu = keep(world, reply);
}

fn menu(world: &KofuWorld) -> kofu_profile::menu::Menu {
    match &world.menu {
        Some(m) => m.clone(),
        None => fail(
            "menu: the candidate returned no menu",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "メニューに {string} がある")]
fn menu_has(world: &mut KofuWorld, name: String) {
    let t = certificate_named(&name);
    let m = menu(world);
    if !m.items.iter().any(|i| i.certificate == t) {
        let offered: Vec<&str> = m.items.iter().map(|i| i.certificate.code()).collect();
        fail(
            &format!("menu: {name} ({t}) must be offered to this holder"),
            format!("offered: {offered:?}"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューに {string} はない")]
fn menu_lacks(world: &mut KofuWorld, name: String) {
    let t = certificate_named(&name);
    let m = menu(world);
    if m.items.iter().any(|i| i.certificate == t) {
        fail(
            &format!("menu: {name} ({t}) must not be offered to this holder"),
            "it is on the menu",
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューは空である")]
fn menu_empty(world: &mut KofuWorld) {
    let m = menu(world);
    let offered: Vec<&str> = m.items.iter().map(|i| i.certificate.code()).collect();
    expect_eq(
        "menu: nothing may be offered to this holder",
        &Vec::<&str>::new(),
        &offered,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューの {string} の年度は {string} である")]
fn menu_years(world: &mut KofuWorld, name: String, years: String) {
    let t = certificate_named(&name);
    let m = menu(world);
    let expected: Vec<u16> = years
        .split(',')
        .filter_map(|y| y.trim().parse().ok())
        .collect();
    let actual = m
        .items
        .iter()
        .find(|i| i.certificate == t)
        .map(|i| i.fiscal_years.clone())
        .unwrap_or_default();
    expect_eq(
        &format!("menu: fiscal years offered for {t}"),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューの種類・手数料・選択肢は市区町村プロファイルの主張と一致する")]
fn menu_matches_claims(world: &mut KofuWorld) {
    let m = menu(world);
    let code = world.municipality_code();
    let ctx = world.ctx().clone();
    let claims = ctx
        .candidate
        .municipalities
        .iter()
        .find(|c| c.code == code)
        .unwrap_or_else(|| panic!("no municipality profile for {code}"));
    #[derive(Debug, PartialEq)]
    struct Offer {
        certificate: CertificateType,
        fee: u32,
        max_copies: u8,
        scopes: Vec<kofu_profile::Scope>,
        relationship_option: bool,
        honseki_option: bool,
    }
    let offered: Vec<Offer> = m
        .items
        .iter()
        .map(|i| Offer {
            certificate: i.certificate,
            fee: i.fee,
            max_copies: i.max_copies,
            scopes: i.scopes.clone(),
            relationship_option: i.relationship_option,
            honseki_option: i.honseki_option,
        })
        .collect();
    let claimed: Vec<Offer> = offered
        .iter()
        .filter_map(|o| claims.offer(o.certificate))
        .map(|c| Offer {
            certificate: c.certificate,
            fee: c.fee,
            max_copies: c.max_copies,
            scopes: c.scopes.clone(),
            relationship_option: c.relationship_option,
            honseki_option: c.honseki_option,
        })
        .collect();
    if claimed.len() != offered.len() {
        fail(
            "menu: a type is offered that the municipality profile does not claim",
            format!(
                "offered: {:?}",
                offered.iter().map(|o| o.certificate).collect::<Vec<_>>()
            ),
            &world.evidence_dir,
        );
    }
    expect_eq(
        "menu: fees, copy limits and options must be exactly the claimed ones",
        &claimed,
        &offered,
        &world.evidence_dir,
    );
}

#[then(expr = "交付は断られ、窓口への案内だけが返る")]
fn refused_generic(world: &mut KofuWorld) {
    let actual = match &world.last {
        Some(LastAnswer::Refused { status, error }) => {
            (*status, error.code.code().to_owned(), error.message.clone())
        }
        other => fail(
            "refusal: the request must be refused with not-issuable",
            format!("last answer: {other:?}"),
            &world.evidence_dir,
        ),
    };
    expect_eq(
        "refusal: a personal refusal is 422 not-issuable with the fixed message, revealing no reason",
        &(
            422,
            "not-issuable".to_owned(),
            NOT_ISSUABLE_MESSAGE.to_owned(),
        ),
        &actual,
        &world.evidence_dir,
    );
}

// ---------------------------------------------------------------------------------
// 利用者制限: the menu's 利用登録申請 state, the 住所地 and 本籍地 sides of the menu,
// the members a 世帯の一部 may name, and menu honesty.

fn claims_for(world: &KofuWorld, code: &str) -> kofu_fixtures::Municipality {
    world
        .ctx()
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("no municipality profile claims {code}"))
}

fn registration_word(menu: &kofu_profile::menu::Menu) -> Option<String> {
    menu.koseki_registration
        .map(super::registration::status_word)
}

#[then(expr = "メニューの利用登録申請の状態は {string} である")]
fn menu_registration(world: &mut KofuWorld, status: String) {
    let m = menu(world);
    expect_eq(
        "menu: koseki_registration is the state of the holder's latest 利用登録申請 with this 本籍地",
        &Some(status),
        &registration_word(&m),
        &world.evidence_dir,
    );
}

#[then(expr = "メニューに利用登録申請の状態はない")]
fn menu_no_registration(world: &mut KofuWorld) {
    let m = menu(world);
    expect_eq(
        "menu: koseki_registration appears only for a holder whose 戸籍 is kept here but who lives elsewhere",
        &None,
        &registration_word(&m),
        &world.evidence_dir,
    );
}

fn menu_lacks_side(world: &KofuWorld, domicile: bool, what: &str) {
    let m = menu(world);
    let found: Vec<&str> = m
        .items
        .iter()
        .filter(|i| i.certificate.issued_by_domicile() == domicile)
        .map(|i| i.certificate.code())
        .collect();
    expect_eq(
        &format!("menu: no {what} certificate may be offered to this holder"),
        &Vec::<&str>::new(),
        &found,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューに住所地の証明書はない")]
fn menu_lacks_residence_types(world: &mut KofuWorld) {
    menu_lacks_side(
        world,
        false,
        "住所地 (juminhyo, juminhyo-kisai, inkan, kazei, shotoku)",
    );
}

#[then(expr = "メニューに本籍地の証明書はない")]
fn menu_lacks_domicile_types(world: &mut KofuWorld) {
    menu_lacks_side(world, true, "本籍地 (koseki-zenbu, koseki-kojin, fuhyo)");
}

fn person_name(world: &KofuWorld, id: &str) -> String {
    world
        .ctx()
        .fixtures
        .register
        .person(id)
        .unwrap_or_else(|| panic!("no fixture person `{id}`"))
        .name
        .clone()
}

/// Names offered for 世帯の一部 on the 住民票 item (member ids are opaque).
fn member_names(world: &KofuWorld) -> Vec<String> {
    let m = menu(world);
    match m
        .items
        .iter()
        .find(|i| i.certificate == CertificateType::Juminhyo)
    {
        Some(item) => item.members.iter().map(|c| c.name.clone()).collect(),
        None => fail(
            "menu: 住民票の写し must be offered to this holder",
            format!(
                "offered: {:?}",
                m.items.iter().map(|i| i.certificate).collect::<Vec<_>>()
            ),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "メニューの世帯の一部の候補に {string} がいる")]
fn member_offered(world: &mut KofuWorld, person: String) {
    let name = person_name(world, &person);
    let names = member_names(world);
    if !names.contains(&name) {
        fail(
            &format!("menu: {person} ({name}) must be among the members offered for 世帯の一部"),
            format!("members offered: {names:?}"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューの世帯の一部の候補に {string} はいない")]
fn member_not_offered(world: &mut KofuWorld, person: String) {
    let name = person_name(world, &person);
    let names = member_names(world);
    if names.contains(&name) {
        fail(
            &format!("menu: {person} ({name}) must not be offered for 世帯の一部"),
            format!("members offered: {names:?}"),
            &world.evidence_dir,
        );
    }
}

/// One request of the honesty checks: what is asked, and the label for messages.
fn probe_request(
    world: &KofuWorld,
    certificate: CertificateType,
    options: kofu_profile::IssuanceOptions,
    copies: u8,
) -> (String, kofu_profile::issuance::IssuanceRequest) {
    let label = format!("{certificate} ({options}) x{copies}");
    (
        label,
        crate::terminal::issuance_request(world, certificate, options, copies),
    )
}

/// Options a resident could pick for a type the menu does not show: the holder alone
/// for 住民票 types, a claimed year for tax types, nothing otherwise.
fn plain_options(
    claims: &kofu_fixtures::Municipality,
    certificate: CertificateType,
) -> kofu_profile::IssuanceOptions {
    let mut options = match claims.offer(certificate) {
        Some(offer) => super::plain_options(offer),
        None => kofu_profile::IssuanceOptions {
            scope: certificate
                .is_resident_record()
                .then_some(kofu_profile::Scope::Holder),
            ..Default::default()
        },
    };
    // A tax type the profile does not claim (or claims with no 年度): the current 年度.
    if certificate.is_tax() && options.fiscal_year.is_none() {
        options.fiscal_year = Some(2026);
    }
    options
}

#[then(
    expr = "メニューに示された種類は、どの選択肢・年度でも交付され、手数料はメニューどおりである"
)]
async fn offered_are_issuable(world: &mut KofuWorld) {
    let m = menu(world);
    let code = world.municipality_code();
    let mut requests = Vec::new();
    for item in &m.items {
        let t = item.certificate;
        let mut variants: Vec<kofu_profile::IssuanceOptions> = Vec::new();
        if t.is_resident_record() {
            for scope in &item.scopes {
                let members = if *scope == kofu_profile::Scope::Members {
                    if item.members.is_empty() {
                        fail(
                            &format!("menu: {t} offers 世帯の一部 with no member to choose"),
                            "members: []",
                            &world.evidence_dir,
                        );
                    }
                    item.members.iter().map(|c| c.member_id.clone()).collect()
                } else {
                    Vec::new()
                };
                variants.push(kofu_profile::IssuanceOptions {
                    scope: Some(*scope),
                    members,
                    show_relationship: item.relationship_option,
                    show_honseki: item.honseki_option,
                    fiscal_year: None,
                });
            }
            if variants.is_empty() {
                fail(
                    &format!("menu: {t} is offered with no scope"),
                    "scopes: []",
                    &world.evidence_dir,
                );
            }
        } else if t.is_tax() {
            if item.fiscal_years.is_empty() {
                fail(
                    &format!("menu: {t} is offered with no fiscal year"),
                    "fiscal_years: []",
                    &world.evidence_dir,
                );
            }
            for year in &item.fiscal_years {
                variants.push(kofu_profile::IssuanceOptions {
                    fiscal_year: Some(*year),
                    ..Default::default()
                });
            }
        } else {
            variants.push(kofu_profile::IssuanceOptions::default());
        }
        for (n, options) in variants.into_iter().enumerate() {
            // The first variant of each type at the most copies, the others at one.
            let copies = if n == 0 { item.max_copies.max(1) } else { 1 };
            let (label, req) = probe_request(world, t, options, copies);
            requests.push((label, item.fee, req));
        }
    }
    let problems = super::issue_at_fee(world, &code, requests, "the menu implies").await;
    if !problems.is_empty() {
        fail(
            "menu honesty: everything the menu offers, with any offered option, year and copies, must be issued at the menu's fee",
            problems.join("\n"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューが示さない種類と年度は、直接請求してもすべて断られる")]
async fn hidden_are_refused(world: &mut KofuWorld) {
    let m = menu(world);
    let code = world.municipality_code();
    let claims = claims_for(world, &code);
    let awaiting = matches!(
        m.koseki_registration,
        Some(s) if s != kofu_profile::registration::RegistrationStatus::Approved
    );
    // (what is asked, expected code)
    let mut probes = Vec::new();
    for t in CertificateType::ALL {
        let on_menu = m.items.iter().find(|i| i.certificate == t);
        let expected = if claims.offer(t).is_none() {
            "not-offered"
        } else if t.issued_by_domicile() && awaiting {
            "registration-required"
        } else {
            "not-issuable"
        };
        match on_menu {
            None => probes.push((
                probe_request(world, t, plain_options(&claims, t), 1),
                expected,
            )),
            Some(item) if t.is_tax() => {
                // Years the municipality offers but this holder was not assessed for.
                let offered = claims
                    .offer(t)
                    .map(|o| o.fiscal_years.clone())
                    .unwrap_or_default();
                for year in offered.iter().filter(|y| !item.fiscal_years.contains(y)) {
                    let options = kofu_profile::IssuanceOptions {
                        fiscal_year: Some(*year),
                        ..Default::default()
                    };
                    probes.push((probe_request(world, t, options, 1), "not-issuable"));
                }
            }
            Some(_) => {}
        }
        // A year the municipality offers to nobody, whatever the holder.
        if t.is_tax()
            && let Some(first) = claims.offer(t).and_then(|o| o.fiscal_years.iter().min())
        {
            let options = kofu_profile::IssuanceOptions {
                fiscal_year: Some(first - 1),
                ..Default::default()
            };
            probes.push((probe_request(world, t, options, 1), "not-offered"));
        }
    }
    let mut problems = Vec::new();
    for ((label, req), expected) in probes {
        let reply = world.center().issue(&code, &req).await;
        let _ = keep(world, reply);
        let actual = match &world.last {
            Some(LastAnswer::Refused { status, error }) => {
                let fixed =
                    error.code.code() != "not-issuable" || error.message == NOT_ISSUABLE_MESSAGE;
                (*status, error.code.code().to_owned(), fixed)
            }
            other => (0, format!("{other:?}"), true),
        };
        let wanted = (422, expected.to_owned(), true);
        if actual != wanted {
            problems.push(format!(
                "{label}: expected (422, {expected}, fixed message), got {actual:?}"
            ));
        }
    }
    if !problems.is_empty() {
        fail(
            "menu honesty: what the menu hides is refused (not-offered if offered to nobody, registration-required for 戸籍 awaiting registration, else not-issuable with the fixed message)",
            problems.join("\n"),
            &world.evidence_dir,
        );
    }
}

// ---------------------------------------------------------------------------------
// Refusals that must not tell their reason apart.

/// A card the fixtures do not know: its serial maps to no one.
const UNKNOWN_SERIAL: &str = "7E57C0DE00000001";

/// [`UNKNOWN_SERIAL`], checked to be unknown to the fixtures.
fn unknown_serial(world: &KofuWorld) -> String {
    if world
        .ctx()
        .fixtures
        .card_by_serial(UNKNOWN_SERIAL)
        .is_some()
    {
        panic!("the fixtures now use the serial {UNKNOWN_SERIAL} the scenario needs unknown");
    }
    UNKNOWN_SERIAL.to_owned()
}

#[given(expr = "未登録のカードを置く")]
fn place_unknown_card(world: &mut KofuWorld) {
    world.card = Some(kofu_fixtures::Card {
        id: "未登録".to_owned(),
        serial: unknown_serial(world),
        person: String::new(),
        pin: "0000".to_owned(),
        state: kofu_fixtures::CardState::Valid,
    });
}

#[when(expr = "カード {string} で {string} を 1 通直接請求し、応答を控える")]
async fn keep_raw_refusal(world: &mut KofuWorld, card: String, name: String) {
    let serial = if card == "未登録" {
        unknown_serial(world)
    } else {
        world
            .ctx()
            .fixtures
            .card(&card)
            .unwrap_or_else(|| panic!("no fixture card `{card}`"))
            .serial
            .clone()
    };
    let code = world.municipality_code();
    let claims = claims_for(world, &code);
    let t = certificate_named(&name);
    let req = kofu_profile::issuance::IssuanceRequest {
        reception: crate::terminal::reception(world),
        card_serial: serial,
        certificate: t,
        options: plain_options(&claims, t),
        copies: 1,
    };
    let body = serde_json::to_vec(&req).unwrap_or_else(|e| panic!("cannot encode: {e}"));
    let client = world.center();
    let headers = client.profile_headers(true);
    let path = kofu_profile::paths::issuances(&code);
    match client
        .raw("issue", reqwest::Method::POST, &path, headers, Some(body))
        .await
    {
        Ok(raw) => {
            world.last = Some(LastAnswer::Raw(raw.clone()));
            world.kept_answers.push((format!("card {card}: {t}"), raw));
        }
        Err(e) => fail(
            "refusal: the candidate did not answer",
            super::error_chain(&e),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "控えた応答は、状態・ヘッダ・本文がバイト単位まで同じ not-issuable である")]
fn kept_identical(world: &mut KofuWorld) {
    let kept = world.kept_answers.clone();
    let Some((first_label, first)) = kept.first() else {
        panic!("no answer was kept (… 応答を控える)");
    };
    // Headers that legitimately vary between two answers.
    let comparable = |raw: &kofu_mock_center::client::RawResponse| {
        let mut h: Vec<(String, String)> = raw
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("date"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        h.sort();
        (
            raw.status,
            h,
            String::from_utf8_lossy(&raw.body).into_owned(),
        )
    };
    let body: Option<kofu_profile::ErrorBody> = serde_json::from_slice(&first.body).ok();
    expect_eq(
        &format!("refusal ({first_label}): 422 not-issuable with the fixed message"),
        &(
            422,
            Some(("not-issuable".to_owned(), NOT_ISSUABLE_MESSAGE.to_owned())),
        ),
        &(
            first.status,
            body.map(|b| (b.code.code().to_owned(), b.message)),
        ),
        &world.evidence_dir,
    );
    for (label, raw) in kept.iter().skip(1) {
        if raw.body != first.body {
            fail_diff(
                &format!(
                    "refusal: the body for {label} must be byte for byte the body for {first_label}"
                ),
                &String::from_utf8_lossy(&first.body).into_owned(),
                &String::from_utf8_lossy(&raw.body).into_owned(),
                &world.evidence_dir,
            );
        }
        expect_eq(
            &format!(
                "refusal: status and headers (but Date) for {label} must be those for {first_label}"
            ),
            &comparable(first),
            &comparable(raw),
            &world.evidence_dir,
        );
    }
}

/// Words that would tell a protected reason.
const PROTECTED_WORDS: [&str; 3] = ["DV", "支援措置", "protected"];

fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                json_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
}

#[then(expr = "この試験の証拠に保護の理由を示す語は現れない")]
fn evidence_tells_no_reason(world: &mut KofuWorld) {
    let mut files = Vec::new();
    json_files(&world.evidence_dir, &mut files);
    if files.is_empty() {
        fail(
            "evidence: the scenario recorded no exchange to inspect",
            world.evidence_dir.display(),
            &world.evidence_dir,
        );
    }
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for word in PROTECTED_WORDS {
            if text.contains(word) {
                found.push(format!("{}: `{word}`", f.display()));
            }
        }
    }
    if !found.is_empty() {
        fail(
            "refusal: nothing the candidate answered may tell a protected reason (DV等支援措置)",
            found.join("\n"),
            &world.evidence_dir,
        );
    }
}

// ---------------------------------------------------------------------------------
// 非課税: a tax certificate with no tax.

#[then(expr = "記載事項の市町村民税と道府県民税は 0 円である")]
fn tax_is_zero(world: &mut KofuWorld) {
    let issued = match world.issuances.last() {
        Some((_, i)) => i.clone(),
        None => fail(
            "issuance: no certificate was issued",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        ),
    };
    let actual = match &issued.content {
        kofu_profile::content::Content::Tax(t) => Some((t.municipal_tax, t.prefectural_tax)),
        _ => None,
    };
    expect_eq(
        "記載事項: a 非課税 holder's certificate states 0 yen of 市町村民税 and 道府県民税",
        &Some((0, 0)),
        &actual,
        &world.evidence_dir,
    );
}

fn offered_scopes(world: &KofuWorld, name: &str) -> Vec<kofu_profile::Scope> {
    let t = certificate_named(name);
    menu(world)
        .items
        .iter()
        .find(|i| i.certificate == t)
        .map(|i| i.scopes.clone())
        .unwrap_or_else(|| {
            fail(
                &format!("menu: {name} ({t}) must be offered to this holder"),
                "it is not on the menu",
                &world.evidence_dir,
            )
        })
}

#[then(expr = "メニューの {string} の交付範囲に {string} がある")]
fn menu_scope_offered(world: &mut KofuWorld, name: String, scope: String) {
    let scopes = offered_scopes(world, &name);
    if !scopes.contains(&scope_named(&scope)) {
        fail(
            &format!("menu: the 交付範囲 {scope} of {name} must be offered to this holder"),
            format!("offered scopes: {}", crate::checks::list(&scopes)),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューの {string} の交付範囲に {string} はない")]
fn menu_scope_hidden(world: &mut KofuWorld, name: String, scope: String) {
    let scopes = offered_scopes(world, &name);
    if scopes.contains(&scope_named(&scope)) {
        fail(
            &format!(
                "menu: the 交付範囲 {scope} of {name} must not be offered: it would print a person under DV等支援措置"
            ),
            format!("offered scopes: {}", crate::checks::list(&scopes)),
            &world.evidence_dir,
        );
    }
}
