//! Service hours of the center: 06:30 to 23:00 JST every day, closed from 12/29 to 1/3.
//! Decided from the reception time alone (an injected clock): nothing here reads the
//! system clock and nothing sleeps.

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, NaiveTime, Timelike as _};

/// Why a time is outside service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Closed {
    /// Before 06:30 or from 23:00 JST.
    #[error("outside service hours (06:30-23:00 JST)")]
    OutsideHours,
    /// 12/29 to 1/3.
    #[error("year-end closure (12/29-1/3)")]
    YearEnd,
}

/// Japan Standard Time.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// Whether the center serves on the (JST) date `date` at all: every day but 12/29 to 1/3.
pub fn serves_on(date: NaiveDate) -> bool {
    let (month, day) = (date.month(), date.day());
    !((month == 12 && day >= 29) || (month == 1 && day <= 3))
}

/// Whether the center serves at `at`.
pub fn check(at: DateTime<FixedOffset>) -> Result<(), Closed> {
    let local = at.with_timezone(&jst());
    if !serves_on(local.date_naive()) {
        return Err(Closed::YearEnd);
    }
    let time = NaiveTime::from_hms_opt(local.hour(), local.minute(), local.second())
        .unwrap_or(NaiveTime::MIN);
    let open = NaiveTime::from_hms_opt(6, 30, 0).unwrap_or(NaiveTime::MIN);
    let close = NaiveTime::from_hms_opt(23, 0, 0).unwrap_or(NaiveTime::MIN);
    if time < open || time >= close {
        return Err(Closed::OutsideHours);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Result<(), Closed> {
        check(DateTime::parse_from_rfc3339(s).expect("time"))
    }

    #[test]
    fn hours_and_closure() {
        assert_eq!(at("2026-11-26T06:29:59+09:00"), Err(Closed::OutsideHours));
        assert_eq!(at("2026-11-26T06:30:00+09:00"), Ok(()));
        assert_eq!(at("2026-11-26T22:59:59+09:00"), Ok(()));
        assert_eq!(at("2026-11-26T23:00:00+09:00"), Err(Closed::OutsideHours));
        // 21:30 UTC is 06:30 JST the next day.
        assert_eq!(at("2026-11-25T21:30:00+00:00"), Ok(()));
        assert_eq!(at("2026-12-28T12:00:00+09:00"), Ok(()));
        assert_eq!(at("2026-12-29T12:00:00+09:00"), Err(Closed::YearEnd));
        assert_eq!(at("2027-01-03T12:00:00+09:00"), Err(Closed::YearEnd));
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(serves_on(date("2026-12-28")));
        assert!(!serves_on(date("2026-12-29")));
        assert!(!serves_on(date("2027-01-03")));
        assert!(serves_on(date("2027-01-04")));
        assert_eq!(at("2027-01-04T12:00:00+09:00"), Ok(()));
    }
}
