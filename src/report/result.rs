//! The typed results of a run: one [`ScenarioResult`] per scenario with every step's
//! result (background steps apart), the feature it belongs to and its phase. Every report
//! file is written from these results.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use cucumber::{event, gherkin};

use super::text::plain;

/// Outcome of one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every step passed.
    Passed,
    /// A step failed, did not match, a hook failed, or the run deadline passed first.
    Failed,
    /// Not applicable to the claims (never run).
    Skipped,
    /// 記録: every step passed, but a snapshot had no reviewed version and was recorded
    /// for review. Not a pass: it counts among the failures until it is accepted.
    Recorded,
    /// The feature itself is broken (unparsable, an unknown `@requires-` tag): counted
    /// as an error.
    Error,
    /// A failure accepted for now by a waiver (`kofu run --waivers FILE`): reported with
    /// the waiver's reason and owner, and not a failure of the run.
    Waived,
}

impl Verdict {
    /// The word of the verdict in `summary.json` (`passed`, `failed`, …, `waived`).
    pub fn word(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Recorded => "recorded",
            Self::Error => "error",
            Self::Waived => "waived",
        }
    }
}

/// Status of one step, with the words of the Cucumber JSON format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// The step ran and passed.
    Passed,
    /// The step ran and failed.
    Failed,
    /// The step never ran (an earlier step failed, or the scenario did not run).
    Skipped,
    /// No step definition matches the step text.
    Undefined,
}

/// One step's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StepResult {
    /// Keyword as written, e.g. `前提`, without trailing space.
    pub keyword: String,
    /// The step text after the keyword.
    pub text: String,
    /// Line in the feature file.
    pub line: usize,
    /// The status.
    pub status: StepStatus,
    /// How long it ran, nanoseconds.
    pub duration_ns: Option<u64>,
    /// Why it failed.
    pub error: Option<String>,
    /// The doc string argument, if any.
    pub docstring: Option<String>,
    /// The data table argument, if any.
    pub table: Vec<Vec<String>>,
    /// When it started, while it runs.
    #[serde(skip)]
    pub(super) started: Option<SystemTime>,
}

impl StepResult {
    pub(super) fn not_run(step: &gherkin::Step) -> Self {
        Self {
            keyword: step.keyword.trim().to_owned(),
            text: step.value.clone(),
            line: step.position.line,
            status: StepStatus::Skipped,
            duration_ns: None,
            error: None,
            docstring: step.docstring.clone(),
            table: step
                .table
                .as_ref()
                .map(|t| t.rows.clone())
                .unwrap_or_default(),
            started: None,
        }
    }

    /// `前提 受付日時は…`: keyword, one space, text.
    pub fn display(&self) -> String {
        format!("{} {}", self.keyword, self.text)
    }
}

/// The feature a scenario belongs to, as the reports show it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FeatureInfo {
    /// Feature file relative to the features folder, `/`-separated.
    pub uri: String,
    /// Feature keyword as written, e.g. `機能`.
    pub keyword: String,
    /// Feature name.
    pub name: String,
    /// Feature description.
    pub description: String,
    /// Line of the feature keyword.
    pub line: usize,
    /// Feature tags, without `@`.
    pub tags: Vec<String>,
    /// Absolute path of the file, to find tag lines; never written to a report.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// What a report needs beyond the verdict: feature, keyword, steps, durations.
#[derive(Debug, Clone, Default)]
pub struct ScenarioDetail {
    /// The feature.
    pub feature: Arc<FeatureInfo>,
    /// Scenario keyword as written, e.g. `シナリオ`.
    pub keyword: String,
    /// Scenario description.
    pub description: String,
    /// The scenario's own tags (rule, scenario and examples), without `@`.
    pub own_tags: Vec<String>,
    /// For a row of a scenario outline: its 1-based row number.
    pub outline_row: Option<usize>,
    /// Background keyword and line, when the feature (or rule) has a background.
    pub background: Option<(String, usize)>,
    /// Background steps.
    pub background_steps: Vec<StepResult>,
    /// Scenario steps.
    pub steps: Vec<StepResult>,
    /// Start of the scenario.
    pub started: Option<SystemTime>,
    /// How long it ran, nanoseconds.
    pub duration_ns: Option<u64>,
}

/// One scenario's result.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ScenarioResult {
    /// Stable scenario id, `<feature id>;<scenario id>` (`;;row-N` for an outline row),
    /// as in the Cucumber JSON report; unique in the run.
    pub id: String,
    /// The phase tag without `@phase-`, e.g. `connection`.
    pub phase: String,
    /// Feature file, relative to the features folder.
    pub feature: String,
    /// Scenario name.
    pub scenario: String,
    /// Line of the scenario in the feature file (of its row, for an outline row).
    pub line: usize,
    /// All tags (feature, rule, scenario), without `@`.
    pub tags: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Failure message or skip reason, plain text.
    pub message: Option<String>,
    /// The step that failed.
    pub failed_step: Option<String>,
    /// Evidence folder, relative to the run folder.
    pub evidence: Option<PathBuf>,
    /// The waiver that waived the failure, for a [`Verdict::Waived`] scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<super::waiver::Waiver>,
    /// Feature, steps and durations.
    #[serde(skip)]
    pub detail: ScenarioDetail,
}

impl ScenarioResult {
    /// A result for a scenario of `feature` that has not run (yet), its path shown
    /// relative to `features_root`.
    pub fn new(
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        features_root: &Path,
        verdict: Verdict,
        message: Option<String>,
    ) -> Self {
        let info = Arc::new(feature_info(feature, features_root));
        let own_tags: Vec<String> = rule
            .iter()
            .flat_map(|r| r.tags.iter())
            .chain(scenario.tags.iter())
            .cloned()
            .collect();
        let tags: Vec<String> = feature
            .tags
            .iter()
            .chain(own_tags.iter())
            .cloned()
            .collect();
        let background = rule
            .and_then(|r| r.background.as_ref())
            .into_iter()
            .chain(feature.background.as_ref())
            .collect::<Vec<_>>();
        let outline_row = scenario.examples.first().map(|ex| {
            // cucumber expands row `n` (0-based) to line `examples line + n + 2`.
            scenario.position.line.saturating_sub(ex.position.line + 1)
        });
        let detail = ScenarioDetail {
            feature: info.clone(),
            keyword: scenario.keyword.trim().to_owned(),
            description: scenario.description.clone().unwrap_or_default(),
            own_tags,
            outline_row,
            background: background
                .first()
                .map(|b| (b.keyword.trim().to_owned(), b.position.line)),
            background_steps: background
                .iter()
                .rev()
                .flat_map(|b| b.steps.iter())
                .map(StepResult::not_run)
                .collect(),
            steps: scenario.steps.iter().map(StepResult::not_run).collect(),
            started: None,
            duration_ns: None,
        };
        Self {
            id: String::new(),
            phase: phase_of(&tags),
            feature: info.uri.clone(),
            scenario: scenario.name.clone(),
            line: scenario.position.line,
            tags,
            verdict,
            message: message.map(|m| plain(&m)),
            failed_step: None,
            evidence: None,
            waiver: None,
            detail,
        }
    }

    /// A feature file that could not be parsed: one error result standing for it.
    pub fn broken_feature(uri: String, message: String) -> Self {
        let detail = ScenarioDetail {
            feature: Arc::new(FeatureInfo {
                uri: uri.clone(),
                keyword: "Feature".into(),
                name: uri.clone(),
                line: 1,
                ..FeatureInfo::default()
            }),
            keyword: "Scenario".into(),
            ..ScenarioDetail::default()
        };
        Self {
            id: String::new(),
            phase: "unphased".into(),
            feature: uri,
            scenario: "feature file could not be parsed".into(),
            line: 1,
            tags: Vec::new(),
            verdict: Verdict::Error,
            message: Some(plain(&message)),
            failed_step: None,
            evidence: None,
            waiver: None,
            detail,
        }
    }

    /// Every step, background first.
    pub fn all_steps(&self) -> impl Iterator<Item = &StepResult> {
        self.detail
            .background_steps
            .iter()
            .chain(self.detail.steps.iter())
    }

    /// Whether the scenario has a verdict yet.
    pub(super) fn finished(&self) -> bool {
        self.detail.duration_ns.is_some() || self.verdict != Verdict::Passed
    }
}

fn feature_info(feature: &gherkin::Feature, features_root: &Path) -> FeatureInfo {
    FeatureInfo {
        uri: feature
            .path
            .as_deref()
            .map(|p| relative_uri(p, features_root))
            .unwrap_or_default(),
        keyword: feature.keyword.trim().to_owned(),
        name: feature.name.clone(),
        description: feature.description.clone().unwrap_or_default(),
        line: feature.position.line,
        tags: feature.tags.clone(),
        source: feature.path.clone(),
    }
}

/// `path` relative to `root`, `/`-separated; the file name alone when it is elsewhere,
/// so that no report carries the checkout's absolute path.
pub fn relative_uri(path: &Path, root: &Path) -> String {
    let rel = path
        .strip_prefix(root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            let canonical = path.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            canonical.strip_prefix(root).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.file_name().map(PathBuf::from).unwrap_or_default());
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Phase of a scenario from its tags (`@phase-x` gives `x`).
pub fn phase_of(tags: &[String]) -> String {
    tags.iter()
        .find_map(|t| t.strip_prefix("phase-"))
        .unwrap_or("unphased")
        .to_owned()
}

/// Text of a failed step's error, panic payloads unwrapped, escapes removed.
pub fn step_error_text(err: &event::StepError) -> String {
    let text = match err {
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
    };
    plain(&text)
}
