//! Request bodies: the size limit, checked on `Content-Length` and while reading.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use kofu_profile::MAX_REQUEST_BYTES;

use super::error::AppError;
use crate::defects::{Defect, Defects};
use crate::state::AppState;

/// How much of a refused body is read and discarded before answering, so the client
/// that is still sending it gets to read the 413 instead of a connection reset.
const DRAIN_CAP: usize = 4 * 1024 * 1024;
const DRAIN_TIMEOUT: Duration = Duration::from_secs(3);

/// The request size limit, `None` for none.
pub fn limit(defects: &Defects) -> Option<usize> {
    if defects.on(Defect::NoBodyLimit) {
        None
    } else {
        Some(MAX_REQUEST_BYTES)
    }
}

/// Reading a body failed.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// Larger than the limit.
    #[error("request body larger than the limit")]
    TooLarge,
    /// The connection failed while reading.
    #[error("cannot read the request body")]
    Read(#[source] axum::Error),
}

impl From<BodyError> for AppError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge => AppError::PayloadTooLarge,
            BodyError::Read(e) => AppError::Malformed(format!("cannot read the body: {e}")),
        }
    }
}

/// Read and discard what is left of a refused body, within bounds.
async fn drain(mut body: Body) {
    let work = async {
        let mut seen = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                seen = seen.saturating_add(data.len());
                if seen > DRAIN_CAP {
                    break;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, work).await;
}

/// Read a whole body, refusing it once it passes `limit`.
pub async fn read_limited(mut body: Body, limit: Option<usize>) -> Result<Bytes, BodyError> {
    let mut buf = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(BodyError::Read)?;
        if let Some(data) = frame.data_ref() {
            if limit.is_some_and(|l| buf.len() + data.len() > l) {
                drain(body).await;
                return Err(BodyError::TooLarge);
            }
            buf.extend_from_slice(data);
        }
    }
    Ok(Bytes::from(buf))
}

/// Middleware: refuse a request whose declared `Content-Length` passes the limit.
pub async fn refuse_oversized(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(limit) = limit(state.defects()) {
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            drain(req.into_body()).await;
            return AppError::PayloadTooLarge.into_response();
        }
    }
    next.run(req).await
}
