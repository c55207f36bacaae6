//! Delivering an answer to the center with the exchange's fault applied: delayed,
//! held, cut, lost, or untouched.

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::connection::{Connection, Flow};
use crate::rule::Fault;
use crate::timeline::{EventKind, Subject, millis};
use crate::upstream::Answer;
use crate::wire;

impl Connection {
    /// Delivers `answer` (which has just arrived) with `fault` applied.
    pub(crate) async fn deliver(
        &mut self,
        stream: &mut TcpStream,
        subject: &Subject,
        answer: Answer,
        fault: Option<Fault>,
        close: bool,
        head_request: bool,
    ) -> Flow {
        let arrived = Instant::now();
        let status = answer.status.as_u16();
        let bytes = answer.body.len();
        let head = wire::answer_head(answer.status, &answer.headers, bytes, head_request, close);
        let body: &[u8] = if head_request { &[] } else { &answer.body };
        match fault {
            Some(Fault::LoseAnswer) => {
                self.record(
                    subject,
                    EventKind::Fault(format!(
                        "answer lost after the candidate answered {status} ({bytes} bytes): connection reset"
                    )),
                );
                return Flow::Reset;
            }
            Some(Fault::CutBody { after_bytes }) => {
                let cut = after_bytes.min(body.len());
                let deadline = Instant::now() + self.settings().upstream_timeout;
                let write = async {
                    stream.write_all(&head).await?;
                    stream.write_all(&body[..cut]).await?;
                    stream.flush().await
                };
                let what = match tokio::time::timeout_at(deadline, write).await {
                    Ok(Ok(())) => format!(
                        "answer {status} cut after {cut} of {bytes} body bytes: connection reset"
                    ),
                    _ => format!("answer {status} could not be written before the cut"),
                };
                self.record(subject, EventKind::Fault(what));
                return Flow::Reset;
            }
            Some(Fault::HoldAnswer) => {
                self.record(
                    subject,
                    EventKind::Fault(format!(
                        "answer {status} held until the center's connection is gone"
                    )),
                );
                let limit = self.settings().hold_limit;
                if tokio::time::timeout(limit, center_gone(stream))
                    .await
                    .is_err()
                {
                    self.record(
                        subject,
                        EventKind::Fault(format!(
                            "the center still waited after {} ms: its connection is closed",
                            limit.as_millis()
                        )),
                    );
                }
                self.record(subject, EventKind::LateAnswerDiscarded { status });
                return Flow::Close;
            }
            Some(Fault::Latency(delay)) => {
                self.record(
                    subject,
                    EventKind::Fault(format!(
                        "answer {status} held back {} ms",
                        delay.as_millis()
                    )),
                );
                if tokio::time::timeout(delay, center_gone(stream))
                    .await
                    .is_ok()
                {
                    self.record(subject, EventKind::LateAnswerDiscarded { status });
                    return Flow::Close;
                }
            }
            _ => {}
        }
        let deadline = Instant::now() + self.settings().upstream_timeout;
        let write = async {
            stream.write_all(&head).await?;
            stream.write_all(body).await?;
            stream.flush().await
        };
        match tokio::time::timeout_at(deadline, write).await {
            Ok(Ok(())) => {
                let after_ms = millis(arrived.elapsed());
                self.record(
                    subject,
                    EventKind::Delivered {
                        status,
                        bytes,
                        after_ms,
                    },
                );
                if close { Flow::Close } else { Flow::KeepAlive }
            }
            _ => {
                self.record(subject, EventKind::LateAnswerDiscarded { status });
                Flow::Reset
            }
        }
    }
}

/// Resolves once the center's end of `stream` is closed or broken. Bytes the center
/// sends meanwhile are left unread, and then the connection counts as open.
async fn center_gone(stream: &TcpStream) {
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte).await {
        Ok(n) if n > 0 => std::future::pending().await,
        _ => {}
    }
}
