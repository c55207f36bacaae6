//! `kofu center`: the mock center (証明書交付センター) served standalone on a loopback
//! port, in front of candidate servers, for terminals of the command line
//! ([`super::script`]). It uses the fixtures' test PKI: the center's client identity
//! towards the candidates, and a fresh test JPKI for the cards.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kofu_fixtures::Fixtures;
use kofu_mock_center::center::{CenterConfig, CenterState, Clock};
use kofu_mock_center::client::ClientConfig;

/// Why the center could not be served.
#[derive(Debug, thiserror::Error)]
pub enum StandaloneError {
    /// `--listen` is not an address, or not a loopback one.
    #[error("--listen `{0}` must be a loopback IP address and port (127.0.0.1 or ::1)")]
    Listen(String),
    /// A PKI file could not be read.
    #[error("reading {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The test JPKI could not be generated.
    #[error("test JPKI")]
    Jpki(#[source] kofu_mock_center::jpki::JpkiError),
    /// The validity service did not start.
    #[error("starting the validity service")]
    Validity(#[source] kofu_mock_center::validity::ValidityError),
    /// The center refused its configuration.
    #[error("configuring the center")]
    Setup(#[source] kofu_mock_center::center::CenterSetupError),
    /// The port could not be bound.
    #[error("binding {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Serving stopped with an error.
    #[error("center")]
    Serve(#[source] std::io::Error),
}

/// How to serve the center.
#[derive(Debug, Clone)]
pub struct Standalone {
    /// Loopback address of the terminal API.
    pub listen: String,
    /// Base URLs of the candidate servers.
    pub servers: Vec<String>,
    /// PEM trust anchor of the candidates' server certificates; `None`: the fixtures'
    /// candidate CA.
    pub server_ca: Option<PathBuf>,
    /// SQLite file of the ledger; `None`: in memory.
    pub ledger: Option<PathBuf>,
    /// A fixed reception time instead of the system clock.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Honour the reception time a terminal sends (test terminals only).
    pub trust_terminal_clock: bool,
    /// Folder for the evidence of every exchange with candidates (exchanges.jsonl, one JSON line each).
    pub evidence: Option<PathBuf>,
}

/// `addr` when it is a loopback IP address and port.
pub fn require_loopback(listen: &str) -> Result<SocketAddr, StandaloneError> {
    match listen.parse::<SocketAddr>() {
        Ok(addr) if addr.ip().is_loopback() => Ok(addr),
        _ => Err(StandaloneError::Listen(listen.to_owned())),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, StandaloneError> {
    std::fs::read(path).map_err(|source| StandaloneError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Serve until Ctrl-C.
pub async fn serve(fixtures: Arc<Fixtures>, args: Standalone) -> Result<(), StandaloneError> {
    kofu_mock_center::install_crypto_provider();
    let pki = fixtures.root.join("pki");
    let server_ca = read(
        &args
            .server_ca
            .clone()
            .unwrap_or_else(|| pki.join("candidate-ca.pem")),
    )?;
    let identity = (
        read(&pki.join("center-client.pem"))?,
        read(&pki.join("center-client.key"))?,
    );
    let candidates = args
        .servers
        .iter()
        .map(|url| ClientConfig {
            server_ca_pem: Some(server_ca.clone()),
            client_identity: Some(identity.clone()),
            ..ClientConfig::new(url.clone())
        })
        .collect();
    let clock = match args.now {
        Some(t) => Clock::Fixed(t),
        None => Clock::System,
    };
    let jpki =
        kofu_mock_center::jpki::TestJpki::generate(&fixtures).map_err(StandaloneError::Jpki)?;
    let validity = kofu_mock_center::validity::start_mock(&fixtures)
        .await
        .map_err(StandaloneError::Validity)?;
    let state = CenterState::new(CenterConfig {
        fixtures: fixtures.clone(),
        candidates,
        jpki_ca_der: jpki.ca_der.clone(),
        validity_url: validity.uri(),
        clock,
        trust_terminal_clock: args.trust_terminal_clock,
        ledger_path: args.ledger.clone(),
        evidence_dir: args.evidence.clone(),
    })
    .map_err(StandaloneError::Setup)?;
    let addr = require_loopback(&args.listen)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StandaloneError::Bind { addr, source })?;
    let bound = listener.local_addr().unwrap_or(addr);
    eprintln!(
        "kofu center listening on http://{bound} (validity service {}); candidates: {}",
        validity.uri(),
        args.servers.join(", ")
    );
    kofu_mock_center::center::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(StandaloneError::Serve)
}
