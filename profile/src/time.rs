//! JST (+09:00) helpers. Japan has no daylight saving time, so JST is a fixed offset.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// The JST offset.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// `t` seen in JST.
pub fn to_jst<Tz: chrono::TimeZone>(t: &DateTime<Tz>) -> DateTime<FixedOffset> {
    t.with_timezone(&jst())
}

/// Now, in JST.
pub fn now_jst() -> DateTime<FixedOffset> {
    to_jst(&Utc::now())
}

/// The JST calendar date of an instant: the business date and the issue date.
pub fn jst_date<Tz: chrono::TimeZone>(t: &DateTime<Tz>) -> NaiveDate {
    to_jst(t).date_naive()
}

/// Whether a timestamp carries exactly the `+09:00` offset the profile requires.
pub fn is_jst_offset(t: &DateTime<FixedOffset>) -> bool {
    t.offset().local_minus_utc() == 9 * 3600
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morning_jst_is_previous_day_utc() {
        let t = DateTime::parse_from_rfc3339("2026-11-26T06:30:00+09:00").unwrap();
        assert_eq!(jst_date(&t), NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        assert_eq!(
            t.with_timezone(&Utc).date_naive(),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert!(is_jst_offset(&t));
    }
}
