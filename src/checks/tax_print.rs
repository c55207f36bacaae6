//! How a tax certificate (`kazei`, `shotoku`) prints its 年度, its 所得の年 and its
//! amounts, after `profile/README.md` ("The PDF"): 年度 N as the era year of 1 June N
//! with 度 (`令和8年度`), 所得の年 as the era year of 31 December with 分 (`令和7年分`),
//! amounts in ASCII digits grouped by three with `,` and followed by 円 (`5,350,000円`,
//! `0円`).

use chrono::NaiveDate;
use kofu_profile::content::TaxRecord;

use super::era::era_year;

/// An amount as printed: `1,234,567円`, `0円`.
pub fn yen(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out.push('円');
    out
}

/// 年度 as printed: the era year in force on 1 June of the 年度 (the day its assessment is
/// decided), with 度: `令和8年度` for 2026, `令和元年度` for 2019.
pub fn fiscal_year(year: u16) -> String {
    match NaiveDate::from_ymd_opt(i32::from(year), 6, 1) {
        Some(d) => format!("{}度", era_year(d)),
        None => format!("{year}年度"),
    }
}

/// 所得の年 as printed: the era year of 31 December of that calendar year, with 分:
/// `令和7年分` for 2025, `令和元年分` for 2019.
pub fn income_year(year: u16) -> String {
    match NaiveDate::from_ymd_opt(i32::from(year), 12, 31) {
        Some(d) => format!("{}分", era_year(d)),
        None => format!("{year}年分"),
    }
}

/// What the document must print of a tax record, item by item, in the profile's format.
pub fn expected_items(t: &TaxRecord) -> Vec<(&'static str, String)> {
    vec![
        ("年度", fiscal_year(t.fiscal_year)),
        ("所得の年", income_year(t.income_year)),
        ("合計所得金額", yen(t.total_income)),
        ("市町村民税", yen(t.municipal_tax)),
        ("道府県民税", yen(t.prefectural_tax)),
    ]
}

/// The items of `t` whose printed form is missing from `text` (whitespace removed), as
/// `(item, expected form)`.
pub fn missing_items(text: &str, t: &TaxRecord) -> Vec<(&'static str, String)> {
    expected_items(t)
        .into_iter()
        .filter(|(item, wanted)| !printed_after_label(text, item, wanted))
        .collect()
}

/// Whether `wanted` is in `text`: right after its item name when the item name is
/// printed, else anywhere. An amount of `0円` is found inside `10円` too, so the item
/// name anchors it where it can.
fn printed_after_label(text: &str, item: &str, wanted: &str) -> bool {
    let labelled = format!("{item}{wanted}");
    if text.contains(item) {
        text.contains(&labelled)
    } else {
        text.contains(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_three() {
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
        assert_eq!(yen(1000), "1,000円");
        assert_eq!(yen(1_234_567), "1,234,567円");
    }

    #[test]
    fn years_in_wareki() {
        assert_eq!(fiscal_year(2026), "令和8年度");
        assert_eq!(fiscal_year(2019), "令和元年度");
        assert_eq!(income_year(2025), "令和7年分");
        assert_eq!(income_year(2019), "令和元年分");
        assert_eq!(income_year(2018), "平成30年分");
    }

    #[test]
    fn an_ungrouped_amount_is_missing() {
        let t = TaxRecord {
            fiscal_year: 2026,
            income_year: 2025,
            name: "桜井 太郎".into(),
            address: "架空県".into(),
            total_income: 5_350_000,
            municipal_tax: 0,
            prefectural_tax: 0,
        };
        let good =
            "年度令和8年度所得の年令和7年分合計所得金額5,350,000円市町村民税0円道府県民税0円";
        assert!(missing_items(good, &t).is_empty());
        let bad = "年度令和8年度所得の年令和8年度合計所得金額5350000円市町村民税0円道府県民税0円";
        let missing: Vec<&str> = missing_items(bad, &t).into_iter().map(|m| m.0).collect();
        assert_eq!(missing, ["所得の年", "合計所得金額"]);
    }
}
