//! What the forensic scan reports: the findings, where in the file each was found, why
//! text is hidden, and numbers masked in messages.

use std::fmt;

use super::*;

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
