//! What a certificate PDF must be: parseable, A4 portrait, the declared page count and
//! SHA-256, fonts embedded, and extractable text; and, through [`forensics`], nothing
//! but the certificate anywhere in the file.

use sha2::{Digest, Sha256};

/// A4 in PDF points.
pub const A4: (f32, f32) = (595.28, 841.89);

/// What was read from a PDF.
#[derive(Debug, Clone)]
pub struct PdfFacts {
    /// Pages.
    pub page_count: u32,
    /// Width and height of each page's MediaBox, in points.
    pub page_sizes: Vec<(f32, f32)>,
    /// Whether every font used is embedded (FontFile, FontFile2 or FontFile3).
    pub fonts_embedded: bool,
    /// Number of fonts found.
    pub font_count: usize,
    /// Number of image XObjects.
    pub image_count: usize,
    /// Extracted text of all pages.
    pub text: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
}

/// A PDF that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("the document is not a readable PDF: {0}")]
pub struct PdfError(pub String);

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Read the facts of a PDF.
pub fn inspect(bytes: &[u8]) -> Result<PdfFacts, PdfError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| PdfError(e.to_string()))?;
    let pages = doc.get_pages();
    let mut page_sizes = Vec::new();
    for page_id in pages.values() {
        page_sizes.push(media_box(&doc, *page_id).unwrap_or((0.0, 0.0)));
    }
    let mut font_count = 0;
    let mut fonts_embedded = true;
    let mut image_count = 0;
    for object in doc.objects.values() {
        let dict = match object {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => {
                if name_is(&s.dict, b"Subtype", b"Image") {
                    image_count += 1;
                }
                continue;
            }
            _ => continue,
        };
        if name_is(dict, b"Type", b"FontDescriptor") {
            font_count += 1;
            let embedded = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                .iter()
                .any(|k| dict.get(k).is_ok());
            fonts_embedded &= embedded;
        }
    }
    if font_count == 0 {
        fonts_embedded = false;
    }
    let page_numbers: Vec<u32> = pages.keys().copied().collect();
    let text = pdf_extract::extract_text_from_mem(bytes)
        .or_else(|_| doc.extract_text(&page_numbers).map_err(|e| e.to_string()))
        .unwrap_or_default();
    Ok(PdfFacts {
        page_count: pages.len() as u32,
        page_sizes,
        fonts_embedded,
        font_count,
        image_count,
        text,
        sha256: sha256_hex(bytes),
    })
}

fn name_is(dict: &lopdf::Dictionary, key: &[u8], value: &[u8]) -> bool {
    matches!(dict.get(key), Ok(lopdf::Object::Name(n)) if n == value)
}

fn media_box(doc: &lopdf::Document, page: lopdf::ObjectId) -> Option<(f32, f32)> {
    let mut current = doc.get_dictionary(page).ok()?;
    for _ in 0..16 {
        if let Ok(obj) = current.get(b"MediaBox") {
            let arr = match obj {
                lopdf::Object::Reference(r) => doc.get_object(*r).ok()?.as_array().ok()?,
                other => other.as_array().ok()?,
            };
            let n: Vec<f32> = arr.iter().filter_map(|o| o.as_float().ok()).collect();
            if n.len() == 4 {
                return Some(((n[2] - n[0]).abs(), (n[3] - n[1]).abs()));
            }
            return None;
        }
        let parent = current.get(b"Parent").ok()?.as_reference().ok()?;
        current = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// Whether a page size is A4 portrait within one point.
pub fn is_a4_portrait(size: (f32, f32)) -> bool {
    (size.0 - A4.0).abs() <= 1.0 && (size.1 - A4.1).abs() <= 1.0
}

/// Text with whitespace removed, so values split across runs still match.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What the forensic scan checks a certificate against: the text values `stated` (the
/// 記載事項 the certificate must state, from the fixtures, plus the mayor's name) may
/// appear; no fixture person's 個人番号 or 住民票コード, and no other fixture person's
/// name, may appear anywhere in the file.
pub fn forensic_watch(
    fixtures: &kofu_fixtures::Fixtures,
    stated: &kofu_profile::content::Content,
    also_stated: &[String],
) -> super::pdf_forensics::Watch {
    use super::expected::{Printed, printed_names, printed_values};
    let mut values: Vec<String> = printed_names(stated);
    values.extend(printed_values(stated).into_iter().filter_map(|v| match v {
        Printed::Text(_, t) => Some(t),
        _ => None,
    }));
    values.extend(also_stated.iter().cloned());
    super::pdf_forensics::Watch {
        stated: values,
        persons: fixtures
            .register
            .persons
            .iter()
            .map(|p| super::pdf_forensics::Watched {
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
pub fn forensics(bytes: &[u8], watch: &super::pdf_forensics::Watch) -> Option<String> {
    /// More findings than this are counted, not listed.
    const LISTED: usize = 20;
    let findings = match super::pdf_forensics::scan(bytes, watch) {
        Ok(f) => f,
        Err(e) => return Some(e.to_string()),
    };
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
