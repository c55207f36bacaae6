//! The kill matrix: for every defect switch of the reference server, a scenario that
//! declares it catches that defect (`@catches-<defect>`) must fail against a reference
//! server with that switch on. By default each defect runs against its declared
//! scenarios only; `KOFU_KILL_MATRIX_FULL=1` runs the whole suite per defect.

use kofu::candidate::CandidateSpec;
use kofu::{RunOptions, exit};
use kofu_reference_server::Defect;

/// Runs at once: each run has its own server, database and report folder.
const PARALLEL_RUNS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_defect_is_caught_by_its_declared_scenario() {
    use futures::StreamExt as _;
    let verdicts: Vec<Option<String>> = futures::stream::iter(Defect::ALL.iter().copied())
        .map(verdict)
        .buffer_unordered(PARALLEL_RUNS)
        .collect()
        .await;
    let survivors: Vec<String> = verdicts.into_iter().flatten().collect();
    assert!(
        survivors.is_empty(),
        "defects that no declared scenario caught:\n{}",
        survivors.join("\n")
    );
}

/// Run the declared scenarios (or the whole suite), as `kofu run --defect NAME --tags @catches-NAME` does, and say what is wrong, if
/// anything. Each run reports into its own temporary folder, removed after an expected
/// verdict and kept (and named) after a survivor.
async fn verdict(defect: Defect) -> Option<String> {
    let mut options = RunOptions::repository(CandidateSpec::Embedded {
        defects: vec![defect.name().to_owned()],
    });
    let reports = tempfile::Builder::new()
        .prefix("kofu-kill-matrix-")
        .tempdir()
        .expect("temporary report folder");
    options.report_dir = reports.path().to_owned();
    let tag = format!("catches-{}", defect.name());
    // The declared scenarios are what proves the check; the whole suite per defect is
    // the opt-in nightly mode (KOFU_KILL_MATRIX_FULL=1).
    if std::env::var_os("KOFU_KILL_MATRIX_FULL").is_none() {
        options.tags = Some(format!("@{tag}"));
    }
    let outcome = kofu::run(options).await.expect("run completes");
    let problem = judge(defect, &tag, &outcome);
    if problem.is_some() {
        let kept = reports.keep();
        return problem.map(|p| format!("{p} (report kept: {})", kept.display()));
    }
    None
}

fn judge(defect: Defect, tag: &str, outcome: &kofu::RunOutcome) -> Option<String> {
    let declared = outcome
        .summary
        .scenarios
        .iter()
        .any(|s| s.tags.iter().any(|t| t == tag));
    if !declared {
        Some(format!("{}: no scenario declares @{tag}", defect.name()))
    } else if outcome.exit_code != exit::FAILED || !outcome.summary.failed_with_tag(tag) {
        Some(format!(
            "{}: exit {} ({})",
            defect.name(),
            outcome.exit_code,
            outcome.summary.closing_line()
        ))
    } else {
        None
    }
}

#[test]
fn every_catches_tag_names_a_defect() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let mut stale = Vec::new();
    for entry in walk(&root) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for word in text.split_whitespace() {
            if let Some(name) = word.strip_prefix("@catches-")
                && name.parse::<Defect>().is_err()
            {
                stale.push(format!("{}: @catches-{name}", entry.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "tags naming no defect:\n{}",
        stale.join("\n")
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "feature") {
                out.push(p);
            }
        }
    }
    out
}
