//! 清算 (settlement) steps beyond a single record: repeated and conflicting 印刷結果
//! (print outcome) reports, the 業務日 (business date) boundary at JST midnight, and
//! the 交付手数料 (fee) table of every type the municipality profile claims.

use cucumber::{then, when};
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::CopyState;
use kofu_profile::records::IssuanceRecord;
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

use kofu_mock_center::client::Reply;

use super::keep;
use super::outcome::{last, outcomes, report};
use crate::checks::{expect_eq, fail};
use crate::world::{KofuWorld, LastAnswer};

/// The candidate's records for one business date; a refusal fails the step.
async fn records_of_day(world: &mut KofuWorld, day: chrono::NaiveDate) -> Vec<IssuanceRecord> {
    let code = world.municipality_code();
    let reply = world.center().records(&code, day, day).await;
    match keep(world, reply) {
        Some(r) => r.records,
        None => fail(
            &format!("records: the candidate must answer the records of business date {day}"),
            format!("answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        ),
    }
}

fn date(world: &KofuWorld, text: &str) -> chrono::NaiveDate {
    text.parse().unwrap_or_else(|e| {
        fail(
            "scenario error: a 業務日 is written YYYY-MM-DD",
            format!("`{text}`: {e}"),
            &world.evidence_dir,
        )
    })
}

#[when(expr = "もう一度 {int} 通目までを確定、残りを取消として報告する")]
async fn report_again(world: &mut KofuWorld, k: u8) {
    let issuance = last(world);
    report(world, &issuance, outcomes(issuance.copies, k)).await;
}

#[when(expr = "すべての部数を取消として報告する")]
async fn cancel_all(world: &mut KofuWorld) {
    let issuance = last(world);
    report(world, &issuance, outcomes(issuance.copies, 0)).await;
}

#[then(expr = "印刷結果の報告は受け付けられる")]
fn report_accepted(world: &mut KofuWorld) {
    if !matches!(world.last, Some(LastAnswer::Ok { status: 200, .. })) {
        fail(
            "outcome: reporting an outcome a copy already has must be accepted (200) and change nothing",
            format!("answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "交付は業務日 {string} の記録にあり、業務日 {string} の記録にはない")]
async fn dated_records(world: &mut KofuWorld, on: String, not_on: String) {
    let (on, not_on) = (date(world, &on), date(world, &not_on));
    let issuance = last(world);
    let reception = world.reception_time();
    let ours = |records: Vec<IssuanceRecord>| -> Vec<IssuanceRecord> {
        records
            .into_iter()
            .filter(|r| r.request_id == issuance.request_id)
            .collect()
    };
    let found = ours(records_of_day(world, on).await);
    let elsewhere = ours(records_of_day(world, not_on).await);
    expect_eq(
        &format!(
            "records: an issuance received at {} belongs to business date {on} (the JST date) and to no other",
            reception.to_rfc3339()
        ),
        &(vec![on], Vec::<chrono::NaiveDate>::new()),
        &(
            found.iter().map(|r| r.business_date).collect(),
            elsewhere.iter().map(|r| r.business_date).collect(),
        ),
        &world.evidence_dir,
    );
}

/// The card's menu at the municipality under test, read once per scenario.
async fn menu(world: &mut KofuWorld) -> Menu {
    if let Some(m) = &world.menu {
        return m.clone();
    }
    let code = world.municipality_code();
    let card = world
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed on the terminal (カード … を置く)"));
    let req = MenuRequest {
        reception: crate::terminal::reception(world),
        card_serial: card.serial.clone(),
    };
    let reply = world.center().menu(&code, &req).await;
    match reply {
        Ok(Reply::Ok { value, .. }) => {
            world.menu = Some(value.clone());
            value
        }
        other => fail(
            "menu: the candidate must answer the menu the fee table is read through",
            format!("answer: {other:?}"),
            &world.evidence_dir,
        ),
    }
}

/// The simplest options the menu offers for a type: 本人のみ, the newest 年度.
fn plain_options(world: &KofuWorld, item: &kofu_profile::menu::MenuItem) -> IssuanceOptions {
    let t = item.certificate;
    if t.is_resident_record() {
        let scope = [Scope::Holder, Scope::Household]
            .into_iter()
            .find(|s| item.scopes.contains(s))
            .unwrap_or_else(|| {
                fail(
                    &format!("menu: {t} must offer 本人のみ or 世帯全員 to this card"),
                    format!("scopes: {:?}", item.scopes),
                    &world.evidence_dir,
                )
            });
        IssuanceOptions {
            scope: Some(scope),
            ..Default::default()
        }
    } else if t.is_tax() {
        let year = item.fiscal_years.iter().max().copied().unwrap_or_else(|| {
            fail(
                &format!("menu: {t} is offered with no fiscal year"),
                "fiscal_years: []",
                &world.evidence_dir,
            )
        });
        IssuanceOptions {
            fiscal_year: Some(year),
            ..Default::default()
        }
    } else {
        IssuanceOptions::default()
    }
}

/// What the municipality profile claims for the municipality under test.
fn claims(world: &KofuWorld) -> kofu_fixtures::Municipality {
    let code = world.municipality_code();
    match world
        .ctx()
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
    {
        Some(m) => m.clone(),
        None => panic!("no municipality profile claims {code}"),
    }
}

#[when(
    expr = "市区町村プロファイルが主張する種類をそれぞれ {int} 通請求し、{int} 通目までを確定、残りを取消として報告する"
)]
async fn issue_every_claimed_type(world: &mut KofuWorld, n: u8, k: u8) {
    let code = world.municipality_code();
    let claimed = claims(world);
    let m = menu(world).await;
    let card = world
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
        let req = crate::terminal::issuance_request(world, t, options, copies);
        let reply = world.center().issue(&code, &req).await;
        let Some(issuance) = keep(world, reply) else {
            fail(
                &format!("issuance: {t}, offered on the menu, must be issued"),
                format!("answer: {}", crate::checks::shown(&world.last)),
                &world.evidence_dir,
            );
        };
        world.issuances.push((req, issuance.clone()));
        if !report(world, &issuance, outcomes(issuance.copies, k)).await {
            fail(
                &format!("outcome: the print outcome of {t} must be accepted"),
                format!("answer: {}", crate::checks::shown(&world.last)),
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
    let issued: Vec<(IssuanceRequest, Issuance)> = world.issuances.clone();
    if issued.is_empty() {
        fail(
            "settlement: nothing was issued",
            format!("last answer: {}", crate::checks::shown(&world.last)),
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
        expected_issued.push((t, fee, req.copies, fee * u32::from(req.copies)));
        actual_issued.push((
            issuance.certificate,
            issuance.fee_per_copy,
            issuance.copies,
            issuance.fee_total,
        ));
        expected_recorded.push((t, fee, req.copies, confirmed, fee * u32::from(confirmed)));
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
