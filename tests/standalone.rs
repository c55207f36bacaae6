//! The installed binary alone: copied into an empty folder, away from the checkout, it
//! runs the features and fixtures built into it and writes nothing into the checkout.

use std::path::Path;
use std::process::Command;

const KOFU: &str = env!("CARGO_BIN_EXE_kofu");

/// `git status --porcelain` of the checkout, `None` where git or the checkout is absent.
fn checkout_status() -> Option<String> {
    let out = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_copied_binary_runs_a_phase_from_an_empty_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kofu = dir.path().join("kofu");
    std::fs::copy(KOFU, &kofu).expect("copy the binary");
    let reports = dir.path().join("reports");
    let before = checkout_status();

    let out = Command::new(&kofu)
        .current_dir(dir.path())
        .env_remove("KOFU_CHECKOUT")
        .env("NO_COLOR", "1")
        .args(["run", "--tags", "@phase-connection", "--report-dir"])
        .arg(&reports)
        .output()
        .expect("kofu run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.ends_with(" passed, 0 failed, 0 skipped") && !last.starts_with("0 "),
        "{last}"
    );
    assert!(!stdout.contains('\u{1b}'), "NO_COLOR: {stdout}");
    assert!(
        stderr.contains("kofu: phase connection: "),
        "the phase's progress line: {stderr}"
    );

    // The run wrote only its report folder, with the unpacked copies in its scratch.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["kofu", "reports"]);
    let run_dir = std::fs::read_dir(&reports)
        .expect("reports")
        .map(|e| e.expect("entry").path())
        .find(|p| p.is_dir())
        .expect("a run folder");
    for tree in ["features", "fixtures"] {
        assert!(
            Path::new(&run_dir).join("scratch").join(tree).is_dir(),
            "{tree} unpacked into the run's scratch"
        );
    }
    assert_eq!(checkout_status(), before, "the run wrote into the checkout");
}

#[test]
fn unpacked_fixtures_serve_a_run_given_them_with_fixtures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = dir.path().join("my-fixtures");
    let out = Command::new(KOFU)
        .current_dir(dir.path())
        .args(["fixtures", "unpack"])
        .arg(&fixtures)
        .output()
        .expect("kofu fixtures unpack");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fixtures.join("residents/register.toml").is_file());
    let again = Command::new(KOFU)
        .args(["fixtures", "unpack"])
        .arg(&fixtures)
        .output()
        .expect("kofu fixtures unpack");
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing folder is refused"
    );

    let out = Command::new(KOFU)
        .current_dir(dir.path())
        .env_remove("KOFU_CHECKOUT")
        .args(["run", "--tags", "@phase-connection", "--fixtures"])
        .arg(&fixtures)
        .arg("--report-dir")
        .arg(dir.path().join("reports"))
        .output()
        .expect("kofu run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let run_dir = std::fs::read_dir(dir.path().join("reports"))
        .expect("reports")
        .map(|e| e.expect("entry").path())
        .find(|p| p.is_dir())
        .expect("a run folder");
    let scratch = run_dir.join("scratch");
    assert!(scratch.join("features").is_dir(), "features still built in");
    assert!(
        !scratch.join("fixtures").exists(),
        "the given fixtures are used"
    );
}
