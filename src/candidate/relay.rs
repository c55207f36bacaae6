//! A loopback TCP relay in front of a candidate kofu starts itself (the embedded
//! reference server, a container): the run's URL names the relay, which forwards every
//! connection to wherever the candidate listens now. A restart moves the candidate (a new
//! port, a new mapped port) and [`Relay::retarget`] follows it, so the URL the mock
//! center's client was configured with once per run stays valid.
//!
//! The relay works at the TCP level: TLS (and mutual TLS) passes through untouched, so
//! the candidate's certificate must be valid for `127.0.0.1`, the relay's address.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running relay on `127.0.0.1:<port>`. Dropping it stops accepting connections.
#[derive(Debug)]
pub struct Relay {
    addr: SocketAddr,
    target: Arc<Mutex<SocketAddr>>,
    accept: JoinHandle<()>,
}

impl Relay {
    /// Bind `127.0.0.1:0` and forward every connection to `target`.
    pub async fn start(target: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let target = Arc::new(Mutex::new(target));
        let shared = target.clone();
        let accept = tokio::spawn(async move {
            loop {
                let (inbound, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        tracing::warn!(error = %e, "relay: accept failed");
                        continue;
                    }
                };
                let to = shared
                    .lock()
                    .map(|t| *t)
                    .unwrap_or_else(|p| *p.into_inner());
                tokio::spawn(forward(inbound, peer, to));
            }
        });
        Ok(Self {
            addr,
            target,
            accept,
        })
    }

    /// The relay's own address, the one the run's URL names.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where new connections go now.
    pub fn target(&self) -> SocketAddr {
        self.target
            .lock()
            .map(|t| *t)
            .unwrap_or_else(|p| *p.into_inner())
    }

    /// Send new connections to `target` from now on; open ones keep their old target.
    pub fn retarget(&self, target: SocketAddr) {
        match self.target.lock() {
            Ok(mut t) => *t = target,
            Err(p) => *p.into_inner() = target,
        }
        tracing::debug!(relay = %self.addr, %target, "relay retargeted");
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Copy both ways until either side closes. A target that refuses the connection (the
/// candidate is restarting) closes the inbound one: the client sees a reset, as it would
/// from the candidate itself.
async fn forward(mut inbound: TcpStream, peer: SocketAddr, to: SocketAddr) {
    let mut outbound = match TcpStream::connect(to).await {
        Ok(s) => s,
        Err(e) => {
            tracing::debug!(%peer, %to, error = %e, "relay: target unreachable");
            return;
        }
    };
    let _ = inbound.set_nodelay(true);
    let _ = outbound.set_nodelay(true);
    if let Err(e) = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await {
        tracing::debug!(%peer, %to, error = %e, "relay: connection ended");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// An echo server that prefixes every answer with its name.
    async fn named_echo(name: &'static str) -> SocketAddr {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 64];
                    while let Ok(n) = s.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        let mut out = name.as_bytes().to_vec();
                        out.extend_from_slice(&buf[..n]);
                        if s.write_all(&out).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    async fn ask(relay: SocketAddr, text: &str) -> String {
        let mut s = TcpStream::connect(relay).await.expect("connect to relay");
        s.write_all(text.as_bytes()).await.expect("write");
        s.shutdown().await.expect("shutdown");
        let mut out = String::new();
        s.read_to_string(&mut out).await.expect("read");
        out
    }

    #[tokio::test]
    async fn the_relay_forwards_and_follows_a_retarget() {
        let a = named_echo("a:").await;
        let b = named_echo("b:").await;
        let relay = Relay::start(a).await.expect("relay");
        assert!(relay.addr().ip().is_loopback());
        assert_eq!(ask(relay.addr(), "hello").await, "a:hello");
        // A connection opened before the retarget keeps its target.
        let mut open = TcpStream::connect(relay.addr()).await.expect("connect");
        open.write_all(b"1").await.expect("write");
        let mut buf = [0u8; 3];
        open.read_exact(&mut buf).await.expect("read");
        assert_eq!(&buf, b"a:1");
        relay.retarget(b);
        assert_eq!(relay.target(), b);
        assert_eq!(ask(relay.addr(), "hello").await, "b:hello");
        open.write_all(b"2").await.expect("write");
        open.read_exact(&mut buf).await.expect("read");
        assert_eq!(&buf, b"a:2");
    }

    #[tokio::test]
    async fn a_refused_target_closes_the_inbound_connection() {
        // A port that was bound and released: nothing listens there.
        let gone = {
            let l = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
            l.local_addr().expect("addr")
        };
        let relay = Relay::start(gone).await.expect("relay");
        let mut s = TcpStream::connect(relay.addr()).await.expect("connect");
        let mut out = Vec::new();
        // The relay closes the connection: read ends with EOF or a reset, never hangs.
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(10), s.read_to_end(&mut out))
                .await
                .expect("the relay closes the connection");
        assert!(read.is_err() || out.is_empty());
    }
}
