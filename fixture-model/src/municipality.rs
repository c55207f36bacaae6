//! Municipality profiles: what a candidate claims for one municipality (offered types,
//! fees, restrictions, tax years, mutual TLS). Scenarios outside the claims are not
//! applicable.

use std::path::Path;

use kofu_profile::{CertificateType, Scope};
use serde::{Deserialize, Serialize};

use crate::FixtureError;

/// One municipality's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// 全国地方公共団体コード (6 digits; synthetic codes start with 99).
    pub code: String,
    /// Name, e.g. 青葉台市.
    pub name: String,
    /// 市区町村長の職名 printed on certificates, e.g. 青葉台市長.
    pub mayor_title: String,
    /// 市区町村長の氏名 printed on certificates.
    pub mayor_name: String,
    /// Whether the server requires a client certificate from the center (mutual TLS).
    pub mutual_tls: bool,
    /// 異動連携: the server takes the register feed (`POST .../register-events`, profile
    /// 1.2) for this municipality. Absent means false.
    #[serde(default)]
    pub register_feed: bool,
    /// 利用者制限: the restrictions this municipality applies.
    pub restrictions: Restrictions,
    /// Offered certificate types, in menu order.
    pub certificates: Vec<CertificateOffer>,
    /// 負荷試験: the latency the candidate claims for this municipality. Absent: the load
    /// phase reports its figures only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_budget: Option<LatencyBudget>,
    /// 清算: settlement figures, where a profile states them (the 追加試験 profiles under
    /// `fixtures/additions/`). Optional: absent from the bundled profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
}

/// The 95th percentile per operation the candidate claims, in milliseconds, measured by
/// kofu's terminals through the center on a peak day (`[latency_budget]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyBudget {
    /// Card read with the menus.
    #[serde(default)]
    pub card_and_menu_p95_ms: Option<u32>,
    /// Issuance.
    #[serde(default)]
    pub issue_p95_ms: Option<u32>,
    /// Print outcome report.
    #[serde(default)]
    pub outcome_p95_ms: Option<u32>,
}

/// 清算 figures of a municipality: what it pays, independent of any one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// 運営負担金: the annual contribution to J-LIS for running the service, yen per
    /// 年度; not charged per transaction.
    pub annual_operating_contribution: u64,
    /// 委託手数料 per printed copy before consumption tax, yen, as contracted with every
    /// store operator.
    pub commission_per_copy_excluding_tax: u32,
    /// 事業者コード of the store operators whose terminals issue for the municipality.
    pub operators: Vec<String>,
}

/// 利用者制限 the municipality claims to enforce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restrictions {
    /// Minimum age in full years on the JST reception date; none when absent.
    #[serde(default)]
    pub age_limit: Option<u8>,
    /// DV等支援措置: kiosk issuance stops for protected persons.
    pub dv_protection: bool,
    /// 戸籍 for residents of other municipalities after an approved 利用登録申請.
    pub koseki_for_non_residents: bool,
}

/// One offered type, with its fee and options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateOffer {
    /// The type.
    #[serde(rename = "type")]
    pub certificate: CertificateType,
    /// 交付手数料 per copy, yen.
    pub fee: u32,
    /// Most copies in one transaction.
    pub max_copies: u8,
    /// 住民票 types: offered scopes.
    #[serde(default)]
    pub scopes: Vec<Scope>,
    /// 住民票 types: 世帯主・続柄 can be shown.
    #[serde(default)]
    pub relationship_option: bool,
    /// 住民票 types: 本籍・筆頭者 can be shown.
    #[serde(default)]
    pub honseki_option: bool,
    /// Tax types: offered 年度.
    #[serde(default)]
    pub fiscal_years: Vec<u16>,
}

impl Municipality {
    /// Load a profile file.
    pub fn load(path: &Path) -> Result<Self, FixtureError> {
        crate::read_toml(path)
    }

    /// The offer for a type, if the municipality offers it.
    pub fn offer(&self, certificate: CertificateType) -> Option<&CertificateOffer> {
        self.certificates
            .iter()
            .find(|c| c.certificate == certificate)
    }

    /// Whether the municipality is a 住所地 (offers any residence-issued type).
    pub fn serves_residents(&self) -> bool {
        self.certificates
            .iter()
            .any(|c| !c.certificate.issued_by_domicile())
    }
}
