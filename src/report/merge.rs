//! `kofu report merge DIR... --out DIR`: one run folder from the run folders of the
//! shards of a selection (`kofu run --shard K/N`), as if one run had run them all.
//!
//! Each shard's `summary.json` gives its scenarios and verdicts, its `cucumber.json`
//! their steps ([`super::reread`]); the merged [`Summary`] is written as every run's
//! is, so the three report files agree and the merged counts are the sums of the
//! shards'. Shards that share a scenario, or that tested different candidates, are
//! refused. Each shard's `evidence/` is copied to `evidence/<shard folder name>/` of the
//! merged folder (the folders of the center and the probe are per run, so the shard's
//! name keeps them apart), and the evidence paths in the reports point there; recorded
//! snapshots (`snapshots/`) are copied as they are, for `kofu snapshots accept`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::{RunStatus, ScenarioResult, Summary, Verdict};

/// Why shards cannot be merged (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A run folder's report cannot be read.
    #[error("cannot read the run folder {path}: {detail}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// Two run folders hold the same scenario: they are not shards of one selection.
    #[error(
        "the run folders overlap: {scenario} is in both {first} and {second} (merge the shards of one selection, each once)"
    )]
    Overlap {
        /// `<feature>:<line>` of the scenario.
        scenario: String,
        /// One folder.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// The run folders tested different candidates.
    #[error(
        "the run folders tested different candidates: {first_candidate} in {first} and {second_candidate} in {second}"
    )]
    Candidates {
        /// One folder.
        first: PathBuf,
        /// Its candidate.
        first_candidate: String,
        /// The other.
        second: PathBuf,
        /// Its candidate.
        second_candidate: String,
    },
    /// The output folder already holds a report.
    #[error("{path} already holds a report: merge into a new folder")]
    OutputExists {
        /// The `summary.json` there.
        path: PathBuf,
    },
    /// Writing the merged folder failed.
    #[error("cannot write {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// The largest report file read back.
const MAX_REPORT_BYTES: u64 = 64 << 20;

fn read_json(path: &Path) -> Result<serde_json::Value, MergeError> {
    let read = |detail: String| MergeError::Read {
        path: path.to_owned(),
        detail,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| read(e.to_string()))?
        .len();
    if size > MAX_REPORT_BYTES {
        return Err(read(format!("{size} bytes is too large")));
    }
    let text = std::fs::read_to_string(path).map_err(|e| read(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| read(e.to_string()))
}

/// One shard read back.
struct Shard {
    dir: PathBuf,
    /// The folder name its evidence goes under.
    name: String,
    summary: Summary,
}

/// Merge the run folders `dirs` into `out` (created), reading the feature files under
/// `features_root` to place tags on their lines; returns the merged summary.
pub fn merge(dirs: &[PathBuf], out: &Path, features_root: &Path) -> Result<Summary, MergeError> {
    let existing = out.join("summary.json");
    if existing.exists() {
        return Err(MergeError::OutputExists { path: existing });
    }
    let mut shards: Vec<Shard> = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for dir in dirs {
        let path = dir.join("summary.json");
        let mut summary: Summary =
            serde_json::from_value(read_json(&path)?).map_err(|e| MergeError::Read {
                path: path.clone(),
                detail: format!("not a kofu summary: {e}"),
            })?;
        let cucumber = read_json(&dir.join("cucumber.json"))?;
        super::reread::restore_details(&mut summary.scenarios, &cucumber, features_root);
        let base = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "shard".into());
        let n = names.entry(base.clone()).or_default();
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base}-{n}") };
        shards.push(Shard {
            dir: dir.clone(),
            name,
            summary,
        });
    }
    check_candidates(&shards)?;
    let candidate = shards
        .iter()
        .map(|s| &s.summary)
        .find(|s| !s.candidate.is_empty())
        .map(|s| (s.candidate.clone(), s.candidate_key.clone()))
        .unwrap_or_default();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for shard in &shards {
        for s in &shard.summary.scenarios {
            let key = format!("{}:{}", s.feature, s.line);
            if let Some(first) = seen.insert(key.clone(), shard.dir.clone()) {
                return Err(MergeError::Overlap {
                    scenario: key,
                    first,
                    second: shard.dir.clone(),
                });
            }
        }
    }

    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| MergeError::Io { path, source }
    };
    std::fs::create_dir_all(out.join("evidence")).map_err(io(out))?;
    let mut scenarios: Vec<ScenarioResult> = Vec::new();
    let mut stale = Vec::new();
    let mut reasons = Vec::new();
    let mut statuses = Vec::new();
    let (mut started, mut finished): (Option<String>, Option<String>) = (None, None);
    for shard in shards {
        let from = shard.dir.join("evidence");
        let to = out.join("evidence").join(&shard.name);
        if from.is_dir() {
            copy_tree(&from, &to).map_err(io(&to))?;
        }
        let snapshots = shard.dir.join("snapshots");
        if snapshots.is_dir() {
            copy_tree(&snapshots, &out.join("snapshots")).map_err(io(&out.join("snapshots")))?;
        }
        let summary = shard.summary;
        statuses.push(summary.status);
        if let Some(reason) = &summary.reason {
            reasons.push(format!("{}: {reason}", shard.name));
        }
        if started.as_ref().is_none_or(|s| summary.started_at < *s) {
            started = Some(summary.started_at.clone());
        }
        if finished.as_ref().is_none_or(|f| summary.finished_at > *f) {
            finished = Some(summary.finished_at.clone());
        }
        for w in summary.stale_waivers {
            if !stale.contains(&w) {
                stale.push(w);
            }
        }
        for mut s in summary.scenarios {
            relocate_evidence(&mut s, &shard.name);
            scenarios.push(s);
        }
    }
    let status = if statuses.contains(&RunStatus::SetupError) {
        RunStatus::SetupError
    } else if statuses.contains(&RunStatus::DeadlineExceeded) {
        RunStatus::DeadlineExceeded
    } else if scenarios.iter().all(|s| s.verdict == Verdict::Skipped) {
        reasons.push("no scenario of the merged run folders ran".into());
        RunStatus::NoScenario
    } else {
        RunStatus::Completed
    };
    let reason = (status != RunStatus::Completed).then(|| reasons.join("; "));
    let started_at = started
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
    let mut summary = Summary::new(
        super::new_run_id(),
        candidate.0,
        started_at,
        status,
        reason,
        scenarios,
    );
    summary.candidate_key = candidate.1;
    if let Some(f) = finished {
        summary.finished_at = f;
    }
    summary.stale_waivers = stale;
    summary.recount();
    super::write_reports(out, &summary)
        .map_err(|(path, source)| MergeError::Io { path, source })?;
    Ok(summary)
}

/// Every shard that knew its candidate tested the same one: the same
/// [`Summary::candidate_key`] (or URL, for a summary without one).
fn check_candidates(shards: &[Shard]) -> Result<(), MergeError> {
    let key = |s: &Summary| {
        if s.candidate_key.is_empty() {
            s.candidate.clone()
        } else {
            s.candidate_key.clone()
        }
    };
    let mut first: Option<&Shard> = None;
    for shard in shards.iter().filter(|s| !key(&s.summary).is_empty()) {
        match first {
            None => first = Some(shard),
            Some(f) if key(&f.summary) != key(&shard.summary) => {
                return Err(MergeError::Candidates {
                    first: f.dir.clone(),
                    first_candidate: key(&f.summary),
                    second: shard.dir.clone(),
                    second_candidate: key(&shard.summary),
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// `evidence/…` of a shard is `evidence/<shard>/…` in the merged folder: the scenario's
/// folder and the paths its message names.
fn relocate_evidence(s: &mut ScenarioResult, shard: &str) {
    if let Some(e) = &s.evidence
        && let Ok(rest) = e.strip_prefix("evidence")
    {
        s.evidence = Some(Path::new("evidence").join(shard).join(rest));
    }
    if let Some(m) = &s.message {
        s.message = Some(m.replace(
            "evidence: evidence/",
            &format!("evidence: evidence/{shard}/"),
        ));
    }
}

/// Copy the tree `from` into `to`, keeping files already there; links are not followed.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() && !target.exists() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
