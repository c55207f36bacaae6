//! Checks on the repository's own fixtures: they load, they are consistent, and every
//! special case the scenarios rely on exists (see fixtures/README.md).
//!
//! Longer than 400 lines because it holds only tests, one per property of the committed
//! fixtures that a scenario relies on; splitting them would scatter one checklist.

use std::collections::HashSet;

use chrono::NaiveDate;
use kofu_profile::registration::RegistrationStatus;
use kofu_profile::{CertificateType, Scope};

use crate::card::CardState;
use crate::operator::{Rounding, TaxBasis};
use crate::register::{FamilyRegisterState, Person, Register, ResidentStatus, SealState};
use crate::{Fixtures, default_root};

const HOME: &str = "990001";
const DOMICILE: &str = "990002";

fn fixtures() -> Fixtures {
    Fixtures::load_default().expect("default fixtures load")
}

fn scenario_date() -> NaiveDate {
    crate::export::SCENARIO_DATE.parse().unwrap()
}

fn age(p: &Person) -> u32 {
    Register::age_on(p.birth_date, scenario_date())
}

fn is_resident(p: &Person) -> bool {
    p.status == ResidentStatus::Resident
}

/// A current resident adult with nothing special about them.
fn is_ordinary_adult(f: &Fixtures, p: &Person) -> bool {
    is_resident(p)
        && age(p) >= 20
        && !p.dv_protected
        && !p.adult_guardianship
        && p.foreign.is_none()
        && p.koseki_registration.is_none()
        && f.register
            .family_register(p.family_register.as_deref().unwrap_or(""))
            .is_some_and(|k| k.state == FamilyRegisterState::Open && k.municipality == HOME)
}

fn the<'a>(f: &'a Fixtures, what: &str, pred: impl Fn(&Person) -> bool) -> Vec<&'a Person> {
    let found: Vec<&Person> = f.register.persons.iter().filter(|p| pred(p)).collect();
    assert!(!found.is_empty(), "no person for case: {what}");
    found
}

#[test]
fn default_fixtures_load_with_enough_persons() {
    let f = fixtures();
    assert!(
        f.register.persons.len() >= 45,
        "{}",
        f.register.persons.len()
    );
    assert!(f.register.households.len() >= 15);
}

#[test]
fn every_fixture_file_says_it_is_synthetic() {
    let root = default_root();
    for dir in ["municipalities", "operators", "residents", "cards"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    text.starts_with("# SYNTHETIC TEST DATA."),
                    "{} lacks the synthetic-data comment",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn both_municipalities_are_present() {
    let f = fixtures();
    let aobadai = f.municipality(HOME).expect("青葉台市");
    assert_eq!(aobadai.name, "青葉台市");
    assert_eq!(aobadai.mayor_title, "青葉台市長");
    assert!(aobadai.mutual_tls);
    assert_eq!(aobadai.restrictions.age_limit, Some(15));
    assert!(aobadai.restrictions.dv_protection);
    assert!(aobadai.restrictions.koseki_for_non_residents);
    let offered: Vec<CertificateType> =
        aobadai.certificates.iter().map(|c| c.certificate).collect();
    assert_eq!(offered, CertificateType::ALL);
    for c in &aobadai.certificates {
        let koseki = matches!(
            c.certificate,
            CertificateType::KosekiZenbu | CertificateType::KosekiKojin
        );
        let fee = if koseki { 350 } else { 200 };
        assert_eq!(c.fee, fee, "{}", c.certificate);
        if c.certificate.is_resident_record() {
            assert_eq!(c.scopes, [Scope::Holder, Scope::Household, Scope::Members]);
            assert!(c.relationship_option && c.honseki_option);
        }
        if c.certificate.is_tax() {
            assert_eq!(c.fiscal_years, [2024, 2025, 2026]);
        }
    }
    assert!(aobadai.serves_residents());

    let shirasuna = f.municipality(DOMICILE).expect("白砂町");
    assert_eq!(shirasuna.name, "白砂町");
    assert_eq!(shirasuna.mayor_title, "白砂町長");
    let offered: Vec<(CertificateType, u32)> = shirasuna
        .certificates
        .iter()
        .map(|c| (c.certificate, c.fee))
        .collect();
    assert_eq!(
        offered,
        [
            (CertificateType::KosekiZenbu, 450),
            (CertificateType::KosekiKojin, 450),
            (CertificateType::Fuhyo, 300)
        ]
    );
    assert!(!shirasuna.serves_residents());
    assert!(f.register.households.iter().all(|h| h.municipality == HOME));
}

#[test]
fn operators_differ_in_rounding_and_tax_basis() {
    let f = fixtures();
    assert!(f.operators.len() >= 3);
    let codes: HashSet<&str> = f.operators.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes.len(), f.operators.len());
    let mut terminals = HashSet::new();
    for o in &f.operators {
        assert_eq!(o.stores.len(), 2, "{}", o.code);
        for s in &o.stores {
            assert_eq!(s.terminals.len(), 2, "{}", s.id);
            for t in &s.terminals {
                assert!(terminals.insert(t.clone()), "terminal {t} defined twice");
            }
        }
        assert_eq!(o.commission.tax_rate_percent, 10);
    }
    let roundings: HashSet<String> = f
        .operators
        .iter()
        .map(|o| format!("{:?}", o.commission.rounding))
        .collect();
    assert_eq!(roundings.len(), 3);
    for rounding in [Rounding::Floor, Rounding::HalfUp, Rounding::Ceil] {
        assert!(
            f.operators
                .iter()
                .any(|o| o.commission.rounding == rounding)
        );
    }
    for basis in [TaxBasis::PerCopy, TaxBasis::PerStatement] {
        assert!(f.operators.iter().any(|o| o.commission.tax_basis == basis));
    }
    assert!(
        f.operators
            .iter()
            .any(|o| o.max_copies_per_transaction < 10)
    );
}

#[test]
fn every_person_has_a_card_and_cards_are_unique() {
    let f = fixtures();
    for p in &f.register.persons {
        assert!(
            f.cards
                .iter()
                .any(|c| c.person == p.id && c.state == CardState::Valid),
            "{} has no valid card",
            p.id
        );
    }
    let ids: HashSet<&str> = f.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), f.cards.len(), "card ids unique");
    let serials: HashSet<&str> = f.cards.iter().map(|c| c.serial.as_str()).collect();
    assert_eq!(serials.len(), f.cards.len(), "card serials unique");
    for c in &f.cards {
        assert_eq!(c.serial.len(), 16, "{}", c.id);
        assert!(
            c.serial
                .chars()
                .all(|ch| ch.is_ascii_digit() || ('A'..='F').contains(&ch)),
            "{} serial is not uppercase hex",
            c.id
        );
        // A positive 8-byte DER INTEGER with no leading zero byte: round-trips via X.509.
        assert!(
            ('1'..='7').contains(&c.serial.chars().next().unwrap()),
            "{} serial must start with 1-7",
            c.id
        );
        assert!(
            c.pin.len() == 4 && c.pin.chars().all(|ch| ch.is_ascii_digit()),
            "{}",
            c.id
        );
        assert_eq!(f.card_by_serial(&c.serial).map(|x| &x.id), Some(&c.id));
    }
    assert_eq!(f.card("C001").unwrap().person, "R001");
}

#[test]
fn card_states_each_belong_to_an_ordinary_adult() {
    let f = fixtures();
    for state in [
        CardState::Revoked,
        CardState::Expired,
        CardState::Locked,
        CardState::UnknownCa,
    ] {
        let cards: Vec<_> = f.cards.iter().filter(|c| c.state == state).collect();
        assert_eq!(cards.len(), 1, "one card in state {}", state.word());
        let owner = f.register.person(&cards[0].person).unwrap();
        assert!(is_ordinary_adult(&f, owner), "{} owner", state.word());
        assert_eq!(owner.seal, SealState::Active);
        assert_eq!(owner.tax.len(), 3);
    }
}

/// 個人番号 check digit (番号法施行令第8条).
fn my_number_check_digit(number: &str) -> u32 {
    let digits: Vec<u32> = number.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = (1..=11)
        .map(|n| {
            let p = digits[11 - n];
            let q = if n <= 6 { n + 1 } else { n - 5 } as u32;
            p * q
        })
        .sum();
    match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    }
}

#[test]
fn numbers_are_synthetic_and_distinct() {
    let f = fixtures();
    let mut seen = HashSet::new();
    for p in &f.register.persons {
        let n = &p.individual_number;
        assert!(n.len() == 12 && n.starts_with('9') && n.chars().all(|c| c.is_ascii_digit()));
        assert_ne!(
            my_number_check_digit(n),
            n[11..].parse::<u32>().unwrap(),
            "{}: the check digit must be wrong so the number can never be real",
            p.id
        );
        let r = &p.resident_code;
        assert!(r.len() == 11 && r.starts_with('8') && r.chars().all(|c| c.is_ascii_digit()));
        assert!(seen.insert(n.clone()), "{} individual number reused", p.id);
        assert!(seen.insert(r.clone()), "{} resident code reused", p.id);
    }
    let seals: Vec<&str> = f
        .register
        .persons
        .iter()
        .filter_map(|p| p.seal_number.as_deref())
        .collect();
    assert_eq!(seals.iter().collect::<HashSet<_>>().len(), seals.len());
}

#[test]
fn register_is_internally_consistent() {
    let f = fixtures();
    let r = &f.register;
    for h in &r.households {
        let head = r.person(&h.head).unwrap();
        assert_eq!(head.household.as_deref(), Some(h.id.as_str()));
        assert_eq!(head.relationship.as_deref(), Some("世帯主"), "{}", h.id);
        assert!(r.household_members(&h.id).count() >= 1);
    }
    for p in &r.persons {
        assert_eq!(
            p.household.is_none(),
            p.status == ResidentStatus::Elsewhere,
            "{}: only persons living elsewhere lack a household",
            p.id
        );
        assert_eq!(
            p.status_date.is_some(),
            matches!(
                p.status,
                ResidentStatus::MovedOut | ResidentStatus::Deceased
            ),
            "{}: status_date exactly for 消除者",
            p.id
        );
        // Japanese nationals have a family register, foreign residents none.
        assert_eq!(p.foreign.is_some(), p.family_register.is_none(), "{}", p.id);
        assert_eq!(
            p.seal == SealState::Active,
            p.seal_number.is_some(),
            "{}",
            p.id
        );
        if let Some(k) = &p.family_register {
            let k = r.family_register(k).unwrap();
            assert!(k.members.iter().any(|m| m.person == p.id), "{}", p.id);
        }
        for pair in p.addresses.windows(2) {
            assert!(pair[0].since < pair[1].since, "{}: oldest first", p.id);
        }
        if is_resident(p)
            && let Some(last) = p.addresses.last()
        {
            let h = r.residence_of(p).unwrap();
            assert_eq!(last.address, h.address, "{}: last address is current", p.id);
            // A move within the municipality (転居) keeps 住民となった日.
            assert!(Some(last.since) >= p.resident_since, "{}", p.id);
        }
        if let Some(since) = p.resident_since {
            assert!(since >= p.birth_date, "{}", p.id);
        }
    }
    for k in &r.family_registers {
        assert!(k.municipality == HOME || k.municipality == DOMICILE);
        assert!(k.members.iter().any(|m| m.person == k.hittosha), "{}", k.id);
        for m in &k.members {
            assert_eq!(
                r.person(&m.person).unwrap().family_register.as_deref(),
                Some(k.id.as_str()),
                "{} in {}",
                m.person,
                k.id
            );
        }
    }
}

#[test]
fn unusual_characters_are_exact() {
    let f = fixtures();
    for (wanted, lookalike) in [
        ('\u{20BB7}', '\u{5409}'), // 𠮷 vs 吉
        ('\u{9AD9}', '\u{9AD8}'),  // 髙 vs 高
        ('\u{FA11}', '\u{5D0E}'),  // 﨑 vs 崎
        ('\u{5FB7}', '\u{5FB3}'),  // 德 vs 徳
    ] {
        let found = the(&f, &format!("name with U+{:X}", wanted as u32), |p| {
            p.name.contains(wanted)
        });
        assert!(found.iter().all(|p| is_resident(p)));
        assert!(
            !f.register
                .persons
                .iter()
                .any(|p| p.name.contains(lookalike)),
            "look-alike U+{:X} in a person's name",
            lookalike as u32
        );
    }
    assert!(
        f.register
            .persons
            .iter()
            .any(|p| p.name == "\u{20BB7}田 花子")
    );
}

#[test]
fn foreign_resident_exists() {
    let f = fixtures();
    let found = the(&f, "foreign resident", |p| {
        is_resident(p)
            && p.foreign.as_ref().is_some_and(|x| {
                x.tsusho.is_some()
                    && x.residence_status == "技術・人文知識・国際業務"
                    && x.period_of_stay_until > scenario_date()
            })
    });
    let p = found[0];
    let h = p.household.as_deref().unwrap();
    assert!(f.register.household_members(h).count() >= 2);
}

#[test]
fn household_with_current_members_and_a_moved_out_member_exists() {
    let f = fixtures();
    the(
        &f,
        "消除者 (moved out) in a household with 3+ current members",
        |p| {
            p.status == ResidentStatus::MovedOut
                && f.register
                    .household_members(p.household.as_deref().unwrap())
                    .filter(|m| is_resident(m))
                    .count()
                    >= 3
        },
    );
    the(
        &f,
        "deceased member of a household with current members",
        |p| {
            p.status == ResidentStatus::Deceased
                && f.register
                    .household_members(p.household.as_deref().unwrap())
                    .any(is_resident)
        },
    );
    the(&f, "household of one, entirely moved out", |p| {
        p.status == ResidentStatus::MovedOut
            && f.register
                .household_members(p.household.as_deref().unwrap())
                .count()
                == 1
    });
}

#[test]
fn age_limit_cases_exist() {
    let f = fixtures();
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let today = the(&f, "15th birthday on the scenario date", |p| {
        is_resident(p) && p.birth_date == d("2011-11-26")
    });
    assert_eq!(age(today[0]), 15);
    let tomorrow = the(&f, "15th birthday the day after", |p| {
        is_resident(p) && p.birth_date == d("2011-11-27")
    });
    assert_eq!(age(tomorrow[0]), 14);
    assert_eq!(
        Register::age_on(tomorrow[0].birth_date, d("2026-11-27")),
        15
    );
    the(&f, "10-year-old", |p| is_resident(p) && age(p) == 10);
    let leap = the(&f, "born on 29 February 2012", |p| {
        is_resident(p) && p.birth_date == d("2012-02-29")
    });
    assert_eq!(age(leap[0]), 14);
    assert_eq!(Register::age_on(leap[0].birth_date, d("2027-02-28")), 14);
    assert_eq!(Register::age_on(leap[0].birth_date, d("2027-03-01")), 15);
}

#[test]
fn dv_protected_household_exists() {
    let f = fixtures();
    let protected = the(&f, "DV-protected adult", |p| {
        is_resident(p) && p.dv_protected && age(p) >= 20
    });
    let h = protected[0].household.as_deref().unwrap();
    let members: Vec<&Person> = f.register.household_members(h).collect();
    assert!(members.iter().filter(|p| p.dv_protected).count() >= 2);
    assert!(members.iter().any(|p| !p.dv_protected));
}

#[test]
fn seal_cases_exist() {
    let f = fixtures();
    let active = the(&f, "active seal", |p| {
        is_resident(p) && p.seal == SealState::Active && !p.adult_guardianship
    });
    assert!(active.len() >= 3);
    the(&f, "abolished seal", |p| {
        is_resident(p) && p.seal == SealState::Abolished && age(p) >= 20
    });
    let none = the(&f, "no seal", |p| {
        is_resident(p) && p.seal == SealState::None && age(p) >= 20
    });
    assert!(none.len() >= 2);
    the(&f, "成年被後見人 with an active seal", |p| {
        is_resident(p) && p.adult_guardianship && p.seal == SealState::Active
    });
}

#[test]
fn tax_cases_exist() {
    let f = fixtures();
    let years = |p: &Person| -> Vec<u16> { p.tax.iter().map(|t| t.fiscal_year).collect() };
    let adults: Vec<&Person> = f
        .register
        .persons
        .iter()
        .filter(|p| is_resident(p) && age(p) >= 20)
        .collect();
    let full = adults
        .iter()
        .filter(|p| years(p) == [2024, 2025, 2026] && p.tax.iter().all(|t| t.municipality == HOME))
        .count();
    assert!(
        full * 2 > adults.len(),
        "most adults are assessed for every year"
    );
    the(&f, "assessed for 2025 only", |p| {
        is_resident(p) && years(p) == [2025]
    });
    the(&f, "非課税", |p| {
        is_resident(p)
            && !p.tax.is_empty()
            && p.tax
                .iter()
                .all(|t| t.municipal_tax == 0 && t.prefectural_tax == 0)
    });
    for p in &f.register.persons {
        if age(p) < 18 {
            assert!(p.tax.is_empty(), "{}: children have no assessment", p.id);
        }
        for t in &p.tax {
            assert_eq!(
                t.municipal_tax == 0,
                t.prefectural_tax == 0,
                "{} {}",
                p.id,
                t.fiscal_year
            );
        }
    }
}

#[test]
fn domicile_elsewhere_cases_exist() {
    let f = fixtures();
    let r = &f.register;
    let kept_by = |p: &Person| {
        p.family_register
            .as_deref()
            .and_then(|k| r.family_register(k))
            .map(|k| k.municipality.as_str())
    };
    for status in [
        RegistrationStatus::Approved,
        RegistrationStatus::None,
        RegistrationStatus::Pending,
    ] {
        the(
            &f,
            &format!("本籍地 990002, registration {status:?}"),
            |p| {
                is_resident(p)
                    && r.residence_of(p).unwrap().municipality == HOME
                    && kept_by(p) == Some(DOMICILE)
                    && p.koseki_registration == Some(status)
            },
        );
    }
    for p in &r.persons {
        if is_resident(p) && kept_by(p) == Some(HOME) {
            assert_eq!(p.koseki_registration, None, "{}", p.id);
        }
        if kept_by(p) == Some(DOMICILE) {
            assert!(p.koseki_registration.is_some(), "{}", p.id);
            assert!(!p.addresses.is_empty(), "{}: 附票 history", p.id);
        }
    }
}

#[test]
fn closed_family_register_has_a_person() {
    let f = fixtures();
    let closed: Vec<_> = f
        .register
        .family_registers
        .iter()
        .filter(|k| k.state == FamilyRegisterState::Closed)
        .collect();
    assert!(!closed.is_empty());
    the(&f, "person whose family register is closed", |p| {
        is_resident(p)
            && closed
                .iter()
                .any(|k| p.family_register.as_deref() == Some(&k.id))
    });
}

#[test]
fn ordinary_households_have_heads_wives_and_children() {
    let f = fixtures();
    let ordinary = f
        .register
        .households
        .iter()
        .filter(|h| {
            let members: Vec<&Person> = f.register.household_members(&h.id).collect();
            let rel = |r: &str| members.iter().any(|p| p.relationship.as_deref() == Some(r));
            (2..=5).contains(&members.len()) && rel("世帯主") && rel("妻") && rel("子")
        })
        .count();
    assert!(ordinary >= 5, "{ordinary}");
    the(&f, "persons with a 附票 history of 2-3 entries", |p| {
        (2..=3).contains(&p.addresses.len())
    });
}
