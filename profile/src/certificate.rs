//! Certificate type codes (証明書の種類) and the options a resident chooses.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// 証明書の種類: the certificate type codes used on the wire, in the CLI and in fixtures.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CertificateType {
    /// 住民票の写し
    Juminhyo,
    /// 住民票記載事項証明書
    JuminhyoKisai,
    /// 印鑑登録証明書
    Inkan,
    /// 課税(非課税)証明書
    Kazei,
    /// 所得証明書
    Shotoku,
    /// 戸籍全部事項証明書
    KosekiZenbu,
    /// 戸籍個人事項証明書
    KosekiKojin,
    /// 戸籍の附票の写し
    Fuhyo,
}

impl CertificateType {
    /// Every type, in menu order.
    pub const ALL: [CertificateType; 8] = [
        Self::Juminhyo,
        Self::JuminhyoKisai,
        Self::Inkan,
        Self::Kazei,
        Self::Shotoku,
        Self::KosekiZenbu,
        Self::KosekiKojin,
        Self::Fuhyo,
    ];

    /// The wire code, e.g. `juminhyo`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Juminhyo => "juminhyo",
            Self::JuminhyoKisai => "juminhyo-kisai",
            Self::Inkan => "inkan",
            Self::Kazei => "kazei",
            Self::Shotoku => "shotoku",
            Self::KosekiZenbu => "koseki-zenbu",
            Self::KosekiKojin => "koseki-kojin",
            Self::Fuhyo => "fuhyo",
        }
    }

    /// Parse a wire code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// A type named by its wire code (`juminhyo`) or its Japanese title (住民票の写し),
    /// as scenarios and the command line name it.
    pub fn from_code_or_title(name: &str) -> Option<Self> {
        Self::from_code(name).or_else(|| Self::ALL.into_iter().find(|t| t.title() == name))
    }

    /// The Japanese name printed as the certificate's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Juminhyo => "住民票の写し",
            Self::JuminhyoKisai => "住民票記載事項証明書",
            Self::Inkan => "印鑑登録証明書",
            Self::Kazei => "課税(非課税)証明書",
            Self::Shotoku => "所得証明書",
            Self::KosekiZenbu => "戸籍全部事項証明書",
            Self::KosekiKojin => "戸籍個人事項証明書",
            Self::Fuhyo => "戸籍の附票の写し",
        }
    }

    /// 証明文: the certification sentence the certificate must carry.
    pub fn certification_statement(self) -> &'static str {
        match self {
            Self::Juminhyo => "この写しは、住民票の原本と相違ないことを証明する。",
            Self::JuminhyoKisai => "上記の事項は、住民票に記載されていることを証明する。",
            Self::Inkan => "この写しは、登録されている印影と相違ないことを証明する。",
            Self::Kazei => "上記のとおり課税(非課税)であることを証明する。",
            Self::Shotoku => "上記のとおり所得額を証明する。",
            Self::KosekiZenbu => "これは、戸籍に記録されている事項の全部を証明した書面である。",
            Self::KosekiKojin => {
                "これは、戸籍中の一部の者について記録されている事項を証明した書面である。"
            }
            Self::Fuhyo => "この写しは、戸籍の附票の原本と相違ないことを証明する。",
        }
    }

    /// Whether the 本籍地 (family-register domicile) issues this type; otherwise the
    /// 住所地 (residence) or, for tax, the assessing municipality does.
    pub fn issued_by_domicile(self) -> bool {
        matches!(self, Self::KosekiZenbu | Self::KosekiKojin | Self::Fuhyo)
    }

    /// Whether this is a tax certificate, which takes a fiscal year.
    pub fn is_tax(self) -> bool {
        matches!(self, Self::Kazei | Self::Shotoku)
    }

    /// Whether this is a 住民票 type, which takes a scope and display options.
    pub fn is_resident_record(self) -> bool {
        matches!(self, Self::Juminhyo | Self::JuminhyoKisai)
    }
}

impl std::fmt::Display for CertificateType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for CertificateType {
    type Err = UnknownCertificateType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(s).ok_or_else(|| UnknownCertificateType(s.to_owned()))
    }
}

/// A certificate type code that is not in the profile.
#[derive(Debug, thiserror::Error)]
#[error("unknown certificate type code `{0}`")]
pub struct UnknownCertificateType(pub String);

/// Who a 住民票 lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// 本人のみ: the card holder only.
    #[serde(rename = "self")]
    Holder,
    /// 世帯全員: every current member of the household (never 消除者).
    Household,
    /// 世帯の一部: the members chosen in [`IssuanceOptions::members`].
    Members,
}

impl Scope {
    /// The wire name: `self`, `household`, `members`.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Holder => "self",
            Self::Household => "household",
            Self::Members => "members",
        }
    }
}

/// The wire name, as in the profile (`self`, `household`, `members`).
impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.wire())
    }
}

/// The options in the profile's words: `scope=household, show_relationship,
/// fiscal_year=2026`; `none` when nothing is chosen.
impl std::fmt::Display for IssuanceOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(scope) = self.scope {
            parts.push(format!("scope={scope}"));
        }
        if !self.members.is_empty() {
            parts.push(format!("members={}", self.members.join(",")));
        }
        if self.show_relationship {
            parts.push("show_relationship".to_owned());
        }
        if self.show_honseki {
            parts.push("show_honseki".to_owned());
        }
        if let Some(year) = self.fiscal_year {
            parts.push(format!("fiscal_year={year}"));
        }
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// What the resident chose at the terminal. Fields that do not apply to the chosen type
/// must be absent or at their defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuanceOptions {
    /// 住民票 types: who is listed. Required for those types.
    #[serde(
        default,
        deserialize_with = "crate::request::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Scope")]
    pub scope: Option<Scope>,
    /// With scope `members`: the member ids from the menu, holder included if wanted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// 住民票 types: print 世帯主の氏名 and 続柄.
    #[serde(default, skip_serializing_if = "is_false")]
    pub show_relationship: bool,
    /// 住民票 types: print 本籍 and 筆頭者 (国籍・地域 etc. for foreign residents are always printed).
    #[serde(default, skip_serializing_if = "is_false")]
    pub show_honseki: bool,
    /// Tax types: 年度 (fiscal year) of the assessment. Required for those types.
    #[serde(
        default,
        deserialize_with = "crate::request::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "u16")]
    pub fiscal_year: Option<u16>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in CertificateType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.code()));
            assert_eq!(t.code().parse::<CertificateType>().unwrap(), t);
        }
        assert!("juminhyou".parse::<CertificateType>().is_err());
    }

    #[test]
    fn titles_name_types_too() {
        for t in CertificateType::ALL {
            assert_eq!(CertificateType::from_code_or_title(t.title()), Some(t));
            assert_eq!(CertificateType::from_code_or_title(t.code()), Some(t));
        }
        assert_eq!(CertificateType::from_code_or_title("住民票"), None);
    }

    #[test]
    fn scope_self_is_spelled_self() {
        assert_eq!(serde_json::to_string(&Scope::Holder).unwrap(), "\"self\"");
    }
}
