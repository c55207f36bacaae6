//! A TLS handshake probe: does the candidate refuse this client's certificate (or its
//! absence) in the handshake, with a TLS alert?
//!
//! An HTTP client cannot tell: in TLS 1.3 the client's side of the handshake ends before
//! the server has judged the client certificate, so the server's alert arrives on the
//! first read and an HTTP library reports it as a broken pipe or a closed connection,
//! the same as a reset or a crash. The probe does the handshake itself, sends one
//! request and reads, so that the server's alert is seen as an alert.

use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::ServerName;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::{CandidateClient, ClientError, config};
use kofu_profile::{PROFILE_VERSION, VERSION_HEADER};

/// Bytes read after the handshake before the probe stops.
const READ_CAP: usize = 4096;

/// What a handshake probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandshakeProbe {
    /// The server ended the connection with a TLS alert (e.g. `CertificateRequired`).
    Refused {
        /// The alert, as rustls names it.
        alert: String,
    },
    /// The server completed the handshake and answered the request.
    Served {
        /// The first bytes of the answer, lossy UTF-8.
        first_bytes: String,
    },
    /// Anything else: no connection, a reset, a close without an alert, a timeout,
    /// or this client not trusting the server.
    Failed {
        /// What happened.
        detail: String,
    },
}

impl std::fmt::Display for HandshakeProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused { alert } => write!(
                f,
                "the server refused the handshake with the TLS alert {alert}"
            ),
            Self::Served { first_bytes } => {
                let line = first_bytes.lines().next().unwrap_or("");
                write!(
                    f,
                    "the server accepted the connection and answered `{line}`"
                )
            }
            Self::Failed { detail } => write!(f, "no TLS alert from the server: {detail}"),
        }
    }
}

/// The rustls alert inside an I/O error, if that is what it is.
fn alert_of(e: &std::io::Error) -> Option<String> {
    let inner = e.get_ref()?.downcast_ref::<rustls::Error>()?;
    match inner {
        rustls::Error::AlertReceived(alert) => Some(format!("{alert:?}")),
        _ => None,
    }
}

impl CandidateClient {
    /// Connect with this client's TLS settings, send `GET /v1/identity` and read the
    /// first bytes of the answer, each step under the client's timeouts.
    pub async fn handshake_probe(&self) -> Result<HandshakeProbe, ClientError> {
        let url = reqwest::Url::parse(&self.base)
            .map_err(|e| ClientError::config_with("the base url is not a url", e))?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let port = url.port_or_known_default().unwrap_or(443);
        let mut tls = config::tls_config(&self.config, true)?;
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let server_name = ServerName::try_from(host.clone())
            .map_err(|e| ClientError::config_with("the base url's host is no server name", e))?;
        let connect = tokio::time::timeout(
            self.config.connect_timeout,
            TcpStream::connect((host.as_str(), port)),
        );
        let tcp = match connect.await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(e)) => return Ok(failed(format!("cannot connect: {e}"))),
            Err(_) => return Ok(failed("the connection timed out".to_owned())),
        };
        let connector = tokio_rustls::TlsConnector::from(Arc::new(tls));
        let handshake =
            tokio::time::timeout(self.config.timeout, connector.connect(server_name, tcp));
        let mut stream = match handshake.await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                return Ok(alert_of(&e).map_or_else(
                    || failed(format!("the handshake failed: {e}")),
                    |alert| HandshakeProbe::Refused { alert },
                ));
            }
            Err(_) => return Ok(failed("the handshake timed out".to_owned())),
        };
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {host}\r\n{VERSION_HEADER}: {PROFILE_VERSION}\r\nConnection: close\r\n\r\n",
            kofu_profile::paths::IDENTITY
        );
        let exchange = async {
            stream.write_all(request.as_bytes()).await?;
            let mut buf = vec![0u8; READ_CAP];
            let n = stream.read(&mut buf).await?;
            buf.truncate(n);
            Ok::<_, std::io::Error>(buf)
        };
        Ok(
            match tokio::time::timeout(self.config.timeout, exchange).await {
                Ok(Ok(bytes)) if bytes.is_empty() => {
                    failed("the server closed the connection without a TLS alert".to_owned())
                }
                Ok(Ok(bytes)) => HandshakeProbe::Served {
                    first_bytes: String::from_utf8_lossy(&bytes).into_owned(),
                },
                Ok(Err(e)) => alert_of(&e).map_or_else(
                    || failed(format!("the connection failed after the handshake: {e}")),
                    |alert| HandshakeProbe::Refused { alert },
                ),
                Err(_) => failed(format!(
                    "no answer and no alert within {}",
                    humanize(self.config.timeout)
                )),
            },
        )
    }
}

fn failed(detail: String) -> HandshakeProbe {
    HandshakeProbe::Failed { detail }
}

fn humanize(d: Duration) -> String {
    format!("{} s", d.as_secs_f32())
}
