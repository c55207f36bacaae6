//! Every failure of an operation, in the profile's terms but without HTTP: the http
//! layer maps each one to its error code and status in one place.

use crate::store::StoreError;

/// Why an operation did not answer.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// The request or an id in it names nothing here.
    #[error("not found: {0}")]
    NotFound(String),
    /// The municipality does not offer what was asked.
    #[error("not offered: {0}")]
    NotOffered(String),
    /// A personal refusal (交付できない). The reason is not part of the display, so it
    /// never reaches a log line.
    #[error("not issuable")]
    NotIssuable {
        /// Why, for debugging in tests only.
        reason: &'static str,
        /// A message that replaces the fixed one (defect `dv-reason-leaked` only).
        disclosed: Option<&'static str>,
    },
    /// 利用登録申請 is needed first.
    #[error("利用登録申請 required")]
    RegistrationRequired,
    /// The request is well formed but breaks a rule of the profile.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The request id was used before with another body.
    #[error("request id used before with another body")]
    RequestIdConflict,
    /// The outcome contradicts one recorded before.
    #[error("outcome conflict: {0}")]
    OutcomeConflict(String),
    /// The store failed.
    #[error("the store failed")]
    Store(#[from] StoreError),
    /// Anything else the server cannot do.
    #[error("internal error: {0}")]
    Internal(String),
}

impl OperationError {
    /// A personal refusal with the fixed message.
    pub fn not_issuable(reason: &'static str) -> Self {
        Self::NotIssuable {
            reason,
            disclosed: None,
        }
    }
}
