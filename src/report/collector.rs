//! A cucumber writer that collects one verdict per scenario, with the failing step's
//! message, for the summary and the kill matrix.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cucumber::{Event, World, Writer, cli, event, parser};

/// Outcome of one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every step passed.
    Passed,
    /// A step failed, did not match, or a hook failed.
    Failed,
    /// Not applicable to the claims (never run).
    Skipped,
}

/// One scenario's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScenarioResult {
    /// The phase tag without `@phase-`, e.g. `connection`.
    pub phase: String,
    /// Feature file, relative to the features folder where possible.
    pub feature: String,
    /// Scenario name.
    pub scenario: String,
    /// Line of the scenario in the feature file.
    pub line: usize,
    /// All tags (feature and scenario).
    pub tags: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Failure message or skip reason.
    pub message: Option<String>,
    /// The step that failed.
    pub failed_step: Option<String>,
    /// Evidence folder.
    pub evidence: Option<PathBuf>,
}

impl ScenarioResult {
    /// A result for a scenario of `feature`, its path shown relative to `features_root`.
    pub fn new(
        feature: &cucumber::gherkin::Feature,
        scenario: &cucumber::gherkin::Scenario,
        tags: Vec<String>,
        features_root: &std::path::Path,
        verdict: Verdict,
        message: Option<String>,
    ) -> Self {
        Self {
            phase: phase_of(&tags),
            feature: feature
                .path
                .as_deref()
                .map(|p| {
                    p.strip_prefix(features_root)
                        .unwrap_or(p)
                        .display()
                        .to_string()
                })
                .unwrap_or_default(),
            scenario: scenario.name.clone(),
            line: scenario.position.line,
            tags,
            verdict,
            message,
            failed_step: None,
            evidence: None,
        }
    }
}

/// Shared list of results, filled by the writer and the applicability filter.
pub type Results = Arc<Mutex<Vec<ScenarioResult>>>;

/// The collecting writer.
#[derive(Debug, Clone)]
pub struct Collector {
    results: Results,
    run_dir: PathBuf,
    features_root: PathBuf,
    /// Scenarios already recorded as failed, keyed by feature path and line.
    failed: HashSet<(Option<PathBuf>, usize)>,
}

impl Collector {
    /// A collector pushing into `results`.
    pub fn new(results: Results, run_dir: PathBuf, features_root: PathBuf) -> Self {
        Self {
            results,
            run_dir,
            features_root,
            failed: HashSet::new(),
        }
    }
}

/// Phase of a scenario from its tags (`@phase-x` gives `x`).
pub fn phase_of(tags: &[String]) -> String {
    tags.iter()
        .find_map(|t| t.strip_prefix("phase-"))
        .unwrap_or("unphased")
        .to_owned()
}

/// Text of a failed step's error, panic payloads unwrapped.
pub fn step_error_text(err: &event::StepError) -> String {
    match err {
        event::StepError::Panic(info) => {
            if let Some(s) = info.downcast_ref::<String>() {
                s.clone()
            } else if let Some(s) = info.downcast_ref::<&str>() {
                (*s).to_owned()
            } else {
                "step panicked".to_owned()
            }
        }
        other => other.to_string(),
    }
}

impl Collector {
    fn push(
        &self,
        feature: &cucumber::gherkin::Feature,
        scenario: &cucumber::gherkin::Scenario,
        verdict: Verdict,
        message: Option<String>,
        failed_step: Option<String>,
    ) {
        let tags: Vec<String> = feature
            .tags
            .iter()
            .chain(scenario.tags.iter())
            .cloned()
            .collect();
        let evidence = super::scenario_evidence_dir(
            &self.run_dir,
            feature.path.as_deref(),
            scenario.position.line,
        );
        let mut result = ScenarioResult::new(
            feature,
            scenario,
            tags,
            &self.features_root,
            verdict,
            message,
        );
        result.failed_step = failed_step;
        result.evidence = evidence.exists().then_some(evidence);
        if let Ok(mut results) = self.results.lock() {
            results.push(result);
        }
    }
}

impl<W: World + std::fmt::Debug> Writer<W> for Collector {
    type Cli = cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<W>>>,
        _cli: &Self::Cli,
    ) {
        use event::{Cucumber, Feature, Rule, Scenario, Step};
        let event = match event {
            Ok(event) => event,
            Err(err) => {
                if let Ok(mut results) = self.results.lock() {
                    results.push(ScenarioResult {
                        phase: "unphased".into(),
                        feature: String::new(),
                        scenario: "feature file could not be parsed".into(),
                        line: 0,
                        tags: Vec::new(),
                        verdict: Verdict::Failed,
                        message: Some(err.to_string()),
                        failed_step: None,
                        evidence: None,
                    });
                }
                return;
            }
        };
        let Cucumber::Feature(feature, ev) = event.value else {
            return;
        };
        let (scenario, ev) = match ev {
            Feature::Scenario(sc, ev) | Feature::Rule(_, Rule::Scenario(sc, ev)) => (sc, ev),
            _ => return,
        };
        let step_failure = |step: &cucumber::gherkin::Step, ev: &Step<W>| match ev {
            Step::Failed(_, _, _, err) => Some((
                format!("{} {}", step.keyword.trim(), step.value),
                step_error_text(err),
            )),
            Step::Skipped => Some((
                format!("{} {}", step.keyword.trim(), step.value),
                "step is undefined or was skipped (no step definition matches)".to_owned(),
            )),
            _ => None,
        };
        match ev.event {
            Scenario::Step(step, ev) | Scenario::Background(step, ev) => {
                let key = (feature.path.clone(), scenario.position.line);
                if self.failed.contains(&key) {
                    return;
                }
                if let Some((step_text, message)) = step_failure(&step, &ev) {
                    self.push(
                        &feature,
                        &scenario,
                        Verdict::Failed,
                        Some(message),
                        Some(step_text),
                    );
                    self.failed
                        .insert((feature.path.clone(), scenario.position.line));
                }
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                let message = info
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "a scenario hook failed".into());
                self.push(&feature, &scenario, Verdict::Failed, Some(message), None);
                self.failed
                    .insert((feature.path.clone(), scenario.position.line));
            }
            Scenario::Finished => {
                let key = (feature.path.clone(), scenario.position.line);
                if !self.failed.remove(&key) {
                    self.push(&feature, &scenario, Verdict::Passed, None, None);
                }
            }
            _ => {}
        }
    }
}
