//! The timeline: every event of every exchange, in order, with its rendering.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

/// One thing that happened to an exchange (or a connection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Milliseconds since the injector started.
    pub at_ms: u64,
    /// The downstream connection (1-based, in accept order).
    pub connection: u64,
    /// The exchange (1-based across all connections); a refused connection also gets
    /// a number, and a connection-level event carries the last exchange of its
    /// connection (0 if none).
    pub exchange: u64,
    /// The request method; empty when nothing was read.
    pub method: String,
    /// The request path with query; empty when nothing was read.
    pub path: String,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The request was read in full from the center.
    Received,
    /// The request was handed to the upstream connection.
    Forwarded,
    /// The candidate's whole answer arrived.
    Answered {
        /// Its status code.
        status: u16,
        /// Its body length.
        bytes: usize,
    },
    /// The answer was written to the center in full.
    Delivered {
        /// Its status code.
        status: u16,
        /// Its body length.
        bytes: usize,
        /// Milliseconds between the answer's arrival (from the candidate, or its
        /// making, for a `502`) and its delivery.
        after_ms: u64,
    },
    /// A fault was done: what, in plain English.
    Fault(String),
    /// An answer was kept back and then dropped: the center's connection was gone.
    LateAnswerDiscarded {
        /// The status code of the answer dropped.
        status: u16,
    },
    /// The candidate could not be reached or gave no usable answer: why.
    UpstreamFailed(String),
    /// The injector closed the center's connection (without a reset): why.
    Closed(String),
}

impl EventKind {
    /// The event in plain English.
    pub fn describe(&self) -> String {
        match self {
            Self::Received => "received from the center".to_owned(),
            Self::Forwarded => "forwarded to the candidate".to_owned(),
            Self::Answered { status, bytes } => {
                format!("the candidate answered {status} ({bytes} bytes)")
            }
            Self::Delivered {
                status,
                bytes,
                after_ms,
            } => format!("delivered {status} ({bytes} bytes) {after_ms} ms after it arrived"),
            Self::Fault(what) => what.clone(),
            Self::LateAnswerDiscarded { status } => {
                format!("late answer {status} discarded: the center's connection is gone")
            }
            Self::UpstreamFailed(why) => format!("upstream failed: {why}"),
            Self::Closed(why) => format!("connection closed: {why}"),
        }
    }
}

/// Renders events one per line: `  +12 ms  c1 #3 POST /path  what happened` (`c` the
/// connection, `#` the exchange).
pub(crate) fn render(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        let request = match (&e.kind, e.method.is_empty()) {
            (_, false) => format!("{} {}", e.method, e.path),
            (EventKind::Closed(_), true) => "(connection)".to_owned(),
            (_, true) => "(nothing read)".to_owned(),
        };
        out.push_str(&format!(
            "{:>7} ms  c{} #{} {request}  {}\n",
            format!("+{}", e.at_ms),
            e.connection,
            e.exchange,
            e.kind.describe()
        ));
    }
    out
}

/// Records events and wakes those waiting on them.
pub(crate) struct Recorder {
    started: Instant,
    events: Mutex<Vec<Event>>,
    changed: watch::Sender<usize>,
}

/// The request an event belongs to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subject {
    pub(crate) connection: u64,
    pub(crate) exchange: u64,
    pub(crate) method: String,
    pub(crate) path: String,
}

impl Recorder {
    pub(crate) fn new() -> Self {
        Self {
            started: Instant::now(),
            events: Mutex::new(Vec::new()),
            changed: watch::Sender::new(0),
        }
    }

    pub(crate) fn record(&self, subject: &Subject, kind: EventKind) {
        let event = Event {
            at_ms: millis(self.started.elapsed()),
            connection: subject.connection,
            exchange: subject.exchange,
            method: subject.method.clone(),
            path: subject.path.clone(),
            kind,
        };
        tracing::debug!(
            connection = event.connection,
            exchange = event.exchange,
            method = %event.method,
            path = %event.path,
            "{}",
            event.kind.describe()
        );
        let count = {
            let mut events = self.lock();
            events.push(event);
            events.len()
        };
        self.changed.send_replace(count);
    }

    pub(crate) fn events(&self) -> Vec<Event> {
        self.lock().clone()
    }

    pub(crate) async fn wait_for(&self, within: Duration, done: impl Fn(&[Event]) -> bool) -> bool {
        let mut changed = self.changed.subscribe();
        let wait = async {
            loop {
                changed.borrow_and_update();
                if done(&self.lock()) {
                    return;
                }
                if changed.changed().await.is_err() {
                    return;
                }
            }
        };
        tokio::time::timeout(within, wait).await.is_ok() && done(&self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Event>> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whole milliseconds, saturating.
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_render_one_per_line_and_serialize() {
        let recorder = Recorder::new();
        let subject = Subject {
            connection: 2,
            exchange: 3,
            method: "POST".to_owned(),
            path: "/v1/municipalities/131016/issuances".to_owned(),
        };
        recorder.record(
            &subject,
            EventKind::Answered {
                status: 201,
                bytes: 5321,
            },
        );
        recorder.record(&Subject::default(), EventKind::Fault("reset".to_owned()));
        let events = recorder.events();
        let text = render(&events);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].ends_with(
                " ms  c2 #3 POST /v1/municipalities/131016/issuances  the candidate answered 201 (5321 bytes)"
            ),
            "{text}"
        );
        assert!(lines[1].ends_with("c0 #0 (nothing read)  reset"), "{text}");
        let json = serde_json::to_value(&events[0]).unwrap();
        assert_eq!(
            json["kind"],
            serde_json::json!({"answered": {"status": 201, "bytes": 5321}})
        );
        assert_eq!(
            serde_json::to_value(&events[1].kind).unwrap(),
            serde_json::json!({"fault": "reset"})
        );
    }
}
