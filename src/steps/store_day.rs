//! 実店舗試験 steps: a seeded business day across every operator's terminals, run
//! concurrently through the mock center, then closed: statements reconciled three ways
//! to the yen, written to `reports/<run-id>/settlement/`, and compared with the
//! reviewed snapshot of the day.

use std::collections::BTreeSet;
use std::sync::Arc;

use cucumber::{given, then, when};
use serde::Serialize;

use super::params::Date;
use super::settlement::reconcile::{expect_reconciled, gather_ledgers};
use crate::checks::settlement;
use crate::checks::{expect_eq, fail, snapshot};
use crate::terminal::store_day::{self, DayTally};
use crate::world::KofuWorld;

fn tally(world: &KofuWorld) -> DayTally {
    match &world.store_day.tally {
        Some(t) => t.clone(),
        None => fail(
            "store trial: the day has not been run",
            "run the day first (…来店を同時に受け付ける)",
            &world.evidence_dir,
        ),
    }
}

#[given(expr = "実店舗試験の営業日は {date}、乱数の種は {int} である")]
fn day(world: &mut KofuWorld, date: Date, seed: u64) {
    world.store_day.plan = Some((date.0, seed));
}

/// The day's business date, seed, fixtures and its own test JPKI (PIN typos during the
/// day never lock a card another scenario uses).
pub(super) struct DayReady {
    pub date: chrono::NaiveDate,
    pub seed: u64,
    pub fixtures: Arc<kofu_fixtures::Fixtures>,
    pub jpki: kofu_mock_center::jpki::TestJpki,
}

pub(super) fn day_ready(world: &KofuWorld) -> DayReady {
    let Some((date, seed)) = world.store_day.plan else {
        fail(
            "store trial: no business date and seed",
            "set them first (実店舗試験の営業日は …)",
            &world.evidence_dir,
        );
    };
    let fixtures = world.rig().fixtures.clone();
    let jpki = match kofu_mock_center::jpki::TestJpki::generate(&fixtures) {
        Ok(j) => j,
        Err(e) => panic!("the test JPKI failed: {}", crate::steps::error_chain(&e)),
    };
    DayReady {
        date,
        seed,
        fixtures,
        jpki,
    }
}

#[when(expr = "すべての事業者の全端末で1台あたり {int} 人の来店を同時に受け付ける")]
async fn run_day(world: &mut KofuWorld, per_terminal: usize) {
    let DayReady {
        date,
        seed,
        fixtures,
        jpki,
    } = day_ready(world);
    let plan = store_day::plan(&fixtures, date, seed, per_terminal);
    let journal = world.kiosk.journal.clone();
    let link = world.center_link();
    let result = store_day::run(&plan, &link, &jpki, &fixtures, &journal).await;
    tracing::info!(
        visits = result.visits,
        issued = result.issued,
        "store trial day done"
    );
    world.store_day.tally = Some(result);
}

#[then(expr = "{int} 件以上の交付があり、{int} 社以上の事業者の端末が使われる")]
fn volume(world: &mut KofuWorld, issued: usize, operators: usize) {
    let t = tally(world);
    if t.issued < issued || t.issued_by_operator.len() < operators {
        fail(
            &format!(
                "store trial: at least {issued} issuances across at least {operators} operators"
            ),
            format!(
                "{} issuances of {} visits; by operator {:?}; refused cards {}, nothing offered {}, anomalies {:?}",
                t.issued,
                t.visits,
                t.issued_by_operator,
                t.cards_refused,
                t.nothing_offered,
                t.anomalies
            ),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "市区町村が提供するすべての種類の証明書が交付される")]
fn every_type(world: &mut KofuWorld) {
    let t = tally(world);
    let offered: BTreeSet<String> = world
        .rig()
        .candidate
        .municipalities
        .iter()
        .flat_map(|m| {
            m.certificates
                .iter()
                .map(|c| c.certificate.code().to_owned())
        })
        .collect();
    let issued = t.types();
    let missing: Vec<&String> = offered.difference(&issued).collect();
    expect_eq(
        "store trial: every certificate type the municipality profiles offer is issued during the day",
        &Vec::<&String>::new(),
        &missing,
        &world.evidence_dir,
    );
}

#[then(expr = "カードの拒否、印刷の失敗、支払い前の取消、時間切れがどれも起きる")]
fn mixed(world: &mut KofuWorld) {
    let t = tally(world);
    let kinds = [
        ("cards refused", t.cards_refused),
        ("print failures", t.print_failures),
        ("cancelled before payment", t.cancelled_before_payment),
        ("walked away", t.timed_out),
    ];
    let none: Vec<&str> = kinds
        .iter()
        .filter(|(_, n)| *n == 0)
        .map(|(k, _)| *k)
        .collect();
    expect_eq(
        "store trial: the day mixes refusals, print failures, cancels and timeouts",
        &Vec::<&str>::new(),
        &none,
        &world.evidence_dir,
    );
}

#[then(expr = "候補サーバは自らのメニューにある請求をすべて交付し、すべての印刷結果を受け取る")]
fn no_anomalies(world: &mut KofuWorld) {
    let t = tally(world);
    expect_eq(
        "store trial: what the candidate's menu offers is issued, and every outcome report is taken",
        &Vec::<String>::new(),
        &t.anomalies,
        &world.evidence_dir,
    );
}

#[then(
    expr = "閉店後、営業日の売上ジャーナル・交付センターの台帳・候補サーバの記録が {int} 件以上の取引で一円まで一致する"
)]
async fn close_day(world: &mut KofuWorld, at_least: usize) {
    let Some((date, _)) = world.store_day.plan else {
        fail(
            "store trial: no business date",
            "set it first",
            &world.evidence_dir,
        );
    };
    let dir = world.rig().run_dir.join("settlement");
    let (r, written) = match world.store_day.closing.take() {
        // The load phase closed its days as they ended and wrote their journal lines then.
        Some(closing) => {
            let r = closing.finish(&world.rig().fixtures);
            let written = settlement::report::write_statements(&dir, &r);
            (r, written)
        }
        None => {
            let entries = world.kiosk.journal.entries();
            let ledgers = gather_ledgers(world, &entries, date, date, None).await;
            let r = settlement::reconcile(&world.rig().fixtures, &ledgers);
            let written = settlement::report::write_report(&dir, &r, &entries);
            (r, written)
        }
    };
    if let Err(e) = written {
        fail(
            "store trial: the settlement report must be written",
            crate::steps::error_chain(&e),
            &world.evidence_dir,
        );
    }
    expect_reconciled(world, &r, &dir);
    if r.transactions < at_least {
        fail(
            &format!("store trial: at least {at_least} transactions must be reconciled"),
            format!("{} reconciled", r.transactions),
            &world.evidence_dir,
        );
    }
    world.store_day.reconciliation = Some(r);
}

#[derive(Serialize)]
struct DaySnapshot<'a> {
    date: String,
    seed: u64,
    visits: usize,
    issued: usize,
    printed_copies: u64,
    cards_refused: usize,
    nothing_offered: usize,
    print_failures: usize,
    cancelled_before_payment: usize,
    timed_out: usize,
    day_statements: &'a [kofu_mock_center::ledger::Statement],
    month_statements: &'a [kofu_mock_center::ledger::Statement],
}

#[then(expr = "営業日の清算書はレビュー済みのスナップショットと一致する")]
fn day_snapshot(world: &mut KofuWorld) {
    let t = tally(world);
    let Some(r) = world.store_day.reconciliation.clone() else {
        fail(
            "store trial: the day was not closed",
            "close the day first (閉店後、…)",
            &world.evidence_dir,
        );
    };
    let (date, seed) = world.store_day.plan.unwrap_or_default();
    let body = serde_json::to_string_pretty(&DaySnapshot {
        date: date.to_string(),
        seed,
        visits: t.visits,
        issued: t.issued,
        printed_copies: t.printed_copies,
        cards_refused: t.cards_refused,
        nothing_offered: t.nothing_offered,
        print_failures: t.print_failures,
        cancelled_before_payment: t.cancelled_before_payment,
        timed_out: t.timed_out,
        day_statements: &r.day_statements,
        month_statements: &r.month_statements,
    })
    .unwrap_or_default();
    let rig: Arc<_> = world.rig().clone();
    let location = snapshot::Location::new(
        &rig.fixtures.root.join("snapshots"),
        &rig.candidate.snapshot_key(),
        &world.evidence_dir,
        1,
    );
    let description = format!(
        "{}: closing statements of the store-trial day {date}, seed {seed}",
        location.name
    );
    super::snapshot::compare(world, &location, &description, &body);
}
