//! The engine: one entry point for `kofu run` and for the `harness = false` test
//! target. Launches or reaches the candidate, starts the rig ([`crate::rig`]), runs the
//! selected features concurrently, writes the report folder and returns the summary
//! with the exit code.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cucumber::tag::Ext as _;
use cucumber::{World as _, WriterExt as _, writer};
use futures::FutureExt as _;

use crate::candidate::{Candidate, CandidateError, CandidateSpec};
use crate::report::{self, Collector, ScenarioResult, Summary, Verdict, collector::Results};
use crate::rig::{Rig, RigError};
use crate::world::KofuWorld;

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The candidate.
    pub candidate: CandidateSpec,
    /// Cucumber tag expression selecting scenarios.
    pub tags: Option<String>,
    /// Base folder for reports; the run writes into `<report_dir>/<run-id>/`.
    pub report_dir: PathBuf,
    /// Folder of the feature files.
    pub features: PathBuf,
    /// Folder of the fixtures.
    pub fixtures: PathBuf,
    /// Print step-by-step progress to stderr.
    pub progress: bool,
    /// 追加試験: the addition whose regression subset runs (`--added`); `None` runs
    /// everything, the 追加試験 with every bundled addition.
    pub added: Option<crate::additions::Addition>,
}

impl RunOptions {
    /// Options for the repository's own features, fixtures and `reports/` folder.
    pub fn repository(candidate: CandidateSpec) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Self {
            candidate,
            tags: None,
            report_dir: root.join("reports"),
            features: root.join("features"),
            fixtures: root.join("fixtures"),
            progress: false,
            added: None,
        }
    }
}

/// A finished run.
#[derive(Debug)]
pub struct RunOutcome {
    /// The summary.
    pub summary: Summary,
    /// The report folder.
    pub run_dir: PathBuf,
    /// The exit code (see [`crate::exit`]).
    pub exit_code: i32,
}

/// Errors that stop a run before a verdict (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Fixtures did not load.
    #[error("fixtures did not load")]
    Fixtures(#[from] kofu_fixtures::FixtureError),
    /// The candidate could not be launched or configured.
    #[error("candidate setup failed")]
    Candidate(#[from] CandidateError),
    /// The candidate did not answer.
    #[error("candidate unreachable at {url}: {detail}")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// What happened.
        detail: String,
    },
    /// The tag expression is invalid.
    #[error("invalid tag expression `{0}`")]
    Tags(String),
    /// The rig (the mock center in front of the candidate) did not start.
    #[error("the rig did not start")]
    Rig(#[from] RigError),
    /// `--added` names nothing the fixtures can test, or `fixtures/additions` is broken.
    #[error("additions (--added) setup failed")]
    Additions(#[from] crate::additions::AdditionsError),
    /// Writing the report failed.
    #[error("cannot write report to {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Run the suite.
pub async fn run(options: RunOptions) -> Result<RunOutcome, RunError> {
    // Absolute paths: snapshot files and evidence are resolved against them, whatever
    // the working directory of the caller.
    let fixtures_root = options
        .fixtures
        .canonicalize()
        .unwrap_or_else(|_| options.fixtures.clone());
    let fixtures = Arc::new(kofu_fixtures::Fixtures::load(&fixtures_root)?);
    let additions = crate::additions::Additions::load(&fixtures, options.added.clone())?;
    let tags = match &options.tags {
        Some(expr) => Some(
            expr.parse::<cucumber::gherkin::tagexpr::TagOperation>()
                .map_err(|_| RunError::Tags(expr.clone()))?,
        ),
        None => None,
    };
    let run_id = report::new_run_id();
    let run_dir = options.report_dir.join(&run_id);
    std::fs::create_dir_all(run_dir.join("evidence")).map_err(io_err(&run_dir))?;
    let scratch = run_dir.join("scratch");
    std::fs::create_dir_all(&scratch).map_err(io_err(&scratch))?;

    // The candidate is set up as before the operator additions: it has never seen them.
    let candidate_fixtures = additions.candidate_fixtures(&fixtures);
    let candidate = Candidate::launch(&options.candidate, &candidate_fixtures, &scratch).await?;
    probe(&candidate, &run_dir).await?;

    let url = candidate.url.clone();
    let rig = Arc::new(Rig::start(fixtures.clone(), candidate, run_dir.clone(), additions).await?);
    let results: Results = Arc::new(Mutex::new(Vec::new()));
    run_features(&options, rig.clone(), tags, results.clone()).await?;

    let scenarios = results.lock().map(|r| r.clone()).unwrap_or_default();
    let summary = Summary::new(run_id, url, scenarios);
    let summary_path = run_dir.join("summary.json");
    let json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    std::fs::write(&summary_path, json).map_err(io_err(&summary_path))?;
    let exit_code = if summary.passed + summary.failed == 0 {
        crate::exit::SETUP
    } else if summary.failed > 0 {
        crate::exit::FAILED
    } else {
        crate::exit::PASSED
    };
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok(RunOutcome {
        summary,
        run_dir,
        exit_code,
    })
}

/// Ask the candidate who it is before anything else: an unreachable candidate is a
/// setup error, never a pass. Any HTTP answer counts as reachable.
async fn probe(candidate: &Candidate, run_dir: &Path) -> Result<(), RunError> {
    let evidence = Arc::new(kofu_mock_center::client::DirEvidence::new(
        run_dir.join("evidence").join("probe"),
    ));
    let mut config = candidate.center_client();
    config.timeout = Duration::from_secs(10);
    let client = kofu_mock_center::client::CandidateClient::new(config, evidence).map_err(|e| {
        RunError::Unreachable {
            url: candidate.url.clone(),
            detail: e.to_string(),
        }
    })?;
    match client.identity().await {
        Ok(_) => Ok(()),
        Err(e) if e.is_unreachable() || e.is_timeout() => Err(RunError::Unreachable {
            url: candidate.url.clone(),
            detail: e.to_string(),
        }),
        Err(_) => Ok(()),
    }
}

async fn run_features(
    options: &RunOptions,
    rig: Arc<Rig>,
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    results: Results,
) -> Result<(), RunError> {
    let run_dir = rig.run_dir.clone();
    let junit_path = run_dir.join("junit.xml");
    let json_path = run_dir.join("cucumber.json");
    let junit = std::fs::File::create(&junit_path).map_err(io_err(&junit_path))?;
    let json = std::fs::File::create(&json_path).map_err(io_err(&json_path))?;
    let progress: Box<dyn std::io::Write + Send> = if options.progress {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::sink())
    };
    let features_root = options
        .features
        .canonicalize()
        .unwrap_or_else(|_| options.features.clone());

    let writer = writer::Basic::raw(progress, writer::Coloring::Never, 0)
        .discard_stats_writes()
        .tee::<KofuWorld, _>(writer::JUnit::for_tee(junit, 0))
        .tee::<KofuWorld, _>(writer::Json::for_tee(json))
        .tee::<KofuWorld, _>(Collector::new(
            results.clone(),
            run_dir.clone(),
            features_root.clone(),
        ))
        .discard_arbitrary_writes()
        .normalized();

    let claims = rig.candidate.municipalities.clone();
    let additions = rig.additions.clone();
    let filter_results = results.clone();
    let filter = move |feature: &cucumber::gherkin::Feature,
                       rule: Option<&cucumber::gherkin::Rule>,
                       scenario: &cucumber::gherkin::Scenario| {
        let all_tags: Vec<String> = feature
            .tags
            .iter()
            .chain(rule.iter().flat_map(|r| r.tags.iter()))
            .chain(scenario.tags.iter())
            .cloned()
            .collect();
        if let Some(expr) = &tags
            && !expr.eval(all_tags.iter())
        {
            return false;
        }
        if additions.select(&all_tags) == crate::additions::Selection::Excluded {
            return false;
        }
        let applicability = crate::applicability::not_applicable(&all_tags, &claims)
            .map(|reason| reason.or_else(|| additions.not_applicable(&all_tags, &claims)));
        let (verdict, message) = match applicability {
            Ok(None) => return true,
            Ok(Some(reason)) => (Verdict::Skipped, format!("not applicable: {reason}")),
            Err(broken) => (Verdict::Failed, format!("feature error: {broken}")),
        };
        if let Ok(mut r) = filter_results.lock() {
            r.push(ScenarioResult::new(
                feature,
                scenario,
                all_tags,
                &features_root,
                verdict,
                Some(message),
            ));
        }
        false
    };

    let hook_rig = rig.clone();
    KofuWorld::cucumber()
        .max_concurrent_scenarios(16)
        .before(move |feature, _rule, scenario, world| {
            let rig = hook_rig.clone();
            let dir = report::scenario_evidence_dir(
                &rig.run_dir,
                feature.path.as_deref(),
                scenario.position.line,
            );
            async move {
                world.rig = Some(rig);
                world.evidence_dir = dir;
            }
            .boxed_local()
        })
        .with_writer(writer)
        .fail_on_skipped()
        .with_cli(cucumber::cli::Opts::<_, _, _, cucumber::cli::Empty>::default())
        .filter_run(options.features.clone(), filter)
        .await;
    let _ = std::io::stderr().flush();
    Ok(())
}
