//! 利用登録申請: pre-registration for 戸籍 certificates from a 本籍地 where the holder
//! does not live. `POST .../koseki-registrations` files one;
//! `GET .../koseki-registrations/{id}` reads its status. The 本籍地 approves or rejects
//! it by its own procedure, outside this profile.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Reception;

/// File a 利用登録申請.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRequest {
    /// The center's stamp.
    pub reception: Reception,
    /// Serial number of the 利用者証明用電子証明書.
    pub card_serial: String,
}

/// A 利用登録申請 and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Registration {
    /// The server's id.
    pub registration_id: String,
    /// Its state.
    pub status: RegistrationStatus,
    /// When it was filed, `+09:00`.
    pub filed_at: chrono::DateTime<chrono::FixedOffset>,
}

/// State of a 利用登録申請.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationStatus {
    /// None filed.
    None,
    /// Filed, not yet decided.
    Pending,
    /// Approved: 戸籍 certificates can be issued.
    Approved,
    /// Rejected.
    Rejected,
}
