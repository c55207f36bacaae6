//! The 記載事項 a conforming candidate must return, computed from the fixtures alone
//! (never from any candidate's code), following `profile/README.md` (記載事項 content
//! kinds).
//!
//! Where the register records less (no 住民となった日, no address history), the profile
//! decides the content ("記載事項 content kinds": "Where the register records less"); the
//! code here follows those rules, not the reference server.

use chrono::NaiveDate;
use kofu_fixtures::register::{FamilyRegisterRecord, Person, ResidentStatus};
use kofu_fixtures::{Fixtures, Municipality};
use kofu_profile::content::{
    AnnexAddress, AnnexEntry, Content, FamilyRegister, FamilyRegisterAnnex, FamilyRegisterEntry,
    ForeignResidentItems, ResidentEntry, ResidentRecord, SealRegistration, TaxRecord,
};
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

pub mod as_of;
pub mod fiscal_year;
mod printed;

pub use printed::{Printed, printed_names, printed_values};

/// Why an expectation cannot be computed (a scenario asking for something the fixtures
/// do not support: a broken scenario, not a candidate defect).
#[derive(Debug, thiserror::Error)]
pub enum ExpectError {
    /// The holder is not a current resident with a household.
    #[error("person {0} is not a current resident with a household")]
    NotResident(String),
    /// The holder does not live in the issuing municipality.
    #[error("person {0} does not live in municipality {1}")]
    ResidentElsewhere(String, String),
    /// A chosen member is not in the household.
    #[error("member {0} is not in the holder's household")]
    UnknownMember(String),
    /// No active 印鑑登録.
    #[error("person {0} has no active seal registration")]
    NoSeal(String),
    /// No assessment by this municipality for the year.
    #[error("person {0} has no assessment by {1} for 年度 {2}")]
    NoAssessment(String, String, u16),
    /// A tax type requested without a fiscal year.
    #[error("a tax certificate needs a fiscal year (年度 … を選ぶ)")]
    NoFiscalYear,
    /// No address known on the date.
    #[error("person {0} has no known address on {1}")]
    NoAddressOn(String, NaiveDate),
    /// No family register, or one kept by another municipality.
    #[error("person {0} has no family register kept by {1}")]
    NoFamilyRegister(String, String),
    /// The register names a person the fixtures do not have.
    #[error("unknown person {0}")]
    UnknownPerson(String),
}

/// Expected content of an issuance for `holder` by `municipality`.
///
/// For scope `members`, `options.members` are **person ids** (the scenario's choice),
/// not the candidate's opaque member ids.
pub fn content(
    fixtures: &Fixtures,
    municipality: &Municipality,
    holder: &Person,
    certificate: CertificateType,
    options: &IssuanceOptions,
) -> Result<Content, ExpectError> {
    match certificate {
        CertificateType::Juminhyo | CertificateType::JuminhyoKisai => {
            resident_record(fixtures, municipality, holder, options).map(Content::ResidentRecord)
        }
        CertificateType::Inkan => {
            seal_registration(fixtures, municipality, holder).map(Content::SealRegistration)
        }
        CertificateType::Kazei | CertificateType::Shotoku => {
            let year = options.fiscal_year.ok_or(ExpectError::NoFiscalYear)?;
            tax_record(fixtures, municipality, holder, year).map(Content::Tax)
        }
        CertificateType::KosekiZenbu => {
            family_register(fixtures, municipality, holder, true).map(Content::FamilyRegister)
        }
        CertificateType::KosekiKojin => {
            family_register(fixtures, municipality, holder, false).map(Content::FamilyRegister)
        }
        CertificateType::Fuhyo => {
            annex(fixtures, municipality, holder).map(Content::FamilyRegisterAnnex)
        }
    }
}

/// The holder's household, which must be in the issuing municipality.
fn household_here<'a>(
    fixtures: &'a Fixtures,
    municipality: &Municipality,
    holder: &Person,
) -> Result<&'a kofu_fixtures::Household, ExpectError> {
    let household = fixtures
        .register
        .residence_of(holder)
        .ok_or_else(|| ExpectError::NotResident(holder.id.clone()))?;
    if household.municipality != municipality.code {
        return Err(ExpectError::ResidentElsewhere(
            holder.id.clone(),
            municipality.code.clone(),
        ));
    }
    Ok(household)
}

fn resident_record(
    fixtures: &Fixtures,
    municipality: &Municipality,
    holder: &Person,
    options: &IssuanceOptions,
) -> Result<ResidentRecord, ExpectError> {
    let register = &fixtures.register;
    let household = household_here(fixtures, municipality, holder)?;
    let current: Vec<&Person> = register
        .household_members(&household.id)
        .filter(|p| p.status == ResidentStatus::Resident)
        .collect();
    let listed: Vec<&Person> = match options.scope.unwrap_or(Scope::Holder) {
        Scope::Holder => vec![holder],
        Scope::Household => current.clone(),
        Scope::Members => {
            for id in &options.members {
                if !current.iter().any(|p| &p.id == id) {
                    return Err(ExpectError::UnknownMember(id.clone()));
                }
            }
            current
                .iter()
                .copied()
                .filter(|p| options.members.contains(&p.id))
                .collect()
        }
    };
    let head = register.person(&household.head);
    Ok(ResidentRecord {
        address: household.address.clone(),
        household_head: options
            .show_relationship
            .then(|| head.map(|h| h.name.clone()))
            .flatten(),
        persons: listed
            .into_iter()
            .map(|p| resident_entry(fixtures, p, options))
            .collect(),
    })
}

fn resident_entry(fixtures: &Fixtures, p: &Person, options: &IssuanceOptions) -> ResidentEntry {
    let family = p
        .family_register
        .as_deref()
        .and_then(|k| fixtures.register.family_register(k));
    let (honseki, hittosha) = match family {
        Some(k) if options.show_honseki && p.foreign.is_none() => (
            Some(k.honseki.clone()),
            fixtures
                .register
                .person(&k.hittosha)
                .map(|h| h.name.clone()),
        ),
        _ => (None, None),
    };
    ResidentEntry {
        name: p.name.clone(),
        kana: p.kana.clone(),
        birth_date: p.birth_date,
        sex: p.sex.printed().to_owned(),
        relationship: if options.show_relationship {
            p.relationship.clone()
        } else {
            None
        },
        resident_since: p.resident_since.unwrap_or(p.birth_date),
        honseki,
        hittosha,
        foreign: p.foreign.as_ref().map(|f| ForeignResidentItems {
            nationality: f.nationality.clone(),
            residence_status: f.residence_status.clone(),
            period_of_stay_until: f.period_of_stay_until,
            tsusho: f.tsusho.clone(),
        }),
    }
}

fn seal_registration(
    fixtures: &Fixtures,
    municipality: &Municipality,
    holder: &Person,
) -> Result<SealRegistration, ExpectError> {
    let household = household_here(fixtures, municipality, holder)?;
    let number = match (holder.seal, &holder.seal_number) {
        (kofu_fixtures::register::SealState::Active, Some(n)) => n.clone(),
        _ => return Err(ExpectError::NoSeal(holder.id.clone())),
    };
    Ok(SealRegistration {
        name: holder.name.clone(),
        birth_date: holder.birth_date,
        address: household.address.clone(),
        registration_number: number,
    })
}

/// The person's address on `date`: from the 附票 history when there is one (the
/// entry in force that day), else the current household address.
pub fn address_on(fixtures: &Fixtures, person: &Person, date: NaiveDate) -> Option<String> {
    if person.addresses.is_empty() {
        return person
            .household
            .as_deref()
            .and_then(|h| fixtures.register.household(h))
            .map(|h| h.address.clone());
    }
    person
        .addresses
        .iter()
        .rfind(|a| a.since <= date)
        .map(|a| a.address.clone())
}

fn tax_record(
    fixtures: &Fixtures,
    municipality: &Municipality,
    holder: &Person,
    fiscal_year: u16,
) -> Result<TaxRecord, ExpectError> {
    household_here(fixtures, municipality, holder)?;
    let assessment = holder
        .tax
        .iter()
        .find(|t| t.municipality == municipality.code && t.fiscal_year == fiscal_year)
        .ok_or_else(|| {
            ExpectError::NoAssessment(holder.id.clone(), municipality.code.clone(), fiscal_year)
        })?;
    // The profile: "address (as of 1 January of the 年度)".
    let first_of_january = NaiveDate::from_ymd_opt(i32::from(fiscal_year), 1, 1)
        .expect("1 January exists in every year");
    let address = address_on(fixtures, holder, first_of_january)
        .ok_or_else(|| ExpectError::NoAddressOn(holder.id.clone(), first_of_january))?;
    Ok(TaxRecord {
        fiscal_year,
        income_year: fiscal_year - 1,
        name: holder.name.clone(),
        address,
        total_income: assessment.total_income,
        municipal_tax: assessment.municipal_tax,
        prefectural_tax: assessment.prefectural_tax,
    })
}

/// The holder's 戸籍, which must be kept by the issuing municipality.
fn register_here<'a>(
    fixtures: &'a Fixtures,
    municipality: &Municipality,
    holder: &Person,
) -> Result<&'a FamilyRegisterRecord, ExpectError> {
    holder
        .family_register
        .as_deref()
        .and_then(|k| fixtures.register.family_register(k))
        .filter(|k| k.municipality == municipality.code)
        .ok_or_else(|| ExpectError::NoFamilyRegister(holder.id.clone(), municipality.code.clone()))
}

fn person<'a>(fixtures: &'a Fixtures, id: &str) -> Result<&'a Person, ExpectError> {
    fixtures
        .register
        .person(id)
        .ok_or_else(|| ExpectError::UnknownPerson(id.to_owned()))
}

fn family_register(
    fixtures: &Fixtures,
    municipality: &Municipality,
    holder: &Person,
    all: bool,
) -> Result<FamilyRegister, ExpectError> {
    let k = register_here(fixtures, municipality, holder)?;
    let mut persons = Vec::new();
    for m in k.members.iter().filter(|m| all || m.person == holder.id) {
        let p = person(fixtures, &m.person)?;
        persons.push(FamilyRegisterEntry {
            name: p.name.clone(),
            birth_date: p.birth_date,
            sex: p.sex.printed().to_owned(),
            relationship: m.relationship.clone(),
            father: m.father.clone(),
            mother: m.mother.clone(),
        });
    }
    Ok(FamilyRegister {
        honseki: k.honseki.clone(),
        hittosha: person(fixtures, &k.hittosha)?.name.clone(),
        persons,
    })
}

fn annex(
    fixtures: &Fixtures,
    municipality: &Municipality,
    holder: &Person,
) -> Result<FamilyRegisterAnnex, ExpectError> {
    let k = register_here(fixtures, municipality, holder)?;
    let mut persons = Vec::new();
    for m in &k.members {
        let p = person(fixtures, &m.person)?;
        persons.push(AnnexEntry {
            name: p.name.clone(),
            addresses: annex_addresses(fixtures, p),
        });
    }
    Ok(FamilyRegisterAnnex {
        honseki: k.honseki.clone(),
        hittosha: person(fixtures, &k.hittosha)?.name.clone(),
        persons,
    })
}

/// The 附票 history of a person, oldest first; for a person without a recorded history,
/// the current household address since 住民となった日, and nothing for a person without
/// a household (profile, "Where the register records less").
fn annex_addresses(fixtures: &Fixtures, p: &Person) -> Vec<AnnexAddress> {
    if !p.addresses.is_empty() {
        return p
            .addresses
            .iter()
            .map(|a| AnnexAddress {
                address: a.address.clone(),
                since: a.since,
            })
            .collect();
    }
    p.household
        .as_deref()
        .and_then(|h| fixtures.register.household(h))
        .map(|h| AnnexAddress {
            address: h.address.clone(),
            since: p.resident_since.unwrap_or(p.birth_date),
        })
        .into_iter()
        .collect()
}

/// Whether every member of the holder's 戸籍 has a recorded 附票 history, so that the
/// expected 附票 does not depend on the fallback the profile leaves open.
pub fn annex_fully_recorded(fixtures: &Fixtures, holder: &Person) -> bool {
    holder
        .family_register
        .as_deref()
        .and_then(|k| fixtures.register.family_register(k))
        .is_some_and(|k| {
            k.members.iter().all(|m| {
                fixtures
                    .register
                    .person(&m.person)
                    .is_some_and(|p| !p.addresses.is_empty())
            })
        })
}

#[cfg(test)]
mod tests;
