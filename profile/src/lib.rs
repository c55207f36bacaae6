//! The open reference profile v1 of the interface between the issuance center
//! (証明書交付センター) and an issuance server (証明発行サーバ).
//!
//! This is kofu's own published profile, **not** the J-LIS specification (which is
//! handed out only under a confidentiality agreement). A vendor whose server speaks
//! another wire format plugs in an adapter.
//!
//! # Layout
//! - [`certificate`]: certificate type codes and issuance options.
//! - [`identity`]: `GET /v1/identity`.
//! - [`menu`]: `POST /v1/municipalities/{code}/menu`.
//! - [`issuance`]: `POST /v1/municipalities/{code}/issuances`.
//! - [`content`]: the structured 記載事項 returned with every issuance.
//! - [`outcome`]: `POST /v1/municipalities/{code}/issuances/{id}/outcome` (確定 / 取消).
//! - [`records`]: `GET /v1/municipalities/{code}/records` (settlement).
//! - [`registration`]: 利用登録申請 for 戸籍 from a non-resident.
//! - [`register_event`]: 異動連携, the register feed (a claimed capability, 1.2).
//! - [`error`]: the closed list of error codes.
//! - [`schema`]: JSON Schemas generated from these types.
//! - [`request`]: request-body rules a derive does not give (no `null`, `copies`).

pub mod certificate;
pub mod content;
pub mod error;
pub mod identity;
pub mod issuance;
pub mod menu;
pub mod outcome;
pub mod records;
pub mod register_event;
pub mod registration;
pub mod request;
pub mod resend;
pub mod schema;
pub mod time;

pub use certificate::{CertificateType, IssuanceOptions, Scope};
pub use error::{ErrorBody, ErrorCode};

/// Version of this profile, sent in [`VERSION_HEADER`] on every request and response.
pub const PROFILE_VERSION: &str = "1.2";

/// HTTP header carrying the profile version, on requests and responses.
pub const VERSION_HEADER: &str = "Kofu-Profile-Version";

/// Largest request body a server must accept; larger bodies get `payload-too-large`.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// Path prefix of every operation.
pub const BASE_PATH: &str = "/v1";

/// Paths of the operations, relative to the server's base URL.
pub mod paths {
    /// `GET`: identity and health.
    pub const IDENTITY: &str = "/v1/identity";

    /// `POST`: the menu for a card at a reception time.
    pub fn menu(municipality: &str) -> String {
        format!("/v1/municipalities/{municipality}/menu")
    }

    /// `POST`: issue a certificate.
    pub fn issuances(municipality: &str) -> String {
        format!("/v1/municipalities/{municipality}/issuances")
    }

    /// `POST`: report the print outcome of each copy.
    pub fn outcome(municipality: &str, issuance_id: &str) -> String {
        format!("/v1/municipalities/{municipality}/issuances/{issuance_id}/outcome")
    }

    /// `GET`: issuance records for a range of business dates.
    pub fn records(municipality: &str) -> String {
        format!("/v1/municipalities/{municipality}/records")
    }

    /// `POST`: file a 利用登録申請.
    pub fn registrations(municipality: &str) -> String {
        format!("/v1/municipalities/{municipality}/koseki-registrations")
    }

    /// `GET`: status of a 利用登録申請.
    pub fn registration(municipality: &str, registration_id: &str) -> String {
        format!("/v1/municipalities/{municipality}/koseki-registrations/{registration_id}")
    }

    /// `POST`: deliver one change of the register (異動連携).
    pub fn register_events(municipality: &str) -> String {
        format!("/v1/municipalities/{municipality}/register-events")
    }
}

/// Common fields the center stamps on every request it routes to a server.
///
/// 受付: the reception of one terminal request by the center.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Reception {
    /// The center's id for this request; servers are idempotent on it.
    pub request_id: uuid::Uuid,
    /// Reception time stamped by the center, ISO 8601 with `+09:00` (JST). The reference
    /// for age limits, the issue date and the business date.
    pub reception_time: chrono::DateTime<chrono::FixedOffset>,
    /// 事業者コード: the store operator's code.
    pub operator_code: String,
    /// The store's id within the operator.
    pub store_id: String,
    /// The terminal's id within the store.
    pub terminal_id: String,
}
