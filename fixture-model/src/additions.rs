//! 追加試験 fixtures: `fixtures/additions/`, the municipality profiles before and after
//! an addition (a certificate type a municipality added, or a store operator that joined
//! it), with their 清算 (settlement) figures.
//!
//! `fixtures/additions/after/*.toml` are municipality profiles in the state after the
//! additions; every other sub-folder holds profiles of the state *before* one addition.
//! The addition is what the after profile has and the before profile lacks: exactly one
//! certificate type, or exactly one operator code in `[settlement] operators`. See
//! `fixtures/additions/README.md`.

use std::fmt;
use std::path::{Path, PathBuf};

use kofu_profile::CertificateType;

use crate::municipality::Settlement;
use crate::{FixtureError, Fixtures, Municipality};

/// What a municipality added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addition {
    /// A certificate type (`type:fuhyo`).
    Type(CertificateType),
    /// A store operator by 事業者コード (`operator:OP-C`).
    Operator(String),
}

impl Addition {
    /// The added type, for a type addition.
    pub fn added_type(&self) -> Option<CertificateType> {
        match self {
            Self::Type(t) => Some(*t),
            Self::Operator(_) => None,
        }
    }
}

impl fmt::Display for Addition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Type(t) => write!(f, "type:{}", t.code()),
            Self::Operator(code) => write!(f, "operator:{code}"),
        }
    }
}

/// Errors loading `fixtures/additions/`.
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
    Profile(#[source] FixtureError),
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
        self.addition.added_type()
    }

    /// The added operator code, for an operator addition.
    pub fn added_operator(&self) -> Option<&str> {
        match &self.addition {
            Addition::Operator(code) => Some(code),
            Addition::Type(_) => None,
        }
    }
}

/// Load the bundled additions under `<fixtures>/additions/` (none when the folder is
/// absent), each checked against the fixtures: the after state is the bundled profile
/// plus its settlement figures, and names only operators of the fixtures.
pub fn load(fixtures: &Fixtures) -> Result<Vec<BundledAddition>, AdditionsError> {
    let dir = fixtures.root.join("additions");
    if dir.is_dir() {
        bundled(fixtures, &dir)
    } else {
        Ok(Vec::new())
    }
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
        .retain(|c| Some(c.certificate) != addition.added_type());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> Fixtures {
        Fixtures::load_default().expect("fixtures load")
    }

    #[test]
    fn the_bundled_additions_load() {
        let bundled = load(&fixtures()).expect("additions load");
        let t = bundled
            .iter()
            .find(|b| b.added_type().is_some())
            .expect("a type addition");
        assert_eq!(t.addition, Addition::Type(CertificateType::Fuhyo));
        assert_eq!(t.municipality(), "990001");
        assert!(t.before.offer(CertificateType::Fuhyo).is_none());
        let o = bundled
            .iter()
            .find(|b| b.added_operator().is_some())
            .expect("an operator addition");
        assert_eq!(o.addition, Addition::Operator("OP-C".into()));
        assert!(!o.before_settlement.operators.contains(&"OP-C".to_owned()));
        assert_eq!(
            o.before_settlement.annual_operating_contribution,
            o.after_settlement.annual_operating_contribution
        );
    }

    #[test]
    fn a_before_profile_lacks_exactly_one_thing() {
        let bundled = load(&fixtures()).expect("loads");
        let t = bundled
            .iter()
            .find(|b| b.added_type().is_some())
            .expect("a type addition")
            .clone();
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
}
