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
use std::fmt;

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::pdf::PdfError;

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

/// Where in the file something was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// The document information dictionary (`/Info`), at a key.
    Info(String),
    /// An XMP metadata stream.
    Xmp(u32),
    /// The text drawn on a page (1-based).
    PageText(u32),
    /// An annotation, on a page if it is listed by one, at a key.
    Annotation {
        /// Page (1-based) whose `/Annots` lists it.
        page: Option<u32>,
        /// `/Subtype`, e.g. `Text`.
        subtype: String,
        /// The key holding the value, e.g. `Contents`.
        key: String,
    },
    /// An interactive form field, at a key.
    FormField {
        /// The field's `/T`.
        name: String,
        /// The key holding the value, e.g. `V`.
        key: String,
    },
    /// An embedded file or its file specification.
    EmbeddedFile(String),
    /// The catalog (document root), at a key.
    Catalog(String),
    /// Any other object, at a key.
    Object {
        /// Object number.
        id: u32,
        /// The key holding the value (empty for a bare value).
        key: String,
    },
    /// The decompressed data of any other stream.
    Stream(u32),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Info(key) => write!(f, "the document information's /{key}"),
            Place::Xmp(id) => write!(f, "the XMP metadata (object {id})"),
            Place::PageText(page) => write!(f, "the text of page {page}"),
            Place::Annotation { page, subtype, key } => {
                write!(f, "the /{key} of a /{subtype} annotation")?;
                match page {
                    Some(p) => write!(f, " on page {p}"),
                    None => write!(f, " listed by no page"),
                }
            }
            Place::FormField { name, key } => write!(f, "the /{key} of the form field `{name}`"),
            Place::EmbeddedFile(name) => write!(f, "the embedded file `{name}`"),
            Place::Catalog(key) => write!(f, "the document catalog's /{key}"),
            Place::Object { id, key } if key.is_empty() => write!(f, "object {id}"),
            Place::Object { id, key } => write!(f, "the /{key} of object {id}"),
            Place::Stream(id) => write!(f, "the data of stream object {id}"),
        }
    }
}

/// Why text on a page cannot be seen.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Hidden {
    /// Render mode 3 (neither fill nor stroke) or 7 (clip only).
    RenderMode(i64),
    /// Drawn in white (or near white) on white paper.
    White,
    /// Drawn with a fill or stroke alpha below [`MIN_ALPHA`].
    Transparent(f32),
    /// Effective size below [`MIN_TEXT_SIZE`] points.
    Tiny(f32),
    /// Its origin lies outside the page's MediaBox ∩ CropBox.
    OutsidePage,
    /// Its origin lies outside the current clipping rectangle.
    Clipped,
    /// Inside optional content that is off.
    OptionalContentOff,
}

impl fmt::Display for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hidden::RenderMode(m) => write!(f, "in render mode {m} (`{m} Tr`: not painted)"),
            Hidden::White => write!(f, "in white on white paper"),
            Hidden::Transparent(a) => write!(f, "fully transparent (alpha {a:.2})"),
            Hidden::Tiny(s) => write!(
                f,
                "at {s:.2} pt, below the {MIN_TEXT_SIZE} pt anyone can read"
            ),
            Hidden::OutsidePage => write!(f, "outside the page's MediaBox/CropBox"),
            Hidden::Clipped => write!(f, "clipped away"),
            Hidden::OptionalContentOff => write!(f, "in an optional-content layer that is off"),
        }
    }
}

/// One thing found in the file that a certificate PDF must not hold.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Finding {
    /// A person's 個人番号.
    IndividualNumber {
        /// Whose.
        person: String,
        /// The number with all but its last four digits masked.
        masked: String,
        /// Where.
        place: Place,
    },
    /// A person's 住民票コード.
    ResidentCode {
        /// Whose.
        person: String,
        /// The code with all but its last four digits masked.
        masked: String,
        /// Where.
        place: Place,
    },
    /// The name of a person the certificate does not state.
    OtherPerson {
        /// Person id.
        person: String,
        /// The name.
        name: String,
        /// Where.
        place: Place,
    },
    /// Text drawn on a page but not visible there.
    HiddenText {
        /// Page (1-based).
        page: u32,
        /// Why it is not visible.
        why: Hidden,
        /// The text, shortened, numbers masked.
        text: String,
    },
    /// JavaScript: the catalog's `/Names /JavaScript` tree, a `/JS` entry or a
    /// `/S /JavaScript` action.
    JavaScript(Place),
    /// An `/OpenAction` in the catalog.
    OpenAction,
    /// Additional actions (`/AA`) on the catalog, a page, an annotation or a field.
    AdditionalActions(Place),
    /// An action that leaves the document or talks to the outside (`/Launch`, `/URI`,
    /// `/GoToR`, `/GoToE`, `/SubmitForm`, `/ImportData`, …).
    ExternalAction {
        /// The action's `/S`.
        action: String,
        /// Where.
        place: Place,
    },
    /// An embedded file (`/EmbeddedFiles` name tree, `/EF`, an `/EmbeddedFile` stream or
    /// a `/FileAttachment` annotation).
    EmbeddedFile(Place),
    /// An interactive form (`/AcroForm`, `/XFA`, a widget annotation).
    Form(Place),
    /// Optional content (`/OCProperties`, `/OC`): layers a printer may print or drop.
    OptionalContent(Place),
    /// The file is encrypted (`/Encrypt` in the trailer).
    Encrypted,
    /// A stream that could not be decoded, so nothing in it could be checked.
    Unreadable {
        /// Where.
        place: Place,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::IndividualNumber {
                person,
                masked,
                place,
            } => write!(
                f,
                "{place} holds a 個人番号 (12 digits of person {person}: {masked})"
            ),
            Finding::ResidentCode {
                person,
                masked,
                place,
            } => write!(
                f,
                "{place} holds a 住民票コード (11 digits of person {person}: {masked})"
            ),
            Finding::OtherPerson {
                person,
                name,
                place,
            } => write!(
                f,
                "{place} names {name} (person {person}), whom the certificate does not state"
            ),
            Finding::HiddenText { page, why, text } => {
                write!(f, "page {page} draws text {why}: `{text}`")
            }
            Finding::JavaScript(place) => write!(f, "{place} holds JavaScript"),
            Finding::OpenAction => write!(
                f,
                "the document catalog has an /OpenAction: something runs when the file is opened"
            ),
            Finding::AdditionalActions(place) => {
                write!(f, "{place} holds additional actions (/AA) run on events")
            }
            Finding::ExternalAction { action, place } => write!(
                f,
                "{place} holds a /{action} action, which reaches outside the document"
            ),
            Finding::EmbeddedFile(place) => write!(f, "{place} embeds a file"),
            Finding::Form(place) => write!(f, "{place} makes the document an interactive form"),
            Finding::OptionalContent(place) => write!(
                f,
                "{place} declares optional content (layers a viewer or printer may show or drop)"
            ),
            Finding::Encrypted => write!(
                f,
                "the file is encrypted (/Encrypt in the trailer): a kiosk printer must open it as is"
            ),
            Finding::Unreadable { place, reason } => {
                write!(
                    f,
                    "{place} cannot be decoded ({reason}), so it cannot be checked"
                )
            }
        }
    }
}

/// Mask all but the last four digits.
pub fn mask(number: &str) -> String {
    let n = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '*' } else { c })
        .collect()
}

/// Scan a certificate PDF. An empty list means nothing was found.
pub fn scan(bytes: &[u8], watch: &Watch) -> Result<Vec<Finding>, PdfError> {
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        // An encrypted file lopdf cannot open with an empty password.
        Err(_) if contains(bytes, b"/Encrypt") => return Ok(vec![Finding::Encrypted]),
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

/// What the whole-object pass knows about an object.
#[derive(Clone)]
enum Holder {
    Info,
    Catalog,
    Annotation { page: Option<u32>, subtype: String },
    FormField(String),
    EmbeddedFile(String),
    Object(u32),
}

impl Holder {
    fn at(&self, key: &[u8]) -> Place {
        let key = String::from_utf8_lossy(key).into_owned();
        match self {
            Holder::Info => Place::Info(key),
            Holder::Catalog => Place::Catalog(key),
            Holder::Annotation { page, subtype } => Place::Annotation {
                page: *page,
                subtype: subtype.clone(),
                key,
            },
            Holder::FormField(name) => Place::FormField {
                name: name.clone(),
                key,
            },
            Holder::EmbeddedFile(name) => Place::EmbeddedFile(name.clone()),
            Holder::Object(id) => Place::Object { id: *id, key },
        }
    }
}

struct Scanner<'a> {
    doc: &'a Document,
    /// (person id, number) of every 個人番号 and 住民票コード.
    numbers: Vec<(&'a str, &'a str, bool)>,
    /// (person id, name, squeezed name) of persons the certificate does not state.
    others: Vec<(&'a str, &'a str, String)>,
    findings: Vec<Finding>,
    annotation_pages: BTreeMap<ObjectId, u32>,
}

impl<'a> Scanner<'a> {
    fn new(doc: &'a Document, watch: &'a Watch) -> Self {
        let stated: Vec<String> = watch.stated.iter().map(|s| squeeze(s)).collect();
        let mut numbers = Vec::new();
        let mut others = Vec::new();
        for p in &watch.persons {
            if p.individual_number.len() >= 4 {
                numbers.push((p.id.as_str(), p.individual_number.as_str(), true));
            }
            if p.resident_code.len() >= 4 {
                numbers.push((p.id.as_str(), p.resident_code.as_str(), false));
            }
            let name = squeeze(&p.name);
            if !name.is_empty() && !stated.iter().any(|s| s.contains(&name)) {
                others.push((p.id.as_str(), p.name.as_str(), name));
            }
        }
        let mut annotation_pages = BTreeMap::new();
        for (number, page_id) in doc.get_pages() {
            let annots = doc
                .get_dictionary(page_id)
                .ok()
                .and_then(|p| p.get(b"Annots").ok())
                .and_then(|a| deref(doc, a).as_array().ok());
            for a in annots.into_iter().flatten() {
                if let Ok(id) = a.as_reference() {
                    annotation_pages.insert(id, number);
                }
            }
        }
        Self {
            doc,
            numbers,
            others,
            findings: Vec::new(),
            annotation_pages,
        }
    }

    fn found(&mut self, finding: Finding) {
        if !self.findings.contains(&finding) {
            self.findings.push(finding);
        }
    }

    fn finish(self) -> Vec<Finding> {
        self.findings
    }

    /// Look for numbers and names in a piece of text.
    fn text(&mut self, text: &str, place: &Place) {
        let runs = digit_runs(text);
        let mut hits = Vec::new();
        for &(person, number, individual) in &self.numbers {
            if runs.iter().any(|r| r.contains(number)) {
                let masked = mask(number);
                let person = person.to_owned();
                let place = place.clone();
                hits.push(if individual {
                    Finding::IndividualNumber {
                        person,
                        masked,
                        place,
                    }
                } else {
                    Finding::ResidentCode {
                        person,
                        masked,
                        place,
                    }
                });
            }
        }
        if !self.others.is_empty() {
            let squeezed = squeeze(text);
            for (person, name, wanted) in &self.others {
                if squeezed.contains(wanted.as_str()) {
                    hits.push(Finding::OtherPerson {
                        person: (*person).to_owned(),
                        name: (*name).to_owned(),
                        place: place.clone(),
                    });
                }
            }
        }
        for hit in hits {
            self.found(hit);
        }
    }

    /// Every object: strings, dictionaries' keys, streams' data.
    fn objects(&mut self) {
        let doc = self.doc;
        let info = doc
            .trailer
            .get(b"Info")
            .ok()
            .and_then(|o| o.as_reference().ok());
        let root = doc
            .trailer
            .get(b"Root")
            .ok()
            .and_then(|o| o.as_reference().ok());
        // An /Info given directly in the trailer.
        if let Ok(Object::Dictionary(d)) = doc.trailer.get(b"Info") {
            self.dictionary(d, &Holder::Info, 0);
        }
        if let Some(names) = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"Names").ok())
            .and_then(|n| deref(doc, n).as_dict().ok())
        {
            if names.has(b"JavaScript") {
                self.found(Finding::JavaScript(Place::Catalog(
                    "Names /JavaScript".into(),
                )));
            }
            if names.has(b"EmbeddedFiles") {
                self.found(Finding::EmbeddedFile(Place::Catalog(
                    "Names /EmbeddedFiles".into(),
                )));
            }
        }
        if let Ok(catalog) = doc.catalog() {
            if catalog.has(b"OpenAction") {
                self.found(Finding::OpenAction);
            }
            if catalog.has(b"AcroForm") {
                self.found(Finding::Form(Place::Catalog("AcroForm".into())));
            }
            if catalog.has(b"OCProperties") {
                self.found(Finding::OptionalContent(Place::Catalog(
                    "OCProperties".into(),
                )));
            }
        }
        // Font programs (glyph outlines) are binary and hold no text for a reader.
        let font_programs: BTreeSet<ObjectId> = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.has_type(b"FontDescriptor"))
            .flat_map(|d| {
                [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                    .into_iter()
                    .filter_map(|k| d.get(k).ok().and_then(|r| r.as_reference().ok()))
            })
            .collect();
        for (&id, object) in &doc.objects {
            let holder = if Some(id) == info {
                Holder::Info
            } else if Some(id) == root {
                Holder::Catalog
            } else {
                self.holder_of(id, object)
            };
            match object {
                Object::Stream(stream) => {
                    self.dictionary(&stream.dict, &holder, 0);
                    if !font_programs.contains(&id) {
                        self.stream(id, stream, &holder);
                    }
                }
                other => self.value(other, &holder, b"", 0),
            }
        }
    }

    fn holder_of(&self, id: ObjectId, object: &Object) -> Holder {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return Holder::Object(id.0),
        };
        if dict.has_type(b"Annot") || (dict.has(b"Subtype") && dict.has(b"Rect")) {
            return Holder::Annotation {
                page: self.annotation_pages.get(&id).copied(),
                subtype: name_of(dict, b"Subtype").unwrap_or_else(|| "?".into()),
            };
        }
        if dict.has(b"FT") || (dict.has(b"T") && (dict.has(b"V") || dict.has(b"Kids"))) {
            let name = dict
                .get(b"T")
                .ok()
                .map(text_string)
                .unwrap_or_else(|| format!("object {}", id.0));
            return Holder::FormField(name);
        }
        if dict.has_type(b"Filespec") || dict.has(b"EF") {
            let name = [b"UF".as_slice(), b"F"]
                .iter()
                .find_map(|k| dict.get(k).ok().map(text_string))
                .unwrap_or_else(|| format!("object {}", id.0));
            return Holder::EmbeddedFile(name);
        }
        if dict.has_type(b"EmbeddedFile") {
            return Holder::EmbeddedFile(format!("object {}", id.0));
        }
        Holder::Object(id.0)
    }

    fn value(&mut self, object: &Object, holder: &Holder, key: &[u8], depth: usize) {
        if depth > MAX_OBJECT_DEPTH {
            return;
        }
        match object {
            Object::String(..) => {
                let text = text_string(object);
                self.text(&text, &holder.at(key));
            }
            Object::Array(items) => {
                for item in items {
                    self.value(item, holder, key, depth + 1);
                }
            }
            Object::Dictionary(d) => self.dictionary(d, holder, depth + 1),
            Object::Stream(s) => self.dictionary(&s.dict, holder, depth + 1),
            _ => {}
        }
    }

    fn dictionary(&mut self, dict: &Dictionary, holder: &Holder, depth: usize) {
        let action = name_of(dict, b"S");
        match action.as_deref() {
            Some("JavaScript") => self.found(Finding::JavaScript(holder.at(b"S"))),
            Some(
                a @ ("Launch" | "URI" | "GoToR" | "GoToE" | "SubmitForm" | "ImportData"
                | "ResetForm" | "Rendition" | "Movie" | "Sound" | "GoTo3DView"),
            ) => self.found(Finding::ExternalAction {
                action: a.to_owned(),
                place: holder.at(b"S"),
            }),
            _ => {
                if dict.has(b"JS") {
                    self.found(Finding::JavaScript(holder.at(b"JS")));
                }
            }
        }
        if dict.has(b"AA") {
            self.found(Finding::AdditionalActions(holder.at(b"AA")));
        }
        if dict.has(b"XFA") {
            self.found(Finding::Form(holder.at(b"XFA")));
        }
        if dict.has(b"EF") || dict.has_type(b"EmbeddedFile") {
            self.found(Finding::EmbeddedFile(holder.at(b"EF")));
        }
        match name_of(dict, b"Subtype").as_deref() {
            Some("FileAttachment") => self.found(Finding::EmbeddedFile(holder.at(b"FS"))),
            Some("Widget") => self.found(Finding::Form(holder.at(b"Subtype"))),
            _ => {}
        }
        if dict.has(b"OC") {
            // An XObject or annotation marked optional.
            self.found(Finding::OptionalContent(holder.at(b"OC")));
        }
        for (key, value) in dict.iter() {
            self.value(value, holder, key, depth + 1);
        }
    }

    fn stream(&mut self, id: ObjectId, stream: &lopdf::Stream, holder: &Holder) {
        let dict = &stream.dict;
        if name_of(dict, b"Subtype").as_deref() == Some("Image")
            || dict.has_type(b"ObjStm")
            || dict.has_type(b"XRef")
        {
            return;
        }
        let place =
            if dict.has_type(b"Metadata") || name_of(dict, b"Subtype").as_deref() == Some("XML") {
                Place::Xmp(id.0)
            } else {
                match holder {
                    Holder::EmbeddedFile(name) => Place::EmbeddedFile(name.clone()),
                    _ if dict.has_type(b"EmbeddedFile") => {
                        Place::EmbeddedFile(format!("object {}", id.0))
                    }
                    _ => Place::Stream(id.0),
                }
            };
        let data = if dict.has(b"Filter") {
            match stream.decompressed_content_with_limit(MAX_STREAM_BYTES) {
                Ok(d) => d,
                Err(e) => {
                    self.found(Finding::Unreadable {
                        place,
                        reason: e.to_string(),
                    });
                    return;
                }
            }
        } else {
            stream.content.clone()
        };
        let utf8 = match std::str::from_utf8(&data) {
            Ok(s) => s.to_owned(),
            Err(_) => data.iter().map(|&b| char::from(b)).collect(),
        };
        let utf8 = if matches!(place, Place::Xmp(_)) {
            xml_char_refs(&utf8)
        } else {
            utf8
        };
        self.text(&utf8, &place);
        if looks_utf16be(&data) {
            let units: Vec<u16> = data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            let text: String = char::decode_utf16(units)
                .map(|r| r.unwrap_or('\u{FFFD}'))
                .collect();
            self.text(&text, &place);
        }
    }

    /// The text of every page, with its visibility.
    fn pages(&mut self) {
        let doc = self.doc;
        for (number, page_id) in doc.get_pages() {
            let page_box = page_box(doc, page_id);
            let resources = inherited(doc, page_id, b"Resources").and_then(|r| r.as_dict().ok());
            let content = match doc.get_page_content_with_limit(page_id, MAX_STREAM_BYTES) {
                Ok(c) => c,
                Err(e) => {
                    self.found(Finding::Unreadable {
                        place: Place::PageText(number),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            let off = optional_content_off(doc);
            let mut painter = Painter {
                doc,
                off: &off,
                page_box,
                runs: Vec::new(),
                broken: None,
            };
            let state = GState::new(page_box);
            painter.run(&content, resources, state, 0);
            if let Some(reason) = painter.broken.take() {
                self.found(Finding::Unreadable {
                    place: Place::PageText(number),
                    reason,
                });
            }
            let mut all = String::new();
            for (text, hidden) in &painter.runs {
                all.push_str(text);
                all.push('\n');
                if let Some(why) = hidden
                    && text.chars().any(|c| !c.is_whitespace())
                {
                    let shown = self.masked(text);
                    self.found(Finding::HiddenText {
                        page: number,
                        why: why.clone(),
                        text: shown,
                    });
                }
            }
            self.text(&all, &Place::PageText(number));
        }
    }

    /// A text shortened to 40 characters with every watched number masked.
    fn masked(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for &(_, number, _) in &self.numbers {
            out = out.replace(number, &mask(number));
        }
        let mut short: String = out.chars().take(40).collect();
        if out.chars().count() > 40 {
            short.push('…');
        }
        short
    }
}

/// Text with whitespace removed.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs of digits (full-width folded to ASCII) of 11 or more, where single spaces
/// between digits are dropped.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut gap = false;
    for c in text.chars() {
        let digit = match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        };
        match digit {
            Some(d) => {
                run.push(d);
                gap = false;
            }
            None if (c == ' ' || c == '\u{3000}') && !run.is_empty() && !gap => gap = true,
            None => {
                if run.len() >= 11 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
                gap = false;
            }
        }
    }
    if run.len() >= 11 {
        runs.push(run);
    }
    runs
}

/// Whether data looks like UTF-16BE text (a BOM, or many NUL high bytes).
fn looks_utf16be(data: &[u8]) -> bool {
    if data.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs = data.len() / 2;
    pairs >= 4 && data.chunks_exact(2).filter(|c| c[0] == 0).count() * 4 >= pairs
}

/// Decode XML numeric character references (`&#x5C71;`, `&#23665;`).
fn xml_char_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let (hex, digits) = match tail.strip_prefix(['x', 'X']) {
            Some(t) => (true, t),
            None => (false, tail),
        };
        let end = digits.find(';').unwrap_or(usize::MAX);
        let decoded = (end < 10)
            .then(|| u32::from_str_radix(&digits[..end], if hex { 16 } else { 10 }).ok())
            .flatten()
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &digits[end + 1..];
            }
            None => {
                out.push_str("&#");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A PDF text string (UTF-16BE or UTF-8 with BOM, else PDFDocEncoding), decoded
/// leniently.
fn text_string(object: &Object) -> String {
    if let Ok(s) = lopdf::decode_text_string(object) {
        return s;
    }
    let bytes = object.as_str().unwrap_or_default();
    if let Some(be) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = be
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
    }
    String::from_utf8_lossy(bytes).into_owned()
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

/// An axis-aligned rectangle: (x0, y0, x1, y1) with x0 <= x1, y0 <= y1.
type Rect = [f32; 4];

fn rect_of(object: &Object) -> Option<Rect> {
    let n: Vec<f32> = object
        .as_array()
        .ok()?
        .iter()
        .filter_map(|o| o.as_float().ok())
        .collect();
    (n.len() == 4).then(|| {
        [
            n[0].min(n[2]),
            n[1].min(n[3]),
            n[0].max(n[2]),
            n[1].max(n[3]),
        ]
    })
}

fn intersect(a: Rect, b: Rect) -> Rect {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// The page's MediaBox ∩ CropBox.
fn page_box(doc: &Document, page: ObjectId) -> Rect {
    let media = inherited(doc, page, b"MediaBox")
        .and_then(rect_of)
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    match inherited(doc, page, b"CropBox").and_then(rect_of) {
        Some(crop) => intersect(media, crop),
        None => media,
    }
}

/// The optional-content groups that are off by default.
fn optional_content_off(doc: &Document) -> BTreeSet<ObjectId> {
    let off = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"OCProperties").ok())
        .and_then(|p| deref(doc, p).as_dict().ok())
        .and_then(|p| p.get(b"D").ok())
        .and_then(|d| deref(doc, d).as_dict().ok())
        .and_then(|d| d.get(b"OFF").ok())
        .and_then(|o| deref(doc, o).as_array().ok());
    off.into_iter()
        .flatten()
        .filter_map(|o| o.as_reference().ok())
        .collect()
}

/// A transformation matrix `[a b c d e f]`.
type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn mul(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// The bounding box of a rectangle after a transformation.
fn transform_rect(m: Matrix, r: Rect) -> Rect {
    let pts = [
        apply(m, r[0], r[1]),
        apply(m, r[2], r[1]),
        apply(m, r[0], r[3]),
        apply(m, r[2], r[3]),
    ];
    let mut out = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for (x, y) in pts {
        out[0] = out[0].min(x);
        out[1] = out[1].min(y);
        out[2] = out[2].max(x);
        out[3] = out[3].max(y);
    }
    out
}

fn matrix_of(operands: &[Object]) -> Option<Matrix> {
    let n: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
    (n.len() == 6).then(|| [n[0], n[1], n[2], n[3], n[4], n[5]])
}

/// The part of the graphics state that decides whether text is seen.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    /// Clipping rectangle in default user space (None: not rectangular, not tracked).
    clip: Option<Rect>,
    fill_white: bool,
    stroke_white: bool,
    fill_alpha: f32,
    stroke_alpha: f32,
    render_mode: i64,
    font: Vec<u8>,
    size: f32,
    /// Horizontal scaling, as a fraction.
    scale: f32,
    rise: f32,
    leading: f32,
}

impl GState {
    fn new(page_box: Rect) -> Self {
        Self {
            ctm: IDENTITY,
            clip: Some(page_box),
            fill_white: false,
            stroke_white: false,
            fill_alpha: 1.0,
            stroke_alpha: 1.0,
            render_mode: 0,
            font: Vec::new(),
            size: 0.0,
            scale: 1.0,
            rise: 0.0,
            leading: 0.0,
        }
    }
}

/// Whether colour operands are white on paper.
fn white(operands: &[Object], cmyk: bool) -> bool {
    let n: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
    if n.len() != operands.len() || n.is_empty() {
        return false; // a pattern or named colour: assume visible
    }
    if cmyk || n.len() == 4 {
        n.iter().all(|v| *v <= 1.0 - WHITE)
    } else {
        n.iter().all(|v| *v >= WHITE)
    }
}

/// Walks content streams and records each shown string with why it is hidden, if it is.
struct Painter<'d> {
    doc: &'d Document,
    off: &'d BTreeSet<ObjectId>,
    page_box: Rect,
    runs: Vec<(String, Option<Hidden>)>,
    broken: Option<String>,
}

impl<'d> Painter<'d> {
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        mut gs: GState,
        depth: usize,
    ) {
        let ops = match lopdf::content::Content::decode(content) {
            Ok(c) => c.operations,
            Err(e) => {
                self.broken = Some(format!("its content stream cannot be parsed: {e}"));
                return;
            }
        };
        let doc = self.doc;
        let resource = |kind: &[u8], name: &[u8]| -> Option<&'d Object> {
            let dict = deref(doc, resources?.get(kind).ok()?).as_dict().ok()?;
            Some(deref(doc, dict.get(name).ok()?))
        };
        let mut encodings: BTreeMap<Vec<u8>, Option<Encoding<'d>>> = BTreeMap::new();
        let mut stack: Vec<GState> = Vec::new();
        // Marked content: whether each level is inside optional content that is off.
        let mut marked: Vec<bool> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        // The current path, as long as it is made of rectangles only.
        let mut path_rects: Option<Vec<Rect>> = Some(Vec::new());
        let mut clip_pending = false;
        for op in &ops {
            let o = &op.operands;
            let f = |i: usize| o.get(i).and_then(|v| v.as_float().ok()).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" => stack.push(gs.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix_of(o) {
                        gs.ctm = mul(m, gs.ctm);
                    }
                }
                "re" => {
                    let r = [
                        f(0).min(f(0) + f(2)),
                        f(1).min(f(1) + f(3)),
                        f(0).max(f(0) + f(2)),
                        f(1).max(f(1) + f(3)),
                    ];
                    if let Some(rects) = path_rects.as_mut() {
                        rects.push(transform_rect(gs.ctm, r));
                    }
                }
                "m" | "l" | "c" | "v" | "y" | "h" => path_rects = None,
                "W" | "W*" => clip_pending = true,
                "n" | "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    if clip_pending {
                        match path_rects.as_deref() {
                            Some([r]) => gs.clip = gs.clip.map(|c| intersect(c, *r)),
                            _ => gs.clip = None,
                        }
                    }
                    clip_pending = false;
                    path_rects = Some(Vec::new());
                }
                "g" => gs.fill_white = white(o, false),
                "G" => gs.stroke_white = white(o, false),
                "rg" => gs.fill_white = white(o, false),
                "RG" => gs.stroke_white = white(o, false),
                "k" => gs.fill_white = white(o, true),
                "K" => gs.stroke_white = white(o, true),
                "sc" | "scn" => gs.fill_white = white(o, false),
                "SC" | "SCN" => gs.stroke_white = white(o, false),
                "cs" => gs.fill_white = false,
                "CS" => gs.stroke_white = false,
                "gs" => {
                    let ext = o
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| resource(b"ExtGState", n))
                        .and_then(|d| d.as_dict().ok());
                    if let Some(ext) = ext {
                        if let Ok(a) = ext.get(b"ca").and_then(|v| v.as_float()) {
                            gs.fill_alpha = a;
                        }
                        if let Ok(a) = ext.get(b"CA").and_then(|v| v.as_float()) {
                            gs.stroke_alpha = a;
                        }
                    }
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let Some(name) = o.first().and_then(|n| n.as_name().ok()) {
                        gs.font = name.to_vec();
                    }
                    gs.size = f(1);
                }
                "Tr" => gs.render_mode = o.first().and_then(|v| v.as_i64().ok()).unwrap_or(0),
                "Tz" => gs.scale = f(0) / 100.0,
                "Ts" => gs.rise = f(0),
                "TL" => gs.leading = f(0),
                "Td" | "TD" => {
                    if op.operator == "TD" {
                        gs.leading = -f(1);
                    }
                    tlm = mul([1.0, 0.0, 0.0, 1.0, f(0), f(1)], tlm);
                    tm = tlm;
                }
                "Tm" => {
                    if let Some(m) = matrix_of(o) {
                        tm = m;
                        tlm = m;
                    }
                }
                "T*" => {
                    tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], tlm);
                    tm = tlm;
                }
                "Tj" | "TJ" | "'" | "\"" => {
                    if op.operator != "Tj" && op.operator != "TJ" {
                        tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], tlm);
                        tm = tlm;
                    }
                    let strings: Vec<&[u8]> = match op.operator.as_str() {
                        "TJ" => o
                            .first()
                            .and_then(|a| a.as_array().ok())
                            .into_iter()
                            .flatten()
                            .filter_map(|s| s.as_str().ok())
                            .collect(),
                        "\"" => o.get(2).and_then(|s| s.as_str().ok()).into_iter().collect(),
                        _ => o
                            .first()
                            .and_then(|s| s.as_str().ok())
                            .into_iter()
                            .collect(),
                    };
                    let encoding = encodings.entry(gs.font.clone()).or_insert_with(|| {
                        resource(b"Font", &gs.font)
                            .and_then(|f| f.as_dict().ok())
                            .and_then(|f| f.get_font_encoding(doc).ok())
                    });
                    let mut text = String::new();
                    for s in strings {
                        let decoded = encoding
                            .as_ref()
                            .and_then(|e| Document::decode_text(e, s).ok())
                            .unwrap_or_else(|| s.iter().map(|&b| char::from(b)).collect());
                        text.push_str(&decoded);
                    }
                    let hidden = self.hidden(&gs, tm, marked.iter().any(|m| *m));
                    self.runs.push((text, hidden));
                }
                "BMC" => marked.push(false),
                "BDC" => {
                    let off = o.first().and_then(|t| t.as_name().ok()) == Some(b"OC".as_slice())
                        && match o.get(1) {
                            Some(Object::Name(n)) => resources
                                .and_then(|r| r.get(b"Properties").ok())
                                .and_then(|p| deref(doc, p).as_dict().ok())
                                .and_then(|p| p.get(n).ok())
                                .and_then(|g| g.as_reference().ok())
                                .is_some_and(|id| self.off.contains(&id)),
                            _ => false,
                        };
                    marked.push(off);
                }
                "EMC" => {
                    marked.pop();
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    let Some(Object::Stream(form)) = o
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| resource(b"XObject", n))
                    else {
                        continue;
                    };
                    if name_of(&form.dict, b"Subtype").as_deref() != Some("Form") {
                        continue;
                    }
                    let mut inner = gs.clone();
                    if let Some(m) = form
                        .dict
                        .get(b"Matrix")
                        .ok()
                        .and_then(|m| m.as_array().ok().and_then(|a| matrix_of(a)))
                    {
                        inner.ctm = mul(m, inner.ctm);
                    }
                    if let Some(bbox) = form.dict.get(b"BBox").ok().and_then(rect_of) {
                        let b = transform_rect(inner.ctm, bbox);
                        inner.clip = inner.clip.map(|c| intersect(c, b));
                    }
                    let form_resources = form
                        .dict
                        .get(b"Resources")
                        .ok()
                        .and_then(|r| deref(doc, r).as_dict().ok())
                        .or(resources);
                    let data = if form.dict.has(b"Filter") {
                        match form.decompressed_content_with_limit(MAX_STREAM_BYTES) {
                            Ok(d) => d,
                            Err(e) => {
                                self.broken =
                                    Some(format!("a form XObject cannot be decoded: {e}"));
                                continue;
                            }
                        }
                    } else {
                        form.content.clone()
                    };
                    let hidden_form = marked.iter().any(|m| *m);
                    let before = self.runs.len();
                    self.run(&data, form_resources, inner, depth + 1);
                    if hidden_form {
                        for run in &mut self.runs[before..] {
                            run.1.get_or_insert(Hidden::OptionalContentOff);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Why text shown now would not be seen, if it would not.
    fn hidden(&self, gs: &GState, tm: Matrix, in_off_layer: bool) -> Option<Hidden> {
        if in_off_layer {
            return Some(Hidden::OptionalContentOff);
        }
        if matches!(gs.render_mode, 3 | 7) {
            return Some(Hidden::RenderMode(gs.render_mode));
        }
        let m = mul([1.0, 0.0, 0.0, 1.0, 0.0, gs.rise], mul(tm, gs.ctm));
        let height = gs.size.abs() * (m[2] * m[2] + m[3] * m[3]).sqrt();
        let width = gs.size.abs() * gs.scale.abs() * (m[0] * m[0] + m[1] * m[1]).sqrt();
        let size = height.min(width);
        if size < MIN_TEXT_SIZE {
            return Some(Hidden::Tiny(size));
        }
        let (fills, strokes) = match gs.render_mode {
            1 | 5 => (false, true),
            2 | 6 => (true, true),
            _ => (true, false),
        };
        let fill_seen = fills && !gs.fill_white;
        let stroke_seen = strokes && !gs.stroke_white;
        if !fill_seen && !stroke_seen {
            return Some(Hidden::White);
        }
        let alpha = if fill_seen {
            gs.fill_alpha
        } else {
            gs.stroke_alpha
        };
        if alpha < MIN_ALPHA {
            return Some(Hidden::Transparent(alpha));
        }
        let (x, y) = (m[4], m[5]);
        let outside = |r: Rect| {
            x < r[0] - height || x > r[2] + height || y < r[1] - height || y > r[3] + height
        };
        if outside(self.page_box) {
            return Some(Hidden::OutsidePage);
        }
        if gs.clip.is_some_and(outside) {
            return Some(Hidden::Clipped);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, StringFormat, dictionary};

    fn watch() -> Watch {
        Watch {
            stated: vec!["Yamada Taro".into(), "東京都青葉台市一丁目".into()],
            persons: vec![
                Watched {
                    id: "P001".into(),
                    name: "Yamada Taro".into(),
                    individual_number: "123456789012".into(),
                    resident_code: "10987654321".into(),
                },
                Watched {
                    id: "P002".into(),
                    name: "鈴木 花子".into(),
                    individual_number: "210987654321".into(),
                    resident_code: "55566677788".into(),
                },
            ],
        }
    }

    /// A PDF with one A4 page drawing `content` in Helvetica; `extra` adds to it.
    fn build(content: &str, extra: impl FnOnce(&mut Document, ObjectId, ObjectId)) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.28.into(), 841.89.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        extra(&mut doc, catalog_id, page_id);
        doc.compress();
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    const VISIBLE: &str = "BT /F1 10 Tf 0 g 72 700 Td (Yamada Taro) Tj ET";

    fn utf16(text: &str) -> Object {
        let mut bytes = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            bytes.extend(u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }

    fn scan_ok(bytes: &[u8]) -> Vec<Finding> {
        scan(bytes, &watch()).expect("a readable PDF")
    }

    fn catalog(doc: &mut Document, id: ObjectId) -> &mut Dictionary {
        doc.get_dictionary_mut(id).expect("catalog")
    }

    #[test]
    fn a_plain_certificate_has_no_findings() {
        assert_eq!(scan_ok(&build(VISIBLE, |_, _, _| {})), vec![]);
    }

    #[test]
    fn the_stated_person_and_stated_values_are_allowed() {
        let pdf = build(VISIBLE, |doc, _, _| {
            let info = doc.add_object(dictionary! {
                "Title" => utf16("住民票の写し Yamada Taro"),
                "Subject" => utf16("東京都青葉台市一丁目"),
            });
            doc.trailer.set("Info", info);
        });
        assert_eq!(scan_ok(&pdf), vec![]);
    }

    #[test]
    fn a_personal_number_in_the_keywords_is_found_and_masked() {
        let pdf = build(VISIBLE, |doc, _, _| {
            let info = doc.add_object(dictionary! {
                "Keywords" => Object::string_literal("mynumber 123456789012"),
            });
            doc.trailer.set("Info", info);
        });
        let found = scan_ok(&pdf);
        assert_eq!(
            found,
            vec![Finding::IndividualNumber {
                person: "P001".into(),
                masked: "********9012".into(),
                place: Place::Info("Keywords".into()),
            }]
        );
        let message = found[0].to_string();
        assert_eq!(
            message,
            "the document information's /Keywords holds a 個人番号 (12 digits of person P001: ********9012)"
        );
        assert!(!message.contains("123456789012"));
    }

    #[test]
    fn a_utf16_author_naming_another_person_is_found() {
        let pdf = build(VISIBLE, |doc, _, _| {
            let info = doc.add_object(dictionary! { "Author" => utf16("鈴木花子") });
            doc.trailer.set("Info", info);
        });
        assert_eq!(
            scan_ok(&pdf),
            vec![Finding::OtherPerson {
                person: "P002".into(),
                name: "鈴木 花子".into(),
                place: Place::Info("Author".into()),
            }]
        );
    }

    #[test]
    fn a_grouped_resident_code_in_xmp_is_found() {
        let xmp = "<x:xmpmeta><dc:description>1098 7654 321 &#x9234;&#26408;花子</dc:description></x:xmpmeta>";
        let pdf = build(VISIBLE, |doc, catalog_id, _| {
            let id = doc.add_object(Stream::new(
                dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
                xmp.as_bytes().to_vec(),
            ));
            catalog(doc, catalog_id).set("Metadata", id);
        });
        let found = scan_ok(&pdf);
        assert!(
            found.iter().any(|f| matches!(f, Finding::ResidentCode { person, place: Place::Xmp(_), .. } if person == "P001")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| matches!(f, Finding::OtherPerson { person, place: Place::Xmp(_), .. } if person == "P002")),
            "{found:?}"
        );
    }

    #[test]
    fn full_width_digits_are_numbers_too() {
        assert_eq!(
            digit_runs("番号：１２３４５６７８９０１２"),
            vec!["123456789012"]
        );
        assert_eq!(digit_runs("1234 5678 9012"), vec!["123456789012"]);
        assert_eq!(digit_runs("1234  5678 9012"), Vec::<String>::new());
        assert_eq!(digit_runs("13101-20261201-000001"), Vec::<String>::new());
        assert_eq!(mask("10987654321"), "*******4321");
    }

    #[test]
    fn an_annotation_naming_another_person_is_found() {
        let pdf = build(VISIBLE, |doc, _, page_id| {
            let annot = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Text",
                "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "Contents" => utf16("前回の申請者 鈴木 花子"),
                "T" => Object::string_literal("operator"),
            });
            doc.get_dictionary_mut(page_id)
                .expect("page")
                .set("Annots", vec![annot.into()]);
        });
        let found = scan_ok(&pdf);
        assert_eq!(
            found,
            vec![Finding::OtherPerson {
                person: "P002".into(),
                name: "鈴木 花子".into(),
                place: Place::Annotation {
                    page: Some(1),
                    subtype: "Text".into(),
                    key: "Contents".into()
                },
            }]
        );
        assert_eq!(
            found[0].to_string(),
            "the /Contents of a /Text annotation on page 1 names 鈴木 花子 (person P002), whom the certificate does not state"
        );
    }

    #[test]
    fn a_form_with_a_filled_field_is_found() {
        let pdf = build(VISIBLE, |doc, catalog_id, page_id| {
            let field = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
                "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "T" => Object::string_literal("kojin_bango"),
                "V" => Object::string_literal("210987654321"),
            });
            doc.get_dictionary_mut(page_id)
                .expect("page")
                .set("Annots", vec![field.into()]);
            let form = doc.add_object(dictionary! { "Fields" => vec![field.into()] });
            catalog(doc, catalog_id).set("AcroForm", form);
        });
        let found = scan_ok(&pdf);
        assert!(found.contains(&Finding::Form(Place::Catalog("AcroForm".into()))));
        assert!(
            found
                .iter()
                .any(|f| matches!(f, Finding::IndividualNumber { person, .. } if person == "P002")),
            "{found:?}"
        );
    }

    #[test]
    fn an_embedded_file_is_found_with_what_it_holds() {
        let pdf = build(VISIBLE, |doc, catalog_id, _| {
            let file = doc.add_object(Stream::new(
                dictionary! { "Type" => "EmbeddedFile" },
                "id,name,number\nP002,鈴木 花子,210987654321\n"
                    .as_bytes()
                    .to_vec(),
            ));
            let spec = doc.add_object(dictionary! {
                "Type" => "Filespec", "F" => Object::string_literal("export.csv"),
                "EF" => dictionary! { "F" => file },
            });
            let tree = doc.add_object(dictionary! {
                "Names" => vec![Object::string_literal("export.csv"), spec.into()],
            });
            catalog(doc, catalog_id).set("Names", dictionary! { "EmbeddedFiles" => tree });
        });
        let found = scan_ok(&pdf);
        assert!(found.contains(&Finding::EmbeddedFile(Place::Catalog(
            "Names /EmbeddedFiles".into()
        ))));
        assert!(
            found.iter().any(|f| matches!(
                f,
                Finding::IndividualNumber {
                    place: Place::EmbeddedFile(_),
                    ..
                }
            )),
            "{found:?}"
        );
    }

    #[test]
    fn an_open_action_running_javascript_is_found() {
        let pdf = build(VISIBLE, |doc, catalog_id, _| {
            let js = doc.add_object(dictionary! {
                "Type" => "Action", "S" => "JavaScript",
                "JS" => Object::string_literal("app.alert('hi')"),
            });
            catalog(doc, catalog_id).set("OpenAction", js);
        });
        let found = scan_ok(&pdf);
        assert!(found.contains(&Finding::OpenAction), "{found:?}");
        assert!(
            found.iter().any(|f| matches!(f, Finding::JavaScript(_))),
            "{found:?}"
        );
    }

    #[test]
    fn a_javascript_name_tree_and_additional_actions_are_found() {
        let pdf = build(VISIBLE, |doc, catalog_id, page_id| {
            let tree = doc.add_object(dictionary! { "Names" => vec![] });
            let c = catalog(doc, catalog_id);
            c.set("Names", dictionary! { "JavaScript" => tree });
            doc.get_dictionary_mut(page_id).expect("page").set(
                "AA",
                dictionary! { "O" => dictionary! { "S" => "Launch", "F" => Object::string_literal("cmd.exe") } },
            );
        });
        let found = scan_ok(&pdf);
        assert!(found.contains(&Finding::JavaScript(Place::Catalog(
            "Names /JavaScript".into()
        ))));
        assert!(
            found
                .iter()
                .any(|f| matches!(f, Finding::AdditionalActions(_))),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|f| matches!(f, Finding::ExternalAction { action, .. } if action == "Launch")),
            "{found:?}"
        );
    }

    #[test]
    fn a_uri_link_is_found_and_an_internal_link_is_not() {
        let link = |action: Dictionary| {
            build(VISIBLE, move |doc, _, page_id| {
                let annot = doc.add_object(dictionary! {
                    "Type" => "Annot", "Subtype" => "Link",
                    "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                    "A" => action,
                });
                doc.get_dictionary_mut(page_id)
                    .expect("page")
                    .set("Annots", vec![annot.into()]);
            })
        };
        let found = scan_ok(&link(dictionary! {
            "S" => "URI", "URI" => Object::string_literal("https://example.com/track"),
        }));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(matches!(&found[0], Finding::ExternalAction { action, .. } if action == "URI"));
        assert_eq!(
            scan_ok(&link(dictionary! { "S" => "GoTo", "D" => vec![0.into()] })),
            vec![]
        );
    }

    fn hidden_reason(content: &str) -> Vec<Hidden> {
        scan_ok(&build(content, |_, _, _| {}))
            .into_iter()
            .filter_map(|f| match f {
                Finding::HiddenText { why, .. } => Some(why),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn invisible_text_is_found() {
        assert_eq!(
            hidden_reason("BT /F1 10 Tf 3 Tr 72 700 Td (10987654321) Tj ET"),
            vec![Hidden::RenderMode(3)]
        );
        assert_eq!(
            hidden_reason("BT /F1 10 Tf 1 1 1 rg 72 700 Td (secret) Tj ET"),
            vec![Hidden::White]
        );
        assert_eq!(
            hidden_reason("BT /F1 10 Tf 0 0 0 0 k 72 700 Td (secret) Tj ET"),
            vec![Hidden::White]
        );
        assert!(matches!(
            hidden_reason("BT /F1 0.5 Tf 72 700 Td (secret) Tj ET")[..],
            [Hidden::Tiny(_)]
        ));
        assert!(matches!(
            hidden_reason("q 0.01 0 0 0.01 0 0 cm BT /F1 10 Tf 72 700 Td (secret) Tj ET Q")[..],
            [Hidden::Tiny(_)]
        ));
        assert_eq!(
            hidden_reason("BT /F1 10 Tf -400 700 Td (secret) Tj ET"),
            vec![Hidden::OutsidePage]
        );
        assert_eq!(
            hidden_reason("BT /F1 10 Tf 1 0 0 1 72 2000 Tm (secret) Tj ET"),
            vec![Hidden::OutsidePage]
        );
        assert_eq!(
            hidden_reason("q 0 0 100 100 re W n BT /F1 10 Tf 300 700 Td (secret) Tj ET Q"),
            vec![Hidden::Clipped]
        );
    }

    #[test]
    fn visible_text_is_not_hidden() {
        assert_eq!(
            hidden_reason("BT /F1 9 Tf 0.35 g 72 700 Td (a) Tj 0 -12 Td (b) Tj ET"),
            vec![]
        );
        assert_eq!(
            hidden_reason("q 0 0 300 800 re W n BT /F1 10 Tf 72 700 Td (inside) Tj ET Q"),
            vec![]
        );
        // White fill restored by Q; white on a stroke-only mode with a dark stroke.
        assert_eq!(
            hidden_reason("q 1 g Q BT /F1 10 Tf 72 700 Td (a) Tj 1 g 0 G 1 Tr (b) Tj ET"),
            vec![]
        );
        // A white rectangle, then dark text: only text counts.
        assert_eq!(
            hidden_reason("1 g 0 0 50 50 re f 0 g BT /F1 10 Tf 72 700 Td (a) Tj ET"),
            vec![]
        );
    }

    #[test]
    fn hidden_text_is_reported_masked() {
        let found = scan_ok(&build(
            "BT /F1 10 Tf 3 Tr 72 700 Td (code 10987654321) Tj ET",
            |_, _, _| {},
        ));
        let messages: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert!(
            messages.contains(
                &"page 1 draws text in render mode 3 (`3 Tr`: not painted): `code *******4321`"
                    .to_owned()
            ),
            "{messages:?}"
        );
        assert!(
            messages.contains(
                &"the text of page 1 holds a 住民票コード (11 digits of person P001: *******4321)"
                    .to_owned()
            ),
            "{messages:?}"
        );
    }

    #[test]
    fn optional_content_is_found_and_its_hidden_text_too() {
        let pdf = build(
            "/OC /L1 BDC BT /F1 10 Tf 72 700 Td (layer) Tj ET EMC",
            |doc, catalog_id, page_id| {
                let ocg = doc.add_object(dictionary! {
                    "Type" => "OCG", "Name" => Object::string_literal("draft"),
                });
                catalog(doc, catalog_id).set(
                    "OCProperties",
                    dictionary! {
                        "OCGs" => vec![ocg.into()],
                        "D" => dictionary! { "OFF" => vec![ocg.into()] },
                    },
                );
                let resources = doc
                    .get_dictionary(page_id)
                    .and_then(|p| p.get(b"Resources"))
                    .and_then(Object::as_reference)
                    .expect("resources");
                doc.get_dictionary_mut(resources)
                    .expect("resources")
                    .set("Properties", dictionary! { "L1" => ocg });
            },
        );
        let found = scan_ok(&pdf);
        assert!(found.contains(&Finding::OptionalContent(Place::Catalog(
            "OCProperties".into()
        ))));
        assert!(found.contains(&Finding::HiddenText {
            page: 1,
            why: Hidden::OptionalContentOff,
            text: "layer".into()
        }));
    }

    #[test]
    fn an_encrypted_file_is_found() {
        let plain = build(VISIBLE, |_, _, _| {});
        let mut doc = Document::load_mem(&plain).expect("load");
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "",
            key_length: 128,
            permissions: lopdf::Permissions::all(),
        };
        let state = lopdf::EncryptionState::try_from(version).expect("state");
        doc.encrypt(&state).expect("encrypt");
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("save");
        assert!(scan_ok(&bytes).contains(&Finding::Encrypted));
        assert!(!scan_ok(&plain).contains(&Finding::Encrypted));
    }

    #[test]
    fn xml_character_references_are_decoded() {
        assert_eq!(
            xml_char_refs("&#x9234;&#26408;&amp;&#xZZ;"),
            "鈴木&amp;&#xZZ;"
        );
    }
}
