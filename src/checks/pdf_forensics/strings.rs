//! The watched numbers and names looked for in decoded text, and the text decodings the
//! scan reads strings and streams through.

use lopdf::{Document, Object};

use super::*;

impl<'a> Scanner<'a> {
    pub(super) fn new(doc: &'a Document, watch: &'a Watch) -> Self {
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
            pages: Vec::new(),
        }
    }

    pub(super) fn found(&mut self, finding: Finding) {
        if !self.findings.contains(&finding) {
            self.findings.push(finding);
        }
    }

    pub(super) fn finish(self) -> Reading {
        Reading {
            findings: self.findings,
            pages: self.pages,
        }
    }

    /// Look for numbers and names in a piece of text.
    pub(super) fn text(&mut self, text: &str, place: &Place) {
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

    /// A text shortened to 40 characters with every watched number masked.
    pub(super) fn masked(&self, text: &str) -> String {
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
pub(super) fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs of digits (full-width folded to ASCII) of 11 or more, where single spaces
/// between digits are dropped.
pub(super) fn digit_runs(text: &str) -> Vec<String> {
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
pub(super) fn looks_utf16be(data: &[u8]) -> bool {
    if data.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs = data.len() / 2;
    pairs >= 4 && data.chunks_exact(2).filter(|c| c[0] == 0).count() * 4 >= pairs
}

/// Decode XML numeric character references (`&#x5C71;`, `&#23665;`).
pub(super) fn xml_char_refs(text: &str) -> String {
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
pub(super) fn text_string(object: &Object) -> String {
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
