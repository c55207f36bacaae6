//! Waivers, reruns and shards of `kofu run`, and `kofu report merge`, on runs of the
//! embedded reference server with a small selection (`@phase-connection`), a defect
//! switch forcing failures where a test needs them. Every report is checked with the
//! tools CI reporters use (see `tests/report_checks`).

mod report_checks;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kofu::report::merge::MergeError;
use kofu::{RunOutcome, exit};
use report_checks::*;

const SELECTION: &str = "@phase-connection";
const DEFECT: &str = "mtls-not-enforced";

async fn run_with(
    reports: &Path,
    defects: &[&str],
    edit: impl FnOnce(&mut kofu::RunOptions),
) -> RunOutcome {
    let mut opts = options(reports, embedded(defects), SELECTION);
    edit(&mut opts);
    kofu::run(opts).await.expect("the report is written")
}

/// `(feature, line)` of every scenario of a summary.json, with its verdict.
fn scenarios(s: &serde_json::Value) -> Vec<(String, u64, String)> {
    s["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|sc| {
            (
                sc["feature"].as_str().unwrap().to_owned(),
                sc["line"].as_u64().unwrap(),
                sc["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn failed_keys(s: &serde_json::Value) -> BTreeSet<(String, u64)> {
    scenarios(s)
        .into_iter()
        .filter(|(_, _, v)| matches!(v.as_str(), "failed" | "recorded" | "error"))
        .map(|(f, l, _)| (f, l))
        .collect()
}

fn waiver(scenario: &str, expires: &str) -> String {
    format!(
        "[[waiver]]\nscenario = \"{scenario}\"\nreason = \"vendor ticket ACME-123: fixed in 2.1\"\nowner = \"qa@acme.example\"\nexpires = \"{expires}\"\n\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[tokio::test]
async fn waived_failures_pass_the_run_and_are_reported_waived_everywhere() {
    let reports = tempfile::tempdir().expect("tempdir");
    let failing = run_with(reports.path(), &[DEFECT], |_| {}).await;
    assert_eq!(failing.exit_code, exit::FAILED);
    let first = summary(&failing.run_dir);
    let failed: Vec<_> = failing
        .summary
        .scenarios
        .iter()
        .filter(|s| s.verdict == kofu::report::Verdict::Failed)
        .collect();
    assert!(!failed.is_empty());
    // One by `<feature>:<line>`, the others by their report id.
    let mut file = String::new();
    for (i, s) in failed.iter().enumerate() {
        let name = if i == 0 {
            format!("{}:{}", s.feature, s.line)
        } else {
            s.id.clone()
        };
        file.push_str(&waiver(&name, "2999-12-31"));
    }
    let waivers = write(reports.path(), "waivers.toml", &file);

    let waived = run_with(reports.path(), &[DEFECT], |o| o.waivers = Some(waivers)).await;
    assert_eq!(
        waived.exit_code,
        exit::PASSED,
        "{}",
        waived.summary.render()
    );
    let s = check_all(&waived.run_dir);
    assert_eq!(count(&s, "waived"), failed.len() as u64);
    assert_eq!(count(&s, "failed"), 0);
    assert_eq!(count(&s, "passed"), count(&first, "passed"));
    assert!(s["stale_waivers"].as_array().unwrap().is_empty());
    let sc = s["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sc| sc["verdict"] == "waived")
        .expect("a waived scenario");
    assert_eq!(sc["waiver"]["owner"], "qa@acme.example");
    assert!(
        sc["message"].as_str().is_some(),
        "the failure is kept: {sc}"
    );

    let junit = std::fs::read_to_string(waived.run_dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<skipped message=\"waived: vendor ticket ACME-123: fixed in 2.1 (qa@acme.example, until 2999-12-31)\" type=\"waived\">"),
        "{junit}"
    );
    let cucumber = std::fs::read_to_string(waived.run_dir.join("cucumber.json")).unwrap();
    assert!(
        cucumber.contains("waived: vendor ticket ACME-123"),
        "the waiver is in the scenario's description"
    );
    let closing = waived.summary.closing_line();
    assert!(
        closing.ends_with(&format!(", {} waived", failed.len())),
        "{closing}"
    );
    assert!(waived.summary.render().contains("WAIVED ["));
}

#[tokio::test]
async fn expired_unmatched_and_passing_waivers_fail_the_run() {
    let reports = tempfile::tempdir().expect("tempdir");
    let passing = run_with(reports.path(), &[], |_| {}).await;
    assert_eq!(passing.exit_code, exit::PASSED);
    let passed: Vec<_> = passing
        .summary
        .scenarios
        .iter()
        .filter(|s| s.verdict == kofu::report::Verdict::Passed)
        .collect();
    let (some, other) = (passed[0], passed[1]);
    let file = [
        waiver(&format!("{}:{}", some.feature, some.line), "2020-01-31"),
        waiver("01-connection/nowhere.feature:1", "2999-12-31"),
        waiver(&format!("{}:{}", other.feature, other.line), "2999-12-31"),
    ]
    .concat();
    let waivers = write(reports.path(), "stale.toml", &file);
    let outcome = run_with(reports.path(), &[], |o| o.waivers = Some(waivers)).await;
    assert_eq!(
        outcome.exit_code,
        exit::FAILED,
        "{}",
        outcome.summary.render()
    );
    let s = check_all(&outcome.run_dir);
    let stale: Vec<String> = outcome
        .summary
        .stale_waivers
        .iter()
        .map(|w| w.message())
        .collect();
    assert_eq!(stale.len(), 3, "{stale:?}");
    assert!(
        stale[0].starts_with("stale waiver for ") && stale[0].contains("expired on 2020-01-31")
    );
    assert!(stale[1].contains("nowhere.feature:1") && stale[1].contains("matches no scenario"));
    assert!(
        stale[2].contains("did not fail (it is passed)"),
        "{}",
        stale[2]
    );
    assert_eq!(count(&s, "errors"), 3);
    assert!(
        outcome
            .summary
            .closing_line()
            .ends_with("3 failed, 0 skipped, 0 waived")
    );
    let junit = std::fs::read_to_string(outcome.run_dir.join("junit.xml")).unwrap();
    assert!(junit.contains("type=\"stale-waiver\""), "{junit}");

    // A file that is not of the waivers' shape is a setup error.
    let bad = write(
        reports.path(),
        "bad.toml",
        "[[waiver]]\nscenario = \"a:1\"\nreason = \"r\"\nowner = \"o\"\nexpires = \"2999-12-31\"\nticket = \"X\"\n",
    );
    let outcome = run_with(reports.path(), &[], |o| o.waivers = Some(bad)).await;
    assert_eq!(outcome.exit_code, exit::SETUP);
    let reason = outcome.summary.reason.clone().unwrap_or_default();
    assert!(
        reason.contains("bad.toml") && reason.contains("ticket"),
        "{reason}"
    );
}

#[tokio::test]
async fn rerun_failed_runs_exactly_the_failed_scenarios() {
    let reports = tempfile::tempdir().expect("tempdir");
    let failing = run_with(reports.path(), &[DEFECT], |_| {}).await;
    let before = summary(&failing.run_dir);
    let failed = failed_keys(&before);
    assert!(!failed.is_empty());
    let dir = failing.run_dir.clone();
    let rerun = run_with(reports.path(), &[DEFECT], |o| o.rerun_failed = Some(dir)).await;
    assert_eq!(rerun.exit_code, exit::FAILED);
    let s = check_all(&rerun.run_dir);
    let ran: BTreeSet<(String, u64)> = scenarios(&s).into_iter().map(|(f, l, _)| (f, l)).collect();
    assert_eq!(ran, failed);

    // A run where nothing failed has nothing to rerun: exit 2, never a silent green.
    let passing = run_with(reports.path(), &[], |_| {}).await;
    let dir = passing.run_dir.clone();
    let none = run_with(reports.path(), &[], |o| o.rerun_failed = Some(dir)).await;
    assert_eq!(none.exit_code, exit::SETUP);
    let reason = none.summary.reason.clone().unwrap_or_default();
    assert!(reason.contains("no scenario failed"), "{reason}");
}

#[tokio::test]
async fn shards_partition_the_selection_and_merge_into_the_whole_run() {
    let reports = tempfile::tempdir().expect("tempdir");
    let whole = run_with(reports.path(), &[DEFECT], |_| {}).await;
    let whole_s = summary(&whole.run_dir);
    let mut dirs = Vec::new();
    let mut seen: BTreeSet<(String, u64)> = BTreeSet::new();
    for k in 1..=3 {
        let shard = format!("{k}/3").parse().expect("shard");
        let outcome = run_with(reports.path(), &[DEFECT], |o| o.shard = Some(shard)).await;
        let s = check_all(&outcome.run_dir);
        let part = scenarios(&s);
        assert!(!part.is_empty(), "shard {k}/3 is empty");
        for (f, l, _) in part {
            assert!(seen.insert((f.clone(), l)), "{f}:{l} is in two shards");
        }
        dirs.push(outcome.run_dir);
    }
    let all: BTreeSet<(String, u64)> = scenarios(&whole_s)
        .into_iter()
        .map(|(f, l, _)| (f, l))
        .collect();
    assert_eq!(seen, all, "the shards hold the selection exactly");

    let merged = reports.path().join("merged");
    let features = repo("features");
    let m = kofu::report::merge::merge(&dirs, &merged, &features).expect("merges");
    let s = check_all(&merged);
    for key in ["tests", "passed", "failed", "errors", "skipped", "recorded"] {
        assert_eq!(count(&s, key), count(&whole_s, key), "{key}");
    }
    assert_eq!(m.exit_code(), whole.exit_code);
    assert_eq!(s["verdict"], whole_s["verdict"]);
    // Evidence is copied, and the paths in the merged summary lead to it.
    let mut with_evidence = 0;
    for sc in s["scenarios"].as_array().unwrap() {
        if let Some(e) = sc["evidence"].as_str() {
            with_evidence += 1;
            assert!(merged.join(e).is_dir(), "{e}");
        }
    }
    assert!(with_evidence > 0);
    let cucumber = std::fs::read_to_string(merged.join("cucumber.json")).unwrap();
    let whole_cucumber = std::fs::read_to_string(whole.run_dir.join("cucumber.json")).unwrap();
    let steps = |text: &str| text.matches("\"keyword\"").count();
    assert_eq!(
        steps(&cucumber),
        steps(&whole_cucumber),
        "the steps are kept"
    );

    // The same shard twice overlaps.
    let twice = [dirs[0].clone(), dirs[0].clone()];
    let err = kofu::report::merge::merge(&twice, &reports.path().join("twice"), &features)
        .expect_err("an overlap");
    assert!(matches!(err, MergeError::Overlap { .. }), "{err}");
    assert!(err.to_string().contains("overlap"), "{err}");
    // A shard of another candidate (no defect switched on) is refused.
    let shard = "1/3".parse().expect("shard");
    let other = run_with(reports.path(), &[], |o| o.shard = Some(shard)).await;
    let mixed = [other.run_dir.clone(), dirs[1].clone()];
    let err = kofu::report::merge::merge(&mixed, &reports.path().join("mixed"), &features)
        .expect_err("different candidates");
    assert!(matches!(err, MergeError::Candidates { .. }), "{err}");
}

#[test]
fn the_command_line_refuses_a_bad_shard_and_an_overlapping_merge() {
    const KOFU: &str = env!("CARGO_BIN_EXE_kofu");
    let out = std::process::Command::new(KOFU)
        .args(["run", "--shard", "4/3"])
        .output()
        .expect("kofu runs");
    assert_eq!(out.status.code(), Some(exit::SETUP));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a shard K/N"));

    // A folder merged with itself overlaps as soon as it holds a scenario.
    let dir = tempfile::tempdir().expect("tempdir");
    let shard = dir.path().join("shard");
    std::fs::create_dir_all(&shard).expect("folder");
    std::fs::write(
        shard.join("summary.json"),
        r#"{"run_id": "r", "candidate": "http://127.0.0.1:1", "kofu_version": "0",
            "status": "completed", "reason": null, "started_at": "2026-12-01T10:00:00Z",
            "finished_at": "2026-12-01T10:01:00Z", "tests": 1, "passed": 1, "failed": 0,
            "recorded": 0, "errors": 0, "skipped": 0,
            "verdict": {"passed": 1, "failed": 0, "skipped": 0},
            "mocks": {"passed": 0, "failed": 0, "skipped": 0},
            "scenarios": [{"id": "f;s", "phase": "connection", "feature": "01-connection/f.feature",
              "scenario": "s", "line": 3, "tags": [], "verdict": "passed", "message": null,
              "failed_step": null, "evidence": null}]}"#,
    )
    .expect("summary");
    std::fs::write(shard.join("cucumber.json"), "[]").expect("cucumber");
    let out = std::process::Command::new(KOFU)
        .args(["report", "merge"])
        .arg(&shard)
        .arg(&shard)
        .arg("--out")
        .arg(dir.path().join("merged"))
        .output()
        .expect("kofu runs");
    assert_eq!(out.status.code(), Some(exit::SETUP));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("overlap") && stderr.contains("01-connection/f.feature:3"),
        "{stderr}"
    );
    // Alone, it merges into a run of its one scenario.
    let out = std::process::Command::new(KOFU)
        .args(["report", "merge"])
        .arg(&shard)
        .arg("--out")
        .arg(dir.path().join("merged"))
        .output()
        .expect("kofu runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(exit::PASSED), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("1 passed, 0 failed, 0 skipped"),
        "{stdout}"
    );
}
