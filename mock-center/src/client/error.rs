//! Errors of the candidate client, and how transport failures are classified.

use std::time::Duration;

/// A cause kept behind an error, when it is not one of the known types.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a call to the candidate produced no usable HTTP answer.
///
/// A refusal with the profile's error body is not an error: it is
/// [`super::Reply::Refused`].
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The client settings are unusable (bad URL, https without a trust anchor, bad PEM).
    #[error("invalid candidate client configuration: {detail}")]
    Config {
        /// What is wrong.
        detail: String,
        /// The cause, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// No connection could be opened: refused, no route, name not resolved, connect
    /// timeout.
    #[error("cannot connect to the candidate at {url}")]
    Connect {
        /// The URL called.
        url: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The TLS handshake or TLS session failed (untrusted certificate, client certificate
    /// refused, not TLS at all).
    #[error("tls failure with the candidate at {url}: {detail}")]
    Tls {
        /// The URL called.
        url: String,
        /// The TLS error as rustls states it.
        detail: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The whole call (connect, request, response headers and body) took longer than
    /// the configured timeout.
    #[error("the {operation} call to {url} timed out after {after:?}")]
    Timeout {
        /// The operation.
        operation: String,
        /// The URL called.
        url: String,
        /// The configured timeout.
        after: Duration,
    },
    /// The response body grew beyond the configured cap; reading stopped there.
    #[error(
        "the {operation} response body exceeds the limit of {limit} bytes (stopped after {received} bytes)"
    )]
    ResponseTooLarge {
        /// The operation.
        operation: String,
        /// The cap.
        limit: usize,
        /// Bytes received before reading stopped (0 when the declared length was already
        /// over the cap).
        received: usize,
    },
    /// An HTTP answer that does not fit the profile: a success body that is not the
    /// expected type, or an error status without the profile's error body.
    #[error(
        "malformed {operation} response (http {status}): {detail}; body starts with {snippet:?}"
    )]
    MalformedResponse {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// What did not parse, with the serde error path.
        detail: String,
        /// The first 300 bytes of the body, lossy UTF-8.
        snippet: String,
    },
    /// The connection failed below HTTP after it was opened (reset, closed early, not
    /// HTTP at all).
    #[error("transport failure on the {operation} call to {url}")]
    Transport {
        /// The operation.
        operation: String,
        /// The URL called.
        url: String,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
}

impl ClientError {
    /// Whether the candidate could not be reached at all (refused, DNS, connect timeout).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Connect { .. })
    }

    /// Whether the whole answer did not arrive: no connection, the connection broken
    /// before the answer was complete, or the wait ran out. The profile resends after
    /// these; a TLS refusal, an oversized or malformed answer is final.
    pub fn answer_lost(&self) -> bool {
        matches!(
            self,
            Self::Connect { .. } | Self::Timeout { .. } | Self::Transport { .. }
        )
    }

    /// Whether the call ran out of time.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Connect { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    pub(crate) fn config(detail: impl Into<String>) -> Self {
        Self::Config {
            detail: detail.into(),
            source: None,
        }
    }

    pub(crate) fn config_with(detail: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Config {
            detail: detail.into(),
            source: Some(source.into()),
        }
    }

    /// Classify a reqwest failure of `operation` on `url`.
    pub(crate) fn from_reqwest(operation: &str, url: &str, err: reqwest::Error) -> Self {
        if let Some(tls) = find_rustls_error(&err) {
            return Self::Tls {
                url: url.to_owned(),
                detail: tls.to_string(),
                source: err,
            };
        }
        if err.is_builder() {
            return Self::config_with(format!("cannot build the {operation} request"), err);
        }
        if err.is_connect() {
            return Self::Connect {
                url: url.to_owned(),
                source: err,
            };
        }
        Self::Transport {
            operation: operation.to_owned(),
            url: url.to_owned(),
            source: err,
        }
    }
}

/// The rustls error somewhere in a chain of causes, if any. `std::io::Error` hides its
/// inner error from `source()`, so it is looked into explicitly.
fn find_rustls_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current: Option<&'a (dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(found) = find_rustls_error(inner)
        {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// An error and its causes on one line, separated by `: `.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
