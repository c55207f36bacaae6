//! A slow line's latency as evidence: per exchange, the candidate's own time (received
//! from the center → answered by the candidate) and the line's added delay (answered →
//! delivered), then the slowest of each.

use std::collections::BTreeMap;

use kofu_fault_injector::{Event, EventKind};

/// What the timeline tells of one exchange.
#[derive(Default)]
struct Exchange {
    call: String,
    received_ms: Option<u64>,
    answered_ms: Option<u64>,
    delay_ms: Option<u64>,
}

/// The latency table of a timeline, one line per exchange.
pub fn report(events: &[Event]) -> String {
    let mut by_exchange: BTreeMap<u64, Exchange> = BTreeMap::new();
    for e in events {
        let row = by_exchange.entry(e.exchange).or_insert_with(|| Exchange {
            call: format!("{} {}", e.method, e.path),
            ..Exchange::default()
        });
        match e.kind {
            EventKind::Received => row.received_ms = Some(e.at_ms),
            EventKind::Answered { .. } => row.answered_ms = Some(e.at_ms),
            EventKind::Delivered { after_ms, .. } => row.delay_ms = Some(after_ms),
            _ => {}
        }
    }
    let mut out = String::from("exchange  candidate ms  line delay ms  call\n");
    let (mut worst_candidate, mut worst_total) = (0, 0);
    for (n, x) in &by_exchange {
        let candidate = match (x.received_ms, x.answered_ms) {
            (Some(r), Some(a)) => a.saturating_sub(r),
            _ => 0,
        };
        let delay = x.delay_ms.unwrap_or(0);
        worst_candidate = worst_candidate.max(candidate);
        worst_total = worst_total.max(candidate + delay);
        out.push_str(&format!(
            "{n:>8}  {candidate:>12}  {delay:>13}  {}\n",
            x.call
        ));
    }
    out.push_str(&format!(
        "slowest candidate answer: {worst_candidate} ms; slowest call as the center saw it: {worst_total} ms\n"
    ));
    out
}
