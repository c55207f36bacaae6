//! `junit.xml`, written by kofu from the run's results (with `quick-junit`, the
//! writer nextest uses), in the shape CI reporters read (Jenkins' JUnit schema,
//! GitLab, GitHub):
//!
//! - one `<testsuite>` per feature file, named by its path relative to the features
//!   folder, present even when every scenario in it is skipped;
//! - one `<testcase>` per scenario, `classname` `kofu.<phase>.<feature stem>`, named by
//!   the scenario (plus `(line N)` where two would share a name);
//! - a failure as `<failure message="first line">` with the whole text as its body (the
//!   failing step, expected vs actual, the evidence folder relative to the run folder);
//!   a recorded snapshot as a failure of type `recorded`; a broken feature as `<error>`;
//!   a scenario not applicable as `<skipped message="reason">`;
//! - a waived failure (`kofu run --waivers`) as `<skipped type="waived"
//!   message="waived: reason (owner, until YYYY-MM-DD)">` with the failure as its body:
//!   a known failure with an owner and an end date does not turn CI red, yet every
//!   reader of the report sees it and why;
//! - a stale waiver (expired, matching nothing, or whose scenario did not fail) as one
//!   `<error type="stale-waiver">` testcase in a `kofu waivers` suite;
//! - a run that never started (exit 2) as one `<error>` testcase saying why.
//!
//! Every text goes through [`super::text::plain`]: no escapes, nothing XML 1.0 forbids.

use std::collections::HashMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::text::{first_line, plain};
use super::{ScenarioResult, Summary, Verdict};

fn stem(uri: &str) -> &str {
    let name = uri.rsplit('/').next().unwrap_or(uri);
    name.strip_suffix(".feature").unwrap_or(name)
}

/// The full text of a failure: the failing step, the message, the evidence folder.
fn body(s: &ScenarioResult) -> String {
    let mut text = String::new();
    if let Some(step) = &s.failed_step {
        text.push_str(&format!("step: {step}\n"));
    }
    if let Some(m) = &s.message {
        text.push_str(m.trim_end());
        text.push('\n');
    }
    let mentions_evidence = s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("evidence: "));
    if let Some(e) = s.evidence.as_ref().filter(|_| !mentions_evidence) {
        text.push_str(&format!("evidence: {}\n", e.display()));
    }
    text.push_str(&format!("scenario: {}:{} ({})\n", s.feature, s.line, s.id));
    plain(&text)
}

fn case(s: &ScenarioResult, name: String) -> TestCase {
    let message = plain(first_line(s.message.as_deref().unwrap_or("")));
    let status = match s.verdict {
        Verdict::Passed => TestCaseStatus::success(),
        Verdict::Skipped => {
            let mut st = TestCaseStatus::skipped();
            st.set_message(if message.is_empty() {
                "not applicable".into()
            } else {
                message
            });
            st
        }
        Verdict::Waived => {
            let mut st = TestCaseStatus::skipped();
            st.set_message(plain(
                &s.waiver
                    .as_ref()
                    .map(|w| w.note())
                    .unwrap_or_else(|| "waived".into()),
            ));
            st.set_type("waived");
            st.set_description(body(s));
            st
        }
        Verdict::Failed | Verdict::Recorded | Verdict::Error => {
            let kind = if s.verdict == Verdict::Error {
                NonSuccessKind::Error
            } else {
                NonSuccessKind::Failure
            };
            let mut st = TestCaseStatus::non_success(kind);
            st.set_message(if message.is_empty() {
                "failed".into()
            } else {
                message
            });
            st.set_type(match s.verdict {
                Verdict::Recorded => "recorded",
                Verdict::Error => "feature-error",
                _ => "failure",
            });
            st.set_description(body(s));
            st
        }
    };
    let mut case = TestCase::new(plain(&name), status);
    if s.verdict == Verdict::Passed
        && let Some(note) = &s.message
    {
        case.set_system_out(plain(note));
    }
    case.set_classname(format!("kofu.{}.{}", s.phase, stem(&s.feature)));
    if let Some(ns) = s.detail.duration_ns {
        case.set_time(Duration::from_nanos(ns));
    }
    case
}

/// The JUnit XML document of a run.
pub fn render(summary: &Summary) -> String {
    let mut report = Report::new("kofu");
    if summary.status == super::RunStatus::SetupError {
        let reason = summary
            .reason
            .clone()
            .unwrap_or_else(|| "setup error".into());
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(plain(first_line(&reason)));
        status.set_type("setup");
        status.set_description(plain(&format!(
            "the run stopped before any scenario: {reason}\ncandidate: {}\n",
            summary.candidate
        )));
        let mut case = TestCase::new("run setup", status);
        case.set_classname("kofu.setup");
        let mut suite = TestSuite::new("kofu setup");
        suite.add_test_case(case);
        report.add_test_suite(suite);
    }
    if !summary.stale_waivers.is_empty() {
        let mut suite = TestSuite::new("kofu waivers");
        for stale in &summary.stale_waivers {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(plain(&stale.message()));
            status.set_type("stale-waiver");
            status.set_description(plain(&format!(
                "{}\nwaiver: scenario = {}, reason = {}, owner = {}, expires = {}\n",
                stale.message(),
                stale.waiver.scenario,
                stale.waiver.reason,
                stale.waiver.owner,
                stale.waiver.expires
            )));
            let mut case =
                TestCase::new(plain(&format!("waiver {}", stale.waiver.scenario)), status);
            case.set_classname("kofu.waivers");
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    let mut suites: Vec<(String, Vec<&ScenarioResult>)> = Vec::new();
    for s in &summary.scenarios {
        match suites.last_mut() {
            Some((uri, list)) if *uri == s.feature => list.push(s),
            _ => suites.push((s.feature.clone(), vec![s])),
        }
    }
    for (uri, scenarios) in suites {
        let mut names: HashMap<&str, usize> = HashMap::new();
        for s in &scenarios {
            *names.entry(s.scenario.as_str()).or_default() += 1;
        }
        let mut suite = TestSuite::new(plain(if uri.is_empty() { "features" } else { &uri }));
        let mut time = Duration::ZERO;
        for s in scenarios {
            let name = if names.get(s.scenario.as_str()).copied().unwrap_or(0) > 1 {
                format!("{} (line {})", s.scenario, s.line)
            } else {
                s.scenario.clone()
            };
            time += Duration::from_nanos(s.detail.duration_ns.unwrap_or(0));
            suite.add_test_case(case(s, name));
        }
        suite.set_time(time);
        let skipped = suite
            .test_cases
            .iter()
            .filter(|c| matches!(c.status, TestCaseStatus::Skipped { .. }))
            .count();
        suite
            .extra
            .insert("skipped".into(), skipped.to_string().into());
        report.add_test_suite(suite);
    }
    let xml = report
        .to_string()
        .unwrap_or_else(|_| "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites/>\n".into());
    without_disabled(&xml)
}

/// quick-junit writes `disabled="N"` on every `<testsuite>`, an attribute Jenkins'
/// schema does not know; kofu never disables a test, so it is dropped. (An attribute
/// value can hold no raw `"`, so the pattern is only ever an attribute.)
fn without_disabled(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(" disabled=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " disabled=\"".len()..];
        rest = after.find('"').map_or("", |j| &after[j + 1..]);
    }
    out.push_str(rest);
    out
}
