//! Running the app: plain HTTP or TLS (optionally mutual), graceful shutdown.

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use axum_server::Handle;
use axum_server::accept::{Accept, NoDelayAcceptor};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use rustls::RootCertStore;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::defects::Defect;
use crate::state::AppState;
use crate::{Config, ServerError, TlsSettings};

/// How long open connections may finish after shutdown is asked for.
const GRACE: Duration = Duration::from_secs(5);

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    // The process-wide default is only a convenience for other rustls users; this
    // server always names its provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Arc::new(rustls::crypto::ring::default_provider())
}

fn certificates(
    pem: &[u8],
    what: &'static str,
) -> Result<Vec<CertificateDer<'static>>, ServerError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ServerError::Pem(what, e.to_string()))?;
    if certs.is_empty() {
        return Err(ServerError::Pem(what, "no certificate found".into()));
    }
    Ok(certs)
}

/// The rustls configuration for the settings.
fn tls_config(
    tls: &TlsSettings,
    mtls: bool,
    optional: bool,
) -> Result<rustls::ServerConfig, ServerError> {
    let provider = provider();
    let chain = certificates(&tls.cert_pem, "server certificate")?;
    let key = PrivateKeyDer::from_pem_slice(&tls.key_pem)
        .map_err(|e| ServerError::Pem("server key", e.to_string()))?;
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(ServerError::Tls)?;
    let builder = match (&tls.client_ca_pem, mtls) {
        (Some(ca), true) => {
            let mut roots = RootCertStore::empty();
            for cert in certificates(ca, "client CA")? {
                roots.add(cert).map_err(ServerError::Tls)?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider);
            let verifier = if optional {
                verifier.allow_unauthenticated()
            } else {
                verifier
            };
            let verifier = verifier
                .build()
                .map_err(|e| ServerError::ClientVerifier(e.to_string()))?;
            builder.with_client_cert_verifier(verifier)
        }
        _ => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(ServerError::Tls)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A server ready to run: state and transport decided, nothing bound yet.
struct Prepared {
    state: AppState,
    tls: Option<Arc<rustls::ServerConfig>>,
    /// Defect `mtls-optional-dropped` is on.
    drop_anonymous: bool,
}

impl Prepared {
    fn new(config: &Config) -> Result<Self, ServerError> {
        let state = AppState::from_config(config)?;
        let mtls = !state.defects().on(Defect::MtlsNotEnforced);
        let drop_anonymous = state.defects().on(Defect::MtlsOptionalDropped);
        let tls = config
            .tls
            .as_ref()
            .map(|t| tls_config(t, mtls, drop_anonymous).map(Arc::new))
            .transpose()?;
        Ok(Self {
            state,
            tls,
            drop_anonymous,
        })
    }

    async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let handle: Handle<SocketAddr> = Handle::new();
        let trigger = handle.clone();
        let watcher = tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down");
            trigger.graceful_shutdown(Some(GRACE));
        });
        self.state.forget_on_start().await?;
        let service = crate::app(self.state).into_make_service_with_connect_info::<SocketAddr>();
        // TCP_NODELAY on every connection: without it a ~30 KB issuance body waits for
        // the peer's delayed ACK (about 40 ms per answer).
        let result = match self.tls {
            Some(tls) if self.drop_anonymous => {
                let acceptor = DropAnonymous(
                    RustlsAcceptor::new(RustlsConfig::from_config(tls)).acceptor(NoDelayAcceptor),
                );
                axum_server::from_tcp(listener)?
                    .acceptor(acceptor)
                    .handle(handle)
                    .serve(service)
                    .await
            }
            Some(tls) => {
                let acceptor =
                    RustlsAcceptor::new(RustlsConfig::from_config(tls)).acceptor(NoDelayAcceptor);
                axum_server::from_tcp(listener)?
                    .acceptor(acceptor)
                    .handle(handle)
                    .serve(service)
                    .await
            }
            None => {
                axum_server::from_tcp(listener)?
                    .acceptor(NoDelayAcceptor)
                    .handle(handle)
                    .serve(service)
                    .await
            }
        };
        watcher.abort();
        result.map_err(ServerError::Io)
    }
}

/// Serve on a bound listener until `shutdown` completes, then finish open requests.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let prepared = Prepared::new(&config)?;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, tls = prepared.tls.is_some(), "reference server listening");
    }
    prepared.run(listener, shutdown).await
}

/// A server started by [`start`]. Dropping it also shuts the server down.
#[derive(Debug)]
pub struct RunningServer {
    /// Base URL: `https://127.0.0.1:PORT` with TLS, else `http://…`.
    pub url: String,
    /// The bound address.
    pub addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl RunningServer {
    /// The server's state (its store, for tests that approve a 利用登録申請).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Shut down gracefully and wait until the server has stopped.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "reference server ended with an error"),
                Err(e) => tracing::warn!(error = %e, "reference server task failed"),
            }
        }
    }
}

/// Bind `127.0.0.1:0` and serve in the background.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let prepared = Prepared::new(&config)?;
    let scheme = if prepared.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let state = prepared.state.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(prepared.run(listener, async move {
        let _ = stopped.await;
    }));
    tracing::info!(%addr, "reference server started");
    Ok(RunningServer {
        url: format!("{scheme}://{addr}"),
        addr,
        state,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Defect `mtls-optional-dropped`: the TLS acceptor takes connections without a client
/// certificate and then drops them, so the client sees a closed connection, not an alert.
#[derive(Clone)]
struct DropAnonymous(RustlsAcceptor<NoDelayAcceptor>);

impl<I, S> Accept<I, S> for DropAnonymous
where
    RustlsAcceptor<NoDelayAcceptor>: Accept<I, S, Stream = tokio_rustls::server::TlsStream<I>>,
    <RustlsAcceptor<NoDelayAcceptor> as Accept<I, S>>::Future: Send + 'static,
    <RustlsAcceptor<NoDelayAcceptor> as Accept<I, S>>::Service: Send + 'static,
    I: Send + 'static,
{
    type Stream = tokio_rustls::server::TlsStream<I>;
    type Service = <RustlsAcceptor<NoDelayAcceptor> as Accept<I, S>>::Service;
    type Future =
        futures::future::BoxFuture<'static, std::io::Result<(Self::Stream, Self::Service)>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let accepted = self.0.accept(stream, service);
        Box::pin(async move {
            let (tls, service) = accepted.await?;
            if tls.get_ref().1.peer_certificates().is_none() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "no client certificate",
                ));
            }
            Ok((tls, service))
        })
    }
}
