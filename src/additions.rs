//! 追加試験 (additions): when a municipality adds a certificate type, or a store operator
//! (事業者) starts issuing for it, the tests run again and the commission does not change
//! (FAQ 6). `kofu run --added type:CODE` or `--added operator:CODE` selects the
//! regression subset for that one addition; without `--added` every bundled addition of
//! `fixtures/additions/` is exercised.
//!
//! # Fixtures
//! `fixtures/additions/after/*.toml` are municipality profiles in the state after the
//! additions, with their 清算 (settlement) figures; every other sub-folder holds
//! profiles of the state *before* one addition. The addition is what the after profile
//! has and the before profile lacks: exactly one certificate type, or exactly one
//! operator code in `[settlement] operators`. See `fixtures/additions/README.md`.
//!
//! # Selection
//! - `--added type:CODE`: the `@phase-additions` scenarios tagged `@addition-type`,
//!   every scenario tagged `@requires-type-CODE`, and every `@regression` scenario.
//! - `--added operator:CODE`: the `@phase-additions` scenarios tagged
//!   `@addition-operator`, the whole `@phase-settlement`, and every `@regression`
//!   scenario.
//! - A `--tags` expression applies as well (AND).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use kofu_fixtures::municipality::Settlement;
use kofu_fixtures::{Fixtures, Municipality};
use kofu_profile::CertificateType;

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

/// What a municipality added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addition {
    /// A certificate type (`type:fuhyo`).
    Type(CertificateType),
    /// A store operator by 事業者コード (`operator:OP-C`).
    Operator(String),
}

impl fmt::Display for Addition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Type(t) => write!(f, "type:{}", t.code()),
            Self::Operator(code) => write!(f, "operator:{code}"),
        }
    }
}

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

impl FromStr for Addition {
    type Err = AdditionParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, code) = s
            .split_once(':')
            .ok_or_else(|| AdditionParseError::Syntax(s.to_owned()))?;
        let (kind, code) = (kind.trim(), code.trim());
        if kind.is_empty() || code.is_empty() {
            return Err(AdditionParseError::Syntax(s.to_owned()));
        }
        match kind.to_ascii_lowercase().as_str() {
            "type" => CertificateType::from_code_or_title(code)
                .map(Self::Type)
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
                    Ok(Self::Operator(code.to_owned()))
                } else {
                    Err(AdditionParseError::Operator(code.to_owned()))
                }
            }
            _ => Err(AdditionParseError::Kind(kind.to_owned())),
        }
    }
}

/// Errors preparing the additions of a run: setup errors (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum AdditionsError {
    /// A folder could not be listed.
    #[error("cannot read the additions folder {path}")]
    Read {
        /// The folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A profile under `fixtures/additions/` does not load.
    #[error("invalid additions profile")]
    Profile(#[source] kofu_fixtures::FixtureError),
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
    /// A profile contradicts the after state or the fixtures.
    #[error("inconsistent additions profile {path}: {detail}")]
    Inconsistent {
        /// The profile.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

/// One bundled addition: the municipality profile before and after it.
#[derive(Debug, Clone)]
pub struct BundledAddition {
    /// What was added.
    pub addition: Addition,
    /// The profile before the addition.
    pub before: Municipality,
    /// The profile after the addition.
    pub after: Municipality,
    /// 清算 figures before the addition.
    pub before_settlement: Settlement,
    /// 清算 figures after the addition.
    pub after_settlement: Settlement,
    /// The before profile's file.
    pub source: PathBuf,
}

impl BundledAddition {
    /// The municipality that made the addition.
    pub fn municipality(&self) -> &str {
        &self.after.code
    }

    /// The added type, for a type addition.
    pub fn added_type(&self) -> Option<CertificateType> {
        match &self.addition {
            Addition::Type(t) => Some(*t),
            Addition::Operator(_) => None,
        }
    }

    /// The added operator code, for an operator addition.
    pub fn added_operator(&self) -> Option<&str> {
        match &self.addition {
            Addition::Operator(code) => Some(code),
            Addition::Type(_) => None,
        }
    }
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

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, AdditionsError> {
    let entries = std::fs::read_dir(dir).map_err(|source| AdditionsError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn sub_folders(dir: &Path) -> Result<Vec<PathBuf>, AdditionsError> {
    let entries = std::fs::read_dir(dir).map_err(|source| AdditionsError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn inconsistent(path: &Path, detail: impl Into<String>) -> AdditionsError {
    AdditionsError::Inconsistent {
        path: path.to_owned(),
        detail: detail.into(),
    }
}

fn settlement_of(profile: &Municipality, path: &Path) -> Result<Settlement, AdditionsError> {
    profile.settlement.clone().ok_or_else(|| {
        inconsistent(
            path,
            "no [settlement] table (運営負担金, 委託手数料, operators)",
        )
    })
}

/// The addition that turns `before` into `after`: exactly one type or one operator.
fn derive_addition(
    before: &Municipality,
    before_settlement: &Settlement,
    after: &Municipality,
    after_settlement: &Settlement,
    path: &Path,
) -> Result<Addition, AdditionsError> {
    let types = |m: &Municipality| -> Vec<CertificateType> {
        m.certificates.iter().map(|c| c.certificate).collect()
    };
    let (tb, ta) = (types(before), types(after));
    let added_types: Vec<CertificateType> =
        ta.iter().filter(|t| !tb.contains(t)).copied().collect();
    let removed_types: Vec<CertificateType> =
        tb.iter().filter(|t| !ta.contains(t)).copied().collect();
    let (ob, oa) = (&before_settlement.operators, &after_settlement.operators);
    let added_ops: Vec<String> = oa.iter().filter(|o| !ob.contains(o)).cloned().collect();
    let removed_ops: Vec<String> = ob.iter().filter(|o| !oa.contains(o)).cloned().collect();
    if !removed_types.is_empty() || !removed_ops.is_empty() {
        return Err(inconsistent(
            path,
            format!(
                "the before state has what the after state lacks (types {removed_types:?}, operators {removed_ops:?}): an addition only adds"
            ),
        ));
    }
    let addition = match (added_types.as_slice(), added_ops.as_slice()) {
        ([t], []) => Addition::Type(*t),
        ([], [o]) => Addition::Operator(o.clone()),
        _ => {
            return Err(inconsistent(
                path,
                format!(
                    "a before profile lacks exactly one type or one operator of the after profile; it lacks types {added_types:?} and operators {added_ops:?}"
                ),
            ));
        }
    };
    // Apart from the addition and the settlement figures under test, before = after.
    let mut expected = after.clone();
    expected
        .certificates
        .retain(|c| Some(c.certificate) != added_type(&addition));
    expected.settlement = None;
    let mut actual = before.clone();
    actual.settlement = None;
    if expected != actual {
        return Err(inconsistent(
            path,
            format!(
                "the before profile differs from the after profile in more than `{addition}` (an addition changes nothing else)"
            ),
        ));
    }
    Ok(addition)
}

fn added_type(addition: &Addition) -> Option<CertificateType> {
    match addition {
        Addition::Type(t) => Some(*t),
        Addition::Operator(_) => None,
    }
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
        let bundled = if dir.is_dir() {
            Self::bundled(fixtures, &dir)?
        } else {
            Vec::new()
        };
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

    fn bundled(fixtures: &Fixtures, dir: &Path) -> Result<Vec<BundledAddition>, AdditionsError> {
        let after_dir = dir.join("after");
        let mut afters = Vec::new();
        for path in toml_files(&after_dir)? {
            let after = Municipality::load(&path).map_err(AdditionsError::Profile)?;
            let settlement = settlement_of(&after, &path)?;
            if let Some(bundled) = fixtures.municipality(&after.code) {
                let mut plain = after.clone();
                plain.settlement = None;
                if &plain != bundled {
                    return Err(inconsistent(
                        &path,
                        format!(
                            "the after state must be the bundled profile of {} (fixtures/municipalities) plus [settlement]",
                            after.code
                        ),
                    ));
                }
            }
            for code in &settlement.operators {
                if fixtures.operator(code).is_none() {
                    return Err(inconsistent(
                        &path,
                        format!("operator `{code}` is not in fixtures/operators"),
                    ));
                }
            }
            afters.push((after, settlement));
        }
        let mut out = Vec::new();
        for folder in sub_folders(dir)? {
            if folder == after_dir {
                continue;
            }
            for path in toml_files(&folder)? {
                let before = Municipality::load(&path).map_err(AdditionsError::Profile)?;
                let before_settlement = settlement_of(&before, &path)?;
                let Some((after, after_settlement)) =
                    afters.iter().find(|(a, _)| a.code == before.code)
                else {
                    return Err(inconsistent(
                        &path,
                        format!(
                            "no after state for {} under {}",
                            before.code,
                            after_dir.display()
                        ),
                    ));
                };
                let addition =
                    derive_addition(&before, &before_settlement, after, after_settlement, &path)?;
                out.push(BundledAddition {
                    addition,
                    before,
                    after: after.clone(),
                    before_settlement,
                    after_settlement: after_settlement.clone(),
                    source: path,
                });
            }
        }
        Ok(out)
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
mod tests {
    use super::*;

    fn fixtures() -> Fixtures {
        Fixtures::load_default().expect("fixtures load")
    }

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn parses_a_type_by_code_or_title() {
        assert_eq!(
            "type:fuhyo".parse::<Addition>(),
            Ok(Addition::Type(CertificateType::Fuhyo))
        );
        assert_eq!(
            " type : 戸籍の附票の写し ".parse::<Addition>(),
            Ok(Addition::Type(CertificateType::Fuhyo))
        );
        assert_eq!(
            "TYPE:koseki-zenbu".parse::<Addition>(),
            Ok(Addition::Type(CertificateType::KosekiZenbu))
        );
    }

    #[test]
    fn parses_an_operator() {
        assert_eq!(
            "operator:OP-C".parse::<Addition>(),
            Ok(Addition::Operator("OP-C".to_owned()))
        );
    }

    #[test]
    fn displays_as_parsed() {
        for s in ["type:fuhyo", "type:juminhyo-kisai", "operator:OP-C"] {
            assert_eq!(s.parse::<Addition>().map(|a| a.to_string()), Ok(s.into()));
        }
    }

    #[test]
    fn refuses_malformed_values() {
        assert!(matches!(
            "fuhyo".parse::<Addition>(),
            Err(AdditionParseError::Syntax(_))
        ));
        assert!(matches!(
            "type:".parse::<Addition>(),
            Err(AdditionParseError::Syntax(_))
        ));
        assert!(matches!(
            "store:OP-C".parse::<Addition>(),
            Err(AdditionParseError::Kind(k)) if k == "store"
        ));
        let unknown = "type:passport".parse::<Addition>();
        assert!(
            matches!(&unknown, Err(AdditionParseError::Type { code, .. }) if code == "passport")
        );
        let message = unknown.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("fuhyo"), "{message}");
        assert!(matches!(
            "operator:OP C".parse::<Addition>(),
            Err(AdditionParseError::Operator(_))
        ));
    }

    #[test]
    fn the_bundled_additions_load() {
        let additions = Additions::load(&fixtures(), None).expect("additions load");
        let t = additions.type_addition().expect("a type addition");
        assert_eq!(t.addition, Addition::Type(CertificateType::Fuhyo));
        assert_eq!(t.municipality(), "990001");
        assert!(t.before.offer(CertificateType::Fuhyo).is_none());
        let o = additions.operator_addition().expect("an operator addition");
        assert_eq!(o.addition, Addition::Operator("OP-C".into()));
        assert!(!o.before_settlement.operators.contains(&"OP-C".to_owned()));
        assert_eq!(
            o.before_settlement.annual_operating_contribution,
            o.after_settlement.annual_operating_contribution
        );
    }

    #[test]
    fn a_selected_addition_keeps_only_itself() {
        let f = fixtures();
        let additions =
            Additions::load(&f, Some(Addition::Operator("OP-C".into()))).expect("loads");
        assert!(additions.type_addition().is_none());
        assert!(additions.operator_addition().is_some());
        let candidate = additions.candidate_fixtures(&Arc::new(f));
        assert!(candidate.operator("OP-C").is_none());
        assert!(candidate.operator("OP-A").is_some());
    }

    #[test]
    fn setup_errors_name_the_problem() {
        let f = fixtures();
        let err = Additions::load(&f, Some(Addition::Operator("OP-Z".into())))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("OP-Z") && err.contains("OP-A"), "{err}");
        let err = Additions::load(&f, Some(Addition::Operator("OP-A".into())))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("operator:OP-A") && err.contains("before"),
            "{err}"
        );
        let err = Additions::load(&f, Some(Addition::Type(CertificateType::Inkan)))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("type:inkan"), "{err}");
    }

    #[test]
    fn a_before_profile_lacks_exactly_one_thing() {
        let f = fixtures();
        let additions = Additions::load(&f, None).expect("loads");
        let t = additions.type_addition().expect("a type addition").clone();
        let path = Path::new("before.toml");
        let derive = |before: &Municipality, settlement: &Settlement| {
            derive_addition(before, settlement, &t.after, &t.after_settlement, path)
        };
        assert_eq!(
            derive(&t.before, &t.before_settlement).ok(),
            Some(Addition::Type(CertificateType::Fuhyo))
        );
        // Two things added at once.
        let mut fewer_operators = t.before_settlement.clone();
        fewer_operators.operators.retain(|o| o != "OP-C");
        assert!(derive(&t.before, &fewer_operators).is_err());
        // Nothing added.
        assert!(derive(&t.after, &t.after_settlement).is_err());
        // A fee changed along with the addition.
        let mut other_fee = t.before.clone();
        other_fee.certificates[0].fee += 100;
        let err = derive(&other_fee, &t.before_settlement)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("more than `type:fuhyo`"), "{err}");
    }

    #[test]
    fn selection_by_kind() {
        let f = fixtures();
        let by_type =
            Additions::load(&f, Some(Addition::Type(CertificateType::Fuhyo))).expect("loads");
        let by_operator =
            Additions::load(&f, Some(Addition::Operator("OP-C".into()))).expect("loads");
        let everything = Additions::load(&f, None).expect("loads");
        let cases: [(&[&str], Selection, Selection); 6] = [
            (
                &["phase-additions", "addition-type"],
                Selection::Run,
                Selection::Excluded,
            ),
            (
                &["phase-additions", "addition-operator"],
                Selection::Excluded,
                Selection::Run,
            ),
            (
                &["phase-issuance", "requires-type-fuhyo"],
                Selection::Run,
                Selection::Excluded,
            ),
            (
                &["phase-settlement", "requires-type-juminhyo"],
                Selection::Excluded,
                Selection::Run,
            ),
            (
                &["phase-issuance", "regression"],
                Selection::Run,
                Selection::Run,
            ),
            (
                &["phase-connection"],
                Selection::Excluded,
                Selection::Excluded,
            ),
        ];
        for (t, on_type, on_operator) in cases {
            assert_eq!(by_type.select(&tags(t)), on_type, "{t:?}");
            assert_eq!(by_operator.select(&tags(t)), on_operator, "{t:?}");
            assert_eq!(everything.select(&tags(t)), Selection::Run, "{t:?}");
        }
    }

    #[test]
    fn not_applicable_without_the_claim() {
        let f = fixtures();
        let additions = Additions::load(&f, None).expect("loads");
        let t = tags(&["phase-additions", "addition-type"]);
        assert_eq!(additions.not_applicable(&t, &f.municipalities), None);
        let mut without_fuhyo = f.municipalities.clone();
        for m in &mut without_fuhyo {
            m.certificates
                .retain(|c| c.certificate != CertificateType::Fuhyo);
        }
        let reason = additions.not_applicable(&t, &without_fuhyo);
        assert!(reason.is_some_and(|r| r.contains("fuhyo")));
        let none = Additions::default();
        assert!(none.not_applicable(&t, &f.municipalities).is_some());
        assert_eq!(none.not_applicable(&tags(&["phase-issuance"]), &[]), None);
    }
}
