//! 印刷結果 and 記録 steps: 確定 / 取消 per copy, and the candidate's issuance records
//! as settlement reads them.

use cucumber::{then, when};
use kofu_profile::outcome::{CopyOutcome, Outcome, OutcomeReport};

use super::keep;
use crate::checks::{expect_eq, fail};
use crate::world::KofuWorld;

fn last(world: &KofuWorld) -> kofu_profile::issuance::Issuance {
    match world.issuances.last() {
        Some((_, i)) => i.clone(),
        None => fail(
            "outcome: nothing was issued",
            format!("last answer: {:?}", world.last),
            &world.evidence_dir,
        ),
    }
}

async fn report(world: &mut KofuWorld, copies: Vec<CopyOutcome>) {
    let issuance = last(world);
    let code = world.municipality_code();
    let report = OutcomeReport {
        reported_at: world.reception_time(),
        copies,
    };
    let reply = world
        .center()
        .report_outcome(&code, &issuance.issuance_id, &report)
        .await;
    let _ = keep(world, reply);
}

#[when(expr = "すべての部数の印刷を確定として報告する")]
async fn confirm_all(world: &mut KofuWorld) {
    let n = last(world).copies;
    let copies = (1..=n)
        .map(|copy| CopyOutcome {
            copy,
            outcome: Outcome::Confirmed,
        })
        .collect();
    report(world, copies).await;
}

#[when(expr = "{int} 通目までを確定、残りを取消として報告する")]
async fn confirm_until(world: &mut KofuWorld, k: u8) {
    let n = last(world).copies;
    let copies = (1..=n)
        .map(|copy| CopyOutcome {
            copy,
            outcome: if copy <= k {
                Outcome::Confirmed
            } else {
                Outcome::Cancelled
            },
        })
        .collect();
    report(world, copies).await;
}

#[then(expr = "記録の確定部数は {int} で交付手数料は {int} 円である")]
async fn record_totals(world: &mut KofuWorld, confirmed: u8, fee: u32) {
    let issuance = last(world);
    let code = world.municipality_code();
    let day = kofu_profile::time::jst_date(&world.reception_time());
    let reply = world.center().records(&code, day, day).await;
    let Some(records) = keep(world, reply) else {
        fail(
            "records: the candidate returned no records",
            format!("last answer: {:?}", world.last),
            &world.evidence_dir,
        );
    };
    let record = records
        .records
        .iter()
        .find(|r| r.request_id == issuance.request_id)
        .unwrap_or_else(|| {
            fail(
                "records: the issuance is missing from the records of its business date (JST)",
                format!(
                    "request id {} not among {} records for {day}",
                    issuance.request_id,
                    records.records.len()
                ),
                &world.evidence_dir,
            )
        });
    expect_eq(
        "records: confirmed copies and 交付手数料 of confirmed copies",
        &(confirmed, fee),
        &(record.confirmed_copies, record.fee_confirmed),
        &world.evidence_dir,
    );
}

#[then(expr = "記録は {int} 件だけである")]
async fn record_count(world: &mut KofuWorld, n: usize) {
    let issuance = last(world);
    let code = world.municipality_code();
    let day = kofu_profile::time::jst_date(&world.reception_time());
    let reply = world.center().records(&code, day, day).await;
    let Some(records) = keep(world, reply) else {
        fail(
            "records: the candidate returned no records",
            format!("last answer: {:?}", world.last),
            &world.evidence_dir,
        );
    };
    let ours = records
        .records
        .iter()
        .filter(|r| r.request_id == issuance.request_id)
        .count();
    expect_eq(
        "records: one request id must leave exactly one record",
        &n,
        &ours,
        &world.evidence_dir,
    );
}

#[then(expr = "記録の各部数の状態は {string} である")]
async fn record_copy_states(world: &mut KofuWorld, states: String) {
    let issuance = last(world);
    let code = world.municipality_code();
    let day = kofu_profile::time::jst_date(&world.reception_time());
    let reply = world.center().records(&code, day, day).await;
    let Some(records) = keep(world, reply) else {
        fail(
            "records: the candidate returned no records",
            format!("last answer: {:?}", world.last),
            &world.evidence_dir,
        );
    };
    let actual: Option<Vec<String>> = records
        .records
        .iter()
        .find(|r| r.request_id == issuance.request_id)
        .map(|r| {
            r.copy_states
                .iter()
                .map(|s| {
                    serde_json::to_value(s)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                })
                .collect()
        });
    let expected: Vec<String> = states.split(',').map(|s| s.trim().to_owned()).collect();
    expect_eq(
        "records: the state of each copy (確定 = confirmed, 取消 = cancelled)",
        &Some(expected),
        &actual,
        &world.evidence_dir,
    );
}
