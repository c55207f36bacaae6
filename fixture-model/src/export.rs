//! `kofu fixtures export DIR`: the register a vendor loads into its own server.
//!
//! Writes `register.json` (everything in one document) and flat CSV views of the same
//! data (`persons.csv`, `households.csv`, `family_registers.csv`, `tax.csv`,
//! `addresses.csv`, `cards.csv`). See `fixtures/README.md` for the columns.
//!
//! Longer than 400 lines because a third of it is the tests that read every written
//! view back against the register; the code itself is under 300 lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::register::{Person, Register};
use crate::{Card, FixtureError, Fixtures, Municipality, Operator};

/// Format version of `register.json`.
pub const EXPORT_FORMAT: u32 = 1;

/// The scenario date every fixture is written for (JST).
pub const SCENARIO_DATE: &str = "2026-11-26";

/// `register.json`.
#[derive(Debug, Serialize)]
pub struct ExportDocument<'a> {
    /// Always true: every record is synthetic test data.
    pub synthetic: bool,
    /// [`EXPORT_FORMAT`].
    pub format: u32,
    /// [`SCENARIO_DATE`].
    pub scenario_date: &'static str,
    /// Municipality profiles.
    pub municipalities: &'a [Municipality],
    /// Store operators.
    pub operators: &'a [Operator],
    /// Households, persons and family registers.
    pub register: &'a Register,
    /// Certificate serial (uppercase hex) to person id, for every card in every state.
    pub card_serials: BTreeMap<&'a str, &'a str>,
    /// The cards themselves, PINs included.
    pub cards: &'a [Card],
}

impl<'a> ExportDocument<'a> {
    /// The document for `fixtures`.
    pub fn new(fixtures: &'a Fixtures) -> Self {
        Self {
            synthetic: true,
            format: EXPORT_FORMAT,
            scenario_date: SCENARIO_DATE,
            municipalities: &fixtures.municipalities,
            operators: &fixtures.operators,
            register: &fixtures.register,
            card_serials: fixtures
                .cards
                .iter()
                .map(|c| (c.serial.as_str(), c.person.as_str()))
                .collect(),
            cards: &fixtures.cards,
        }
    }
}

/// Write the vendor export (JSON and CSV) into `dir`, creating it if needed, and return
/// the paths written.
pub fn export(fixtures: &Fixtures, dir: &Path) -> Result<Vec<PathBuf>, FixtureError> {
    std::fs::create_dir_all(dir).map_err(|source| FixtureError::Write {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::new();

    let path = dir.join("register.json");
    let mut json = serde_json::to_string_pretty(&ExportDocument::new(fixtures))
        .expect("fixtures serialize to JSON");
    json.push('\n');
    std::fs::write(&path, json).map_err(|source| FixtureError::Write {
        path: path.clone(),
        source,
    })?;
    written.push(path);

    let register = &fixtures.register;
    written.push(write_csv(dir, "persons.csv", persons_rows(register))?);
    written.push(write_csv(dir, "households.csv", households_rows(register))?);
    written.push(write_csv(
        dir,
        "family_registers.csv",
        family_register_rows(register),
    )?);
    written.push(write_csv(dir, "tax.csv", tax_rows(register))?);
    written.push(write_csv(dir, "addresses.csv", address_rows(register))?);
    written.push(write_csv(dir, "cards.csv", card_rows(&fixtures.cards))?);
    Ok(written)
}

type Rows = Vec<Vec<String>>;

fn write_csv(dir: &Path, name: &str, rows: Rows) -> Result<PathBuf, FixtureError> {
    let path = dir.join(name);
    let io_error = |path: &Path, e: csv::Error| FixtureError::Write {
        path: path.to_owned(),
        source: e.into(),
    };
    let mut writer = csv::Writer::from_path(&path).map_err(|e| io_error(&path, e))?;
    for row in rows {
        writer.write_record(&row).map_err(|e| io_error(&path, e))?;
    }
    writer.flush().map_err(|source| FixtureError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The serde name of a unit enum value (e.g. `moved-out`).
fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("not a unit enum value: {other:?}"),
    }
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn header(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| (*c).to_owned()).collect()
}

fn persons_rows(register: &Register) -> Rows {
    let mut rows = vec![header(&[
        "id",
        "household",
        "municipality",
        "address",
        "relationship",
        "name",
        "kana",
        "birth_date",
        "sex",
        "status",
        "status_date",
        "resident_since",
        "individual_number",
        "resident_code",
        "family_register",
        "nationality",
        "residence_status",
        "period_of_stay_until",
        "tsusho",
        "dv_protected",
        "seal",
        "seal_number",
        "adult_guardianship",
        "koseki_registration",
    ])];
    for p in &register.persons {
        let household = p.household.as_deref().and_then(|h| register.household(h));
        let foreign = p.foreign.as_ref();
        rows.push(vec![
            p.id.clone(),
            opt(p.household.as_ref()),
            opt(household.map(|h| &h.municipality)),
            opt(household.map(|h| &h.address)),
            opt(p.relationship.as_ref()),
            p.name.clone(),
            p.kana.clone(),
            p.birth_date.to_string(),
            word(&p.sex),
            word(&p.status),
            opt(p.status_date),
            opt(p.resident_since),
            p.individual_number.clone(),
            p.resident_code.clone(),
            opt(p.family_register.as_ref()),
            opt(foreign.map(|f| &f.nationality)),
            opt(foreign.map(|f| &f.residence_status)),
            opt(foreign.map(|f| f.period_of_stay_until)),
            opt(foreign.and_then(|f| f.tsusho.as_ref())),
            p.dv_protected.to_string(),
            word(&p.seal),
            opt(p.seal_number.as_ref()),
            p.adult_guardianship.to_string(),
            opt(p.koseki_registration.as_ref().map(word)),
        ]);
    }
    rows
}

fn households_rows(register: &Register) -> Rows {
    let mut rows = vec![header(&["id", "municipality", "address", "head"])];
    for h in &register.households {
        rows.push(vec![
            h.id.clone(),
            h.municipality.clone(),
            h.address.clone(),
            h.head.clone(),
        ]);
    }
    rows
}

fn family_register_rows(register: &Register) -> Rows {
    let mut rows = vec![header(&[
        "register",
        "municipality",
        "honseki",
        "hittosha",
        "hittosha_name",
        "state",
        "position",
        "person",
        "name",
        "relationship",
        "father",
        "mother",
    ])];
    let name = |id: &str| register.person(id).map(|p: &Person| p.name.clone());
    for k in &register.family_registers {
        for (i, m) in k.members.iter().enumerate() {
            rows.push(vec![
                k.id.clone(),
                k.municipality.clone(),
                k.honseki.clone(),
                k.hittosha.clone(),
                opt(name(&k.hittosha)),
                word(&k.state),
                (i + 1).to_string(),
                m.person.clone(),
                opt(name(&m.person)),
                m.relationship.clone(),
                opt(m.father.as_ref()),
                opt(m.mother.as_ref()),
            ]);
        }
    }
    rows
}

fn tax_rows(register: &Register) -> Rows {
    let mut rows = vec![header(&[
        "person",
        "municipality",
        "fiscal_year",
        "total_income",
        "municipal_tax",
        "prefectural_tax",
    ])];
    for p in &register.persons {
        for t in &p.tax {
            rows.push(vec![
                p.id.clone(),
                t.municipality.clone(),
                t.fiscal_year.to_string(),
                t.total_income.to_string(),
                t.municipal_tax.to_string(),
                t.prefectural_tax.to_string(),
            ]);
        }
    }
    rows
}

fn address_rows(register: &Register) -> Rows {
    let mut rows = vec![header(&["person", "position", "address", "since"])];
    for p in &register.persons {
        for (i, a) in p.addresses.iter().enumerate() {
            rows.push(vec![
                p.id.clone(),
                (i + 1).to_string(),
                a.address.clone(),
                a.since.to_string(),
            ]);
        }
    }
    rows
}

fn card_rows(cards: &[Card]) -> Rows {
    let mut rows = vec![header(&["id", "serial", "person", "pin", "state"])];
    for c in cards {
        rows.push(vec![
            c.id.clone(),
            c.serial.clone(),
            c.person.clone(),
            c.pin.clone(),
            c.state.word().to_owned(),
        ]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        (headers, rows)
    }

    fn column(headers: &[String], name: &str) -> usize {
        headers.iter().position(|h| h == name).unwrap()
    }

    #[test]
    fn export_round_trips() {
        let fixtures = Fixtures::load_default().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("vendor");
        let written = export(&fixtures, &out).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "register.json",
                "persons.csv",
                "households.csv",
                "family_registers.csv",
                "tax.csv",
                "addresses.csv",
                "cards.csv"
            ]
        );
        assert!(written.iter().all(|p| p.starts_with(&out) && p.is_file()));

        // register.json carries the whole register, the serial mapping and the profiles.
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("register.json")).unwrap())
                .unwrap();
        assert_eq!(json["synthetic"], true);
        assert_eq!(json["scenario_date"], SCENARIO_DATE);
        let register: Register = serde_json::from_value(json["register"].clone()).unwrap();
        assert_eq!(register, fixtures.register);
        let municipalities: Vec<Municipality> =
            serde_json::from_value(json["municipalities"].clone()).unwrap();
        assert_eq!(municipalities, fixtures.municipalities);
        let operators: Vec<Operator> = serde_json::from_value(json["operators"].clone()).unwrap();
        assert_eq!(operators, fixtures.operators);
        let cards: Vec<Card> = serde_json::from_value(json["cards"].clone()).unwrap();
        assert_eq!(cards, fixtures.cards);
        let serials = json["card_serials"].as_object().unwrap();
        assert_eq!(serials.len(), fixtures.cards.len());
        for card in &fixtures.cards {
            assert_eq!(serials[&card.serial], card.person.as_str());
        }

        // The CSVs hold one row per record.
        let (headers, persons) = read_csv(&out.join("persons.csv"));
        assert_eq!(persons.len(), fixtures.register.persons.len());
        let id = column(&headers, "id");
        let name = column(&headers, "name");
        let number = column(&headers, "individual_number");
        for (row, person) in persons.iter().zip(&fixtures.register.persons) {
            assert_eq!(row[id], person.id);
            assert_eq!(row[name], person.name, "exact code points survive");
            assert_eq!(row[number], person.individual_number);
        }
        let (_, households) = read_csv(&out.join("households.csv"));
        assert_eq!(households.len(), fixtures.register.households.len());
        let (_, members) = read_csv(&out.join("family_registers.csv"));
        let member_count: usize = fixtures
            .register
            .family_registers
            .iter()
            .map(|k| k.members.len())
            .sum();
        assert_eq!(members.len(), member_count);
        let (_, tax) = read_csv(&out.join("tax.csv"));
        let tax_count: usize = fixtures.register.persons.iter().map(|p| p.tax.len()).sum();
        assert_eq!(tax.len(), tax_count);
        let (_, addresses) = read_csv(&out.join("addresses.csv"));
        let address_count: usize = fixtures
            .register
            .persons
            .iter()
            .map(|p| p.addresses.len())
            .sum();
        assert_eq!(addresses.len(), address_count);
        let (headers, cards) = read_csv(&out.join("cards.csv"));
        assert_eq!(headers, ["id", "serial", "person", "pin", "state"]);
        let read_back: Vec<(&str, &str, &str, &str, &str)> = cards
            .iter()
            .map(|r| (&*r[0], &*r[1], &*r[2], &*r[3], &*r[4]))
            .collect();
        let expected: Vec<(&str, &str, &str, &str, &str)> = fixtures
            .cards
            .iter()
            .map(|c| (&*c.id, &*c.serial, &*c.person, &*c.pin, c.state.word()))
            .collect();
        assert_eq!(read_back, expected);
    }

    #[test]
    fn enum_words_match_the_toml_spelling() {
        assert_eq!(
            word(&crate::register::ResidentStatus::MovedOut),
            "moved-out"
        );
        assert_eq!(
            word(&kofu_profile::registration::RegistrationStatus::Pending),
            "pending"
        );
    }
}
