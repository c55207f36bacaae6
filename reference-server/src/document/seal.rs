//! The 公印 (official seal): a red square stamp rasterised in code.
//!
//! The seal is a bitmap, as on real certificates where it is a scanned stamp,
//! so it becomes an image XObject in the PDF. It shows a thick square frame
//! and, inside it, the characters of the mayor's title followed by 之印 set in
//! columns read right to left, each glyph stretched to fill its cell the way
//! seal engravers do. Those characters are pixels, not text: nothing of the
//! seal is extractable, so it adds nothing to the certificate's text.
//!
//! The bitmap is opaque (white paper, red ink) and is painted with the
//! Multiply blend mode, so the mayor's name under it stays visible like ink
//! under a stamp and the PDF holds a single image without a soft mask.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use krilla::image::Image;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};

use super::font::Face;

/// Pixels per side: about 300 dpi at 22 mm.
pub(crate) const SEAL_PX: usize = 256;
/// Supersampling per axis for anti-aliasing.
const SS: usize = 4;
const INK: [u8; 3] = [206, 38, 38];
const FRAME_INSET: f32 = 8.0;
const FRAME_WIDTH: f32 = 18.0;
const TEXT_GAP: f32 = 10.0;
/// Em box of the font, relative to the baseline, in em: -0.12 .. 0.88.
const EM_TOP: f32 = 0.88;

/// Seals already made, by the text they show: krilla images, whose pixels krilla
/// compressed (deflate) and hashed when the image was made. An [`Image`] is a shared
/// handle, so every PDF with the same seal writes those compressed bytes as they are
/// instead of compressing its 256 × 256 pixels again; the PDF bytes are the same either
/// way.
static CACHE: LazyLock<Mutex<HashMap<String, Image>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The seal for a mayor's title, generated and compressed on first use and cached.
pub(crate) fn seal_image(mayor_title: &str, face: &Face) -> Image {
    let text = format!("{}之印", mayor_title.trim());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() > 32 {
        cache.clear();
    }
    cache
        .entry(text)
        .or_insert_with_key(|text| {
            Image::from_rgba8(seal_rgba(text, face), SEAL_PX as u32, SEAL_PX as u32)
        })
        .clone()
}

/// Collects a glyph outline as straight edges in supersampled pixel space.
struct EdgePen<'a> {
    edges: &'a mut Vec<[f32; 4]>,
    map: &'a dyn Fn(f32, f32) -> (f32, f32),
    start: (f32, f32),
    last: (f32, f32),
}

impl EdgePen<'_> {
    fn edge_to(&mut self, p: (f32, f32)) {
        if p.1 != self.last.1 {
            self.edges.push([self.last.0, self.last.1, p.0, p.1]);
        }
        self.last = p;
    }
}

/// Segments per curve; plenty for glyphs a few dozen pixels tall.
const CURVE_STEPS: usize = 8;

impl OutlinePen for EdgePen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        let p = (self.map)(x, y);
        self.start = p;
        self.last = p;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = (self.map)(x, y);
        self.edge_to(p);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let p0 = self.last;
        let c = (self.map)(cx0, cy0);
        let p1 = (self.map)(x, y);
        for i in 1..=CURVE_STEPS {
            let t = i as f32 / CURVE_STEPS as f32;
            let u = 1.0 - t;
            self.edge_to((
                u * u * p0.0 + 2.0 * u * t * c.0 + t * t * p1.0,
                u * u * p0.1 + 2.0 * u * t * c.1 + t * t * p1.1,
            ));
        }
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let p0 = self.last;
        let c0 = (self.map)(cx0, cy0);
        let c1 = (self.map)(cx1, cy1);
        let p1 = (self.map)(x, y);
        for i in 1..=CURVE_STEPS {
            let t = i as f32 / CURVE_STEPS as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.edge_to((
                a * p0.0 + b * c0.0 + c * c1.0 + d * p1.0,
                a * p0.1 + b * c0.1 + c * c1.1 + d * p1.1,
            ));
        }
    }

    fn close(&mut self) {
        if self.last != self.start {
            let s = self.start;
            self.edge_to(s);
        }
    }
}

/// Fills edges (non-zero winding) into a coverage count per output pixel.
fn fill_edges(edges: &[[f32; 4]], hits: &mut [u16]) {
    if edges.is_empty() {
        return;
    }
    let hi = SEAL_PX * SS;
    let (mut y_min, mut y_max) = (f32::MAX, f32::MIN);
    for e in edges {
        y_min = y_min.min(e[1].min(e[3]));
        y_max = y_max.max(e[1].max(e[3]));
    }
    let first = (y_min.floor().max(0.0)) as usize;
    let last = (y_max.ceil().max(0.0) as usize).min(hi);
    let mut crossings: Vec<(f32, i32)> = Vec::new();
    for sy in first..last {
        let yc = sy as f32 + 0.5;
        crossings.clear();
        for &[x0, y0, x1, y1] in edges {
            let (lo, up, dir) = if y0 < y1 { (y0, y1, 1) } else { (y1, y0, -1) };
            if yc >= lo && yc < up {
                crossings.push((x0 + (yc - y0) * (x1 - x0) / (y1 - y0), dir));
            }
        }
        crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut winding = 0;
        for pair in crossings.windows(2) {
            winding += pair[0].1;
            if winding == 0 {
                continue;
            }
            let from = ((pair[0].0 - 0.5).ceil().max(0.0)) as usize;
            let to = (((pair[1].0 - 0.5).ceil().max(0.0)) as usize).min(hi);
            for sx in from..to {
                hits[(sy / SS) * SEAL_PX + sx / SS] += 1;
            }
        }
    }
}

/// Splits `n` characters into columns, right column first: 7 → 3, 2, 2.
fn column_counts(n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let cols = (n as f32).sqrt().ceil() as usize;
    (0..cols)
        .map(|i| n / cols + usize::from(i < n % cols))
        .collect()
}

fn seal_rgba(text: &str, face: &Face) -> Vec<u8> {
    let px = SEAL_PX as f32;
    let mut coverage = vec![0.0f32; SEAL_PX * SEAL_PX];

    // The square frame.
    let (outer0, outer1) = (FRAME_INSET, px - FRAME_INSET);
    let (inner0, inner1) = (outer0 + FRAME_WIDTH, outer1 - FRAME_WIDTH);
    for y in 0..SEAL_PX {
        for x in 0..SEAL_PX {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let in_outer = fx >= outer0 && fx < outer1 && fy >= outer0 && fy < outer1;
            let in_inner = fx >= inner0 && fx < inner1 && fy >= inner0 && fy < inner1;
            if in_outer && !in_inner {
                coverage[y * SEAL_PX + x] = 1.0;
            }
        }
    }

    // The characters, in columns from right to left.
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && face.glyph(*c) != 0)
        .collect();
    let counts = column_counts(chars.len());
    let area0 = inner0 + TEXT_GAP;
    let area = inner1 - TEXT_GAP - area0;
    let mut hits = vec![0u16; SEAL_PX * SEAL_PX];
    let mut next = 0;
    let upem = face.units_per_em();
    for (col, &count) in counts.iter().enumerate() {
        let cell_w = area / counts.len() as f32;
        let cell_h = area / count as f32;
        let left = area0 + area - (col + 1) as f32 * cell_w;
        for row in 0..count {
            let c = chars[next];
            next += 1;
            let Some(outline) = face.outlines.get(skrifa::GlyphId::new(face.glyph(c))) else {
                continue;
            };
            let top = area0 + row as f32 * cell_h;
            // Em box → cell, with a little air, in supersampled pixels.
            let pad = 0.04;
            let sx = cell_w * (1.0 - 2.0 * pad) / upem * SS as f32;
            let sy = cell_h * (1.0 - 2.0 * pad) / upem * SS as f32;
            let ox = (left + cell_w * pad) * SS as f32;
            let oy = (top + cell_h * pad) * SS as f32;
            let map = move |x: f32, y: f32| (ox + x * sx, oy + (EM_TOP * upem - y) * sy);
            let mut edges = Vec::new();
            let mut pen = EdgePen {
                edges: &mut edges,
                map: &map,
                start: (0.0, 0.0),
                last: (0.0, 0.0),
            };
            let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
            if outline.draw(settings, &mut pen).is_ok() {
                pen.close();
                fill_edges(&edges, &mut hits);
            }
        }
    }

    // Embolden the strokes (seal engraving is heavy) with a 3×3 max filter.
    let glyphs: Vec<f32> = hits
        .iter()
        .map(|h| f32::from(*h) / (SS * SS) as f32)
        .collect();
    for y in 0..SEAL_PX {
        for x in 0..SEAL_PX {
            let mut m = 0.0f32;
            for yy in y.saturating_sub(1)..(y + 2).min(SEAL_PX) {
                for xx in x.saturating_sub(1)..(x + 2).min(SEAL_PX) {
                    m = m.max(glyphs[yy * SEAL_PX + xx]);
                }
            }
            let c = &mut coverage[y * SEAL_PX + x];
            *c = c.max(m);
        }
    }

    let mut rgba = Vec::with_capacity(SEAL_PX * SEAL_PX * 4);
    for (i, c) in coverage.iter().enumerate() {
        // A faint, deterministic unevenness of the ink, as a stamp leaves.
        let h = (i as u32).wrapping_mul(2_654_435_761) >> 27;
        let ink = c * if h == 0 { 0.8 } else { 1.0 };
        for channel in INK {
            let v = 255.0 - ink * (255.0 - f32::from(channel));
            rgba.push(v.round().clamp(0.0, 255.0) as u8);
        }
        rgba.push(255);
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::font::face;

    #[test]
    fn document_seal_columns() {
        assert_eq!(column_counts(7), vec![3, 2, 2]);
        assert_eq!(column_counts(4), vec![2, 2]);
        assert_eq!(column_counts(9), vec![3, 3, 3]);
        assert_eq!(column_counts(1), vec![1]);
        assert!(column_counts(0).is_empty());
    }

    #[test]
    fn document_seal_has_frame_and_glyph_ink() {
        let rgba = seal_rgba("青葉台市長之印", face().unwrap());
        assert_eq!(rgba.len(), SEAL_PX * SEAL_PX * 4);
        let px = |x: usize, y: usize| &rgba[(y * SEAL_PX + x) * 4..(y * SEAL_PX + x) * 4 + 4];
        // Paper outside the frame, ink on the frame.
        assert_eq!(px(2, 2), &[255, 255, 255, 255]);
        assert!(px(SEAL_PX / 2, 15)[1] < 100);
        // Some ink inside the frame from the characters, but not all of it.
        let inside: Vec<u8> = (40..SEAL_PX - 40)
            .flat_map(|y| (40..SEAL_PX - 40).map(move |x| (x, y)))
            .map(|(x, y)| px(x, y)[1])
            .collect();
        let inked = inside.iter().filter(|g| **g < 128).count();
        assert!(
            inked > inside.len() / 10 && inked < inside.len() * 8 / 10,
            "{inked}"
        );
        // Opaque everywhere: no soft mask needed.
        assert!(rgba.chunks(4).all(|p| p[3] == 255));
    }
}
