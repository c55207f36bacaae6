//! Network faults between the mock issuance center (証明書交付センター) and a candidate
//! issuance server (証明発行サーバ), injected per HTTP exchange, with a timeline of what
//! was done.
//!
//! # Why a terminating HTTP proxy and not a TCP proxy
//!
//! The candidate speaks HTTPS with mutual TLS. A TCP-level proxy (Toxiproxy and the
//! like) only sees encrypted bytes: it cannot tell where one HTTP request or answer ends
//! inside TLS, so it cannot lose "the answer after the candidate committed" or cut an
//! answer "mid-body" deterministically. The injector therefore terminates HTTP: it
//! accepts plain HTTP/1.1 from the center on `127.0.0.1`, and for each downstream
//! connection opens its own upstream connection to the candidate, over TLS with the
//! [`rustls::ClientConfig`] the caller gives (which carries the center's client
//! identity) or over plain HTTP.
//!
//! One downstream connection maps to one upstream connection. When a fault resets the
//! center's connection, the injector drops the matching upstream connection too, so the
//! candidate also sees its connection end, and a resend arrives on a new connection, as
//! on a real network. When the candidate closes its connection, the injector closes the
//! center's connection as well.
//!
//! # Resets
//!
//! A "reset" is a real TCP RST: the downstream socket gets `SO_LINGER` 0 before it is
//! dropped, so the kernel sends RST instead of FIN. Only if setting the option fails
//! (it does not on Linux or macOS) does the connection end with an ordinary close. For
//! [`Fault::CutBody`] the partial answer is written and flushed before the RST; on
//! loopback those bytes are already in the center's receive buffer when the RST is sent
//! (Linux keeps them readable before reporting the reset), as long as they fit the
//! socket buffers (cut well below 64 KiB to be sure).
//!
//! # Exchanges
//!
//! The downstream side is HTTP/1.1 only: keep-alive is honoured, request bodies must
//! come with `content-length` (at most [`Settings::max_request_body`]; larger ones get a
//! `413` and the connection is closed), `transfer-encoding` is refused with `501`.
//! Answers are read in full from the candidate (at most [`Settings::max_answer_body`])
//! before anything is delivered, so that every fault acts on a whole answer. Every
//! upstream step runs under [`Settings::upstream_timeout`]; an upstream failure answers
//! the center `502` with a short text and is recorded as [`EventKind::UpstreamFailed`].
//!
//! Rules ([`Rule`]) are armed with [`FaultInjector::arm`] and consulted in the order
//! armed; unmatched exchanges are forwarded untouched and still appear in the
//! [`timeline`](FaultInjector::timeline).
//!
//! Headers are forwarded as they are except `host` (set to the upstream's authority)
//! and hop-by-hop headers (dropped); nothing in an answer is rewritten, so a `location`
//! naming the candidate still names the candidate. The timeline is kept in memory for
//! the injector's life. With a [`HoldNotice`], its header is taken off as well and a
//! held answer ends the center's wait at once.

mod connection;
mod deliver;
mod rule;
mod timeline;
mod upstream;
mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

pub use rule::{Fault, Match, Rule};
pub use timeline::{Event, EventKind};

use rule::Rules;
use timeline::Recorder;

/// Where the injector forwards to: the candidate issuance server.
#[derive(Debug, Clone)]
pub struct Upstream {
    /// The candidate's socket address (loopback or an own container).
    pub addr: SocketAddr,
    /// The TLS SNI and verification name, e.g. `"127.0.0.1"` or `"localhost"`; also the
    /// host part of the `host` header sent upstream.
    pub server_name: String,
    /// The TLS client settings (trust anchors and the center's client identity); `None`
    /// for plain HTTP. ALPN is forced to `http/1.1`, the only protocol the injector
    /// speaks upstream.
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

impl Upstream {
    /// A plain-HTTP upstream at `addr`, named by its IP address.
    pub fn plain(addr: SocketAddr) -> Self {
        Self {
            addr,
            server_name: addr.ip().to_string(),
            tls: None,
        }
    }

    /// An HTTPS upstream at `addr`, verified as `server_name` with `tls`.
    pub fn tls(
        addr: SocketAddr,
        server_name: impl Into<String>,
        tls: Arc<rustls::ClientConfig>,
    ) -> Self {
        Self {
            addr,
            server_name: server_name.into(),
            tls: Some(tls),
        }
    }

    /// The authority sent in the `host` header: `server_name:port`.
    pub fn authority(&self) -> String {
        format!("{}:{}", self.server_name, self.addr.port())
    }
}

/// Tells the center that an answer it waits for is held past its wait, so that a center
/// whose wait is an injected clock gives up at once instead of sleeping the wait out.
/// The center names each attempt in the request header `header`; the injector takes the
/// header off before forwarding (the candidate never sees it) and, when
/// [`Fault::HoldAnswer`] holds that exchange's answer, calls `notify` with its value.
#[derive(Clone)]
pub struct HoldNotice {
    /// The request header naming the attempt.
    pub header: http::HeaderName,
    /// Called with the attempt's name when its answer is held.
    pub notify: Arc<dyn Fn(&str) + Send + Sync>,
}

impl std::fmt::Debug for HoldNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HoldNotice")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

/// Limits and timeouts of an injector.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Bound on every upstream step: connect with TLS handshake, and each exchange (send,
    /// answer head, answer body).
    pub upstream_timeout: Duration,
    /// How long [`Fault::HoldAnswer`] keeps an answer at most while the center's
    /// connection stays open; then the connection is closed and the answer discarded.
    pub hold_limit: Duration,
    /// Largest request body accepted from the center.
    pub max_request_body: usize,
    /// Largest request head (request line and headers) accepted from the center.
    pub max_request_head: usize,
    /// Largest answer body accepted from the candidate.
    pub max_answer_body: usize,
    /// Whom to tell when an answer is held; `None`: the center's wait runs its course.
    pub hold_notice: Option<HoldNotice>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            upstream_timeout: Duration::from_secs(30),
            hold_limit: Duration::from_secs(300),
            max_request_body: 1024 * 1024,
            max_request_head: 64 * 1024,
            max_answer_body: 32 * 1024 * 1024,
            hold_notice: None,
        }
    }
}

/// Why an injector could not start.
#[derive(Debug, thiserror::Error)]
pub enum InjectorError {
    /// No loopback port could be bound.
    #[error("cannot bind the injector on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
    /// The upstream's server name is no valid TLS server name.
    #[error("`{0}` is not a valid TLS server name")]
    ServerName(String),
}

/// State shared by the accept loop and every connection.
pub(crate) struct Shared {
    pub(crate) settings: Settings,
    pub(crate) rules: Rules,
    pub(crate) timeline: Recorder,
    upstream: Mutex<Upstream>,
    next_connection: AtomicU64,
    next_exchange: AtomicU64,
}

impl Shared {
    /// The upstream new connections go to.
    pub(crate) fn upstream(&self) -> Upstream {
        self.upstream
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The number of the next exchange (1-based, across all connections).
    pub(crate) fn next_exchange(&self) -> u64 {
        self.next_exchange.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// A fault-injecting HTTP proxy on `127.0.0.1` in front of one candidate.
pub struct FaultInjector {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl std::fmt::Debug for FaultInjector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultInjector")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream().addr)
            .finish_non_exhaustive()
    }
}

impl FaultInjector {
    /// Starts an injector on `127.0.0.1:0` forwarding to `upstream`, with the default
    /// [`Settings`].
    pub async fn start(upstream: Upstream) -> Result<Self, InjectorError> {
        Self::start_with(upstream, Settings::default()).await
    }

    /// Starts an injector on `127.0.0.1:0` forwarding to `upstream`.
    pub async fn start_with(upstream: Upstream, settings: Settings) -> Result<Self, InjectorError> {
        if upstream.tls.is_some() {
            upstream::server_name(&upstream.server_name)?;
        }
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(InjectorError::Bind)?;
        let addr = listener.local_addr().map_err(InjectorError::Bind)?;
        let shared = Arc::new(Shared {
            settings,
            rules: Rules::default(),
            timeline: Recorder::new(),
            upstream: Mutex::new(upstream),
            next_connection: AtomicU64::new(0),
            next_exchange: AtomicU64::new(0),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(Self {
            addr,
            shared,
            accept,
        })
    }

    /// The address the center should call.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL the center should call: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Arms `rule` after those already armed; it applies to the next matching
    /// exchange(s) while it has times left.
    pub fn arm(&self, rule: Rule) {
        tracing::debug!(rule = %rule.describe(), "fault armed");
        self.shared.rules.arm(rule);
    }

    /// Disarms every rule.
    pub fn clear(&self) {
        self.shared.rules.clear();
    }

    /// The rules armed and not used up yet, with their times left.
    pub fn armed(&self) -> Vec<Rule> {
        self.shared.rules.armed()
    }

    /// Sends new connections to `upstream` (after a candidate restart). Open connections
    /// keep their upstream connection until it ends.
    pub fn retarget(&self, upstream: Upstream) {
        *self
            .shared
            .upstream
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = upstream;
    }

    /// Everything recorded so far, in order.
    pub fn timeline(&self) -> Vec<Event> {
        self.shared.timeline.events()
    }

    /// The timeline, one line per event, times in ms since the start.
    pub fn render_timeline(&self) -> String {
        timeline::render(&self.shared.timeline.events())
    }

    /// Waits until `done` holds for the timeline, at most `within`; whether it held.
    pub async fn wait_for(&self, within: Duration, done: impl Fn(&[Event]) -> bool) -> bool {
        self.shared.timeline.wait_for(within, done).await
    }

    /// Stops accepting and ends every connection.
    pub async fn stop(self) {
        self.accept.abort();
        // Taken out of `self` would need `Option`; awaiting by reference is enough.
        let mut this = self;
        let _ = (&mut this.accept).await;
    }
}

impl Drop for FaultInjector {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Accepts connections until aborted; aborting drops the set, which ends every
/// connection task.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let id = shared.next_connection.fetch_add(1, Ordering::Relaxed) + 1;
                    connections.spawn(connection::serve(stream, id, shared.clone()));
                }
                Err(e) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
