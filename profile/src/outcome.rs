//! `POST /v1/municipalities/{code}/issuances/{issuance_id}/outcome`: the print outcome
//! of each copy, 確定 (printed) or 取消 (not printed).
//!
//! Idempotent: reporting the same outcome again is accepted; changing a reported
//! outcome is `outcome-conflict`. Copies not mentioned stay as they are.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Report the outcome of some or all copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeReport {
    /// When the terminal reported it, `+09:00`.
    pub reported_at: chrono::DateTime<chrono::FixedOffset>,
    /// One entry per copy reported.
    pub copies: Vec<CopyOutcome>,
}

/// The outcome of one copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyOutcome {
    /// Copy number, 1-based.
    pub copy: u8,
    /// What happened.
    pub outcome: Outcome,
}

/// 確定 or 取消.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// 確定: printed and paid.
    Confirmed,
    /// 取消: not printed; no fee, no commission.
    Cancelled,
}

/// State of one copy in the server's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CopyState {
    /// Issued, outcome not yet reported.
    Pending,
    /// 確定.
    Confirmed,
    /// 取消.
    Cancelled,
}

impl From<Outcome> for CopyState {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Confirmed => Self::Confirmed,
            Outcome::Cancelled => Self::Cancelled,
        }
    }
}
