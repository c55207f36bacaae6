//! What a card holder may be issued by one municipality at one reception time.
//!
//! The menu and the issuance decision both come from [`evaluate`], so a request is
//! issued exactly when the menu would offer it.

use chrono::{DateTime, FixedOffset};
use kofu_fixtures::municipality::CertificateOffer;
use kofu_fixtures::register::{
    FamilyRegisterRecord, FamilyRegisterState, ResidentStatus, SealState,
};
use kofu_fixtures::{Fixtures, Household, Municipality, Person, Register};
use kofu_profile::menu::{MemberChoice, MenuItem};
use kofu_profile::registration::RegistrationStatus;
use kofu_profile::{CertificateType, Scope};

use super::{Refusal, age_reference_date};
use crate::defects::{Defect, Defects};

/// Everything a decision reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The fixtures (register, cards).
    pub fixtures: &'a Fixtures,
    /// The municipality answering.
    pub municipality: &'a Municipality,
    /// Defect switches.
    pub defects: &'a Defects,
    /// Defect `feed-dv-holder-only`: persons whose DV等支援措置 came from the feed as a
    /// flag that only the holder check reads.
    pub holder_only_dv: &'a std::collections::BTreeSet<String>,
}

/// The outcome of evaluating a holder.
#[derive(Debug, Clone)]
pub struct Evaluation<'a> {
    /// The holder, when the card maps to one.
    pub person: Option<&'a Person>,
    /// The household, when the holder is served as a resident of this municipality.
    pub residence: Option<&'a Household>,
    /// Offered items in [`CertificateType::ALL`] order.
    pub items: Vec<MenuItem>,
    /// For a 本籍地 where the holder does not live: the 利用登録申請 state.
    pub koseki_registration: Option<RegistrationStatus>,
    /// 戸籍 types would be offered once the 利用登録申請 is approved.
    pub awaiting_registration: bool,
    /// Why nothing at all is offered, for a personal refusal.
    pub refusal: Option<Refusal>,
}

impl Evaluation<'_> {
    fn refused(person: Option<&Person>, refusal: Refusal) -> Evaluation<'_> {
        Evaluation {
            person,
            residence: None,
            items: Vec::new(),
            koseki_registration: None,
            awaiting_registration: false,
            refusal: Some(refusal),
        }
    }

    /// The item for a type, if offered.
    pub fn item(&self, certificate: CertificateType) -> Option<&MenuItem> {
        self.items.iter().find(|i| i.certificate == certificate)
    }
}

/// The household a person is served from as a resident: current residents only.
pub fn residence<'a>(
    register: &'a Register,
    person: &Person,
    defects: &Defects,
) -> Option<&'a Household> {
    let served = match person.status {
        ResidentStatus::Resident => true,
        ResidentStatus::MovedOut => defects.on(Defect::MovedOutServed),
        ResidentStatus::Deceased | ResidentStatus::Elsewhere => false,
    };
    if !served {
        return None;
    }
    person
        .household
        .as_deref()
        .and_then(|h| register.household(h))
}

/// Whether DV等支援措置 stops kiosk issuance for this person here.
pub fn dv_applies(municipality: &Municipality, person: &Person, defects: &Defects) -> bool {
    municipality.restrictions.dv_protection && person.dv_protected && !defects.on(Defect::DvIgnored)
}

fn under_age_limit(age: u32, limit: u8, defects: &Defects) -> bool {
    if defects.on(Defect::AgeLimitOffByOne) {
        age <= u32::from(limit)
    } else {
        age < u32::from(limit)
    }
}

fn seal_usable(person: &Person, defects: &Defects) -> bool {
    let registered = match person.seal {
        SealState::Active => true,
        SealState::Abolished => defects.on(Defect::SealAbolishedIgnored),
        SealState::None => false,
    };
    registered && !person.adult_guardianship
}

fn tax_years(
    offer: &CertificateOffer,
    municipality: &Municipality,
    person: &Person,
    reception: &DateTime<FixedOffset>,
    defects: &Defects,
) -> Vec<u16> {
    let mut years: Vec<u16> = offer
        .fiscal_years
        .iter()
        .copied()
        .filter(|y| super::assessment_decided(*y, reception, defects))
        .filter(|y| {
            defects.on(Defect::UnassessedTaxYearOffered)
                || person
                    .tax
                    .iter()
                    .any(|t| t.municipality == municipality.code && t.fiscal_year == *y)
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Whether a current member of the household is under DV等支援措置 here.
fn household_has_protected_member(ctx: &Context<'_>, household: &Household) -> bool {
    ctx.fixtures
        .register
        .household_members(&household.id)
        .filter(|p| p.status == ResidentStatus::Resident)
        .any(|p| dv_applies(ctx.municipality, p, ctx.defects))
}

/// The current household members a resident may choose for 世帯の一部.
fn member_choices(
    ctx: &Context<'_>,
    household: &Household,
    reception: &DateTime<FixedOffset>,
) -> Vec<MemberChoice> {
    ctx.fixtures
        .register
        .household_members(&household.id)
        .filter(|p| p.status == ResidentStatus::Resident)
        .filter(|p| !dv_applies(ctx.municipality, p, ctx.defects))
        .map(|p| MemberChoice {
            // Defect `member-id-unstable`: the id is a session token stamped with the
            // reception time of the menu, so a later request no longer matches it.
            member_id: if ctx.defects.on(Defect::MemberIdUnstable) {
                format!("{}-{}", p.id, reception.timestamp())
            } else {
                p.id.clone()
            },
            name: p.name.clone(),
        })
        .collect()
}

fn base_item(offer: &CertificateOffer) -> MenuItem {
    MenuItem {
        certificate: offer.certificate,
        fee: offer.fee,
        max_copies: offer.max_copies,
        scopes: Vec::new(),
        members: Vec::new(),
        relationship_option: false,
        honseki_option: false,
        fiscal_years: Vec::new(),
    }
}

/// A person's open 戸籍 kept by this municipality.
pub fn family_register_here<'a>(
    ctx: &Context<'a>,
    person: &Person,
) -> Option<&'a FamilyRegisterRecord> {
    person
        .family_register
        .as_deref()
        .and_then(|k| ctx.fixtures.register.family_register(k))
        .filter(|k| {
            k.municipality == ctx.municipality.code
                && (k.state == FamilyRegisterState::Open
                    || ctx.defects.on(Defect::ClosedKosekiServed))
        })
}

/// Whether a 戸籍 type would print a person under DV等支援措置 other than the holder:
/// the 全部事項証明書 lists every member and the 附票 every member's address, so neither
/// is issued at a kiosk from a register with a protected member (the 個人事項証明書,
/// which lists the holder alone, still is).
fn register_shows_protected(ctx: &Context<'_>, person: &Person, t: CertificateType) -> bool {
    if !matches!(t, CertificateType::KosekiZenbu | CertificateType::Fuhyo)
        || ctx.defects.on(Defect::DvRegisterShown)
    {
        return false;
    }
    family_register_here(ctx, person).is_some_and(|k| {
        k.members.iter().any(|m| {
            m.person != person.id
                && ctx
                    .fixtures
                    .register
                    .person(&m.person)
                    .is_some_and(|p| dv_applies(ctx.municipality, p, ctx.defects))
        })
    })
}

enum DomicileAccess {
    /// Not a 本籍地 for this person (or nothing to offer).
    None,
    /// Offered.
    Granted,
    /// Offered once the 利用登録申請 is approved.
    AwaitingRegistration,
}

fn domicile_access(
    ctx: &Context<'_>,
    person: &Person,
    resident_here: bool,
    registration: RegistrationStatus,
) -> DomicileAccess {
    if family_register_here(ctx, person).is_none() {
        return DomicileAccess::None;
    }
    if resident_here {
        return DomicileAccess::Granted;
    }
    if !ctx.municipality.restrictions.koseki_for_non_residents {
        return DomicileAccess::None;
    }
    if registration == RegistrationStatus::Approved || ctx.defects.on(Defect::KosekiBeforeApproval)
    {
        DomicileAccess::Granted
    } else {
        DomicileAccess::AwaitingRegistration
    }
}

/// Evaluate a holder (`None` for a card that maps to no one) at a reception time.
/// `registration` is the holder's 利用登録申請 state with this municipality.
pub fn evaluate<'a>(
    ctx: &Context<'a>,
    person: Option<&'a Person>,
    reception: &DateTime<FixedOffset>,
    registration: RegistrationStatus,
) -> Evaluation<'a> {
    let Some(person) = person else {
        return Evaluation::refused(None, Refusal::UnknownCard);
    };
    if person.status == ResidentStatus::Deceased && !ctx.defects.on(Defect::DeceasedKosekiServed) {
        return Evaluation::refused(Some(person), Refusal::Deceased);
    }
    if let Some(limit) = ctx.municipality.restrictions.age_limit {
        let age = Register::age_on(
            person.birth_date,
            age_reference_date(reception, ctx.defects),
        );
        if under_age_limit(age, limit, ctx.defects) {
            return Evaluation::refused(Some(person), Refusal::UnderAge);
        }
    }
    let feed_flag = ctx.holder_only_dv.contains(&person.id)
        && ctx.municipality.restrictions.dv_protection
        && !ctx.defects.on(Defect::DvIgnored);
    if dv_applies(ctx.municipality, person, ctx.defects) || feed_flag {
        return Evaluation::refused(Some(person), Refusal::DvProtected);
    }

    let residence = residence(&ctx.fixtures.register, person, ctx.defects)
        .filter(|h| h.municipality == ctx.municipality.code);
    let resident_here = residence.is_some();
    let domicile = domicile_access(ctx, person, resident_here, registration);

    let mut items = Vec::new();
    for offer in &ctx.municipality.certificates {
        let t = offer.certificate;
        if t.issued_by_domicile() {
            if matches!(domicile, DomicileAccess::Granted)
                && !register_shows_protected(ctx, person, t)
            {
                items.push(base_item(offer));
            }
            continue;
        }
        let Some(household) = residence else {
            continue;
        };
        match t {
            CertificateType::Juminhyo | CertificateType::JuminhyoKisai => {
                let mut item = base_item(offer);
                item.scopes = offer.scopes.clone();
                // A 世帯全員 copy would print a protected member: kiosks never print a
                // person under DV等支援措置, and silently dropping a member would make
                // the copy untrue, so 世帯全員 is not offered (世帯の一部 still is).
                if household_has_protected_member(ctx, household)
                    && !ctx.defects.on(Defect::DvHouseholdShown)
                {
                    item.scopes.retain(|s| *s != Scope::Household);
                }
                item.relationship_option = offer.relationship_option;
                item.honseki_option = offer.honseki_option;
                if offer.scopes.contains(&Scope::Members) {
                    item.members = member_choices(ctx, household, reception);
                }
                items.push(item);
            }
            CertificateType::Inkan => {
                if seal_usable(person, ctx.defects) {
                    items.push(base_item(offer));
                }
            }
            CertificateType::Kazei | CertificateType::Shotoku => {
                let years = tax_years(offer, ctx.municipality, person, reception, ctx.defects);
                if !years.is_empty() {
                    let mut item = base_item(offer);
                    item.fiscal_years = years;
                    items.push(item);
                }
            }
            CertificateType::KosekiZenbu
            | CertificateType::KosekiKojin
            | CertificateType::Fuhyo => {}
        }
    }
    items.sort_by_key(|i| {
        CertificateType::ALL
            .iter()
            .position(|t| *t == i.certificate)
            .unwrap_or(usize::MAX)
    });
    items.dedup_by_key(|i| i.certificate);

    let koseki_registration = match domicile {
        DomicileAccess::None => None,
        _ if resident_here => None,
        _ => Some(registration),
    };
    let refusal = if items.is_empty() && !matches!(domicile, DomicileAccess::AwaitingRegistration) {
        Some(Refusal::NoRecordHere)
    } else {
        None
    };
    Evaluation {
        person: Some(person),
        residence,
        items,
        koseki_registration,
        awaiting_registration: matches!(domicile, DomicileAccess::AwaitingRegistration),
        refusal,
    }
}
