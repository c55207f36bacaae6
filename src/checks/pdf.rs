//! What a certificate PDF must be: parseable, A4 portrait, the declared page count and
//! SHA-256, fonts embedded, and extractable text. That nothing but the certificate is anywhere in the file is
//! [`super::pdf_forensics`]'s part.

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
