//! 印刷結果 steps: the print outcome of the last issuance reported to the candidate,
//! 確定 (confirmed) or 取消 (cancelled) per copy, once or again.

use cucumber::{then, when};
use kofu_profile::outcome::{CopyOutcome, Outcome, OutcomeReport};

use crate::checks::fail;
use crate::steps::keep;
use crate::world::{KofuWorld, LastAnswer};

/// The last issuance the candidate answered; none fails the step.
pub fn last(world: &KofuWorld) -> kofu_profile::issuance::Issuance {
    match world.answers.issuances.last() {
        Some((_, i)) => i.clone(),
        None => fail(
            "outcome: nothing was issued",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
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
    report_for(world, &issuance.issuance_id, copies).await;
    matches!(world.answers.last, Some(LastAnswer::Ok { .. }))
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

/// Copy numbers as the scenario writes them: `"1,2"`, `"1,1"`, `"0"`, or `""` for a
/// report naming no copy.
fn copy_numbers(list: &str) -> Vec<u8> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .unwrap_or_else(|_| panic!("`{s}` is not a copy number in the scenario"))
        })
        .collect()
}

fn confirmed(copies: &[u8]) -> Vec<CopyOutcome> {
    copies
        .iter()
        .map(|&copy| CopyOutcome {
            copy,
            outcome: Outcome::Confirmed,
        })
        .collect()
}

/// Report `copies` for the issuance id `issuance_id`; the answer becomes the last answer.
async fn report_for(world: &mut KofuWorld, issuance_id: &str, copies: Vec<CopyOutcome>) {
    let code = world.municipality_code();
    let report = OutcomeReport {
        reported_at: world.reception_time(),
        copies,
    };
    let reply = world
        .candidate()
        .report_outcome(&code, issuance_id, &report)
        .await;
    keep(world, reply);
}

#[when(expr = "部数 {string} を確定として報告する")]
async fn confirm_copies(world: &mut KofuWorld, list: String) {
    let issuance = last(world);
    report(world, &issuance, confirmed(&copy_numbers(&list))).await;
}

#[when(expr = "{int} 通目を確定、{int} 通目を取消として報告する")]
async fn confirm_and_cancel(world: &mut KofuWorld, confirm: u8, cancel: u8) {
    let issuance = last(world);
    let copies = vec![
        CopyOutcome {
            copy: confirm,
            outcome: Outcome::Confirmed,
        },
        CopyOutcome {
            copy: cancel,
            outcome: Outcome::Cancelled,
        },
    ];
    report(world, &issuance, copies).await;
}

/// An issuance id of the profile's form that no server has given: a fresh UUID.
#[when(expr = "知らない交付IDに部数 {string} を確定として報告する")]
async fn report_unknown(world: &mut KofuWorld, list: String) {
    let issuance_id = format!("I-unknown-{}", uuid::Uuid::new_v4());
    report_for(world, &issuance_id, confirmed(&copy_numbers(&list))).await;
}

#[then(expr = "印刷結果の報告は受け付けられる")]
fn report_accepted(world: &mut KofuWorld) {
    if !matches!(world.answers.last, Some(LastAnswer::Ok { status: 200, .. })) {
        fail(
            "outcome: reporting an outcome a copy already has must be accepted (200) and change nothing",
            format!("answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    }
}
