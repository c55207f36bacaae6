//! The scenario blocks of `report.html`: every scenario grouped by phase and feature,
//! with its verdict, tags, steps, and for a failure the failing step, the message and
//! links to its evidence folder and the PDFs received there.

use std::fmt::Write as _;
use std::path::{Component, Path};

use super::{badge, bounded, esc, phase_name, verdict_words};
use crate::report::{ScenarioResult, StepResult, StepStatus, Summary, Verdict};

/// Longest message shown, in characters; `summary.json` holds it whole.
const MAX_MESSAGE: usize = 64 * 1024;
/// Most received PDFs listed per scenario.
const MAX_PDFS: usize = 50;

/// Every scenario, under one heading per phase and per feature.
pub(super) fn all(out: &mut String, s: &Summary, run_dir: &Path) {
    out.push_str("<h2>シナリオ <span class=\"en\">Scenarios</span></h2>\n");
    if s.scenarios.is_empty() {
        out.push_str("<p class=\"note\">シナリオはありません / no scenario.</p>\n");
        return;
    }
    for (phase, features) in grouped(&s.scenarios) {
        let _ = writeln!(
            out,
            "<section class=\"phase\" data-phase=\"{}\">\n<h3>{} <span class=\"en\">/ {}</span></h3>",
            esc(phase),
            esc(phase_name(phase)),
            esc(phase)
        );
        for scenarios in features {
            let feature = &scenarios[0].detail.feature;
            let name = if feature.name.is_empty() {
                &scenarios[0].feature
            } else {
                &feature.name
            };
            let _ = writeln!(
                out,
                "<div class=\"feature\">\n<h4>{} <span class=\"where\">{}</span></h4>",
                esc(name),
                esc(&scenarios[0].feature)
            );
            for sc in scenarios {
                scenario(out, sc, run_dir);
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }
}

/// Scenarios by phase (in order of first appearance), then by feature file.
fn grouped(scenarios: &[ScenarioResult]) -> Vec<(&str, Vec<Vec<&ScenarioResult>>)> {
    let mut phases: Vec<(&str, Vec<Vec<&ScenarioResult>>)> = Vec::new();
    for sc in scenarios {
        let i = match phases.iter().position(|(p, _)| *p == sc.phase) {
            Some(i) => i,
            None => {
                phases.push((sc.phase.as_str(), Vec::new()));
                phases.len() - 1
            }
        };
        let features = &mut phases[i].1;
        match features.iter_mut().find(|f| f[0].feature == sc.feature) {
            Some(f) => f.push(sc),
            None => features.push(vec![sc]),
        }
    }
    phases
}

fn scenario(out: &mut String, sc: &ScenarioResult, run_dir: &Path) {
    let (ja, en, class) = verdict_words(sc.verdict);
    let _ = writeln!(
        out,
        "<section class=\"scenario s-{class}\" data-verdict=\"{class}\" data-id=\"{}\">",
        esc(&sc.id)
    );
    let duration = sc
        .detail
        .duration_ns
        .map(|ns| format!(" · {:.2} s", ns as f64 / 1e9))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<div>{} <strong>{}</strong> <span class=\"where\">{}:{}{}</span></div>",
        badge(ja, en, class),
        esc(&sc.scenario),
        esc(&sc.feature),
        sc.line,
        duration
    );
    if !sc.tags.is_empty() {
        out.push_str("<div class=\"tags\">");
        for tag in &sc.tags {
            let kind = if tag.starts_with("catches-") {
                " catches"
            } else if tag.starts_with("rule-") {
                " rule"
            } else {
                ""
            };
            let _ = write!(out, "<span class=\"tag{kind}\">@{}</span>", esc(tag));
        }
        out.push_str("</div>\n");
    }
    steps(out, sc);
    if let (Verdict::Waived, Some(w)) = (sc.verdict, &sc.waiver) {
        let _ = write!(
            out,
            "<div class=\"waiver\">免除 <span class=\"en\">/ waived</span>: {}</div>",
            esc(&w.note())
        );
    }
    match sc.verdict {
        Verdict::Failed | Verdict::Error | Verdict::Recorded | Verdict::Waived => {
            out.push_str("<div class=\"failure\">");
            if let Some(step) = &sc.failed_step {
                let _ = write!(
                    out,
                    "<div>失敗したステップ <span class=\"en\">/ failing step</span>: <strong>{}</strong></div>",
                    esc(step)
                );
            }
            if let Some(m) = &sc.message {
                let label = if sc.verdict == Verdict::Recorded {
                    "記録 <span class=\"en\">/ recorded</span>"
                } else {
                    "期待値と実際の値 <span class=\"en\">/ expected vs actual</span>"
                };
                let _ = write!(
                    out,
                    "<div>{label}</div><pre class=\"message\">{}</pre>",
                    esc(&bounded(m, MAX_MESSAGE))
                );
            }
            out.push_str("</div>\n");
        }
        Verdict::Skipped => {
            let reason = sc.message.as_deref().unwrap_or("not applicable");
            let _ = writeln!(
                out,
                "<div class=\"note\">理由 / reason: {}</div>",
                esc(&bounded(reason, MAX_MESSAGE))
            );
        }
        Verdict::Passed => {}
    }
    evidence(out, sc, run_dir);
    out.push_str("</section>\n");
}

fn steps(out: &mut String, sc: &ScenarioResult) {
    if sc.all_steps().next().is_none() {
        return;
    }
    out.push_str("<ol class=\"steps\">\n");
    let background = sc.detail.background_steps.len();
    for (i, st) in sc.all_steps().enumerate() {
        step(out, st, i < background);
    }
    out.push_str("</ol>\n");
}

fn step(out: &mut String, st: &StepResult, background: bool) {
    let (class, mark) = match st.status {
        StepStatus::Passed => ("passed", "✓"),
        StepStatus::Failed => ("failed", "✗"),
        StepStatus::Skipped => ("skipped", "–"),
        StepStatus::Undefined => ("undefined", "?"),
    };
    let bg = if background { " background" } else { "" };
    let _ = write!(
        out,
        "<li class=\"st-{class}{bg}\" data-status=\"{class}\">{mark} {}",
        esc(&st.display())
    );
    if let Some(doc) = &st.docstring {
        let _ = write!(out, "<pre>{}</pre>", esc(doc));
    }
    if !st.table.is_empty() {
        out.push_str("<table>");
        for row in &st.table {
            out.push_str("<tr>");
            for cell in row {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
    out.push_str("</li>\n");
}

/// Links to the evidence folder and the PDFs in it, relative to the run folder.
fn evidence(out: &mut String, sc: &ScenarioResult, run_dir: &Path) {
    let Some(dir) = sc.evidence.as_deref() else {
        return;
    };
    let Some(href) = relative_href(dir) else {
        return;
    };
    let _ = writeln!(
        out,
        "<div>証拠 <span class=\"en\">/ evidence</span>: <a href=\"{}/\"><code>{}/</code></a></div>",
        esc(&href),
        esc(&href)
    );
    let pdfs = pdfs(&run_dir.join(dir));
    if pdfs.is_empty() {
        return;
    }
    out.push_str("<div>受け取った PDF <span class=\"en\">/ received PDFs</span>:</div>\n<ul class=\"files\">\n");
    for name in pdfs.iter().take(MAX_PDFS) {
        let link = format!("{href}/{}", percent(name));
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" data-pdf><code>{}</code></a></li>",
            esc(&link),
            esc(name)
        );
    }
    if pdfs.len() > MAX_PDFS {
        let _ = writeln!(
            out,
            "<li class=\"note\">ほか {} 件 / and {} more</li>",
            pdfs.len() - MAX_PDFS,
            pdfs.len() - MAX_PDFS
        );
    }
    out.push_str("</ul>\n");
}

/// The `*.pdf` file names directly in `dir`, sorted.
fn pdfs(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.to_ascii_lowercase().ends_with(".pdf"))
        .collect();
    names.sort();
    names
}

/// A relative path as a URL path, every segment percent-encoded; `None` for a path
/// that is not plainly relative (`..`, a root).
fn relative_href(path: &Path) -> Option<String> {
    let mut segments = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => segments.push(percent(&s.to_string_lossy())),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!segments.is_empty()).then(|| segments.join("/"))
}

/// `segment` with everything but unreserved URL characters percent-encoded.
fn percent(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_stay_inside_the_run_folder() {
        assert_eq!(
            relative_href(Path::new("evidence/01-connection/a b-L3")).as_deref(),
            Some("evidence/01-connection/a%20b-L3")
        );
        assert_eq!(relative_href(Path::new("../x")), None);
        assert_eq!(relative_href(Path::new("/etc")), None);
    }
}
