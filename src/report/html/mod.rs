//! `report.html`: the 試験成績書 (test report) of a run, the page a vendor prints and an
//! acceptance reviewer reads. One self-contained file: inline CSS, no script, no
//! network, no external asset; it prints on A4 without horizontal overflow.
//!
//! Every text on the page is HTML-escaped and stripped of terminal escapes (scenario
//! names and failure messages come from the candidate's answers). Numbers carry
//! machine-readable anchors: the run's totals are `<td data-count="passed">` … inside
//! `<table data-of="run">`, the candidate's verdict inside `data-of="verdict"`, kofu's
//! own mocks inside `data-of="mocks"`, one phase per `<tr data-phase="…">`; every
//! scenario is a `<section class="scenario" data-verdict="…">`.

mod header;
mod scenarios;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::summary::Counts;
use super::{Summary, Verdict};

/// The page of `summary`, for a run whose folder is `run_dir` (received PDFs are listed
/// from the scenarios' evidence folders there, as they are now).
pub fn render(summary: &Summary, run_dir: &Path) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>試験成績書 / Test report — {}</title>",
        esc(&summary.run_id)
    );
    let _ = writeln!(
        out,
        "<style>\n{}</style>\n</head>\n<body>",
        include_str!("style.css")
    );
    let _ = writeln!(
        out,
        "<h1>コンビニ交付 証明発行サーバ 適合性 試験成績書 <span class=\"en\">Conformance test report</span></h1>"
    );
    header::header(&mut out, summary);
    totals(&mut out, summary);
    phases(&mut out, summary);
    scenarios::all(&mut out, summary, run_dir);
    out.push_str("</body>\n</html>\n");
    out
}

/// `text` HTML-escaped, without terminal escapes or control characters.
pub(super) fn esc(text: &str) -> String {
    let text = super::text::plain(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text`, with `…` when cut.
pub(super) fn bounded(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// Japanese and English words of a verdict, and its CSS class suffix.
pub(super) fn verdict_words(v: Verdict) -> (&'static str, &'static str, &'static str) {
    match v {
        Verdict::Passed => ("合格", "passed", "passed"),
        Verdict::Failed => ("不合格", "failed", "failed"),
        Verdict::Skipped => ("対象外", "not applicable", "skipped"),
        Verdict::Recorded => ("記録", "recorded", "recorded"),
        Verdict::Error => ("エラー", "error", "error"),
        Verdict::Waived => ("免除", "waived", "waived"),
    }
}

/// The badge of a verdict: `<span class="verdict v-passed">合格 / passed</span>`.
pub(super) fn badge(ja: &str, en: &str, class: &str) -> String {
    format!("<span class=\"verdict v-{class}\">{ja} / {en}</span>")
}

/// Japanese name of a phase (`connection` → 接続試験); unknown phases as they are.
pub(super) fn phase_name(phase: &str) -> &str {
    match phase {
        "connection" => "接続試験",
        "issuance" => "交付試験",
        "restrictions" => "利用者制限試験",
        "faults" => "異常系試験",
        "settlement" => "清算試験",
        "store-trial" => "実店舗試験",
        "additions" => "追加試験",
        "register-feed" => "異動連携試験",
        "load" => "負荷試験",
        "unphased" => "工程なし",
        other => other,
    }
}

fn count_cell(key: &str, n: usize) -> String {
    format!("<td class=\"n\" data-count=\"{key}\">{n}</td>")
}

fn totals(out: &mut String, s: &Summary) {
    out.push_str("<h2>集計 <span class=\"en\">Totals</span></h2>\n");
    out.push_str("<table class=\"totals\" data-of=\"run\">\n<thead><tr>");
    for (ja, en) in [
        ("試験数", "tests"),
        ("合格", "passed"),
        ("不合格", "failed"),
        ("うち記録", "of which recorded"),
        ("エラー", "errors"),
        ("対象外", "not applicable"),
    ] {
        let _ = write!(
            out,
            "<th class=\"n\">{ja}<br><span class=\"en\">{en}</span></th>"
        );
    }
    out.push_str("</tr></thead>\n<tbody><tr>");
    for (key, n) in [
        ("tests", s.tests),
        ("passed", s.passed),
        ("failed", s.failed),
        ("recorded", s.recorded),
        ("errors", s.errors),
        ("skipped", s.skipped),
    ] {
        out.push_str(&count_cell(key, n));
    }
    out.push_str("</tr></tbody>\n</table>\n");
    out.push_str(
        "<table class=\"parts\">\n<thead><tr><th>区分 <span class=\"en\">/ part</span></th>",
    );
    for (ja, en) in [
        ("合格", "passed"),
        ("不合格", "failed"),
        ("対象外", "not applicable"),
    ] {
        let _ = write!(
            out,
            "<th class=\"n\">{ja}<br><span class=\"en\">{en}</span></th>"
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut part = |of: &str, ja: &str, en: &str, c: Counts| {
        let _ = writeln!(
            out,
            "<tr data-of=\"{of}\"><th>{ja} <span class=\"en\">/ {en}</span></th>{}{}{}</tr>",
            count_cell("passed", c.passed),
            count_cell("failed", c.failed),
            count_cell("skipped", c.skipped)
        );
    };
    part(
        "verdict",
        "候補サーバの判定",
        "the candidate's verdict",
        s.verdict,
    );
    part(
        "mocks",
        "kofu 自身の模擬 (@mock-only)",
        "kofu's own mocks, not the candidate's verdict",
        s.mocks,
    );
    out.push_str("</tbody>\n</table>\n");
}

fn phases(out: &mut String, s: &Summary) {
    out.push_str("<h2>工程別 <span class=\"en\">By phase</span></h2>\n");
    out.push_str(
        "<table class=\"phases\">\n<thead><tr><th>工程 <span class=\"en\">/ phase</span></th>",
    );
    for (ja, en) in [
        ("合格", "passed"),
        ("不合格", "failed"),
        ("対象外", "not applicable"),
        ("記録", "recorded"),
        ("免除", "waived"),
    ] {
        let _ = write!(
            out,
            "<th class=\"n\">{ja}<br><span class=\"en\">{en}</span></th>"
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (phase, [p, f, k, r, w]) in phase_counts(s) {
        let _ = writeln!(
            out,
            "<tr data-phase=\"{}\"><th>{} <span class=\"en\">/ {}</span></th>{}{}{}{}{}</tr>",
            esc(phase),
            esc(phase_name(phase)),
            esc(phase),
            count_cell("passed", p),
            count_cell("failed", f),
            count_cell("skipped", k),
            count_cell("recorded", r),
            count_cell("waived", w)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Per phase, in the order of the feature folders: passed, failed (errors included),
/// not applicable, recorded, as the terminal report counts them.
pub(super) fn phase_counts(s: &Summary) -> Vec<(&str, [usize; 5])> {
    let mut order: Vec<&str> = Vec::new();
    let mut counts: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    for sc in &s.scenarios {
        let e = counts.entry(sc.phase.as_str()).or_insert_with(|| {
            order.push(sc.phase.as_str());
            [0; 5]
        });
        match sc.verdict {
            Verdict::Passed => e[0] += 1,
            Verdict::Failed | Verdict::Error => e[1] += 1,
            Verdict::Skipped => e[2] += 1,
            Verdict::Recorded => e[3] += 1,
            Verdict::Waived => e[4] += 1,
        }
    }
    order.into_iter().map(|p| (p, counts[p])).collect()
}
