//! Typed view of the synthetic test data under `fixtures/`: the single source of truth
//! read by the harness, the reference server and the vendor export.
//!
//! # Layout
//! - [`municipality`]: municipality profiles, the candidate's claims (TOML).
//! - [`additions`]: 追加試験 profiles before and after an addition (TOML).
//! - [`operator`]: store operator profiles (TOML).
//! - [`register`]: residents, households, 戸籍 and tax assessments (TOML).
//! - [`card`]: test cards with certificate serials, PINs and states (TOML).
//! - [`export`]: the register a vendor loads into its own server (JSON and CSV).

pub mod additions;
pub mod card;
pub mod export;
pub mod municipality;
pub mod operator;
pub mod register;

#[cfg(test)]
mod fixture_tests;

use std::path::{Path, PathBuf};

pub use card::{Card, CardState, Reservation};
pub use municipality::Municipality;
pub use operator::Operator;
pub use register::{FamilyRegisterRecord, Household, Person, Register};

/// Errors loading fixtures.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// A file could not be read.
    #[error("cannot read fixture file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid TOML for its type.
    #[error("invalid fixture file {path}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: toml::de::Error,
    },
    /// The data contradicts itself.
    #[error("inconsistent fixtures: {0}")]
    Inconsistent(String),
    /// Writing an export failed.
    #[error("cannot write export to {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// All fixtures, loaded.
#[derive(Debug, Clone)]
pub struct Fixtures {
    /// Where they were loaded from.
    pub root: PathBuf,
    /// Municipality profiles by file stem.
    pub municipalities: Vec<Municipality>,
    /// Store operators.
    pub operators: Vec<Operator>,
    /// The resident register and family registers.
    pub register: Register,
    /// Test cards.
    pub cards: Vec<Card>,
}

/// The `fixtures/` folder of this repository, known at compile time.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fixture-model lives in the workspace")
        .join("fixtures")
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, FixtureError> {
    let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| FixtureError::Parse {
        path: path.to_owned(),
        source,
    })
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, FixtureError> {
    let entries = std::fs::read_dir(dir).map_err(|source| FixtureError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

impl Fixtures {
    /// Load every fixture under `root` and check cross-references.
    pub fn load(root: &Path) -> Result<Self, FixtureError> {
        let municipalities = toml_files(&root.join("municipalities"))?
            .iter()
            .map(|p| Municipality::load(p))
            .collect::<Result<Vec<_>, _>>()?;
        let operators = toml_files(&root.join("operators"))?
            .iter()
            .map(|p| read_toml::<Operator>(p))
            .collect::<Result<Vec<_>, _>>()?;
        let register: Register = read_toml(&root.join("residents/register.toml"))?;
        let cards: card::CardFile = read_toml(&root.join("cards/cards.toml"))?;
        let fixtures = Self {
            root: root.to_owned(),
            municipalities,
            operators,
            register,
            cards: cards.cards,
        };
        fixtures.check()?;
        Ok(fixtures)
    }

    /// Load the repository's own fixtures.
    pub fn load_default() -> Result<Self, FixtureError> {
        Self::load(&default_root())
    }

    /// The municipality with this code.
    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The operator with this code.
    pub fn operator(&self, code: &str) -> Option<&Operator> {
        self.operators.iter().find(|o| o.code == code)
    }

    /// The card with this id (e.g. `C001`).
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The card with this certificate serial.
    pub fn card_by_serial(&self, serial: &str) -> Option<&Card> {
        self.cards
            .iter()
            .find(|c| c.serial.eq_ignore_ascii_case(serial))
    }

    fn check(&self) -> Result<(), FixtureError> {
        for card in &self.cards {
            if self.register.person(&card.person).is_none() {
                return Err(FixtureError::Inconsistent(format!(
                    "card {} names unknown person {}",
                    card.id, card.person
                )));
            }
        }
        self.register.check()?;
        for m in &self.municipalities {
            if self
                .municipalities
                .iter()
                .filter(|o| o.code == m.code)
                .count()
                > 1
            {
                return Err(FixtureError::Inconsistent(format!(
                    "municipality code {} defined twice",
                    m.code
                )));
            }
        }
        Ok(())
    }
}
