//! Unit tests of the forensic scan: strings, metadata, annotations, forms, embedded
//! files, actions, encryption and character references.

mod invisible;

use super::*;
use lopdf::{Stream, StringFormat, dictionary};

fn watch() -> Watch {
    Watch {
        stated: vec!["Yamada Taro".into(), "東京都青葉台市一丁目".into()],
        persons: vec![
            Watched {
                id: "P001".into(),
                name: "Yamada Taro".into(),
                individual_number: "123456789012".into(),
                resident_code: "10987654321".into(),
            },
            Watched {
                id: "P002".into(),
                name: "鈴木 花子".into(),
                individual_number: "210987654321".into(),
                resident_code: "55566677788".into(),
            },
        ],
    }
}

/// A PDF with one A4 page drawing `content` in Helvetica; `extra` adds to it.
fn build(content: &str, extra: impl FnOnce(&mut Document, ObjectId, ObjectId)) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.28.into(), 841.89.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ],
    );
    extra(&mut doc, catalog_id, page_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

const VISIBLE: &str = "BT /F1 10 Tf 0 g 72 700 Td (Yamada Taro) Tj ET";

fn utf16(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        bytes.extend(u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn scan_ok(bytes: &[u8]) -> Vec<Finding> {
    scan(bytes, &watch()).expect("a readable PDF")
}

fn catalog(doc: &mut Document, id: ObjectId) -> &mut Dictionary {
    doc.get_dictionary_mut(id).expect("catalog")
}

#[test]
fn a_plain_certificate_has_no_findings() {
    assert_eq!(scan_ok(&build(VISIBLE, |_, _, _| {})), vec![]);
}

#[test]
fn the_stated_person_and_stated_values_are_allowed() {
    let pdf = build(VISIBLE, |doc, _, _| {
        let info = doc.add_object(dictionary! {
            "Title" => utf16("住民票の写し Yamada Taro"),
            "Subject" => utf16("東京都青葉台市一丁目"),
        });
        doc.trailer.set("Info", info);
    });
    assert_eq!(scan_ok(&pdf), vec![]);
}

#[test]
fn a_personal_number_in_the_keywords_is_found_and_masked() {
    let pdf = build(VISIBLE, |doc, _, _| {
        let info = doc.add_object(dictionary! {
            "Keywords" => Object::string_literal("mynumber 123456789012"),
        });
        doc.trailer.set("Info", info);
    });
    let found = scan_ok(&pdf);
    assert_eq!(
        found,
        vec![Finding::IndividualNumber {
            person: "P001".into(),
            masked: "********9012".into(),
            place: Place::Info("Keywords".into()),
        }]
    );
    let message = found[0].to_string();
    assert_eq!(
        message,
        "the document information's /Keywords holds a 個人番号 (12 digits of person P001: ********9012)"
    );
    assert!(!message.contains("123456789012"));
}

#[test]
fn a_utf16_author_naming_another_person_is_found() {
    let pdf = build(VISIBLE, |doc, _, _| {
        let info = doc.add_object(dictionary! { "Author" => utf16("鈴木花子") });
        doc.trailer.set("Info", info);
    });
    assert_eq!(
        scan_ok(&pdf),
        vec![Finding::OtherPerson {
            person: "P002".into(),
            name: "鈴木 花子".into(),
            place: Place::Info("Author".into()),
        }]
    );
}

#[test]
fn a_grouped_resident_code_in_xmp_is_found() {
    let xmp = "<x:xmpmeta><dc:description>1098 7654 321 &#x9234;&#26408;花子</dc:description></x:xmpmeta>";
    let pdf = build(VISIBLE, |doc, catalog_id, _| {
        let id = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.as_bytes().to_vec(),
        ));
        catalog(doc, catalog_id).set("Metadata", id);
    });
    let found = scan_ok(&pdf);
    assert!(
        found.iter().any(|f| matches!(f, Finding::ResidentCode { person, place: Place::Xmp(_), .. } if person == "P001")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|f| matches!(f, Finding::OtherPerson { person, place: Place::Xmp(_), .. } if person == "P002")),
        "{found:?}"
    );
}

#[test]
fn full_width_digits_are_numbers_too() {
    assert_eq!(
        digit_runs("番号：１２３４５６７８９０１２"),
        vec!["123456789012"]
    );
    assert_eq!(digit_runs("1234 5678 9012"), vec!["123456789012"]);
    assert_eq!(digit_runs("1234  5678 9012"), Vec::<String>::new());
    assert_eq!(digit_runs("13101-20261201-000001"), Vec::<String>::new());
    assert_eq!(mask("10987654321"), "*******4321");
}

#[test]
fn an_annotation_naming_another_person_is_found() {
    let pdf = build(VISIBLE, |doc, _, page_id| {
        let annot = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Text",
            "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "Contents" => utf16("前回の申請者 鈴木 花子"),
            "T" => Object::string_literal("operator"),
        });
        doc.get_dictionary_mut(page_id)
            .expect("page")
            .set("Annots", vec![annot.into()]);
    });
    let found = scan_ok(&pdf);
    assert_eq!(
        found,
        vec![Finding::OtherPerson {
            person: "P002".into(),
            name: "鈴木 花子".into(),
            place: Place::Annotation {
                page: Some(1),
                subtype: "Text".into(),
                key: "Contents".into()
            },
        }]
    );
    assert_eq!(
        found[0].to_string(),
        "the /Contents of a /Text annotation on page 1 names 鈴木 花子 (person P002), whom the certificate does not state"
    );
}

#[test]
fn a_form_with_a_filled_field_is_found() {
    let pdf = build(VISIBLE, |doc, catalog_id, page_id| {
        let field = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
            "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "T" => Object::string_literal("kojin_bango"),
            "V" => Object::string_literal("210987654321"),
        });
        doc.get_dictionary_mut(page_id)
            .expect("page")
            .set("Annots", vec![field.into()]);
        let form = doc.add_object(dictionary! { "Fields" => vec![field.into()] });
        catalog(doc, catalog_id).set("AcroForm", form);
    });
    let found = scan_ok(&pdf);
    assert!(found.contains(&Finding::Form(Place::Catalog("AcroForm".into()))));
    assert!(
        found
            .iter()
            .any(|f| matches!(f, Finding::IndividualNumber { person, .. } if person == "P002")),
        "{found:?}"
    );
}

#[test]
fn an_embedded_file_is_found_with_what_it_holds() {
    let pdf = build(VISIBLE, |doc, catalog_id, _| {
        let file = doc.add_object(Stream::new(
            dictionary! { "Type" => "EmbeddedFile" },
            "id,name,number\nP002,鈴木 花子,210987654321\n"
                .as_bytes()
                .to_vec(),
        ));
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec", "F" => Object::string_literal("export.csv"),
            "EF" => dictionary! { "F" => file },
        });
        let tree = doc.add_object(dictionary! {
            "Names" => vec![Object::string_literal("export.csv"), spec.into()],
        });
        catalog(doc, catalog_id).set("Names", dictionary! { "EmbeddedFiles" => tree });
    });
    let found = scan_ok(&pdf);
    assert!(found.contains(&Finding::EmbeddedFile(Place::Catalog(
        "Names /EmbeddedFiles".into()
    ))));
    assert!(
        found.iter().any(|f| matches!(
            f,
            Finding::IndividualNumber {
                place: Place::EmbeddedFile(_),
                ..
            }
        )),
        "{found:?}"
    );
}

#[test]
fn an_open_action_running_javascript_is_found() {
    let pdf = build(VISIBLE, |doc, catalog_id, _| {
        let js = doc.add_object(dictionary! {
            "Type" => "Action", "S" => "JavaScript",
            "JS" => Object::string_literal("app.alert('hi')"),
        });
        catalog(doc, catalog_id).set("OpenAction", js);
    });
    let found = scan_ok(&pdf);
    assert!(found.contains(&Finding::OpenAction), "{found:?}");
    assert!(
        found.iter().any(|f| matches!(f, Finding::JavaScript(_))),
        "{found:?}"
    );
}

#[test]
fn a_javascript_name_tree_and_additional_actions_are_found() {
    let pdf = build(VISIBLE, |doc, catalog_id, page_id| {
        let tree = doc.add_object(dictionary! { "Names" => vec![] });
        let c = catalog(doc, catalog_id);
        c.set("Names", dictionary! { "JavaScript" => tree });
        doc.get_dictionary_mut(page_id).expect("page").set(
            "AA",
            dictionary! { "O" => dictionary! { "S" => "Launch", "F" => Object::string_literal("cmd.exe") } },
        );
    });
    let found = scan_ok(&pdf);
    assert!(found.contains(&Finding::JavaScript(Place::Catalog(
        "Names /JavaScript".into()
    ))));
    assert!(
        found
            .iter()
            .any(|f| matches!(f, Finding::AdditionalActions(_))),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| matches!(f, Finding::ExternalAction { action, .. } if action == "Launch")),
        "{found:?}"
    );
}

#[test]
fn a_uri_link_is_found_and_an_internal_link_is_not() {
    let link = |action: Dictionary| {
        build(VISIBLE, move |doc, _, page_id| {
            let annot = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Link",
                "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "A" => action,
            });
            doc.get_dictionary_mut(page_id)
                .expect("page")
                .set("Annots", vec![annot.into()]);
        })
    };
    let found = scan_ok(&link(dictionary! {
        "S" => "URI", "URI" => Object::string_literal("https://example.com/track"),
    }));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(matches!(&found[0], Finding::ExternalAction { action, .. } if action == "URI"));
    assert_eq!(
        scan_ok(&link(dictionary! { "S" => "GoTo", "D" => vec![0.into()] })),
        vec![]
    );
}

#[test]
fn an_encrypted_file_is_found() {
    let plain = build(VISIBLE, |_, _, _| {});
    let mut doc = Document::load_mem(&plain).expect("load");
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "",
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    };
    let state = lopdf::EncryptionState::try_from(version).expect("state");
    doc.encrypt(&state).expect("encrypt");
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    assert!(scan_ok(&bytes).contains(&Finding::Encrypted));
    assert!(!scan_ok(&plain).contains(&Finding::Encrypted));
}

#[test]
fn xml_character_references_are_decoded() {
    assert_eq!(
        xml_char_refs("&#x9234;&#26408;&amp;&#xZZ;"),
        "鈴木&amp;&#xZZ;"
    );
}
