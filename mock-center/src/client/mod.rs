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
//!   [`RawResponse`]); `wait`: the wait as an injected clock ([`WaitSignal`]).

pub mod config;
pub mod error;
pub mod evidence;
mod handshake;
mod profile;
mod reply;
mod transport;
mod wait;

use std::sync::Arc;

use kofu_profile::VERSION_HEADER;

pub use config::{ClientConfig, plain_http_only};
pub use error::{ClientError, error_chain};
pub use evidence::{
    DirEvidence, EXCHANGES_FILE, EvidenceSink, Exchange, LinesEvidence, MemoryEvidence, NoEvidence,
    RecordedBody,
};
pub use handshake::HandshakeProbe;
pub use reply::{RawResponse, Reply, SNIPPET_BYTES, answer_problems};
pub use wait::{ATTEMPT_HEADER, WaitSignal};

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

    /// This client recording into `evidence` instead: the same settings and the same HTTP
    /// client, so the same connection pool. A connection to the candidate (and its TLS
    /// handshake) made for one is reused by the other; each records only its own
    /// exchanges. A connection that broke leaves the pool, so a resend after a broken
    /// connection still goes out on a new one.
    pub fn with_evidence(&self, evidence: Arc<dyn EvidenceSink>) -> Self {
        Self {
            http: self.http.clone(),
            base: self.base.clone(),
            config: self.config.clone(),
            evidence,
        }
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
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// A plain HTTP/1.1 server answering `200 ok` to every request, keeping connections
    /// open, counting the connections it accepted.
    async fn counting_server() -> (String, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while let Ok(n) = s.read(&mut chunk).await {
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            buf.drain(..end + 4);
                            let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                            if s.write_all(answer).await.is_err() {
                                return;
                            }
                        }
                    }
                });
            }
        });
        (url, accepted)
    }

    #[tokio::test]
    async fn with_evidence_shares_connections_not_evidence() {
        let (url, accepted) = counting_server().await;
        let (a, b) = (
            Arc::new(MemoryEvidence::new()),
            Arc::new(MemoryEvidence::new()),
        );
        let first = CandidateClient::new(ClientConfig::new(url.clone()), a.clone()).unwrap();
        let second = first.with_evidence(b.clone());
        for client in [&first, &second, &first] {
            let raw = client
                .raw("probe", reqwest::Method::GET, "/", Vec::new(), None)
                .await
                .unwrap();
            assert_eq!(raw.status, 200);
        }
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            1,
            "one connection for both"
        );
        assert_eq!(a.exchanges().len(), 2);
        assert_eq!(b.exchanges().len(), 1);
        assert_eq!(second.base_url(), first.base_url());

        // A client built anew has a pool of its own.
        let other = CandidateClient::new(ClientConfig::new(url), Arc::new(NoEvidence)).unwrap();
        other
            .raw("probe", reqwest::Method::GET, "/", Vec::new(), None)
            .await
            .unwrap();
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
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
