//! Which 年度 (fiscal year of a tax assessment) can be issued at a reception time, after
//! `profile/README.md` ("Restrictions", "Tax years"): the 年度 N assessment is decided
//! on 1 June of year N, and before the JST date of the reception reaches it, 年度 N is
//! issued to nobody.

use chrono::{Datelike, NaiveDate};
use kofu_fixtures::Municipality;
use kofu_fixtures::municipality::CertificateOffer;
use kofu_fixtures::register::Person;

/// Whether the assessment of 年度 `fiscal_year` is decided (issuable) on the JST date
/// `date`: from 1 June of that year on.
pub fn decided(fiscal_year: u16, date: NaiveDate) -> bool {
    let year = i32::from(fiscal_year);
    date.year() > year || (date.year() == year && date.month() >= 6)
}

/// The 年度 the menu of `person` shows for a tax offer on the JST date `date`, ascending:
/// offered by the municipality ∩ assessed here for the person ∩ decided on that date.
pub fn menu_years(
    offer: &CertificateOffer,
    municipality: &Municipality,
    person: &Person,
    date: NaiveDate,
) -> Vec<u16> {
    let mut years: Vec<u16> = offer
        .fiscal_years
        .iter()
        .copied()
        .filter(|y| decided(*y, date))
        .filter(|y| {
            person
                .tax
                .iter()
                .any(|t| t.municipality == municipality.code && t.fiscal_year == *y)
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_year_is_decided_from_the_first_of_june() {
        assert!(!decided(2026, day("2026-05-31")));
        assert!(decided(2026, day("2026-06-01")));
        assert!(decided(2025, day("2026-05-31")));
        assert!(decided(2026, day("2027-03-31")));
        assert!(!decided(2027, day("2027-03-31")));
        assert!(!decided(2027, day("2026-12-31")));
    }
}
