//! `GET /v1/municipalities/{code}/records?from=YYYY-MM-DD&to=YYYY-MM-DD`: the server's
//! issuance records, by JST business date (inclusive range), for settlement (清算).
//! Records carry no personal data.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{CertificateType, outcome::CopyState};

/// The records for a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Records {
    /// The municipality.
    pub municipality: String,
    /// First business date, inclusive.
    pub from: chrono::NaiveDate,
    /// Last business date, inclusive.
    pub to: chrono::NaiveDate,
    /// Records ordered by reception time.
    pub records: Vec<IssuanceRecord>,
}

/// One issuance as the server recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IssuanceRecord {
    /// The server's id.
    pub issuance_id: String,
    /// The center's request id.
    pub request_id: uuid::Uuid,
    /// The type.
    pub certificate: CertificateType,
    /// Copies issued.
    pub copies: u8,
    /// 交付手数料 per copy, yen.
    pub fee_per_copy: u32,
    /// Reception time, `+09:00`.
    pub reception_time: chrono::DateTime<chrono::FixedOffset>,
    /// JST date of the reception time.
    pub business_date: chrono::NaiveDate,
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// State of each copy, copy 1 first.
    pub copy_states: Vec<CopyState>,
    /// Copies in state `confirmed`.
    pub confirmed_copies: u8,
    /// `fee_per_copy * confirmed_copies`.
    pub fee_confirmed: u32,
}
