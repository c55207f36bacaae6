//! The test register (`fixtures/residents/register.toml`): households, persons, family
//! registers (戸籍) and tax assessments. Every name, address and number is synthetic.

use chrono::NaiveDate;
use kofu_profile::registration::RegistrationStatus;
use serde::{Deserialize, Serialize};

use crate::FixtureError;

/// The whole register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// Households (世帯).
    pub households: Vec<Household>,
    /// Persons, in register order within each household.
    pub persons: Vec<Person>,
    /// Family registers (戸籍).
    pub family_registers: Vec<FamilyRegisterRecord>,
    /// 利用登録申請 on file with a 本籍地: the id and filing time the 本籍地 recorded, for
    /// every person whose `koseki_registration` is `pending`, `approved` or `rejected`.
    #[serde(default)]
    pub koseki_registrations: Vec<RegistrationOnFile>,
}

/// A 利用登録申請 the 本籍地's register records as filed: the server answers it with
/// this id and filing time (menu state, `GET`, and a repeated filing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationOnFile {
    /// The registration id, e.g. `REG-990002-000042`.
    pub registration_id: String,
    /// The 本籍地 it was filed with.
    pub municipality: String,
    /// The person (register id) who filed it.
    pub person: String,
    /// Its state; equals the person's `koseki_registration`.
    pub status: RegistrationStatus,
    /// When it was filed, `+09:00`.
    pub filed_at: chrono::DateTime<chrono::FixedOffset>,
}

/// 世帯: a household at one address of one municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// Household id, e.g. `H001`.
    pub id: String,
    /// 住所地 municipality code.
    pub municipality: String,
    /// 住所.
    pub address: String,
    /// 世帯主 (person id).
    pub head: String,
}

/// 住民の状態: whether the person is a current resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResidentStatus {
    /// Current resident.
    Resident,
    /// 転出: moved out (消除者).
    MovedOut,
    /// 死亡: deceased (消除者).
    Deceased,
    /// Not on any fixture municipality's resident register (lives elsewhere).
    Elsewhere,
}

/// 印鑑登録 state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SealState {
    /// No registration.
    None,
    /// Active registration.
    Active,
    /// 廃止: abolished.
    Abolished,
}

/// 性別.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
}

impl Sex {
    /// As printed.
    pub fn printed(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
        }
    }
}

/// One person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Person id, e.g. `R001`.
    pub id: String,
    /// 氏名, exact code points.
    pub name: String,
    /// フリガナ.
    pub kana: String,
    /// 生年月日.
    pub birth_date: NaiveDate,
    /// 性別.
    pub sex: Sex,
    /// Resident status.
    pub status: ResidentStatus,
    /// Date of 転出 or 死亡, for 消除者.
    #[serde(default)]
    pub status_date: Option<NaiveDate>,
    /// Household id; absent for [`ResidentStatus::Elsewhere`].
    #[serde(default)]
    pub household: Option<String>,
    /// 続柄 to the 世帯主 (世帯主, 妻, 子, ...).
    #[serde(default)]
    pub relationship: Option<String>,
    /// 住民となった日.
    #[serde(default)]
    pub resident_since: Option<NaiveDate>,
    /// 個人番号 (12 digits, synthetic): must never be printed.
    pub individual_number: String,
    /// 住民票コード (11 digits, synthetic): must never be printed.
    pub resident_code: String,
    /// Family register id (Japanese nationals).
    #[serde(default)]
    pub family_register: Option<String>,
    /// 外国人住民 items.
    #[serde(default)]
    pub foreign: Option<Foreign>,
    /// DV等支援措置: under protection; no kiosk issuance.
    #[serde(default)]
    pub dv_protected: bool,
    /// 印鑑登録.
    #[serde(default = "seal_none")]
    pub seal: SealState,
    /// 印鑑登録番号, when registered.
    #[serde(default)]
    pub seal_number: Option<String>,
    /// 成年被後見人: no 印鑑登録証明書.
    #[serde(default)]
    pub adult_guardianship: bool,
    /// Tax assessments by 年度.
    #[serde(default)]
    pub tax: Vec<TaxAssessment>,
    /// 利用登録申請 with the 本籍地, for a 本籍地 ≠ 住所地.
    #[serde(default)]
    pub koseki_registration: Option<RegistrationStatus>,
    /// Address history for the 附票, oldest first; the last one is current.
    #[serde(default)]
    pub addresses: Vec<AddressEntry>,
}

fn seal_none() -> SealState {
    SealState::None
}

/// 外国人住民 items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Foreign {
    /// 国籍・地域.
    pub nationality: String,
    /// 在留資格.
    pub residence_status: String,
    /// 在留期間の満了の日.
    pub period_of_stay_until: NaiveDate,
    /// 通称.
    #[serde(default)]
    pub tsusho: Option<String>,
}

/// One 年度's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxAssessment {
    /// Assessing municipality code.
    pub municipality: String,
    /// 年度.
    pub fiscal_year: u16,
    /// 合計所得金額.
    pub total_income: u64,
    /// 市町村民税.
    pub municipal_tax: u64,
    /// 道府県民税.
    pub prefectural_tax: u64,
}

/// One address in the 附票 history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressEntry {
    /// 住所.
    pub address: String,
    /// 住所を定めた日.
    pub since: NaiveDate,
}

/// 戸籍 state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FamilyRegisterState {
    /// Open.
    Open,
    /// 除籍 / 転籍: closed, not offered at kiosks.
    Closed,
}

/// 戸籍: a family register kept by its 本籍地.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyRegisterRecord {
    /// Register id, e.g. `K001`.
    pub id: String,
    /// 本籍地 municipality code.
    pub municipality: String,
    /// 本籍.
    pub honseki: String,
    /// 筆頭者 (person id).
    pub hittosha: String,
    /// Open or closed.
    pub state: FamilyRegisterState,
    /// Members in register order.
    pub members: Vec<FamilyMember>,
}

/// A person in a 戸籍.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyMember {
    /// Person id.
    pub person: String,
    /// 続柄 in the register (夫, 妻, 長男, 長女, ...).
    pub relationship: String,
    /// 父's name.
    #[serde(default)]
    pub father: Option<String>,
    /// 母's name.
    #[serde(default)]
    pub mother: Option<String>,
}

impl Register {
    /// The person with this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.persons.iter().find(|p| p.id == id)
    }

    /// The household with this id.
    pub fn household(&self, id: &str) -> Option<&Household> {
        self.households.iter().find(|h| h.id == id)
    }

    /// The family register with this id.
    pub fn family_register(&self, id: &str) -> Option<&FamilyRegisterRecord> {
        self.family_registers.iter().find(|k| k.id == id)
    }

    /// Members of a household in register order, 消除者 included.
    pub fn household_members<'a>(&'a self, household: &'a str) -> impl Iterator<Item = &'a Person> {
        self.persons
            .iter()
            .filter(move |p| p.household.as_deref() == Some(household))
    }

    /// The 住所地 municipality of a current resident.
    pub fn residence_of(&self, person: &Person) -> Option<&Household> {
        if person.status != ResidentStatus::Resident {
            return None;
        }
        person.household.as_deref().and_then(|h| self.household(h))
    }

    /// The person's age in full years on `date` (Japanese law: a year is gained at the
    /// end of the day before the birthday; at day granularity the anniversary rule, with
    /// a 29 February birthday advancing on 1 March in common years).
    pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
        use chrono::Datelike;
        let mut age = date.year() - birth.year();
        let birthday_this_year = NaiveDate::from_ymd_opt(date.year(), birth.month(), birth.day())
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(date.year(), 3, 1).expect("1 March exists"));
        if date < birthday_this_year {
            age -= 1;
        }
        age.max(0) as u32
    }

    /// The 利用登録申請 on file for a person with a 本籍地.
    pub fn registration_on_file(
        &self,
        municipality: &str,
        person: &str,
    ) -> Option<&RegistrationOnFile> {
        self.koseki_registrations
            .iter()
            .find(|r| r.municipality == municipality && r.person == person)
    }

    pub(crate) fn check(&self) -> Result<(), FixtureError> {
        let err = |m: String| Err(FixtureError::Inconsistent(m));
        for p in &self.persons {
            if self.persons.iter().filter(|o| o.id == p.id).count() > 1 {
                return err(format!("person id {} defined twice", p.id));
            }
            if let Some(h) = &p.household
                && self.household(h).is_none()
            {
                return err(format!("person {} names unknown household {h}", p.id));
            }
            if let Some(k) = &p.family_register
                && self.family_register(k).is_none()
            {
                return err(format!("person {} names unknown family register {k}", p.id));
            }
            if p.individual_number.len() != 12 || p.resident_code.len() != 11 {
                return err(format!("person {} has a malformed number", p.id));
            }
        }
        for r in &self.koseki_registrations {
            match self.person(&r.person) {
                Some(p) if p.koseki_registration == Some(r.status) => {}
                _ => {
                    return err(format!(
                        "registration {} does not match the koseki_registration of person {}",
                        r.registration_id, r.person
                    ));
                }
            }
        }
        for p in &self.persons {
            let filed = matches!(
                p.koseki_registration,
                Some(
                    RegistrationStatus::Pending
                        | RegistrationStatus::Approved
                        | RegistrationStatus::Rejected
                )
            );
            let on_file = self
                .koseki_registrations
                .iter()
                .filter(|r| r.person == p.id)
                .count();
            if filed && on_file != 1 {
                return err(format!(
                    "person {} has a filed koseki_registration but {on_file} registrations on file",
                    p.id
                ));
            }
        }
        for h in &self.households {
            if self.person(&h.head).is_none() {
                return err(format!("household {} names unknown head {}", h.id, h.head));
            }
        }
        for k in &self.family_registers {
            for m in &k.members {
                if self.person(&m.person).is_none() {
                    return err(format!(
                        "family register {} names unknown person {}",
                        k.id, m.person
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn age_turns_on_the_birthday() {
        assert_eq!(Register::age_on(d("2011-11-26"), d("2026-11-25")), 14);
        assert_eq!(Register::age_on(d("2011-11-26"), d("2026-11-26")), 15);
    }

    #[test]
    fn leap_day_birthday_advances_on_first_of_march() {
        assert_eq!(Register::age_on(d("2008-02-29"), d("2023-02-28")), 14);
        assert_eq!(Register::age_on(d("2008-02-29"), d("2023-03-01")), 15);
        assert_eq!(Register::age_on(d("2008-02-29"), d("2024-02-29")), 16);
    }
}
