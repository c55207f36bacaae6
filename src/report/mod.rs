//! Reports of a run: `reports/<run-id>/` with `junit.xml`, `cucumber.json`,
//! `summary.json`, and `evidence/` (every exchange with the candidate and every
//! received PDF, one folder per scenario).

pub mod collector;
pub mod summary;

use std::path::{Path, PathBuf};

pub use collector::{Collector, ScenarioResult, Verdict};
pub use summary::Summary;

/// A fresh run id: UTC timestamp plus a short random suffix, sortable.
pub fn new_run_id() -> String {
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    format!("{now}-{suffix}")
}

/// Folder of one scenario's evidence: `evidence/<phase folder>/<feature stem>-L<line>`.
pub fn scenario_evidence_dir(run_dir: &Path, feature_path: Option<&Path>, line: usize) -> PathBuf {
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
        .join(format!("{stem}-L{line}"))
}
