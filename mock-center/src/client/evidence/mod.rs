//! The evidence trail: one record per HTTP attempt, successful or not.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Longest body kept in a record, bytes (text) or serialized bytes (JSON).
pub const MAX_RECORDED_BODY: usize = 64 * 1024;

/// Longest string kept inside a recorded JSON body, in characters.
pub const MAX_RECORDED_STRING: usize = 256;

/// One HTTP attempt as the center saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// Order within the sink, from 1; assigned by the sink (any value given is replaced).
    pub seq: u32,
    /// The operation, e.g. `issue` or a probe name.
    pub operation: String,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub attempt: u32,
    /// When the attempt started (UTC).
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers the center set (the HTTP stack adds `host`, `content-length`, ...).
    pub request_headers: Vec<(String, String)>,
    /// The request body, shortened (see [`RecordedBody`]).
    pub request_body: Option<RecordedBody>,
    /// Size of the request body in bytes.
    pub request_bytes: usize,
    /// The response status, when headers arrived.
    pub status: Option<u16>,
    /// The response headers, when they arrived.
    pub response_headers: Vec<(String, String)>,
    /// The response body read, shortened (see [`RecordedBody`]); may be partial when
    /// the call failed.
    pub response_body: Option<RecordedBody>,
    /// Bytes of response body received.
    pub response_bytes: usize,
    /// Time from the start of the attempt to its end, milliseconds.
    pub elapsed_ms: u64,
    /// The failure, with its causes, when the attempt produced no usable response.
    pub error: Option<String>,
}

/// A body as recorded: JSON with long strings shortened, or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordedBody {
    /// A JSON body. Strings longer than [`MAX_RECORDED_STRING`] characters (such as
    /// `pdf_base64`) keep their start, followed by a marker with their full length and
    /// SHA-256.
    Json(Value),
    /// Any other body, as lossy UTF-8, cut at [`MAX_RECORDED_BODY`] bytes with a marker.
    Text(String),
}

impl RecordedBody {
    /// Record `bytes`: JSON if they parse (and stay small enough once shortened), else
    /// text. Empty bodies are not recorded.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.is_empty() {
            return None;
        }
        if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
            let value = shorten_json(value);
            let size = serde_json::to_vec(&value).map_or(usize::MAX, |v| v.len());
            if size <= MAX_RECORDED_BODY {
                return Some(Self::Json(value));
            }
        }
        Some(Self::Text(shorten_text(bytes)))
    }
}

/// `bytes` as lossy UTF-8, cut at [`MAX_RECORDED_BODY`] bytes with a marker.
fn shorten_text(bytes: &[u8]) -> String {
    if bytes.len() <= MAX_RECORDED_BODY {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut text = String::from_utf8_lossy(&bytes[..MAX_RECORDED_BODY]).into_owned();
    text.push_str(&format!(
        "…<{} more bytes not recorded; {} bytes in all>",
        bytes.len() - MAX_RECORDED_BODY,
        bytes.len()
    ));
    text
}

/// Shorten every string longer than [`MAX_RECORDED_STRING`] characters, recursively.
pub fn shorten_json(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(shorten_string(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(shorten_json).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (shorten_string(k), shorten_json(v)))
                .collect(),
        ),
        other => other,
    }
}

fn shorten_string(s: String) -> String {
    let chars = s.chars().count();
    if chars <= MAX_RECORDED_STRING {
        return s;
    }
    let digest = Sha256::digest(s.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut kept: String = s.chars().take(MAX_RECORDED_STRING).collect();
    kept.push_str(&format!(
        "…<elided: {chars} chars, {} bytes in all, sha256 {hex}>",
        s.len()
    ));
    kept
}

mod files;
pub use files::{DirEvidence, EXCHANGES_FILE, LinesEvidence};

/// Where exchanges go. Implementations assign [`Exchange::seq`] and must not block for
/// long: they are called on the request path.
pub trait EvidenceSink: Send + Sync {
    /// Keep one exchange.
    fn record(&self, exchange: Exchange);
}

/// Drops everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvidence;

impl EvidenceSink for NoEvidence {
    fn record(&self, _exchange: Exchange) {}
}

/// Keeps exchanges in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryEvidence {
    exchanges: Mutex<Vec<Exchange>>,
}

impl MemoryEvidence {
    /// An empty trail.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of every exchange so far, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl EvidenceSink for MemoryEvidence {
    fn record(&self, mut exchange: Exchange) {
        let mut all = self
            .exchanges
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        exchange.seq = u32::try_from(all.len()).map_or(u32::MAX, |n| n.saturating_add(1));
        all.push(exchange);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn exchange(operation: &str) -> Exchange {
        Exchange {
            seq: 0,
            operation: operation.to_owned(),
            attempt: 1,
            started_at: chrono::Utc::now(),
            method: "GET".to_owned(),
            url: "http://127.0.0.1:1/v1/identity".to_owned(),
            request_headers: vec![],
            request_body: None,
            request_bytes: 0,
            status: Some(200),
            response_headers: vec![],
            response_body: RecordedBody::from_bytes(br#"{"a":"b"}"#),
            response_bytes: 9,
            elapsed_ms: 1,
            error: None,
        }
    }

    #[test]
    fn long_strings_are_elided_with_their_digest() {
        let pdf = "A".repeat(10_000);
        let body = serde_json::json!({"document": {"pdf_base64": pdf, "page_count": 1}});
        let Some(RecordedBody::Json(v)) = RecordedBody::from_bytes(body.to_string().as_bytes())
        else {
            panic!("json body recorded as json");
        };
        let kept = v["document"]["pdf_base64"].as_str().unwrap();
        assert!(kept.starts_with(&"A".repeat(256)));
        assert!(kept.contains("10000 chars"), "{kept}");
        assert!(kept.len() < 400);
        assert_eq!(v["document"]["page_count"], 1);
    }

    #[test]
    fn text_is_cut() {
        let big = vec![b'x'; MAX_RECORDED_BODY + 10];
        let Some(RecordedBody::Text(t)) = RecordedBody::from_bytes(&big) else {
            panic!("text");
        };
        assert!(t.ends_with("…<10 more bytes not recorded; 65546 bytes in all>"));
        assert_eq!(RecordedBody::from_bytes(b""), None);
    }

    #[test]
    fn memory_evidence_assigns_seq() {
        let sink = MemoryEvidence::new();
        sink.record(exchange("a"));
        sink.record(exchange("b"));
        let all = sink.exchanges();
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
    }
}
