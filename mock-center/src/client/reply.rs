//! What a candidate's response is read as: a [`RawResponse`] for probes, a [`Reply`]
//! for the profile's operations, and the malformed answers in between.

use std::time::Duration;

use kofu_profile::error::NOT_ISSUABLE_MESSAGE;
use kofu_profile::{ErrorBody, ErrorCode, PROFILE_VERSION, VERSION_HEADER};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::ClientError;

/// Bytes of a body quoted in [`ClientError::MalformedResponse`].
pub const SNIPPET_BYTES: usize = 300;

/// An HTTP response as received, for probes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers in received order; names lowercase, values lossy UTF-8.
    pub headers: Vec<(String, String)>,
    /// The whole body (at most the configured cap).
    pub body: Vec<u8>,
    /// Time from sending to the end of the body.
    pub elapsed: Duration,
}

impl RawResponse {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A profile answer: the expected value, or a refusal with the profile's error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    /// A 2xx answer whose body is the expected type.
    Ok {
        /// HTTP status.
        status: u16,
        /// The body.
        value: T,
        /// The `Kofu-Profile-Version` response header, if sent.
        profile_version: Option<String>,
    },
    /// A non-2xx answer with the profile's error body.
    Refused {
        /// HTTP status.
        status: u16,
        /// The body.
        error: ErrorBody,
        /// The `Kofu-Profile-Version` response header, if sent.
        profile_version: Option<String>,
    },
}

impl<T> Reply<T> {
    /// HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Self::Ok { status, .. } | Self::Refused { status, .. } => *status,
        }
    }

    /// The `Kofu-Profile-Version` response header, if sent.
    pub fn profile_version(&self) -> Option<&str> {
        match self {
            Self::Ok {
                profile_version, ..
            }
            | Self::Refused {
                profile_version, ..
            } => profile_version.as_deref(),
        }
    }

    /// The value of a success.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Ok { value, .. } => Some(value),
            Self::Refused { .. } => None,
        }
    }

    /// The error body of a refusal.
    pub fn error(&self) -> Option<&ErrorBody> {
        match self {
            Self::Ok { .. } => None,
            Self::Refused { error, .. } => Some(error),
        }
    }

    /// The value, or the error body.
    pub fn into_result(self) -> Result<T, ErrorBody> {
        match self {
            Self::Ok { value, .. } => Ok(value),
            Self::Refused { error, .. } => Err(error),
        }
    }
}

/// The body as the expected type, or as the profile's error body. Whatever the status,
/// an answer that breaks the profile's rules for every answer (see
/// [`answer_problems`]) is malformed: the center passes on nothing the profile forbids.
pub(super) fn parse_reply<T: DeserializeOwned + Serialize>(
    operation: &str,
    raw: &RawResponse,
) -> Result<Reply<T>, ClientError> {
    let profile_version = raw.header(VERSION_HEADER).map(str::to_owned);
    let malformed = |detail: String| ClientError::MalformedResponse {
        operation: operation.to_owned(),
        status: raw.status,
        detail,
        snippet: snippet(&raw.body),
    };
    let (problems, body) = checked(raw);
    if !problems.is_empty() {
        return Err(malformed(problems.join("; ")));
    }
    if (200..300).contains(&raw.status) {
        match serde_json::from_slice::<T>(&raw.body) {
            Ok(value) => {
                let extra = body
                    .map(|body| undocumented_fields(&body, &value))
                    .unwrap_or_default();
                if !extra.is_empty() {
                    return Err(malformed(format!(
                        "the {} carries fields the profile does not define (or sends where it \
                         omits them): {}",
                        short_type_name::<T>(),
                        extra.join(", ")
                    )));
                }
                Ok(Reply::Ok {
                    status: raw.status,
                    value,
                    profile_version,
                })
            }
            Err(e) => Err(malformed(format!(
                "the body is not a valid {}: {e}",
                short_type_name::<T>()
            ))),
        }
    } else {
        match serde_json::from_slice::<ErrorBody>(&raw.body) {
            Ok(error) => Ok(Reply::Refused {
                status: raw.status,
                error,
                profile_version,
            }),
            Err(e) => Err(malformed(format!(
                "a non-success status without the profile's error body: {e}"
            ))),
        }
    }
}

/// What breaks the profile's rules for every answer, in the profile's words: the
/// version header (`version-header`), the JSON content type (`json-bodies`), no `null`
/// (`no-null`), and for an error the status of its code, a code of the closed list, only
/// `code` and `message`, and the fixed message of `not-issuable` (`error-answer`,
/// `error-codes-closed`, `error-message`). Empty when the answer keeps them.
pub fn answer_problems(raw: &RawResponse) -> Vec<String> {
    checked(raw).0
}

/// [`answer_problems`], and the body as JSON when it is JSON.
fn checked(raw: &RawResponse) -> (Vec<String>, Option<Value>) {
    let mut problems = Vec::new();
    match raw.header(VERSION_HEADER) {
        Some(PROFILE_VERSION) => {}
        Some(other) => problems.push(format!(
            "the answer carries `{VERSION_HEADER}: {other}`, not `{PROFILE_VERSION}`"
        )),
        None => problems.push(format!(
            "the answer lacks the header `{VERSION_HEADER}: {PROFILE_VERSION}` (every answer, \
             errors included, carries it)"
        )),
    }
    let json_type = raw.header("content-type").is_some_and(|v| {
        v.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json_type {
        problems.push(format!(
            "the answer's Content-Type is {}, not application/json",
            raw.header("content-type")
                .map_or_else(|| "missing".to_owned(), |v| format!("`{v}`"))
        ));
    }
    let value = match serde_json::from_slice::<Value>(&raw.body) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!("the body is not JSON: {e}"));
            return (problems, None);
        }
    };
    let mut nulls = Vec::new();
    find_nulls(&value, String::new(), &mut nulls);
    if !nulls.is_empty() {
        problems.push(format!(
            "the body has `null` at {} (an optional field that does not apply is omitted, \
             never null)",
            nulls.join(", ")
        ));
    }
    if !(200..300).contains(&raw.status) {
        problems.extend(error_body_problems(raw.status, &value));
    }
    (problems, Some(value))
}

fn error_body_problems(status: u16, value: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(object) = value.as_object() else {
        return vec!["an error answer's body is not the profile's error object".to_owned()];
    };
    let extra: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "code" | "message"))
        .collect();
    if !extra.is_empty() {
        problems.push(format!(
            "the error body has fields beyond `code` and `message`: {}",
            extra.join(", ")
        ));
    }
    let code = object.get("code").and_then(Value::as_str);
    match code.and_then(|c| ErrorCode::ALL.into_iter().find(|k| k.code() == c)) {
        Some(code) => {
            if code.http_status() != status {
                problems.push(format!(
                    "`{}` is answered with HTTP {status}; the profile's status for it is {}",
                    code.code(),
                    code.http_status()
                ));
            }
            let message = object.get("message").and_then(Value::as_str);
            if code == ErrorCode::NotIssuable && message != Some(NOT_ISSUABLE_MESSAGE) {
                problems.push(format!(
                    "the message of `not-issuable` is {}, not the fixed message \
                     「{NOT_ISSUABLE_MESSAGE}」 (a refusal never says why)",
                    message.map_or_else(|| "missing".to_owned(), |m| format!("「{m}」"))
                ));
            }
        }
        None => problems.push(format!(
            "the error code {} is not one of the profile's codes",
            code.map_or_else(|| "is missing".to_owned(), |c| format!("`{c}`"))
        )),
    }
    problems
}

/// JSON pointers of every `null` in `value`.
fn find_nulls(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(if at.is_empty() { "/".to_owned() } else { at }),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_nulls(v, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                find_nulls(v, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// JSON pointers of the fields of `body` that the typed value does not carry: fields the
/// profile does not define for that type (or sends as default where it omits them).
fn undocumented_fields<T: Serialize>(body: &Value, typed: &T) -> Vec<String> {
    let Ok(typed) = serde_json::to_value(typed) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    extra_keys(body, &typed, String::new(), &mut out);
    out
}

fn extra_keys(raw: &Value, typed: &Value, at: String, out: &mut Vec<String>) {
    match (raw, typed) {
        (Value::Object(r), Value::Object(t)) => {
            for (k, v) in r {
                match t.get(k) {
                    Some(tv) => extra_keys(v, tv, format!("{at}/{k}"), out),
                    None => out.push(format!("{at}/{k}")),
                }
            }
        }
        (Value::Array(r), Value::Array(t)) => {
            for (i, (rv, tv)) in r.iter().zip(t).enumerate() {
                extra_keys(rv, tv, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The first [`SNIPPET_BYTES`] bytes, lossy UTF-8.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(SNIPPET_BYTES)]).into_owned()
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}
