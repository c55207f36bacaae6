//! The cucumber writer that collects a run's results ([`super::result`]): filled by the
//! writer from cucumber's events and by the applicability filter for the scenarios it
//! rules out.
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

use super::result::{
    ScenarioResult, StepResult, StepStatus, Verdict, relative_uri, step_error_text,
};
use super::text::plain;

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
    /// `<feature>:<line>` of the scenarios the selection holds but left to other shards
    /// (`kofu run --shard`): not run, not reported.
    pub elsewhere: std::collections::BTreeSet<String>,
    /// Whether every feature is parsed and selected (cucumber's `ParsingFinished`):
    /// only then can a phase be known to have finished.
    parsed: bool,
    /// The phases whose progress line was printed.
    announced: std::collections::BTreeSet<String>,
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

    /// The phases (`@phase-x`) whose every scenario has finished, not announced
    /// before, each with its progress line (`kofu: phase x: N passed, N failed, N
    /// skipped`; recorded and error scenarios count as failed). Marks them announced.
    fn newly_finished_phases(&mut self) -> Vec<String> {
        let mut phases: Vec<&str> = Vec::new();
        for r in &self.results {
            if !phases.contains(&r.phase.as_str()) {
                phases.push(&r.phase);
            }
        }
        let mut lines = Vec::new();
        let mut done = Vec::new();
        for phase in phases {
            if self.announced.contains(phase) {
                continue;
            }
            let (mut passed, mut failed, mut skipped) = (0, 0, 0);
            let mut finished = true;
            for r in self.results.iter().filter(|r| r.phase == phase) {
                finished &= r.finished();
                match r.verdict {
                    Verdict::Passed | Verdict::Waived => passed += 1,
                    Verdict::Skipped => skipped += 1,
                    Verdict::Failed | Verdict::Recorded | Verdict::Error => failed += 1,
                }
            }
            if finished {
                lines.push(format!(
                    "kofu: phase {phase}: {passed} passed, {failed} failed, {skipped} skipped"
                ));
                done.push(phase.to_owned());
            }
        }
        self.announced.extend(done);
        lines
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
        let (feature, ev) = match event.value {
            Cucumber::Feature(feature, ev) => (feature, ev),
            Cucumber::ParsingFinished { .. } => {
                if let Ok(mut results) = self.results.lock() {
                    results.parsed = true;
                    print_phases(&mut results);
                }
                return;
            }
            _ => return,
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
                        } else if let Ok(latency) =
                            std::fs::read_to_string(evidence.join("latency.txt"))
                        {
                            // A slow line's scenario keeps its slowest answers in the report.
                            let last = latency.lines().last().unwrap_or_default();
                            r.message = Some(plain(&format!("latency: {last}")));
                        }
                    }
                    if evidence.exists() {
                        r.evidence = evidence.strip_prefix(&run_dir).ok().map(Path::to_path_buf);
                    }
                    if progress {
                        eprint!("{}", progress_block(r));
                    }
                });
                if let Ok(mut results) = self.results.lock() {
                    print_phases(&mut results);
                }
            }
            _ => {}
        }
    }
}

/// Print the progress line of each phase that has just finished (stderr: stdout keeps
/// the report alone).
fn print_phases(results: &mut Collected) {
    if !results.parsed {
        return;
    }
    for line in results.newly_finished_phases() {
        eprintln!("{line}");
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
        Verdict::Waived => "WAIVED",
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
