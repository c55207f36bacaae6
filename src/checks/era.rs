//! 和暦: Japanese era dates as printed on certificates, computed independently of any
//! candidate.

use chrono::{Datelike, NaiveDate};

/// Eras, newest first: (name, first day).
const ERAS: [(&str, (i32, u32, u32)); 5] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
    ("大正", (1912, 7, 30)),
    ("明治", (1868, 1, 25)),
];

/// The date in 和暦, e.g. `令和8年11月26日`; the first year is 元年.
pub fn wareki(date: NaiveDate) -> String {
    for (name, (y, m, d)) in ERAS {
        let start = NaiveDate::from_ymd_opt(y, m, d).expect("era start dates are valid");
        if date >= start {
            let year = date.year() - y + 1;
            let year = if year == 1 {
                "元".to_owned()
            } else {
                year.to_string()
            };
            return format!("{name}{year}年{}月{}日", date.month(), date.day());
        }
    }
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The era year of a date, e.g. `令和8年`, `令和元年` (the 和暦 date up to 年).
pub fn era_year(date: NaiveDate) -> String {
    let full = wareki(date);
    match full.find('年') {
        Some(i) => full[..i + '年'.len_utf8()].to_owned(),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(wareki(d("2026-11-26")), "令和8年11月26日");
        assert_eq!(wareki(d("2019-05-01")), "令和元年5月1日");
        assert_eq!(wareki(d("2019-04-30")), "平成31年4月30日");
        assert_eq!(wareki(d("1989-01-08")), "平成元年1月8日");
        assert_eq!(wareki(d("1989-01-07")), "昭和64年1月7日");
        assert_eq!(wareki(d("1989-12-31")), "平成元年12月31日");
        assert_eq!(wareki(d("1926-12-25")), "昭和元年12月25日");
        assert_eq!(wareki(d("1926-12-24")), "大正15年12月24日");
        assert_eq!(wareki(d("2019-12-31")), "令和元年12月31日");
        assert_eq!(wareki(d("2020-01-01")), "令和2年1月1日");
    }
}
