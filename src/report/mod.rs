//! Reports of a run: `<report dir>/<run-id>/` with `junit.xml`, `cucumber.json`,
//! `summary.json`, `report.html` (the printable 試験成績書), `evidence/` (every exchange with the candidate and every received
//! PDF, one folder per scenario) and `snapshots/` (snapshots recorded for review).
//!
//! Every report file is written from one typed model, the [`Summary`], at the end of
//! the run, atomically (a temporary file renamed into place): an interrupted run leaves
//! no half-written file. A run that stops early (exit 2) still writes them all.

pub mod collector;
pub mod cucumber_json;
pub mod html;
pub mod junit;
pub mod merge;
pub mod render;
pub mod reread;
pub mod result;
pub mod summary;
pub mod text;
pub mod waiver;

use std::path::{Path, PathBuf};

pub use collector::Collector;
pub use result::{ScenarioResult, StepResult, StepStatus, Verdict};
pub use summary::{Claim, RunStatus, Summary};

/// A fresh run id: UTC timestamp plus a short random suffix, sortable.
pub fn new_run_id() -> String {
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    format!("{now}-{suffix}")
}

/// The stable part of a scenario's folder and snapshot names: the `<id>` of its
/// `@snapshot-<id>` tag when it has one (so that a snapshot keeps its name when lines
/// move), else `L<line>`.
pub fn scenario_key(scenario: &cucumber::gherkin::Scenario) -> String {
    scenario
        .tags
        .iter()
        .find_map(|t| t.strip_prefix("snapshot-"))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("L{}", scenario.position.line))
}

/// Folder of one scenario's evidence: `evidence/<phase folder>/<feature stem>-<key>`
/// (see [`scenario_key`]).
pub fn scenario_evidence_dir(
    run_dir: &Path,
    feature_path: Option<&Path>,
    scenario: &cucumber::gherkin::Scenario,
) -> PathBuf {
    let (phase, stem) = feature_path
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "feature".into());
            let phase = p
                .parent()
                .and_then(|d| d.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "features".into());
            (phase, stem)
        })
        .unwrap_or_else(|| ("features".into(), "feature".into()));
    run_dir
        .join("evidence")
        .join(phase)
        .join(format!("{stem}-{}", scenario_key(scenario)))
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, synced,
/// then renamed over `path`. A reader never sees a partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::Builder::new()
        .prefix(".kofu-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write `summary.json`, `junit.xml`, `cucumber.json` and `report.html` of `summary`
/// into `run_dir`.
pub fn write_reports(run_dir: &Path, summary: &Summary) -> Result<(), (PathBuf, std::io::Error)> {
    let json = serde_json::to_vec_pretty(summary).unwrap_or_default();
    let cucumber = serde_json::to_vec_pretty(&cucumber_json::render(summary)).unwrap_or_default();
    for (name, bytes) in [
        ("cucumber.json", cucumber),
        ("junit.xml", junit::render(summary).into_bytes()),
        ("report.html", html::render(summary, run_dir).into_bytes()),
        ("summary.json", json),
    ] {
        let path = run_dir.join(name);
        write_atomic(&path, &bytes).map_err(|e| (path, e))?;
    }
    Ok(())
}
