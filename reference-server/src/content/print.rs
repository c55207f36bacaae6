//! The printed certificate: the same 記載事項 as label/value rows, dates in 和暦, the
//! 証明文, the mayor and the 証明書番号.

use chrono::{Datelike, NaiveDate};
use kofu_fixtures::{Municipality, Person};
use kofu_profile::CertificateType;
use kofu_profile::content::{
    Content, FamilyRegister, FamilyRegisterAnnex, ResidentRecord, SealRegistration, TaxRecord,
};

use crate::defects::{Defect, Defects};
use crate::document::{EraMistakes, Paper, PrintDocument, Section, wareki, wareki_with};

/// What the print layer needs besides the content.
#[derive(Debug, Clone, Copy)]
pub struct Issue<'a> {
    /// The type.
    pub certificate: CertificateType,
    /// 交付日.
    pub issue_date: NaiveDate,
    /// 証明書番号.
    pub certificate_number: &'a str,
    /// The issuing municipality (mayor's title and name).
    pub municipality: &'a Municipality,
}

fn row(label: &str, value: impl Into<String>) -> (String, String) {
    (label.to_owned(), value.into())
}

fn yen(amount: u64) -> String {
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

/// The era year of a date, e.g. `令和8年` (the 和暦 date up to 年).
fn era_year(date: NaiveDate) -> String {
    let full = wareki(date);
    match full.find('年') {
        Some(i) => full[..i + '年'.len_utf8()].to_owned(),
        None => full,
    }
}

/// 年度 N: the era year in force on 1 June N, the day its assessment is decided.
fn nendo(fiscal_year: u16) -> String {
    NaiveDate::from_ymd_opt(i32::from(fiscal_year), 6, 1)
        .map(|d| format!("{}度", era_year(d)))
        .unwrap_or_else(|| format!("{fiscal_year}年度"))
}

fn income_year(year: u16) -> String {
    NaiveDate::from_ymd_opt(i32::from(year), 12, 31)
        .map(|d| format!("{}分", era_year(d)))
        .unwrap_or_else(|| format!("{year}年分"))
}

/// A date of the 記載事項 in 和暦, as printed (the defect switches of era handling live here).
fn printed_date(date: NaiveDate, defects: &Defects) -> String {
    wareki_with(
        date,
        EraMistakes {
            switches_a_day_late: defects.on(Defect::EraBoundaryOffByOneDay),
            first_year_as_one: defects.on(Defect::GannenPrintedAs1),
        },
    )
}

fn seireki(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn resident_sections(r: &ResidentRecord, listed: &[&Person], defects: &Defects) -> Vec<Section> {
    let mut head = vec![row("住所", &r.address)];
    if let Some(h) = &r.household_head {
        head.push(row("世帯主", h));
    }
    let mut sections = vec![Section {
        heading: None,
        rows: head,
    }];
    for (i, p) in r.persons.iter().enumerate() {
        let mut rows = vec![
            row("氏名", &p.name),
            row("フリガナ", &p.kana),
            row("生年月日", printed_date(p.birth_date, defects)),
            row("性別", &p.sex),
        ];
        if let Some(rel) = &p.relationship {
            rows.push(row("続柄", rel));
        }
        rows.push(row(
            "住民となった日",
            printed_date(p.resident_since, defects),
        ));
        if let Some(h) = &p.honseki {
            rows.push(row("本籍", h));
        }
        if let Some(h) = &p.hittosha {
            rows.push(row("筆頭者", h));
        }
        if let Some(f) = &p.foreign {
            rows.push(row("国籍・地域", &f.nationality));
            rows.push(row("在留資格", &f.residence_status));
            rows.push(row(
                "在留期間の満了の日",
                printed_date(f.period_of_stay_until, defects),
            ));
            if let Some(t) = &f.tsusho {
                rows.push(row("通称", t));
            }
        }
        if let Some(person) = listed.get(i) {
            if defects.on(Defect::IndividualNumberPrinted) {
                rows.push(row("個人番号", &person.individual_number));
            }
            if defects.on(Defect::ResidentCodePrinted) {
                rows.push(row("住民票コード", &person.resident_code));
            }
        }
        sections.push(Section {
            heading: None,
            rows,
        });
    }
    sections
}

fn seal_sections(s: &SealRegistration, defects: &Defects) -> Vec<Section> {
    vec![Section {
        heading: None,
        rows: vec![
            row("印鑑登録番号", &s.registration_number),
            row("氏名", &s.name),
            row("生年月日", printed_date(s.birth_date, defects)),
            row("住所", &s.address),
        ],
    }]
}

fn tax_sections(t: &TaxRecord, defects: &Defects) -> Vec<Section> {
    let yen = |amount: u64| {
        if defects.on(Defect::TaxAmountUngrouped) {
            format!("{amount}円")
        } else {
            yen(amount)
        }
    };
    let income_year = if defects.on(Defect::IncomeYearPrintedAsFiscalYear) {
        nendo(t.fiscal_year)
    } else {
        income_year(t.income_year)
    };
    vec![Section {
        heading: None,
        rows: vec![
            row("年度", nendo(t.fiscal_year)),
            row("所得の年", income_year),
            row("氏名", &t.name),
            row("住所", &t.address),
            row("合計所得金額", yen(t.total_income)),
            row("市町村民税", yen(t.municipal_tax)),
            row("道府県民税", yen(t.prefectural_tax)),
        ],
    }]
}

fn family_register_sections(k: &FamilyRegister, defects: &Defects) -> Vec<Section> {
    let mut sections = vec![Section {
        heading: None,
        rows: vec![row("本籍", &k.honseki), row("筆頭者", &k.hittosha)],
    }];
    for p in &k.persons {
        let mut rows = vec![
            row("氏名", &p.name),
            row("生年月日", printed_date(p.birth_date, defects)),
        ];
        if let Some(f) = &p.father {
            rows.push(row("父", f));
        }
        if let Some(m) = &p.mother {
            rows.push(row("母", m));
        }
        rows.push(row("続柄", &p.relationship));
        rows.push(row("性別", &p.sex));
        sections.push(Section {
            heading: Some("戸籍に記録されている者".to_owned()),
            rows,
        });
    }
    sections
}

fn annex_sections(a: &FamilyRegisterAnnex, defects: &Defects) -> Vec<Section> {
    let mut sections = vec![Section {
        heading: None,
        rows: vec![row("本籍", &a.honseki), row("筆頭者", &a.hittosha)],
    }];
    for p in &a.persons {
        let mut rows = vec![row("氏名", &p.name)];
        for addr in &p.addresses {
            rows.push(row("住所", &addr.address));
            rows.push(row("住所を定めた日", printed_date(addr.since, defects)));
        }
        sections.push(Section {
            heading: None,
            rows,
        });
    }
    sections
}

/// The rows of a certificate. `listed` are the persons of a 住民票, in order.
pub fn sections(content: &Content, listed: &[&Person], defects: &Defects) -> Vec<Section> {
    match content {
        Content::ResidentRecord(r) => resident_sections(r, listed, defects),
        Content::SealRegistration(s) => seal_sections(s, defects),
        Content::Tax(t) => tax_sections(t, defects),
        Content::FamilyRegister(k) => family_register_sections(k, defects),
        Content::FamilyRegisterAnnex(a) => annex_sections(a, defects),
    }
}

/// The 証明文 printed on a certificate.
fn certification_statement(certificate: CertificateType, defects: &Defects) -> String {
    if certificate.is_resident_record() && defects.on(Defect::WrongCertificationStatement) {
        return "上記のとおり相違ないことを証明する。".to_owned();
    }
    certificate.certification_statement().to_owned()
}

/// Whom every page names beside the certificate number: the first person stated, or
/// the 筆頭者 for the 戸籍 types and the 附票.
fn page_subject(content: &Content, defects: &Defects) -> String {
    if defects.on(Defect::PageSubjectMissing) {
        return String::new();
    }
    match content {
        Content::ResidentRecord(r) => r
            .persons
            .first()
            .map(|p| format!("氏名 {}", p.name))
            .unwrap_or_default(),
        Content::SealRegistration(s) => format!("氏名 {}", s.name),
        Content::Tax(t) => format!("氏名 {}", t.name),
        Content::FamilyRegister(k) => format!("筆頭者 {}", k.hittosha),
        Content::FamilyRegisterAnnex(a) => format!("筆頭者 {}", a.hittosha),
    }
}

/// The whole printed certificate.
pub fn document(
    issue: &Issue<'_>,
    content: &Content,
    listed: &[&Person],
    defects: &Defects,
) -> PrintDocument {
    PrintDocument {
        title: issue.certificate.title().to_owned(),
        sections: sections(content, listed, defects),
        certification_statement: certification_statement(issue.certificate, defects),
        issue_date: issue.issue_date,
        issue_date_text: defects
            .on(Defect::SeirekiIssueDate)
            .then(|| seireki(issue.issue_date)),
        mayor_title: issue.municipality.mayor_title.clone(),
        mayor_name: issue.municipality.mayor_name.clone(),
        certificate_number: issue.certificate_number.to_owned(),
        page_subject: page_subject(content, defects),
        paper: if defects.on(Defect::LetterPaper) {
            Paper::Letter
        } else {
            Paper::A4
        },
        embed_fonts: !defects.on(Defect::FontsNotEmbedded),
        later_footers_white: defects.on(Defect::FooterWhiteOnLaterPages),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_groups_thousands() {
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
        assert_eq!(yen(5_350_000), "5,350,000円");
    }

    #[test]
    fn fiscal_years_in_wareki() {
        assert_eq!(nendo(2026), "令和8年度");
        assert_eq!(income_year(2025), "令和7年分");
    }
}
