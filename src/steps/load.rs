//! 負荷試験: a peak day at the candidate's limit. Every fixture terminal gets lanes
//! beside it (terminals `<id>-2`, `<id>-3`, …), every lane serves its own queue as fast
//! as the candidate answers (the reception times come from the plan, never from a
//! clock), every document passes the run's audit, and each day closes with the store
//! trial's three-way reconciliation as soon as it ends (several days with `--days` or
//! `--soak`: a closed day's journal lines leave memory). The figures — throughput,
//! latency per operation, refusals by code, kofu's own CPU and memory — go to the
//! scenario's evidence (`load.json`, and `latency.txt`, which the reports show) and to
//! `<run>/load.json`.
//!
//! `kofu load` runs this phase with the sizes of its command line ([`crate::rig::LoadKnobs`]).

use std::time::{Duration, Instant};

use cucumber::{given, then, when};
use kofu_fixtures::municipality::LatencyBudget;

use super::params::Date;
use super::settlement::reconcile::gather_ledgers;
use super::store_day::{DayReady, day_ready};
use crate::checks::fail;
use crate::checks::settlement::{self, Closing};
use crate::terminal::store_day::timing::{Figures, LoadReport, ProcessFigures, Timing};
use crate::terminal::store_day::{self, DayTally, Layout};
use crate::world::KofuWorld;

#[given(expr = "負荷試験の営業日は {date}、乱数の種は {int} である")]
fn load_day(world: &mut KofuWorld, date: Date, seed: u64) {
    let knobs = world.rig().load.clone();
    world.store_day.plan = Some((knobs.date.unwrap_or(date.0), knobs.seed.unwrap_or(seed)));
}

#[when(
    expr = "全事業者の端末を {int} 倍に増やし、1台あたり {int} 人の来店を候補サーバが答えられるかぎり速く受け付ける"
)]
async fn run_peak_day(world: &mut KofuWorld, lanes: usize, visits: usize) {
    let knobs = world.rig().load.clone();
    let lanes = knobs.lanes.unwrap_or(lanes).max(1);
    let visits = knobs.visits_per_lane.unwrap_or(visits).max(1);
    let DayReady {
        date,
        seed,
        fixtures,
        jpki,
    } = day_ready(world);
    let layout = Layout { pool: None, lanes };
    let journal = world.kiosk.journal.clone();
    let link = world.center_link();
    let timing = Timing::default();
    let started = Instant::now();
    let mut total = DayTally::default();
    let mut rss = Vec::new();
    let mut days = 0usize;
    let mut terminals;
    // Day after day (several with `--days` or `--soak`), skipping the center's year-end
    // closure; each day is closed as it ends.
    let mut day = date;
    let mut closing = Closing::default();
    loop {
        let plan = store_day::plan_laid_out(&fixtures, day, seed + days as u64, visits, layout);
        terminals = plan.queues.len();
        let tally =
            store_day::run_timed(&plan, &link, &jpki, &fixtures, &journal, Some(&timing)).await;
        total.merge(tally);
        close_day(world, day, days == 0, &mut closing).await;
        days += 1;
        day = next_service_day(day);
        rss.push(ProcessFigures::now().rss_mib);
        let more_days = days < knobs.days.unwrap_or(1);
        let more_time = knobs.soak.is_some_and(|soak| started.elapsed() < soak);
        if !more_days && !more_time {
            break;
        }
    }
    total.anomalies.sort();
    let figures = timing.figures(started.elapsed(), total.issued);
    let report = LoadReport {
        days,
        lanes,
        visits_per_lane: visits,
        terminals,
        figures,
        rss_after_each_day_mib: rss,
    };
    write(world, &report);
    world.store_day.tally = Some(total);
    world.store_day.closing = Some(closing);
    world.load = Some(report);
}

/// Closes one business day: the day's journal lines, the center's transactions of that
/// date and the candidate's records of that date are reconciled three ways, and the
/// lines go to the settlement report's journal. No line of a closed day stays in
/// memory, so a soak's memory does not grow with its length; the closing step finishes
/// the months and judges the whole.
async fn close_day(world: &KofuWorld, day: chrono::NaiveDate, first: bool, closing: &mut Closing) {
    let entries = world.kiosk.journal.take();
    let ledgers = gather_ledgers(world, &entries, day, day, None).await;
    closing.close(&world.rig().fixtures, &ledgers);
    let dir = world.rig().run_dir.join("settlement");
    if let Err(e) = settlement::report::write_journal(&dir, &entries, first) {
        fail(
            "load: the settlement report's journal must be written",
            crate::steps::error_chain(&e),
            &world.evidence_dir,
        );
    }
}

/// The first date after `day` on which the center serves.
fn next_service_day(day: chrono::NaiveDate) -> chrono::NaiveDate {
    let mut next = day + chrono::Days::new(1);
    while !kofu_mock_center::hours::serves_on(next) {
        next = next + chrono::Days::new(1);
    }
    next
}

/// The figures into the scenario's evidence and the run's folder.
fn write(world: &KofuWorld, report: &LoadReport) {
    let json = serde_json::to_string_pretty(report).unwrap_or_default();
    let table = soak_line(report).map_or_else(
        || report.figures.table(),
        |line| format!("{}{line}\n", report.figures.table()),
    );
    let run_dir = world.rig().run_dir.clone();
    for (path, body) in [
        (world.evidence_dir.join("load.json"), json.as_str()),
        (world.evidence_dir.join("latency.txt"), table.as_str()),
        (run_dir.join("load.json"), json.as_str()),
        (run_dir.join("load.txt"), table.as_str()),
    ] {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, body));
        if let Err(e) = written {
            fail(
                "load: the figures must be written into the report",
                format!("{}: {e}", path.display()),
                &world.evidence_dir,
            );
        }
    }
}

/// The memory after the first and the last day of a soak.
fn soak_line(report: &LoadReport) -> Option<String> {
    let (first, last) = (
        report.rss_after_each_day_mib.first()?,
        report.rss_after_each_day_mib.last()?,
    );
    (report.days > 1).then(|| {
        format!(
            "soak: {} days, kofu resident memory {first:.1} MiB after the first, {last:.1} MiB after the last",
            report.days
        )
    })
}

fn report(world: &KofuWorld) -> LoadReport {
    match &world.load {
        Some(r) => r.clone(),
        None => fail(
            "load: the peak day has not been run",
            "run it first (…候補サーバが答えられるかぎり速く受け付ける)",
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "処理量・操作ごとの応答時間の分布・拒否の内訳と kofu 自身の負荷が成績に残る")]
fn figures_reported(world: &mut KofuWorld) {
    let r = report(world);
    let f = &r.figures;
    let missing: Vec<&str> = ["card-and-menu", "issue", "outcome"]
        .into_iter()
        .filter(|op| {
            !f.operations
                .iter()
                .any(|o| o.operation == *op && o.count > 0)
        })
        .collect();
    if f.issued == 0 || !missing.is_empty() {
        fail(
            "load: the peak day must issue, and time every operation",
            format!("{} issued; operations never timed: {missing:?}", f.issued),
            &world.evidence_dir,
        );
    }
    tracing::info!(
        issued = f.issued,
        per_second = f.issuances_per_second,
        "load figures written"
    );
}

/// The budgets the claims state, with the figure each one bounds.
fn budgets(budget: &LatencyBudget) -> [(&'static str, Option<u32>); 3] {
    [
        ("card-and-menu", budget.card_and_menu_p95_ms),
        ("issue", budget.issue_p95_ms),
        ("outcome", budget.outcome_p95_ms),
    ]
}

/// The p95 figures over a claimed budget, in the profile's words.
pub fn over_budget(figures: &Figures, budget: &LatencyBudget) -> Vec<String> {
    budgets(budget)
        .into_iter()
        .filter_map(|(op, limit)| {
            let limit = limit?;
            let o = figures.operations.iter().find(|o| o.operation == op)?;
            (o.p95_ms > f64::from(limit))
                .then(|| format!("{op}: p95 {:.1} ms, over the claimed {limit} ms", o.p95_ms))
        })
        .collect()
}

#[then(
    expr = "市区町村プロファイルが応答時間の上限を主張していれば、95 パーセンタイルはその上限に収まる"
)]
fn within_claimed_budget(world: &mut KofuWorld) {
    let r = report(world);
    let mut over = Vec::new();
    let mut claimed = false;
    for m in &world.rig().candidate.municipalities {
        if let Some(budget) = &m.latency_budget {
            claimed = true;
            over.extend(
                over_budget(&r.figures, budget)
                    .into_iter()
                    .map(|o| format!("{} ({}): {o}", m.name, m.code)),
            );
        }
    }
    if !claimed {
        tracing::info!("no latency budget claimed: the figures are reported only");
    }
    if !over.is_empty() {
        fail(
            "load: the candidate must answer within the latency it claims (`[latency_budget]`)",
            over.join("\n"),
            &world.evidence_dir,
        );
    }
}

/// How long a soak of `seconds` is, for the CLI.
pub fn soak(seconds: u64) -> Option<Duration> {
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(issue_p95: f64) -> Figures {
        let t = Timing::default();
        for _ in 0..100 {
            t.answered(
                crate::terminal::store_day::timing::Operation::Issue,
                Duration::from_secs_f64(issue_p95 / 1000.0),
            );
        }
        t.figures(Duration::from_secs(1), 100)
    }

    #[test]
    fn a_claimed_budget_is_checked_and_an_unclaimed_one_is_not() {
        let budget = LatencyBudget {
            card_and_menu_p95_ms: None,
            issue_p95_ms: Some(200),
            outcome_p95_ms: Some(5),
        };
        assert!(over_budget(&figures(150.0), &budget).is_empty());
        let over = over_budget(&figures(450.0), &budget);
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(over[0].starts_with("issue: p95 450"), "{over:?}");
    }
}
