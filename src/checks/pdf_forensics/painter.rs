//! The content-stream walk: the graphics state followed through every text-showing
//! operation, and why a shown string is invisible, if it is.

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::*;

/// The part of the graphics state that decides whether text is seen.
#[derive(Clone)]
pub(super) struct GState {
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
    pub(super) fn new(page_box: Rect) -> Self {
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
pub(super) fn white(operands: &[Object], cmyk: bool) -> bool {
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
pub(super) struct Painter<'d> {
    pub(super) doc: &'d Document,
    pub(super) off: &'d BTreeSet<ObjectId>,
    pub(super) page_box: Rect,
    pub(super) runs: Vec<(String, Option<Hidden>)>,
    pub(super) broken: Option<String>,
}

impl<'d> Painter<'d> {
    pub(super) fn run(
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
    pub(super) fn hidden(&self, gs: &GState, tm: Matrix, in_off_layer: bool) -> Option<Hidden> {
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
