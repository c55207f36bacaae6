//! 認証モード (certification mode): `kofu certify` runs every phase and seals the run
//! into one evidence bundle; `kofu verify` checks a bundle.
//!
//! A bundle is a plain tar ([`archive`]) holding:
//! - `MANIFEST.json` ([`Manifest`]): kofu's and the profile's versions, the candidate's
//!   identity, the verdict counts, the SHA-256 of every fixture file and of every other
//!   file in the bundle;
//! - `MANIFEST.sig`: the Ed25519 signature (64 bytes) of `MANIFEST.json`'s bytes;
//! - `public-key.pem`: the key that verifies it;
//! - `candidate.json`: the candidate's identity, as in the manifest;
//! - `run/`: the run folder (`summary.json`, `junit.xml`, `cucumber.json`,
//!   `report.html` when written, `evidence/`, `settlement/`), all but `scratch/`;
//! - `inputs/features/`: the feature files that ran, verbatim.
//!
//! Before sealing, the synthetic-data scan ([`scan`]) refuses a run whose evidence holds
//! a name or number that is not the fixtures'. The repository's signing key
//! (`fixtures/pki/certify-TEST-ONLY-signing-key.pem`) is for tests only: an acceptance
//! body signs with its own key, and reviewers pin its public key.

pub mod archive;
pub mod manifest;
pub mod scan;
pub mod signing;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use manifest::{CandidateIdentity, Counts, Manifest};
pub use signing::SigningKey;

/// The manifest's path in a bundle.
pub const MANIFEST: &str = "MANIFEST.json";
/// The signature's path in a bundle.
pub const SIGNATURE: &str = "MANIFEST.sig";
/// The public key's path in a bundle.
pub const PUBLIC_KEY: &str = "public-key.pem";
/// The candidate identity's path in a bundle.
pub const CANDIDATE: &str = "candidate.json";
/// The TEST signing key, relative to the fixtures folder.
pub const TEST_SIGNING_KEY: &str = "pki/certify-TEST-ONLY-signing-key.pem";

/// Why a bundle could not be sealed or verified.
#[derive(Debug, thiserror::Error)]
pub enum CertifyError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The fixtures did not load.
    #[error("fixtures did not load")]
    Fixtures(#[from] kofu_fixtures::FixtureError),
    /// A key is not an Ed25519 PEM.
    #[error("key: {0}")]
    Key(String),
    /// The run folder cannot be sealed as it is.
    #[error("cannot seal the run: {0}")]
    Run(String),
    /// The synthetic-data scan found names or numbers that are not the fixtures'.
    #[error(
        "refusing to seal: the evidence holds {} name(s) or number(s) that are not the fixtures' (a bundle must never carry real residents' data):\n{}",
        findings.len(),
        findings.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n")
    )]
    NotSynthetic {
        /// Each value found, with its place.
        findings: Vec<scan::Finding>,
    },
    /// The bundle is not a well-formed kofu archive.
    #[error("bundle archive: {0}")]
    Archive(String),
    /// The bundle does not verify.
    #[error("bundle NOT verified:\n{}", problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    NotVerified {
        /// Everything that is wrong.
        problems: Vec<String>,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CertifyError + '_ {
    move |source| CertifyError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What to seal.
#[derive(Debug, Clone)]
pub struct SealOptions {
    /// The finished run's report folder.
    pub run_dir: PathBuf,
    /// The features folder the run ran.
    pub features: PathBuf,
    /// The fixtures folder the run used.
    pub fixtures: PathBuf,
    /// The signing key, a PKCS#8 Ed25519 PEM.
    pub signing_key_pem: Vec<u8>,
    /// The bundle to write.
    pub out: PathBuf,
}

/// Seal a finished run into a bundle: scan the evidence, write the manifest, sign it,
/// write the archive (atomically). Returns the manifest written.
pub fn seal(options: &SealOptions) -> Result<Manifest, CertifyError> {
    let key = SigningKey::from_pem(&options.signing_key_pem)?;
    let fixtures = kofu_fixtures::Fixtures::load(&options.fixtures)?;
    let synthetic_scan = scan::scan(&options.run_dir, &fixtures)?;

    let summary_path = options.run_dir.join("summary.json");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary_path).map_err(io(&summary_path))?)
            .map_err(|e| CertifyError::Run(format!("summary.json is not JSON: {e}")))?;
    let text = |key: &str| summary[key].as_str().unwrap_or_default().to_owned();
    let status = text("status");
    if status != "completed" {
        return Err(CertifyError::Run(format!(
            "the run did not complete (status `{status}`): there is nothing to certify"
        )));
    }
    let counts = |key: &str| Counts {
        passed: summary[key]["passed"].as_u64().unwrap_or_default(),
        failed: summary[key]["failed"].as_u64().unwrap_or_default(),
        skipped: summary[key]["skipped"].as_u64().unwrap_or_default(),
    };
    let candidate = identity(&options.run_dir, text("candidate"));

    let mut entries = Vec::new();
    for (relative, path) in files_under(&options.run_dir)? {
        if relative.starts_with("scratch/") {
            continue;
        }
        entries.push(archive::Entry {
            path: format!("run/{relative}"),
            data: std::fs::read(&path).map_err(io(&path))?,
        });
    }
    for (relative, path) in files_under(&options.features)? {
        entries.push(archive::Entry {
            path: format!("inputs/features/{relative}"),
            data: std::fs::read(&path).map_err(io(&path))?,
        });
    }
    let mut fixture_hashes = BTreeMap::new();
    for (relative, path) in files_under(&options.fixtures)? {
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        fixture_hashes.insert(relative, manifest::sha256(&bytes));
    }
    entries.push(archive::Entry {
        path: CANDIDATE.into(),
        data: serde_json::to_vec_pretty(&candidate).unwrap_or_default(),
    });
    entries.push(archive::Entry {
        path: PUBLIC_KEY.into(),
        data: key.public_key_pem().into_bytes(),
    });

    let manifest = Manifest {
        format: manifest::FORMAT.into(),
        kofu_version: env!("CARGO_PKG_VERSION").into(),
        profile_version: kofu_profile::PROFILE_VERSION.into(),
        sealed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        run_id: text("run_id"),
        status,
        started_at: text("started_at"),
        finished_at: text("finished_at"),
        candidate,
        verdict: counts("verdict"),
        mocks: counts("mocks"),
        errors: summary["errors"].as_u64().unwrap_or_default(),
        synthetic_scan,
        fixtures: fixture_hashes,
        files: entries
            .iter()
            .map(|e| (e.path.clone(), manifest::sha256(&e.data)))
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    entries.push(archive::Entry {
        path: SIGNATURE.into(),
        data: key.sign(&manifest_bytes),
    });
    entries.push(archive::Entry {
        path: MANIFEST.into(),
        data: manifest_bytes,
    });
    archive::canonical_order(&mut entries);
    write_bundle(&options.out, &entries)?;
    Ok(manifest)
}

/// The candidate's identity: the URL, and what the identity probe answered.
fn identity(run_dir: &Path, url: String) -> CandidateIdentity {
    let probe = run_dir.join("evidence/probe/001-identity.json");
    let answer: serde_json::Value = std::fs::read(&probe)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let json = &answer["response_body"]["json"];
    let text = |v: &serde_json::Value| v.as_str().map(|s| s.chars().take(200).collect());
    CandidateIdentity {
        url,
        implementation: text(&json["implementation"]["name"]),
        version: text(&json["implementation"]["version"]),
        profile_version: text(&json["profile_version"]),
        municipalities: json["municipalities"]
            .as_array()
            .map(|a| a.iter().filter_map(text).take(100).collect())
            .unwrap_or_default(),
    }
}

fn write_bundle(out: &Path, entries: &[archive::Entry]) -> Result<(), CertifyError> {
    use std::io::Write as _;
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let file = tempfile::Builder::new()
        .prefix(".kofu-bundle-")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    let mut writer = archive::write(std::io::BufWriter::new(file), entries).map_err(io(out))?;
    writer.flush().map_err(io(out))?;
    let file = writer.into_inner().map_err(|e| io(out)(e.into_error()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let readable = std::fs::Permissions::from_mode(0o644);
        file.as_file().set_permissions(readable).map_err(io(out))?;
    }
    file.as_file().sync_all().map_err(io(out))?;
    file.persist(out).map_err(|e| io(out)(e.error))?;
    Ok(())
}

/// A bundle that verified.
#[derive(Debug, Clone)]
pub struct Verified {
    /// Its manifest.
    pub manifest: Manifest,
    /// Whether it is signed with the repository's TEST key (intact, but proof of
    /// nothing about who sealed it).
    pub test_key: bool,
}

/// Verify a bundle: every file against the manifest (none missing, none extra, none
/// changed), the archive's canonical form, and the signature, by `pinned_key` (a
/// `PUBLIC KEY` PEM) when given, else by the bundle's own `public-key.pem`.
pub fn verify(bundle: &Path, pinned_key: Option<&[u8]>) -> Result<Verified, CertifyError> {
    let size = std::fs::metadata(bundle).map_err(io(bundle))?.len();
    if size > archive::MAX_BUNDLE_BYTES {
        return Err(CertifyError::Archive(format!(
            "{size} bytes: larger than {} bytes",
            archive::MAX_BUNDLE_BYTES
        )));
    }
    let bytes = std::fs::read(bundle).map_err(io(bundle))?;
    let entries = archive::read(&bytes)?;
    let mut problems = Vec::new();
    let find = |path: &str| entries.iter().find(|e| e.path == path).map(|e| &e.data);

    let Some(manifest_bytes) = find(MANIFEST) else {
        return Err(CertifyError::NotVerified {
            problems: vec![format!("{MANIFEST} is missing")],
        });
    };
    let bundled_key = find(PUBLIC_KEY).map(|k| signing::public_key_from_pem(k));
    let key = match (pinned_key, &bundled_key) {
        (Some(pem), bundled) => {
            let pinned = signing::public_key_from_pem(pem)?;
            if let Some(Ok(bundled)) = bundled
                && *bundled != pinned
            {
                problems.push(format!("{PUBLIC_KEY} is not the pinned key (--public-key)"));
            }
            Some(pinned)
        }
        (None, Some(Ok(k))) => Some(*k),
        (None, Some(Err(e))) => {
            problems.push(format!("{PUBLIC_KEY}: {e}"));
            None
        }
        (None, None) => {
            problems.push(format!("{PUBLIC_KEY} is missing"));
            None
        }
    };
    match (key, find(SIGNATURE)) {
        (_, None) => problems.push(format!("{SIGNATURE} is missing")),
        (Some(key), Some(sig)) if !signing::verify(&key, manifest_bytes, sig) => {
            problems.push(format!("{SIGNATURE} does not verify {MANIFEST}"))
        }
        _ => {}
    }
    let manifest: Manifest = match serde_json::from_slice(manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("{MANIFEST} is not a kofu manifest: {e}"));
            return Err(CertifyError::NotVerified { problems });
        }
    };
    if manifest.format != manifest::FORMAT {
        problems.push(format!("unknown bundle format `{}`", manifest.format));
    }
    for entry in &entries {
        if entry.path == MANIFEST || entry.path == SIGNATURE {
            continue;
        }
        match manifest.files.get(&entry.path) {
            None => problems.push(format!("extra file: {}", entry.path)),
            Some(hash) if *hash != manifest::sha256(&entry.data) => {
                problems.push(format!("changed file: {}", entry.path))
            }
            Some(_) => {}
        }
    }
    for path in manifest.files.keys() {
        if find(path).is_none() {
            problems.push(format!("missing file: {path}"));
        }
    }
    if !problems.is_empty() {
        return Err(CertifyError::NotVerified { problems });
    }
    let test_key = key
        .zip(signing::public_key_from_pem(signing::TEST_PUBLIC_KEY_PEM.as_bytes()).ok())
        .is_some_and(|(k, t)| k == t);
    Ok(Verified { manifest, test_key })
}

/// Every regular file under `root`, as (`/`-separated path relative to `root`, path),
/// sorted. Symbolic links and other special files are refused, never followed.
pub fn files_under(root: &Path) -> Result<Vec<(String, PathBuf)>, CertifyError> {
    let mut out = Vec::new();
    let mut pending = vec![(String::new(), root.to_owned())];
    while let Some((prefix, dir)) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let path = entry.path();
            let name = entry.file_name().into_string().map_err(|_| {
                CertifyError::Run(format!("{} is not a UTF-8 name", path.display()))
            })?;
            let relative = format!("{prefix}{name}");
            let kind = entry.file_type().map_err(io(&path))?;
            if kind.is_dir() {
                pending.push((format!("{relative}/"), path));
            } else if kind.is_file() {
                out.push((relative, path));
            } else {
                return Err(CertifyError::Run(format!(
                    "{} is neither a file nor a folder (links are not followed)",
                    path.display()
                )));
            }
        }
    }
    out.sort();
    Ok(out)
}
