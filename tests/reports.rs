//! The report files as CI tools read them: `junit.xml` validated against Jenkins' JUnit
//! schema with `xmllint` and read by the standard parser `junitparser`, `cucumber.json`
//! validated against the Cucumber JSON schemas (Python `jsonschema`), on a run with
//! failures and on a passing run; counts equal `summary.json`. Runs that stop early
//! (exit 2) still write a report that says why. A missing tool fails the test with the
//! command that installs it (`.ci/run` installs them all).

use kofu::candidate::CandidateSpec;
use kofu::exit;

mod report_checks;

use report_checks::*;

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
