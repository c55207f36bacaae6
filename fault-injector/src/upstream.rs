//! The upstream side: one hyper HTTP/1.1 client connection to the candidate per
//! downstream connection, over TLS or plain TCP, every step under a deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};
use tokio_rustls::TlsConnector;

use crate::{InjectorError, Upstream, wire};

/// A whole answer from the candidate (or made by the injector).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The candidate asked to close its connection after this answer.
    pub(crate) close: bool,
}

/// What an answer from the candidate resolves to: the answer, or why there is none.
pub(crate) type Pending = std::pin::Pin<Box<dyn Future<Output = Result<Answer, String>> + Send>>;

/// One client connection to the candidate.
pub(crate) struct UpstreamConn {
    sender: SendRequest<Full<Bytes>>,
    task: JoinHandle<()>,
    ended: watch::Receiver<bool>,
    authority: HeaderValue,
}

/// `name` as a TLS server name.
pub(crate) fn server_name(name: &str) -> Result<ServerName<'static>, InjectorError> {
    ServerName::try_from(name.to_owned()).map_err(|_| InjectorError::ServerName(name.to_owned()))
}

impl UpstreamConn {
    /// Connects (and for TLS, completes the handshake) before `timeout`.
    pub(crate) async fn open(upstream: &Upstream, timeout: Duration) -> Result<Self, String> {
        let deadline = Instant::now() + timeout;
        let authority = HeaderValue::from_str(&upstream.authority())
            .map_err(|_| format!("`{}` is no usable host", upstream.authority()))?;
        let tcp = timeout_at(deadline, TcpStream::connect(upstream.addr))
            .await
            .map_err(|_| format!("connecting to {} timed out", upstream.addr))?
            .map_err(|e| format!("cannot connect to {}: {e}", upstream.addr))?;
        let _ = tcp.set_nodelay(true);
        let (sender, task, ended) = match &upstream.tls {
            None => handshake(tcp, deadline).await?,
            Some(tls) => {
                let name = server_name(&upstream.server_name).map_err(|e| e.to_string())?;
                let mut config = rustls::ClientConfig::clone(tls);
                config.alpn_protocols = vec![b"http/1.1".to_vec()];
                let connector = TlsConnector::from(Arc::new(config));
                let stream = timeout_at(deadline, connector.connect(name, tcp))
                    .await
                    .map_err(|_| "the TLS handshake timed out".to_owned())?
                    .map_err(|e| format!("TLS handshake failed: {e}"))?;
                handshake(stream, deadline).await?
            }
        };
        Ok(Self {
            sender,
            task,
            ended,
            authority,
        })
    }

    /// Whether the connection has ended (the candidate closed it, or it failed).
    pub(crate) fn is_closed(&self) -> bool {
        *self.ended.borrow() || self.sender.is_closed()
    }

    /// Resolves once the connection has ended.
    pub(crate) async fn closed(&mut self) {
        let _ = self.ended.wait_for(|ended| *ended).await;
    }

    /// Waits until the connection can take a request, before `deadline`.
    pub(crate) async fn ready(&mut self, deadline: Instant) -> Result<(), String> {
        timeout_at(deadline, self.sender.ready())
            .await
            .map_err(|_| "the candidate's connection did not become ready in time".to_owned())?
            .map_err(|e| format!("the candidate's connection is unusable: {e}"))
    }

    /// Hands `request` to the connection now and returns the whole answer to come,
    /// read before `deadline`, its body at most `max_body` bytes.
    pub(crate) fn dispatch(
        &mut self,
        request: &wire::Request,
        deadline: Instant,
        max_body: usize,
    ) -> Result<Pending, String> {
        let outgoing = self.forwardable(request)?;
        let answer = self.sender.send_request(outgoing);
        Ok(Box::pin(async move {
            let response = timeout_at(deadline, answer)
                .await
                .map_err(|_| "the candidate did not answer in time".to_owned())?
                .map_err(|e| format!("the exchange with the candidate failed: {e}"))?;
            let (parts, body) = response.into_parts();
            let body = timeout_at(deadline, Limited::new(body, max_body).collect())
                .await
                .map_err(|_| "the candidate's answer body did not arrive in time".to_owned())?
                .map_err(|e| format!("the candidate's answer body is unusable: {e}"))?
                .to_bytes();
            Ok(Answer {
                status: parts.status,
                close: wire::has_token(&parts.headers, "close"),
                headers: parts.headers,
                body,
            })
        }))
    }

    /// The request as sent upstream: same method, target and end-to-end headers, the
    /// upstream's authority as `host`, the body (hyper sets its length).
    fn forwardable(&self, request: &wire::Request) -> Result<Request<Full<Bytes>>, String> {
        let mut outgoing = Request::builder()
            .method(request.method.clone())
            .uri(request.target.as_str())
            .body(Full::new(request.body.clone()))
            .map_err(|e| format!("the request cannot be forwarded: {e}"))?;
        let headers = outgoing.headers_mut();
        for (name, value) in &request.headers {
            if wire::is_hop_by_hop(name, &request.headers)
                || name == header::HOST
                || name == header::CONTENT_LENGTH
            {
                continue;
            }
            headers.append(name.clone(), value.clone());
        }
        headers.insert(header::HOST, self.authority.clone());
        Ok(outgoing)
    }
}

impl Drop for UpstreamConn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The HTTP/1.1 handshake over `stream`, and the task driving the connection with a
/// flag set when it ends.
async fn handshake<S>(
    stream: S,
    deadline: Instant,
) -> Result<
    (
        SendRequest<Full<Bytes>>,
        JoinHandle<()>,
        watch::Receiver<bool>,
    ),
    String,
>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = timeout_at(deadline, http1::handshake(TokioIo::new(stream)))
        .await
        .map_err(|_| "the HTTP handshake timed out".to_owned())?
        .map_err(|e| format!("the HTTP handshake failed: {e}"))?;
    let (ended_tx, ended) = watch::channel(false);
    let task = tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!(error = %e, "upstream connection ended with an error");
        }
        ended_tx.send_replace(true);
    });
    Ok((sender, task, ended))
}

/// The `502` the center gets when the candidate gave no usable answer.
pub(crate) fn bad_gateway(why: &str) -> Answer {
    let (headers, body) = wire::text_answer(&format!(
        "fault injector: no answer from the candidate: {why}"
    ));
    Answer {
        status: StatusCode::BAD_GATEWAY,
        headers,
        body,
        close: true,
    }
}
