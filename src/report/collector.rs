//! The typed results of a run, and the cucumber writer that collects them: one
//! [`ScenarioResult`] per scenario with every step's result (background steps apart),
//! filled by the writer from cucumber's events and by the applicability filter for the
//! scenarios it rules out. Every report file is written from these results.
//!
//! The collector keys events by feature file and scenario line, so it needs no
//! normalized (reordered) event stream: it sees events as they happen, which keeps
//! step durations true and lets a run stopped at its deadline report what was under
//! way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use cucumber::{Event, World, Writer, cli, event, gherkin, parser};

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
    started: Option<SystemTime>,
}

impl StepResult {
    fn not_run(step: &gherkin::Step) -> Self {
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
#[derive(Debug, Clone, serde::Serialize)]
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
    fn finished(&self) -> bool {
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

/// Key of a scenario in a run: feature file and scenario line.
type Key = (Option<PathBuf>, usize);

/// The results of a run as they come in.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every scenario the run knows of, in the order it learnt of them.
    results: Vec<ScenarioResult>,
    /// Index into `results` of the scenarios selected to run, by key.
    selected: HashMap<Key, usize>,
    /// Every tag seen on any scenario of the features, selected or not.
    pub tags_seen: std::collections::BTreeSet<String>,
}

impl Collected {
    /// Add a result that is final already (skipped, feature error).
    pub fn push_final(&mut self, result: ScenarioResult) {
        self.results.push(result);
    }

    /// Add a scenario selected to run; the collector fills it in.
    pub fn push_selected(&mut self, path: Option<PathBuf>, result: ScenarioResult) {
        self.selected
            .insert((path, result.line), self.results.len());
        self.results.push(result);
    }

    fn selected_mut(&mut self, key: &Key) -> Option<&mut ScenarioResult> {
        let i = *self.selected.get(key)?;
        self.results.get_mut(i)
    }

    /// All results; a selected scenario that never finished is failed with
    /// `unfinished` as its message (e.g. "run deadline exceeded").
    pub fn into_results(self, unfinished: &str) -> Vec<ScenarioResult> {
        let mut results = self.results;
        for i in self.selected.values() {
            let r = &mut results[*i];
            if !r.finished() {
                r.verdict = Verdict::Failed;
                r.message = Some(unfinished.to_owned());
            }
        }
        results
    }
}

/// Shared results, filled by the writer and the applicability filter.
pub type Results = Arc<Mutex<Collected>>;

/// The collecting writer.
#[derive(Debug, Clone)]
pub struct Collector {
    results: Results,
    run_dir: PathBuf,
    features_root: PathBuf,
    progress: bool,
}

impl Collector {
    /// A collector filling `results`; with `progress`, each finished scenario is printed
    /// to stderr with its steps.
    pub fn new(results: Results, run_dir: PathBuf, features_root: PathBuf, progress: bool) -> Self {
        Self {
            results,
            run_dir,
            features_root,
            progress,
        }
    }

    fn with<R>(&self, key: &Key, f: impl FnOnce(&mut ScenarioResult) -> R) -> Option<R> {
        let mut results = self.results.lock().ok()?;
        results.selected_mut(key).map(f)
    }
}

fn nanos(from: Option<SystemTime>, to: SystemTime) -> Option<u64> {
    let d = to.duration_since(from?).ok()?;
    Some(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The collector keys every event by scenario: it does not need cucumber's normalized
/// (per-feature reordered) stream.
impl cucumber::writer::Normalized for Collector {}

impl<W: World + std::fmt::Debug> Writer<W> for Collector {
    type Cli = cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<W>>>,
        _cli: &Self::Cli,
    ) {
        use event::{Cucumber, Feature, Rule, Scenario};
        let event = match event {
            Ok(event) => event,
            Err(err) => {
                let uri = match &err {
                    parser::Error::Parsing(e) => match e.as_ref() {
                        gherkin::ParseFileError::Reading { path, .. }
                        | gherkin::ParseFileError::Parsing { path, .. } => {
                            relative_uri(path, &self.features_root)
                        }
                    },
                    parser::Error::ExampleExpansion(e) => e
                        .path
                        .as_deref()
                        .map(|p| relative_uri(p, &self.features_root))
                        .unwrap_or_default(),
                };
                let message = match &err {
                    parser::Error::Parsing(e) => match e.as_ref() {
                        gherkin::ParseFileError::Reading { source, .. } => {
                            format!("cannot read the feature file: {source}")
                        }
                        parsing @ gherkin::ParseFileError::Parsing { .. } => {
                            format!("the feature file does not parse: {parsing}")
                        }
                    },
                    parser::Error::ExampleExpansion(e) => format!(
                        "an outline placeholder <{}> at line {} has no column in its examples",
                        e.name, e.pos.line
                    ),
                };
                if let Ok(mut results) = self.results.lock() {
                    results.push_final(ScenarioResult::broken_feature(uri, message));
                }
                return;
            }
        };
        let at = event.at;
        let Cucumber::Feature(feature, ev) = event.value else {
            return;
        };
        let (scenario, ev) = match ev {
            Feature::Scenario(sc, ev) | Feature::Rule(_, Rule::Scenario(sc, ev)) => (sc, ev),
            _ => return,
        };
        let key = (feature.path.clone(), scenario.position.line);
        match ev.event {
            Scenario::Started => {
                self.with(&key, |r| r.detail.started = Some(at));
            }
            Scenario::Step(step, ev) | Scenario::Background(step, ev)
                if matches!(ev, event::Step::Started) =>
            {
                self.with(&key, |r| {
                    if let Some(s) = step_mut(r, &step) {
                        s.started = Some(at);
                    }
                });
            }
            Scenario::Step(step, ev) | Scenario::Background(step, ev) => {
                self.with(&key, |r| {
                    let first_failure = r.failed_step.is_none();
                    let Some(s) = step_mut(r, &step) else {
                        return;
                    };
                    s.duration_ns = nanos(s.started, at);
                    let failure = match &ev {
                        event::Step::Passed(..) => {
                            s.status = StepStatus::Passed;
                            None
                        }
                        event::Step::Skipped => {
                            s.status = StepStatus::Undefined;
                            Some(
                                "no step definition matches this step (it doesn't match any function)"
                                    .to_owned(),
                            )
                        }
                        event::Step::Failed(_, _, _, err) => {
                            s.status = if matches!(err, event::StepError::NotFound) {
                                StepStatus::Undefined
                            } else {
                                StepStatus::Failed
                            };
                            Some(step_error_text(err))
                        }
                        event::Step::Started => None,
                    };
                    if let Some(message) = failure {
                        s.error = Some(message.clone());
                        let shown = s.display();
                        if first_failure {
                            r.verdict = Verdict::Failed;
                            r.failed_step = Some(shown);
                            r.message = Some(message);
                        }
                    }
                });
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                let message = info
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| info.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a scenario hook failed".into());
                self.with(&key, |r| {
                    if r.failed_step.is_none() && r.verdict != Verdict::Failed {
                        r.verdict = Verdict::Failed;
                        r.message = Some(plain(&message));
                    }
                });
            }
            Scenario::Finished => {
                let run_dir = self.run_dir.clone();
                let progress = self.progress;
                self.with(&key, |r| {
                    r.detail.duration_ns = nanos(r.detail.started, at).or(Some(0));
                    let evidence =
                        super::scenario_evidence_dir(&run_dir, feature.path.as_deref(), &scenario);
                    if r.verdict == Verdict::Passed {
                        // A snapshot step that recorded a first snapshot leaves this note.
                        if let Ok(note) =
                            std::fs::read_to_string(evidence.join("snapshot-note.txt"))
                        {
                            r.verdict = Verdict::Recorded;
                            r.message = Some(plain(note.trim()));
                        }
                    }
                    if evidence.exists() {
                        r.evidence = evidence.strip_prefix(&run_dir).ok().map(Path::to_path_buf);
                    }
                    if progress {
                        eprint!("{}", progress_block(r));
                    }
                });
            }
            _ => {}
        }
    }
}

fn step_mut<'a>(r: &'a mut ScenarioResult, step: &gherkin::Step) -> Option<&'a mut StepResult> {
    let line = step.position.line;
    r.detail
        .background_steps
        .iter_mut()
        .chain(r.detail.steps.iter_mut())
        .find(|s| s.line == line)
}

/// The lines `--progress` prints for a finished scenario.
pub fn progress_block(r: &ScenarioResult) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let verdict = match r.verdict {
        Verdict::Passed => "ok",
        Verdict::Failed => "FAILED",
        Verdict::Skipped => "not applicable",
        Verdict::Recorded => "RECORDED",
        Verdict::Error => "ERROR",
    };
    let _ = writeln!(
        out,
        "{} {}:{} {} ... {verdict}",
        r.detail.keyword, r.feature, r.line, r.scenario
    );
    for s in r.all_steps() {
        let mark = match s.status {
            StepStatus::Passed => "✔",
            StepStatus::Failed => "✘",
            StepStatus::Undefined => "?",
            StepStatus::Skipped => "-",
        };
        let _ = writeln!(out, "  {mark} {}", s.display());
    }
    out
}
