//! Typed step parameters (cucumber's `Parameter`): certificate types, 交付範囲, store
//! operators, dates and months, each written in quotes in the feature files. The regex
//! admits only well-formed values, so a misspelt one leaves the step undefined (the run
//! fails, naming the step) instead of panicking inside it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_profile::{CertificateType, Scope};

/// A value the regex let through but that does not parse (a date like 2026-02-30).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what}")]
pub struct ParamError {
    /// What was expected.
    pub what: &'static str,
    /// What was written.
    pub value: String,
}

fn invalid(what: &'static str, value: &str) -> ParamError {
    ParamError {
        what,
        value: value.to_owned(),
    }
}

/// `{certificate}`: a certificate type by Japanese title or wire code, in quotes
/// (`"住民票の写し"`, `"juminhyo"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(
    name = "certificate",
    regex = r#""(住民票の写し|住民票記載事項証明書|印鑑登録証明書|課税\(非課税\)証明書|所得証明書|戸籍全部事項証明書|戸籍個人事項証明書|戸籍の附票の写し|juminhyo|juminhyo-kisai|inkan|kazei|shotoku|koseki-zenbu|koseki-kojin|fuhyo)""#
)]
pub struct Certificate(pub CertificateType);

impl FromStr for Certificate {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CertificateType::from_code_or_title(s)
            .map(Self)
            .ok_or_else(|| invalid("certificate type", s))
    }
}

/// `{scope}`: a 交付範囲 in quotes (`"本人のみ"`, `"世帯全員"`, `"世帯の一部"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "scope", regex = r#""(本人のみ|世帯全員|世帯の一部)""#)]
pub struct ScopeName(pub Scope);

impl FromStr for ScopeName {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "本人のみ" => Ok(Self(Scope::Holder)),
            "世帯全員" => Ok(Self(Scope::Household)),
            "世帯の一部" => Ok(Self(Scope::Members)),
            other => Err(invalid("交付範囲 (本人のみ, 世帯全員, 世帯の一部)", other)),
        }
    }
}

impl fmt::Display for ScopeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Scope::Holder => "本人のみ",
            Scope::Household => "世帯全員",
            Scope::Members => "世帯の一部",
        })
    }
}

/// `{operator}`: a 事業者コード in quotes (`"OP-A"`): letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "operator", regex = r#""([A-Za-z0-9_-]+)""#)]
pub struct OperatorCode(pub String);

impl FromStr for OperatorCode {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// `{date}`: a date (業務日, 営業日) in quotes, `"YYYY-MM-DD"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "date", regex = r#""(\d{4}-\d{2}-\d{2})""#)]
pub struct Date(pub NaiveDate);

impl FromStr for Date {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse()
            .map(Self)
            .map_err(|_| invalid("date (YYYY-MM-DD)", s))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// `{month}`: a month of statements in quotes, `"YYYY-MM"`.
#[derive(Debug, Clone, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "month", regex = r#""(\d{4}-\d{2})""#)]
pub struct Month(pub String);

impl FromStr for Month {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok();
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(invalid("month (YYYY-MM)", s))
        }
    }
}

/// `{datetime}`: a 受付日時 in quotes, RFC 3339 with its offset
/// (`"2026-11-26T10:00:00+09:00"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(
    name = "datetime",
    regex = r#""(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))""#
)]
pub struct DateTime3339(pub DateTime<FixedOffset>);

impl FromStr for DateTime3339 {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse_from_rfc3339(s)
            .map(Self)
            .map_err(|_| invalid("受付日時 (ISO 8601 with offset)", s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cucumber::Parameter as _;

    fn alternatives(regex: &str) -> Vec<String> {
        let inner = regex
            .trim_start_matches("\"(")
            .trim_end_matches(")\"")
            .replace("\\(", "(")
            .replace("\\)", ")");
        inner.split('|').map(str::to_owned).collect()
    }

    #[test]
    fn the_certificate_regex_names_every_title_and_code_once() {
        let mut expected: Vec<String> = CertificateType::ALL
            .iter()
            .map(|t| t.title().to_owned())
            .chain(CertificateType::ALL.iter().map(|t| t.code().to_owned()))
            .collect();
        let mut actual = alternatives(Certificate::REGEX);
        expected.sort();
        actual.sort();
        assert_eq!(expected, actual);
        for name in &actual {
            assert!(name.parse::<Certificate>().is_ok(), "{name}");
        }
    }

    #[test]
    fn scopes_read_and_write_as_the_terminal_words() {
        for word in alternatives(ScopeName::REGEX) {
            let scope: ScopeName = word.parse().expect("a scope");
            assert_eq!(scope.to_string(), word);
        }
        assert!("本人".parse::<ScopeName>().is_err());
    }

    #[test]
    fn dates_and_months_are_checked() {
        assert!("2026-10-30".parse::<Date>().is_ok());
        assert!("2026-02-30".parse::<Date>().is_err());
        assert_eq!(
            "2026-10-30".parse::<Date>().map(|d| d.to_string()),
            Ok("2026-10-30".to_owned())
        );
        assert!("2026-10".parse::<Month>().is_ok());
        assert!("2026-13".parse::<Month>().is_err());
        assert!("2026-11-26T10:00:00+09:00".parse::<DateTime3339>().is_ok());
    }
}
