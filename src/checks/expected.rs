//! The 記載事項 a conforming candidate must return, computed from the fixtures alone
//! (never from any candidate's code).

use kofu_fixtures::register::{Person, ResidentStatus};
use kofu_fixtures::{Fixtures, Municipality};
use kofu_profile::content::{Content, ForeignResidentItems, ResidentEntry, ResidentRecord};
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

/// Why an expectation cannot be computed (a scenario asking for something the fixtures
/// do not support: a broken scenario, not a candidate defect).
#[derive(Debug, thiserror::Error)]
pub enum ExpectError {
    /// The holder is not a current resident with a household.
    #[error("person {0} is not a current resident with a household")]
    NotResident(String),
    /// The type has no expectation builder yet.
    #[error("no expectation for certificate type {0}")]
    Unsupported(CertificateType),
    /// A chosen member is not in the household.
    #[error("member {0} is not in the holder's household")]
    UnknownMember(String),
}

/// Expected content of an issuance for `holder`.
pub fn content(
    fixtures: &Fixtures,
    _municipality: &Municipality,
    holder: &Person,
    certificate: CertificateType,
    options: &IssuanceOptions,
) -> Result<Content, ExpectError> {
    match certificate {
        CertificateType::Juminhyo | CertificateType::JuminhyoKisai => {
            resident_record(fixtures, holder, options).map(Content::ResidentRecord)
        }
        other => Err(ExpectError::Unsupported(other)),
    }
}

fn resident_record(
    fixtures: &Fixtures,
    holder: &Person,
    options: &IssuanceOptions,
) -> Result<ResidentRecord, ExpectError> {
    let register = &fixtures.register;
    let household = register
        .residence_of(holder)
        .ok_or_else(|| ExpectError::NotResident(holder.id.clone()))?;
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

/// Names that must appear, with their exact code points, in the document.
pub fn printed_names(content: &Content) -> Vec<String> {
    match content {
        Content::ResidentRecord(r) => r.persons.iter().map(|p| p.name.clone()).collect(),
        Content::SealRegistration(s) => vec![s.name.clone()],
        Content::Tax(t) => vec![t.name.clone()],
        Content::FamilyRegister(k) => k.persons.iter().map(|p| p.name.clone()).collect(),
        Content::FamilyRegisterAnnex(a) => a.persons.iter().map(|p| p.name.clone()).collect(),
    }
}
