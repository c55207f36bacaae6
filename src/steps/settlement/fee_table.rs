//! 交付手数料表 steps: every type the municipality profile claims is issued through the
//! menu and reported, and each issuance and record carries the claimed fee per copy,
//! charged for the confirmed copies only.

use cucumber::{then, when};
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::outcome::CopyState;
use kofu_profile::{CertificateType, IssuanceOptions};

use super::outcome::{outcomes, report};
use super::records_of_day;
use crate::checks::{expect_eq, fail};
use crate::steps::keep;
use crate::steps::menu::{claims_for, menu_once};
use crate::steps::options::{self, NoPlainChoice};
use crate::world::KofuWorld;

/// The plain options of a menu item; a menu offering none fails the step.
fn plain_options(world: &KofuWorld, item: &kofu_profile::menu::MenuItem) -> IssuanceOptions {
    let t = item.certificate;
    match options::of_menu_item(item) {
        Ok(o) => o,
        Err(NoPlainChoice::Scope(scopes)) => fail(
            &format!("menu: {t} must offer 本人のみ or 世帯全員 to this card"),
            format!("scopes: {}", crate::checks::list(&scopes)),
            &world.evidence_dir,
        ),
        Err(NoPlainChoice::FiscalYear) => fail(
            &format!("menu: {t} is offered with no fiscal year"),
            "fiscal_years: []",
            &world.evidence_dir,
        ),
    }
}

/// What the municipality profile claims for the municipality under test.
fn claims(world: &KofuWorld) -> kofu_fixtures::Municipality {
    claims_for(world, &world.municipality_code())
}

#[when(
    expr = "市区町村プロファイルが主張する種類をそれぞれ {int} 通請求し、{int} 通目までを確定、残りを取消として報告する"
)]
async fn issue_every_claimed_type(world: &mut KofuWorld, n: u8, k: u8) {
    let code = world.municipality_code();
    let claimed = claims(world);
    let m = menu_once(world, "the fee table is read through").await;
    let card = world
        .scene
        .card
        .as_ref()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    for offer in &claimed.certificates {
        let t = offer.certificate;
        let Some(item) = m.items.iter().find(|i| i.certificate == t) else {
            fail(
                &format!(
                    "menu: {t} is claimed by {code} and card {card} may receive it, so its menu must offer it"
                ),
                format!(
                    "menu items: {:?}",
                    m.items.iter().map(|i| i.certificate).collect::<Vec<_>>()
                ),
                &world.evidence_dir,
            );
        };
        let options = plain_options(world, item);
        let copies = n.min(offer.max_copies).max(1);
        let req = world.issuance_request(t, options, copies);
        let reply = world.candidate().issue(&code, &req).await;
        let Some(issuance) = keep(world, reply) else {
            fail(
                &format!("issuance: {t}, offered on the menu, must be issued"),
                format!("answer: {}", crate::checks::shown(&world.answers.last)),
                &world.evidence_dir,
            );
        };
        world.answers.issuances.push((req, issuance.clone()));
        if !report(world, &issuance, outcomes(issuance.copies, k)).await {
            fail(
                &format!("outcome: the print outcome of {t} must be accepted"),
                format!("answer: {}", crate::checks::shown(&world.answers.last)),
                &world.evidence_dir,
            );
        }
    }
}

/// An issuance as (type, fee per copy, copies, fee_total).
type IssuedFee = (CertificateType, u32, u8, u32);

/// A record as (type, fee per copy, copies, confirmed copies, fee_confirmed).
type RecordedFee = (CertificateType, u32, u8, u8, u32);

#[then(
    expr = "どの種類も、交付と記録の 1 通あたりの交付手数料は市区町村プロファイルの主張どおりで、確定分の交付手数料は手数料 × 確定部数である"
)]
async fn fee_table(world: &mut KofuWorld) {
    let claimed = claims(world);
    let day = kofu_profile::time::jst_date(&world.reception_time());
    let records = records_of_day(world, day).await;
    let issued: Vec<(IssuanceRequest, Issuance)> = world.answers.issuances.clone();
    if issued.is_empty() {
        fail(
            "settlement: nothing was issued",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    }
    let (mut expected_issued, mut actual_issued) = (Vec::<IssuedFee>::new(), Vec::new());
    let (mut expected_recorded, mut actual_recorded) = (Vec::<RecordedFee>::new(), Vec::new());
    for (req, issuance) in &issued {
        let t = req.certificate;
        let fee = claimed
            .offer(t)
            .map(|o| o.fee)
            .unwrap_or_else(|| panic!("the profile of {} does not claim {t}", claimed.code));
        let Some(record) = records.iter().find(|r| r.request_id == issuance.request_id) else {
            fail(
                &format!(
                    "records: the {t} issuance is missing from the records of its business date {day} (JST)"
                ),
                format!("request id {}", issuance.request_id),
                &world.evidence_dir,
            );
        };
        let confirmed = record
            .copy_states
            .iter()
            .filter(|s| **s == CopyState::Confirmed)
            .count();
        let confirmed = u8::try_from(confirmed).unwrap_or(u8::MAX);
        let asked = u8::try_from(req.copies).unwrap_or(0);
        expected_issued.push((t, fee, asked, fee * u32::from(asked)));
        actual_issued.push((
            issuance.certificate,
            issuance.fee_per_copy,
            issuance.copies,
            issuance.fee_total,
        ));
        expected_recorded.push((t, fee, asked, confirmed, fee * u32::from(confirmed)));
        actual_recorded.push((
            record.certificate,
            record.fee_per_copy,
            record.copies,
            record.confirmed_copies,
            record.fee_confirmed,
        ));
    }
    let (expected_issued, actual_issued) = mismatches(expected_issued, actual_issued);
    expect_eq(
        "issuance: the 交付手数料 of every claimed type must be the profile's fee for that type \
         (type, fee per copy, copies, fee_total; only the types that differ)",
        &expected_issued,
        &actual_issued,
        &world.evidence_dir,
    );
    let (expected_recorded, actual_recorded) = mismatches(expected_recorded, actual_recorded);
    expect_eq(
        "records: the 交付手数料 of every claimed type must be the profile's fee for that type, \
         charged for the confirmed copies only \
         (type, fee per copy, copies, confirmed copies, fee_confirmed; only the types that differ)",
        &expected_recorded,
        &actual_recorded,
        &world.evidence_dir,
    );
}

/// The pairs that differ, so that a failure shows only the types whose fee is wrong.
fn mismatches<T: PartialEq>(expected: Vec<T>, actual: Vec<T>) -> (Vec<T>, Vec<T>) {
    expected
        .into_iter()
        .zip(actual)
        .filter(|(e, a)| e != a)
        .unzip()
}
