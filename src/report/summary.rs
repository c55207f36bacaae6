//! The run summary, the one typed model of a run's results from which every report
//! file is written (`summary.json`, `junit.xml`, `cucumber.json`): how the run ended,
//! per-verdict counts, and every scenario with its steps.
//!
//! Counting: `failed` counts every scenario JUnit reports as a `<failure>`: failed
//! scenarios and [`Verdict::Recorded`] ones (a first-time snapshot is not a pass until
//! it is reviewed); `recorded` says how many of them were recorded snapshots. `errors`
//! counts broken features and the setup error of a run that never started;
//! `skipped` the scenarios not applicable to the claims.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::{ScenarioResult, Verdict};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunStatus {
    /// Every selected scenario ran.
    Completed,
    /// The run stopped before any scenario (unreachable candidate, bad option, …).
    SetupError,
    /// The selection matched no scenario.
    NoScenario,
    /// The overall deadline passed; unfinished scenarios are failed.
    DeadlineExceeded,
}

/// Counts and details of a finished run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    /// Run id.
    pub run_id: String,
    /// Candidate URL (empty when the run stopped before it was known).
    pub candidate: String,
    /// kofu's version.
    pub kofu_version: &'static str,
    /// How the run ended.
    pub status: RunStatus,
    /// Why the run ended early, in words, when it did.
    pub reason: Option<String>,
    /// Start (RFC 3339, UTC).
    pub started_at: String,
    /// End (RFC 3339, UTC).
    pub finished_at: String,
    /// Scenarios in the report (every verdict), plus one for a setup error.
    pub tests: usize,
    /// Scenarios passed.
    pub passed: usize,
    /// Scenarios failed, recorded snapshots included (JUnit `failures`).
    pub failed: usize,
    /// Of the failures, scenarios whose snapshot was recorded for review.
    pub recorded: usize,
    /// Broken features, and a setup error (JUnit `errors`).
    pub errors: usize,
    /// Scenarios not applicable (JUnit `skipped`).
    pub skipped: usize,
    /// The candidate's verdict: the scenarios that judge the candidate (all but
    /// `@mock-only`).
    pub verdict: Counts,
    /// The scenarios tagged `@mock-only`: they check kofu's own mocks (the center's card
    /// checks and service hours, the kiosk's PIN lock), not the candidate, and are
    /// reported apart from its verdict. A failure among them still fails the run.
    pub mocks: Counts,
    /// The candidate's identity as it gave it at the probe, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<kofu_profile::identity::Identity>,
    /// The claims under test: the municipalities the candidate serves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    /// Every scenario, sorted by feature and line.
    pub scenarios: Vec<ScenarioResult>,
}

/// One claim under test: a municipality the candidate serves.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    /// 全国地方公共団体コード (6 digits).
    pub code: String,
    /// Name, e.g. 青葉台市.
    pub name: String,
}

/// The tag of a scenario that checks kofu's own mocks, not the candidate.
pub const MOCK_ONLY_TAG: &str = "mock-only";

/// Scenario counts of one part of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Passed.
    pub passed: usize,
    /// Failed, recorded snapshots and errors included.
    pub failed: usize,
    /// Not applicable.
    pub skipped: usize,
}

impl Counts {
    fn of<'a>(scenarios: impl Iterator<Item = &'a ScenarioResult>) -> Self {
        let mut c = Self::default();
        for s in scenarios {
            match s.verdict {
                Verdict::Passed => c.passed += 1,
                Verdict::Skipped => c.skipped += 1,
                Verdict::Failed | Verdict::Recorded | Verdict::Error => c.failed += 1,
            }
        }
        c
    }
}

fn mock_only(s: &ScenarioResult) -> bool {
    s.tags.iter().any(|t| t == MOCK_ONLY_TAG)
}

/// A slug for a Cucumber JSON id: lowercase, whitespace as `-`, no `;`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_whitespace() || c == ';' {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

impl Summary {
    /// Summarise the results of a run.
    pub fn new(
        run_id: String,
        candidate: String,
        started_at: chrono::DateTime<chrono::Utc>,
        status: RunStatus,
        reason: Option<String>,
        mut scenarios: Vec<ScenarioResult>,
    ) -> Self {
        scenarios.sort_by(|a, b| (&a.feature, a.line).cmp(&(&b.feature, b.line)));
        assign_ids(&mut scenarios);
        let count = |f: &dyn Fn(Verdict) -> bool| scenarios.iter().filter(|s| f(s.verdict)).count();
        let setup_error = usize::from(status == RunStatus::SetupError);
        Self {
            run_id,
            candidate,
            kofu_version: env!("CARGO_PKG_VERSION"),
            status,
            reason: reason.map(|r| super::text::plain(&r)),
            started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            tests: scenarios.len() + setup_error,
            passed: count(&|v| v == Verdict::Passed),
            failed: count(&|v| matches!(v, Verdict::Failed | Verdict::Recorded)),
            recorded: count(&|v| v == Verdict::Recorded),
            errors: count(&|v| v == Verdict::Error) + setup_error,
            skipped: count(&|v| v == Verdict::Skipped),
            verdict: Counts::of(scenarios.iter().filter(|s| !mock_only(s))),
            mocks: Counts::of(scenarios.iter().filter(|s| mock_only(s))),
            identity: None,
            claims: Vec::new(),
            scenarios,
        }
    }

    /// The summary of a run that stopped before any scenario, saying why.
    pub fn setup_error(
        run_id: String,
        candidate: String,
        started_at: chrono::DateTime<chrono::Utc>,
        reason: String,
    ) -> Self {
        Self::new(
            run_id,
            candidate,
            started_at,
            RunStatus::SetupError,
            Some(reason),
            Vec::new(),
        )
    }

    /// The closing line: the candidate's verdict, `N passed, N failed, N skipped`, where
    /// failed counts every scenario that is not a pass nor skipped (failures, recorded
    /// snapshots, errors, a setup error). `@mock-only` scenarios are not in it (see
    /// [`Self::mock_line`]).
    pub fn closing_line(&self) -> String {
        let setup_error = usize::from(self.status == RunStatus::SetupError);
        format!(
            "{} passed, {} failed, {} skipped",
            self.verdict.passed,
            self.verdict.failed + setup_error,
            self.verdict.skipped
        )
    }

    /// The line of kofu's own mocks, printed before the closing line; `None` when the
    /// run had no `@mock-only` scenario.
    pub fn mock_line(&self) -> Option<String> {
        let m = self.mocks;
        (m.passed + m.failed + m.skipped > 0).then(|| {
            format!(
                "kofu's own mocks (@mock-only, not part of the candidate's verdict): {} passed, {} failed, {} skipped",
                m.passed, m.failed, m.skipped
            )
        })
    }

    /// The exit code (see [`crate::exit`]).
    pub fn exit_code(&self) -> i32 {
        match self.status {
            RunStatus::SetupError | RunStatus::NoScenario | RunStatus::DeadlineExceeded => {
                crate::exit::SETUP
            }
            RunStatus::Completed if self.failed + self.errors > 0 => crate::exit::FAILED,
            RunStatus::Completed if self.passed == 0 => crate::exit::SETUP,
            RunStatus::Completed => crate::exit::PASSED,
        }
    }

    /// The human-readable report printed to stdout; `colour` marks verdicts and diff
    /// lines with terminal colours (only for a terminal).
    pub fn render_with(&self, colour: bool) -> String {
        let paint = |code: &str, text: &str| {
            if colour {
                format!("\u{1b}[{code}m{text}\u{1b}[0m")
            } else {
                text.to_owned()
            }
        };
        let mut out = String::new();
        let mut phases: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
        for s in &self.scenarios {
            let e = phases.entry(s.phase.as_str()).or_default();
            match s.verdict {
                Verdict::Passed => e[0] += 1,
                Verdict::Failed | Verdict::Error => e[1] += 1,
                Verdict::Skipped => e[2] += 1,
                Verdict::Recorded => e[3] += 1,
            }
        }
        let _ = writeln!(out, "kofu run {} against {}", self.run_id, self.candidate);
        if let Some(reason) = &self.reason {
            let _ = writeln!(out, "{}", paint("1;31", &format!("run stopped: {reason}")));
        }
        let _ = writeln!(
            out,
            "{:<16} {:>6} {:>6} {:>7} {:>8}",
            "phase", "passed", "failed", "skipped", "recorded"
        );
        for (phase, [p, f, s, r]) in &phases {
            let _ = writeln!(out, "{phase:<16} {p:>6} {f:>6} {s:>7} {r:>8}");
        }
        for s in self.scenarios.iter().filter(|s| {
            matches!(
                s.verdict,
                Verdict::Failed | Verdict::Error | Verdict::Recorded
            )
        }) {
            let word = match s.verdict {
                Verdict::Recorded => "RECORDED",
                Verdict::Error => "ERROR",
                _ => "FAILED",
            };
            let _ = writeln!(
                out,
                "\n{} [{}] {}:{} {}",
                paint("1;31", word),
                s.phase,
                s.feature,
                s.line,
                s.scenario
            );
            if let Some(step) = &s.failed_step {
                let _ = writeln!(out, "  step: {step}");
            }
            if let Some(m) = &s.message {
                for line in m.lines() {
                    let line = if line.starts_with('-') {
                        paint("31", line)
                    } else if line.starts_with('+') {
                        paint("32", line)
                    } else {
                        line.to_owned()
                    };
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

    /// The human-readable report, without colour.
    pub fn render(&self) -> String {
        self.render_with(false)
    }

    /// Whether a scenario carrying `tag` failed.
    pub fn failed_with_tag(&self, tag: &str) -> bool {
        self.scenarios
            .iter()
            .any(|s| s.verdict == Verdict::Failed && s.tags.iter().any(|t| t == tag))
    }
}

/// Give every scenario its Cucumber JSON id, `<feature id>;<scenario id>` and
/// `;;row-N` for an outline row, made unique within the run by a `-2`, `-3` … suffix on
/// the feature id (two features of one name) or the scenario id (two scenarios of one
/// name).
fn assign_ids(scenarios: &mut [ScenarioResult]) {
    let mut feature_ids: HashMap<String, String> = HashMap::new();
    let mut used_feature_ids: HashMap<String, usize> = HashMap::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    for s in scenarios.iter_mut() {
        let feature_id = feature_ids
            .entry(s.feature.clone())
            .or_insert_with(|| {
                let base = slug(&s.detail.feature.name);
                let base = if base.is_empty() {
                    slug(&s.feature)
                } else {
                    base
                };
                let n = used_feature_ids.entry(base.clone()).or_default();
                *n += 1;
                if *n == 1 { base } else { format!("{base}-{n}") }
            })
            .clone();
        let mut id = format!("{feature_id};{}", slug(&s.scenario));
        if let Some(row) = s.detail.outline_row {
            id.push_str(&format!(";;row-{row}"));
        }
        let n = used.entry(id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            id.push_str(&format!("-{n}"));
        }
        s.id = id;
    }
}
