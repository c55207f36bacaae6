//! The one error model of the profile: a closed list of machine codes.
//!
//! Every error response has the body [`ErrorBody`] and the HTTP status of its code.
//! A code the terminal shows never reveals a protected reason (DV等支援措置): every
//! personal refusal is [`ErrorCode::NotIssuable`] with its fixed message.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The closed list of error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or does not match the operation's schema.
    MalformedRequest,
    /// 400: the `Kofu-Profile-Version` header is missing or names a version the server
    /// does not speak.
    UnsupportedProfileVersion,
    /// 413: the body is larger than [`crate::MAX_REQUEST_BYTES`].
    PayloadTooLarge,
    /// 404: the path names a municipality code the server does not serve.
    UnknownMunicipality,
    /// 404: the path names an issuance or registration id the server does not know.
    NotFound,
    /// 422: the municipality does not offer this type, option or fiscal year to anyone.
    NotOffered,
    /// 422: this person cannot be issued this certificate here (any personal reason:
    /// age, residence, 印鑑 state, tax year not assessed, DV等支援措置, unknown card).
    /// The message is always [`NOT_ISSUABLE_MESSAGE`].
    NotIssuable,
    /// 422: a 戸籍 certificate from a 本籍地 where the holder does not live needs an
    /// approved 利用登録申請 first.
    RegistrationRequired,
    /// 422: the request is well-formed but inconsistent (copies out of range, options
    /// that do not fit the type, members not in the household).
    InvalidRequest,
    /// 409: the request id was used before with a different body.
    RequestIdConflict,
    /// 409: the outcome contradicts one already recorded (確定 after 取消 or the reverse).
    OutcomeConflict,
    /// 503: the server cannot answer now; the center may retry with the same request id.
    Unavailable,
    /// 500: the server failed.
    InternalError,
}

/// The fixed message of [`ErrorCode::NotIssuable`], shown at the terminal.
pub const NOT_ISSUABLE_MESSAGE: &str =
    "この証明書はコンビニ交付では発行できません。市区町村の窓口でお尋ねください。";

impl ErrorCode {
    /// Every code, for documentation and drift tests.
    pub const ALL: [ErrorCode; 13] = [
        Self::MalformedRequest,
        Self::UnsupportedProfileVersion,
        Self::PayloadTooLarge,
        Self::UnknownMunicipality,
        Self::NotFound,
        Self::NotOffered,
        Self::NotIssuable,
        Self::RegistrationRequired,
        Self::InvalidRequest,
        Self::RequestIdConflict,
        Self::OutcomeConflict,
        Self::Unavailable,
        Self::InternalError,
    ];

    /// The wire code.
    pub fn code(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed-request",
            Self::UnsupportedProfileVersion => "unsupported-profile-version",
            Self::PayloadTooLarge => "payload-too-large",
            Self::UnknownMunicipality => "unknown-municipality",
            Self::NotFound => "not-found",
            Self::NotOffered => "not-offered",
            Self::NotIssuable => "not-issuable",
            Self::RegistrationRequired => "registration-required",
            Self::InvalidRequest => "invalid-request",
            Self::RequestIdConflict => "request-id-conflict",
            Self::OutcomeConflict => "outcome-conflict",
            Self::Unavailable => "unavailable",
            Self::InternalError => "internal-error",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::MalformedRequest | Self::UnsupportedProfileVersion => 400,
            Self::PayloadTooLarge => 413,
            Self::UnknownMunicipality | Self::NotFound => 404,
            Self::NotOffered
            | Self::NotIssuable
            | Self::RegistrationRequired
            | Self::InvalidRequest => 422,
            Self::RequestIdConflict | Self::OutcomeConflict => 409,
            Self::Unavailable => 503,
            Self::InternalError => 500,
        }
    }

    /// What the terminal shows the resident for this code.
    pub fn terminal_message(self) -> &'static str {
        match self {
            Self::NotIssuable => NOT_ISSUABLE_MESSAGE,
            Self::NotOffered => "選択された証明書はお取り扱いしておりません。",
            Self::RegistrationRequired => {
                "本籍地の市区町村への利用登録申請が必要です。申請後、承認をお待ちください。"
            }
            _ => {
                "ただいま証明書を発行できません。時間をおいてお試しいただくか、市区町村の窓口でお尋ねください。"
            }
        }
    }

    /// Whether the center may retry the same request (same request id) after this code.
    pub fn retry_safe(self) -> bool {
        matches!(self, Self::Unavailable)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    /// The machine code.
    pub code: ErrorCode,
    /// A short human-readable detail for logs. For `not-issuable` it is exactly
    /// [`NOT_ISSUABLE_MESSAGE`]; it never names a protected reason.
    pub message: String,
}

impl ErrorBody {
    /// An error body with the code's default message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let message = if code == ErrorCode::NotIssuable {
            NOT_ISSUABLE_MESSAGE.to_owned()
        } else {
            message.into()
        };
        Self { code, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_serde_names() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.code().to_owned())
            );
        }
    }

    #[test]
    fn not_issuable_message_is_fixed() {
        let body = ErrorBody::new(ErrorCode::NotIssuable, "protected person");
        assert_eq!(body.message, NOT_ISSUABLE_MESSAGE);
    }
}
