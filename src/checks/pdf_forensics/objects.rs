//! The whole-object pass: every string and stream of every object, with active or
//! external content, embedded files, forms and optional content found on the way.

use lopdf::{Dictionary, Object, ObjectId};

use super::*;

/// What the whole-object pass knows about an object.
#[derive(Clone)]
pub(super) enum Holder {
    Info,
    Catalog,
    Annotation { page: Option<u32>, subtype: String },
    FormField(String),
    EmbeddedFile(String),
    Object(u32),
}

impl Holder {
    pub(super) fn at(&self, key: &[u8]) -> Place {
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

impl<'a> Scanner<'a> {
    /// Every object: strings, dictionaries' keys, streams' data.
    pub(super) fn objects(&mut self) {
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

    pub(super) fn holder_of(&self, id: ObjectId, object: &Object) -> Holder {
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

    pub(super) fn value(&mut self, object: &Object, holder: &Holder, key: &[u8], depth: usize) {
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

    pub(super) fn dictionary(&mut self, dict: &Dictionary, holder: &Holder, depth: usize) {
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

    pub(super) fn stream(&mut self, id: ObjectId, stream: &lopdf::Stream, holder: &Holder) {
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
}
