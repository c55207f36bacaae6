//! Japanese era (和暦) dates.

use chrono::{Datelike, NaiveDate};

/// An era and the first Gregorian day it was in force.
struct Era {
    name: &'static str,
    first_day: (i32, u32, u32),
}

/// Newest first, so the first era whose first day is not after a date is its era.
const ERAS: &[Era] = &[
    Era {
        name: "令和",
        first_day: (2019, 5, 1),
    },
    Era {
        name: "平成",
        first_day: (1989, 1, 8),
    },
    Era {
        name: "昭和",
        first_day: (1926, 12, 25),
    },
    Era {
        name: "大正",
        first_day: (1912, 7, 30),
    },
    // Meiji formally began on 1868-10-23 (Keiō 4, 9th month, 8th day), but
    // Japan only adopted the Gregorian calendar on Meiji 6-01-01 (1873-01-01);
    // Gregorian dates before that are printed as if the calendar had applied.
    Era {
        name: "明治",
        first_day: (1868, 10, 23),
    },
];

/// Formats a date in the Japanese calendar, e.g. `令和8年11月26日`.
///
/// The first year of an era is printed as `元年` (`令和元年5月1日`).
/// Supported eras are 明治, 大正, 昭和, 平成 and 令和; a date before
/// 1868-10-23 has no era here and is printed in the Gregorian calendar
/// with the same shape (`1868年10月22日`).
pub fn wareki(date: NaiveDate) -> String {
    wareki_with(date, EraMistakes::default())
}

/// The mistakes a defect switch makes in 和暦 (none by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EraMistakes {
    /// The era table is compared with `>`: an era's first day is still the old era.
    pub switches_a_day_late: bool,
    /// The first year is printed `1年`, not `元年`.
    pub first_year_as_one: bool,
}

/// [`wareki`], with the given mistakes.
pub fn wareki_with(date: NaiveDate, mistakes: EraMistakes) -> String {
    for era in ERAS {
        let (y, m, d) = era.first_day;
        let first = NaiveDate::from_ymd_opt(y, m, d).expect("era table holds valid dates");
        let in_era = if mistakes.switches_a_day_late {
            date > first
        } else {
            date >= first
        };
        if in_era {
            let year = date.year() - y + 1;
            let year = if year == 1 && !mistakes.first_year_as_one {
                "元".to_string()
            } else {
                year.to_string()
            };
            return format!("{}{}年{}月{}日", era.name, year, date.month(), date.day());
        }
    }
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::wareki;
    use chrono::NaiveDate;

    fn w(y: i32, m: u32, d: u32) -> String {
        wareki(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn document_wareki_reiwa() {
        assert_eq!(w(2026, 11, 26), "令和8年11月26日");
        assert_eq!(w(2019, 5, 1), "令和元年5月1日");
        assert_eq!(w(2019, 12, 31), "令和元年12月31日");
        assert_eq!(w(2020, 1, 1), "令和2年1月1日");
    }

    #[test]
    fn document_wareki_heisei() {
        assert_eq!(w(2019, 4, 30), "平成31年4月30日");
        assert_eq!(w(1989, 1, 8), "平成元年1月8日");
        assert_eq!(w(1990, 1, 1), "平成2年1月1日");
    }

    #[test]
    fn document_wareki_showa() {
        assert_eq!(w(1989, 1, 7), "昭和64年1月7日");
        assert_eq!(w(1926, 12, 25), "昭和元年12月25日");
        assert_eq!(w(1927, 1, 1), "昭和2年1月1日");
        assert_eq!(w(1964, 10, 10), "昭和39年10月10日");
    }

    #[test]
    fn document_wareki_taisho_and_meiji() {
        assert_eq!(w(1926, 12, 24), "大正15年12月24日");
        assert_eq!(w(1912, 7, 30), "大正元年7月30日");
        assert_eq!(w(1912, 7, 29), "明治45年7月29日");
        assert_eq!(w(1868, 10, 23), "明治元年10月23日");
        assert_eq!(w(1868, 10, 22), "1868年10月22日");
    }
}
