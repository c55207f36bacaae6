//! What a document's text must print of kofu's own expectation: every value of the
//! 記載事項 that [`super::expected::content`] computes from the register, names and
//! フリガナ with their exact code points, dates in 和暦 ([`super::era::wareki`]), and the
//! persons in the order of the expectation (register order for 住民票, 戸籍 order for
//! 戸籍). The candidate's own `content` plays no part: a document that prints what a
//! wrong `content` says is caught here as well as by the content comparison.

use std::fmt;

use kofu_profile::content::Content;

use super::era::wareki;
use super::expected::{Printed, printed_names, printed_values};
use super::pdf::squeeze;

/// Something the text lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintFinding {
    /// A value of the expectation is not in the text.
    Missing {
        /// The item (profile word), e.g. `生年月日`.
        item: &'static str,
        /// The text that must be printed.
        wanted: String,
        /// The value in the 記載事項's own form (the ISO date of a 和暦 date).
        value: String,
    },
    /// A person is printed, but before a person the expectation lists first.
    OutOfOrder {
        /// The person printed too early, or not after `after`.
        name: String,
        /// The person the expectation lists before them.
        after: String,
    },
}

/// `U+XXXX` for each code point of `text`.
pub fn code_points(text: &str) -> String {
    text.chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for PrintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing {
                item,
                wanted,
                value,
                ..
            } if wanted != value => write!(
                f,
                "the {item} {value} must be printed as `{wanted}`; it is not in the text"
            ),
            Self::Missing { item, wanted, .. } => write!(
                f,
                "the {item} `{wanted}` ({}) must be printed with these code points; it is not in the text",
                code_points(wanted)
            ),
            Self::OutOfOrder { name, after } => write!(
                f,
                "`{name}` must be printed after `{after}` (the persons in register order); it is not"
            ),
        }
    }
}

/// What `text` (a PDF's extracted text) lacks of the `expected` 記載事項.
pub fn print_findings(expected: &Content, text: &str) -> Vec<PrintFinding> {
    let text = squeeze(text);
    let digits_only: String = text.chars().filter(|c| !matches!(c, ',' | '，')).collect();
    let mut out = Vec::new();
    for value in printed_values(expected) {
        let (item, wanted, shown, haystack) = match &value {
            Printed::Text(item, v) => (*item, squeeze(v), squeeze(v), &text),
            Printed::Date(item, d) => (*item, wareki(*d), d.to_string(), &text),
            Printed::Yen(item, n) => (*item, n.to_string(), format!("{n}円"), &digits_only),
        };
        let finding = PrintFinding::Missing {
            item,
            wanted: wanted.clone(),
            value: shown,
        };
        if !haystack.contains(&wanted) && !out.contains(&finding) {
            out.push(finding);
        }
    }
    out.extend(order_findings(&printed_names(expected), &text));
    out
}

/// The persons' names must occur in `text` in the order of `names`: each one after
/// the previous one's first occurrence that keeps the order (a subsequence match, so a
/// name printed earlier as 世帯主 or 筆頭者 does not hide a wrong order).
fn order_findings(names: &[String], text: &str) -> Vec<PrintFinding> {
    let mut from = 0;
    let mut previous: Option<&String> = None;
    for name in names {
        let wanted = squeeze(name);
        if !text.contains(&wanted) {
            // Reported as missing already.
            continue;
        }
        match text[from..].find(&wanted) {
            Some(at) => from += at + wanted.len(),
            None => {
                return vec![PrintFinding::OutOfOrder {
                    name: name.clone(),
                    after: previous.cloned().unwrap_or_default(),
                }];
            }
        }
        previous = Some(name);
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kofu_profile::content::{ResidentEntry, ResidentRecord};

    fn entry(name: &str, kana: &str, birth: &str) -> ResidentEntry {
        ResidentEntry {
            name: name.to_owned(),
            kana: kana.to_owned(),
            birth_date: birth.parse().unwrap(),
            sex: "男".to_owned(),
            relationship: None,
            resident_since: "2019-05-01".parse().unwrap(),
            honseki: None,
            hittosha: None,
            foreign: None,
        }
    }

    fn record(persons: Vec<ResidentEntry>) -> Content {
        Content::ResidentRecord(ResidentRecord {
            address: "架空県青葉台市桜台五丁目3番1号".to_owned(),
            household_head: None,
            persons,
        })
    }

    fn text(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn the_first_day_of_an_era_must_be_printed_in_the_new_era_as_gannen() {
        let c = record(vec![entry("新井 和花", "アライ ノドカ", "2019-05-01")]);
        let good = text(&[
            "住所 架空県青葉台市桜台五丁目3番1号",
            "氏名 新井 和花",
            "フリガナ アライ ノドカ",
            "生年月日 令和元年5月1日",
            "性別 男",
            "住民となった日 令和元年5月1日",
        ]);
        assert_eq!(print_findings(&c, &good), vec![]);
        for wrong in ["平成31年5月1日", "令和1年5月1日"] {
            let bad = good.replace("令和元年5月1日", wrong);
            let findings = print_findings(&c, &bad);
            assert_eq!(findings.len(), 2, "{findings:?}");
            let message = findings[0].to_string();
            assert!(message.contains("2019-05-01"), "{message}");
            assert!(message.contains("`令和元年5月1日`"), "{message}");
        }
    }

    #[test]
    fn a_normalised_name_is_missing_with_its_code_points() {
        let c = record(vec![entry(
            "\u{FA10}本 \u{FA19}也",
            "ツカモト シンヤ",
            "1965-03-03",
        )]);
        let printed = text(&["氏名 塚本 神也", "フリガナ ツカモト シンヤ"]);
        let findings = print_findings(&c, &printed);
        let message = findings
            .iter()
            .map(ToString::to_string)
            .find(|m| m.contains("氏名"))
            .unwrap();
        assert!(message.contains("U+FA10"), "{message}");
        assert!(message.contains("U+FA19"), "{message}");
    }

    #[test]
    fn persons_out_of_register_order_are_found() {
        let c = record(vec![
            entry("三浦 健二", "ミウラ ケンジ", "1970-06-10"),
            entry("三浦 蒼太", "ミウラ ソウタ", "2008-09-05"),
            entry("三浦 遥", "ミウラ ハルカ", "1998-11-03"),
        ]);
        let in_order = "世帯主 三浦 健二 氏名 三浦 健二 氏名 三浦 蒼太 氏名 三浦 遥";
        assert_eq!(
            order_findings(&printed_names(&c), &squeeze(in_order)),
            vec![]
        );
        let by_birth = "世帯主 三浦 健二 氏名 三浦 健二 氏名 三浦 遥 氏名 三浦 蒼太";
        assert_eq!(
            order_findings(&printed_names(&c), &squeeze(by_birth)),
            vec![PrintFinding::OutOfOrder {
                name: "三浦 遥".to_owned(),
                after: "三浦 蒼太".to_owned(),
            }]
        );
    }
}
