//! Page geometry, the certificate's blocks and pagination.
//!
//! Layout works in PDF points with the origin at the top-left corner of the
//! page and y growing downwards (krilla's convention). Text positions are
//! baselines. The result is a list of pages, each a list of [`Item`]s ready to
//! be painted; nothing is printed that does not come from the
//! [`PrintDocument`] except the page numbers and the `証明書番号` label.
//!
//! Longer than 400 lines because the block builders, the footer and the paginator share
//! one page model (frame, items, block heights); its tests sit beside it.

use super::font::Face;
use super::wrap::wrap;
use super::{Paper, PrintDocument};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

const MARGIN_X: f32 = 20.0 * MM;
const MARGIN_TOP: f32 = 20.0 * MM;
/// Space kept free at the bottom of each page for the footer.
const BODY_BOTTOM_MARGIN: f32 = 24.0 * MM;
const FOOTER_BASELINE_FROM_BOTTOM: f32 = 12.0 * MM;

const TITLE_SIZE: f32 = 20.0;
const TITLE_LINE: f32 = 30.0;
const TITLE_GAP_AFTER: f32 = 16.0;

const HEADING_SIZE: f32 = 11.5;
const HEADING_HEIGHT: f32 = 22.0;
const SECTION_GAP: f32 = 12.0;

const CELL_SIZE: f32 = 10.5;
const CELL_LINE: f32 = 15.0;
const CELL_PAD_Y: f32 = 4.0;
const CELL_PAD_X: f32 = 6.0;
/// Fraction of the content width given to the label column.
const LABEL_COLUMN: f32 = 0.28;

const STATEMENT_SIZE: f32 = 11.0;
const STATEMENT_LINE: f32 = 18.0;
const STATEMENT_GAP: f32 = 24.0;

const DATE_SIZE: f32 = 11.0;
const DATE_GAP: f32 = 14.0;
const DATE_HEIGHT: f32 = 18.0;

const MAYOR_SIZE: f32 = 14.0;
const MAYOR_GAP: f32 = 6.0;
/// Side of the 公印 (official seal), about 22 mm as on real certificates.
pub(crate) const SEAL_SIZE: f32 = 22.0 * MM;

const FOOTER_SIZE: f32 = 8.5;

const LABEL_GRAY: f32 = 0.93;

/// Offset from the middle of a line to the baseline, for a font whose em box
/// runs from -0.12 em to 0.88 em (Noto Sans CJK), so glyphs look centred.
fn baseline_in(line_top: f32, line_height: f32, size: f32) -> f32 {
    line_top + line_height / 2.0 + 0.38 * size
}

/// One thing to paint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// Text drawn from the baseline start `(x, y)`, in a grey (0 black, 255 white).
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        gray: u8,
    },
    /// A straight rule.
    Line { x1: f32, y1: f32, x2: f32, y2: f32 },
    /// A filled grey rectangle (0 black, 1 white).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
    /// The official seal image with its top-left corner at `(x, y)`.
    Seal { x: f32, y: f32, size: f32 },
}

impl Item {
    fn shifted(mut self, dy: f32) -> Item {
        match &mut self {
            Item::Text { y, .. } | Item::Fill { y, .. } | Item::Seal { y, .. } => *y += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }
}

/// Paper size in points.
pub(crate) fn paper_size(paper: &Paper) -> (f32, f32) {
    match paper {
        Paper::A4 => (595.28, 841.89),
        Paper::Letter => (612.0, 792.0),
    }
}

/// A vertical slice of content placed as a unit; item y values are relative
/// to the block's top.
struct Block {
    gap_before: f32,
    height: f32,
    items: Vec<Item>,
}

/// Blocks that stay on one page when they fit on an empty page.
struct Group(Vec<Block>);

struct Frame {
    height: f32,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
}

impl Frame {
    fn new(paper: &Paper) -> Frame {
        let (width, height) = paper_size(paper);
        Frame {
            height,
            left: MARGIN_X,
            right: width - MARGIN_X,
            top: MARGIN_TOP,
            bottom: height - BODY_BOTTOM_MARGIN,
        }
    }

    fn content_width(&self) -> f32 {
        self.right - self.left
    }

    fn capacity(&self) -> f32 {
        self.bottom - self.top
    }
}

/// Lays the document out into pages of items, footers included.
pub(crate) fn layout(doc: &PrintDocument, face: &Face) -> Vec<Vec<Item>> {
    let frame = Frame::new(&doc.paper);
    let mut groups = Vec::new();
    groups.push(Group(vec![title_block(doc, face, &frame)]));
    for section in &doc.sections {
        section_groups(section, face, &frame, &mut groups);
    }
    groups.push(closing_group(doc, face, &frame));

    let mut pages = paginate(groups, &frame);
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        page.extend(footer(doc, face, &frame, i + 1, total));
    }
    pages
}

fn text(x: f32, y: f32, size: f32, s: &str) -> Item {
    Item::Text {
        x,
        y,
        size,
        text: s.to_string(),
        gray: 0,
    }
}

fn title_block(doc: &PrintDocument, face: &Face, frame: &Frame) -> Block {
    let lines = wrap(&doc.title, frame.content_width(), &|s| {
        face.width(s, TITLE_SIZE)
    });
    let mut items = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let w = face.width(line, TITLE_SIZE);
        let x = frame.left + (frame.content_width() - w) / 2.0;
        let y = baseline_in(i as f32 * TITLE_LINE, TITLE_LINE, TITLE_SIZE);
        items.push(text(x, y, TITLE_SIZE, line));
    }
    Block {
        gap_before: 0.0,
        height: lines.len() as f32 * TITLE_LINE + TITLE_GAP_AFTER,
        items,
    }
}

fn section_groups(section: &super::Section, face: &Face, frame: &Frame, groups: &mut Vec<Group>) {
    let heading = section.heading.as_ref().map(|h| {
        let lines = wrap(h, frame.content_width() - 8.0, &|s| {
            face.width(s, HEADING_SIZE)
        });
        let mut items = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let top = i as f32 * HEADING_HEIGHT;
            items.push(Item::Fill {
                x: frame.left,
                y: top + 4.0,
                w: 3.0,
                h: HEADING_HEIGHT - 8.0,
                gray: 0.25,
            });
            items.push(text(
                frame.left + 8.0,
                baseline_in(top, HEADING_HEIGHT, HEADING_SIZE),
                HEADING_SIZE,
                line,
            ));
        }
        Block {
            gap_before: SECTION_GAP,
            height: lines.len() as f32 * HEADING_HEIGHT + 2.0,
            items,
        }
    });

    let mut rows = section
        .rows
        .iter()
        .flat_map(|(label, value)| row_blocks(label, value, face, frame))
        .collect::<Vec<_>>()
        .into_iter();
    let mut first = Vec::new();
    match heading {
        Some(h) => {
            first.push(h);
            if let Some(mut r) = rows.next() {
                r.gap_before = 0.0;
                first.push(r);
            }
        }
        None => {
            if let Some(mut r) = rows.next() {
                r.gap_before = SECTION_GAP;
                first.push(r);
            }
        }
    }
    if !first.is_empty() {
        groups.push(Group(first));
    }
    for r in rows {
        groups.push(Group(vec![r]));
    }
}

/// One table row, as one block or, when taller than a page, several.
fn row_blocks(label: &str, value: &str, face: &Face, frame: &Frame) -> Vec<Block> {
    let label_w = (frame.content_width() * LABEL_COLUMN).round();
    let value_w = frame.content_width() - label_w;
    let label_lines = wrap(label, label_w - 2.0 * CELL_PAD_X, &|s| {
        face.width(s, CELL_SIZE)
    });
    let value_lines = wrap(value, value_w - 2.0 * CELL_PAD_X, &|s| {
        face.width(s, CELL_SIZE)
    });
    let max_lines = (((frame.capacity() - 2.0 * CELL_PAD_Y) / CELL_LINE).floor() as usize).max(1);
    let n = label_lines.len().max(value_lines.len());
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + max_lines).min(n);
        let height = (end - start) as f32 * CELL_LINE + 2.0 * CELL_PAD_Y;
        let (l, r, mid) = (frame.left, frame.right, frame.left + label_w);
        let mut items = vec![
            Item::Fill {
                x: l,
                y: 0.0,
                w: label_w,
                h: height,
                gray: LABEL_GRAY,
            },
            Item::Line {
                x1: l,
                y1: 0.0,
                x2: r,
                y2: 0.0,
            },
            Item::Line {
                x1: l,
                y1: height,
                x2: r,
                y2: height,
            },
            Item::Line {
                x1: l,
                y1: 0.0,
                x2: l,
                y2: height,
            },
            Item::Line {
                x1: mid,
                y1: 0.0,
                x2: mid,
                y2: height,
            },
            Item::Line {
                x1: r,
                y1: 0.0,
                x2: r,
                y2: height,
            },
        ];
        for (column, lines) in [(l, &label_lines), (mid, &value_lines)] {
            for (k, line) in lines.iter().enumerate().take(end).skip(start) {
                if line.is_empty() {
                    continue;
                }
                let top = CELL_PAD_Y + (k - start) as f32 * CELL_LINE;
                items.push(text(
                    column + CELL_PAD_X,
                    baseline_in(top, CELL_LINE, CELL_SIZE),
                    CELL_SIZE,
                    line,
                ));
            }
        }
        blocks.push(Block {
            gap_before: 0.0,
            height,
            items,
        });
        start = end;
    }
    blocks
}

/// The 証明文, the issue date and the mayor's line with the seal.
fn closing_group(doc: &PrintDocument, face: &Face, frame: &Frame) -> Group {
    let mut blocks = Vec::new();
    let indent = 2.0 * STATEMENT_SIZE;

    let statement = wrap(
        &doc.certification_statement,
        frame.content_width() - indent,
        &|s| face.width(s, STATEMENT_SIZE),
    );
    // One block per line so a very long statement can still flow over pages.
    for (i, line) in statement.iter().enumerate() {
        let mut items = Vec::new();
        if !line.is_empty() {
            items.push(text(
                frame.left + indent,
                baseline_in(0.0, STATEMENT_LINE, STATEMENT_SIZE),
                STATEMENT_SIZE,
                line,
            ));
        }
        blocks.push(Block {
            gap_before: if i == 0 { STATEMENT_GAP } else { 0.0 },
            height: STATEMENT_LINE,
            items,
        });
    }

    let date = doc
        .issue_date_text
        .clone()
        .unwrap_or_else(|| super::wareki(doc.issue_date));
    blocks.push(Block {
        gap_before: DATE_GAP,
        height: DATE_HEIGHT,
        items: vec![text(
            frame.left + indent,
            baseline_in(0.0, DATE_HEIGHT, DATE_SIZE),
            DATE_SIZE,
            &date,
        )],
    });

    // 青葉台市長　山田太郎, right-aligned so the seal, which covers the end of
    // the name as a stamped seal does, ends at the right margin.
    let mayor = format!("{}\u{3000}{}", doc.mayor_title, doc.mayor_name);
    let mayor_w = face.width(&mayor, MAYOR_SIZE);
    let name_end = frame.right - SEAL_SIZE * 0.55;
    let x = (name_end - mayor_w).max(frame.left);
    let name_end = x + mayor_w;
    blocks.push(Block {
        gap_before: MAYOR_GAP,
        height: SEAL_SIZE,
        items: vec![
            text(
                x,
                baseline_in(0.0, SEAL_SIZE, MAYOR_SIZE),
                MAYOR_SIZE,
                &mayor,
            ),
            Item::Seal {
                x: name_end - SEAL_SIZE * 0.45,
                y: 0.0,
                size: SEAL_SIZE,
            },
        ],
    });
    Group(blocks)
}

fn footer(doc: &PrintDocument, face: &Face, frame: &Frame, page: usize, total: usize) -> Vec<Item> {
    let y = frame.height - FOOTER_BASELINE_FROM_BOTTOM;
    let number = format!(
        "証明書番号 {}　{}",
        doc.certificate_number, doc.page_subject
    );
    let pages = format!("{page} / {total}");
    let pages_w = face.width(&pages, FOOTER_SIZE);
    let ink = |mut item: Item| {
        if let Item::Text { gray, .. } = &mut item
            && page > 1
            && doc.later_footers_white
        {
            *gray = 255;
        }
        item
    };
    vec![
        Item::Line {
            x1: frame.left,
            y1: y - 12.0,
            x2: frame.right,
            y2: y - 12.0,
        },
        ink(text(frame.left, y, FOOTER_SIZE, &number)),
        ink(text(frame.right - pages_w, y, FOOTER_SIZE, &pages)),
    ]
}

fn paginate(groups: Vec<Group>, frame: &Frame) -> Vec<Vec<Item>> {
    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = frame.top;
    let mut empty = true;
    for Group(blocks) in groups {
        let from_here: f32 = blocks
            .iter()
            .enumerate()
            .map(|(i, b)| if i == 0 && empty { 0.0 } else { b.gap_before } + b.height)
            .sum();
        let from_top = from_here - if empty { 0.0 } else { blocks[0].gap_before };
        if !empty && y + from_here > frame.bottom && from_top <= frame.capacity() {
            pages.push(Vec::new());
            y = frame.top;
            empty = true;
        }
        for block in blocks {
            let mut gap = if empty { 0.0 } else { block.gap_before };
            if !empty && y + gap + block.height > frame.bottom {
                pages.push(Vec::new());
                y = frame.top;
                gap = 0.0;
            }
            let top = y + gap;
            let page = pages.last_mut().expect("at least one page");
            page.extend(block.items.into_iter().map(|it| it.shifted(top)));
            y = top + block.height;
            empty = false;
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Section, font::face};
    use chrono::NaiveDate;

    fn doc(rows: usize, value: &str) -> PrintDocument {
        PrintDocument {
            title: "住民票の写し".into(),
            sections: vec![Section {
                heading: Some("世帯".into()),
                rows: (0..rows)
                    .map(|i| (format!("項目{i}"), value.to_string()))
                    .collect(),
            }],
            certification_statement: "この写しは、住民票の原本と相違ないことを証明する。".into(),
            issue_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            issue_date_text: None,
            mayor_title: "青葉台市長".into(),
            mayor_name: "青葉 一郎".into(),
            certificate_number: "AOB-1".into(),
            page_subject: "氏名 青葉 花子".into(),
            paper: Paper::A4,
            embed_fonts: true,
            later_footers_white: false,
        }
    }

    fn texts(page: &[Item]) -> Vec<&str> {
        page.iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn document_layout_items_stay_inside_the_page() {
        let face = face().unwrap();
        for paper in [Paper::A4, Paper::Letter] {
            let mut d = doc(80, &"長い値".repeat(40));
            d.paper = paper;
            let (w, h) = paper_size(&d.paper);
            let pages = layout(&d, face);
            assert!(pages.len() >= 3);
            for page in &pages {
                for item in page {
                    match item {
                        Item::Text {
                            x, y, size, text, ..
                        } => {
                            assert!(*x >= MARGIN_X - 0.01 && *y <= h - 10.0 * MM, "{item:?}");
                            assert!(x + face.width(text, *size) <= w - MARGIN_X + 0.01);
                        }
                        Item::Seal { x, y, size } => {
                            assert!(*x >= 0.0 && x + size <= w - MARGIN_X + 0.01);
                            assert!(y + size <= h - BODY_BOTTOM_MARGIN + 0.01);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn document_layout_footer_on_every_page() {
        let face = face().unwrap();
        let pages = layout(&doc(120, "値"), face);
        let n = pages.len();
        assert!(n >= 2);
        for (i, page) in pages.iter().enumerate() {
            let t = texts(page);
            assert!(t.contains(&"証明書番号 AOB-1　氏名 青葉 花子"), "{t:?}");
            let expected = format!("{} / {n}", i + 1);
            assert!(t.contains(&expected.as_str()));
        }
        // The closing block (statement, date, mayor) stays together.
        let last = texts(pages.last().unwrap());
        assert!(last.contains(&"令和8年11月26日"));
        assert!(last.iter().any(|t| t.starts_with("この写しは")));
    }

    #[test]
    fn document_layout_splits_a_row_taller_than_a_page() {
        let face = face().unwrap();
        let pages = layout(&doc(1, &"あ".repeat(4000)), face);
        assert!(pages.len() >= 2);
        let all: String = pages.iter().flat_map(|p| texts(p)).collect();
        assert_eq!(all.matches('あ').count(), 4000);
    }
}
