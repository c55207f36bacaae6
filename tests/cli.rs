//! The `kofu` binary end to end, as a vendor uses it: separate processes on loopback.

use std::io::{BufRead, BufReader};
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
    let out = Command::new(KOFU)
        .args(["run", "--server", "http://127.0.0.1:9", "--municipality"])
        .arg(repo("fixtures/municipalities/aobadai.toml"))
        .arg("--report-dir")
        .arg(std::env::temp_dir().join("kofu-cli-test"))
        .output()
        .expect("kofu run");
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() < Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("http://127.0.0.1:9"), "{stderr}");
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
