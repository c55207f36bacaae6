//! 記載事項: what each certificate type says, taken from the fixtures.
//!
//! [`build`] produces the structured [`Content`] returned with the issuance;
//! [`print`] turns that same content into the [`crate::document::PrintDocument`] that
//! is rendered, so the PDF prints exactly the returned values.

pub mod print;

use kofu_fixtures::register::{FamilyRegisterRecord, ResidentStatus};
use kofu_fixtures::{Fixtures, Household, Person};
use kofu_profile::content::{
    AnnexAddress, AnnexEntry, Content, FamilyRegister, FamilyRegisterAnnex, FamilyRegisterEntry,
    ForeignResidentItems, ResidentEntry, ResidentRecord, SealRegistration, TaxRecord,
};
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

use crate::defects::{Defect, Defects};

/// Fixture data a certificate needs but cannot find.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A residence type for someone without a household.
    #[error("person {0} has no household to certify")]
    NoHousehold(String),
    /// A 戸籍 type for someone without a family register.
    #[error("person {0} has no family register")]
    NoFamilyRegister(String),
    /// A reference to a person that does not exist.
    #[error("unknown person {0}")]
    UnknownPerson(String),
}

/// The holder and where they are recorded.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The fixtures.
    pub fixtures: &'a Fixtures,
    /// Defect switches.
    pub defects: &'a Defects,
    /// The card holder.
    pub holder: &'a Person,
    /// The holder's household here, for residence types.
    pub household: Option<&'a Household>,
    /// The holder's 戸籍, for 本籍地 types.
    pub family_register: Option<&'a FamilyRegisterRecord>,
}

/// Content plus the persons a 住民票 lists, in order (for the print layer).
#[derive(Debug, Clone)]
pub struct Built<'a> {
    /// The 記載事項.
    pub content: Content,
    /// 住民票 types: the persons of `content`, in the same order.
    pub listed: Vec<&'a Person>,
}

/// A name or フリガナ as it comes back from the store: the register's exact code points.
fn stored_text(defects: &Defects, text: &str) -> String {
    if defects.on(Defect::NamesNfcNormalised) {
        use unicode_normalization::UnicodeNormalization as _;
        return text.nfc().collect();
    }
    text.to_owned()
}

/// A name as the register holds it (legal data: exact code points).
fn legal_name(defects: &Defects, name: &str) -> String {
    let name = stored_text(defects, name);
    if !defects.on(Defect::KanjiSubstituted) {
        return name;
    }
    name.chars()
        .map(|c| match c {
            '\u{20BB7}' => '吉',
            '髙' => '高',
            '\u{FA11}' => '崎',
            '德' => '徳',
            other => other,
        })
        .collect()
}

impl<'a> Subject<'a> {
    fn name(&self, name: &str) -> String {
        legal_name(self.defects, name)
    }

    fn person(&self, id: &str) -> Result<&'a Person, ContentError> {
        self.fixtures
            .register
            .person(id)
            .ok_or_else(|| ContentError::UnknownPerson(id.to_owned()))
    }

    fn household(&self) -> Result<&'a Household, ContentError> {
        self.household
            .ok_or_else(|| ContentError::NoHousehold(self.holder.id.clone()))
    }

    fn family_register(&self) -> Result<&'a FamilyRegisterRecord, ContentError> {
        self.family_register
            .ok_or_else(|| ContentError::NoFamilyRegister(self.holder.id.clone()))
    }
}

/// Build the 記載事項 of a certificate for the subject.
pub fn build<'a>(
    subject: &Subject<'a>,
    certificate: CertificateType,
    options: &IssuanceOptions,
    municipality: &str,
) -> Result<Built<'a>, ContentError> {
    let mut listed = Vec::new();
    let content = match certificate {
        CertificateType::Juminhyo | CertificateType::JuminhyoKisai => {
            let (record, persons) = resident_record(subject, options)?;
            listed = persons;
            Content::ResidentRecord(record)
        }
        CertificateType::Inkan => Content::SealRegistration(seal(subject)?),
        CertificateType::Kazei | CertificateType::Shotoku => Content::Tax(tax(
            subject,
            options.fiscal_year.unwrap_or_default(),
            municipality,
        )?),
        CertificateType::KosekiZenbu => Content::FamilyRegister(family_register(subject, true)?),
        CertificateType::KosekiKojin => Content::FamilyRegister(family_register(subject, false)?),
        CertificateType::Fuhyo => Content::FamilyRegisterAnnex(annex(subject)?),
    };
    Ok(Built { content, listed })
}

/// Who a 世帯全員 lists: the current members in register order.
fn household_listing<'a>(subject: &Subject<'a>, household: &'a Household) -> Vec<&'a Person> {
    let register = &subject.fixtures.register;
    if subject.defects.on(Defect::HouseholdOnlyHolder) {
        return vec![subject.holder];
    }
    let with_removed = subject.defects.on(Defect::RemovedPersonListed);
    register
        .household_members(&household.id)
        .filter(|p| with_removed || p.status == ResidentStatus::Resident)
        .collect()
}

fn resident_record<'a>(
    subject: &Subject<'a>,
    options: &IssuanceOptions,
) -> Result<(ResidentRecord, Vec<&'a Person>), ContentError> {
    let household = subject.household()?;
    let scope = options.scope.unwrap_or(Scope::Holder);
    let mut listed: Vec<&Person> = match scope {
        Scope::Holder => vec![subject.holder],
        Scope::Household => household_listing(subject, household),
        Scope::Members => subject
            .fixtures
            .register
            .household_members(&household.id)
            .filter(|p| p.status == ResidentStatus::Resident)
            .filter(|p| {
                subject.defects.on(Defect::MembersScopeWholeHousehold)
                    || options.members.contains(&p.id)
            })
            .collect(),
    };
    if scope != Scope::Holder && subject.defects.on(Defect::HouseholdSortedByBirth) {
        listed.sort_by_key(|p| p.birth_date);
    }
    let household_head =
        if options.show_relationship || subject.defects.on(Defect::HouseholdHeadAlwaysPrinted) {
            Some(subject.name(&subject.person(&household.head)?.name))
        } else {
            None
        };
    let persons = listed
        .iter()
        .map(|p| resident_entry(subject, p, options))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((
        ResidentRecord {
            address: household.address.clone(),
            household_head,
            persons,
        },
        listed,
    ))
}

fn resident_entry(
    subject: &Subject<'_>,
    p: &Person,
    options: &IssuanceOptions,
) -> Result<ResidentEntry, ContentError> {
    let register = &subject.fixtures.register;
    let show_honseki = options.show_honseki && !subject.defects.on(Defect::HonsekiOptionIgnored);
    let (honseki, hittosha) = match p.family_register.as_deref() {
        Some(k) if show_honseki && p.foreign.is_none() => match register.family_register(k) {
            Some(k) => (
                Some(k.honseki.clone()),
                Some(subject.name(&subject.person(&k.hittosha)?.name)),
            ),
            None => (None, None),
        },
        _ => (None, None),
    };
    Ok(ResidentEntry {
        name: subject.name(&p.name),
        kana: stored_text(subject.defects, &p.kana),
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
            tsusho: if subject.defects.on(Defect::ForeignAliasOmitted) {
                None
            } else {
                f.tsusho.clone()
            },
        }),
    })
}

fn seal(subject: &Subject<'_>) -> Result<SealRegistration, ContentError> {
    let holder = subject.holder;
    Ok(SealRegistration {
        name: subject.name(&holder.name),
        birth_date: holder.birth_date,
        address: subject.household()?.address.clone(),
        registration_number: holder.seal_number.clone().unwrap_or_default(),
    })
}

fn tax(
    subject: &Subject<'_>,
    fiscal_year: u16,
    municipality: &str,
) -> Result<TaxRecord, ContentError> {
    let holder = subject.holder;
    let assessed_year = if subject.defects.on(Defect::TaxAssessmentByIncomeYear) {
        fiscal_year.saturating_sub(1)
    } else {
        fiscal_year
    };
    let assessment = holder
        .tax
        .iter()
        .find(|t| t.municipality == municipality && t.fiscal_year == assessed_year);
    Ok(TaxRecord {
        fiscal_year,
        income_year: fiscal_year.saturating_sub(1),
        name: subject.name(&holder.name),
        address: tax_address(subject, fiscal_year)?,
        total_income: assessment.map_or(0, |a| a.total_income),
        municipal_tax: assessment.map_or(0, |a| a.municipal_tax),
        prefectural_tax: assessment.map_or(0, |a| a.prefectural_tax),
    })
}

/// The address a tax certificate prints: where the holder lived on 1 January of the
/// 年度 (the assessment date), from the 附票 history; the household address when no
/// history is recorded.
fn tax_address(subject: &Subject<'_>, fiscal_year: u16) -> Result<String, ContentError> {
    let current = subject.household()?.address.clone();
    if subject.defects.on(Defect::TaxCurrentAddress) {
        return Ok(current);
    }
    let assessed_on = chrono::NaiveDate::from_ymd_opt(i32::from(fiscal_year), 1, 1);
    let on_file = assessed_on.and_then(|day| {
        subject
            .holder
            .addresses
            .iter()
            .rfind(|a| a.since <= day)
            .map(|a| a.address.clone())
    });
    Ok(on_file.unwrap_or(current))
}

fn family_register(subject: &Subject<'_>, all: bool) -> Result<FamilyRegister, ContentError> {
    let k = subject.family_register()?;
    let mut persons = Vec::new();
    for m in &k.members {
        let only_holder = !all && !subject.defects.on(Defect::KosekiKojinListsAll);
        if only_holder && m.person != subject.holder.id {
            continue;
        }
        let p = subject.person(&m.person)?;
        persons.push(FamilyRegisterEntry {
            name: subject.name(&p.name),
            birth_date: p.birth_date,
            sex: p.sex.printed().to_owned(),
            relationship: m.relationship.clone(),
            father: m.father.as_deref().map(|n| subject.name(n)),
            mother: m.mother.as_deref().map(|n| subject.name(n)),
        });
    }
    Ok(FamilyRegister {
        honseki: k.honseki.clone(),
        hittosha: subject.name(&subject.person(&k.hittosha)?.name),
        persons,
    })
}

fn annex(subject: &Subject<'_>) -> Result<FamilyRegisterAnnex, ContentError> {
    let k = subject.family_register()?;
    let register = &subject.fixtures.register;
    let mut persons = Vec::new();
    for m in &k.members {
        let p = subject.person(&m.person)?;
        let addresses = if p.addresses.is_empty() {
            p.household
                .as_deref()
                .and_then(|h| register.household(h))
                .map(|h| AnnexAddress {
                    address: h.address.clone(),
                    since: p.resident_since.unwrap_or(p.birth_date),
                })
                .into_iter()
                .collect()
        } else {
            // The history, oldest first; the defect keeps only the last (current) entry.
            let skipped = if subject.defects.on(Defect::FuhyoCurrentAddressOnly) {
                p.addresses.len().saturating_sub(1)
            } else {
                0
            };
            p.addresses
                .iter()
                .skip(skipped)
                .map(|a| AnnexAddress {
                    address: a.address.clone(),
                    since: a.since,
                })
                .collect()
        };
        persons.push(AnnexEntry {
            name: subject.name(&p.name),
            addresses,
        });
    }
    Ok(FamilyRegisterAnnex {
        honseki: k.honseki.clone(),
        hittosha: subject.name(&subject.person(&k.hittosha)?.name),
        persons,
    })
}
