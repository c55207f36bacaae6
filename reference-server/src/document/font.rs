//! The embedded certificate font and the little text shaping we need.
//!
//! The font is a subset of Noto Sans CJK JP Regular (SIL OFL 1.1) shipped in
//! `reference-server/assets/fonts/`; see the README there for what it covers
//! and how it was made. Text is laid out one glyph per character straight from
//! the font's `cmap` and `hmtx`, which is exactly right for Japanese set solid
//! (全角 characters are all one em wide) and good enough for the Latin digits
//! and letters a certificate carries. No OpenType layout features are used, so
//! the subset does not keep them.

use std::ops::Range;
use std::sync::LazyLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::charmap::{Charmap, MapVariant};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider, OutlineGlyphCollection};

/// The font file, compiled into the binary so a fresh machine needs nothing else.
pub(crate) static FONT_BYTES: &[u8] =
    include_bytes!("../../assets/fonts/NotoSansJP-kofu-subset.ttf");

/// The parsed font: krilla's handle for drawing plus skrifa tables for measuring.
pub(crate) struct Face {
    pub(crate) krilla: Font,
    pub(crate) outlines: OutlineGlyphCollection<'static>,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
}

static FACE: LazyLock<Option<Face>> = LazyLock::new(|| {
    let font_ref = FontRef::new(FONT_BYTES).ok()?;
    let krilla = Font::new(FONT_BYTES.into(), 0)?;
    Some(Face {
        krilla,
        outlines: font_ref.outline_glyphs(),
        charmap: font_ref.charmap(),
        metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
        units_per_em: f32::from(font_ref.head().ok()?.units_per_em()),
    })
});

/// The embedded font, parsed once. `None` only if the shipped file is corrupt.
pub(crate) fn face() -> Option<&'static Face> {
    FACE.as_ref()
}

/// One glyph of a shaped run, with the byte range of the text it stands for.
#[derive(Debug, Clone)]
pub(crate) struct ShapedGlyph {
    pub(crate) id: u32,
    /// Advance in em (font units divided by units per em).
    pub(crate) advance: f32,
    pub(crate) range: Range<usize>,
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

impl Face {
    pub(crate) fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The glyph for a character, or `.notdef` (0) when the font lacks it.
    pub(crate) fn glyph(&self, c: char) -> u32 {
        self.charmap.map(c).map(|g| g.to_u32()).unwrap_or(0)
    }

    fn advance_of(&self, glyph: u32) -> f32 {
        self.metrics
            .advance_width(skrifa::GlyphId::new(glyph))
            .unwrap_or(self.units_per_em)
            / self.units_per_em
    }

    /// Maps text to glyphs, one per character. A variation selector (IVS/SVS)
    /// joins the cluster of the character before it and picks the variant glyph
    /// when the font has one; either way the selector stays in the cluster's
    /// text so it is extracted unchanged.
    pub(crate) fn shape(&self, text: &str) -> Vec<ShapedGlyph> {
        let mut glyphs: Vec<ShapedGlyph> = Vec::with_capacity(text.len() / 2);
        let mut base: Option<char> = None;
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if is_variation_selector(c)
                && let (Some(last), Some(b)) = (glyphs.last_mut(), base)
            {
                if let Some(MapVariant::Variant(g)) = self.charmap.map_variant(b, c) {
                    last.id = g.to_u32();
                    last.advance = self.advance_of(last.id);
                }
                last.range.end = end;
                continue;
            }
            if c.is_control() {
                // Never expected in layout output; keep the text, draw nothing.
                glyphs.push(ShapedGlyph {
                    id: self.glyph(' '),
                    advance: 0.0,
                    range: i..end,
                });
                base = None;
                continue;
            }
            let id = self.glyph(c);
            glyphs.push(ShapedGlyph {
                id,
                advance: self.advance_of(id),
                range: i..end,
            });
            base = Some(c);
        }
        glyphs
    }

    /// Width of `text` in points at `size`.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).iter().map(|g| g.advance).sum::<f32>() * size
    }

    /// Shaped text in the form krilla draws.
    pub(crate) fn krilla_glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        self.shape(text)
            .into_iter()
            .map(|g| KrillaGlyph::new(GlyphId::new(g.id), g.advance, 0.0, 0.0, 0.0, g.range, None))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::face;

    #[test]
    fn document_font_covers_required_characters() {
        let face = face().expect("embedded font parses");
        for c in [
            '\u{20BB7}',
            '\u{9AD9}',
            '\u{FA11}',
            '\u{5FB7}',
            '〒',
            '・',
            '々',
            '〆',
            'ヶ',
            '　',
            'A',
            '0',
            'é',
            '住',
            '鷗',
        ] {
            assert_ne!(face.glyph(c), 0, "font lacks U+{:04X}", c as u32);
        }
        // 﨑 (U+FA11) has its own glyph, not 崎's.
        assert_ne!(face.glyph('\u{FA11}'), face.glyph('崎'));
        // Ideographs are one em wide.
        assert!((face.width("住民票", 10.0) - 30.0).abs() < 0.01);
    }

    #[test]
    fn document_font_variation_selector_joins_cluster() {
        let face = face().unwrap();
        let glyphs = face.shape("葛\u{E0100}城");
        assert_eq!(glyphs.len(), 2);
        assert_eq!(glyphs[0].range, 0..7);
        assert_eq!(glyphs[1].range, 7..10);
    }
}
