//! What a candidate's response is read as: a [`RawResponse`] for probes, a [`Reply`]
//! for the profile's operations, and the malformed answers in between.

use std::time::Duration;

use kofu_profile::{ErrorBody, VERSION_HEADER};
use serde::de::DeserializeOwned;

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

/// The body as the expected type, or as the profile's error body.
pub(super) fn parse_reply<T: DeserializeOwned>(
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
    if (200..300).contains(&raw.status) {
        match serde_json::from_slice::<T>(&raw.body) {
            Ok(value) => Ok(Reply::Ok {
                status: raw.status,
                value,
                profile_version,
            }),
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

/// The first [`SNIPPET_BYTES`] bytes, lossy UTF-8.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(SNIPPET_BYTES)]).into_owned()
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}
