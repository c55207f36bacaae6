//! PDF forensics: nothing but the certificate in the file. A pure scan of the whole
//! certificate PDF (not only its page text) for what must never be in it: a 個人番号 or a
//! 住民票コード of any fixture person, the name of a person the certificate does not
//! state, text invisible on the printed page, active or external content, embedded
//! files, forms, optional-content layers and encryption.
//!
//! What is read:
//!
//! - every string of every object, decoded as a PDF text string (UTF-16BE with BOM,
//!   UTF-8 with BOM, else PDFDocEncoding): the document information dictionary,
//!   annotations (`/Contents`, `/T`, …), form fields (`/T`, `/V`, …), file
//!   specifications, outlines, everything;
//! - every stream, decompressed (image data and font programs excepted): XMP metadata (with XML numeric
//!   character references decoded), embedded files, content streams, fonts, read both as
//!   UTF-8 (Latin-1 where it is not) and, when it looks like it, as UTF-16BE;
//! - the text of every page, decoded through its fonts (ToUnicode maps), with the
//!   graphics state followed so that invisible text is found.
//!
//! Thresholds (a kiosk prints on white paper; nothing about a certificate is hidden):
//!
//! - a 個人番号 or 住民票コード is found when its digits appear in a run of digits, half
//!   or full width, that may be grouped by single spaces (`1234 5678 9012`);
//! - a person's name is found when it appears with whitespace removed; a fixture person
//!   whose name is contained in a value the certificate states (a 父母 or 筆頭者 of
//!   another 戸籍 is stated on a 戸籍証明書) is not another person;
//! - text is invisible when drawn in render mode 3 or 7, with a fill (or, for stroke
//!   modes, stroke) whose every component is at least [`WHITE`] (CMYK: at most
//!   `1 - WHITE`), with an alpha below [`MIN_ALPHA`], at an effective size below
//!   [`MIN_TEXT_SIZE`] points in either direction, with its origin more than one
//!   font size outside the page's MediaBox ∩ CropBox or outside a rectangular clip, or
//!   inside optional content that is off. Only the origin of each text-showing operation
//!   is placed (glyph advances are not measured), which is enough to find text put out
//!   of sight on purpose; text covered by an image is not looked for.
//!
//! The scan is pure and reads nothing but the bytes and the [`Watch`]; streams are
//! decompressed up to [`MAX_STREAM_BYTES`] each.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::pdf::PdfError;

mod findings;
mod geometry;
mod objects;
mod page;
mod painter;
mod strings;
#[cfg(test)]
mod tests;

pub use findings::{Finding, Hidden, Place, mask};
use geometry::*;
use painter::*;
use strings::*;

/// Text whose effective size (font size scaled by the text and transformation matrices)
/// is below this many points, in height or in width, cannot be read on a printout (the
/// smallest print on a certificate is about 6 pt).
pub const MIN_TEXT_SIZE: f32 = 2.0;

/// A colour component at or above this (on a 0–1 scale) is white on paper.
pub const WHITE: f32 = 0.95;

/// A fill or stroke alpha below this leaves no mark.
pub const MIN_ALPHA: f32 = 0.05;

/// Decompressed streams larger than this are not read (and reported).
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// Form XObjects nested deeper than this are not followed.
const MAX_FORM_DEPTH: usize = 8;

/// Nesting of arrays and dictionaries deeper than this is not followed.
const MAX_OBJECT_DEPTH: usize = 64;

/// A fixture person the scan watches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// Person id, e.g. `R001`.
    pub id: String,
    /// 氏名.
    pub name: String,
    /// 個人番号 (12 digits).
    pub individual_number: String,
    /// 住民票コード (11 digits).
    pub resident_code: String,
}

/// What the file is checked against: what the certificate may state, and every fixture
/// person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    /// Every text value the certificate states (names, addresses, 本籍, …). A watched
    /// person whose name is contained in one of them may appear.
    pub stated: Vec<String>,
    /// Every fixture person: none of their numbers may appear, nor the name of one the
    /// certificate does not state.
    pub persons: Vec<Watched>,
}

/// Scan a certificate PDF. An empty list means nothing was found.
pub fn scan(bytes: &[u8], watch: &Watch) -> Result<Vec<Finding>, PdfError> {
    read(bytes, watch).map(|r| r.findings)
}

/// What one pass over a certificate PDF read: the findings, and the text each page
/// shows on paper.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// What must not be in the file; empty when nothing was found.
    pub findings: Vec<Finding>,
    /// The visible text of each page in page order, one line per text-showing
    /// operation, decoded through the page's fonts. Text drawn invisibly is left out:
    /// what a page must print has to be seen on paper.
    pub pages: Vec<String>,
}

/// Scan a certificate PDF and read the text of its pages, parsing the file once.
pub fn read(bytes: &[u8], watch: &Watch) -> Result<Reading, PdfError> {
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        // An encrypted file lopdf cannot open with an empty password.
        Err(_) if contains(bytes, b"/Encrypt") => {
            return Ok(Reading {
                findings: vec![Finding::Encrypted],
                pages: Vec::new(),
            });
        }
        Err(e) => return Err(PdfError(e.to_string())),
    };
    let mut scanner = Scanner::new(&doc, watch);
    if doc.trailer.get(b"Encrypt").is_ok() || doc.was_encrypted() {
        scanner.found(Finding::Encrypted);
    }
    scanner.objects();
    scanner.pages();
    Ok(scanner.finish())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The scan of one document: what is watched, and what was found so far.
struct Scanner<'a> {
    doc: &'a Document,
    /// (person id, number) of every 個人番号 and 住民票コード.
    numbers: Vec<(&'a str, &'a str, bool)>,
    /// (person id, name, squeezed name) of persons the certificate does not state.
    others: Vec<(&'a str, &'a str, String)>,
    findings: Vec<Finding>,
    annotation_pages: BTreeMap<ObjectId, u32>,
    /// The visible text of each page read so far.
    pages: Vec<String>,
}

fn name_of(dict: &Dictionary, key: &[u8]) -> Option<String> {
    match dict.get(key) {
        Ok(Object::Name(n)) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    }
}

fn deref<'d>(doc: &'d Document, object: &'d Object) -> &'d Object {
    let mut current = object;
    for _ in 0..8 {
        match current {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => current = o,
                Err(_) => return current,
            },
            _ => return current,
        }
    }
    current
}

/// An inheritable page attribute, resolved.
fn inherited<'d>(doc: &'d Document, page: ObjectId, key: &[u8]) -> Option<&'d Object> {
    let mut current = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(v) = current.get(key) {
            return Some(deref(doc, v));
        }
        let parent = current.get(b"Parent").ok()?.as_reference().ok()?;
        current = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// What the forensic scan checks a certificate against: the text values `stated` (the
/// 記載事項 the certificate must state, from the fixtures, plus the mayor's name) may
/// appear; no fixture person's 個人番号 or 住民票コード, and no other fixture person's
/// name, may appear anywhere in the file.
pub fn watch(
    fixtures: &kofu_fixtures::Fixtures,
    stated: &kofu_profile::content::Content,
    also_stated: &[String],
) -> Watch {
    use super::expected::{Printed, printed_names, printed_values};
    let mut values: Vec<String> = printed_names(stated);
    values.extend(printed_values(stated).into_iter().filter_map(|v| match v {
        Printed::Text(_, t) => Some(t),
        _ => None,
    }));
    values.extend(also_stated.iter().cloned());
    Watch {
        stated: values,
        persons: fixtures
            .register
            .persons
            .iter()
            .map(|p| Watched {
                id: p.id.clone(),
                name: p.name.clone(),
                individual_number: p.individual_number.clone(),
                resident_code: p.resident_code.clone(),
            })
            .collect(),
    }
}

/// The forensic verdict on a certificate PDF: `None` when the file holds nothing but the
/// certificate, else a message listing every finding (numbers masked).
pub fn verdict(bytes: &[u8], watch: &Watch) -> Option<String> {
    match scan(bytes, watch) {
        Ok(findings) => summary(&findings),
        Err(e) => Some(e.to_string()),
    }
}

/// The findings as one message, `None` when there are none (numbers masked).
pub fn summary(findings: &[Finding]) -> Option<String> {
    /// More findings than this are counted, not listed.
    const LISTED: usize = 20;
    if findings.is_empty() {
        return None;
    }
    let mut out = format!("{} finding(s):", findings.len());
    for f in findings.iter().take(LISTED) {
        out.push_str("\n- ");
        out.push_str(&f.to_string());
    }
    if findings.len() > LISTED {
        out.push_str(&format!("\n- … and {} more", findings.len() - LISTED));
    }
    Some(out)
}
