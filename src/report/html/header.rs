//! The head of `report.html`: what was tested, by which kofu and profile, when, and the
//! overall verdict with the closing line.

use std::fmt::Write as _;

use super::{badge, bounded, esc};
use crate::report::{RunStatus, Summary};

/// Longest candidate-given text (URL, identity) shown, in characters.
const MAX_FIELD: usize = 300;

/// An RFC 3339 time as `YYYY-MM-DD hh:mm:ss JST`, with the UTC original in `<time>`.
fn time(rfc3339: &str) -> String {
    let shown = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .and_then(|t| {
            let jst = chrono::FixedOffset::east_opt(9 * 3600)?;
            Some(
                t.with_timezone(&jst)
                    .format("%Y-%m-%d %H:%M:%S JST")
                    .to_string(),
            )
        })
        .unwrap_or_else(|| rfc3339.to_owned());
    format!(
        "<time datetime=\"{}\">{}</time> <span class=\"note\">({})</span>",
        esc(rfc3339),
        esc(&shown),
        esc(rfc3339)
    )
}

pub(super) fn header(out: &mut String, s: &Summary) {
    out.push_str("<table class=\"meta\">\n");
    let mut row = |ja: &str, en: &str, value: &str| {
        let _ = writeln!(
            out,
            "<tr><th>{ja} <span class=\"en\">/ {en}</span></th><td>{value}</td></tr>"
        );
    };
    row(
        "実行 ID",
        "run id",
        &format!("<code data-field=\"run-id\">{}</code>", esc(&s.run_id)),
    );
    row("kofu の版", "kofu version", &esc(&s.kofu_version));
    row(
        "参照プロファイルの版",
        "profile version",
        &esc(kofu_profile::PROFILE_VERSION),
    );
    let url = if s.candidate.is_empty() {
        "—".to_owned()
    } else {
        format!("<code>{}</code>", esc(&bounded(&s.candidate, MAX_FIELD)))
    };
    row("候補サーバ", "candidate", &url);
    if let Some(id) = &s.identity {
        let implementation = format!(
            "{} {} <span class=\"note\">(プロファイル / profile {})</span>",
            esc(&bounded(&id.implementation.name, MAX_FIELD)),
            esc(&bounded(&id.implementation.version, MAX_FIELD)),
            esc(&bounded(&id.profile_version, MAX_FIELD)),
        );
        row("製品名・版", "implementation", &implementation);
    }
    if !s.claims.is_empty() {
        let claims = s
            .claims
            .iter()
            .map(|c| {
                format!(
                    "{} <span class=\"note\">({})</span>",
                    esc(&c.name),
                    esc(&c.code)
                )
            })
            .collect::<Vec<_>>()
            .join("、");
        row("主張（市区町村）", "claims (municipalities)", &claims);
    }
    row("開始", "started", &time(&s.started_at));
    row("終了", "finished", &time(&s.finished_at));
    let (ja, en, class) = overall(s);
    row(
        "総合判定",
        "overall verdict",
        &format!(
            "<span class=\"overall\" data-field=\"overall\" data-verdict=\"{class}\">{}</span>",
            badge(ja, en, class)
        ),
    );
    if let Some(reason) = &s.reason {
        row(
            "中断の理由",
            "why the run stopped",
            &format!("<pre>{}</pre>", esc(reason)),
        );
    }
    row(
        "候補サーバの成績",
        "candidate's result",
        &format!(
            "<span class=\"closing\" data-field=\"closing-line\">{}</span>",
            esc(&s.closing_line())
        ),
    );
    if let Some(line) = s.mock_line() {
        row("kofu 自身の模擬", "kofu's own mocks", &esc(&line));
    }
    out.push_str("</table>\n");
}

/// The overall verdict, as the exit code has it.
fn overall(s: &Summary) -> (&'static str, &'static str, &'static str) {
    match s.status {
        RunStatus::SetupError => ("試験不成立", "setup error", "stopped"),
        RunStatus::NoScenario => ("試験不成立", "no scenario ran", "stopped"),
        RunStatus::DeadlineExceeded => ("時間切れ", "deadline exceeded", "stopped"),
        RunStatus::Completed if s.exit_code() == crate::exit::PASSED => {
            ("合格", "passed", "passed")
        }
        RunStatus::Completed if s.exit_code() == crate::exit::FAILED => {
            ("不合格", "failed", "failed")
        }
        RunStatus::Completed => ("試験不成立", "nothing passed", "stopped"),
    }
}
