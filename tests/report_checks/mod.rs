//! Helpers shared by the report tests (`tests/reports.rs`, `tests/runs.rs`): runs of the
//! embedded reference server, and the checks of the report files with the tools CI
//! reporters use (xmllint against Jenkins' JUnit schema, junitparser, jsonschema).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use kofu::RunOptions;
use kofu::candidate::CandidateSpec;

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn options(reports: &Path, candidate: CandidateSpec, tags: &str) -> RunOptions {
    let mut options = RunOptions::repository(candidate);
    options.report_dir = reports.to_owned();
    options.tags = Some(tags.to_owned());
    options
}

pub fn embedded(defects: &[&str]) -> CandidateSpec {
    CandidateSpec::Embedded {
        defects: defects.iter().map(|d| (*d).to_owned()).collect(),
    }
}

pub fn summary(run_dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(run_dir.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("summary.json is JSON")
}

pub fn count(summary: &serde_json::Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.json has no count `{key}`"))
}

pub fn python(script: &str, args: &[&Path], needs: &str) -> String {
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
pub fn check_junit(run_dir: &Path) -> (u64, u64, u64, u64) {
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
pub fn check_cucumber(run_dir: &Path) -> (u64, u64, u64) {
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
pub fn check_plain(run_dir: &Path) {
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

/// Every check, and the counts of the three files against each other. A waived failure
/// is a `<skipped>` in junit.xml and keeps its failed step in cucumber.json.
pub fn check_all(run_dir: &Path) -> serde_json::Value {
    check_plain(run_dir);
    let s = summary(run_dir);
    let waived = s["waived"].as_u64().unwrap_or(0);
    let (tests, failures, errors, skipped) = check_junit(run_dir);
    assert_eq!(
        (tests, failures, errors, skipped),
        (
            count(&s, "tests"),
            count(&s, "failed"),
            count(&s, "errors"),
            count(&s, "skipped") + waived
        ),
        "junit.xml counts vs summary.json"
    );
    let (passed, failed, skipped) = check_cucumber(run_dir);
    assert_eq!(
        (passed, failed, skipped),
        (
            count(&s, "passed"),
            count(&s, "failed") + count(&s, "errors") + waived,
            count(&s, "skipped")
        ),
        "cucumber.json counts vs summary.json"
    );
    s
}
