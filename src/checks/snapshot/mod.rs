//! Snapshots of issued certificates (insta): the 記載事項 as JSON plus the text
//! extracted from the PDF, with volatile values redacted, compared with a reviewed
//! snapshot under `fixtures/snapshots/<candidate key>/`.
//!
//! - Redacted: the certificate number, issuance id, request id, the PDF's SHA-256 (it
//!   covers the certificate number), member ids (opaque to the harness) and times of day
//!   in the text. The issue date stays: the scenario's clock fixes it.
//! - Name: `<phase folder>__<feature stem>-<id>` from the scenario's `@snapshot-<id>`
//!   tag, plus `-<n>` for the n-th issuance of a scenario after the first: stable when
//!   lines move, unique per scenario, so concurrent scenarios never touch the same file.
//!   A snapshot step in a scenario without the tag fails.
//! - Key: `reference` for the bundled reference server, else the candidate's product
//!   name (see `Candidate::snapshot_key`): never the port.
//! - Policy: a committed snapshot is compared on every run and a mismatch fails. A run
//!   never writes into the checkout: what it records for review goes to the run's
//!   report folder, `<run dir>/snapshots/<key>/<name>.snap.new` (insta's format).
//!   A missing snapshot fails for the reference server; for a vendor candidate the first
//!   run records it and the scenario is reported *recorded* (記録: not a pass, counted
//!   among the failures, exit 1) until `kofu snapshots accept <run dir>` copies it into
//!   the snapshots folder. A vendor mismatch also records the new version for review.
//!   Only the reference snapshots are compared through insta, so that a developer can
//!   re-record them with `INSTA_UPDATE=always` (the one case that writes into
//!   `fixtures/snapshots/reference/`; `INSTA_UPDATE=no` unless the caller set it).

use std::path::{Path, PathBuf};
use std::sync::Once;

mod render;
#[cfg(test)]
mod tests;

pub use render::{redact_times, render};

/// Candidate key of the bundled reference server.
pub const REFERENCE: &str = "reference";

/// What a snapshot check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The committed snapshot matches.
    Matched,
    /// No snapshot existed: a `.snap.new` was recorded for review.
    Recorded(PathBuf),
}

/// The snapshot differs from the committed one, or there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The committed snapshot file.
    pub file: PathBuf,
    /// Its contents, `None` when there is none.
    pub committed: Option<String>,
    /// What this run produced.
    pub actual: String,
    /// Where a `.snap.new` was written for review, if anywhere.
    pub pending: Option<PathBuf>,
}

/// Where a snapshot lives and what it is called.
#[derive(Debug, Clone)]
pub struct Location {
    /// `fixtures/snapshots/<candidate key>`.
    pub dir: PathBuf,
    /// `<run dir>/snapshots/<candidate key>`: where this run records for review.
    pub pending_dir: PathBuf,
    /// The snapshot name (file `<name>.snap`).
    pub name: String,
    /// The candidate key (`reference` or a URL slug).
    pub key: String,
}

impl Location {
    /// The snapshot of the `nth` (1-based) issuance of the scenario whose evidence
    /// folder is `evidence_dir` (`<run dir>/evidence/<phase>/<stem>-<id>`, see
    /// `report::scenario_evidence_dir`). Fails the step when the scenario has no
    /// `@snapshot-<id>` tag (its folder then ends in `-L<line>`).
    #[track_caller]
    pub fn new(snapshots_root: &Path, key: &str, evidence_dir: &Path, nth: usize) -> Self {
        let part = |p: Option<&Path>| {
            p.and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".to_owned())
        };
        let scenario = part(Some(evidence_dir));
        if let Some((_, line)) = scenario.rsplit_once("-L")
            && !line.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
        {
            panic!(
                "snapshot: the scenario needs a @snapshot-<id> tag: without it its snapshot \
                 would be named by its line ({scenario}), which moves whenever the feature is edited"
            );
        }
        let phase = part(evidence_dir.parent());
        let run_dir = evidence_dir.ancestors().nth(3).unwrap_or(Path::new("."));
        let mut name = format!("{phase}__{scenario}");
        if nth > 1 {
            name.push_str(&format!("-{nth}"));
        }
        Self {
            dir: snapshots_root.join(key),
            pending_dir: run_dir.join("snapshots").join(key),
            name,
            key: key.to_owned(),
        }
    }

    /// The committed snapshot file.
    pub fn file(&self) -> PathBuf {
        self.dir.join(format!("{}.snap", self.name))
    }

    /// The file recorded for review, in the run's report folder.
    pub fn pending(&self) -> PathBuf {
        self.pending_dir.join(format!("{}.snap.new", self.name))
    }
}

static ENV: Once = Once::new();

/// Point insta at the repository and make comparisons read-only unless the caller
/// chose an update mode (`INSTA_UPDATE=always` re-records the reference snapshots).
fn prepare_insta_env() {
    ENV.call_once(|| {
        let root = env!("CARGO_MANIFEST_DIR");
        // SAFETY: runs once, before the first snapshot assertion of the process; the
        // variables are only read by insta, which is first called after this.
        #[allow(unsafe_code)]
        unsafe {
            if std::env::var_os("INSTA_WORKSPACE_ROOT").is_none() {
                std::env::set_var("INSTA_WORKSPACE_ROOT", root);
            }
            if std::env::var_os("INSTA_UPDATE").is_none() {
                std::env::set_var("INSTA_UPDATE", "no");
            }
        }
    });
}

/// The text of a committed snapshot file, as insta reads it.
pub fn read_committed(file: &Path) -> Option<String> {
    let snapshot = insta::Snapshot::from_file(file).ok()?;
    snapshot.contents().as_text().map(|t| t.to_string())
}

/// Write a snapshot for review in insta's file format (`cargo insta review` reads it;
/// renaming `.snap.new` to `.snap` accepts it).
pub fn write_pending(path: &Path, description: &str, body: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let description = serde_json::to_string(description).unwrap_or_else(|_| "\"\"".into());
    let text = format!(
        "---\nsource: src/checks/snapshot.rs\ndescription: {description}\n---\n{}\n",
        body.trim_end()
    );
    std::fs::write(path, text)
}

/// Whether `body` equals the committed snapshot text, as insta compares them.
fn same_as_committed(committed: &str, body: &str) -> bool {
    use insta::internals::TextSnapshotContents;
    let kind = insta::TextSnapshotKind::File;
    TextSnapshotContents::new(committed.to_owned(), kind)
        .matches_latest(&TextSnapshotContents::new(body.to_owned(), kind))
}

/// Compare `body` with the snapshot at `location`. With `may_record` false (the
/// reference server with a defect on) nothing is ever written, whatever `INSTA_UPDATE`
/// says.
pub fn check(
    location: &Location,
    description: &str,
    body: &str,
    may_record: bool,
) -> Result<Outcome, Mismatch> {
    prepare_insta_env();
    let file = location.file();
    let reference = location.key == REFERENCE;
    let existed = file.is_file();
    if !may_record {
        let committed = read_committed(&file);
        if committed
            .as_deref()
            .is_some_and(|c| same_as_committed(c, body))
        {
            return Ok(Outcome::Matched);
        }
        return Err(Mismatch {
            file,
            committed,
            actual: body.to_owned(),
            pending: None,
        });
    }
    if !existed && !reference {
        let pending = location.pending();
        return match write_pending(&pending, description, body) {
            Ok(()) => Ok(Outcome::Recorded(pending)),
            Err(_) => Err(Mismatch {
                file,
                committed: None,
                actual: body.to_owned(),
                pending: None,
            }),
        };
    }
    if !reference {
        let committed = read_committed(&file);
        if committed
            .as_deref()
            .is_some_and(|c| same_as_committed(c, body))
        {
            return Ok(Outcome::Matched);
        }
        let pending_file = location.pending();
        let pending = write_pending(&pending_file, description, body)
            .is_ok()
            .then_some(pending_file);
        return Err(Mismatch {
            file,
            committed,
            actual: body.to_owned(),
            pending,
        });
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&location.dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    let name = location.name.as_str();
    let asserted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, body));
    }));
    if asserted.is_ok() {
        return Ok(Outcome::Matched);
    }
    // insta leaves `<name>.snap.new` beside the committed file only when the developer
    // asked for it (INSTA_UPDATE).
    let insta_pending = location.dir.join(format!("{}.snap.new", location.name));
    let pending = insta_pending.is_file().then_some(insta_pending);
    Err(Mismatch {
        committed: read_committed(&file),
        file,
        actual: body.to_owned(),
        pending,
    })
}

/// Accept the snapshots a run recorded for review: copy every
/// `<run dir>/snapshots/<key>/<name>.snap.new` to `<into>/<key>/<name>.snap`. Returns the
/// files written.
pub fn accept(run_dir: &Path, into: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let root = run_dir.join("snapshots");
    if !root.is_dir() {
        return Ok(written);
    }
    let mut keys: Vec<_> = std::fs::read_dir(&root)?.flatten().collect();
    keys.sort_by_key(|e| e.file_name());
    for key in keys.iter().filter(|e| e.path().is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(key.path())?.flatten().collect();
        files.sort_by_key(|e| e.file_name());
        for file in files {
            let name = file.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".snap.new") else {
                continue;
            };
            let target = into.join(key.file_name()).join(format!("{stem}.snap"));
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::copy(file.path(), &target)?;
            written.push(target);
        }
    }
    Ok(written)
}
