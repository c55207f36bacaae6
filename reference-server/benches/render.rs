//! Time to render one certificate PDF, and a digest of the bytes rendered.
//!
//! A plain measurement, no bench framework. `cargo test -p kofu-reference-server --bench
//! render --locked` runs it unoptimised, as the harness's debug build renders;
//! `cargo bench -p kofu-reference-server --bench render --locked` optimised. It renders a
//! one-page and a three-page certificate, each with its font embedded and as outlines,
//! and prints the time of the first PDF (which prepares what every PDF shares), the time
//! per PDF after it (the fastest of several batches), and a SHA-256 over the PDFs: a change meant only to be faster
//! must leave the digest as it was.

use std::time::Instant;

use chrono::NaiveDate;
use kofu_reference_server::document::{Paper, PrintDocument, Section, render, wareki};
use sha2::{Digest, Sha256};

/// Batches per document kind after the warm-up PDF; the fastest batch is reported, as
/// the least disturbed by whatever else the machine runs.
const BATCHES: u32 = 10;
/// PDFs per batch.
const PER_BATCH: u32 = 5;

fn one_page() -> PrintDocument {
    PrintDocument {
        title: "住民票の写し".into(),
        sections: vec![Section {
            heading: Some("世帯主".into()),
            rows: vec![
                ("氏名".into(), "𠮷田 花子".into()),
                (
                    "生年月日".into(),
                    wareki(NaiveDate::from_ymd_opt(1964, 10, 10).unwrap_or_default()),
                ),
                (
                    "住所".into(),
                    "青葉台市緑町一丁目2番3号 コーポ青葉台101号室".into(),
                ),
            ],
        }],
        certification_statement: "この写しは、住民票の原本と相違ないことを証明する。".into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        issue_date_text: None,
        mayor_title: "青葉台市長".into(),
        mayor_name: "青葉 太郎".into(),
        certificate_number: "AOB-2026-000123".into(),
        page_subject: "氏名 𠮷田 花子".into(),
        paper: Paper::A4,
        embed_fonts: true,
        later_footers_white: false,
    }
}

fn three_pages() -> PrintDocument {
    let mut doc = one_page();
    doc.sections.push(Section {
        heading: Some("異動履歴".into()),
        rows: (1..=60)
            .map(|i| {
                (
                    format!("異動履歴{i}"),
                    format!(
                        "令和{}年{}月{}日 青葉台市緑町{}丁目{i}番地から転入",
                        i % 7 + 1,
                        i % 12 + 1,
                        i % 28 + 1,
                        i % 5 + 1
                    ),
                )
            })
            .collect(),
    });
    doc
}

fn main() {
    let mut digest = Sha256::new();
    for (name, mut doc) in [("1 page", one_page()), ("3 pages", three_pages())] {
        for embed_fonts in [true, false] {
            doc.embed_fonts = embed_fonts;
            let first = Instant::now();
            let pdf = render(&doc).expect("renders");
            let first = first.elapsed();
            digest.update(&pdf.bytes);
            let mut fastest = std::time::Duration::MAX;
            for _ in 0..BATCHES {
                let start = Instant::now();
                for _ in 0..PER_BATCH {
                    let again = render(&doc).expect("renders");
                    assert_eq!(again.bytes, pdf.bytes, "rendering is deterministic");
                }
                fastest = fastest.min(start.elapsed() / PER_BATCH);
            }
            println!(
                "{name}, fonts {}: first {:.1} ms, then {:.2} ms per PDF (fastest batch; {} pages, {} bytes)",
                if embed_fonts {
                    "embedded"
                } else {
                    "as outlines"
                },
                first.as_secs_f64() * 1e3,
                fastest.as_secs_f64() * 1e3,
                pdf.page_count,
                pdf.bytes.len()
            );
        }
    }
    println!("sha256 of the PDFs: {:x}", digest.finalize());
}
