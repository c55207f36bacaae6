//! Narrowing a selection: `--rerun-failed REPORT_DIR` (only the scenarios that did not
//! pass in an earlier run) and `--shard K/N` (one of N disjoint parts of the selection).
//!
//! A shard is chosen per feature file: the feature's selected scenarios in line order
//! are dealt round-robin to the N shards, starting at a shard given by a stable hash of
//! the feature's path (FNV-1a, the same on every machine). So the same features and
//! selection always give the same split, the N shards partition the selection exactly,
//! and each holds about a N-th of every feature.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One of N parts of a selection, `K/N` with 1 ≤ K ≤ N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, 1-based.
    pub index: u32,
    /// How many parts.
    pub count: u32,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a shard K/N with 1 ≤ K ≤ N (e.g. 2/3)");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl Shard {
    /// Whether the scenario at `position` (0-based, in line order among the selected
    /// scenarios of the feature file `uri`) belongs to this shard.
    pub fn holds(&self, uri: &str, position: usize) -> bool {
        let n = u64::from(self.count);
        let start = fnv1a(uri.as_bytes()) % n;
        let part = (start + position as u64) % n;
        part == u64::from(self.index - 1)
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every platform and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Why `--rerun-failed` cannot select anything.
#[derive(Debug, thiserror::Error)]
pub enum RerunError {
    /// The earlier run's `summary.json` cannot be read or is not a summary.
    #[error("--rerun-failed: cannot read the earlier run's summary {path}: {detail}")]
    Unreadable {
        /// The `summary.json`.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// No scenario failed there: nothing to rerun, and that is never a pass.
    #[error(
        "--rerun-failed: no scenario failed in {path} ({passed} passed, {skipped} skipped): nothing to rerun"
    )]
    NothingFailed {
        /// The `summary.json`.
        path: PathBuf,
        /// Scenarios passed there.
        passed: u64,
        /// Scenarios skipped there.
        skipped: u64,
    },
}

/// The largest `summary.json` read back.
const MAX_SUMMARY_BYTES: u64 = 64 << 20;

/// The `(feature file, line)` of every scenario of the run in `report_dir` whose
/// verdict is failed, recorded or error.
pub fn failed_in(report_dir: &Path) -> Result<BTreeSet<(String, usize)>, RerunError> {
    let path = report_dir.join("summary.json");
    let unreadable = |detail: String| RerunError::Unreadable {
        path: path.clone(),
        detail,
    };
    let size = std::fs::metadata(&path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_SUMMARY_BYTES {
        return Err(unreadable(format!("{size} bytes is too large")));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(e.to_string()))?;
    let summary: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
    let scenarios = summary["scenarios"]
        .as_array()
        .ok_or_else(|| unreadable("it has no `scenarios` list".into()))?;
    let failed: BTreeSet<(String, usize)> = scenarios
        .iter()
        .filter(|s| matches!(s["verdict"].as_str(), Some("failed" | "recorded" | "error")))
        .filter_map(|s| {
            let feature = s["feature"].as_str()?.to_owned();
            let line = usize::try_from(s["line"].as_u64()?).ok()?;
            Some((feature, line))
        })
        .collect();
    if failed.is_empty() {
        return Err(RerunError::NothingFailed {
            path,
            passed: summary["passed"].as_u64().unwrap_or(0),
            skipped: summary["skipped"].as_u64().unwrap_or(0),
        });
    }
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_refuse_nonsense() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_position_is_in_exactly_one_shard() {
        for uri in [
            "01-connection/identity.feature",
            "05-settlement/records.feature",
        ] {
            for position in 0..20 {
                let holders = (1..=3)
                    .filter(|k| {
                        Shard {
                            index: *k,
                            count: 3,
                        }
                        .holds(uri, position)
                    })
                    .count();
                assert_eq!(holders, 1, "{uri} {position}");
            }
        }
        // Stable: the same input gives the same part on every machine.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn rerun_reads_the_failed_scenarios_and_refuses_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |scenarios: &str| {
            std::fs::write(
                dir.path().join("summary.json"),
                format!(r#"{{"passed": 1, "skipped": 0, "scenarios": {scenarios}}}"#),
            )
            .expect("write");
        };
        write(
            r#"[{"feature": "a.feature", "line": 3, "verdict": "failed"},
                {"feature": "a.feature", "line": 9, "verdict": "passed"},
                {"feature": "b.feature", "line": 4, "verdict": "recorded"},
                {"feature": "b.feature", "line": 7, "verdict": "waived"}]"#,
        );
        let failed = failed_in(dir.path()).expect("failed ones");
        assert_eq!(
            failed.into_iter().collect::<Vec<_>>(),
            vec![("a.feature".to_owned(), 3), ("b.feature".to_owned(), 4)]
        );
        write(r#"[{"feature": "a.feature", "line": 9, "verdict": "passed"}]"#);
        assert!(matches!(
            failed_in(dir.path()),
            Err(RerunError::NothingFailed { .. })
        ));
        assert!(matches!(
            failed_in(&dir.path().join("missing")),
            Err(RerunError::Unreadable { .. })
        ));
    }
}
