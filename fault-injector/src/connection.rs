//! One downstream connection from the center: its exchanges, in order, each forwarded
//! on the connection's own upstream connection, with the armed fault (if any) applied.

use std::sync::Arc;

use bytes::BytesMut;
use http::{Method, StatusCode};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::rule::Fault;
use crate::timeline::{EventKind, Subject};
use crate::upstream::{self, Pending, UpstreamConn};
use crate::wire::{self, ReadError};
use crate::{Settings, Shared};

/// How an exchange leaves the connection.
pub(crate) enum Flow {
    /// Ready for the next request.
    KeepAlive,
    /// Close the connection (FIN).
    Close,
    /// Reset the connection (RST).
    Reset,
    /// Reset the connection, then wait for the candidate's answer to this exchange and
    /// discard it.
    ResetThenDiscard(Pending, Subject),
}

/// Serves the connection `id` until it ends.
pub(crate) async fn serve(mut stream: TcpStream, id: u64, shared: Arc<Shared>) {
    let mut conn = Connection {
        id,
        shared,
        buf: BytesMut::new(),
        upstream: None,
        last_exchange: 0,
    };
    if conn.shared.rules.take_refuse() {
        conn.refuse(stream, "when accepted");
        return;
    }
    loop {
        if conn.buf.is_empty() {
            match conn.next_request_begins(&stream).await {
                Begins::Yes => {}
                Begins::CenterGone => return,
                Begins::UpstreamGone => {
                    conn.closed("the candidate closed its connection");
                    let _ = stream.shutdown().await;
                    return;
                }
            }
            if conn.last_exchange > 0 && conn.shared.rules.take_refuse() {
                conn.refuse(stream, "as its next request began to arrive");
                return;
            }
        }
        let settings = &conn.shared.settings;
        let (head, body) = (settings.max_request_head, settings.max_request_body);
        let request = match wire::read_request(&mut stream, &mut conn.buf, head, body).await {
            Ok(request) => request,
            Err(ReadError::Gone) => return,
            Err(ReadError::Refused(status, text)) => {
                conn.refuse_request(stream, status, &text).await;
                return;
            }
        };
        match conn.exchange(&mut stream, request).await {
            Flow::KeepAlive => {}
            Flow::Close => {
                let _ = stream.shutdown().await;
                return;
            }
            Flow::Reset => {
                reset(stream);
                return;
            }
            Flow::ResetThenDiscard(pending, subject) => {
                reset(stream);
                conn.discard(pending, &subject).await;
                return;
            }
        }
    }
}

/// Resets `stream`: `SO_LINGER` 0, then drop, so the kernel sends RST (an ordinary
/// close if the option cannot be set).
fn reset(stream: TcpStream) {
    if let Err(e) = stream.set_zero_linger() {
        tracing::warn!(error = %e, "SO_LINGER 0 failed; closing instead of resetting");
    }
    drop(stream);
}

/// What happened while waiting for the next request.
enum Begins {
    Yes,
    CenterGone,
    UpstreamGone,
}

pub(crate) struct Connection {
    id: u64,
    shared: Arc<Shared>,
    buf: BytesMut,
    upstream: Option<UpstreamConn>,
    /// The last exchange on this connection (0 before the first).
    last_exchange: u64,
}

impl Connection {
    pub(crate) fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    pub(crate) fn record(&self, subject: &Subject, kind: EventKind) {
        self.shared.timeline.record(subject, kind);
    }

    /// A connection-level event.
    fn closed(&self, why: &str) {
        let subject = Subject {
            connection: self.id,
            exchange: self.last_exchange,
            ..Subject::default()
        };
        self.record(&subject, EventKind::Closed(why.to_owned()));
    }

    /// Waits until bytes of a next request are there (not reading them), or the center
    /// or the candidate ended its connection.
    async fn next_request_begins(&mut self, stream: &TcpStream) -> Begins {
        let upstream_ended = async {
            match self.upstream.as_mut() {
                Some(up) => up.closed().await,
                None => std::future::pending().await,
            }
        };
        let mut byte = [0u8; 1];
        tokio::select! {
            peeked = stream.peek(&mut byte) => match peeked {
                Ok(n) if n > 0 => Begins::Yes,
                _ => Begins::CenterGone,
            },
            () = upstream_ended => Begins::UpstreamGone,
        }
    }

    fn refuse(&mut self, stream: TcpStream, when: &str) {
        let subject = Subject {
            connection: self.id,
            exchange: self.shared.next_exchange(),
            ..Subject::default()
        };
        self.record(
            &subject,
            EventKind::Fault(format!(
                "connection reset {when}, before a byte was read; nothing reached the candidate"
            )),
        );
        reset(stream);
    }

    /// Answers an unservable request with `status` and closes.
    async fn refuse_request(&mut self, mut stream: TcpStream, status: StatusCode, text: &str) {
        let (headers, body) = wire::text_answer(text);
        let head = wire::answer_head(status, &headers, body.len(), false, true);
        let deadline = Instant::now() + self.settings().upstream_timeout;
        let write = async {
            stream.write_all(&head).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        };
        let _ = tokio::time::timeout_at(deadline, write).await;
        self.closed(&format!("request refused with {}: {text}", status.as_u16()));
        // Let the center read the answer before the socket goes: drain what it still
        // sends until it closes, bounded.
        let drain = async {
            let mut sink = vec![0u8; 16 * 1024];
            while let Ok(n) = tokio::io::AsyncReadExt::read(&mut stream, &mut sink).await {
                if n == 0 {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout_at(deadline, drain).await;
    }

    async fn exchange(&mut self, stream: &mut TcpStream, mut request: wire::Request) -> Flow {
        let notice = self.settings().hold_notice.clone();
        let attempt = notice
            .as_ref()
            .and_then(|n| request.headers.remove(&n.header))
            .and_then(|v| v.to_str().ok().map(str::to_owned));
        let exchange = self.shared.next_exchange();
        self.last_exchange = exchange;
        let subject = Subject {
            connection: self.id,
            exchange,
            method: request.method.to_string(),
            path: request.target.clone(),
        };
        self.record(&subject, EventKind::Received);
        let path = request.target.split('?').next().unwrap_or("");
        let fault = self
            .shared
            .rules
            .take_for_request(&request.method, path, &request.body);
        if fault == Some(Fault::ResetBeforeForward) {
            self.record(
                &subject,
                EventKind::Fault(
                    "connection reset after the request was read; nothing reached the candidate"
                        .to_owned(),
                ),
            );
            return Flow::Reset;
        }
        let answer = match self.forward(&subject, &request).await {
            Ok(pending) if fault == Some(Fault::ResetAfterForward) => {
                self.record(
                    &subject,
                    EventKind::Fault(
                        "connection reset after the request was forwarded, before any answer"
                            .to_owned(),
                    ),
                );
                return Flow::ResetThenDiscard(pending, subject);
            }
            Ok(pending) => pending.await,
            Err(why) => Err(why),
        };
        let answer = match answer {
            Ok(answer) => {
                self.record(
                    &subject,
                    EventKind::Answered {
                        status: answer.status.as_u16(),
                        bytes: answer.body.len(),
                    },
                );
                answer
            }
            Err(why) => {
                self.record(&subject, EventKind::UpstreamFailed(why.clone()));
                // The upstream connection is suspect: end it, and the center's with it.
                self.upstream = None;
                upstream::bad_gateway(&why)
            }
        };
        let close = request.close
            || answer.close
            || self.upstream.as_ref().is_none_or(UpstreamConn::is_closed);
        let head_request = request.method == Method::HEAD;
        if fault == Some(Fault::HoldAnswer)
            && let (Some(notice), Some(attempt)) = (&notice, &attempt)
        {
            (notice.notify)(attempt);
        }
        self.deliver(stream, &subject, answer, fault, close, head_request)
            .await
    }

    /// Opens the upstream connection if there is none yet, and hands it the request.
    async fn forward(
        &mut self,
        subject: &Subject,
        request: &wire::Request,
    ) -> Result<Pending, String> {
        let timeout = self.settings().upstream_timeout;
        let max_body = self.settings().max_answer_body;
        let deadline = Instant::now() + timeout;
        if self.upstream.is_none() {
            let target = self.shared.upstream();
            self.upstream = Some(UpstreamConn::open(&target, timeout).await?);
        }
        let Some(up) = self.upstream.as_mut() else {
            return Err("no upstream connection".to_owned());
        };
        up.ready(deadline).await?;
        let pending = up.dispatch(request, deadline, max_body)?;
        self.record(subject, EventKind::Forwarded);
        Ok(pending)
    }

    /// Waits for the answer of a forwarded request whose center is gone, and drops it.
    async fn discard(&mut self, pending: Pending, subject: &Subject) {
        match pending.await {
            Ok(answer) => {
                let status = answer.status.as_u16();
                let bytes = answer.body.len();
                self.record(subject, EventKind::Answered { status, bytes });
                self.record(subject, EventKind::LateAnswerDiscarded { status });
            }
            Err(why) => self.record(subject, EventKind::UpstreamFailed(why)),
        }
    }
}
