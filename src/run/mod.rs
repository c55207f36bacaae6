//! The engine: one entry point for `kofu run` and for the `harness = false` test
//! target. Launches or reaches the candidate, starts the rig ([`crate::rig`]), runs the
//! selected features concurrently within the run's deadline, writes the report folder and returns the summary with the
//! exit code. Every run that could create its report folder writes a report, the runs
//! that stop before any scenario (exit 2) included.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cucumber::World as _;
use futures::FutureExt as _;

use crate::candidate::{Candidate, CandidateSpec};
use crate::report::collector::{Collected, Results};
use crate::report::{self, Collector, RunStatus, Summary, Verdict};
use crate::rig::Rig;
use crate::world::KofuWorld;

mod error;
mod probe;
mod selection;
pub mod subset;

pub use error::RunError;
use probe::probe;
use selection::no_match_reason;
pub use selection::parse_tags;
pub use subset::Shard;

/// The overall deadline of a run unless told otherwise (`kofu run --deadline SECONDS`):
/// ten minutes, several times what the whole suite takes against the reference server.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(600);

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The candidate.
    pub candidate: CandidateSpec,
    /// Cucumber tag expression selecting scenarios.
    pub tags: Option<String>,
    /// Base folder for reports; the run writes into `<report_dir>/<run-id>/`.
    pub report_dir: PathBuf,
    /// Folder of the feature files ([`crate::built_in::MARKER`]: the built-in copy).
    pub features: PathBuf,
    /// Folder of the fixtures (or [`crate::built_in::MARKER`]).
    pub fixtures: PathBuf,
    /// Print each scenario with its steps to stderr as it finishes.
    pub progress: bool,
    /// 追加試験: the addition whose regression subset runs (`--added`); `None` runs
    /// everything, the 追加試験 with every bundled addition.
    pub added: Option<crate::additions::Addition>,
    /// Overall deadline: past it the run stops, the unfinished scenarios are failed
    /// ("run deadline exceeded") and the reports are written. `None`: no deadline.
    pub deadline: Option<Duration>,
    /// Waivers file (`--waivers FILE`, see [`crate::report::waiver`]).
    pub waivers: Option<PathBuf>,
    /// An earlier run's report folder (`--rerun-failed DIR`): only the scenarios that
    /// failed there (failed, recorded or error) run.
    pub rerun_failed: Option<PathBuf>,
    /// Only this part of the selection runs (`--shard K/N`).
    pub shard: Option<Shard>,
    /// 負荷試験: the sizes `kofu load` asks for.
    pub load: crate::rig::LoadKnobs,
}

impl RunOptions {
    /// Options for the repository's own features and fixtures; reports go to
    /// `kofu-reports/` in the temporary folder (callers that keep reports set their own
    /// `report_dir`).
    pub fn repository(candidate: CandidateSpec) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Self {
            candidate,
            tags: None,
            report_dir: std::env::temp_dir().join("kofu-reports"),
            features: root.join("features"),
            fixtures: root.join("fixtures"),
            progress: false,
            added: None,
            deadline: Some(DEFAULT_DEADLINE),
            waivers: None,
            rerun_failed: None,
            shard: None,
            load: crate::rig::LoadKnobs::default(),
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
    /// Why the run stopped before any scenario, when it did (exit 2).
    pub error: Option<RunError>,
    /// The features folder the run read (built-in: where it unpacked them).
    pub features: PathBuf,
    /// The fixtures folder the run read (built-in: where it unpacked them).
    pub fixtures: PathBuf,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Run the suite. `Err` only when the report itself cannot be written; every other
/// failure ends in a report (exit 2 for a run that stopped before any scenario).
pub async fn run(options: RunOptions) -> Result<RunOutcome, RunError> {
    let started_at = chrono::Utc::now();
    let run_id = report::new_run_id();
    let run_dir = options.report_dir.join(&run_id);
    std::fs::create_dir_all(run_dir.join("evidence")).map_err(io_err(&run_dir))?;
    let scratch = run_dir.join("scratch");
    let unpacked = crate::built_in::unpack_both(&options.features, &options.fixtures, &scratch);
    let (features, fixtures) = unpacked.map_err(io_err(&scratch))?;
    let options = RunOptions {
        features,
        fixtures,
        ..options
    };
    let (summary, error) = match run_in(&options, &run_id, &run_dir, started_at).await {
        Ok(summary) => (summary, None),
        Err((candidate, error)) => {
            let reason = kofu_mock_center::client::error_chain(&error);
            let summary = Summary::setup_error(run_id, candidate, started_at, reason);
            (summary, Some(error))
        }
    };
    report::write_reports(&run_dir, &summary)
        .map_err(|(path, source)| RunError::Io { path, source })?;
    Ok(RunOutcome {
        exit_code: summary.exit_code(),
        summary,
        run_dir,
        error,
        features: options.features,
        fixtures: options.fixtures,
    })
}

/// The run proper; an error comes with the candidate URL when it is known.
async fn run_in(
    options: &RunOptions,
    run_id: &str,
    run_dir: &Path,
    started_at: chrono::DateTime<chrono::Utc>,
) -> Result<Summary, (String, RunError)> {
    let known_url = options.candidate.known_url().unwrap_or_default().to_owned();
    let fail = |e: RunError| (known_url.clone(), e);
    // Absolute paths: snapshot files and evidence are resolved against them, whatever
    // the working directory of the caller.
    let fixtures_root = options
        .fixtures
        .canonicalize()
        .unwrap_or_else(|_| options.fixtures.clone());
    let fixtures =
        Arc::new(kofu_fixtures::Fixtures::load(&fixtures_root).map_err(|e| fail(e.into()))?);
    let additions = crate::additions::Additions::load(&fixtures, options.added.clone())
        .map_err(|e| fail(e.into()))?;
    let tags = options
        .tags
        .as_deref()
        .map(parse_tags)
        .transpose()
        .map_err(fail)?;
    let waivers = options
        .waivers
        .as_deref()
        .map(crate::report::waiver::load)
        .transpose()
        .map_err(|e| fail(e.into()))?
        .unwrap_or_default();
    let narrowing = selection::Narrowing {
        only: options
            .rerun_failed
            .as_deref()
            .map(subset::failed_in)
            .transpose()
            .map_err(|e| fail(e.into()))?,
        shard: options.shard,
    };
    let scratch = run_dir.join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| fail(io_err(&scratch)(e)))?;

    // The candidate is set up as before the operator additions: it has never seen them.
    let candidate_fixtures = additions.candidate_fixtures(&fixtures);
    let mut candidate = Candidate::launch(&options.candidate, &candidate_fixtures, &scratch)
        .await
        .map_err(|e| fail(e.into()))?;
    let url = candidate.url.clone();
    let identity = match probe(&mut candidate, run_dir).await {
        Ok(identity) => identity,
        Err(e) => {
            candidate.stop().await;
            return Err((url, e));
        }
    };
    let candidate_key = candidate.identity_key();

    let mut rig = Rig::start(fixtures.clone(), candidate, run_dir.to_owned(), additions)
        .await
        .map_err(|e| (url.clone(), RunError::Rig(e)))?;
    rig.load = options.load.clone();
    let ctx = Arc::new(rig);
    let results: Results = Arc::new(Mutex::new(Collected::default()));
    let features = run_features(options, ctx.clone(), tags, narrowing, results.clone());
    let deadline_hit = match options.deadline {
        Some(d) => tokio::time::timeout(d, features).await.is_err(),
        None => {
            features.await;
            false
        }
    };
    let _ = std::io::stderr().flush();
    let collected = match Arc::try_unwrap(results) {
        Ok(m) => m.into_inner().unwrap_or_default(),
        Err(shared) => shared
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default(),
    };
    let tags_seen = collected.tags_seen.clone();
    let elsewhere = collected.elsewhere.clone();
    let deadline_secs = options.deadline.map_or(0, |d| d.as_secs());
    let unfinished =
        format!("run deadline exceeded ({deadline_secs} s): the scenario did not finish");
    let scenarios = collected.into_results(&unfinished);
    let (status, reason) = if deadline_hit {
        let n = scenarios
            .iter()
            .filter(|s| s.message.as_deref() == Some(unfinished.as_str()))
            .count();
        (
            RunStatus::DeadlineExceeded,
            Some(format!(
                "run deadline of {deadline_secs} s exceeded (kofu run --deadline): {n} scenarios did not finish"
            )),
        )
    } else if scenarios.iter().all(|s| s.verdict == Verdict::Skipped) {
        let reason = if scenarios.is_empty() {
            no_match_reason(options, &tags_seen, &elsewhere)
        } else {
            "every selected scenario is not applicable to the claims: no scenario ran".to_owned()
        };
        (RunStatus::NoScenario, Some(reason))
    } else {
        (RunStatus::Completed, None)
    };
    tracing::info!(
        audited = ctx.audit().count(),
        failed = ctx.audit().failures(),
        "issuance audit: every issuance of the run checked against its card holder"
    );
    let claims = report::Claim::all(&ctx.candidate.municipalities);
    if let Ok(rig) = Arc::try_unwrap(ctx) {
        rig.stop().await;
    }
    let mut summary = Summary::new(
        run_id.to_owned(),
        url,
        started_at,
        status,
        reason,
        scenarios,
    );
    summary.identity = identity;
    summary.claims = claims;
    summary.candidate_key = candidate_key;
    if options.waivers.is_some() {
        summary.apply_waivers(
            &waivers,
            crate::report::waiver::today(started_at),
            &elsewhere,
        );
    }
    Ok(summary)
}

async fn run_features(
    options: &RunOptions,
    ctx: Arc<Rig>,
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    narrowing: selection::Narrowing,
    results: Results,
) {
    let run_dir = ctx.run_dir.clone();
    let features_root = options
        .features
        .canonicalize()
        .unwrap_or_else(|_| options.features.clone());
    let writer = Collector::new(
        results.clone(),
        run_dir.clone(),
        features_root.clone(),
        options.progress,
    );

    let filter = selection::scenario_filter(
        tags,
        ctx.candidate.municipalities.clone(),
        ctx.additions.clone(),
        results.clone(),
        features_root,
        ctx.candidate.restart_unavailable(),
        narrowing,
    );

    let hook_ctx = ctx.clone();
    KofuWorld::cucumber()
        .max_concurrent_scenarios(16)
        .before(move |feature, _rule, scenario, world| {
            let ctx = hook_ctx.clone();
            let dir =
                report::scenario_evidence_dir(&ctx.run_dir, feature.path.as_deref(), scenario);
            async move {
                world.rig = Some(ctx);
                world.evidence_dir = dir;
            }
            .boxed_local()
        })
        .with_writer(writer)
        .fail_on_skipped()
        .with_cli(cucumber::cli::Opts::<_, _, _, cucumber::cli::Empty>::default())
        .filter_run(options.features.clone(), filter)
        .await;
}
