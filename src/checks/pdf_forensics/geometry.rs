//! Page geometry for the visibility check: rectangles, page boxes and transformation
//! matrices.

use lopdf::{Document, Object, ObjectId};

use super::*;

/// An axis-aligned rectangle: (x0, y0, x1, y1) with x0 <= x1, y0 <= y1.
pub(super) type Rect = [f32; 4];

pub(super) fn rect_of(object: &Object) -> Option<Rect> {
    let n: Vec<f32> = object
        .as_array()
        .ok()?
        .iter()
        .filter_map(|o| o.as_float().ok())
        .collect();
    (n.len() == 4).then(|| {
        [
            n[0].min(n[2]),
            n[1].min(n[3]),
            n[0].max(n[2]),
            n[1].max(n[3]),
        ]
    })
}

pub(super) fn intersect(a: Rect, b: Rect) -> Rect {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// The page's MediaBox ∩ CropBox.
pub(super) fn page_box(doc: &Document, page: ObjectId) -> Rect {
    let media = inherited(doc, page, b"MediaBox")
        .and_then(rect_of)
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    match inherited(doc, page, b"CropBox").and_then(rect_of) {
        Some(crop) => intersect(media, crop),
        None => media,
    }
}
/// A transformation matrix `[a b c d e f]`.
pub(super) type Matrix = [f32; 6];

pub(super) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
pub(super) fn mul(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub(super) fn apply(m: Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// The bounding box of a rectangle after a transformation.
pub(super) fn transform_rect(m: Matrix, r: Rect) -> Rect {
    let pts = [
        apply(m, r[0], r[1]),
        apply(m, r[2], r[1]),
        apply(m, r[0], r[3]),
        apply(m, r[2], r[3]),
    ];
    let mut out = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for (x, y) in pts {
        out[0] = out[0].min(x);
        out[1] = out[1].min(y);
        out[2] = out[2].max(x);
        out[3] = out[3].max(y);
    }
    out
}

pub(super) fn matrix_of(operands: &[Object]) -> Option<Matrix> {
    let n: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
    (n.len() == 6).then(|| [n[0], n[1], n[2], n[3], n[4], n[5]])
}
