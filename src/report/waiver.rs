//! Waivers (`kofu run --waivers FILE`): a known failure of the candidate, accepted for a
//! time with a reason and an owner, is reported as waived instead of failed and does not
//! fail the run. A waiver is a promise with an end: one past its expiry day, one that
//! matches no scenario of the selection, or one whose scenario did not fail is stale and
//! fails the run, named, so that the file never silently outlives the defect it covers.
//!
//! The file is TOML, one `[[waiver]]` table per waiver:
//!
//! ```toml
//! [[waiver]]
//! scenario = "05-settlement/records.feature:14"
//! reason = "vendor ticket ACME-123: records are rebuilt at night"
//! owner = "qa@acme.example"
//! expires = "2027-01-31"
//! ```
//!
//! `scenario` names a scenario as the reports do: `<feature file>:<line>` (the feature
//! file relative to the features folder, the line of the scenario or of its outline
//! row), or the scenario's `id` in `summary.json` and `cucumber.json`. The expiry day is
//! still valid.

use std::path::{Path, PathBuf};

/// One waiver of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Waiver {
    /// The scenario waived: `<feature file>:<line>` or the scenario's report id.
    pub scenario: String,
    /// Why the failure is accepted for now (a ticket, a date it is fixed by).
    pub reason: String,
    /// Who answers for it.
    pub owner: String,
    /// The last day the waiver holds, `YYYY-MM-DD`.
    pub expires: chrono::NaiveDate,
}

impl Waiver {
    /// The note the reports show: `waived: <reason> (<owner>, until <expires>)`.
    pub fn note(&self) -> String {
        format!(
            "waived: {} ({}, until {})",
            self.reason, self.owner, self.expires
        )
    }

    /// Whether the waiver names the scenario of `feature` (relative path) at `line`,
    /// whose report id is `id`.
    pub fn names(&self, feature: &str, line: usize, id: &str) -> bool {
        self.scenario == id || self.scenario == format!("{feature}:{line}")
    }
}

/// Why the waivers file cannot be used (a setup error: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// The file cannot be read.
    #[error("cannot read the waivers file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not TOML of the waivers' shape (unknown fields included).
    #[error("the waivers file {path} is not valid: {detail}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    waiver: Vec<RawWaiver>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    scenario: String,
    reason: String,
    owner: String,
    /// A string `"2027-01-31"` or a TOML date `2027-01-31`.
    expires: toml::Value,
}

/// The largest waivers file read: far more than any list of known failures.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Read and check a waivers file: TOML of `[[waiver]]` tables with exactly the fields
/// `scenario`, `reason`, `owner` and `expires` (a date), none empty, no scenario twice.
pub fn load(path: &Path) -> Result<Vec<Waiver>, WaiverError> {
    let read = |source| WaiverError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(WaiverError::Invalid {
            path: path.to_owned(),
            detail: format!("{size} bytes, more than the {MAX_FILE_BYTES} a waivers file may have"),
        });
    }
    let text = std::fs::read_to_string(path).map_err(read)?;
    parse(&text).map_err(|detail| WaiverError::Invalid {
        path: path.to_owned(),
        detail,
    })
}

/// Parse the text of a waivers file (see [`load`]).
pub fn parse(text: &str) -> Result<Vec<Waiver>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string().trim().to_owned())?;
    let mut out: Vec<Waiver> = Vec::new();
    for (i, raw) in file.waiver.into_iter().enumerate() {
        let n = i + 1;
        let expires = match &raw.expires {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => format!("{other}"),
        };
        let expires = chrono::NaiveDate::parse_from_str(expires.trim(), "%Y-%m-%d")
            .map_err(|_| format!("waiver {n}: expires `{expires}` is not a date YYYY-MM-DD"))?;
        for (field, value) in [
            ("scenario", &raw.scenario),
            ("reason", &raw.reason),
            ("owner", &raw.owner),
        ] {
            if value.trim().is_empty() {
                return Err(format!("waiver {n}: `{field}` is empty"));
            }
        }
        if out.iter().any(|w| w.scenario == raw.scenario) {
            return Err(format!(
                "waiver {n}: scenario `{}` is waived twice",
                raw.scenario
            ));
        }
        out.push(Waiver {
            scenario: raw.scenario.trim().to_owned(),
            reason: raw.reason.trim().to_owned(),
            owner: raw.owner.trim().to_owned(),
            expires,
        });
    }
    Ok(out)
}

/// The day a waiver is judged on: the run's start date in Japan (JST, UTC+9), where
/// the municipalities and their vendors keep their calendars.
pub fn today(started_at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    (started_at + chrono::TimeDelta::hours(9)).date_naive()
}

/// A waiver that fails the run, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaleWaiver {
    /// The waiver.
    pub waiver: Waiver,
    /// Why it is stale: expired, matches no scenario, or its scenario did not fail.
    pub why: String,
}

impl StaleWaiver {
    /// `stale waiver for <scenario> (<owner>): <why>`.
    pub fn message(&self) -> String {
        format!(
            "stale waiver for {} ({}): {}",
            self.waiver.scenario, self.waiver.owner, self.why
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waivers_file_parses_with_string_or_toml_dates() {
        let w = parse(
            r#"
[[waiver]]
scenario = "05-settlement/records.feature:14"
reason = "vendor ticket ACME-123"
owner = "qa@acme.example"
expires = "2027-01-31"

[[waiver]]
scenario = "a;b"
reason = "r"
owner = "o"
expires = 2027-02-01
"#,
        )
        .expect("parses");
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].expires.to_string(), "2027-01-31");
        assert_eq!(w[1].expires.to_string(), "2027-02-01");
        assert!(w[0].names("05-settlement/records.feature", 14, "x;y"));
        assert!(w[1].names("f.feature", 3, "a;b"));
        assert_eq!(
            w[0].note(),
            "waived: vendor ticket ACME-123 (qa@acme.example, until 2027-01-31)"
        );
    }

    #[test]
    fn unknown_fields_bad_dates_and_duplicates_are_refused() {
        let base = "[[waiver]]\nscenario = \"f:1\"\nreason = \"r\"\nowner = \"o\"\n";
        assert!(parse(&format!("{base}expires = \"2027-01-31\"\nticket = 1\n")).is_err());
        assert!(parse(&format!("{base}expires = \"31/01/2027\"\n")).is_err());
        assert!(
            parse(&format!(
                "{base}expires = \"2027-01-31\"\n{base}expires = \"2027-01-31\"\n"
            ))
            .is_err()
        );
        assert!(parse("[[waivers]]\n").is_err());
        assert!(parse("[[waiver]]\nscenario = \"f:1\"\n").is_err());
        assert_eq!(parse("").expect("empty file"), Vec::new());
    }
}
