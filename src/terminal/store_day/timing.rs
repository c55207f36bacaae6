//! What a day of visits cost, as the terminals saw it: the latency of each operation
//! through the center (card reading with the menus, issuance, outcome report), the
//! refusals by code, and kofu's own CPU time and memory. The load phase (負荷試験)
//! reports these figures; the ordinary store-trial day does not record them.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// The operations a visit makes through the center, as timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// The card placed and read: the center checks it and asks the candidate for the
    /// menus.
    CardAndMenu,
    /// The issuance of the chosen certificate.
    Issue,
    /// The print outcome report (確定 / 取消).
    Outcome,
}

impl Operation {
    /// Every operation, in the order of a visit.
    pub const ALL: [Operation; 3] = [Self::CardAndMenu, Self::Issue, Self::Outcome];

    /// The name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Self::CardAndMenu => "card-and-menu",
            Self::Issue => "issue",
            Self::Outcome => "outcome",
        }
    }
}

/// Latencies recorded from 1 µs to 60 s, three significant figures.
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3)
        .unwrap_or_else(|e| unreachable!("fixed, valid bounds: {e}"))
}

#[derive(Debug, Default)]
struct Recorded {
    latencies: BTreeMap<Operation, Histogram<u64>>,
    errors: BTreeMap<(Operation, String), u64>,
}

/// The recorder the visits write into; shared by every terminal of the day.
#[derive(Debug, Default)]
pub struct Timing {
    recorded: Mutex<Recorded>,
}

impl Timing {
    /// An operation that took `took` and was answered.
    pub fn answered(&self, op: Operation, took: Duration) {
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1);
        let mut r = self
            .recorded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Saturates at the histogram's top: a 60 s answer is already past every wait.
        let _ = r
            .latencies
            .entry(op)
            .or_insert_with(histogram)
            .record(micros.min(60_000_000));
    }

    /// An operation refused with the center's `code` (or failed below it).
    pub fn refused(&self, op: Operation, code: &str) {
        let mut r = self
            .recorded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *r.errors.entry((op, code.to_owned())).or_default() += 1;
    }

    /// The figures of what was recorded, over `wall` of running.
    pub fn figures(&self, wall: Duration, issued: usize) -> Figures {
        let r = self
            .recorded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let operations = Operation::ALL
            .iter()
            .filter_map(|op| {
                let h = r.latencies.get(op)?;
                let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
                Some(OperationFigures {
                    operation: op.name(),
                    count: h.len(),
                    p50_ms: ms(0.50),
                    p95_ms: ms(0.95),
                    p99_ms: ms(0.99),
                    max_ms: h.max() as f64 / 1000.0,
                })
            })
            .collect();
        let errors = r
            .errors
            .iter()
            .map(|((op, code), n)| ErrorFigures {
                operation: op.name(),
                code: code.clone(),
                count: *n,
            })
            .collect();
        let seconds = wall.as_secs_f64();
        Figures {
            wall_seconds: seconds,
            issued,
            issuances_per_second: if seconds > 0.0 {
                issued as f64 / seconds
            } else {
                0.0
            },
            operations,
            errors,
            process: ProcessFigures::now(),
        }
    }
}

/// The figures of a load run.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Wall-clock seconds the visits took.
    pub wall_seconds: f64,
    /// Issuances handed to terminals.
    pub issued: usize,
    /// Throughput.
    pub issuances_per_second: f64,
    /// Latency per operation, in milliseconds.
    pub operations: Vec<OperationFigures>,
    /// Refusals and failures by operation and code.
    pub errors: Vec<ErrorFigures>,
    /// kofu's own cost.
    pub process: ProcessFigures,
}

/// One operation's latency distribution.
#[derive(Debug, Clone, Serialize)]
pub struct OperationFigures {
    /// [`Operation::name`].
    pub operation: &'static str,
    /// Answers timed.
    pub count: u64,
    /// Median, ms.
    pub p50_ms: f64,
    /// 95th percentile, ms.
    pub p95_ms: f64,
    /// 99th percentile, ms.
    pub p99_ms: f64,
    /// Slowest, ms.
    pub max_ms: f64,
}

/// Refusals of one operation with one code.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorFigures {
    /// [`Operation::name`].
    pub operation: &'static str,
    /// The center's code, e.g. `not-issuable`, `candidate-unavailable`.
    pub code: String,
    /// How many.
    pub count: u64,
}

/// kofu's own CPU time and memory, read from `/proc/self` (Linux; zero elsewhere).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ProcessFigures {
    /// User plus system CPU seconds of the kofu process so far (the bundled reference
    /// server runs inside it when it is the candidate).
    pub cpu_seconds: f64,
    /// Resident memory now, MiB.
    pub rss_mib: f64,
    /// Peak resident memory, MiB.
    pub max_rss_mib: f64,
}

/// Clock ticks per second of `/proc/self/stat` (`USER_HZ`, 100 on every Linux kofu
/// runs on).
const USER_HZ: f64 = 100.0;

impl ProcessFigures {
    /// The process's figures at this moment.
    pub fn now() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kib = |key: &str| -> f64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        Self {
            cpu_seconds: cpu_ticks().map_or(0.0, |t| t as f64 / USER_HZ),
            rss_mib: kib("VmRSS:") / 1024.0,
            max_rss_mib: kib("VmHWM:") / 1024.0,
        }
    }
}

/// utime + stime of `/proc/self/stat` (fields 14 and 15, after the command in
/// parentheses, which may hold spaces).
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state): utime is field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// What the load phase writes: the figures of the whole run, and kofu's memory after
/// each day of a soak.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// Days run (1 unless soaking).
    pub days: usize,
    /// Terminals per fixture terminal.
    pub lanes: usize,
    /// Visits per terminal per day.
    pub visits_per_lane: usize,
    /// Terminals in all.
    pub terminals: usize,
    /// The figures over every day.
    pub figures: Figures,
    /// kofu's resident memory after each day, MiB.
    pub rss_after_each_day_mib: Vec<f64>,
}

impl Figures {
    /// The figures as a plain table for stdout (no colour).
    pub fn table(&self) -> String {
        let mut out = format!(
            "load: {} issuances in {:.2} s: {:.1} issuances/s\n",
            self.issued, self.wall_seconds, self.issuances_per_second
        );
        out.push_str("operation        count    p50 ms   p95 ms   p99 ms   max ms\n");
        for o in &self.operations {
            out.push_str(&format!(
                "{:<15} {:>6} {:>9.1} {:>8.1} {:>8.1} {:>8.1}\n",
                o.operation, o.count, o.p50_ms, o.p95_ms, o.p99_ms, o.max_ms
            ));
        }
        if self.errors.is_empty() {
            out.push_str("refusals: none\n");
        }
        for e in &self.errors {
            out.push_str(&format!(
                "refused: {} {} x{}\n",
                e.operation, e.code, e.count
            ));
        }
        out.push_str(&format!(
            "kofu process: {:.2} s CPU, {:.1} MiB resident (peak {:.1} MiB)\n",
            self.process.cpu_seconds, self.process.rss_mib, self.process.max_rss_mib
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_the_recorded_answers() {
        let t = Timing::default();
        for ms in 1..=100 {
            t.answered(Operation::Issue, Duration::from_millis(ms));
        }
        t.refused(Operation::Issue, "not-issuable");
        t.refused(Operation::Issue, "not-issuable");
        let f = t.figures(Duration::from_secs(2), 100);
        let issue = &f.operations[0];
        assert_eq!((issue.operation, issue.count), ("issue", 100));
        assert!((49.0..=51.0).contains(&issue.p50_ms), "{}", issue.p50_ms);
        assert!((94.0..=96.0).contains(&issue.p95_ms), "{}", issue.p95_ms);
        assert!((99.0..=101.0).contains(&issue.max_ms), "{}", issue.max_ms);
        assert_eq!(f.errors[0].count, 2);
        assert!((f.issuances_per_second - 50.0).abs() < 1e-9);
        assert!(f.table().contains("refused: issue not-issuable x2"));
    }

    #[test]
    fn the_process_reads_its_own_cost() {
        let mut spin = 0u64;
        for i in 0..20_000_000u64 {
            spin = spin.wrapping_add(i ^ (spin >> 3));
        }
        std::hint::black_box(spin);
        let p = ProcessFigures::now();
        assert!(p.cpu_seconds > 0.0);
        assert!(p.rss_mib > 0.0 && p.max_rss_mib >= p.rss_mib * 0.5);
    }
}
