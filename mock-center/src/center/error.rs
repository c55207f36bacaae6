//! [`CenterError`]: what the center answers a terminal when it cannot go on, with the
//! machine code and the terminal text of each reason.

use axum::http::StatusCode;
use kofu_profile::ErrorCode;

use super::api::CenterErrorBody;
use super::messages::{CARD_EXPIRED, CARD_UNUSABLE, OUT_OF_HOURS, UNAVAILABLE_MESSAGE, YEAR_END};
use crate::hours::Closed;
use crate::jpki::CardRefusal;

/// An error answered to the terminal.
#[derive(Debug, Clone)]
pub struct CenterError {
    pub(super) status: StatusCode,
    pub(super) body: CenterErrorBody,
}

impl CenterError {
    pub(super) fn new(status: StatusCode, code: &str, message: &str) -> Self {
        Self {
            status,
            body: CenterErrorBody {
                code: code.to_owned(),
                message: message.to_owned(),
                candidate_code: None,
            },
        }
    }

    pub(super) fn bad_request(detail: &str) -> Self {
        tracing::debug!(detail, "bad terminal request");
        Self::new(StatusCode::BAD_REQUEST, "bad-request", UNAVAILABLE_MESSAGE)
    }

    pub(super) fn unavailable(code: &str) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, code, UNAVAILABLE_MESSAGE)
    }

    pub(super) fn card(refusal: &CardRefusal) -> Self {
        let (code, message) = match refusal {
            CardRefusal::Malformed => ("card-malformed", CARD_UNUSABLE),
            CardRefusal::UnknownCa => ("card-unknown-ca", CARD_UNUSABLE),
            CardRefusal::BadSignature => ("card-bad-signature", CARD_UNUSABLE),
            CardRefusal::Expired => ("card-expired", CARD_EXPIRED),
        };
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub(super) fn closed(closed: Closed) -> Self {
        match closed {
            Closed::OutsideHours => Self::new(StatusCode::FORBIDDEN, "out-of-hours", OUT_OF_HOURS),
            Closed::YearEnd => Self::new(StatusCode::FORBIDDEN, "year-end-closure", YEAR_END),
        }
    }

    pub(super) fn refused(status: u16, code: ErrorCode) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            body: CenterErrorBody {
                code: "refused".to_owned(),
                message: code.terminal_message().to_owned(),
                candidate_code: Some(code.code().to_owned()),
            },
        }
    }

    /// The body.
    pub fn body(&self) -> &CenterErrorBody {
        &self.body
    }
}
