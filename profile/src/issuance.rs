//! `POST /v1/municipalities/{code}/issuances`: issue a certificate.
//!
//! Idempotent on `reception.request_id`: the same request again gets the same answer
//! (same issuance id, same document); the same id with another body gets
//! `request-id-conflict`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{CertificateType, IssuanceOptions, Reception, content::Content};

/// Ask for a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuanceRequest {
    /// The center's stamp.
    pub reception: Reception,
    /// Serial number of the 利用者証明用電子証明書.
    pub card_serial: String,
    /// The type asked for.
    pub certificate: CertificateType,
    /// The resident's choices.
    #[serde(default)]
    pub options: IssuanceOptions,
    /// Number of copies, 1 to the menu's `max_copies`. Any JSON integer is well-formed
    /// (`0`, `-1` and one above `max_copies` are `422 invalid-request`); a fraction or a
    /// string is `400 malformed-request`.
    #[serde(deserialize_with = "crate::request::any_integer")]
    #[schemars(schema_with = "crate::request::any_integer_schema")]
    pub copies: i64,
}

/// A certificate, issued. Every copy starts `pending` until the outcome is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Issuance {
    /// The server's id of this issuance.
    pub issuance_id: String,
    /// Echo of `reception.request_id`.
    pub request_id: uuid::Uuid,
    /// The municipality that issued it.
    pub municipality: String,
    /// The type issued.
    pub certificate: CertificateType,
    /// Copies to print.
    pub copies: u8,
    /// 交付手数料 per copy in yen.
    pub fee_per_copy: u32,
    /// `fee_per_copy * copies`: what the terminal collects before printing.
    pub fee_total: u32,
    /// 証明書番号: lets a recipient verify the certificate; printed on it.
    pub certificate_number: String,
    /// 交付日: the JST date of `reception_time`, printed in 和暦.
    pub issue_date: chrono::NaiveDate,
    /// The printable document.
    pub document: Document,
    /// The structured 記載事項, exactly what the document prints.
    pub content: Content,
}

/// The printable certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Always `application/pdf`.
    pub media_type: String,
    /// Number of pages of one copy.
    pub page_count: u32,
    /// SHA-256 of the PDF bytes, lowercase hex.
    pub sha256: String,
    /// The PDF bytes, standard base64 with padding.
    pub pdf_base64: String,
}
