//! The run summary: per-phase counts, failures with their evidence, skipped scenarios
//! with their reasons, and the closing line `N passed, N failed, N skipped`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{ScenarioResult, Verdict};

/// Counts and details of a finished run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    /// Run id.
    pub run_id: String,
    /// Candidate URL.
    pub candidate: String,
    /// Scenarios passed.
    pub passed: usize,
    /// Scenarios failed.
    pub failed: usize,
    /// Scenarios not applicable.
    pub skipped: usize,
    /// Every scenario, sorted by feature and line.
    pub scenarios: Vec<ScenarioResult>,
}

impl Summary {
    /// Summarise results.
    pub fn new(run_id: String, candidate: String, mut scenarios: Vec<ScenarioResult>) -> Self {
        scenarios.sort_by(|a, b| (&a.feature, a.line).cmp(&(&b.feature, b.line)));
        let count = |v| scenarios.iter().filter(|s| s.verdict == v).count();
        Self {
            run_id,
            candidate,
            passed: count(Verdict::Passed),
            failed: count(Verdict::Failed),
            skipped: count(Verdict::Skipped),
            scenarios,
        }
    }

    /// The closing line.
    pub fn closing_line(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }

    /// The human-readable report printed to stdout.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut phases: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for s in &self.scenarios {
            let e = phases.entry(s.phase.as_str()).or_default();
            match s.verdict {
                Verdict::Passed => e[0] += 1,
                Verdict::Failed => e[1] += 1,
                Verdict::Skipped => e[2] += 1,
            }
        }
        let _ = writeln!(out, "kofu run {} against {}", self.run_id, self.candidate);
        let _ = writeln!(
            out,
            "{:<16} {:>6} {:>6} {:>7}",
            "phase", "passed", "failed", "skipped"
        );
        for (phase, [p, f, s]) in &phases {
            let _ = writeln!(out, "{phase:<16} {p:>6} {f:>6} {s:>7}");
        }
        for s in self
            .scenarios
            .iter()
            .filter(|s| s.verdict == Verdict::Failed)
        {
            let _ = writeln!(
                out,
                "\nFAILED [{}] {}:{} {}",
                s.phase, s.feature, s.line, s.scenario
            );
            if let Some(step) = &s.failed_step {
                let _ = writeln!(out, "  step: {step}");
            }
            if let Some(m) = &s.message {
                for line in m.lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
            let mentions_evidence = s
                .message
                .as_deref()
                .is_some_and(|m| m.contains("evidence: "));
            if let Some(e) = s.evidence.as_ref().filter(|_| !mentions_evidence) {
                let _ = writeln!(out, "  evidence: {}", e.display());
            }
        }
        for s in self
            .scenarios
            .iter()
            .filter(|s| s.verdict == Verdict::Skipped)
        {
            let _ = writeln!(
                out,
                "SKIPPED [{}] {}:{} {}: {}",
                s.phase,
                s.feature,
                s.line,
                s.scenario,
                s.message.as_deref().unwrap_or("not applicable")
            );
        }
        out
    }

    /// Whether a scenario carrying `tag` failed.
    pub fn failed_with_tag(&self, tag: &str) -> bool {
        self.scenarios
            .iter()
            .any(|s| s.verdict == Verdict::Failed && s.tags.iter().any(|t| t == tag))
    }
}
