//! The human-readable report of a run, printed to stdout by `kofu run` and
//! `kofu report merge`: counts per phase, then every scenario that is not a pass.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::waiver::Waiver;
use super::{Summary, Verdict};

impl Summary {
    /// The human-readable report printed to stdout; `colour` marks verdicts and diff
    /// lines with terminal colours (only for a terminal).
    pub fn render_with(&self, colour: bool) -> String {
        let paint = |code: &str, text: &str| {
            if colour {
                format!("\u{1b}[{code}m{text}\u{1b}[0m")
            } else {
                text.to_owned()
            }
        };
        let mut out = String::new();
        let mut phases: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
        for s in &self.scenarios {
            let e = phases.entry(s.phase.as_str()).or_default();
            match s.verdict {
                Verdict::Passed => e[0] += 1,
                Verdict::Failed | Verdict::Error => e[1] += 1,
                Verdict::Skipped => e[2] += 1,
                Verdict::Recorded => e[3] += 1,
                Verdict::Waived => e[4] += 1,
            }
        }
        let _ = writeln!(out, "kofu run {} against {}", self.run_id, self.candidate);
        if let Some(reason) = &self.reason {
            let _ = writeln!(out, "{}", paint("1;31", &format!("run stopped: {reason}")));
        }
        let waivers = self.waived > 0 || !self.stale_waivers.is_empty();
        let _ = write!(
            out,
            "{:<16} {:>6} {:>6} {:>7} {:>8}",
            "phase", "passed", "failed", "skipped", "recorded"
        );
        let _ = writeln!(out, "{}", if waivers { "  waived" } else { "" });
        for (phase, [p, f, s, r, w]) in &phases {
            let _ = write!(out, "{phase:<16} {p:>6} {f:>6} {s:>7} {r:>8}");
            let _ = writeln!(
                out,
                "{}",
                if waivers {
                    format!(" {w:>7}")
                } else {
                    String::new()
                }
            );
        }
        for stale in &self.stale_waivers {
            let _ = writeln!(
                out,
                "\n{} {}",
                paint("1;31", "STALE WAIVER"),
                stale.message()
            );
        }
        for s in self.scenarios.iter().filter(|s| {
            matches!(
                s.verdict,
                Verdict::Failed | Verdict::Error | Verdict::Recorded
            )
        }) {
            let word = match s.verdict {
                Verdict::Recorded => "RECORDED",
                Verdict::Error => "ERROR",
                _ => "FAILED",
            };
            let _ = writeln!(
                out,
                "\n{} [{}] {}:{} {}",
                paint("1;31", word),
                s.phase,
                s.feature,
                s.line,
                s.scenario
            );
            if let Some(step) = &s.failed_step {
                let _ = writeln!(out, "  step: {step}");
            }
            if let Some(m) = &s.message {
                for line in m.lines() {
                    let line = if line.starts_with('-') {
                        paint("31", line)
                    } else if line.starts_with('+') {
                        paint("32", line)
                    } else {
                        line.to_owned()
                    };
                    let _ = writeln!(out, "  {line}");
                }
            }
            let mentions_evidence = s
                .message
                .as_deref()
                .is_some_and(|m| m.contains("evidence: "));
            if let Some(e) = s.evidence.as_ref().filter(|_| !mentions_evidence) {
                let _ = writeln!(out, "  evidence: {}", e.display());
            }
        }
        for s in self
            .scenarios
            .iter()
            .filter(|s| s.verdict == Verdict::Waived)
        {
            let note = s.waiver.as_ref().map(Waiver::note).unwrap_or_default();
            let _ = writeln!(
                out,
                "{} [{}] {}:{} {}: {note}",
                paint("1;33", "WAIVED"),
                s.phase,
                s.feature,
                s.line,
                s.scenario,
            );
            if let Some(m) = s.message.as_deref() {
                let _ = writeln!(out, "  failure: {}", super::text::first_line(m));
            }
        }
        for s in self
            .scenarios
            .iter()
            .filter(|s| s.verdict == Verdict::Skipped)
        {
            let _ = writeln!(
                out,
                "SKIPPED [{}] {}:{} {}: {}",
                s.phase,
                s.feature,
                s.line,
                s.scenario,
                s.message.as_deref().unwrap_or("not applicable")
            );
        }
        out
    }

    /// The human-readable report, without colour.
    pub fn render(&self) -> String {
        self.render_with(false)
    }
}
