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
    // Each run silences the panic hook while its scenarios run and puts back the hook it
    // found; runs that overlap can leave the silent one in place, which would swallow the
    // message below. Taking the hook registers the default one again.
    drop(std::panic::take_hook());
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

/// A defect is caught when the run fails and every scenario that declares
/// `@catches-<defect>` is among the failures: a declaration is a claim about that
/// scenario, so a declared scenario that passes (or is not applicable) with the defect on
/// is named as a false claim. A claim is made where the tag is written: on a scenario, by
/// that scenario; on an outline's examples, by those rows together (the defect may bite on
/// one row only); on a feature, by its scenarios together.
fn judge(defect: Defect, tag: &str, outcome: &kofu::RunOutcome) -> Option<String> {
    use std::collections::BTreeMap;
    let mut claims: BTreeMap<(&str, usize), Vec<&kofu::report::ScenarioResult>> = BTreeMap::new();
    for s in &outcome.summary.scenarios {
        if s.tags.iter().any(|t| t == tag) {
            let line = if !s.detail.own_tags.iter().any(|t| t == tag) {
                0
            } else {
                // Rows of one examples table: the table's line (row `r` is `r + 1` below it).
                s.line - s.detail.outline_row.map_or(0, |r| r + 1)
            };
            claims.entry((&s.feature, line)).or_default().push(s);
        }
    }
    if claims.is_empty() {
        return Some(format!("{}: no scenario declares @{tag}", defect.name()));
    }
    if outcome.exit_code != exit::FAILED {
        return Some(format!(
            "{}: exit {} ({})",
            defect.name(),
            outcome.exit_code,
            outcome.summary.closing_line()
        ));
    }
    let uncaught: Vec<String> = claims
        .values()
        .filter(|rows| {
            rows.iter()
                .all(|s| s.verdict != kofu::report::Verdict::Failed)
        })
        .map(|rows| {
            let s = rows[0];
            format!(
                "  {}:{} {} ({})",
                s.feature,
                s.line,
                s.scenario,
                s.verdict.word()
            )
        })
        .collect();
    (!uncaught.is_empty()).then(|| {
        format!(
            "{}: declared by scenarios that did not fail with it on:\n{}",
            defect.name(),
            uncaught.join("\n")
        )
    })
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
