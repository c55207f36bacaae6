//! 文書 steps: the issued PDF as the terminal prints it: A4 portrait, declared hash and
//! pages, embedded fonts, and what its text prints (names in the register's code
//! points, 記載事項, 和暦 dates, the certification statement) or must never print
//! (個人番号, 住民票コード, unchosen items); and the reviewed snapshot of it.

use base64::Engine as _;
use cucumber::then;
use kofu_profile::issuance::Issuance;

use super::issuance::last_issuance;
use crate::checks::expected::Printed;
use crate::checks::{self, expect_eq, fail, pdf, snapshot};
use crate::world::KofuWorld;

fn pdf_bytes(world: &KofuWorld, issuance: &Issuance) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(&issuance.document.pdf_base64)
        .unwrap_or_else(|e| {
            fail(
                "document: pdf_base64 is not standard base64",
                e,
                &world.evidence_dir,
            )
        })
}

fn facts(world: &KofuWorld, issuance: &Issuance) -> pdf::PdfFacts {
    let bytes = pdf_bytes(world, issuance);
    let facts = pdf::inspect(&bytes)
        .unwrap_or_else(|e| fail("document: the PDF cannot be read", e, &world.evidence_dir));
    super::forensics::require_clean(world, issuance, &bytes);
    facts
}

/// A fixture that must reach several pages does: the per-page audit then has pages to
/// check (the page count itself is audited against the PDF for every issuance).
#[then(expr = "文書は {int} ページ以上である")]
fn at_least_pages(world: &mut KofuWorld, pages: u32) {
    let (_, issuance) = last_issuance(world);
    let f = facts(world, &issuance);
    if f.page_count < pages {
        fail(
            &format!("document: this certificate must span at least {pages} pages"),
            format!("the PDF has {} pages", f.page_count),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書は A4 縦の PDF で宣言どおりのページ数とハッシュを持つ")]
fn document_declared(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let f = facts(world, &issuance);
    expect_eq(
        "document: media_type",
        &"application/pdf".to_owned(),
        &issuance.document.media_type,
        &world.evidence_dir,
    );
    expect_eq(
        "document: declared sha256 must be the SHA-256 of the PDF bytes",
        &f.sha256,
        &issuance.document.sha256,
        &world.evidence_dir,
    );
    expect_eq(
        "document: declared page_count must be the PDF's page count",
        &f.page_count,
        &issuance.document.page_count,
        &world.evidence_dir,
    );
    if let Some(bad) = f.page_sizes.iter().find(|s| !pdf::is_a4_portrait(**s)) {
        fail(
            "document: every page must be A4 portrait (595.28 x 841.89 pt)",
            format!("found a page of {:.2} x {:.2} pt", bad.0, bad.1),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書のフォントは埋め込まれている")]
fn fonts_embedded(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let f = facts(world, &issuance);
    if !f.fonts_embedded {
        fail(
            "document: every font must be embedded (the terminal has no Japanese fonts to substitute)",
            format!(
                "{} font descriptors, not all with FontFile/FontFile2/FontFile3",
                f.font_count
            ),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書の本文に氏名が同じ文字で印字されている")]
fn names_printed(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    for name in checks::expected::printed_names(&issuance.content) {
        let wanted = pdf::squeeze(&name);
        if !text.contains(&wanted) {
            let points: Vec<String> = name
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            fail(
                "document: names must be printed with the exact code points of the register",
                format!(
                    "expected `{name}` ({}) in the extracted text; it is not there",
                    points.join(" ")
                ),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "文書に個人番号と住民票コードは印字されていない")]
fn no_numbers(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let rig = world.rig().clone();
    for person in &rig.fixtures.register.persons {
        for (label, number) in [
            ("個人番号", &person.individual_number),
            ("住民票コード", &person.resident_code),
        ] {
            if text.contains(number.as_str()) {
                fail(
                    &format!("document: the {label} must never be printed at a kiosk"),
                    format!("found {label} {number} of person {} in the text", person.id),
                    &world.evidence_dir,
                );
            }
        }
    }
    for label in ["個人番号", "住民票コード"] {
        if text.contains(label) {
            fail(
                "document: no 個人番号 or 住民票コード item may be printed",
                format!("the text contains the label `{label}`"),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "交付日は受付日の和暦で印字されている")]
fn issue_date_printed(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let expected = kofu_profile::time::jst_date(&world.reception_time());
    expect_eq(
        "issue_date: must be the JST date of the reception time",
        &expected,
        &issuance.issue_date,
        &world.evidence_dir,
    );
    let wareki = checks::era::wareki(expected);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    if !text.contains(&wareki) {
        fail(
            "document: the issue date must be printed in 和暦",
            format!("expected `{wareki}` in the extracted text; it is not there"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "証明文と市区町村長の職名・氏名と証明書番号が印字されている")]
fn statement_printed(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let code = world.municipality_code();
    let rig = world.rig().clone();
    let m = rig
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .unwrap_or_else(|| panic!("no municipality profile for {code}"));
    for (what, value) in [
        (
            "証明文",
            req.certificate.certification_statement().to_owned(),
        ),
        ("市区町村長の職名", m.mayor_title.clone()),
        ("市区町村長の氏名", m.mayor_name.clone()),
        ("証明書番号", issuance.certificate_number.clone()),
    ] {
        if !text.contains(&pdf::squeeze(&value)) {
            fail(
                &format!("document: the {what} must be printed"),
                format!("expected `{value}` in the extracted text; it is not there"),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "文書の本文に記載事項がすべて印字されている")]
fn content_printed(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    for value in checks::expected::printed_values(&issuance.content) {
        let (item, wanted, haystack) = match &value {
            Printed::Text(item, v) => (*item, pdf::squeeze(v), &text),
            Printed::Date(item, d) => (*item, checks::era::wareki(*d), &text),
            Printed::Yen(item, n) => (*item, checks::tax_print::yen(*n), &text),
        };
        if !haystack.contains(&wanted) {
            fail(
                &format!("document: the 記載事項 {item} must be printed (dates in 和暦)"),
                format!("expected `{wanted}` in the extracted text; it is not there"),
                &world.evidence_dir,
            );
        }
    }
}

/// The text against kofu's own expectation, not the candidate's `content`: names and
/// フリガナ in the register's code points, dates in 和暦, the persons in order.
#[then(
    expr = "文書の本文には住民記録から求めた記載事項が和暦と登録どおりの文字と順序で印字されている"
)]
fn expectation_printed(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let expected = super::issuance::expected_content(world, &req);
    let text = facts(world, &issuance).text;
    let findings = checks::printed_text::print_findings(&expected, &text);
    if !findings.is_empty() {
        fail(
            &format!(
                "document: the {} must print the 記載事項 of the register (dates in 和暦, names in their code points, persons in register order)",
                req.certificate
            ),
            findings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書に年度・所得の年・金額がプロファイルの書式で印字されている")]
fn tax_items_formatted(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let kofu_profile::content::Content::Tax(record) = &issuance.content else {
        panic!("scenario error: this check is for tax certificates");
    };
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let missing = checks::tax_print::missing_items(&text, record);
    if !missing.is_empty() {
        fail(
            "document: a tax certificate prints 年度 as 令和N年度, 所得の年 as 令和N年分 and amounts as 1,234,567円, each after its item name",
            missing
                .iter()
                .map(|(item, wanted)| {
                    format!(
                        "{item}: expected `{item}{wanted}` in the extracted text; it is not there"
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書に選ばなかった世帯主・続柄と本籍・筆頭者は印字されていない")]
fn unchosen_items_absent(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let kofu_profile::content::Content::ResidentRecord(record) = &issuance.content else {
        panic!("scenario error: this check is for 住民票 types");
    };
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let at_reception = world.register_for(&req);
    let register = &at_reception.register;
    // Values printed anyway (a 本籍 may be the prefix of the address, the 筆頭者 may be
    // a listed person): only values found nowhere in them can betray an unchosen item.
    let printed: Vec<String> = checks::expected::printed_values(&issuance.content)
        .into_iter()
        .filter_map(|v| match v {
            Printed::Text(_, t) => Some(pdf::squeeze(&t)),
            _ => None,
        })
        .collect();
    let listed: Vec<&kofu_fixtures::Person> = register
        .persons
        .iter()
        .filter(|p| record.persons.iter().any(|e| e.name == p.name))
        .collect();
    let mut forbidden: Vec<(&str, String)> = Vec::new();
    if !req.options.show_relationship {
        forbidden.push(("続柄", "続柄".to_owned()));
        let head = listed
            .iter()
            .filter_map(|p| p.household.as_deref())
            .filter_map(|h| register.household(h))
            .filter_map(|h| register.person(&h.head))
            .next();
        if let Some(head) = head {
            forbidden.push(("世帯主", head.name.clone()));
        }
    }
    if !req.options.show_honseki {
        forbidden.push(("筆頭者", "筆頭者".to_owned()));
        for k in listed
            .iter()
            .filter_map(|p| p.family_register.as_deref())
            .filter_map(|k| register.family_register(k))
        {
            forbidden.push(("本籍", k.honseki.clone()));
            if let Some(h) = register.person(&k.hittosha) {
                forbidden.push(("筆頭者", h.name.clone()));
            }
        }
    }
    for (what, value) in forbidden {
        let value = pdf::squeeze(&value);
        if printed.iter().any(|p| p.contains(&value)) {
            continue;
        }
        if text.contains(&value) {
            fail(
                &format!("document: {what} must be printed only when the resident chose it"),
                format!(
                    "found `{value}` in the extracted text; options: {:?}",
                    req.options
                ),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "記載事項と本文のスナップショットが一致する")]
fn snapshot_matches(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let text = facts(world, &issuance).text;
    let rig = world.rig().clone();
    let location = snapshot::Location::new(
        &rig.fixtures.root.join("snapshots"),
        &rig.candidate.snapshot_key(),
        &world.evidence_dir,
        world.answers.issuances.len(),
    );
    let card = world
        .scene
        .card
        .as_ref()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let description = format!(
        "{}: card {card}, {} x{}, reception {}",
        location.name,
        req.certificate,
        req.copies,
        req.reception.reception_time.to_rfc3339()
    );
    let body = snapshot::render(&issuance, &req.options, &text);
    super::snapshot::compare(world, &location, &description, &body);
}
