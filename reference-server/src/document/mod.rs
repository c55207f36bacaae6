//! Certificates (証明書) rendered as PDF.
//!
//! The server decides everything a certificate says and hands it over as a
//! [`PrintDocument`]; [`render`] lays it out on A4 (or Letter) pages and writes
//! a PDF with krilla:
//!
//! - the title centred at the top of the first page;
//! - each [`Section`] as an optional heading over a two-column table of
//!   label/value rows, values wrapped to the column (with kinsoku), rows moved
//!   to the next page when they do not fit (a row taller than a page is split);
//! - the 証明文, the issue date (和暦, see [`wareki`]) and the mayor's line
//!   (title, full-width space, name) with the 公印, a red square seal image
//!   stamped over the end of the name; these stay together on one page;
//! - on every page a footer with `証明書番号 <number>` and `<page> / <pages>`.
//!
//! Text uses a subset of Noto Sans CJK JP compiled into the binary (see
//! `reference-server/assets/fonts/`). krilla embeds a further subset of it per
//! document with a ToUnicode map, so every code point, including 𠮷 (U+20BB7)
//! and compatibility ideographs such as 﨑 (U+FA11), is extracted unchanged.
//!
//! With [`PrintDocument::embed_fonts`] false (a defect switch) no font is put in
//! the file at all: krilla cannot reference a font without embedding it, so the
//! text is drawn as filled glyph outlines instead. The page looks the same but
//! has no font resources and no extractable text.
//!
//! Apart from the page numbers and the `証明書番号` label, nothing is printed
//! that the [`PrintDocument`] does not contain. (The seal shows the mayor's
//! title and 之印 as pixels of its image; that is not text.) The file holds
//! nothing else either: no personal data in the metadata, no script, action,
//! link, attachment, form field, annotation or layer, no encryption, unless a
//! `pdf-*` defect switch writes one in afterwards ([`faults::inject`]).

mod draw;
mod era;
pub mod faults;
mod font;
mod layout;
mod seal;
mod wrap;

#[cfg(test)]
mod tests;

pub use era::{EraMistakes, wareki, wareki_with};

/// Everything printed on one certificate, already decided by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintDocument {
    /// The certificate's name, e.g. 住民票の写し.
    pub title: String,
    /// The 記載事項.
    pub sections: Vec<Section>,
    /// 証明文.
    pub certification_statement: String,
    /// Printed via [`wareki`] unless `issue_date_text` is set.
    pub issue_date: chrono::NaiveDate,
    /// If set, printed instead of `wareki(issue_date)` (used by a defect switch).
    pub issue_date_text: Option<String>,
    /// e.g. 青葉台市長.
    pub mayor_title: String,
    /// The mayor's name, printed after the title.
    pub mayor_name: String,
    /// Printed as `証明書番号 <number>` on every page.
    pub certificate_number: String,
    /// Printed on every page beside the number: whom the certificate is about, e.g.
    /// `氏名 桜井 太郎` or `筆頭者 桜井 太郎` (profile, "The PDF").
    pub page_subject: String,
    /// A4 normally; Letter exists for a defect switch.
    pub paper: Paper,
    /// True normally. False (a defect switch) leaves fonts out of the PDF: text
    /// is drawn as glyph outlines, so nothing is extractable.
    pub embed_fonts: bool,
    /// False normally. True (a defect switch) draws the footer of every page after
    /// the first in white: on paper those pages carry no certificate number.
    pub later_footers_white: bool,
}

/// A group of 記載事項: an optional heading over label/value rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading printed over the rows, if any.
    pub heading: Option<String>,
    /// (label, value) pairs; values may contain `\n` for explicit line breaks.
    pub rows: Vec<(String, String)>,
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 210 × 297 mm (595.28 × 841.89 pt), portrait.
    A4,
    /// 8.5 × 11 in (612 × 792 pt), portrait.
    Letter,
}

/// A finished PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Pages in it.
    pub page_count: u32,
}

/// Why a certificate could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The font compiled into the binary could not be parsed.
    #[error("the embedded certificate font could not be loaded")]
    Font,
    /// The paper size was rejected by the PDF writer.
    #[error("invalid page size")]
    PageSize,
    /// krilla failed to write the PDF.
    #[error("PDF writing failed: {0}")]
    Pdf(String),
}

/// Defect `page-from-another-document`: the second page of the last multi-page
/// document rendered, shared between renderings (a page buffer that was never cleared).
#[derive(Debug, Default)]
pub struct PageBuffer {
    second_page: std::sync::Mutex<Option<Vec<layout::Item>>>,
}

/// Renders a certificate to PDF.
pub fn render(doc: &PrintDocument) -> Result<RenderedPdf, RenderError> {
    render_pages(doc, None)
}

/// Renders a certificate to PDF through a shared page buffer: the second page of a
/// multi-page document is the one left in the buffer by the previous multi-page
/// document (defect `page-from-another-document`).
pub fn render_sharing(
    doc: &PrintDocument,
    buffer: &PageBuffer,
) -> Result<RenderedPdf, RenderError> {
    render_pages(doc, Some(buffer))
}

fn render_pages(
    doc: &PrintDocument,
    buffer: Option<&PageBuffer>,
) -> Result<RenderedPdf, RenderError> {
    let face = font::face().ok_or(RenderError::Font)?;
    let mut pages = layout::layout(doc, face);
    if let Some(buffer) = buffer
        && pages.len() >= 2
        && let Ok(mut kept) = buffer.second_page.lock()
    {
        let own = pages[1].clone();
        if let Some(previous) = kept.replace(own) {
            pages[1] = previous;
        }
    }
    let seal = seal::seal_image(&doc.mayor_title, face);
    let mode = if doc.embed_fonts {
        draw::TextMode::Embedded
    } else {
        draw::TextMode::Outlines
    };
    let bytes = draw::paint(
        &pages,
        layout::paper_size(&doc.paper),
        face,
        &seal,
        mode,
        &doc.title,
    )?;
    Ok(RenderedPdf {
        bytes,
        page_count: u32::try_from(pages.len()).unwrap_or(u32::MAX),
    })
}
