//! The fixtures hold a case on each side of each boundary of the rules (issue §5,
//! "verdict integrity"), and each case is issued by some scenario.
//!
//! Every edge case is a named predicate over the loaded fixtures. The test fails naming
//! the case when no person (or household) satisfies it any more, and when no feature file
//! under `features/` places a card that reaches it: the card of the person, or of a
//! member of their household (世帯全員) or of their 戸籍 (戸籍全部事項証明書).

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use kofu_fixtures::register::{Person, Register, ResidentStatus};
use kofu_fixtures::{Fixtures, Household};

/// One edge case: a name and the persons that witness it.
struct Case {
    name: &'static str,
    witnesses: fn(&Register) -> Vec<String>,
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a valid date in the test")
}

/// The persons with `field` on `day`.
fn persons_with(
    register: &Register,
    day: &str,
    field: fn(&Person) -> Vec<NaiveDate>,
) -> Vec<String> {
    let day = date(day);
    register
        .persons
        .iter()
        .filter(|p| field(p).contains(&day))
        .map(|p| p.id.clone())
        .collect()
}

fn birth(p: &Person) -> Vec<NaiveDate> {
    vec![p.birth_date]
}

fn resident_since(p: &Person) -> Vec<NaiveDate> {
    p.resident_since.into_iter().collect()
}

fn annex_dates(p: &Person) -> Vec<NaiveDate> {
    p.addresses.iter().map(|a| a.since).collect()
}

/// Born on `day` and recorded in a 戸籍 (戸籍全部事項証明書 prints the birth date).
fn family_register_birth(register: &Register, day: &str) -> Vec<String> {
    let day = date(day);
    register
        .family_registers
        .iter()
        .flat_map(|k| &k.members)
        .filter_map(|m| register.person(&m.person))
        .filter(|p| p.birth_date == day)
        .map(|p| p.id.clone())
        .collect()
}

/// A CJK compatibility ideograph with a canonical (singleton) decomposition, so NFC
/// replaces it: U+F900–U+FAD9 and U+2F800–U+2FA1D, less the twelve unified ideographs of
/// that block (U+FA0E, FA0F, FA11, FA13, FA14, FA1F, FA21, FA23, FA24, FA27–FA29) and the
/// unassigned U+FA6E, U+FA6F. Written out here so the test needs no normalisation crate.
fn nfc_changes(c: char) -> bool {
    const UNIFIED: [u32; 12] = [
        0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F, 0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28,
        0xFA29,
    ];
    let u = c as u32;
    let compat = matches!(u, 0xF900..=0xFA6D | 0xFA70..=0xFAD9 | 0x2F800..=0x2FA1D);
    compat && !UNIFIED.contains(&u)
}

fn is_combining_kana_mark(c: char) -> bool {
    matches!(c, '\u{3099}' | '\u{309A}')
}

fn persons_where(register: &Register, pred: impl Fn(&Person) -> bool) -> Vec<String> {
    register
        .persons
        .iter()
        .filter(|p| pred(p))
        .map(|p| p.id.clone())
        .collect()
}

/// The current members of each household in register order (what 世帯全員 lists).
fn households(register: &Register) -> Vec<(&Household, Vec<&Person>)> {
    register
        .households
        .iter()
        .map(|h| {
            let members = register
                .household_members(&h.id)
                .filter(|p| p.status == ResidentStatus::Resident)
                .collect();
            (h, members)
        })
        .collect()
}

/// The members of households whose register order is none of the orders `keys` sort by.
fn households_unlike(register: &Register, keys: &[fn(&Person) -> String]) -> Vec<String> {
    households(register)
        .into_iter()
        .filter(|(_, members)| members.len() >= 3)
        .filter(|(_, members)| {
            let ids: Vec<&str> = members.iter().map(|p| p.id.as_str()).collect();
            keys.iter().all(|key| {
                let mut sorted = members.clone();
                sorted.sort_by_key(|p| key(p));
                let ascending: Vec<&str> = sorted.iter().map(|p| p.id.as_str()).collect();
                let descending: Vec<&str> = ascending.iter().rev().copied().collect();
                ids != ascending && ids != descending
            })
        })
        .flat_map(|(_, members)| members.into_iter().map(|p| p.id.clone()))
        .collect()
}

fn by_birth(p: &Person) -> String {
    p.birth_date.to_string()
}

fn by_id(p: &Person) -> String {
    p.id.clone()
}

fn by_kana(p: &Person) -> String {
    p.kana.clone()
}

const CASES: &[Case] = &[
    Case {
        name: "a birth date on 1926-12-24 (大正15年12月24日, the last day of 大正)",
        witnesses: |r| persons_with(r, "1926-12-24", birth),
    },
    Case {
        name: "a birth date on 1926-12-25 (昭和元年12月25日, the first day of 昭和)",
        witnesses: |r| persons_with(r, "1926-12-25", birth),
    },
    Case {
        name: "a birth date on 1989-01-07 (昭和64年1月7日, the last day of 昭和)",
        witnesses: |r| persons_with(r, "1989-01-07", birth),
    },
    Case {
        name: "a birth date on 1989-01-08 (平成元年1月8日, the first day of 平成)",
        witnesses: |r| persons_with(r, "1989-01-08", birth),
    },
    Case {
        name: "a birth date on 2019-04-30 (平成31年4月30日, the last day of 平成)",
        witnesses: |r| persons_with(r, "2019-04-30", birth),
    },
    Case {
        name: "a birth date on 2019-05-01 (令和元年5月1日, the first day of 令和)",
        witnesses: |r| persons_with(r, "2019-05-01", birth),
    },
    Case {
        name: "a 住民となった日 on 1989-01-07 (昭和64年1月7日)",
        witnesses: |r| persons_with(r, "1989-01-07", resident_since),
    },
    Case {
        name: "a 住民となった日 on 1989-01-08 (平成元年1月8日)",
        witnesses: |r| persons_with(r, "1989-01-08", resident_since),
    },
    Case {
        name: "a 住民となった日 on 2019-04-30 (平成31年4月30日)",
        witnesses: |r| persons_with(r, "2019-04-30", resident_since),
    },
    Case {
        name: "a 住民となった日 on 2019-05-01 (令和元年5月1日)",
        witnesses: |r| persons_with(r, "2019-05-01", resident_since),
    },
    Case {
        name: "a 附票 住所を定めた日 on 1989-01-07 (昭和64年1月7日)",
        witnesses: |r| persons_with(r, "1989-01-07", annex_dates),
    },
    Case {
        name: "a 附票 住所を定めた日 on 1989-01-08 (平成元年1月8日)",
        witnesses: |r| persons_with(r, "1989-01-08", annex_dates),
    },
    Case {
        name: "a 附票 住所を定めた日 on 2019-04-30 (平成31年4月30日)",
        witnesses: |r| persons_with(r, "2019-04-30", annex_dates),
    },
    Case {
        name: "a 附票 住所を定めた日 on 2019-05-01 (令和元年5月1日)",
        witnesses: |r| persons_with(r, "2019-05-01", annex_dates),
    },
    Case {
        name: "a 附票 住所を定めた日 late in a first year, not an era's first day (平成元年12月31日)",
        witnesses: |r| persons_with(r, "1989-12-31", annex_dates),
    },
    Case {
        name: "a 戸籍 member born on 1926-12-24 (大正15年12月24日)",
        witnesses: |r| family_register_birth(r, "1926-12-24"),
    },
    Case {
        name: "a 戸籍 member born on 1926-12-25 (昭和元年12月25日)",
        witnesses: |r| family_register_birth(r, "1926-12-25"),
    },
    Case {
        name: "a 戸籍 member born on 1989-01-07 (昭和64年1月7日)",
        witnesses: |r| family_register_birth(r, "1989-01-07"),
    },
    Case {
        name: "a 戸籍 member born on 1989-01-08 (平成元年1月8日)",
        witnesses: |r| family_register_birth(r, "1989-01-08"),
    },
    Case {
        name: "a 戸籍 member born on 2019-04-30 (平成31年4月30日)",
        witnesses: |r| family_register_birth(r, "2019-04-30"),
    },
    Case {
        name: "a 戸籍 member born on 2019-05-01 (令和元年5月1日)",
        witnesses: |r| family_register_birth(r, "2019-05-01"),
    },
    Case {
        name: "a name with a code point NFC changes (a CJK compatibility ideograph, e.g. 塚 U+FA10)",
        witnesses: |r| persons_where(r, |p| p.name.chars().any(nfc_changes)),
    },
    Case {
        name: "two names with different code points NFC changes (e.g. 塚 U+FA10 and 神 U+FA19 in one name)",
        witnesses: |r| {
            persons_where(r, |p| {
                p.name
                    .chars()
                    .filter(|c| nfc_changes(*c))
                    .collect::<BTreeSet<_>>()
                    .len()
                    >= 2
            })
        },
    },
    Case {
        name: "a name with a combining voiced sound mark NFC composes (U+3099 / U+309A)",
        witnesses: |r| persons_where(r, |p| p.name.chars().any(is_combining_kana_mark)),
    },
    Case {
        name: "a フリガナ with a combining voiced sound mark NFC composes (U+3099 / U+309A)",
        witnesses: |r| persons_where(r, |p| p.kana.chars().any(is_combining_kana_mark)),
    },
    Case {
        name: "a name with 﨑 U+FA11, a compatibility-block ideograph NFC keeps (the control case)",
        witnesses: |r| persons_where(r, |p| p.name.contains('\u{FA11}')),
    },
    Case {
        name: "a household whose register order differs from birth order (either way)",
        witnesses: |r| households_unlike(r, &[by_birth]),
    },
    Case {
        name: "a household whose register order differs from member-id order",
        witnesses: |r| households_unlike(r, &[by_id]),
    },
    Case {
        name: "a household whose register order differs from kana order",
        witnesses: |r| households_unlike(r, &[by_kana]),
    },
    Case {
        name: "a household whose register order differs from birth, member-id and kana order at once",
        witnesses: |r| households_unlike(r, &[by_birth, by_id, by_kana]),
    },
];

/// The cards whose certificates print the person: their own, and those of the members
/// of their household and of their 戸籍.
fn cards_reaching(fixtures: &Fixtures, person: &str) -> BTreeSet<String> {
    let register = &fixtures.register;
    let mut persons = BTreeSet::from([person.to_owned()]);
    if let Some(p) = register.person(person) {
        if let Some(h) = &p.household {
            persons.extend(register.household_members(h).map(|m| m.id.clone()));
        }
        if let Some(k) = p
            .family_register
            .as_deref()
            .and_then(|k| register.family_register(k))
        {
            persons.extend(k.members.iter().map(|m| m.person.clone()));
        }
    }
    fixtures
        .cards
        .iter()
        .filter(|c| persons.contains(&c.person))
        .map(|c| c.id.clone())
        .collect()
}

fn feature_texts(dir: &Path, out: &mut String) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            feature_texts(&path, out);
        } else if path.extension().is_some_and(|x| x == "feature") {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            out.push('\n');
        }
    }
}

#[test]
fn every_edge_case_is_in_the_fixtures_and_issued_by_a_scenario() {
    let fixtures = Fixtures::load_default().expect("default fixtures load");
    let mut features = String::new();
    feature_texts(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../features"),
        &mut features,
    );
    let mut lost = Vec::new();
    for case in CASES {
        let witnesses = (case.witnesses)(&fixtures.register);
        if witnesses.is_empty() {
            lost.push(format!("{}: no person in the fixtures any more", case.name));
            continue;
        }
        let cards: BTreeSet<String> = witnesses
            .iter()
            .flat_map(|p| cards_reaching(&fixtures, p))
            .collect();
        let used = cards
            .iter()
            .any(|c| features.contains(&format!("カード \"{c}\"")));
        if !used {
            lost.push(format!(
                "{}: no feature file places a card that reaches {} (cards {})",
                case.name,
                witnesses.join(", "),
                cards.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    assert!(lost.is_empty(), "edge cases lost:\n  {}", lost.join("\n  "));
}

#[test]
fn the_nfc_predicate_knows_the_unified_ideographs_of_the_compatibility_block() {
    assert!(nfc_changes('\u{FA10}'));
    assert!(nfc_changes('\u{FA19}'));
    assert!(!nfc_changes('\u{FA11}'));
    assert!(!nfc_changes('\u{585A}'));
    assert!(!nfc_changes('\u{20BB7}'));
}
