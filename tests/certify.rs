//! 認証モード end to end: `kofu certify` against the bundled reference server writes a
//! bundle that `kofu verify` accepts; one changed byte anywhere (a file inside, the
//! signature, the archive's own bytes) makes it fail; certify refuses `--tags` and
//! `--defect`; and the synthetic-data scan refuses a run folder whose evidence holds a
//! name or number that is not the fixtures'. One certify run serves the whole flow.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kofu::certify::{self, CertifyError, SealOptions, archive};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A private link to (or copy of) the kofu binary, in a folder of the build's own
/// temporary folder: the build folder's binary may be rebuilt by another build while
/// the test runs, and a hard link keeps this one.
fn own_kofu() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temporary folder");
    let copy = dir.path().join("kofu");
    std::fs::hard_link(env!("CARGO_BIN_EXE_kofu"), &copy)
        .or_else(|_| std::fs::copy(env!("CARGO_BIN_EXE_kofu"), &copy).map(|_| ()))
        .expect("link the kofu binary");
    let help = Command::new(&copy)
        .args(["help", "certify"])
        .output()
        .unwrap();
    assert!(
        help.status.success(),
        "{} has no `certify`: another build replaced it, rerun the test",
        env!("CARGO_BIN_EXE_kofu")
    );
    (dir, copy)
}

fn kofu(bin: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("kofu runs")
}

fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn test_key() -> Vec<u8> {
    std::fs::read(repo("fixtures").join(certify::TEST_SIGNING_KEY)).expect("the TEST key")
}

/// The bundle with `change` applied to its entries, rewritten in canonical form.
fn rewritten(bytes: &[u8], dir: &Path, change: impl FnOnce(&mut Vec<archive::Entry>)) -> PathBuf {
    let mut entries = archive::read(bytes).expect("the sealed bundle reads");
    change(&mut entries);
    let out = dir.join("changed.tar");
    let written = archive::write(Vec::new(), &entries).expect("rewrite");
    std::fs::write(&out, written).expect("write");
    out
}

fn flip_in(path: &str) -> impl FnOnce(&mut Vec<archive::Entry>) + '_ {
    move |entries| {
        let entry = entries
            .iter_mut()
            .find(|e| e.path == path)
            .unwrap_or_else(|| panic!("the bundle holds {path}"));
        let middle = entry.data.len() / 2;
        entry.data[middle] ^= 0x20;
    }
}

fn assert_fails(bundle: &Path, what: &str, expected: &str) {
    match certify::verify(bundle, None) {
        Ok(_) => panic!("{what}: the bundle still verifies"),
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains(expected),
                "{what}: expected `{expected}` in:\n{message}"
            );
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "scratch" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The first evidence file (by path) whose text holds `needle`.
fn evidence_with(run_dir: &Path, needle: &str) -> PathBuf {
    certify::files_under(&run_dir.join("evidence"))
        .unwrap()
        .into_iter()
        .map(|(_, path)| path)
        .find(|p| {
            p.extension().is_some_and(|e| e == "json")
                && std::fs::read_to_string(p).is_ok_and(|t| t.contains(needle))
        })
        .unwrap_or_else(|| panic!("no evidence file holds `{needle}`"))
}

#[test]
fn a_certified_bundle_verifies_and_any_changed_byte_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (_bin_dir, bin) = own_kofu();
    let bundle = dir.path().join("bundle.tar");
    let reports = dir.path().join("reports");
    let out = kofu(
        &bin,
        &[
            "certify",
            "--out",
            bundle.to_str().unwrap(),
            "--report-dir",
            reports.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("bundle: "), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TEST key"),
        "certify warns that it signs with the TEST key\n{}",
        text(&out)
    );
    let run_dir = PathBuf::from(
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("report: "))
            .expect("certify names the run folder"),
    );

    // kofu verify accepts it, prints the counts, and knows the TEST key.
    let out = kofu(&bin, &["verify", bundle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("bundle verified"), "{}", text(&out));
    assert!(stdout.contains("verdict: "), "{}", text(&out));
    assert!(stdout.contains("0 failed"), "{}", text(&out));
    assert!(stdout.contains("TEST key"), "{}", text(&out));
    let pinned = repo("fixtures/pki/certify-TEST-ONLY-public-key.pem");
    let out = kofu(
        &bin,
        &[
            "verify",
            bundle.to_str().unwrap(),
            "--public-key",
            pinned.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // What the manifest says.
    let verified = certify::verify(&bundle, None).expect("verifies");
    let manifest = &verified.manifest;
    assert!(verified.test_key);
    assert_eq!(manifest.kofu_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest.profile_version, kofu_profile::PROFILE_VERSION);
    assert_eq!(
        manifest.candidate.implementation.as_deref(),
        Some("kofu-reference-server")
    );
    assert!(manifest.verdict.passed > 0 && manifest.verdict.failed == 0);
    assert!(manifest.synthetic_scan.values > 0);
    for path in [
        "run/summary.json",
        "run/junit.xml",
        "run/cucumber.json",
        "candidate.json",
        "public-key.pem",
        "inputs/features/01-connection/identity.feature",
    ] {
        assert!(
            manifest.files.contains_key(path),
            "the manifest lists {path}"
        );
    }
    assert!(
        manifest
            .files
            .keys()
            .any(|p| p.starts_with("run/evidence/"))
    );
    assert!(!manifest.files.keys().any(|p| p.starts_with("run/scratch/")));
    assert!(manifest.fixtures.contains_key("residents/register.toml"));

    // Pinning another key fails.
    let other = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    let other_path = dir.path().join("other.pem");
    std::fs::write(&other_path, other).unwrap();
    let out = kofu(
        &bin,
        &[
            "verify",
            bundle.to_str().unwrap(),
            "--public-key",
            other_path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("bundle NOT verified"),
        "{}",
        text(&out)
    );

    // One byte changed in a file inside, or in the signature: verify fails.
    let bytes = std::fs::read(&bundle).unwrap();
    let evidence = manifest
        .files
        .keys()
        .find(|p| p.starts_with("run/evidence/") && p.ends_with("-issue.json"))
        .expect("an issuance in the evidence")
        .as_str();
    for (path, expected) in [
        (evidence, "changed file"),
        ("run/summary.json", "changed file"),
        (
            "inputs/features/01-connection/identity.feature",
            "changed file",
        ),
        ("candidate.json", "changed file"),
        ("public-key.pem", "public-key.pem"),
        ("MANIFEST.json", "does not verify"),
        ("MANIFEST.sig", "does not verify"),
    ] {
        let changed = rewritten(&bytes, dir.path(), flip_in(path));
        assert_fails(&changed, path, expected);
    }
    let changed = rewritten(&bytes, dir.path(), flip_in("MANIFEST.sig"));
    let out = kofu(&bin, &["verify", changed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    // A file missing, or one more.
    let changed = rewritten(&bytes, dir.path(), |entries| {
        entries.retain(|e| e.path != "run/junit.xml");
    });
    assert_fails(&changed, "missing junit.xml", "missing file: run/junit.xml");
    let changed = rewritten(&bytes, dir.path(), |entries| {
        entries.push(archive::Entry {
            path: "run/evidence/extra.json".into(),
            data: b"{}".to_vec(),
        });
        archive::canonical_order(entries);
    });
    assert_fails(
        &changed,
        "an extra file",
        "extra file: run/evidence/extra.json",
    );

    // One byte of the archive itself, wherever it is: headers, padding, the end.
    let changed = dir.path().join("flipped.tar");
    let step = bytes.len() / 41;
    for at in (0..bytes.len()).step_by(step).chain([
        1,
        148,
        156,
        511,
        bytes.len() - 1024,
        bytes.len() - 1,
    ]) {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x01;
        std::fs::write(&changed, &flipped).unwrap();
        assert!(
            certify::verify(&changed, None).is_err(),
            "byte {at} of {} changed and the bundle still verifies",
            bytes.len()
        );
    }
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0; 512]);
    std::fs::write(&changed, &longer).unwrap();
    assert!(certify::verify(&changed, None).is_err(), "trailing bytes");

    // The scan: a copy of the run folder seals; with a name or a number that is not the
    // fixtures' in its evidence, it does not.
    let copy = dir.path().join("copy");
    copy_dir(&run_dir, &copy);
    let options = |run_dir: &Path, out: &Path| SealOptions {
        run_dir: run_dir.to_owned(),
        features: repo("features"),
        fixtures: repo("fixtures"),
        signing_key_pem: test_key(),
        out: out.to_owned(),
    };
    let resealed = dir.path().join("resealed.tar");
    certify::seal(&options(&copy, &resealed)).expect("the copied run folder seals");
    certify::verify(&resealed, None).expect("the resealed bundle verifies");

    let fixtures = kofu_fixtures::Fixtures::load(&repo("fixtures")).unwrap();
    let person = &fixtures.register.persons[0];
    let file = evidence_with(&copy, &format!("\"{}\"", person.name));
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace(&person.name, "本物 花子");
    std::fs::write(&file, edited).unwrap();
    let refused = dir.path().join("refused.tar");
    match certify::seal(&options(&copy, &refused)) {
        Err(CertifyError::NotSynthetic { findings }) => {
            assert!(
                findings.iter().any(|f| f.value == "本物 花子"),
                "{findings:?}"
            );
            assert!(
                findings.iter().all(|f| f.value == "本物 花子"),
                "{findings:?}"
            );
        }
        other => panic!("the scan let a real-looking name through: {other:?}"),
    }
    assert!(
        !refused.exists(),
        "nothing is written when the scan refuses"
    );

    // An unknown 個人番号 under a number key, in an answer.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("本物 花子", &person.name)
            .replacen(
                "\"response_body\": {",
                "\"response_body\": {\"individual_number\": \"123456789012\",",
                1,
            ),
    )
    .unwrap();
    match certify::seal(&options(&copy, &refused)) {
        Err(CertifyError::NotSynthetic { findings }) => {
            assert_eq!(findings.len(), 1, "{findings:?}");
            assert_eq!(findings[0].value, "123456789012");
        }
        other => panic!("the scan let an unknown 個人番号 through: {other:?}"),
    }
}

#[test]
fn certify_refuses_what_narrows_or_bends_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_bin_dir, bin) = own_kofu();
    let bundle = dir.path().join("bundle.tar");
    for (flags, named) in [
        (&["--tags", "@phase-connection"][..], "--tags"),
        (
            &["--defect", "identity-wrong-profile-version"][..],
            "--defect",
        ),
        (&["--added", "type:fuhyo"][..], "--added"),
    ] {
        let mut args = vec!["certify", "--out", bundle.to_str().unwrap()];
        args.extend_from_slice(flags);
        let out = kofu(&bin, &args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("refuses") && stderr.contains(named),
            "{flags:?}: {}",
            text(&out)
        );
        assert!(!bundle.exists(), "{flags:?}: nothing was sealed");
    }
}

#[test]
fn verify_refuses_what_is_not_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let (_bin_dir, bin) = own_kofu();
    let path = dir.path().join("not-a-bundle.tar");
    std::fs::write(&path, b"hello").unwrap();
    let out = kofu(&bin, &["verify", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}
