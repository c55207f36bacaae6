//! Wire types of the terminal-facing API of the mock center (JSON). Documented in
//! `mock-center/README.md`. This is kofu's own test interface between its mock
//! terminals and its mock center, not part of the open reference profile.

use chrono::{DateTime, FixedOffset};
use kofu_profile::issuance::Issuance;
use kofu_profile::menu::Menu;
use kofu_profile::outcome::CopyOutcome;
use kofu_profile::records::IssuanceRecord;
use kofu_profile::{CertificateType, IssuanceOptions, Reception};
use serde::{Deserialize, Serialize};

/// `POST /v1/sessions`: a terminal starts a kiosk session.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenSession {
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// Reception time asked by a test terminal. Honoured only by a center started with
    /// `trust_terminal_clock` (the harness); otherwise the center's clock decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reception_time: Option<DateTime<FixedOffset>>,
}

/// Answer to [`OpenSession`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionOpened {
    /// The session.
    pub session_id: uuid::Uuid,
    /// Challenge the card must sign, standard base64.
    pub challenge: String,
    /// The reception time the center uses for this session.
    pub reception_time: DateTime<FixedOffset>,
}

/// `POST /v1/sessions/{id}/card`: the card's certificate and its signature over the
/// challenge (made after the resident entered the PIN at the terminal).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardPresentation {
    /// The 利用者証明用電子証明書, DER, standard base64.
    pub certificate: String,
    /// Signature over the challenge, standard base64.
    pub signature: String,
}

/// Answer to [`CardPresentation`] when the center accepts the card.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardAccepted {
    /// Certificate serial, uppercase hex.
    pub card_serial: String,
}

/// Answer to `POST /v1/sessions/{id}/menu`: the menu of every municipality the
/// candidates serve, for this card. Empty menus are left out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MenuAnswer {
    /// Non-empty menus, by municipality code.
    pub menus: Vec<Menu>,
}

/// `POST /v1/sessions/{id}/issuances`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// Municipality to ask; omitted: the center routes by the menus (see README).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// Certificate type.
    pub certificate: CertificateType,
    /// The resident's choices.
    #[serde(default)]
    pub options: IssuanceOptions,
    /// Copies.
    pub copies: u8,
}

/// Answer to [`IssueRequest`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Issued {
    /// The center's transaction id (the request id sent to the candidate).
    pub transaction_id: uuid::Uuid,
    /// The center's stamp.
    pub reception: Reception,
    /// What the candidate issued.
    pub issuance: Issuance,
}

/// `POST /v1/sessions/{id}/issuances/{transaction_id}/outcome`: what the printer did.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintReport {
    /// One entry per copy.
    pub copies: Vec<CopyOutcome>,
}

/// Answer to [`PrintReport`]: the candidate's record.
pub type PrintRecorded = IssuanceRecord;

/// Every error of the terminal API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterErrorBody {
    /// Machine code, e.g. `card-revoked`, `out-of-hours`, `refused`.
    pub code: String,
    /// The text the terminal shows (Japanese).
    pub message: String,
    /// With `refused`: the candidate's profile error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_code: Option<String>,
}
