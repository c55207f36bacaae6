//! 追加試験 (additions) in a run: when a municipality adds a certificate type, or a
//! store operator (事業者) starts issuing for it, the tests run again and the commission
//! does not change (FAQ 6). `kofu run --added type:CODE` or `--added operator:CODE`
//! ([`parse_added`]) selects the regression subset for that one addition; without
//! `--added` every bundled addition is exercised. The bundled additions themselves are
//! loaded by the fixtures crate ([`kofu_fixtures::additions`]).
//!
//! # Selection
//! - `--added type:CODE`: the `@phase-additions` scenarios tagged `@addition-type`,
//!   every scenario tagged `@requires-type-CODE`, and every `@regression` scenario.
//! - `--added operator:CODE`: the `@phase-additions` scenarios tagged
//!   `@addition-operator`, the whole `@phase-settlement`, and every `@regression`
//!   scenario.
//! - A `--tags` expression applies as well (AND).

use std::path::PathBuf;
use std::sync::Arc;

use kofu_fixtures::{Fixtures, Municipality};
use kofu_profile::CertificateType;

pub use kofu_fixtures::additions::{Addition, BundledAddition};

/// Tag of every 追加試験 feature.
pub const PHASE_TAG: &str = "phase-additions";
/// Tag of the 追加試験 scenarios for an added certificate type.
pub const TYPE_TAG: &str = "addition-type";
/// Tag of the 追加試験 scenarios for an added store operator.
pub const OPERATOR_TAG: &str = "addition-operator";
/// Tag of the smoke scenarios rerun after any addition.
pub const REGRESSION_TAG: &str = "regression";
/// Tag of the settlement phase, rerun after an operator addition.
pub const SETTLEMENT_TAG: &str = "phase-settlement";

/// An `--added` value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdditionParseError {
    /// Not `KIND:CODE`.
    #[error(
        "`{0}` is not KIND:CODE: use type:CODE (e.g. type:fuhyo) or operator:CODE (e.g. operator:OP-C)"
    )]
    Syntax(String),
    /// A kind other than `type` or `operator`.
    #[error("unknown addition kind `{0}`: use type:CODE or operator:CODE")]
    Kind(String),
    /// Not a certificate type code of the profile.
    #[error("unknown certificate type `{code}`: one of {known}")]
    Type {
        /// What was given.
        code: String,
        /// The known codes.
        known: String,
    },
    /// Not a plausible 事業者コード.
    #[error(
        "invalid operator code `{0}`: letters, digits, `-` and `_` only, as in fixtures/operators"
    )]
    Operator(String),
}

/// An `--added` value: `type:CODE` (a code or a title) or `operator:CODE`.
pub fn parse_added(s: &str) -> Result<Addition, AdditionParseError> {
    let (kind, code) = s
        .split_once(':')
        .ok_or_else(|| AdditionParseError::Syntax(s.to_owned()))?;
    let (kind, code) = (kind.trim(), code.trim());
    if kind.is_empty() || code.is_empty() {
        return Err(AdditionParseError::Syntax(s.to_owned()));
    }
    match kind.to_ascii_lowercase().as_str() {
        "type" => CertificateType::from_code_or_title(code)
            .map(Addition::Type)
            .ok_or_else(|| AdditionParseError::Type {
                code: code.to_owned(),
                known: CertificateType::ALL
                    .iter()
                    .map(|t| t.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        "operator" => {
            if code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                Ok(Addition::Operator(code.to_owned()))
            } else {
                Err(AdditionParseError::Operator(code.to_owned()))
            }
        }
        _ => Err(AdditionParseError::Kind(kind.to_owned())),
    }
}

/// Errors preparing the additions of a run: setup errors (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum AdditionsError {
    /// `fixtures/additions` is broken.
    #[error(transparent)]
    Bundled(#[from] kofu_fixtures::additions::AdditionsError),
    /// `--added operator:CODE` names an operator the fixtures do not have.
    #[error("--added operator:{0}: no operator `{0}` in fixtures/operators (known: {1})")]
    UnknownOperator(String, String),
    /// `--added type:CODE` names a type no municipality profile offers.
    #[error("--added type:{0}: no municipality profile in fixtures/municipalities offers `{0}`")]
    TypeNotOffered(String),
    /// No before state is bundled for the addition.
    #[error(
        "--added {addition}: no profile of the state before that addition under {dir} (see fixtures/additions/README.md)"
    )]
    NoBeforeState {
        /// The addition asked for.
        addition: String,
        /// The additions folder.
        dir: PathBuf,
    },
}

/// Whether a scenario runs under the `--added` selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// It runs.
    Run,
    /// It is not part of the selection (left out silently, as `--tags` does).
    Excluded,
}

/// The additions of one run: the one `--added` asked for, or every bundled one.
#[derive(Debug, Clone, Default)]
pub struct Additions {
    /// The `--added` value, if any.
    pub selected: Option<Addition>,
    /// The additions in play: the selected one, or all bundled ones.
    pub in_play: Vec<BundledAddition>,
}

impl Additions {
    /// Load the bundled additions under `<fixtures>/additions/` and keep those in play:
    /// the `selected` one, or all. A selected addition must name a type some
    /// municipality profile offers, or an operator of the fixtures, and have a bundled
    /// before state.
    pub fn load(fixtures: &Fixtures, selected: Option<Addition>) -> Result<Self, AdditionsError> {
        match &selected {
            Some(Addition::Type(t))
                if !fixtures
                    .municipalities
                    .iter()
                    .any(|m| m.offer(*t).is_some()) =>
            {
                return Err(AdditionsError::TypeNotOffered(t.code().to_owned()));
            }
            Some(Addition::Operator(code)) if fixtures.operator(code).is_none() => {
                let known: Vec<&str> = fixtures.operators.iter().map(|o| o.code.as_str()).collect();
                return Err(AdditionsError::UnknownOperator(
                    code.clone(),
                    known.join(", "),
                ));
            }
            _ => {}
        }
        let dir = fixtures.root.join("additions");
        let bundled = kofu_fixtures::additions::load(fixtures)?;
        let in_play: Vec<BundledAddition> = match &selected {
            Some(a) => bundled.into_iter().filter(|b| &b.addition == a).collect(),
            None => bundled,
        };
        if let Some(a) = &selected
            && in_play.is_empty()
        {
            return Err(AdditionsError::NoBeforeState {
                addition: a.to_string(),
                dir,
            });
        }
        Ok(Self { selected, in_play })
    }

    /// The type addition in play (the first, when every bundled one is).
    pub fn type_addition(&self) -> Option<&BundledAddition> {
        self.in_play.iter().find(|b| b.added_type().is_some())
    }

    /// The operator addition in play (the first, when every bundled one is).
    pub fn operator_addition(&self) -> Option<&BundledAddition> {
        self.in_play.iter().find(|b| b.added_operator().is_some())
    }

    /// Whether a scenario with these tags (feature, rule and scenario tags, without
    /// `@`) belongs to the run's selection.
    pub fn select(&self, tags: &[String]) -> Selection {
        let has = |t: &str| tags.iter().any(|x| x == t);
        let Some(selected) = &self.selected else {
            return Selection::Run;
        };
        let wanted = has(REGRESSION_TAG)
            || match selected {
                Addition::Type(t) => {
                    (has(PHASE_TAG) && has(TYPE_TAG)) || has(&format!("requires-type-{}", t.code()))
                }
                Addition::Operator(_) => {
                    (has(PHASE_TAG) && has(OPERATOR_TAG)) || has(SETTLEMENT_TAG)
                }
            };
        if wanted {
            Selection::Run
        } else {
            Selection::Excluded
        }
    }

    /// Why a 追加試験 scenario cannot run against these claims, or `None`: no
    /// addition of its kind is in play, or the candidate does not claim the
    /// municipality or the added type.
    pub fn not_applicable(&self, tags: &[String], claims: &[Municipality]) -> Option<String> {
        let has = |t: &str| tags.iter().any(|x| x == t);
        let (kind, addition) = if has(TYPE_TAG) {
            ("certificate type", self.type_addition())
        } else if has(OPERATOR_TAG) {
            ("operator", self.operator_addition())
        } else {
            return None;
        };
        let Some(addition) = addition else {
            return Some(format!(
                "no {kind} addition is bundled under fixtures/additions"
            ));
        };
        let Some(claim) = claims.iter().find(|m| m.code == addition.municipality()) else {
            return Some(format!(
                "the municipality profiles do not claim {}, which made the addition `{}`",
                addition.municipality(),
                addition.addition
            ));
        };
        if let Some(t) = addition.added_type()
            && claim.offer(t).is_none()
        {
            return Some(format!(
                "the municipality profile of {} does not claim the added type `{}`",
                claim.code,
                t.code()
            ));
        }
        None
    }

    /// The fixtures the candidate is set up with: the operator table as it was before
    /// the operator additions in play. A bundled reference server so has never seen
    /// the added operator's code, as a real server deployed before the addition.
    pub fn candidate_fixtures(&self, fixtures: &Arc<Fixtures>) -> Arc<Fixtures> {
        let added: Vec<&str> = self
            .in_play
            .iter()
            .filter_map(BundledAddition::added_operator)
            .collect();
        if added.is_empty() {
            return fixtures.clone();
        }
        let mut before = Fixtures::clone(fixtures);
        before
            .operators
            .retain(|o| !added.contains(&o.code.as_str()));
        Arc::new(before)
    }
}

#[cfg(test)]
mod tests;
