//! Every failure a request can meet (framing, extraction, or an operation's
//! [`OperationError`]), and the one place it becomes an HTTP response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kofu_profile::error::NOT_ISSUABLE_MESSAGE;
use kofu_profile::{ErrorBody, ErrorCode};

use crate::operations::OperationError;

/// A request's failure; becomes the profile's [`ErrorBody`] with the code's status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400 malformed-request.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// 400 unsupported-profile-version.
    #[error("unsupported profile version: {0}")]
    UnsupportedVersion(String),
    /// 413 payload-too-large.
    #[error("request body larger than the limit")]
    PayloadTooLarge,
    /// 404 unknown-municipality.
    #[error("unknown municipality `{0}`")]
    UnknownMunicipality(String),
    /// 404 not-found.
    #[error("not found: {0}")]
    NotFound(String),
    /// 422 not-offered.
    #[error("not offered: {0}")]
    NotOffered(String),
    /// 422 not-issuable. The message is the fixed one unless a defect switch discloses
    /// a reason. The reason is not part of the display, so it never reaches a log line.
    #[error("not issuable")]
    NotIssuable {
        /// Why, for debugging in tests only.
        reason: &'static str,
        /// A message that replaces the fixed one (defect `dv-reason-leaked` only).
        disclosed: Option<&'static str>,
    },
    /// 422 registration-required.
    #[error("利用登録申請 required")]
    RegistrationRequired,
    /// 422 invalid-request.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// 409 request-id-conflict.
    #[error("request id used before with another body")]
    RequestIdConflict,
    /// 409 outcome-conflict.
    #[error("outcome conflict: {0}")]
    OutcomeConflict(String),
    /// 500 internal-error.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The profile's code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Malformed(_) => ErrorCode::MalformedRequest,
            Self::UnsupportedVersion(_) => ErrorCode::UnsupportedProfileVersion,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnknownMunicipality(_) => ErrorCode::UnknownMunicipality,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::NotOffered(_) => ErrorCode::NotOffered,
            Self::NotIssuable { .. } => ErrorCode::NotIssuable,
            Self::RegistrationRequired => ErrorCode::RegistrationRequired,
            Self::InvalidRequest(_) => ErrorCode::InvalidRequest,
            Self::RequestIdConflict => ErrorCode::RequestIdConflict,
            Self::OutcomeConflict(_) => ErrorCode::OutcomeConflict,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }

    fn message(&self) -> String {
        match self {
            // Never reveal the reason of a personal refusal.
            Self::NotIssuable { disclosed, .. } => {
                disclosed.unwrap_or(NOT_ISSUABLE_MESSAGE).to_owned()
            }
            // Internal details stay in the log.
            Self::Internal(_) => "the server failed".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<OperationError> for AppError {
    fn from(e: OperationError) -> Self {
        match e {
            OperationError::NotFound(m) => Self::NotFound(m),
            OperationError::NotOffered(m) => Self::NotOffered(m),
            OperationError::NotIssuable { reason, disclosed } => {
                Self::NotIssuable { reason, disclosed }
            }
            OperationError::RegistrationRequired => Self::RegistrationRequired,
            OperationError::InvalidRequest(m) => Self::InvalidRequest(m),
            OperationError::RequestIdConflict => Self::RequestIdConflict,
            OperationError::OutcomeConflict(m) => Self::OutcomeConflict(m),
            OperationError::Store(e) => Self::Internal(format!("{e}: {}", error_chain(&e))),
            OperationError::Internal(m) => Self::Internal(m),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        if code == ErrorCode::InternalError {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, code = %code, "request refused");
        }
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let reason = match &self {
            Self::NotIssuable { reason, .. } => Some(*reason),
            _ => None,
        };
        let body = ErrorBody {
            code,
            message: self.message(),
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(reason) = reason {
            response
                .extensions_mut()
                .insert(super::answer_defects::RefusalReason(reason));
        }
        response
    }
}
