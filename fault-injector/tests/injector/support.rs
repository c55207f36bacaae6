//! A tiny candidate (hyper, plain or mutual TLS) that records what reached it, a
//! throwaway PKI, and the center's client.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use kofu_fault_injector::{Event, EventKind, FaultInjector, Upstream};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// The bounded wait for anything the tests expect to happen.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The length of the candidate's usual answer body.
pub const ANSWER_BYTES: usize = 5000;

/// One request as the candidate saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The injector's end of the upstream connection: one per connection.
    pub peer: SocketAddr,
    pub method: String,
    pub path: String,
    pub host: String,
    /// The names of every header received.
    pub header_names: Vec<String>,
    pub body: Bytes,
    /// The client certificate presented on this connection.
    pub client_cert: Option<Vec<u8>>,
}

/// The tiny candidate. Paths: `/never` is never answered, `/close` answers with
/// `connection: close`, anything else `201` with [`ANSWER_BYTES`] bytes.
pub struct Candidate {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    changed: watch::Receiver<usize>,
    ended: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl Drop for Candidate {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Candidate {
    pub async fn plain() -> Self {
        Self::start(None).await
    }

    pub async fn tls(config: Arc<rustls::ServerConfig>) -> Self {
        Self::start(Some(tokio_rustls::TlsAcceptor::from(config))).await
    }

    async fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (tx, changed) = watch::channel(0);
        let tx = Arc::new(tx);
        let (ended_tx, ended) = watch::channel(0);
        let ended_tx = Arc::new(ended_tx);
        let record = seen.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let (tcp, peer) = listener.accept().await.unwrap();
                let (seen, tx, tls) = (record.clone(), tx.clone(), tls.clone());
                let ended_tx = ended_tx.clone();
                connections.spawn(async move {
                    let _count_the_end = Ended(ended_tx);
                    match tls {
                        None => serve(TokioIo::new(tcp), peer, None, seen, tx).await,
                        Some(acceptor) => {
                            let Ok(stream) = acceptor.accept(tcp).await else {
                                return;
                            };
                            let cert = stream
                                .get_ref()
                                .1
                                .peer_certificates()
                                .and_then(|c| c.first())
                                .map(|c| c.to_vec());
                            serve(TokioIo::new(stream), peer, cert, seen, tx).await;
                        }
                    }
                });
            }
        });
        Self {
            addr,
            seen,
            changed,
            ended,
            task,
        }
    }

    pub fn upstream(&self) -> Upstream {
        Upstream::plain(self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Waits until at least `n` connections have ended on the candidate's side.
    pub async fn wait_ended(&self, n: usize) {
        let mut ended = self.ended.clone();
        tokio::time::timeout(DEADLINE, ended.wait_for(|count| *count >= n))
            .await
            .unwrap_or_else(|_| panic!("{n} connections did not end"))
            .unwrap();
    }

    /// Waits until at least `n` requests arrived.
    pub async fn wait_seen(&self, n: usize) -> Vec<Seen> {
        let mut changed = self.changed.clone();
        tokio::time::timeout(DEADLINE, changed.wait_for(|count| *count >= n))
            .await
            .unwrap_or_else(|_| panic!("{n} requests did not arrive: {:?}", self.seen()))
            .unwrap();
        self.seen()
    }
}

/// Counts a connection as ended when dropped.
struct Ended(Arc<watch::Sender<usize>>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.send_modify(|count| *count += 1);
    }
}

async fn serve<I>(
    io: TokioIo<I>,
    peer: SocketAddr,
    cert: Option<Vec<u8>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    tx: Arc<watch::Sender<usize>>,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req: Request<Incoming>| {
        let (seen, tx, cert) = (seen.clone(), tx.clone(), cert.clone());
        async move {
            let (parts, body) = req.into_parts();
            let body = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let path = parts.uri.path().to_owned();
            let count = {
                let mut seen = seen.lock().unwrap();
                seen.push(Seen {
                    peer,
                    method: parts.method.to_string(),
                    path: parts.uri.to_string(),
                    host: parts
                        .headers
                        .get("host")
                        .and_then(|h| h.to_str().ok())
                        .unwrap_or("")
                        .to_owned(),
                    header_names: parts.headers.keys().map(|k| k.to_string()).collect(),
                    body,
                    client_cert: cert,
                });
                seen.len()
            };
            tx.send_replace(count);
            if path == "/never" {
                std::future::pending::<()>().await;
            }
            let mut answer = Response::builder()
                .status(201)
                .header("content-type", "application/octet-stream");
            if path == "/close" {
                answer = answer.header("connection", "close");
            }
            Ok::<_, Infallible>(answer.body(Full::new(answer_body())).unwrap())
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}

/// The candidate's usual answer body: [`ANSWER_BYTES`] bytes, each its index mod 251.
pub fn answer_body() -> Bytes {
    (0..ANSWER_BYTES).map(|i| (i % 251) as u8).collect()
}

/// The center: a reqwest client with the ring provider (and no proxy), timeout 10 s.
pub fn center() -> reqwest::Client {
    center_with_timeout(DEADLINE)
}

pub fn center_with_timeout(timeout: Duration) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .unwrap()
}

/// Waits until the injector's timeline has an event satisfying `pred`.
pub async fn wait_event(injector: &FaultInjector, pred: impl Fn(&Event) -> bool) {
    let found = injector
        .wait_for(DEADLINE, |events| events.iter().any(&pred))
        .await;
    assert!(found, "event not recorded:\n{}", injector.render_timeline());
}

/// The kinds recorded for `exchange`, in order.
pub fn kinds_of(injector: &FaultInjector, exchange: u64) -> Vec<EventKind> {
    injector
        .timeline()
        .into_iter()
        .filter(|e| e.exchange == exchange)
        .map(|e| e.kind)
        .collect()
}

/// Whether `err` (or a cause) is an I/O error of `kind`.
pub fn io_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cause = Some(err);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = e.source();
    }
    None
}

/// A throwaway PKI: a CA, a server certificate for `localhost`/`127.0.0.1`, a client
/// certificate.
pub struct Pki {
    pub ca: CertificateDer<'static>,
    pub server: (CertificateDer<'static>, PrivateKeyDer<'static>),
    pub client: (CertificateDer<'static>, PrivateKeyDer<'static>),
}

impl Pki {
    pub fn new() -> Self {
        let mut params = CertificateParams::default();
        params
            .distinguished_name
            .push(DnType::CommonName, "test ca");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let leaf = |name: &str, usage: ExtendedKeyUsagePurpose| {
            let mut params = CertificateParams::default();
            params.distinguished_name.push(DnType::CommonName, name);
            params.extended_key_usages = vec![usage];
            params.subject_alt_names = vec![
                SanType::DnsName("localhost".try_into().unwrap()),
                SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()),
            ];
            let key = KeyPair::generate().unwrap();
            let cert = params.signed_by(&key, &ca).unwrap();
            (cert.der().clone(), PrivateKeyDer::from(key))
        };
        Self {
            server: leaf("test server", ExtendedKeyUsagePurpose::ServerAuth),
            client: leaf("test center", ExtendedKeyUsagePurpose::ClientAuth),
            ca: ca.der().clone(),
        }
    }

    fn roots(&self) -> Arc<rustls::RootCertStore> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.ca.clone()).unwrap();
        Arc::new(roots)
    }

    /// The candidate's TLS settings: this server certificate, a client certificate
    /// from this CA required, ALPN h2 and http/1.1.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            self.roots(),
            provider.clone(),
        )
        .build()
        .unwrap();
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![self.server.0.clone()], self.server.1.clone_key())
            .unwrap();
        // Offering h2 first proves the injector asks for http/1.1 only.
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Arc::new(config)
    }

    /// The center's TLS settings: trusting this CA, with or without the client identity.
    /// ALPN offers h2 first, as the center's does.
    pub fn client_config(&self, identity: bool) -> Arc<rustls::ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(self.roots());
        let mut config = if identity {
            builder
                .with_client_auth_cert(vec![self.client.0.clone()], self.client.1.clone_key())
                .unwrap()
        } else {
            builder.with_no_client_auth()
        };
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Arc::new(config)
    }
}
