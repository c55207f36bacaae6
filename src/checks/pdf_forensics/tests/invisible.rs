//! Unit tests of the page pass: text hidden on the printed page, and optional content.

use super::*;

fn hidden_reason(content: &str) -> Vec<Hidden> {
    scan_ok(&build(content, |_, _, _| {}))
        .into_iter()
        .filter_map(|f| match f {
            Finding::HiddenText { why, .. } => Some(why),
            _ => None,
        })
        .collect()
}

#[test]
fn invisible_text_is_found() {
    assert_eq!(
        hidden_reason("BT /F1 10 Tf 3 Tr 72 700 Td (10987654321) Tj ET"),
        vec![Hidden::RenderMode(3)]
    );
    assert_eq!(
        hidden_reason("BT /F1 10 Tf 1 1 1 rg 72 700 Td (secret) Tj ET"),
        vec![Hidden::White]
    );
    assert_eq!(
        hidden_reason("BT /F1 10 Tf 0 0 0 0 k 72 700 Td (secret) Tj ET"),
        vec![Hidden::White]
    );
    assert!(matches!(
        hidden_reason("BT /F1 0.5 Tf 72 700 Td (secret) Tj ET")[..],
        [Hidden::Tiny(_)]
    ));
    assert!(matches!(
        hidden_reason("q 0.01 0 0 0.01 0 0 cm BT /F1 10 Tf 72 700 Td (secret) Tj ET Q")[..],
        [Hidden::Tiny(_)]
    ));
    assert_eq!(
        hidden_reason("BT /F1 10 Tf -400 700 Td (secret) Tj ET"),
        vec![Hidden::OutsidePage]
    );
    assert_eq!(
        hidden_reason("BT /F1 10 Tf 1 0 0 1 72 2000 Tm (secret) Tj ET"),
        vec![Hidden::OutsidePage]
    );
    assert_eq!(
        hidden_reason("q 0 0 100 100 re W n BT /F1 10 Tf 300 700 Td (secret) Tj ET Q"),
        vec![Hidden::Clipped]
    );
}

#[test]
fn visible_text_is_not_hidden() {
    assert_eq!(
        hidden_reason("BT /F1 9 Tf 0.35 g 72 700 Td (a) Tj 0 -12 Td (b) Tj ET"),
        vec![]
    );
    assert_eq!(
        hidden_reason("q 0 0 300 800 re W n BT /F1 10 Tf 72 700 Td (inside) Tj ET Q"),
        vec![]
    );
    // White fill restored by Q; white on a stroke-only mode with a dark stroke.
    assert_eq!(
        hidden_reason("q 1 g Q BT /F1 10 Tf 72 700 Td (a) Tj 1 g 0 G 1 Tr (b) Tj ET"),
        vec![]
    );
    // A white rectangle, then dark text: only text counts.
    assert_eq!(
        hidden_reason("1 g 0 0 50 50 re f 0 g BT /F1 10 Tf 72 700 Td (a) Tj ET"),
        vec![]
    );
}

#[test]
fn hidden_text_is_reported_masked() {
    let found = scan_ok(&build(
        "BT /F1 10 Tf 3 Tr 72 700 Td (code 10987654321) Tj ET",
        |_, _, _| {},
    ));
    let messages: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert!(
        messages.contains(
            &"page 1 draws text in render mode 3 (`3 Tr`: not painted): `code *******4321`"
                .to_owned()
        ),
        "{messages:?}"
    );
    assert!(
        messages.contains(
            &"the text of page 1 holds a 住民票コード (11 digits of person P001: *******4321)"
                .to_owned()
        ),
        "{messages:?}"
    );
}

#[test]
fn optional_content_is_found_and_its_hidden_text_too() {
    let pdf = build(
        "/OC /L1 BDC BT /F1 10 Tf 72 700 Td (layer) Tj ET EMC",
        |doc, catalog_id, page_id| {
            let ocg = doc.add_object(dictionary! {
                "Type" => "OCG", "Name" => Object::string_literal("draft"),
            });
            catalog(doc, catalog_id).set(
                "OCProperties",
                dictionary! {
                    "OCGs" => vec![ocg.into()],
                    "D" => dictionary! { "OFF" => vec![ocg.into()] },
                },
            );
            let resources = doc
                .get_dictionary(page_id)
                .and_then(|p| p.get(b"Resources"))
                .and_then(Object::as_reference)
                .expect("resources");
            doc.get_dictionary_mut(resources)
                .expect("resources")
                .set("Properties", dictionary! { "L1" => ocg });
        },
    );
    let found = scan_ok(&pdf);
    assert!(found.contains(&Finding::OptionalContent(Place::Catalog(
        "OCProperties".into()
    ))));
    assert!(found.contains(&Finding::HiddenText {
        page: 1,
        why: Hidden::OptionalContentOff,
        text: "layer".into()
    }));
}

#[test]
fn the_page_text_is_what_paper_shows() {
    let pdf = build(
        "BT /F1 10 Tf 72 700 Td (No. 42) Tj 0 -12 Td (1/1) Tj ET \
         BT /F1 10 Tf 1 1 1 rg 72 600 Td (white) Tj ET",
        |_, _, _| {},
    );
    let reading = read(&pdf, &watch()).expect("the file parses");
    assert_eq!(reading.pages, vec!["No. 42\n1/1\n".to_owned()]);
    assert_eq!(
        reading.findings,
        scan_ok(&pdf),
        "one pass finds what the scan finds"
    );
}
