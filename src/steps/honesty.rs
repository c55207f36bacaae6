//! メニューの誠実さ (menu honesty): everything the menu shows is issued with any offered
//! option, 年度 and copies at the menu's fee, and everything it hides is refused with
//! the code the profile names.

use cucumber::then;
use kofu_profile::CertificateType;
use kofu_profile::error::NOT_ISSUABLE_MESSAGE;

use super::menu::{claims_for, last_menu};
use super::{keep, options};
use crate::checks::fail;
use crate::world::{KofuWorld, LastAnswer};

/// Ask the candidate for each `(label, fee per copy, request)` at municipality `code`:
/// each must be issued as asked (type, copies) at that fee. Returns one line per request
/// that was not, naming what came back and what `basis` implied.
pub async fn issue_at_fee(
    world: &mut KofuWorld,
    code: &str,
    requests: Vec<(String, u32, kofu_profile::issuance::IssuanceRequest)>,
    basis: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (label, fee, req) in requests {
        let reply = world.candidate().issue(code, &req).await;
        match keep(world, reply) {
            Some(issued) => {
                let expected = (
                    req.certificate,
                    req.copies,
                    fee,
                    fee * u32::try_from(req.copies).unwrap_or(0),
                );
                let actual = (
                    issued.certificate,
                    i64::from(issued.copies),
                    issued.fee_per_copy,
                    issued.fee_total,
                );
                if expected != actual {
                    problems.push(format!(
                        "{label}: issued {} x{} at {} yen per copy, {} yen in all; {basis} {} x{} at {} yen per copy, {} yen in all",
                        actual.0, actual.1, actual.2, actual.3, expected.0, expected.1, expected.2, expected.3
                    ));
                }
            }
            None => problems.push(format!(
                "{label}: not issued: {}",
                crate::checks::shown(&world.answers.last)
            )),
        }
    }
    problems
}

/// One request of the honesty checks: what is asked, and the label for messages.
pub fn probe_request(
    world: &KofuWorld,
    certificate: CertificateType,
    options: kofu_profile::IssuanceOptions,
    copies: u8,
) -> (String, kofu_profile::issuance::IssuanceRequest) {
    let label = format!("{certificate} ({options}) x{copies}");
    (label, world.issuance_request(certificate, options, copies))
}

#[then(
    expr = "メニューに示された種類は、どの選択肢・年度でも交付され、手数料はメニューどおりである"
)]
async fn offered_are_issuable(world: &mut KofuWorld) {
    let m = last_menu(world);
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
    let problems = issue_at_fee(world, &code, requests, "the menu implies").await;
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
    let m = last_menu(world);
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
                probe_request(world, t, options::for_unshown_type(&claims, t), 1),
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
    // A 年度 the municipality offers but not yet decided at the reception date is offered
    // to nobody (profile: "Tax years"), whatever the holder.
    let date = kofu_profile::time::jst_date(&world.reception_time());
    for ((_, req), expected) in &mut probes {
        if let Some(year) = req.options.fiscal_year
            && !crate::checks::expected::fiscal_year::decided(year, date)
        {
            *expected = "not-offered";
        }
    }
    let mut problems = Vec::new();
    for ((label, req), expected) in probes {
        let reply = world.candidate().issue(&code, &req).await;
        let _ = keep(world, reply);
        let actual = match &world.answers.last {
            Some(LastAnswer::Refused { status, error }) => {
                let fixed =
                    error.code.code() != "not-issuable" || error.message == NOT_ISSUABLE_MESSAGE;
                (*status, error.code.code().to_owned(), fixed)
            }
            other => (0, crate::checks::shown(other), true),
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
