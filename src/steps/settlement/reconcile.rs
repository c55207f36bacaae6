//! 三者照合 steps: the sales journal, the center's ledger and the candidate's records
//! gathered for a span of business dates and reconciled to the yen.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use cucumber::then;
use kofu_mock_center::client::Reply;

use crate::checks::fail;
use crate::checks::settlement::{self, Ledgers, Reconciliation};
use crate::world::KofuWorld;

/// The three ledgers for the JST business dates `from..=to`. With `only`, the
/// transactions outside that set are left out of every ledger (a scenario sharing the
/// day with others). Without it, every transaction of this run on those dates counts:
/// the journal's and the center's (its ledger is the run's own), so a record the
/// candidate kept from an earlier run never counts, while one the candidate made up or
/// lost in this run does.
pub async fn gather_ledgers(
    world: &KofuWorld,
    journal: &[crate::terminal::journal::JournalEntry],
    from: NaiveDate,
    to: NaiveDate,
    only: Option<&BTreeSet<String>>,
) -> Ledgers {
    let center = match world.center_state().transactions(from, to) {
        Ok(t) => t,
        Err(e) => panic!(
            "the center's ledger failed: {}",
            crate::steps::error_chain(&e)
        ),
    };
    let run_ids: BTreeSet<String> = journal
        .iter()
        .map(|e| e.transaction_id.to_string())
        .chain(center.iter().map(|t| t.request_id.clone()))
        .collect();
    let only = only.unwrap_or(&run_ids);
    let keep = |id: &String| only.contains(id);
    let client = world.candidate();
    let mut records = Vec::new();
    let codes: Vec<String> = world
        .rig()
        .candidate
        .municipalities
        .iter()
        .map(|m| m.code.clone())
        .collect();
    for code in codes {
        match client.records(&code, from, to).await {
            Ok(Reply::Ok { value, .. }) => records.extend(value.records),
            other => fail(
                "settlement: the candidate must answer its issuance records",
                format!("{code} {from}..{to}: {other:?}"),
                &world.evidence_dir,
            ),
        }
    }
    records.retain(|r| keep(&r.request_id.to_string()));
    let (candidate, record_differences) = settlement::from_records(&records);
    let mut journal = settlement::from_journal(journal);
    journal.retain(|id, _| keep(id));
    let mut center = settlement::from_ledger(&center);
    center.retain(|id, _| keep(id));
    Ledgers {
        journal,
        center,
        candidate,
        record_differences,
    }
}

/// Fail with the difference report when the ledgers disagree.
pub fn expect_reconciled(world: &KofuWorld, r: &Reconciliation, report: &std::path::Path) {
    if !r.differences.is_empty() {
        fail(
            &format!(
                "settlement: the sales journal, the center ledger and the candidate's records must agree to the yen ({} differences over {} transactions; report {})",
                r.differences.len(),
                r.transactions,
                report.display()
            ),
            settlement::report::render_differences(&r.differences, 25),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "売上ジャーナル・交付センターの台帳・候補サーバの記録が一円まで一致する")]
async fn three_way(world: &mut KofuWorld) {
    let entries = world.kiosk.journal.entries();
    if entries.is_empty() {
        fail(
            "settlement: nothing to reconcile: the sales journal is empty",
            format!("last refusal: {:?}", world.kiosk.refused),
            &world.evidence_dir,
        );
    }
    let ids: BTreeSet<String> = entries
        .iter()
        .map(|e| e.transaction_id.to_string())
        .collect();
    let from = entries
        .iter()
        .map(|e| e.business_date)
        .min()
        .unwrap_or_default();
    let to = entries
        .iter()
        .map(|e| e.business_date)
        .max()
        .unwrap_or_default();
    let ledgers = gather_ledgers(world, &entries, from, to, Some(&ids)).await;
    let r = settlement::reconcile(&world.rig().fixtures, &ledgers);
    let dir = world.evidence_dir.join("settlement");
    if let Err(e) = settlement::report::write_report(&dir, &r, &entries) {
        tracing::warn!(error = %crate::steps::error_chain(&e), "settlement report not written");
    }
    expect_reconciled(world, &r, &dir);
}
