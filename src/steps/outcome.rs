//! 印刷結果 and 記録 steps: 確定 / 取消 per copy, and the candidate's issuance records
//! as settlement reads them.

use cucumber::{then, when};
use kofu_profile::outcome::{CopyOutcome, CopyState, Outcome, OutcomeReport};
use kofu_profile::records::IssuanceRecord;

use super::keep;
use crate::checks::{expect_eq, fail};
use crate::world::KofuWorld;

/// The last issuance the candidate answered; none fails the step.
pub fn last(world: &KofuWorld) -> kofu_profile::issuance::Issuance {
    match world.issuances.last() {
        Some((_, i)) => i.clone(),
        None => fail(
            "outcome: nothing was issued",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        ),
    }
}

/// Outcomes for copies `1..=n`: the first `k` 確定 (confirmed), the rest 取消
/// (cancelled).
pub fn outcomes(n: u8, k: u8) -> Vec<CopyOutcome> {
    (1..=n)
        .map(|copy| CopyOutcome {
            copy,
            outcome: if copy <= k {
                Outcome::Confirmed
            } else {
                Outcome::Cancelled
            },
        })
        .collect()
}

/// Report the outcome of `issuance`'s copies; the answer becomes the last answer.
/// Returns whether the candidate accepted it.
pub async fn report(
    world: &mut KofuWorld,
    issuance: &kofu_profile::issuance::Issuance,
    copies: Vec<CopyOutcome>,
) -> bool {
    let code = world.municipality_code();
    let report = OutcomeReport {
        reported_at: world.reception_time(),
        copies,
    };
    let reply = world
        .center()
        .report_outcome(&code, &issuance.issuance_id, &report)
        .await;
    keep(world, reply).is_some()
}

#[when(expr = "すべての部数の印刷を確定として報告する")]
async fn confirm_all(world: &mut KofuWorld) {
    let issuance = last(world);
    report(world, &issuance, outcomes(issuance.copies, issuance.copies)).await;
}

#[when(expr = "{int} 通目までを確定、残りを取消として報告する")]
async fn confirm_until(world: &mut KofuWorld, k: u8) {
    let issuance = last(world);
    report(world, &issuance, outcomes(issuance.copies, k)).await;
}

/// The candidate's records of the last issuance, read for the JST business date of
/// the scenario's reception time. More than one means a duplicated record.
async fn records_of_last(world: &mut KofuWorld) -> Vec<IssuanceRecord> {
    let issuance = last(world);
    let code = world.municipality_code();
    let day = kofu_profile::time::jst_date(&world.reception_time());
    let reply = world.center().records(&code, day, day).await;
    let Some(records) = keep(world, reply) else {
        fail(
            "records: the candidate returned no records",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        );
    };
    records
        .records
        .into_iter()
        .filter(|r| r.request_id == issuance.request_id)
        .collect()
}

/// The one record of the last issuance; its absence fails the step.
async fn record_of_last(world: &mut KofuWorld) -> IssuanceRecord {
    let day = kofu_profile::time::jst_date(&world.reception_time());
    match records_of_last(world).await.into_iter().next() {
        Some(r) => r,
        None => fail(
            "records: the issuance is missing from the records of its business date (JST)",
            format!(
                "request id {} not among the records for {day}",
                last(world).request_id
            ),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "記録の確定部数は {int} で交付手数料は {int} 円である")]
async fn record_totals(world: &mut KofuWorld, confirmed: u8, fee: u32) {
    let record = record_of_last(world).await;
    expect_eq(
        "records: confirmed copies and 交付手数料 of confirmed copies",
        &(confirmed, fee),
        &(record.confirmed_copies, record.fee_confirmed),
        &world.evidence_dir,
    );
}

#[then(expr = "記録は {int} 件だけである")]
async fn record_count(world: &mut KofuWorld, n: usize) {
    let ours = records_of_last(world).await.len();
    expect_eq(
        "records: one request id must leave exactly one record",
        &n,
        &ours,
        &world.evidence_dir,
    );
}

#[then(expr = "記録の各部数の状態は {string} である")]
async fn record_copy_states(world: &mut KofuWorld, states: String) {
    let record = record_of_last(world).await;
    let actual: Vec<CopyState> = record.copy_states;
    let expected: Vec<CopyState> = states
        .split(',')
        .map(|s| {
            serde_json::from_value(serde_json::Value::String(s.trim().to_owned()))
                .unwrap_or_else(|_| panic!("unknown copy state `{s}` in the scenario"))
        })
        .collect();
    expect_eq(
        "records: the state of each copy (確定 = confirmed, 取消 = cancelled)",
        &expected,
        &actual,
        &world.evidence_dir,
    );
}
