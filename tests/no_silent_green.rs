//! No silent green: an undefined step, an empty selection and an unreachable candidate
//! are never a pass.

use std::path::PathBuf;

use kofu::candidate::CandidateSpec;
use kofu::{RunOptions, exit};

/// Each run reports into a temporary folder of its own, which [`done`] removes once the
/// test has read the reports. (A folder shared through a `static` would never be removed:
/// statics are not dropped.)
fn options(features: PathBuf, candidate: CandidateSpec) -> RunOptions {
    let mut options = RunOptions::repository(candidate);
    options.features = features;
    options.report_dir =
        std::env::temp_dir().join(format!("kofu-no-silent-green-{}", uuid::Uuid::new_v4()));
    options
}

/// Remove a run's reports (the run's own temporary folder) once the test has read them.
fn done(run_dir: &std::path::Path) {
    let _ = std::fs::remove_dir_all(run_dir.parent().unwrap_or(run_dir));
}

fn embedded() -> CandidateSpec {
    CandidateSpec::Embedded {
        defects: Vec::new(),
    }
}

#[tokio::test]
async fn an_undefined_step_fails_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("undefined.feature"),
        "# language: ja\n@phase-connection\n機能: 未定義\n  シナリオ: 定義のないステップ\n    もし 識別情報を要求する\n    ならば この文にはステップ定義がない\n",
    )
    .expect("write feature");
    let outcome = kofu::run(options(dir.path().to_owned(), embedded()))
        .await
        .expect("run completes");
    assert_eq!(
        outcome.exit_code,
        exit::FAILED,
        "{}",
        outcome.summary.render()
    );
    assert_eq!(
        outcome.summary.closing_line(),
        "0 passed, 1 failed, 0 skipped"
    );
    let message = outcome.summary.scenarios[0]
        .message
        .clone()
        .unwrap_or_default();
    assert!(message.contains("doesn't match"), "message: {message}");
    done(&outcome.run_dir);
}

#[tokio::test]
async fn an_empty_selection_is_a_setup_error() {
    let mut opts = options(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features"),
        embedded(),
    );
    opts.tags = Some("@no-such-tag".into());
    let outcome = kofu::run(opts).await.expect("run completes");
    assert_eq!(outcome.exit_code, exit::SETUP);
    assert_eq!(
        outcome.summary.closing_line(),
        "0 passed, 0 failed, 0 skipped"
    );
    done(&outcome.run_dir);
}

#[tokio::test]
async fn an_unreachable_candidate_is_a_setup_error_naming_the_url() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let spec = CandidateSpec::Remote {
        url: "http://127.0.0.1:9".into(),
        municipalities: vec![fixtures.join("municipalities/aobadai.toml")],
        server_ca: None,
        restart_command: None,
    };
    let outcome = kofu::run(options(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features"),
        spec,
    ))
    .await
    .expect("the report is written");
    assert_eq!(outcome.exit_code, exit::SETUP);
    let err = outcome.error.expect("a setup error");
    assert!(
        matches!(err, kofu::run::RunError::Unreachable { ref url, .. } if url == "http://127.0.0.1:9"),
        "{err}"
    );
    assert!(outcome.run_dir.join("junit.xml").is_file());
    done(&outcome.run_dir);
}

#[tokio::test]
async fn a_scenario_outside_the_claims_is_skipped_with_its_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("claims.feature"),
        format!(
            "# language: ja\n@phase-connection\n機能: 主張\n  @requires-no-age-limit\n  シナリオ: 年齢制限のない市区町村だけ\n    もし 識別情報を要求する\n  シナリオ: 常に\n    もし 識別情報を要求する\n    ならば 識別情報のプロファイル版は \"{}\" である\n",
            kofu_profile::PROFILE_VERSION
        ),
    )
    .expect("write feature");
    let outcome = kofu::run(options(dir.path().to_owned(), embedded()))
        .await
        .expect("run completes");
    assert_eq!(
        outcome.summary.closing_line(),
        "1 passed, 0 failed, 1 skipped"
    );
    let skipped = outcome
        .summary
        .scenarios
        .iter()
        .find(|s| s.verdict == kofu::report::Verdict::Skipped)
        .expect("a skipped scenario");
    assert!(
        skipped
            .message
            .as_deref()
            .unwrap_or("")
            .contains("restrictions.age_limit"),
        "{skipped:?}"
    );
    done(&outcome.run_dir);
}
