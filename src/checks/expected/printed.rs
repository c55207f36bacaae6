//! What a document must print of its 記載事項: the names with their exact code points,
//! and every value with its item name (dates to be printed in 和暦, yen amounts).

use chrono::NaiveDate;
use kofu_profile::content::Content;

/// Names that must appear, with their exact code points, in the document.
pub fn printed_names(content: &Content) -> Vec<String> {
    match content {
        Content::ResidentRecord(r) => r.persons.iter().map(|p| p.name.clone()).collect(),
        Content::SealRegistration(s) => vec![s.name.clone()],
        Content::Tax(t) => vec![t.name.clone()],
        Content::FamilyRegister(k) => k.persons.iter().map(|p| p.name.clone()).collect(),
        Content::FamilyRegisterAnnex(a) => a.persons.iter().map(|p| p.name.clone()).collect(),
    }
}

/// A value of the 記載事項 as it must appear in the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// Text printed as is (names, addresses, 本籍, ...).
    Text(&'static str, String),
    /// A date, printed in 和暦.
    Date(&'static str, NaiveDate),
    /// An amount in yen, printed as `1,234,567円` (`checks::tax_print::yen`).
    Yen(&'static str, u64),
}

/// Every value of `content` the document must print, with its item name.
pub fn printed_values(content: &Content) -> Vec<Printed> {
    use Printed::{Date, Text, Yen};
    let mut out = Vec::new();
    match content {
        Content::ResidentRecord(r) => {
            out.push(Text("住所", r.address.clone()));
            if let Some(h) = &r.household_head {
                out.push(Text("世帯主", h.clone()));
            }
            for p in &r.persons {
                out.push(Text("氏名", p.name.clone()));
                out.push(Text("フリガナ", p.kana.clone()));
                out.push(Date("生年月日", p.birth_date));
                out.push(Text("性別", p.sex.clone()));
                if let Some(rel) = &p.relationship {
                    out.push(Text("続柄", rel.clone()));
                }
                out.push(Date("住民となった日", p.resident_since));
                if let Some(h) = &p.honseki {
                    out.push(Text("本籍", h.clone()));
                }
                if let Some(h) = &p.hittosha {
                    out.push(Text("筆頭者", h.clone()));
                }
                if let Some(f) = &p.foreign {
                    out.push(Text("国籍・地域", f.nationality.clone()));
                    out.push(Text("在留資格", f.residence_status.clone()));
                    out.push(Date("在留期間の満了の日", f.period_of_stay_until));
                    if let Some(t) = &f.tsusho {
                        out.push(Text("通称", t.clone()));
                    }
                }
            }
        }
        Content::SealRegistration(s) => {
            out.push(Text("印鑑登録番号", s.registration_number.clone()));
            out.push(Text("氏名", s.name.clone()));
            out.push(Date("生年月日", s.birth_date));
            out.push(Text("住所", s.address.clone()));
        }
        Content::Tax(t) => {
            out.push(Text("氏名", t.name.clone()));
            out.push(Text("住所", t.address.clone()));
            out.push(Yen("合計所得金額", t.total_income));
            out.push(Yen("市町村民税", t.municipal_tax));
            out.push(Yen("道府県民税", t.prefectural_tax));
        }
        Content::FamilyRegister(k) => {
            out.push(Text("本籍", k.honseki.clone()));
            out.push(Text("筆頭者", k.hittosha.clone()));
            for p in &k.persons {
                out.push(Text("氏名", p.name.clone()));
                out.push(Date("生年月日", p.birth_date));
                out.push(Text("続柄", p.relationship.clone()));
                out.push(Text("性別", p.sex.clone()));
                if let Some(f) = &p.father {
                    out.push(Text("父", f.clone()));
                }
                if let Some(m) = &p.mother {
                    out.push(Text("母", m.clone()));
                }
            }
        }
        Content::FamilyRegisterAnnex(a) => {
            out.push(Text("本籍", a.honseki.clone()));
            out.push(Text("筆頭者", a.hittosha.clone()));
            for p in &a.persons {
                out.push(Text("氏名", p.name.clone()));
                for addr in &p.addresses {
                    out.push(Text("住所", addr.address.clone()));
                    out.push(Date("住所を定めた日", addr.since));
                }
            }
        }
    }
    out
}
