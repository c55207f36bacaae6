//! The report files as CI tools read them: `junit.xml` validated against Jenkins' JUnit
//! schema with `xmllint` and read by the standard parser `junitparser`, `cucumber.json`
//! validated against the Cucumber JSON schemas (Python `jsonschema`), on a run with
//! failures and on a passing run; counts equal `summary.json`. Runs that stop early
//! (exit 2) still write a report that says why. A missing tool fails the test with the
//! command that installs it (`.ci/run` installs them all).

use std::path::{Path, PathBuf};
use std::process::Command;

use kofu::candidate::CandidateSpec;
use kofu::{RunOptions, exit};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn options(reports: &Path, candidate: CandidateSpec, tags: &str) -> RunOptions {
    let mut options = RunOptions::repository(candidate);
    options.report_dir = reports.to_owned();
    options.tags = Some(tags.to_owned());
    options
}

fn embedded(defects: &[&str]) -> CandidateSpec {
    CandidateSpec::Embedded {
        defects: defects.iter().map(|d| (*d).to_owned()).collect(),
    }
}

fn summary(run_dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(run_dir.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("summary.json is JSON")
}

fn count(summary: &serde_json::Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.json has no count `{key}`"))
}

fn python(script: &str, args: &[&Path], needs: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed for this test ({e})"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "the Python package {needs} is missing: python3 -m pip install {needs} (.ci/run does)\n{stderr}"
    );
    assert!(out.status.success(), "{stderr}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// junit.xml: valid against the schema, and what junitparser counts.
fn check_junit(run_dir: &Path) -> (u64, u64, u64, u64) {
    let junit = run_dir.join("junit.xml");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(repo("tests/schemas/junit-10.xsd"))
        .arg(&junit)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint is missing ({e}): apt-get install -y libxml2-utils (.ci/run does)")
        });
    assert!(
        out.status.success(),
        "junit.xml does not validate:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts = python(
        r#"
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
tests = failures = errors = skipped = 0
for suite in xml:
    for case in suite:
        tests += 1
        for r in case.result:
            if isinstance(r, Failure):
                failures += 1
                assert r.message, "a failure without message"
                assert r.text and r.text.strip(), "a failure without body"
            elif isinstance(r, Error):
                errors += 1
                assert r.message, "an error without message"
            elif isinstance(r, Skipped):
                skipped += 1
                assert r.message, "a skip without reason"
        assert case.classname, "a testcase without classname"
print(tests, failures, errors, skipped)
"#,
        &[&junit],
        "junitparser",
    );
    let n: Vec<u64> = counts
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    (n[0], n[1], n[2], n[3])
}

/// cucumber.json: valid against both schemas; ids unique; (passed, failed, skipped)
/// scenarios as a consumer counts them from steps and hooks.
fn check_cucumber(run_dir: &Path) -> (u64, u64, u64) {
    let json = run_dir.join("cucumber.json");
    let counts = python(
        r#"
import json, sys
from jsonschema import validate
doc = json.load(open(sys.argv[1]))
for schema in sys.argv[2:]:
    validate(doc, json.load(open(schema)))
ids = set(); passed = failed = skipped = 0; previous = None
for feature in doc:
    assert feature["id"] and feature["line"] >= 1 and not feature["uri"].startswith("/")
    for tag in feature.get("tags", []):
        assert tag["name"].startswith("@") and tag["line"] >= 1
    for element in feature["elements"]:
        if element["type"] == "background":
            previous = "background"
            continue
        assert element["id"] not in ids, "duplicate id " + element["id"]
        ids.add(element["id"])
        results = [s["result"]["status"] for s in element["steps"]]
        results += [h["result"]["status"] for h in element.get("before", []) + element.get("after", [])]
        if any(r in ("failed", "undefined") for r in results):
            failed += 1
        elif results and all(r == "skipped" for r in results):
            skipped += 1
        else:
            passed += 1
print(passed, failed, skipped)
"#,
        &[
            &json,
            &repo("tests/schemas/cucumber-json-schema.json"),
            &repo("tests/schemas/cucumber-ruby.json"),
        ],
        "jsonschema",
    );
    let n: Vec<u64> = counts
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

/// No escape byte and no absolute path of the checkout in any report file.
fn check_plain(run_dir: &Path) {
    let root = env!("CARGO_MANIFEST_DIR");
    for name in ["junit.xml", "cucumber.json", "summary.json"] {
        let text = std::fs::read_to_string(run_dir.join(name)).expect(name);
        assert!(!text.contains('\u{1b}'), "{name} holds an escape byte");
        assert!(
            !text.contains(root),
            "{name} holds the checkout's path {root}"
        );
    }
}

fn check_all(run_dir: &Path) -> serde_json::Value {
    check_plain(run_dir);
    let s = summary(run_dir);
    let (tests, failures, errors, skipped) = check_junit(run_dir);
    assert_eq!(
        (tests, failures, errors, skipped),
        (
            count(&s, "tests"),
            count(&s, "failed"),
            count(&s, "errors"),
            count(&s, "skipped")
        ),
        "junit.xml counts vs summary.json"
    );
    let (passed, failed, skipped) = check_cucumber(run_dir);
    assert_eq!(
        (passed, failed, skipped),
        (
            count(&s, "passed"),
            count(&s, "failed") + count(&s, "errors"),
            count(&s, "skipped")
        ),
        "cucumber.json counts vs summary.json"
    );
    s
}

#[tokio::test]
async fn a_run_with_failures_writes_reports_that_standard_tools_read() {
    let reports = tempfile::tempdir().expect("tempdir");
    let outcome = kofu::run(options(
        reports.path(),
        embedded(&["mtls-not-enforced"]),
        "@phase-connection",
    ))
    .await
    .expect("run completes");
    assert_eq!(
        outcome.exit_code,
        exit::FAILED,
        "{}",
        outcome.summary.render()
    );
    let s = check_all(&outcome.run_dir);
    assert!(count(&s, "failed") > 0);
    let junit = std::fs::read_to_string(outcome.run_dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("classname=\"kofu.connection.transport\""),
        "{junit}"
    );
    // Evidence paths are relative to the run folder.
    for scenario in s["scenarios"].as_array().unwrap() {
        if let Some(e) = scenario["evidence"].as_str() {
            assert!(e.starts_with("evidence/"), "{e}");
        }
    }
}

#[tokio::test]
async fn a_passing_run_and_a_skipped_suite_are_reported() {
    let reports = tempfile::tempdir().expect("tempdir");
    // no-age-limit.feature: every scenario there is not applicable to the fixtures.
    let outcome = kofu::run(options(
        reports.path(),
        embedded(&[]),
        "@phase-connection or @requires-no-age-limit",
    ))
    .await
    .expect("run completes");
    assert_eq!(
        outcome.exit_code,
        exit::PASSED,
        "{}",
        outcome.summary.render()
    );
    let s = check_all(&outcome.run_dir);
    assert!(count(&s, "skipped") > 0);
    let junit = std::fs::read_to_string(outcome.run_dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("03-restrictions/no-age-limit.feature"),
        "{junit}"
    );
    assert!(
        junit.contains("<skipped message=\"not applicable: "),
        "{junit}"
    );
}

#[tokio::test]
async fn an_unreachable_candidate_still_writes_a_report_saying_why() {
    let reports = tempfile::tempdir().expect("tempdir");
    let spec = CandidateSpec::Remote {
        url: "http://127.0.0.1:9".into(),
        municipalities: vec![repo("fixtures/municipalities/aobadai.toml")],
        server_ca: None,
        restart_command: None,
    };
    let outcome = kofu::run(options(reports.path(), spec, "@phase-connection"))
        .await
        .expect("the report is written");
    assert_eq!(outcome.exit_code, exit::SETUP);
    let s = check_all(&outcome.run_dir);
    assert_eq!(s["status"], "setup-error");
    assert!(
        s["reason"]
            .as_str()
            .unwrap_or("")
            .contains("http://127.0.0.1:9"),
        "{s}"
    );
    assert_eq!(count(&s, "errors"), 1);
    let junit = std::fs::read_to_string(outcome.run_dir.join("junit.xml")).unwrap();
    assert!(junit.contains("<error"), "{junit}");
    // Nothing half-written is left behind.
    for entry in std::fs::read_dir(&outcome.run_dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name}");
    }
}

#[tokio::test]
async fn a_tag_without_at_gets_a_hint_in_the_report() {
    let reports = tempfile::tempdir().expect("tempdir");
    let outcome = kofu::run(options(reports.path(), embedded(&[]), "phase-connection"))
        .await
        .expect("the report is written");
    assert_eq!(outcome.exit_code, exit::SETUP);
    let reason = summary(&outcome.run_dir)["reason"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        reason.contains("tags start with @: did you mean @phase-connection?"),
        "{reason}"
    );
}

#[tokio::test]
async fn an_empty_phase_is_named_in_the_report() {
    let reports = tempfile::tempdir().expect("tempdir");
    // A features folder whose faults phase has no scenario yet.
    let features = tempfile::tempdir().expect("tempdir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    for (folder, file) in [
        ("01-connection", "identity.feature"),
        ("04-faults", "README.md"),
    ] {
        std::fs::create_dir_all(features.path().join(folder)).expect("folder");
        let from = root.join("01-connection/identity.feature");
        let to = features.path().join(folder).join(file);
        if file.ends_with(".feature") {
            std::fs::copy(from, to).expect("copy");
        } else {
            std::fs::write(to, "# features/04-faults\n").expect("write");
        }
    }
    let mut run = options(reports.path(), embedded(&[]), "@phase-faults");
    run.features = features.path().to_owned();
    let outcome = kofu::run(run).await.expect("the report is written");
    assert_eq!(outcome.exit_code, exit::SETUP);
    let s = check_all(&outcome.run_dir);
    assert_eq!(s["status"], "no-scenario");
    let reason = s["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("@phase-faults is on no scenario"),
        "{reason}"
    );
    assert!(
        reason.contains("features/04-faults has no scenario yet"),
        "{reason}"
    );
}

/// A candidate that answers the identity probe, then never answers again.
async fn hanging_candidate() -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut first = true;
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let answer = first;
            first = false;
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                if answer {
                    let body = "{}";
                    let _ = socket
                        .write_all(
                            format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                                body.len()
                            )
                            .as_bytes(),
                        )
                        .await;
                    return;
                }
                // Hold the connection open, answering nothing.
                std::future::pending::<()>().await;
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_candidate_that_hangs_is_stopped_by_the_deadline() {
    let reports = tempfile::tempdir().expect("tempdir");
    let spec = CandidateSpec::Remote {
        url: hanging_candidate().await,
        municipalities: vec![
            repo("fixtures/municipalities/aobadai.toml"),
            repo("fixtures/municipalities/shirasuna.toml"),
        ],
        server_ca: None,
        restart_command: None,
    };
    let mut opts = options(reports.path(), spec, "@phase-connection");
    opts.deadline = Some(std::time::Duration::from_secs(2));
    let outcome = kofu::run(opts).await.expect("the report is written");
    assert_eq!(
        outcome.exit_code,
        exit::SETUP,
        "{}",
        outcome.summary.render()
    );
    let s = check_all(&outcome.run_dir);
    assert_eq!(s["status"], "deadline-exceeded");
    let unfinished = s["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|sc| {
            sc["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("run deadline exceeded"))
        })
        .count();
    assert!(unfinished > 0, "{s}");
}
