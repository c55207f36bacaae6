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
//! - `handshake`: [`HandshakeProbe`], whether the server refuses a client certificate
//!   in the TLS handshake.
//! - `profile`: one method per operation of the profile, and its resends (再送); `transport`: one HTTP exchange under the timeout and the size cap,
//!   recorded as evidence; `reply`: what a response is read as ([`Reply`],
//!   [`RawResponse`]).

pub mod config;
pub mod error;
pub mod evidence;
mod handshake;
mod profile;
mod reply;
mod transport;

use std::sync::Arc;

use kofu_profile::VERSION_HEADER;

pub use config::{ClientConfig, plain_http_only};
pub use error::{ClientError, error_chain};
pub use evidence::{DirEvidence, EvidenceSink, Exchange, MemoryEvidence, NoEvidence, RecordedBody};
pub use handshake::HandshakeProbe;
pub use reply::{RawResponse, Reply, SNIPPET_BYTES, answer_problems};

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

impl CandidateClient {
    /// A client for `config.base_url`, recording into `evidence`.
    pub fn new(config: ClientConfig, evidence: Arc<dyn EvidenceSink>) -> Result<Self, ClientError> {
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

    fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.base)
        } else {
            format!("{}/{path}", self.base)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
