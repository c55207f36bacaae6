//! 記載事項: the structured content of an issued certificate.
//!
//! Dates are ISO 8601 calendar dates here; the document prints them in 和暦.
//! Names are legal data: code points must be exactly those of the register
//! (𠮷 U+20BB7 is not 吉 U+5409).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The 記載事項 of one issuance, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Content {
    /// `juminhyo` and `juminhyo-kisai`.
    ResidentRecord(ResidentRecord),
    /// `inkan`.
    SealRegistration(SealRegistration),
    /// `kazei` and `shotoku`.
    Tax(TaxRecord),
    /// `koseki-zenbu` and `koseki-kojin`.
    FamilyRegister(FamilyRegister),
    /// `fuhyo`.
    FamilyRegisterAnnex(FamilyRegisterAnnex),
}

/// 住民票: the household address and the persons listed, in register order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResidentRecord {
    /// 住所.
    pub address: String,
    /// 世帯主: shown only with `show_relationship`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_head: Option<String>,
    /// The persons listed.
    pub persons: Vec<ResidentEntry>,
}

/// One person on a 住民票.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResidentEntry {
    /// 氏名.
    pub name: String,
    /// 氏名の振り仮名 in katakana.
    pub kana: String,
    /// 生年月日.
    pub birth_date: chrono::NaiveDate,
    /// 性別: `男` or `女`.
    pub sex: String,
    /// 続柄: shown only with `show_relationship`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    /// 住民となった日.
    pub resident_since: chrono::NaiveDate,
    /// 本籍: shown only with `show_honseki`, Japanese nationals only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honseki: Option<String>,
    /// 筆頭者: shown only with `show_honseki`, Japanese nationals only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hittosha: Option<String>,
    /// 外国人住民: the items printed instead of 本籍.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign: Option<ForeignResidentItems>,
}

/// Items of a 外国人住民 printed instead of 本籍・筆頭者.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ForeignResidentItems {
    /// 国籍・地域.
    pub nationality: String,
    /// 在留資格.
    pub residence_status: String,
    /// 在留期間の満了の日.
    pub period_of_stay_until: chrono::NaiveDate,
    /// 通称, where registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tsusho: Option<String>,
}

/// 印鑑登録証明書.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SealRegistration {
    /// 氏名.
    pub name: String,
    /// 生年月日.
    pub birth_date: chrono::NaiveDate,
    /// 住所.
    pub address: String,
    /// 印鑑登録番号.
    pub registration_number: String,
}

/// 課税(非課税)証明書 / 所得証明書.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TaxRecord {
    /// 年度 of the assessment.
    pub fiscal_year: u16,
    /// The calendar year of the income (年度 - 1).
    pub income_year: u16,
    /// 氏名.
    pub name: String,
    /// 住所 (as of 1 January of the fiscal year).
    pub address: String,
    /// 合計所得金額, yen.
    pub total_income: u64,
    /// 市町村民税 (所得割 + 均等割), yen; 0 when 非課税.
    pub municipal_tax: u64,
    /// 道府県民税, yen; 0 when 非課税.
    pub prefectural_tax: u64,
}

/// 戸籍全部事項証明書 / 戸籍個人事項証明書.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FamilyRegister {
    /// 本籍.
    pub honseki: String,
    /// 筆頭者.
    pub hittosha: String,
    /// Persons listed: all (全部事項) or the holder (個人事項).
    pub persons: Vec<FamilyRegisterEntry>,
}

/// One person in a 戸籍.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FamilyRegisterEntry {
    /// 氏名.
    pub name: String,
    /// 生年月日.
    pub birth_date: chrono::NaiveDate,
    /// 性別: `男` or `女`.
    pub sex: String,
    /// 続柄 within the register (夫, 妻, 長男, ...).
    pub relationship: String,
    /// 父.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub father: Option<String>,
    /// 母.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother: Option<String>,
}

/// 戸籍の附票の写し: the address history of each person in a 戸籍.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FamilyRegisterAnnex {
    /// 本籍.
    pub honseki: String,
    /// 筆頭者.
    pub hittosha: String,
    /// One entry per person.
    pub persons: Vec<AnnexEntry>,
}

/// Address history of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnexEntry {
    /// 氏名.
    pub name: String,
    /// Addresses, oldest first.
    pub addresses: Vec<AnnexAddress>,
}

/// One address in a 附票.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnexAddress {
    /// 住所.
    pub address: String,
    /// 住所を定めた日.
    pub since: chrono::NaiveDate,
}
