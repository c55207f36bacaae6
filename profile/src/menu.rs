//! `POST /v1/municipalities/{code}/menu`: what a card holder may be issued.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{CertificateType, Reception, Scope, registration::RegistrationStatus};

/// Ask for the menu of a card holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuRequest {
    /// The center's stamp.
    pub reception: Reception,
    /// Serial number of the 利用者証明用電子証明書 (uppercase hex), already validated by
    /// the center. The server maps it to a person.
    pub card_serial: String,
}

/// What the terminal may offer. An empty list means nothing can be issued here; the
/// terminal then shows the `not-issuable` message, whatever the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Menu {
    /// The municipality answering.
    pub municipality: String,
    /// Offered items, in the order of [`CertificateType::ALL`].
    pub items: Vec<MenuItem>,
    /// For a 本籍地 where the holder does not live: the state of the 利用登録申請,
    /// `none` when none was filed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub koseki_registration: Option<RegistrationStatus>,
}

/// One certificate type on the menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MenuItem {
    /// The type.
    pub certificate: CertificateType,
    /// 交付手数料: fee per copy in yen, no consumption tax.
    pub fee: u32,
    /// Most copies in one transaction.
    pub max_copies: u8,
    /// 住民票 types: the scopes offered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// 住民票 types with scope `members`: the current household members to choose from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberChoice>,
    /// 住民票 types: whether 世帯主・続柄 can be shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub relationship_option: bool,
    /// 住民票 types: whether 本籍・筆頭者 can be shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub honseki_option: bool,
    /// Tax types: the 年度 this holder can be issued, ascending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fiscal_years: Vec<u16>,
}

/// A household member the resident may choose for 世帯の一部.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MemberChoice {
    /// Opaque id to send back in [`crate::IssuanceOptions::members`].
    pub member_id: String,
    /// The name as printed.
    pub name: String,
}
