//! The run summary, the one typed model of a run's results from which every report
//! file is written (`summary.json`, `junit.xml`, `cucumber.json`): how the run ended,
//! per-verdict counts, and every scenario with its steps.
//!
//! Counting: `failed` counts every scenario JUnit reports as a `<failure>`: failed
//! scenarios and [`Verdict::Recorded`] ones (a first-time snapshot is not a pass until
//! it is reviewed); `recorded` says how many of them were recorded snapshots. `errors`
//! counts broken features, the setup error of a run that never started and every stale
//! waiver (see [`super::waiver`]); `skipped` the scenarios not applicable to the claims;
//! `waived` the failures a waiver accepts for now (JUnit shows them as `<skipped>`, so
//! that CI does not go red on a known, owned failure).

use std::collections::HashMap;

use super::waiver::{StaleWaiver, Waiver};
use super::{ScenarioResult, Verdict};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Run id.
    pub run_id: String,
    /// Candidate URL (empty when the run stopped before it was known).
    pub candidate: String,
    /// What the candidate is, stable across runs (the URL of an embedded or container
    /// candidate names a relay and changes): `reference` for the bundled reference server
    /// (with its defect switches), the URL of a `--server` candidate, the snapshot key of
    /// an image. Runs of different candidates are never merged.
    #[serde(default)]
    pub candidate_key: String,
    /// kofu's version.
    pub kofu_version: String,
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
    /// Scenarios not applicable (JUnit `skipped`, with the waived ones).
    pub skipped: usize,
    /// Failures a waiver accepts for now (JUnit `skipped` with a `waived:` message).
    #[serde(default)]
    pub waived: usize,
    /// Waivers that fail the run: expired, matching no scenario of the selection, or
    /// whose scenario did not fail. Each counts among `errors`.
    #[serde(default)]
    pub stale_waivers: Vec<StaleWaiver>,
    /// The candidate's verdict: the scenarios that judge the candidate (all but
    /// `@mock-only`).
    pub verdict: Counts,
    /// The scenarios tagged `@mock-only`: they check kofu's own mocks (the center's card
    /// checks and service hours, the kiosk's PIN lock), not the candidate, and are
    /// reported apart from its verdict. A failure among them still fails the run.
    pub mocks: Counts,
    /// The candidate's identity as it gave it at the probe, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<kofu_profile::identity::Identity>,
    /// The claims under test: the municipalities the candidate serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    /// Every scenario, sorted by feature and line.
    pub scenarios: Vec<ScenarioResult>,
}

/// One claim under test: a municipality the candidate serves.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// 全国地方公共団体コード (6 digits).
    pub code: String,
    /// Name, e.g. 青葉台市.
    pub name: String,
}

impl Claim {
    /// The claims of these municipality profiles.
    pub fn all(municipalities: &[kofu_fixtures::Municipality]) -> Vec<Self> {
        municipalities
            .iter()
            .map(|m| Self {
                code: m.code.clone(),
                name: m.name.clone(),
            })
            .collect()
    }
}

/// The tag of a scenario that checks kofu's own mocks, not the candidate.
pub const MOCK_ONLY_TAG: &str = "mock-only";

/// Scenario counts of one part of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Passed.
    pub passed: usize,
    /// Failed, recorded snapshots and errors included.
    pub failed: usize,
    /// Not applicable.
    pub skipped: usize,
    /// Failed, but waived.
    #[serde(default)]
    pub waived: usize,
}

impl Counts {
    fn of<'a>(scenarios: impl Iterator<Item = &'a ScenarioResult>) -> Self {
        let mut c = Self::default();
        for s in scenarios {
            match s.verdict {
                Verdict::Passed => c.passed += 1,
                Verdict::Skipped => c.skipped += 1,
                Verdict::Failed | Verdict::Recorded | Verdict::Error => c.failed += 1,
                Verdict::Waived => c.waived += 1,
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
        let mut summary = Self {
            run_id,
            candidate,
            candidate_key: String::new(),
            kofu_version: env!("CARGO_PKG_VERSION").to_owned(),
            status,
            reason: reason.map(|r| super::text::plain(&r)),
            started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            tests: 0,
            passed: 0,
            failed: 0,
            recorded: 0,
            errors: 0,
            skipped: 0,
            waived: 0,
            stale_waivers: Vec::new(),
            verdict: Counts::default(),
            mocks: Counts::default(),
            identity: None,
            claims: Vec::new(),
            scenarios,
        };
        summary.recount();
        summary
    }

    /// Count the verdicts of the scenarios again (after waivers changed some).
    pub fn recount(&mut self) {
        let scenarios = &self.scenarios;
        let count = |f: &dyn Fn(Verdict) -> bool| scenarios.iter().filter(|s| f(s.verdict)).count();
        let setup_error = usize::from(self.status == RunStatus::SetupError);
        let stale = self.stale_waivers.len();
        self.tests = scenarios.len() + setup_error + stale;
        self.passed = count(&|v| v == Verdict::Passed);
        self.failed = count(&|v| matches!(v, Verdict::Failed | Verdict::Recorded));
        self.recorded = count(&|v| v == Verdict::Recorded);
        self.errors = count(&|v| v == Verdict::Error) + setup_error + stale;
        self.skipped = count(&|v| v == Verdict::Skipped);
        self.waived = count(&|v| v == Verdict::Waived);
        self.verdict = Counts::of(scenarios.iter().filter(|s| !mock_only(s)));
        self.mocks = Counts::of(scenarios.iter().filter(|s| mock_only(s)));
    }

    /// Apply `waivers` on `today` (the run's start date): a failed scenario a waiver
    /// names becomes [`Verdict::Waived`] and carries the waiver. A waiver is stale, and
    /// fails the run, when `today` is past its expiry day, when it names no scenario of
    /// the report and none of `elsewhere` (the `<feature>:<line>` of the scenarios the
    /// selection left to other shards), or when its scenario did not fail.
    pub fn apply_waivers(
        &mut self,
        waivers: &[Waiver],
        today: chrono::NaiveDate,
        elsewhere: &std::collections::BTreeSet<String>,
    ) {
        for waiver in waivers {
            let stale = |why: String| StaleWaiver {
                waiver: waiver.clone(),
                why,
            };
            if waiver.expires < today {
                self.stale_waivers.push(stale(format!(
                    "it expired on {} (today is {today}): fix the failure or renew the waiver",
                    waiver.expires
                )));
                continue;
            }
            let found = self
                .scenarios
                .iter_mut()
                .find(|s| waiver.names(&s.feature, s.line, &s.id));
            match found {
                Some(s) if s.verdict == Verdict::Failed => {
                    s.verdict = Verdict::Waived;
                    s.waiver = Some(waiver.clone());
                }
                Some(s) => {
                    let word = s.verdict.word();
                    self.stale_waivers.push(stale(format!(
                        "its scenario {}:{} did not fail (it is {word}): remove the waiver",
                        s.feature, s.line
                    )));
                }
                None if elsewhere.contains(&waiver.scenario) => {}
                None => self.stale_waivers.push(stale(
                    "it matches no scenario of the selection (a feature file and line, or a scenario id, of the reports)"
                        .to_owned(),
                )),
            }
        }
        self.recount();
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
    ///
    /// A run with waivers (waived failures or stale waivers) adds `, N waived`; a stale
    /// waiver counts as failed.
    pub fn closing_line(&self) -> String {
        let setup_error = usize::from(self.status == RunStatus::SetupError);
        let stale = self.stale_waivers.len();
        let mut line = format!(
            "{} passed, {} failed, {} skipped",
            self.verdict.passed,
            self.verdict.failed + setup_error + stale,
            self.verdict.skipped
        );
        if self.waived > 0 || stale > 0 {
            line.push_str(&format!(", {} waived", self.verdict.waived));
        }
        line
    }

    /// The line of kofu's own mocks, printed before the closing line; `None` when the
    /// run had no `@mock-only` scenario.
    pub fn mock_line(&self) -> Option<String> {
        let m = self.mocks;
        (m.passed + m.failed + m.skipped + m.waived > 0).then(|| {
            let waived = if m.waived > 0 {
                format!(", {} waived", m.waived)
            } else {
                String::new()
            };
            format!(
                "kofu's own mocks (@mock-only, not part of the candidate's verdict): {} passed, {} failed, {} skipped{waived}",
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
            RunStatus::Completed if self.passed + self.waived == 0 => crate::exit::SETUP,
            RunStatus::Completed => crate::exit::PASSED,
        }
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
