//! Faults a careless PDF pipeline leaves in a certificate file, for the `pdf-*` defect
//! switches. krilla writes none of them, so they are written into its output afterwards
//! with lopdf, the way a vendor's post-processing step (stamping metadata, attaching the
//! source data, adding a print script) would.

use kofu_fixtures::{Fixtures, Person};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};

use super::RenderError;
use crate::defects::{Defect, Defects};

/// One fault written into a rendered certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The holder's 個人番号 in the document information's /Keywords.
    MetadataPersonalNumber(String),
    /// An /OpenAction running JavaScript (a silent print-on-open script).
    OpenActionJavaScript,
    /// The register extract the certificate was built from, attached as a file.
    EmbeddedFile {
        /// File name.
        name: String,
        /// Its bytes.
        data: Vec<u8>,
    },
    /// A fillable text field left over from the form template, filled with a value.
    FormField {
        /// The field's /T.
        name: String,
        /// Its /V.
        value: String,
    },
    /// A reviewer's note (a /Text annotation) naming a person.
    AnnotationNaming(String),
    /// Text drawn in render mode 3 (invisible) at the foot of each page.
    InvisibleText(String),
    /// A /Link annotation with a /URI action to a web address.
    ExternalLink(String),
    /// Encryption with an empty user password (opens without a password, but is
    /// encrypted).
    Encrypted,
}

/// The faults the switches ask for, for a certificate of `holder` listing `listed`.
pub fn chosen(
    defects: &Defects,
    fixtures: &Fixtures,
    holder: &Person,
    listed: &[&Person],
) -> Vec<Fault> {
    let mut out = Vec::new();
    if defects.on(Defect::PdfMetadataPersonalNumber) {
        out.push(Fault::MetadataPersonalNumber(
            holder.individual_number.clone(),
        ));
    }
    if defects.on(Defect::PdfJavascript) {
        out.push(Fault::OpenActionJavaScript);
    }
    if defects.on(Defect::PdfEmbeddedFile) {
        let mut csv = String::from("id,name,individual_number,resident_code\n");
        for p in std::iter::once(holder).chain(listed.iter().copied()) {
            csv.push_str(&format!(
                "{},{},{},{}\n",
                p.id, p.name, p.individual_number, p.resident_code
            ));
        }
        out.push(Fault::EmbeddedFile {
            name: "register-extract.csv".to_owned(),
            data: csv.into_bytes(),
        });
    }
    if defects.on(Defect::PdfFormField) {
        out.push(Fault::FormField {
            name: "shimei".to_owned(),
            value: holder.name.clone(),
        });
    }
    if defects.on(Defect::PdfAnnotationOtherPerson) {
        let other = fixtures.register.persons.iter().find(|p| {
            p.id != holder.id
                && !listed.iter().any(|l| l.id == p.id)
                && (p.household.is_none() || p.household != holder.household)
                && (p.family_register.is_none() || p.family_register != holder.family_register)
        });
        if let Some(other) = other {
            out.push(Fault::AnnotationNaming(format!(
                "テンプレート確認用 {} で出力確認済み",
                other.name
            )));
        }
    }
    if defects.on(Defect::PdfInvisibleText) {
        out.push(Fault::InvisibleText(holder.resident_code.clone()));
    }
    if defects.on(Defect::PdfExternalLink) {
        out.push(Fault::ExternalLink(
            "https://support.example.jp/kofu-certificates".to_owned(),
        ));
    }
    if defects.on(Defect::PdfEncrypted) {
        out.push(Fault::Encrypted);
    }
    out
}

fn fault_error(e: lopdf::Error) -> RenderError {
    RenderError::Pdf(format!("writing a fault: {e}"))
}

fn text(value: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in value.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Writes `faults` into a rendered PDF. No faults: the bytes come back unchanged.
pub fn inject(pdf: Vec<u8>, faults: &[Fault]) -> Result<Vec<u8>, RenderError> {
    if faults.is_empty() {
        return Ok(pdf);
    }
    let mut doc = Document::load_mem(&pdf).map_err(fault_error)?;
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(fault_error)?;
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let first = *pages
        .first()
        .ok_or_else(|| RenderError::Pdf("no page".into()))?;
    let mut encrypt = false;
    for fault in faults {
        match fault {
            Fault::MetadataPersonalNumber(number) => {
                let info_id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
                    Ok(id) => id,
                    Err(_) => {
                        let id = doc.add_object(Dictionary::new());
                        doc.trailer.set("Info", id);
                        id
                    }
                };
                doc.get_dictionary_mut(info_id)
                    .map_err(fault_error)?
                    .set("Keywords", text(&format!("個人番号 {number}")));
            }
            Fault::OpenActionJavaScript => {
                let action = doc.add_object(dictionary! {
                    "Type" => "Action", "S" => "JavaScript",
                    "JS" => Object::string_literal("this.print({bUI: false, bSilent: true});"),
                });
                doc.get_dictionary_mut(catalog_id)
                    .map_err(fault_error)?
                    .set("OpenAction", action);
            }
            Fault::EmbeddedFile { name, data } => {
                let file = doc.add_object(Stream::new(
                    dictionary! { "Type" => "EmbeddedFile", "Subtype" => "text#2Fcsv" },
                    data.clone(),
                ));
                let spec = doc.add_object(dictionary! {
                    "Type" => "Filespec", "F" => Object::string_literal(name.as_str()),
                    "UF" => text(name), "EF" => dictionary! { "F" => file },
                });
                let tree = doc.add_object(dictionary! {
                    "Names" => vec![Object::string_literal(name.as_str()), spec.into()],
                });
                doc.get_dictionary_mut(catalog_id)
                    .map_err(fault_error)?
                    .set("Names", dictionary! { "EmbeddedFiles" => tree });
            }
            Fault::FormField { name, value } => {
                let field = doc.add_object(dictionary! {
                    "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
                    "Rect" => vec![100.into(), 700.into(), 300.into(), 720.into()],
                    "T" => Object::string_literal(name.as_str()), "V" => text(value),
                    "P" => first,
                });
                add_annotation(&mut doc, first, field)?;
                let form = doc.add_object(dictionary! { "Fields" => vec![field.into()] });
                doc.get_dictionary_mut(catalog_id)
                    .map_err(fault_error)?
                    .set("AcroForm", form);
            }
            Fault::AnnotationNaming(note) => {
                let annot = doc.add_object(dictionary! {
                    "Type" => "Annot", "Subtype" => "Text",
                    "Rect" => vec![560.into(), 800.into(), 580.into(), 820.into()],
                    "Contents" => text(note), "T" => text("審査担当"),
                });
                add_annotation(&mut doc, first, annot)?;
            }
            Fault::InvisibleText(value) => {
                let font = doc.add_object(dictionary! {
                    "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
                    "Encoding" => "WinAnsiEncoding",
                });
                for &page in &pages {
                    add_font(&mut doc, page, font)?;
                    let content = format!("BT /KofuSearch 8 Tf 3 Tr 40 20 Td ({value}) Tj ET");
                    doc.add_page_contents(page, content.into_bytes())
                        .map_err(fault_error)?;
                }
            }
            Fault::ExternalLink(uri) => {
                let link = doc.add_object(dictionary! {
                    "Type" => "Annot", "Subtype" => "Link",
                    "Rect" => vec![40.into(), 20.into(), 200.into(), 32.into()],
                    "Border" => vec![0.into(), 0.into(), 0.into()],
                    "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal(uri.as_str()) },
                });
                add_annotation(&mut doc, first, link)?;
            }
            Fault::Encrypted => encrypt = true,
        }
    }
    if encrypt {
        if doc.trailer.get(b"ID").is_err() {
            let id = Object::string_literal(b"kofu-reference--".to_vec());
            doc.trailer.set("ID", vec![id.clone(), id]);
        }
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "vendor-owner",
            user_password: "",
            key_length: 128,
            permissions: lopdf::Permissions::PRINTABLE,
        };
        let state = lopdf::EncryptionState::try_from(version).map_err(fault_error)?;
        doc.encrypt(&state).map_err(fault_error)?;
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| RenderError::Pdf(format!("writing a fault: {e}")))?;
    Ok(out)
}

fn add_annotation(doc: &mut Document, page: ObjectId, annot: ObjectId) -> Result<(), RenderError> {
    let existing = match doc.get_dictionary(page).and_then(|p| p.get(b"Annots")) {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => doc
            .get_object(*id)
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut annots = existing;
    annots.push(annot.into());
    doc.get_dictionary_mut(page)
        .map_err(fault_error)?
        .set("Annots", annots);
    Ok(())
}

/// Adds `font` as `/KofuSearch` to the page's own font resources.
fn add_font(doc: &mut Document, page: ObjectId, font: ObjectId) -> Result<(), RenderError> {
    let resources = doc
        .get_dictionary(page)
        .and_then(|p| p.get(b"Resources"))
        .cloned()
        .unwrap_or_else(|_| Object::Dictionary(Dictionary::new()));
    let mut resources = match resources {
        Object::Reference(id) => doc.get_dictionary(id).cloned().map_err(fault_error)?,
        Object::Dictionary(d) => d,
        _ => Dictionary::new(),
    };
    let mut fonts = match resources.get(b"Font") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).cloned().map_err(fault_error)?,
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    fonts.set("KofuSearch", font);
    resources.set("Font", fonts);
    doc.get_dictionary_mut(page)
        .map_err(fault_error)?
        .set("Resources", resources);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> Vec<u8> {
        let doc = super::super::tests::sample();
        super::super::render(&doc).expect("render").bytes
    }

    #[test]
    fn no_fault_leaves_the_bytes_alone() {
        let pdf = plain();
        assert_eq!(inject(pdf.clone(), &[]).expect("inject"), pdf);
    }

    #[test]
    fn every_fault_leaves_a_readable_pdf_that_carries_it() {
        let all = [
            Fault::MetadataPersonalNumber("123456789012".into()),
            Fault::OpenActionJavaScript,
            Fault::EmbeddedFile {
                name: "x.csv".into(),
                data: b"a,b\n".to_vec(),
            },
            Fault::FormField {
                name: "shimei".into(),
                value: "青葉 太郎".into(),
            },
            Fault::AnnotationNaming("note".into()),
            Fault::InvisibleText("10987654321".into()),
            Fault::ExternalLink("https://example.jp/".into()),
            Fault::Encrypted,
        ];
        for fault in all {
            let bytes = inject(plain(), std::slice::from_ref(&fault)).expect("inject");
            let doc = Document::load_mem(&bytes).expect("readable");
            let catalog = doc.catalog().expect("catalog");
            let first = *doc.get_pages().values().next().expect("a page");
            let annots = doc
                .get_dictionary(first)
                .and_then(|p| p.get(b"Annots"))
                .is_ok();
            let carried = match &fault {
                Fault::MetadataPersonalNumber(_) => {
                    let info = doc.trailer.get(b"Info").and_then(Object::as_reference);
                    info.and_then(|id| doc.get_dictionary(id))
                        .is_ok_and(|d| d.has(b"Keywords"))
                }
                Fault::OpenActionJavaScript => catalog.has(b"OpenAction"),
                Fault::EmbeddedFile { .. } => catalog.has(b"Names"),
                Fault::FormField { .. } => catalog.has(b"AcroForm") && annots,
                Fault::AnnotationNaming(_) | Fault::ExternalLink(_) => annots,
                Fault::InvisibleText(code) => String::from_utf8_lossy(&doc.get_page_content(first))
                    .contains(&format!("3 Tr 40 20 Td ({code})")),
                Fault::Encrypted => doc.was_encrypted(),
            };
            assert!(carried, "{fault:?}");
        }
    }
}
