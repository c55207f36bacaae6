//! The center's client for one candidate issuance server.
//!
//! Every call sends the profile version header, runs under one overall timeout, reads
//! the response body in chunks with a hard size cap, and records each HTTP attempt in
//! an [`EvidenceSink`]. A candidate is untrusted: nothing it sends can panic the client
//! or make it buffer more than the cap.
//!
//! - [`config`]: [`ClientConfig`] and the TLS settings built from it.
//! - [`error`]: [`ClientError`] and how transport failures are classified.
//! - [`evidence`]: the [`Exchange`] records and the sinks that keep them.

pub mod config;
pub mod error;
pub mod evidence;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kofu_profile::identity::Identity;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::OutcomeReport;
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::registration::{Registration, RegistrationRequest};
use kofu_profile::{ErrorBody, VERSION_HEADER, paths};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use config::{ClientConfig, MAX_UNAVAILABLE_RETRIES};
pub use error::{ClientError, error_chain};
pub use evidence::{DirEvidence, EvidenceSink, Exchange, MemoryEvidence, NoEvidence, RecordedBody};

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

/// The center speaking the profile to one candidate.
pub struct CandidateClient {
    http: reqwest::Client,
    base: String,
    config: ClientConfig,
    evidence: Arc<dyn EvidenceSink>,
}

impl std::fmt::Debug for CandidateClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CandidateClient")
            .field("base", &self.base)
            .field("timeout", &self.config.timeout)
            .field("mutual_tls", &self.config.client_identity.is_some())
            .finish_non_exhaustive()
    }
}

/// What one attempt got before it ended, kept even when it failed.
#[derive(Default)]
struct Progress {
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    received: usize,
}

impl CandidateClient {
    /// A client for `config.base_url`, recording into `evidence`.
    pub fn new(config: ClientConfig, evidence: Arc<dyn EvidenceSink>) -> Result<Self, ClientError> {
        if config.unavailable_retries > MAX_UNAVAILABLE_RETRIES {
            return Err(ClientError::config(format!(
                "unavailable_retries is {}; at most {MAX_UNAVAILABLE_RETRIES} are allowed",
                config.unavailable_retries
            )));
        }
        if config.timeout.is_zero() || config.connect_timeout.is_zero() {
            return Err(ClientError::config("timeouts must not be zero"));
        }
        let base = config::check_base_url(&config.base_url)?;
        let tls = config::tls_config(&config, base.https)?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| ClientError::config_with("cannot build the http client", e))?;
        Ok(Self {
            http,
            base: base.url,
            config,
            evidence,
        })
    }

    /// The base URL, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The headers every profile call sends: the version header, and the JSON content
    /// type when there is a body. Probes start from these.
    pub fn profile_headers(&self, with_body: bool) -> Vec<(String, String)> {
        let mut headers = vec![
            (
                VERSION_HEADER.to_owned(),
                self.config.profile_version.clone(),
            ),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        if with_body {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        headers
    }

    /// `GET /v1/identity`.
    pub async fn identity(&self) -> Result<Reply<Identity>, ClientError> {
        self.call::<(), _>(
            "identity",
            Method::GET,
            paths::IDENTITY.to_owned(),
            None,
            false,
        )
        .await
    }

    /// `POST /v1/municipalities/{code}/menu`. Retried after `unavailable`.
    pub async fn menu(
        &self,
        municipality: &str,
        req: &MenuRequest,
    ) -> Result<Reply<Menu>, ClientError> {
        let path = paths::menu(&segment(municipality));
        self.call("menu", Method::POST, path, Some(req), true).await
    }

    /// `POST /v1/municipalities/{code}/issuances`. Retried after `unavailable`, with the
    /// same request id and body.
    pub async fn issue(
        &self,
        municipality: &str,
        req: &IssuanceRequest,
    ) -> Result<Reply<Issuance>, ClientError> {
        let path = paths::issuances(&segment(municipality));
        self.call("issue", Method::POST, path, Some(req), true)
            .await
    }

    /// `POST /v1/municipalities/{code}/issuances/{id}/outcome`. Retried after
    /// `unavailable`.
    pub async fn report_outcome(
        &self,
        municipality: &str,
        issuance_id: &str,
        report: &OutcomeReport,
    ) -> Result<Reply<IssuanceRecord>, ClientError> {
        let path = paths::outcome(&segment(municipality), &segment(issuance_id));
        self.call("outcome", Method::POST, path, Some(report), true)
            .await
    }

    /// `GET /v1/municipalities/{code}/records?from=..&to=..`.
    pub async fn records(
        &self,
        municipality: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Reply<Records>, ClientError> {
        let path = format!(
            "{}?from={}&to={}",
            paths::records(&segment(municipality)),
            from.format("%Y-%m-%d"),
            to.format("%Y-%m-%d")
        );
        self.call::<(), _>("records", Method::GET, path, None, false)
            .await
    }

    /// `POST /v1/municipalities/{code}/koseki-registrations`.
    pub async fn file_registration(
        &self,
        municipality: &str,
        req: &RegistrationRequest,
    ) -> Result<Reply<Registration>, ClientError> {
        let path = paths::registrations(&segment(municipality));
        self.call("file-registration", Method::POST, path, Some(req), false)
            .await
    }

    /// `GET /v1/municipalities/{code}/koseki-registrations/{id}`.
    pub async fn registration(
        &self,
        municipality: &str,
        id: &str,
    ) -> Result<Reply<Registration>, ClientError> {
        let path = paths::registration(&segment(municipality), &segment(id));
        self.call::<(), _>("registration", Method::GET, path, None, false)
            .await
    }

    /// Any request, for conformance probes: malformed bodies, oversized bodies, wrong
    /// headers. Sends exactly `headers` (start from [`Self::profile_headers`]) and
    /// `path` as given, appended to the base URL. One attempt, no retry; timeout and
    /// size cap apply.
    pub async fn raw(
        &self,
        operation: &str,
        method: Method,
        path: &str,
        headers: Vec<(String, String)>,
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse, ClientError> {
        let url = self.url(path);
        self.attempt(operation, 1, method, &url, &headers, body.as_deref())
            .await
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.base)
        } else {
            format!("{}/{path}", self.base)
        }
    }

    async fn call<Req: Serialize, T: DeserializeOwned>(
        &self,
        operation: &str,
        method: Method,
        path: String,
        body: Option<&Req>,
        retry_unavailable: bool,
    ) -> Result<Reply<T>, ClientError> {
        let url = self.url(&path);
        let body = body.map(serde_json::to_vec).transpose().map_err(|e| {
            ClientError::config_with(format!("cannot serialize the {operation} request"), e)
        })?;
        let headers = self.profile_headers(body.is_some());
        let attempts = 1 + if retry_unavailable {
            u32::from(self.config.unavailable_retries)
        } else {
            0
        };
        let mut attempt = 1;
        loop {
            let raw = self
                .attempt(
                    operation,
                    attempt,
                    method.clone(),
                    &url,
                    &headers,
                    body.as_deref(),
                )
                .await?;
            let reply = parse_reply::<T>(operation, &raw)?;
            if let Reply::Refused { error, .. } = &reply
                && error.code.retry_safe()
                && attempt < attempts
            {
                tracing::info!(
                    operation,
                    url,
                    attempt,
                    "candidate unavailable; retrying at once with the same request"
                );
                attempt += 1;
                continue;
            }
            return Ok(reply);
        }
    }

    /// One HTTP exchange under the overall timeout, recorded as evidence.
    async fn attempt(
        &self,
        operation: &str,
        attempt: u32,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Result<RawResponse, ClientError> {
        let started_at = chrono::Utc::now();
        let start = Instant::now();
        let mut progress = Progress::default();
        let outcome = tokio::time::timeout(
            self.config.timeout,
            self.exchange(operation, method.clone(), url, headers, body, &mut progress),
        )
        .await;
        let elapsed = start.elapsed();
        let outcome = outcome.unwrap_or_else(|_| {
            Err(ClientError::Timeout {
                operation: operation.to_owned(),
                url: url.to_owned(),
                after: self.config.timeout,
            })
        });
        let error = outcome.as_ref().err().map(|e| error_chain(e));
        match &error {
            Some(e) => {
                tracing::debug!(operation, url, attempt, error = %e, "candidate call failed")
            }
            None => tracing::debug!(
                operation,
                url,
                attempt,
                status = progress.status,
                elapsed_ms = elapsed.as_millis() as u64,
                "candidate answered"
            ),
        }
        self.evidence.record(Exchange {
            seq: 0,
            operation: operation.to_owned(),
            attempt,
            started_at,
            method: method.to_string(),
            url: url.to_owned(),
            request_headers: headers.to_vec(),
            request_body: body.and_then(RecordedBody::from_bytes),
            request_bytes: body.map_or(0, <[u8]>::len),
            status: progress.status,
            response_headers: progress.headers.clone(),
            response_body: RecordedBody::from_bytes(&progress.body),
            response_bytes: progress.received,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            error,
        });
        outcome?;
        Ok(RawResponse {
            status: progress.status.unwrap_or_default(),
            headers: progress.headers,
            body: progress.body,
            elapsed,
        })
    }

    /// Send, then read the body with the cap, filling `progress` as things arrive.
    async fn exchange(
        &self,
        operation: &str,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
        progress: &mut Progress,
    ) -> Result<(), ClientError> {
        let mut request = self.http.request(method, url);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = body {
            request = request.body(body.to_vec());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| ClientError::from_reqwest(operation, url, e))?;
        progress.status = Some(response.status().as_u16());
        progress.headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();

        let limit = self.config.max_response_bytes;
        let too_large = |received| ClientError::ResponseTooLarge {
            operation: operation.to_owned(),
            limit,
            received,
        };
        if let Some(declared) = response.content_length()
            && declared > limit as u64
        {
            return Err(too_large(0));
        }
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ClientError::from_reqwest(operation, url, e))?
        {
            progress.received = progress.received.saturating_add(chunk.len());
            let needed = progress.body.len() + chunk.len();
            if needed > limit {
                return Err(too_large(progress.received));
            }
            if needed > progress.body.capacity() {
                // Grow geometrically, but never past the cap.
                let target = (progress.body.capacity() * 2).max(needed).min(limit);
                progress.body.reserve_exact(target - progress.body.len());
            }
            progress.body.extend_from_slice(&chunk);
        }
        Ok(())
    }
}

/// The body as the expected type, or as the profile's error body.
fn parse_reply<T: DeserializeOwned>(
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

/// `s` percent-encoded as one path segment (everything but RFC 3986 unreserved).
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("131016"), "131016");
        assert_eq!(segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(segment(".."), "..");
        assert_eq!(segment("発行"), "%E7%99%BA%E8%A1%8C");
    }

    #[test]
    fn config_errors() {
        let new = |c: ClientConfig| CandidateClient::new(c, Arc::new(NoEvidence));
        let e = new(ClientConfig::new("https://127.0.0.1:8443")).unwrap_err();
        assert!(e.to_string().contains("no server ca"), "{e}");
        let e = new(ClientConfig::new("ftp://127.0.0.1")).unwrap_err();
        assert!(e.to_string().contains("scheme `ftp`"), "{e}");
        let e = new(ClientConfig::default()).unwrap_err();
        assert!(matches!(e, ClientError::Config { .. }));
        let e = new(ClientConfig {
            unavailable_retries: 3,
            ..ClientConfig::new("http://127.0.0.1:1")
        })
        .unwrap_err();
        assert!(e.to_string().contains("unavailable_retries"), "{e}");
        let e = new(ClientConfig {
            server_ca_pem: Some(b"not pem".to_vec()),
            ..ClientConfig::new("https://127.0.0.1:1")
        })
        .unwrap_err();
        assert!(matches!(e, ClientError::Config { .. }), "{e}");
        let ok = new(ClientConfig::new("http://127.0.0.1:1/prefix/")).unwrap();
        assert_eq!(
            ok.url("/v1/identity"),
            "http://127.0.0.1:1/prefix/v1/identity"
        );
    }
}
