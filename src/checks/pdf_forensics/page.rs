//! The page pass: the text of every page, decoded through its fonts, with whether each
//! run is visible on the printed page.

use lopdf::{Document, ObjectId};

use super::*;

impl Scanner<'_> {
    /// The text of every page, with its visibility.
    pub(super) fn pages(&mut self) {
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
                    self.pages.push(String::new());
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
            let mut visible = String::new();
            for (text, hidden) in &painter.runs {
                all.push_str(text);
                all.push('\n');
                if hidden.is_none() {
                    visible.push_str(text);
                    visible.push('\n');
                }
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
            self.pages.push(visible);
        }
    }
}

/// The optional-content groups that are off by default.
pub(super) fn optional_content_off(doc: &Document) -> BTreeSet<ObjectId> {
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
