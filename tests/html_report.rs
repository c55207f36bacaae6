//! `report.html` as a browser shows it: a run with failures rendered by headless Chromium
//! (its DOM's `data-count` numbers equal `summary.json`, a screenshot is not blank, it
//! prints to a PDF with pages), a passing run's page read as a file, and a hostile
//! scenario name and message escaped. Chromium is found as `chromium`,
//! `chromium-browser` or `google-chrome`; without one the browser test fails in CI
//! (`CI` set) and is skipped elsewhere (`.ci/run` installs it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kofu::candidate::CandidateSpec;
use kofu::report::{ScenarioResult, Summary};
use kofu::{RunOptions, exit};

/// Longest a single browser launch may take.
const BROWSER_DEADLINE: Duration = Duration::from_secs(240);

fn options(reports: &Path, defects: &[&str], tags: &str) -> RunOptions {
    let mut options = RunOptions::repository(CandidateSpec::Embedded {
        defects: defects.iter().map(|d| (*d).to_owned()).collect(),
    });
    options.report_dir = reports.to_owned();
    options.tags = Some(tags.to_owned());
    options
}

fn summary(run_dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(run_dir.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("summary.json is JSON")
}

fn n(v: &serde_json::Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.json has no count `{key}`"))
}

/// The `data-count` numbers inside the element that starts at `marker`, up to `end`.
fn counts(dom: &str, marker: &str, end: &str) -> BTreeMap<String, u64> {
    let start = dom
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in the page"));
    let rest = &dom[start..];
    let part = &rest[..rest.find(end).unwrap_or(rest.len())];
    let mut out = BTreeMap::new();
    for piece in part.split("data-count=\"").skip(1) {
        let (key, after) = piece.split_once('"').expect("a closed attribute");
        let value = after
            .split_once('>')
            .and_then(|(_, v)| v.split_once('<'))
            .map(|(v, _)| v.trim())
            .expect("a count cell");
        let value = value
            .parse()
            .unwrap_or_else(|_| panic!("count `{key}` is not a number: {value}"));
        out.insert(key.to_owned(), value);
    }
    out
}

/// The page's numbers against `summary.json`: totals, the candidate's verdict, the
/// mocks, every phase, and one scenario block per scenario.
fn check_counts(page: &str, s: &serde_json::Value) {
    let run = counts(page, "data-of=\"run\"", "</table>");
    for key in ["tests", "passed", "failed", "recorded", "errors", "skipped"] {
        assert_eq!(run.get(key).copied(), Some(n(s, key)), "run total `{key}`");
    }
    for part in ["verdict", "mocks"] {
        let c = counts(page, &format!("<tr data-of=\"{part}\""), "</tr>");
        for key in ["passed", "failed", "skipped"] {
            assert_eq!(
                c.get(key).copied(),
                Some(n(&s[part], key)),
                "`{part}` count `{key}`"
            );
        }
    }
    let mut phases: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    let scenarios = s["scenarios"].as_array().expect("scenarios");
    for sc in scenarios {
        let e = phases
            .entry(sc["phase"].as_str().unwrap().to_owned())
            .or_default();
        match sc["verdict"].as_str().unwrap() {
            "passed" => e[0] += 1,
            "failed" | "error" => e[1] += 1,
            "skipped" => e[2] += 1,
            "recorded" => e[3] += 1,
            "waived" => e[4] += 1,
            other => panic!("verdict {other}"),
        }
    }
    for (phase, [p, f, k, r, w]) in &phases {
        let c = counts(page, &format!("<tr data-phase=\"{phase}\""), "</tr>");
        let want: BTreeMap<String, u64> = [("passed", *p), ("failed", *f), ("skipped", *k)]
            .into_iter()
            .chain([("recorded", *r), ("waived", *w)])
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        assert_eq!(c, want, "phase {phase}");
    }
    assert_eq!(
        page.matches("<section class=\"scenario ").count(),
        scenarios.len(),
        "one block per scenario"
    );
    let failed = scenarios
        .iter()
        .filter(|sc| sc["verdict"] == "failed")
        .count();
    assert_eq!(
        page.matches("<section class=\"scenario s-failed\"").count(),
        failed,
        "failed scenario blocks"
    );
}

/// Chromium's binary, or why there is none.
fn chromium() -> Result<PathBuf, String> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = std::process::Command::new(name).arg("--version").output()
            && out.status.success()
        {
            return Ok(PathBuf::from(name));
        }
    }
    Err("none of chromium, chromium-browser, google-chrome runs; \
         apt-get install -y chromium (.ci/run does)"
        .to_owned())
}

/// Run headless Chromium on `page` with `args`; its stdout.
async fn browse(chromium: &Path, profile: &Path, args: &[String], page: &Path) -> String {
    let mut cmd = tokio::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
    ])
    .arg("--disable-dev-shm-usage")
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .arg(format!("file://{}", page.display()))
    .kill_on_drop(true);
    let out = tokio::time::timeout(BROWSER_DEADLINE, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("chromium did not finish in {BROWSER_DEADLINE:?}: {args:?}"))
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn a_run_with_failures_renders_in_a_browser_with_the_summary_numbers() {
    let chromium = match chromium() {
        Ok(c) => c,
        Err(why) if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
            panic!("Chromium is needed in CI: {why}")
        }
        Err(why) => {
            eprintln!("skipped (Chromium is not installed: {why})");
            return;
        }
    };
    let reports = tempfile::tempdir().expect("tempdir");
    let outcome = kofu::run(options(
        reports.path(),
        &["mtls-not-enforced"],
        "@phase-connection or @catches-pdf-javascript",
    ))
    .await
    .expect("run completes");
    assert_eq!(
        outcome.exit_code,
        exit::FAILED,
        "{}",
        outcome.summary.render()
    );
    let run_dir = outcome.run_dir.canonicalize().expect("run folder");
    let page = run_dir.join("report.html");
    let s = summary(&run_dir);
    assert!(n(&s, "failed") > 0 && n(&s, "passed") > 0);

    // The file as written links to the evidence of the run, received PDFs included.
    let html = std::fs::read_to_string(&page).expect("report.html");
    let pdf_links: Vec<&str> = html
        .split("<a href=\"")
        .skip(1)
        .filter_map(|a| a.split_once('"'))
        .filter(|(_, rest)| rest.starts_with(" data-pdf"))
        .map(|(href, _)| href)
        .collect();
    assert!(
        !pdf_links.is_empty(),
        "no received PDF is linked: {}",
        outcome.summary.render()
    );
    for href in &pdf_links {
        assert!(href.starts_with("evidence/"), "{href}");
        assert!(
            run_dir.join(href).is_file(),
            "{href} is not a file of the run"
        );
    }
    // Self-contained: nothing loads from anywhere.
    for needle in ["<script", "<link", "<img", " src=", "@import", "url("] {
        assert!(!html.contains(needle), "the page holds `{needle}`");
    }

    let profile = tempfile::tempdir().expect("browser profile");
    let dom = browse(&chromium, profile.path(), &["--dump-dom".into()], &page).await;
    check_counts(&dom, &s);
    assert!(dom.contains("不合格 / failed"), "overall verdict");
    assert!(
        dom.contains(&format!(
            "{} passed, {} failed, {} skipped",
            n(&s["verdict"], "passed"),
            n(&s["verdict"], "failed"),
            n(&s["verdict"], "skipped")
        )),
        "closing line"
    );

    let png = run_dir.join("report.png");
    let args = [
        format!("--screenshot={}", png.display()),
        "--window-size=1240,1754".to_owned(),
        "--hide-scrollbars".to_owned(),
    ];
    browse(&chromium, profile.path(), &args, &page).await;
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png).expect("screenshot written"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("PNG size")];
    let frame = reader.next_frame(&mut buf).expect("PNG frame");
    assert_eq!((frame.width, frame.height), (1240, 1754));
    let pixel = frame.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> =
        buf[..frame.buffer_size()].chunks(pixel).collect();
    assert!(
        colours.len() > 8,
        "the screenshot is blank: {} colours",
        colours.len()
    );

    let pdf = run_dir.join("report.pdf");
    let args = [
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".to_owned(),
    ];
    browse(&chromium, profile.path(), &args, &page).await;
    let doc = lopdf::Document::load(&pdf).expect("the printed PDF loads");
    assert!(!doc.get_pages().is_empty(), "the printed PDF has no page");
}

#[tokio::test]
async fn a_passing_run_says_so_with_its_identity_and_claims() {
    let reports = tempfile::tempdir().expect("tempdir");
    let outcome = kofu::run(options(
        reports.path(),
        &[],
        "@phase-connection or @requires-no-age-limit",
    ))
    .await
    .expect("run completes");
    assert_eq!(
        outcome.exit_code,
        exit::PASSED,
        "{}",
        outcome.summary.render()
    );
    let html = std::fs::read_to_string(outcome.run_dir.join("report.html")).expect("report.html");
    let s = summary(&outcome.run_dir);
    check_counts(&html, &s);
    assert!(n(&s, "skipped") > 0);
    assert!(
        html.contains("data-verdict=\"passed\"><span class=\"verdict v-passed\">合格 / passed")
    );
    assert!(html.contains(kofu_profile::PROFILE_VERSION));
    let identity = s["identity"]["implementation"]["name"]
        .as_str()
        .expect("summary.json holds the identity");
    assert!(html.contains(identity), "{identity}");
    let claim = s["claims"][0]["name"]
        .as_str()
        .expect("summary.json holds the claims");
    assert!(html.contains(claim), "{claim}");
    assert!(html.contains("@page { size: A4; margin: 15mm; }"));
}

#[test]
fn untrusted_text_is_escaped_and_plain() {
    let hostile =
        "<script>alert(1)</script> \u{1b}[31mred\u{1b}[0m & \"quoted\" <img src=x onerror=y>";
    let summary = Summary::new(
        "run-1".into(),
        "http://127.0.0.1:1/<b>".into(),
        chrono::Utc::now(),
        kofu::report::RunStatus::Completed,
        None,
        vec![ScenarioResult::broken_feature(
            format!("{hostile}.feature"),
            hostile.into(),
        )],
    );
    let html = kofu::report::html::render(&summary, Path::new("/nonexistent"));
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(!html.contains('\u{1b}'), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; red &amp; &quot;quoted&quot;"));
    assert!(html.contains("data-verdict=\"error\""));
}
