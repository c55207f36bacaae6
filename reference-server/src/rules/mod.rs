//! 利用者制限 and the claims: who may be issued what, here and now.
//!
//! - [`eligibility`]: what the menu offers a card holder (age, DV等支援措置, 消除者,
//!   印鑑 state, assessed tax years, 本籍地 and 利用登録申請).
//! - [`request`]: whether an issuance request fits its type and the municipality's
//!   claims, and whether it is something the menu would offer this holder.
//!
//! Decisions are returned as [`Denial`]s; the operation layer turns them into error
//! responses, so a refusal never names its reason unless a defect switch says so.

pub mod eligibility;
pub mod request;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::defects::{Defect, Defects};

/// Why a holder gets nothing (or not this) here. Only ever logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The card maps to no person.
    UnknownCard,
    /// 死亡: a deceased person's card.
    Deceased,
    /// Below the municipality's age limit on the reception date.
    UnderAge,
    /// DV等支援措置.
    DvProtected,
    /// Neither a resident here nor a person whose open 戸籍 is kept here.
    NoRecordHere,
    /// The menu does not offer this type to this holder (消除者, 印鑑, ...).
    NotOnMenu,
    /// The 年度 was not assessed for this holder.
    TaxYearNotAssessed,
    /// 世帯全員 would list a household member under DV等支援措置.
    ProtectedMemberInHousehold,
}

impl Refusal {
    /// A short word for logs.
    pub fn reason(self) -> &'static str {
        match self {
            Self::UnknownCard => "unknown card",
            Self::Deceased => "deceased",
            Self::UnderAge => "under the age limit",
            Self::DvProtected => "DV等支援措置",
            Self::NoRecordHere => "no record here",
            Self::NotOnMenu => "not on the holder's menu",
            Self::TaxYearNotAssessed => "fiscal year not assessed",
            Self::ProtectedMemberInHousehold => "household lists a protected member",
        }
    }
}

/// Why an issuance request is turned down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// The request does not fit its type or the claimed limits (invalid-request).
    Invalid(String),
    /// The municipality offers this to no one (not-offered).
    NotOffered(String),
    /// A personal refusal (not-issuable).
    NotIssuable(Refusal),
    /// A 本籍地 that needs an approved 利用登録申請 first (registration-required).
    RegistrationRequired,
}

/// The date on which age is counted: the JST date of the reception.
pub fn age_reference_date(reception: &DateTime<FixedOffset>, defects: &Defects) -> NaiveDate {
    if defects.on(Defect::AgeLimitUtc) {
        reception.with_timezone(&Utc).date_naive()
    } else {
        kofu_profile::time::jst_date(reception)
    }
}

/// Whether the assessment of 年度 `fiscal_year` is decided at the reception: from 1 June
/// of that year (JST date of the reception time); before that it is issued to nobody.
pub fn assessment_decided(
    fiscal_year: u16,
    reception: &DateTime<FixedOffset>,
    defects: &Defects,
) -> bool {
    use chrono::Datelike;
    let date = if defects.on(Defect::FiscalYearDecidedUtc) {
        reception.with_timezone(&Utc).date_naive()
    } else {
        kofu_profile::time::jst_date(reception)
    };
    let first_month = if defects.on(Defect::FiscalYearFromApril) {
        4
    } else if defects.on(Defect::FiscalYearFromJuly) {
        7
    } else {
        6
    };
    let year = i32::from(fiscal_year);
    date.year() > year || (date.year() == year && date.month() >= first_month)
}

/// 交付日: the JST date of the reception.
pub fn issue_date(reception: &DateTime<FixedOffset>, defects: &Defects) -> NaiveDate {
    if defects.on(Defect::IssueDateUtc) {
        reception.with_timezone(&Utc).date_naive()
    } else {
        kofu_profile::time::jst_date(reception)
    }
}

/// 業務日: the JST date of the reception, by which records are read.
pub fn business_date(reception: &DateTime<FixedOffset>, defects: &Defects) -> NaiveDate {
    if defects.on(Defect::RecordsDatedUtc) {
        reception.with_timezone(&Utc).date_naive()
    } else {
        kofu_profile::time::jst_date(reception)
    }
}
