//! The `kofu` binary end to end, as a vendor uses it: separate processes on loopback.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KOFU: &str = env!("CARGO_BIN_EXE_kofu");

fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn defects_are_listed_name_first() {
    let out = Command::new(KOFU)
        .arg("defects")
        .output()
        .expect("kofu defects");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = text.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(names.len(), kofu_reference_server::Defect::ALL.len());
    for d in kofu_reference_server::Defect::ALL {
        assert!(
            names.contains(&d.name()),
            "{} missing from:\n{text}",
            d.name()
        );
    }
}

#[test]
fn an_unreachable_candidate_exits_2_naming_the_url() {
    let started = Instant::now();
    let reports = tempfile::tempdir().expect("tempdir");
    let out = Command::new(KOFU)
        .args(["run", "--server", "http://127.0.0.1:9", "--municipality"])
        .arg(repo("fixtures/municipalities/aobadai.toml"))
        .arg("--report-dir")
        .arg(reports.path())
        .output()
        .expect("kofu run");
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() < Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("http://127.0.0.1:9"), "{stderr}");
    // Even so, the run wrote its report.
    let run_dir = reports
        .path()
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for file in ["junit.xml", "cucumber.json", "summary.json"] {
        assert!(run_dir.join(file).is_file(), "{file} missing");
    }
}

#[test]
fn defects_into_a_closed_pipe_exit_0() {
    let mut child = Command::new(KOFU)
        .arg("defects")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kofu defects");
    // Read one line, then close the pipe, as `| head -1` does.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let out = child.wait_with_output().expect("kofu defects ends");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn tls_setup_errors_exit_2_and_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The server's own temporary folder goes under `tmp/`, so that it goes with `dir` although
    // the server is killed before it can remove it.
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).expect("tmp folder");
    let (mut server, url) = spawn_server_in(
        dir.path(),
        Some(&tmp),
        &["reference-server", "--listen", "127.0.0.1:0"],
        "https://",
    );
    let run = |ca: Option<&str>| {
        let mut cmd = Command::new(KOFU);
        cmd.current_dir(dir.path())
            .args(["run", "--server", &url, "--municipality"])
            .arg(repo("fixtures/municipalities/aobadai.toml"))
            .args(["--tags", "@phase-connection", "--report-dir"])
            .arg(dir.path().join("reports"));
        if let Some(ca) = ca {
            cmd.arg("--server-ca").arg(repo(ca));
        }
        cmd.output().expect("kofu run")
    };
    // A CA that did not sign the candidate's certificate.
    let wrong = run(Some("fixtures/pki/center-ca.pem"));
    let missing = run(None);
    let _ = server.kill();
    let _ = server.wait();
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not trusted by the given CA"), "{stderr}");
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--server-ca is missing"), "{stderr}");
    assert!(!stderr.contains("unreachable"), "{stderr}");
    // The standalone server kept its records out of the working directory.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with("reference-server.sqlite")),
        "{names:?}"
    );
}

#[test]
fn progress_separates_keyword_and_text() {
    let reports = tempfile::tempdir().expect("tempdir");
    let out = Command::new(KOFU)
        .args([
            "run",
            "--progress",
            "--tags",
            "@phase-connection and not @requires-mtls",
        ])
        .arg("--report-dir")
        .arg(reports.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("kofu run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("もし 識別情報を要求する"), "{stderr}");
    assert!(!stderr.contains("もし識別情報"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn a_standalone_reference_server_passes_over_mutual_tls() {
    let db = tempfile::tempdir().expect("tempdir");
    let mut server = Command::new(KOFU)
        .args(["reference-server", "--listen", "127.0.0.1:0", "--database"])
        .arg(db.path().join("records.sqlite"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("kofu reference-server");
    let stderr = server.stderr.take().expect("stderr");
    let mut line = String::new();
    BufReader::new(stderr).read_line(&mut line).expect("banner");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no URL in banner: {line}"))
        .to_owned();
    let out = Command::new(KOFU)
        .args(["run", "--server", &url, "--server-ca"])
        .arg(repo("fixtures/pki/candidate-ca.pem"))
        .arg("--municipality")
        .arg(repo("fixtures/municipalities/aobadai.toml"))
        .arg("--municipality")
        .arg(repo("fixtures/municipalities/shirasuna.toml"))
        .args(["--tags", "@phase-connection"])
        .arg("--report-dir")
        .arg(db.path().join("reports"))
        .output()
        .expect("kofu run");
    let _ = server.kill();
    let _ = server.wait();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with("0 failed, 0 skipped"), "{last}");
}

#[test]
fn a_defect_makes_the_run_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(KOFU)
        .args(["run", "--defect", "mtls-not-enforced", "--report-dir"])
        .arg(dir.path())
        .output()
        .expect("kofu run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("mutual TLS"), "{stdout}");
    assert!(dir.path().read_dir().expect("report dir").count() > 0);
    let run_dir = dir
        .path()
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for file in ["junit.xml", "cucumber.json", "summary.json"] {
        assert!(run_dir.join(file).is_file(), "{file} missing");
    }
}

/// Start a `kofu` server process and read the URL from its banner on stderr. The caller
/// owns the returned child and reaps it.
fn spawn_server(args: &[&str], scheme: &str) -> (std::process::Child, String) {
    spawn_server_in(Path::new("."), None, args, scheme)
}

/// [`spawn_server`] with `dir` as the working directory and, if given, `tmp` as its
/// temporary folder (`TMPDIR`).
#[allow(clippy::zombie_processes)]
fn spawn_server_in(
    dir: &Path,
    tmp: Option<&Path>,
    args: &[&str],
    scheme: &str,
) -> (std::process::Child, String) {
    let mut command = Command::new(KOFU);
    command.current_dir(dir).args(args).stderr(Stdio::piped());
    if let Some(tmp) = tmp {
        command.env("TMPDIR", tmp);
    }
    let mut child = command.spawn().expect("spawn kofu");
    let stderr = child.stderr.take().expect("stderr");
    let mut reader = BufReader::new(stderr);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} ended without a banner");
        }
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with(scheme)) {
            let url = url.to_owned();
            // Keep draining stderr so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in reader.lines() {});
            return (child, url);
        }
    }
}

/// One scripted `kofu terminal` session asking for 住民票の写し (one copy unless `extra`
/// says otherwise).
fn kiosk_session(
    center_url: &str,
    card: &str,
    pin: &str,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    Command::new(KOFU)
        .args([
            "terminal", "--center", center_url, "--card", card, "--pin", pin,
        ])
        .args(["--certificate", "juminhyo", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("kofu terminal")
}

#[test]
fn reference_server_center_and_terminal_print_a_juminhyo_and_refuse_a_revoked_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("ref.sqlite");
    let (mut server, server_url) = spawn_server(
        &[
            "reference-server",
            "--listen",
            "127.0.0.1:0",
            "--database",
            db.to_str().expect("utf-8 path"),
        ],
        "https://",
    );
    let (mut center, center_url) = spawn_server(
        &[
            "center",
            "--listen",
            "127.0.0.1:0",
            "--server",
            &server_url,
            "--now",
            "2026-11-26T10:00:00+09:00",
        ],
        "http://",
    );
    let out = dir.path().join("out");
    let ok = kiosk_session(&center_url, "C001", "3116", &out, &[]);
    let revoked_out = dir.path().join("revoked");
    let revoked = kiosk_session(&center_url, "C101", "7200", &revoked_out, &[]);
    let jam_out = dir.path().join("jam");
    let jam = kiosk_session(
        &center_url,
        "C001",
        "3116",
        &jam_out,
        &["--copies", "3", "--jam-on", "2"],
    );
    let _ = center.kill();
    let _ = server.kill();
    let _ = center.wait();
    let _ = server.wait();

    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let pdf = std::fs::read_dir(&out)
        .expect("output folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("a printed PDF");
    let facts = kofu::checks::pdf::inspect(&std::fs::read(pdf).expect("pdf")).expect("readable");
    assert!(
        facts
            .page_sizes
            .iter()
            .all(|s| kofu::checks::pdf::is_a4_portrait(*s))
    );
    let text = kofu::checks::pdf::squeeze(&facts.text);
    assert!(text.contains("住民票"), "{text}");
    assert!(text.contains("桜井太郎"), "{text}");

    assert!(!revoked.status.success());
    let no_pdf = std::fs::read_dir(&revoked_out)
        .map(|d| {
            d.flatten()
                .all(|e| e.path().extension().is_none_or(|x| x != "pdf"))
        })
        .unwrap_or(true);
    assert!(no_pdf, "a revoked card must print nothing");

    // Paper jam on copy 2 of 3: one copy printed, two refunded, in the receipt and the
    // sales journal.
    assert!(
        jam.status.success(),
        "{}",
        String::from_utf8_lossy(&jam.stdout)
    );
    let stdout = String::from_utf8_lossy(&jam.stdout);
    assert!(
        stdout.contains("紙詰まりのため、2通目以降を印刷できませんでした。400円を返金します。"),
        "{stdout}"
    );
    let receipt: serde_json::Value =
        serde_json::from_slice(&std::fs::read(jam_out.join("receipt.json")).expect("receipt"))
            .expect("json");
    assert_eq!(
        (&receipt["printed"], &receipt["paid"], &receipt["refunded"]),
        (
            &serde_json::json!(1),
            &serde_json::json!(600),
            &serde_json::json!(400)
        )
    );
    let journal = std::fs::read_to_string(jam_out.join("journal.csv")).expect("journal");
    assert!(
        journal.contains(",3,200,1,600,400,print-failed"),
        "{journal}"
    );
}

#[test]
fn the_first_readme_command_passes_from_the_repository_root() {
    // `cargo run -- run` from the repository root: relative features/ and fixtures/,
    // snapshots compared against fixtures/snapshots/reference/.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(KOFU)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--tags", "@phase-issuance", "--report-dir"])
        .arg(dir.path())
        .output()
        .expect("kofu run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or_default()
            .ends_with(" 0 failed, 0 skipped")
    );
}

#[test]
fn added_runs_the_regression_subset_of_one_addition() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (added, phases) in [
        ("type:fuhyo", ["additions", "issuance", "settlement"]),
        ("operator:OP-C", ["additions", "issuance", "settlement"]),
    ] {
        let out = Command::new(KOFU)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "--added", added, "--report-dir"])
            .arg(dir.path())
            .output()
            .expect("kofu run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{added}: {stdout}");
        let last = stdout.lines().last().unwrap_or_default();
        assert!(last.ends_with(" 0 failed, 0 skipped"), "{added}: {last}");
        let ran: Vec<&str> = stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|w| {
                [
                    "additions",
                    "connection",
                    "issuance",
                    "restrictions",
                    "settlement",
                ]
                .contains(w)
            })
            .collect();
        assert_eq!(ran, phases, "{added}: {stdout}");
    }
    let out = Command::new(KOFU)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--added", "operator:OP-Z", "--report-dir"])
        .arg(dir.path())
        .output()
        .expect("kofu run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("operator:OP-Z"), "{stderr}");
}

#[test]
fn snapshots_accept_copies_a_runs_recordings_into_the_snapshots_folder() {
    let run = tempfile::tempdir().expect("tempdir");
    let into = tempfile::tempdir().expect("tempdir");
    let pending = run
        .path()
        .join("snapshots/acme/02-issuance__snapshots-inkan.snap.new");
    std::fs::create_dir_all(pending.parent().unwrap()).unwrap();
    std::fs::write(&pending, "---\nsource: src/checks/snapshot.rs\n---\n{}\n").unwrap();
    let out = Command::new(KOFU)
        .args(["snapshots", "accept"])
        .arg(run.path())
        .arg("--into")
        .arg(into.path())
        .output()
        .expect("kofu snapshots accept");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let accepted = into.path().join("acme/02-issuance__snapshots-inkan.snap");
    assert_eq!(
        std::fs::read_to_string(accepted).unwrap(),
        std::fs::read_to_string(&pending).unwrap()
    );
    // A run folder with nothing recorded is an error, not a silent success.
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::new(KOFU)
        .args(["snapshots", "accept"])
        .arg(empty.path())
        .output()
        .expect("kofu snapshots accept");
    assert_eq!(out.status.code(), Some(2));
}
