//! The 記載事項 a conforming candidate must return, computed from the fixtures alone
//! (never from any candidate's code), following `profile/README.md` (記載事項 content
//! kinds).
//!
//! Where the profile is silent, the choice made here is written next to the code:
//! - 附票 (`fuhyo`) of a person without an address history: the current household
//!   address since 住民となった日 (or the birth date), none for a person without a
//!   household.

use chrono::NaiveDate;
use kofu_fixtures::register::{FamilyRegisterRecord, Person, ResidentStatus};
use kofu_fixtures::{Fixtures, Municipality};
use kofu_profile::content::{
    AnnexAddress, AnnexEntry, Content, FamilyRegister, FamilyRegisterAnnex, FamilyRegisterEntry,
    ForeignResidentItems, ResidentEntry, ResidentRecord, SealRegistration, TaxRecord,
};
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

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

/// The 附票 history of a person, oldest first. The profile is silent on a person
/// without a recorded history: kofu expects the current household address since
/// 住民となった日, and nothing for a person without a household.
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

/// A value of the 記載事項 as it must appear in the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// Text printed as is (names, addresses, 本籍, ...).
    Text(&'static str, String),
    /// A date, printed in 和暦.
    Date(&'static str, NaiveDate),
    /// An amount in yen, printed with or without digit grouping.
    Yen(&'static str, u64),
}

/// Every value of `content` the document must print, with its item name.
pub fn printed_values(content: &Content) -> Vec<Printed> {
    use Printed::{Date, Text, Yen};
    let mut out = Vec::new();
    match content {
        Content::ResidentRecord(r) => {
            out.push(Text("住所", r.address.clone()));
            if let Some(h) = &r.household_head {
                out.push(Text("世帯主", h.clone()));
            }
            for p in &r.persons {
                out.push(Text("氏名", p.name.clone()));
                out.push(Text("フリガナ", p.kana.clone()));
                out.push(Date("生年月日", p.birth_date));
                out.push(Text("性別", p.sex.clone()));
                if let Some(rel) = &p.relationship {
                    out.push(Text("続柄", rel.clone()));
                }
                out.push(Date("住民となった日", p.resident_since));
                if let Some(h) = &p.honseki {
                    out.push(Text("本籍", h.clone()));
                }
                if let Some(h) = &p.hittosha {
                    out.push(Text("筆頭者", h.clone()));
                }
                if let Some(f) = &p.foreign {
                    out.push(Text("国籍・地域", f.nationality.clone()));
                    out.push(Text("在留資格", f.residence_status.clone()));
                    out.push(Date("在留期間の満了の日", f.period_of_stay_until));
                    if let Some(t) = &f.tsusho {
                        out.push(Text("通称", t.clone()));
                    }
                }
            }
        }
        Content::SealRegistration(s) => {
            out.push(Text("印鑑登録番号", s.registration_number.clone()));
            out.push(Text("氏名", s.name.clone()));
            out.push(Date("生年月日", s.birth_date));
            out.push(Text("住所", s.address.clone()));
        }
        Content::Tax(t) => {
            out.push(Text("氏名", t.name.clone()));
            out.push(Text("住所", t.address.clone()));
            out.push(Yen("合計所得金額", t.total_income));
            out.push(Yen("市町村民税", t.municipal_tax));
            out.push(Yen("道府県民税", t.prefectural_tax));
        }
        Content::FamilyRegister(k) => {
            out.push(Text("本籍", k.honseki.clone()));
            out.push(Text("筆頭者", k.hittosha.clone()));
            for p in &k.persons {
                out.push(Text("氏名", p.name.clone()));
                out.push(Date("生年月日", p.birth_date));
                out.push(Text("続柄", p.relationship.clone()));
                out.push(Text("性別", p.sex.clone()));
                if let Some(f) = &p.father {
                    out.push(Text("父", f.clone()));
                }
                if let Some(m) = &p.mother {
                    out.push(Text("母", m.clone()));
                }
            }
        }
        Content::FamilyRegisterAnnex(a) => {
            out.push(Text("本籍", a.honseki.clone()));
            out.push(Text("筆頭者", a.hittosha.clone()));
            for p in &a.persons {
                out.push(Text("氏名", p.name.clone()));
                for addr in &p.addresses {
                    out.push(Text("住所", addr.address.clone()));
                    out.push(Date("住所を定めた日", addr.since));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> Fixtures {
        Fixtures::load_default().expect("fixtures load")
    }

    fn municipality<'a>(f: &'a Fixtures, code: &str) -> &'a Municipality {
        f.municipalities.iter().find(|m| m.code == code).unwrap()
    }

    fn expect(
        f: &Fixtures,
        code: &str,
        person: &str,
        t: CertificateType,
        options: &IssuanceOptions,
    ) -> Result<Content, ExpectError> {
        let holder = f.register.person(person).unwrap();
        content(f, municipality(f, code), holder, t, options)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn household_copy_lists_current_members_in_register_order() {
        let f = fixtures();
        let options = IssuanceOptions {
            scope: Some(Scope::Household),
            show_relationship: true,
            ..IssuanceOptions::default()
        };
        let Content::ResidentRecord(r) =
            expect(&f, "990001", "R001", CertificateType::Juminhyo, &options).unwrap()
        else {
            panic!("kind")
        };
        let names: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["桜井 太郎", "桜井 良子", "桜井 美咲", "桜井 大地"]);
        assert_eq!(r.household_head.as_deref(), Some("桜井 太郎"));
        assert_eq!(r.persons[1].relationship.as_deref(), Some("妻"));
    }

    #[test]
    fn chosen_members_keep_register_order_and_refuse_removed_persons() {
        let f = fixtures();
        let mut options = IssuanceOptions {
            scope: Some(Scope::Members),
            members: vec!["R004".into(), "R001".into()],
            ..IssuanceOptions::default()
        };
        let Content::ResidentRecord(r) =
            expect(&f, "990001", "R001", CertificateType::Juminhyo, &options).unwrap()
        else {
            panic!("kind")
        };
        let names: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["桜井 太郎", "桜井 美咲"]);
        assert!(r.household_head.is_none());
        options.members = vec!["R003".into()];
        assert!(matches!(
            expect(&f, "990001", "R001", CertificateType::Juminhyo, &options),
            Err(ExpectError::UnknownMember(_))
        ));
    }

    #[test]
    fn foreign_resident_has_no_honseki_but_foreign_items() {
        let f = fixtures();
        let options = IssuanceOptions {
            scope: Some(Scope::Household),
            show_honseki: true,
            ..IssuanceOptions::default()
        };
        let Content::ResidentRecord(r) =
            expect(&f, "990001", "R023", CertificateType::Juminhyo, &options).unwrap()
        else {
            panic!("kind")
        };
        assert!(r.persons[0].honseki.is_none());
        let foreign = r.persons[0].foreign.as_ref().unwrap();
        assert_eq!(foreign.tsusho.as_deref(), Some("白石 ルーカス"));
        assert_eq!(r.persons[1].hittosha.as_deref(), Some("白石 真由美"));
    }

    #[test]
    fn seal_registration_needs_an_active_seal() {
        let f = fixtures();
        let options = IssuanceOptions::default();
        let Content::SealRegistration(s) =
            expect(&f, "990001", "R007", CertificateType::Inkan, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!(s.name, "\u{20BB7}田 花子");
        assert_eq!(s.registration_number, "10003");
        assert_eq!(s.address, "架空県青葉台市緑町二丁目5番8号");
        assert!(matches!(
            expect(&f, "990001", "R033", CertificateType::Inkan, &options),
            Err(ExpectError::NoSeal(_))
        ));
    }

    #[test]
    fn tax_record_takes_the_assessment_and_income_year() {
        let f = fixtures();
        for (year, income) in [(2024, 5_200_000), (2025, 5_280_000), (2026, 5_350_000)] {
            let options = IssuanceOptions {
                fiscal_year: Some(year),
                ..IssuanceOptions::default()
            };
            let Content::Tax(t) =
                expect(&f, "990001", "R001", CertificateType::Shotoku, &options).unwrap()
            else {
                panic!("kind")
            };
            assert_eq!((t.fiscal_year, t.income_year), (year, year - 1));
            assert_eq!(t.total_income, income);
            assert_eq!(t.address, "架空県青葉台市緑町一丁目2番3号");
        }
        let options = IssuanceOptions {
            fiscal_year: Some(2026),
            ..IssuanceOptions::default()
        };
        assert!(matches!(
            expect(&f, "990001", "R036", CertificateType::Kazei, &options),
            Err(ExpectError::NoAssessment(..))
        ));
        let Content::Tax(t) =
            expect(&f, "990001", "R037", CertificateType::Kazei, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!((t.municipal_tax, t.prefectural_tax), (0, 0));
    }

    #[test]
    fn tax_address_is_the_one_of_first_january_of_the_fiscal_year() {
        // R037 moved within 青葉台市 on 2024-05-01: the 2024年度 certificate states the
        // address of 2024-01-01, the later ones the current address.
        let f = fixtures();
        let address = |year| {
            let options = IssuanceOptions {
                fiscal_year: Some(year),
                ..IssuanceOptions::default()
            };
            match expect(&f, "990001", "R037", CertificateType::Kazei, &options).unwrap() {
                Content::Tax(t) => t.address,
                other => panic!("kind {other:?}"),
            }
        };
        assert_eq!(address(2024), "架空県青葉台市若葉町三丁目2番7号");
        assert_eq!(address(2025), "架空県青葉台市桜ヶ丘四丁目3番3号");
        let r001 = f.register.person("R001").unwrap();
        assert_eq!(
            address_on(&f, r001, d("2004-12-31")).as_deref(),
            Some("架空県海辺市港町三丁目4番5号")
        );
        assert_eq!(address_on(&f, r001, d("1999-01-01")), None);
    }

    #[test]
    fn full_register_lists_every_member_and_personal_only_the_holder() {
        let f = fixtures();
        let options = IssuanceOptions::default();
        let Content::FamilyRegister(k) =
            expect(&f, "990001", "R046", CertificateType::KosekiZenbu, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!(k.hittosha, "小林 茂");
        let names: Vec<&str> = k.persons.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["小林 茂", "小林 洋子", "小林 和也"]);
        let Content::FamilyRegister(k) =
            expect(&f, "990001", "R001", CertificateType::KosekiKojin, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!(k.persons.len(), 1);
        assert_eq!(k.persons[0].relationship, "夫");
        assert_eq!(k.persons[0].father.as_deref(), Some("桜井 正一"));
        assert_eq!(k.honseki, "架空県青葉台市緑町一丁目2番");
    }

    #[test]
    fn family_register_comes_only_from_the_honseki_municipality() {
        let f = fixtures();
        let options = IssuanceOptions::default();
        assert!(matches!(
            expect(&f, "990001", "R039", CertificateType::KosekiZenbu, &options),
            Err(ExpectError::NoFamilyRegister(..))
        ));
        let Content::FamilyRegister(k) =
            expect(&f, "990002", "R039", CertificateType::KosekiZenbu, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!(k.honseki, "架空県白砂町浜通り5番地");
        assert_eq!(k.persons.len(), 3);
    }

    #[test]
    fn annex_lists_every_member_with_history_and_falls_back_to_the_household() {
        let f = fixtures();
        let options = IssuanceOptions::default();
        let Content::FamilyRegisterAnnex(a) =
            expect(&f, "990001", "R001", CertificateType::Fuhyo, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!(a.persons.len(), 5);
        assert_eq!(a.persons[2].name, "桜井 健太");
        assert_eq!(
            a.persons[2].addresses.last().unwrap().address,
            "架空県海辺市中央三丁目2番1号"
        );
        assert!(annex_fully_recorded(&f, f.register.person("R001").unwrap()));
        // R038 has no recorded history: the household address since 住民となった日.
        let Content::FamilyRegisterAnnex(a) =
            expect(&f, "990001", "R036", CertificateType::Fuhyo, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!(
            a.persons[2].addresses,
            vec![AnnexAddress {
                address: "架空県青葉台市桜ヶ丘四丁目3番3号".into(),
                since: d("2024-05-01"),
            }]
        );
        assert!(!annex_fully_recorded(
            &f,
            f.register.person("R036").unwrap()
        ));
    }

    #[test]
    fn printed_values_cover_dates_and_amounts() {
        let f = fixtures();
        let options = IssuanceOptions {
            fiscal_year: Some(2026),
            ..IssuanceOptions::default()
        };
        let c = expect(&f, "990001", "R001", CertificateType::Kazei, &options).unwrap();
        let values = printed_values(&c);
        assert!(values.contains(&Printed::Yen("合計所得金額", 5_350_000)));
        assert!(values.contains(&Printed::Text("氏名", "桜井 太郎".into())));
    }
}
