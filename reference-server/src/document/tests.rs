//! End-to-end checks of rendered certificates, read back with lopdf and
//! pdf-extract.

use chrono::NaiveDate;
use lopdf::{Dictionary, Object};

use super::*;

const STATEMENT: &str = "この写しは、住民票の原本と相違ないことを証明する。";

pub(super) fn sample() -> PrintDocument {
    PrintDocument {
        title: "住民票の写し".into(),
        sections: vec![
            Section {
                heading: Some("世帯主".into()),
                rows: vec![
                    ("氏名".into(), "𠮷田 花子".into()),
                    (
                        "生年月日".into(),
                        wareki(NaiveDate::from_ymd_opt(1964, 10, 10).unwrap()),
                    ),
                    (
                        "住所".into(),
                        "青葉台市緑町一丁目2番3号 コーポ青葉台101号室".into(),
                    ),
                ],
            },
            Section {
                heading: Some("世帯員".into()),
                rows: vec![
                    ("氏名".into(), "髙橋 一郎".into()),
                    ("氏名".into(), "山﨑 次郎".into()),
                    ("氏名".into(), "德永 三郎".into()),
                    ("続柄".into(), "子".into()),
                ],
            },
        ],
        certification_statement: STATEMENT.into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        issue_date_text: None,
        mayor_title: "青葉台市長".into(),
        mayor_name: "青葉 太郎".into(),
        certificate_number: "AOB-2026-000123".into(),
        page_subject: "氏名 青葉 花子".into(),
        paper: Paper::A4,
        embed_fonts: true,
        later_footers_white: false,
    }
}

fn long_document() -> PrintDocument {
    let mut doc = sample();
    let rows = (1..=60)
        .map(|i| {
            (
                format!("異動履歴{i}"),
                format!(
                    "令和{}年{}月{}日 青葉台市緑町{}丁目{}番地から転入。前住所 東京都千代田区霞が関二丁目1番2号",
                    i % 7 + 1,
                    i % 12 + 1,
                    i % 28 + 1,
                    i % 5 + 1,
                    i
                ),
            )
        })
        .collect();
    doc.sections.push(Section {
        heading: Some("異動履歴".into()),
        rows,
    });
    doc
}

fn parse(pdf: &RenderedPdf) -> lopdf::Document {
    lopdf::Document::load_mem(&pdf.bytes).expect("the PDF parses")
}

fn text_of(pdf: &RenderedPdf) -> String {
    pdf_extract::extract_text_from_mem(&pdf.bytes).expect("text extracts")
}

fn number(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

/// The page's MediaBox, following Parent links for an inherited one.
fn media_box(doc: &lopdf::Document, page: lopdf::ObjectId) -> [f32; 4] {
    let mut dict: &Dictionary = doc.get_dictionary(page).unwrap();
    loop {
        if let Ok(mb) = dict.get(b"MediaBox") {
            let arr = doc.dereference(mb).unwrap().1.as_array().unwrap();
            let v: Vec<f32> = arr.iter().map(number).collect();
            return [v[0], v[1], v[2], v[3]];
        }
        let parent = dict.get(b"Parent").unwrap().as_reference().unwrap();
        dict = doc.get_dictionary(parent).unwrap();
    }
}

fn dicts(doc: &lopdf::Document) -> impl Iterator<Item = &Dictionary> {
    doc.objects.values().filter_map(|o| match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    })
}

fn has_font_file(doc: &lopdf::Document) -> bool {
    dicts(doc).any(|d| d.has(b"FontFile2") || d.has(b"FontFile3") || d.has(b"FontFile"))
}

fn has_font(doc: &lopdf::Document) -> bool {
    dicts(doc).any(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font"))
}

fn image_count(doc: &lopdf::Document) -> usize {
    doc.objects
        .values()
        .filter(|o| match o {
            Object::Stream(s) => {
                s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
            }
            _ => false,
        })
        .count()
}

fn assert_close(actual: f32, expected: f32) {
    assert!((actual - expected).abs() <= 1.0, "{actual} vs {expected}");
}

#[test]
fn document_render_one_page_a4() {
    let pdf = render(&sample()).unwrap();
    assert_eq!(pdf.page_count, 1);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let doc = parse(&pdf);
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let mb = media_box(&doc, pages[&1]);
    assert_close(mb[2] - mb[0], 595.28);
    assert_close(mb[3] - mb[1], 841.89);
    assert!(has_font_file(&doc), "font program embedded");
    assert_eq!(
        image_count(&doc),
        1,
        "exactly one image: the seal, no soft mask"
    );
    // Subsetting keeps a one-page certificate small.
    assert!(pdf.bytes.len() < 120_000, "{} bytes", pdf.bytes.len());
}

#[test]
fn document_render_text_is_extractable_with_exact_code_points() {
    let pdf = render(&sample()).unwrap();
    let text = text_of(&pdf);
    for expected in [
        "住民票の写し",
        "\u{20BB7}田",
        "髙橋",
        "\u{9AD9}",
        "山\u{FA11}",
        "\u{5FB7}永",
        STATEMENT,
        "令和8年11月26日",
        "昭和39年10月10日",
        "青葉 太郎",
        "青葉台市長\u{3000}青葉 太郎",
        "証明書番号 AOB-2026-000123",
        "1 / 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
    assert!(!text.contains("吉田"), "𠮷 must not degrade to 吉");
    assert!(!text.contains("高橋"), "髙 must not degrade to 高");
    assert!(!text.contains("山崎"), "﨑 must not degrade to 崎");
    assert!(!text.contains("徳永"), "德 must not degrade to 徳");
    // The seal's characters are pixels, not text.
    assert!(!text.contains("之印"));
}

#[test]
fn document_render_prints_only_what_it_was_given() {
    let doc = sample();
    let mut allowed: String = format!(
        "{}{}{}{}{}{}証明書番号/0123456789",
        doc.title,
        doc.certification_statement,
        wareki(doc.issue_date),
        doc.mayor_title,
        doc.mayor_name,
        doc.certificate_number
    );
    for s in &doc.sections {
        allowed.push_str(s.heading.as_deref().unwrap_or(""));
        for (l, v) in &s.rows {
            allowed.push_str(l);
            allowed.push_str(v);
        }
    }
    let text = text_of(&render(&doc).unwrap());
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        assert!(allowed.contains(c), "unexpected {c:?} (U+{:04X})", c as u32);
    }
}

#[test]
fn document_render_letter_when_asked() {
    let mut doc = sample();
    doc.paper = Paper::Letter;
    let pdf = render(&doc).unwrap();
    let parsed = parse(&pdf);
    let pages = parsed.get_pages();
    let mb = media_box(&parsed, pages[&1]);
    assert_close(mb[2] - mb[0], 612.0);
    assert_close(mb[3] - mb[1], 792.0);
}

#[test]
fn document_render_long_document_breaks_pages() {
    let pdf = render(&long_document()).unwrap();
    assert!(pdf.page_count >= 2, "{} pages", pdf.page_count);
    let doc = parse(&pdf);
    let pages = doc.get_pages();
    assert_eq!(pages.len() as u32, pdf.page_count);
    for id in pages.values() {
        let mb = media_box(&doc, *id);
        assert_close(mb[3] - mb[1], 841.89);
    }
    let text = text_of(&pdf);
    let n = pdf.page_count;
    for p in 1..=n {
        assert!(
            text.contains(&format!("{p} / {n}")),
            "page number {p} / {n}"
        );
    }
    assert_eq!(
        text.matches("証明書番号 AOB-2026-000123").count() as u32,
        n,
        "certificate number on every page"
    );
    assert!(text.contains("異動履歴60"));
    assert!(text.contains(STATEMENT));
    // One seal image, shared by reference.
    assert_eq!(image_count(&doc), 1);
}

#[test]
fn document_render_without_embedded_fonts() {
    let mut doc = sample();
    doc.embed_fonts = false;
    let pdf = render(&doc).unwrap();
    let parsed = parse(&pdf);
    assert_eq!(parsed.get_pages().len(), 1);
    assert!(!has_font_file(&parsed), "no font program");
    assert!(!has_font(&parsed), "no font at all: text is outlines");
    assert_eq!(image_count(&parsed), 1);
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes).unwrap_or_default();
    assert!(!text.contains("青葉 太郎"));
    assert!(!text.contains("AOB-2026-000123"));
}

#[test]
fn document_render_issue_date_text_overrides_wareki() {
    let mut doc = sample();
    doc.issue_date_text = Some("2026年11月26日".into());
    let text = text_of(&render(&doc).unwrap());
    assert!(text.contains("2026年11月26日"));
    assert!(!text.contains("令和8年11月26日"));
}

#[test]
fn document_render_is_deterministic_in_pages() {
    let a = render(&sample()).unwrap();
    let b = render(&sample()).unwrap();
    assert_eq!(a.page_count, b.page_count);
    assert_eq!(a.bytes.len(), b.bytes.len());
}

#[test]
fn document_render_keeps_variation_selectors_in_text() {
    // The subset font has no variant glyphs, so 葛 + VS17 draws 葛's glyph and
    // the selector travels in that glyph's ToUnicode entry. (Were plain 葛
    // also printed, krilla would mark the later use with /ActualText, which
    // pdftotext honours but pdf-extract ignores; hence only one use here.)
    let mut doc = sample();
    doc.sections[0]
        .rows
        .push(("本籍".into(), "葛\u{E0100}飾区".into()));
    let text = text_of(&render(&doc).unwrap());
    assert!(text.contains("葛\u{E0100}飾区"), "{text:?}");
}
