//! What must hold after a fault: how often a call reached the candidate, the one record
//! of each transaction with its copies' states and fee, nothing printed or charged for
//! a transaction the terminal gave up on, no late answer handed to anyone, and a slow
//! line's latency kept as evidence. Records are read from the candidate directly, never
//! through the faulty line.

use cucumber::then;
use kofu_fault_injector::EventKind;
use kofu_mock_center::client::Reply;
use kofu_mock_center::ledger::LedgerTransaction;
use kofu_profile::outcome::CopyState;
use kofu_profile::records::IssuanceRecord;

use super::Exchange;
use crate::checks::{expect_eq, fail};
use crate::rig::IssuedVia;
use crate::world::KofuWorld;

/// Write the injector's timeline into the scenario's evidence, and audit every issuance
/// the scenario's center received but never printed (cancellation resends).
pub fn save_timeline(world: &mut KofuWorld) -> String {
    let Some(network) = &world.faults.network else {
        return String::new();
    };
    let text = network.injector.render_timeline();
    let json = serde_json::to_string_pretty(&network.injector.timeline()).unwrap_or_default();
    let _ = std::fs::create_dir_all(&world.evidence_dir);
    let _ = std::fs::write(world.evidence_dir.join("fault-timeline.txt"), &text);
    let _ = std::fs::write(world.evidence_dir.join("fault-timeline.json"), json);
    let unprinted = network.center.state.unprinted_issuances();
    let rig = world.rig().clone();
    for u in unprinted.iter().skip(world.faults.audited_unprinted) {
        rig.audit()
            .received(IssuedVia::Center, &u.municipality, &u.request, &u.issuance);
    }
    world.faults.audited_unprinted = unprinted.len();
    text
}

/// The scenario center's transactions on the scene's business day, oldest first.
fn transactions(world: &KofuWorld) -> Vec<LedgerTransaction> {
    let day = kofu_profile::time::jst_date(&world.reception_time());
    match world.center_state().transactions(day, day) {
        Ok(t) => t,
        Err(e) => panic!(
            "the center's ledger failed: {}",
            crate::steps::error_chain(&e)
        ),
    }
}

/// The `n`-th (1-based) transaction of the scenario's center, or the last one.
fn transaction(world: &KofuWorld, n: Option<usize>) -> LedgerTransaction {
    let all = transactions(world);
    let found = match n {
        Some(n) => all.get(n.saturating_sub(1)).cloned(),
        None => all.last().cloned(),
    };
    found.unwrap_or_else(|| {
        fail(
            "faults: the center has no such transaction",
            format!("asked for {n:?}; the center's ledger has {}", all.len()),
            &world.evidence_dir,
        )
    })
}

/// The candidate's records of `tx`, read directly for its business day.
async fn records_of(world: &KofuWorld, tx: &LedgerTransaction) -> Vec<IssuanceRecord> {
    let day = kofu_profile::time::jst_date(&world.reception_time());
    records_of_request(world, &tx.municipality, day, &tx.request_id).await
}

/// The candidate's records of one request id on a business day, read directly (never
/// through the faulty line).
pub(super) async fn records_of_request(
    world: &KofuWorld,
    municipality: &str,
    day: chrono::NaiveDate,
    request_id: &str,
) -> Vec<IssuanceRecord> {
    let client = world.rig().candidate_client(&world.evidence_dir);
    match client.records(municipality, day, day).await {
        Ok(Reply::Ok { value, .. }) => value
            .records
            .into_iter()
            .filter(|r| r.request_id.to_string() == request_id)
            .collect(),
        other => fail(
            "records: the candidate must answer its issuance records",
            format!("{other:?}"),
            &world.evidence_dir,
        ),
    }
}

/// The one record of a transaction, whatever the faults did to its requests.
async fn one_record(
    world: &mut KofuWorld,
    n: Option<usize>,
) -> (LedgerTransaction, IssuanceRecord) {
    let timeline = save_timeline(world);
    let tx = transaction(world, n);
    let records = records_of(world, &tx).await;
    match records.as_slice() {
        [one] => {
            if let Some(id) = &tx.issuance_id
                && *id != one.issuance_id
            {
                fail(
                    "faults: the record is not of the issuance the center received (a resend was answered with another issuance)",
                    format!(
                        "center: {id}, record: {}\ntimeline:\n{timeline}",
                        one.issuance_id
                    ),
                    &world.evidence_dir,
                );
            }
            (tx, one.clone())
        }
        [] => fail(
            "faults: the transaction is missing from the candidate's records",
            format!("request id {}\ntimeline:\n{timeline}", tx.request_id),
            &world.evidence_dir,
        ),
        many => fail(
            "faults: a resend created a second issuance: one request id must have exactly one record",
            format!(
                "request id {}: {} records ({})\ntimeline:\n{timeline}",
                tx.request_id,
                many.len(),
                many.iter()
                    .map(|r| r.issuance_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            &world.evidence_dir,
        ),
    }
}

fn counts(record: &IssuanceRecord) -> (usize, usize, usize, u32) {
    let n = |s: CopyState| record.copy_states.iter().filter(|c| **c == s).count();
    (
        n(CopyState::Confirmed),
        n(CopyState::Cancelled),
        n(CopyState::Pending),
        record.fee_confirmed,
    )
}

#[then(expr = "候補サーバには {exchange} が {int} 回届く")]
fn reached(world: &mut KofuWorld, exchange: Exchange, times: usize) {
    let timeline = save_timeline(world);
    let Some(network) = &world.faults.network else {
        fail(
            "faults: the scenario has no faulty line",
            "start it first (交付センターと候補サーバの間には障害を起こせる回線がある)",
            &world.evidence_dir,
        );
    };
    let forwarded = network
        .injector
        .timeline()
        .iter()
        .filter(|e| {
            matches!(e.kind, EventKind::Forwarded)
                && e.path
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .ends_with(exchange.0)
        })
        .count();
    if forwarded != times {
        fail(
            &format!(
                "faults: the center must send the {} {times} times (the profile's resends)",
                exchange.0
            ),
            format!("it reached the candidate {forwarded} times\ntimeline:\n{timeline}"),
            &world.evidence_dir,
        );
    }
}

#[then(
    expr = "この取引の交付記録は一件だけで、{int} 通が確定、{int} 通が取消、手数料は {int} 円である"
)]
async fn settled(world: &mut KofuWorld, confirmed: usize, cancelled: usize, fee: u32) {
    let (_, record) = one_record(world, None).await;
    expect_eq(
        "records: one outcome per copy after the resends (確定, 取消, 未確定) and 交付手数料 of confirmed copies",
        &(confirmed, cancelled, 0, fee),
        &counts(&record),
        &world.evidence_dir,
    );
}

#[then(expr = "{int} 番目の取引の交付記録は一件だけで、全部数が取消、手数料は 0 円である")]
async fn nth_cancelled(world: &mut KofuWorld, n: usize) {
    let (tx, record) = one_record(world, Some(n)).await;
    expect_eq(
        "records: a transaction the terminal gave up on has every copy 取消 and costs nothing",
        &(0, usize::from(tx.copies), 0, 0),
        &counts(&record),
        &world.evidence_dir,
    );
}

#[then(expr = "この取引の交付記録は一件だけで、全部数が取消、手数料は 0 円である")]
async fn cancelled(world: &mut KofuWorld) {
    let (tx, record) = one_record(world, None).await;
    expect_eq(
        "records: a transaction the terminal gave up on has every copy 取消 and costs nothing",
        &(0, usize::from(tx.copies), 0, 0),
        &counts(&record),
        &world.evidence_dir,
    );
}

#[then(expr = "この取引の交付記録は一件だけで、全部数が未確定、手数料は 0 円である")]
async fn unsettled(world: &mut KofuWorld) {
    let (tx, record) = one_record(world, None).await;
    expect_eq(
        "records: a copy no outcome report named stays pending (未確定) and costs nothing",
        &(0, 0, usize::from(tx.copies), 0),
        &counts(&record),
        &world.evidence_dir,
    );
}

#[then(expr = "端末は何も印刷せず、料金も受け取らない")]
fn nothing_printed(world: &mut KofuWorld) {
    save_timeline(world);
    let session = world.kiosk.session.as_ref();
    let issued = session.and_then(|s| s.issued()).is_some();
    let receipt = session.and_then(|s| s.receipt()).is_some();
    let sold: u32 = world.kiosk.journal.entries().iter().map(|e| e.paid).sum();
    if issued || receipt || sold > 0 {
        fail(
            "terminal: a transaction the center gave up on must print nothing and take no money",
            format!("issued to the terminal: {issued}, receipt: {receipt}, paid: {sold} 円"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "待ち時間を過ぎた応答は誰にも渡らない")]
fn late_answers_discarded(world: &mut KofuWorld) {
    let timeline = save_timeline(world);
    let Some(network) = &world.faults.network else {
        return;
    };
    let events = network.injector.timeline();
    let held: Vec<u64> = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Fault(f) if f.contains("held until")))
        .map(|e| e.exchange)
        .collect();
    let delivered_late = events
        .iter()
        .filter(|e| held.contains(&e.exchange) && matches!(e.kind, EventKind::Delivered { .. }))
        .count();
    if held.is_empty() || delivered_late > 0 {
        fail(
            "faults: an answer held past the center's wait must never be delivered",
            format!(
                "{} held, {delivered_late} of them delivered\ntimeline:\n{timeline}",
                held.len()
            ),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "どの呼び出しも待ち時間内に答えられ、応答時間が証跡に残る")]
fn within_wait(world: &mut KofuWorld) {
    let timeline = save_timeline(world);
    let Some(network) = &world.faults.network else {
        return;
    };
    let events = network.injector.timeline();
    let late = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::LateAnswerDiscarded { .. } | EventKind::UpstreamFailed(_)
            )
        })
        .count();
    let failed: Vec<String> = transactions(world)
        .into_iter()
        .filter(|t| t.state == "failed")
        .map(|t| t.request_id)
        .collect();
    let latency = super::latency::report(&events);
    let _ = std::fs::write(world.evidence_dir.join("latency.txt"), &latency);
    if late > 0 || !failed.is_empty() {
        fail(
            "faults: a slow candidate within the center's wait must be answered on every call",
            format!(
                "{late} answers late or failed, transactions failed: {failed:?}\n{latency}\ntimeline:\n{timeline}"
            ),
            &world.evidence_dir,
        );
    }
}

#[then(
    expr = "交付センターが取り消した取引は {int} 件で、どれも候補サーバの記録で全部数が取消、手数料は 0 円である"
)]
async fn center_cancelled(world: &mut KofuWorld, n: usize) {
    let timeline = save_timeline(world);
    let sold: std::collections::BTreeSet<String> = world
        .kiosk
        .journal
        .entries()
        .iter()
        .map(|e| e.transaction_id.to_string())
        .collect();
    let cancelled: Vec<LedgerTransaction> = transactions(world)
        .into_iter()
        .filter(|t| t.issuance_id.is_some() && !sold.contains(&t.request_id))
        .collect();
    if cancelled.len() != n {
        fail(
            &format!("faults: the center must have given up on and cancelled {n} transactions"),
            format!(
                "it cancelled {}: {:?}\ntimeline:\n{timeline}",
                cancelled.len(),
                cancelled.iter().map(|t| &t.request_id).collect::<Vec<_>>()
            ),
            &world.evidence_dir,
        );
    }
    for tx in &cancelled {
        let records = records_of(world, tx).await;
        let states: Vec<_> = records.iter().map(counts).collect();
        expect_eq(
            "records: a transaction the center gave up on has one record, every copy 取消, no fee",
            &vec![(0, usize::from(tx.copies), 0, 0)],
            &states,
            &world.evidence_dir,
        );
    }
}

#[then(expr = "端末の印刷結果の報告は受け付けられる")]
fn report_taken(world: &mut KofuWorld) {
    let timeline = save_timeline(world);
    let error = world
        .kiosk
        .session
        .as_ref()
        .and_then(|s| s.report_error())
        .map(ToString::to_string);
    if let Some(e) = error {
        fail(
            "faults: a resent outcome report must be accepted (200 with the record), as the first one was",
            format!("the center reported: {e}\ntimeline:\n{timeline}"),
            &world.evidence_dir,
        );
    }
}
