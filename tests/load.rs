//! `kofu load` over several business days, as a vendor sizes a candidate: each day is
//! closed (reconciled three ways) as it ends and its journal lines written out, and the
//! closing step judges every day, so a settlement defect on any day still fails the run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const KOFU: &str = env!("CARGO_BIN_EXE_kofu");

/// `kofu load` over three small days (one lane: about 110 visits a day, so the three
/// days together pass the phase's 300-transaction floor); its exit code and run folder.
fn three_days(reports: &Path, defects: &[&str]) -> (Option<i32>, PathBuf) {
    let mut cmd = Command::new(KOFU);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["load", "--days", "3", "--lanes", "1", "--report-dir"])
        .arg(reports);
    for d in defects {
        cmd.args(["--defect", d]);
    }
    let out = cmd.output().expect("kofu load runs");
    let runs: Vec<PathBuf> = std::fs::read_dir(reports)
        .expect("the report folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(
        runs.len(),
        1,
        "one run folder; stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), runs[0].clone())
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn every_day_of_a_multi_day_load_is_closed_and_its_journal_kept() {
    let reports = tempfile::tempdir().expect("tempdir");
    let (code, run) = three_days(reports.path(), &[]);
    assert_eq!(code, Some(kofu::exit::PASSED));
    let load = json(&run.join("load.json"));
    assert_eq!(load["days"], 3);
    let issued = load["figures"]["issued"].as_u64().expect("issued");
    assert!(issued >= 300, "{issued}");

    let settlement = run.join("settlement");
    let journal = std::fs::read_to_string(settlement.join("journal.csv")).expect("journal.csv");
    let mut lines = journal.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("operator_code,")),
        "one header first"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len() as u64, issued, "one journal line per issuance");
    assert!(rows.iter().all(|r| !r.starts_with("operator_code,")));

    let days: BTreeSet<String> = json(&settlement.join("statements-day.json"))
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s["period"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(days.len(), 3, "{days:?}");
    let differences = json(&settlement.join("differences.json"));
    assert_eq!(differences.as_array().map(Vec::len), Some(0));
}

#[test]
fn a_settlement_defect_on_a_closed_day_fails_the_load() {
    let reports = tempfile::tempdir().expect("tempdir");
    let (code, run) = three_days(reports.path(), &["fee-for-cancelled-copy"]);
    assert_eq!(code, Some(kofu::exit::FAILED));
    let differences = json(&run.join("settlement").join("differences.json"));
    let differences = differences.as_array().expect("a list");
    assert!(
        differences.iter().any(|d| d["field"]
            .as_str()
            .is_some_and(|f| f.contains("fee_confirmed"))),
        "{differences:?}"
    );
}
