//! Round trips of every wire type (value -> JSON -> value), the exact JSON spelling of the
//! details a server must match, and the agreement of the samples with the generated JSON
//! Schemas.

mod common;

use std::collections::BTreeSet;
use std::fmt::Debug;

use common::samples;
use kofu_profile::content::Content;
use kofu_profile::issuance::IssuanceRequest;
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::{CopyOutcome, CopyState, Outcome, OutcomeReport};
use kofu_profile::registration::{RegistrationRequest, RegistrationStatus};
use kofu_profile::{CertificateType, ErrorBody, ErrorCode, IssuanceOptions, Reception, Scope};
use pretty_assertions::assert_eq;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

/// Serialize, deserialize, compare; and the same through a JSON string.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let json = serde_json::to_value(value).expect("serialize");
    let back: T =
        serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("deserialize {json}: {e}"));
    assert_eq!(&back, value);
    let text = serde_json::to_string(value).expect("serialize to string");
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {text}: {e}"));
    assert_eq!(&back, value);
}

fn round_trip_all<T: Serialize + DeserializeOwned + PartialEq + Debug>(values: &[T]) {
    assert!(!values.is_empty());
    values.iter().for_each(round_trip);
}

#[test]
fn reception() {
    round_trip(&samples::reception());
}

#[test]
fn identity() {
    let identity = samples::identity();
    round_trip(&identity);
    round_trip(&identity.implementation);
}

#[test]
fn menu() {
    round_trip(&samples::menu_request());
    round_trip_all(&samples::menus());
    round_trip(&samples::juminhyo_item());
    round_trip(&samples::kazei_item());
    round_trip(&samples::member("R001", "桜井 太郎"));
}

#[test]
fn issuance() {
    round_trip_all(&samples::options());
    round_trip_all(&samples::issuance_requests());
    round_trip_all(&samples::issuances());
    round_trip(&samples::document());
}

#[test]
fn content() {
    round_trip_all(&samples::contents());
    round_trip(&samples::resident_record());
    round_trip_all(&samples::resident_record().persons);
    round_trip(&samples::seal_registration());
    round_trip(&samples::tax_record());
    round_trip(&samples::family_register());
    round_trip_all(&samples::family_register().persons);
    round_trip(&samples::family_register_annex());
    round_trip_all(&samples::family_register_annex().persons);
}

#[test]
fn outcome_and_records() {
    round_trip(&samples::outcome_report());
    round_trip_all(&samples::outcome_report().copies);
    round_trip_all(&[Outcome::Confirmed, Outcome::Cancelled]);
    round_trip_all(&[
        CopyState::Pending,
        CopyState::Confirmed,
        CopyState::Cancelled,
    ]);
    round_trip(&samples::issuance_record());
    round_trip(&samples::records());
}

#[test]
fn registration() {
    round_trip(&samples::registration_request());
    round_trip_all(&samples::registrations());
    round_trip_all(&[
        RegistrationStatus::None,
        RegistrationStatus::Pending,
        RegistrationStatus::Approved,
        RegistrationStatus::Rejected,
    ]);
}

#[test]
fn register_feed() {
    round_trip_all(&samples::register_events());
    round_trip_all(&samples::register_changes());
    round_trip_all(&samples::register_event_receipts());
}

#[test]
fn errors_and_codes() {
    round_trip_all(&samples::error_bodies());
    round_trip_all(&ErrorCode::ALL);
    round_trip_all(&CertificateType::ALL);
    round_trip_all(&[Scope::Holder, Scope::Household, Scope::Members]);
}

// ------------------------------------------------------------------------------------
// The exact JSON spelling
// ------------------------------------------------------------------------------------

#[test]
fn times_keep_the_jst_offset_and_dates_are_plain() {
    let json = serde_json::to_value(samples::reception()).unwrap();
    assert_eq!(json["reception_time"], "2026-11-26T10:00:00+09:00");
    let record = serde_json::to_value(samples::issuance_record()).unwrap();
    assert_eq!(record["reception_time"], "2026-11-26T07:30:00+09:00");
    assert_eq!(record["business_date"], "2026-11-26");
    let issuance = serde_json::to_value(&samples::issuances()[0]).unwrap();
    assert_eq!(issuance["issue_date"], "2026-11-26");
}

#[test]
fn enum_spellings() {
    assert_eq!(
        serde_json::to_value([Scope::Holder, Scope::Household, Scope::Members]).unwrap(),
        json!(["self", "household", "members"])
    );
    assert_eq!(
        serde_json::to_value([
            CopyState::Pending,
            CopyState::Confirmed,
            CopyState::Cancelled
        ])
        .unwrap(),
        json!(["pending", "confirmed", "cancelled"])
    );
    let kinds: Vec<Value> = samples::contents()
        .iter()
        .map(|c| serde_json::to_value(c).unwrap()["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        vec![
            json!("resident-record"),
            json!("seal-registration"),
            json!("tax"),
            json!("family-register"),
            json!("family-register-annex")
        ]
    );
}

#[test]
fn absent_options_are_omitted_and_defaulted() {
    assert_eq!(
        serde_json::to_value(IssuanceOptions::default()).unwrap(),
        json!({})
    );
    let item = serde_json::to_value(samples::plain_item(CertificateType::Inkan, 200, 10)).unwrap();
    assert_eq!(
        item,
        json!({"certificate": "inkan", "fee": 200, "max_copies": 10})
    );
    let menu = serde_json::to_value(&samples::menus()[3]).unwrap();
    assert_eq!(menu, json!({"municipality": "990001", "items": []}));

    // `options` may be left out of an issuance request; it then means no options.
    let mut request = serde_json::to_value(&samples::issuance_requests()[0]).unwrap();
    assert_eq!(request["options"], json!({}));
    request.as_object_mut().unwrap().remove("options");
    let parsed: IssuanceRequest = serde_json::from_value(request).unwrap();
    assert_eq!(parsed.options, IssuanceOptions::default());

    // Optional content fields are absent, not null, when not shown.
    let person = serde_json::to_value(&samples::resident_record().persons[2]).unwrap();
    for key in ["relationship", "honseki", "hittosha", "foreign"] {
        assert!(person.get(key).is_none(), "{key} must be absent");
    }
}

#[test]
fn content_tag_matches_the_struct() {
    let json = serde_json::to_value(Content::Tax(samples::tax_record())).unwrap();
    let mut expected = serde_json::to_value(samples::tax_record()).unwrap();
    expected["kind"] = json!("tax");
    assert_eq!(json, expected);
}

#[test]
fn error_body_of_not_issuable_is_fixed() {
    let body = ErrorBody::new(ErrorCode::NotIssuable, "DV等支援措置");
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"code": "not-issuable", "message": kofu_profile::error::NOT_ISSUABLE_MESSAGE})
    );
}

fn rejects_unknown_field<T: Serialize + DeserializeOwned + Debug>(value: &T, pointer: &str) {
    let mut json = serde_json::to_value(value).unwrap();
    json.pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("{pointer} is an object"))
        .insert("surprise".into(), json!(1));
    assert!(
        serde_json::from_value::<T>(json.clone()).is_err(),
        "{} accepted an unknown field at `{pointer}`: {json}",
        std::any::type_name::<T>()
    );
}

#[test]
fn request_types_reject_unknown_fields() {
    rejects_unknown_field::<Reception>(&samples::reception(), "");
    rejects_unknown_field::<MenuRequest>(&samples::menu_request(), "");
    rejects_unknown_field::<MenuRequest>(&samples::menu_request(), "/reception");
    let request = &samples::issuance_requests()[1];
    rejects_unknown_field::<IssuanceRequest>(request, "");
    rejects_unknown_field::<IssuanceRequest>(request, "/options");
    rejects_unknown_field::<IssuanceOptions>(&request.options, "");
    rejects_unknown_field::<OutcomeReport>(&samples::outcome_report(), "");
    rejects_unknown_field::<OutcomeReport>(&samples::outcome_report(), "/copies/0");
    rejects_unknown_field::<CopyOutcome>(&samples::outcome_report().copies[0], "");
    rejects_unknown_field::<RegistrationRequest>(&samples::registration_request(), "");
}

#[test]
fn menu_without_registration_state_parses() {
    let menu: Menu =
        serde_json::from_value(json!({"municipality": "990002", "items": []})).unwrap();
    assert_eq!(menu.koseki_registration, None);
}

// ------------------------------------------------------------------------------------
// Samples against the generated JSON Schemas
// ------------------------------------------------------------------------------------

/// Every schema in `components()` has a sample, and every sample names a schema.
#[test]
fn every_schema_has_a_sample() {
    let schemas: BTreeSet<String> = kofu_profile::schema::components().keys().cloned().collect();
    let sampled: BTreeSet<String> = samples::as_json()
        .into_iter()
        .map(|(_, schema, _)| schema)
        .collect();
    assert_eq!(sampled, schemas);
}

/// The samples validate against the generated schemas (Python `jsonschema`, draft
/// 2020-12): what serde writes, the schemas accept.
#[test]
fn samples_validate_against_the_schemas() {
    if !common::validator_installed() {
        return;
    }
    let schemas = Value::Object(kofu_profile::schema::components());
    if let Err(e) = common::validate_with_jsonschema(&schemas, &samples::as_json()) {
        panic!("samples violate the generated schemas:\n{e}");
    }
}

/// The schema check is not vacuous: what serde refuses, the schemas refuse too.
#[test]
fn schemas_reject_what_serde_rejects() {
    if !common::validator_installed() {
        return;
    }
    let schemas = Value::Object(kofu_profile::schema::components());
    let mut unknown_field = serde_json::to_value(&samples::issuance_requests()[1]).unwrap();
    unknown_field["options"]["surprise"] = json!(true);
    let mut missing = serde_json::to_value(samples::menu_request()).unwrap();
    missing.as_object_mut().unwrap().remove("card_serial");
    let mut bad_date = serde_json::to_value(samples::records()).unwrap();
    bad_date["from"] = json!("2026-13-01");
    let bad: Vec<(String, String, Value)> = vec![
        (
            "unknown option".into(),
            "IssuanceRequest".into(),
            unknown_field,
        ),
        ("no card".into(), "MenuRequest".into(), missing),
        ("month 13".into(), "Records".into(), bad_date),
        ("scope".into(), "Scope".into(), json!("everyone")),
        ("code".into(), "ErrorCode".into(), json!("teapot")),
    ];
    for (label, schema, value) in bad {
        assert!(
            serde_json::from_value::<Value>(value.clone()).is_ok(),
            "{label} is JSON"
        );
        let one = [(label.clone(), schema, value)];
        assert!(
            common::validate_with_jsonschema(&schemas, &one).is_err(),
            "the schema accepted `{label}`"
        );
    }
}
