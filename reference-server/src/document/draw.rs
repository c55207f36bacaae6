//! Painting laid-out pages with krilla.

use krilla::Document;
use krilla::blend::BlendMode;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

use super::RenderError;
use super::font::Face;
use super::layout::Item;

const RULE_WIDTH: f32 = 0.6;
const RULE_GRAY: u8 = 90;

/// How text reaches the PDF.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextMode {
    /// As text in the embedded (subset) font, with a ToUnicode map.
    Embedded,
    /// As filled glyph outlines: no font in the file and no extractable text.
    Outlines,
}

fn gray(v: u8) -> luma::Color {
    luma::Color::new(v)
}

/// Paints `pages` (each a list of items) into a PDF document and returns its bytes.
pub(crate) fn paint(
    pages: &[Vec<Item>],
    size: (f32, f32),
    face: &Face,
    seal: &Image,
    mode: TextMode,
    title: &str,
) -> Result<Vec<u8>, RenderError> {
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_string())
            .language("ja".to_string()),
    );
    let settings = PageSettings::from_wh(size.0, size.1).ok_or(RenderError::PageSize)?;
    for items in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for item in items {
            paint_item(&mut surface, item, face, seal, mode);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

fn paint_item(surface: &mut Surface<'_>, item: &Item, face: &Face, seal: &Image, mode: TextMode) {
    match item {
        Item::Text {
            x,
            y,
            size,
            text,
            gray: g,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: gray(*g).into(),
                ..Fill::default()
            }));
            let glyphs = face.krilla_glyphs(text);
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                face.krilla.clone(),
                text,
                *size,
                mode == TextMode::Outlines,
            );
        }
        Item::Line { x1, y1, x2, y2 } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: gray(RULE_GRAY).into(),
                    width: RULE_WIDTH,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Item::Fill {
            x,
            y,
            w,
            h,
            gray: g,
        } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: gray((g.clamp(0.0, 1.0) * 255.0).round() as u8).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
            }
        }
        Item::Seal { x, y, size } => {
            if let Some(sz) = Size::from_wh(*size, *size) {
                surface.push_blend_mode(BlendMode::Multiply);
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_image(seal.clone(), sz);
                surface.pop();
                surface.pop();
            }
        }
    }
}
