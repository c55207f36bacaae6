#!/usr/bin/env python3
"""Regenerate NotoSansJP-kofu-subset.ttf from the Noto Sans CJK collection.

Usage (needs fonttools: `pip install fonttools`):

    python3 reference-server/assets/fonts/make_subset.py \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The collection's font number 0 is "Noto Sans CJK JP Regular". The subset keeps
every code point a Japanese certificate is likely to print: ASCII, Latin-1,
general punctuation, CJK symbols and punctuation, hiragana, katakana, the
half-width and full-width forms, every character of JIS X 0208 (levels 1 and
2), JIS X 0213 (via the euc_jis_2004 codec), the Windows-31J (cp932) NEC and
IBM extensions, and a handful of name characters listed explicitly below.

The subset's CFF outlines are then converted to TrueType (quadratic) outlines
with fontTools' cu2qu, within 1 font unit of the original curves: a PDF writer
subsets TrueType glyphs by copying them, which is several times cheaper than
rewriting CFF charstrings for every document.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "NotoSansJP-kofu-subset.ttf")
# Largest distance, in font units, between a cubic curve and its quadratic stand-in.
MAX_ERR = 1.0

# Characters that must be present whatever the codecs say.
EXPLICIT = [
    0x20BB7,  # 𠮷 (tsuchi-yoshi, outside the BMP)
    0x9AD9,  # 髙 (hashigo-daka)
    0xFA11,  # 﨑 (tatsu-saki, CJK compatibility ideograph)
    0x5FB7,  # 德
    0x3012,  # 〒
    0x30FB,  # ・
    0x3005,  # 々
    0x3006,  # 〆
    0x30F6,  # ヶ
]

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # general punctuation
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # hiragana
    (0x30A0, 0x30FF),  # katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]


def codec_chars(codec, three_byte_plane2=False):
    """Every character a 2-byte (and optionally 0x8F-prefixed 3-byte) code decodes to."""
    out = set()
    leads = range(0x81, 0x100)
    for b1 in leads:
        for b2 in range(0x40, 0x100):
            try:
                s = bytes([b1, b2]).decode(codec)
            except UnicodeDecodeError:
                continue
            out.update(s)
    if three_byte_plane2:
        for b2 in range(0xA1, 0xFF):
            for b3 in range(0xA1, 0xFF):
                try:
                    s = bytes([0x8F, b2, b3]).decode(codec)
                except UnicodeDecodeError:
                    continue
                out.update(s)
    return {ord(c) for c in out}


def to_truetype(source, output):
    """CFF outlines to TrueType `glyf` outlines, after fontTools' otf2ttf example."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    # The subset's timestamps are kept, so the same inputs give the same bytes.
    font = TTFont(source, recalcTimestamp=False)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.compile(font)
    # Format 3: no glyph names (a TrueType font maps characters through cmap).
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"
    font.save(output)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]

    cps = set(EXPLICIT)
    for lo, hi in RANGES:
        cps.update(range(lo, hi + 1))
    cps |= codec_chars("shift_jis")
    cps |= codec_chars("euc_jp", three_byte_plane2=True)  # JIS X 0208 + 0212
    cps |= codec_chars("cp932")
    cps |= codec_chars("euc_jis_2004", three_byte_plane2=True)  # JIS X 0213
    cps = {c for c in cps if c >= 0x20 and not 0xD800 <= c <= 0xDFFF}

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(f"U+{c:04X}" for c in sorted(cps)))
        unicodes = f.name
    with tempfile.NamedTemporaryFile(suffix=".otf", delete=False) as f:
        cff_subset = f.name
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fontTools.subset",
                source,
                "--font-number=0",
                f"--unicodes-file={unicodes}",
                f"--output-file={cff_subset}",
                # Text is laid out from cmap + hmtx only, so no OpenType layout
                # features (and none of the variant glyphs they pull in) are kept.
                "--layout-features=",
                "--glyph-names",
                "--notdef-outline",
                "--name-IDs=*",
                "--name-legacy",
                "--name-languages=*",
            ],
            check=True,
        )
        to_truetype(cff_subset, OUTPUT)
    finally:
        os.unlink(unicodes)
        os.unlink(cff_subset)
    print(f"{len(cps)} code points requested; wrote {OUTPUT} ({os.path.getsize(OUTPUT)} bytes)")


if __name__ == "__main__":
    main()
