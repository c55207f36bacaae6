//! Defect `feed-unknown-fields-ignored`: a register event bound leniently, the way a
//! JSON binding that ignores unknown members reads it.

use serde_json::{Map, Value};

/// The fields of each change kind, `kind` included.
fn change_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "moved-in" | "household-changed" => {
            &["kind", "person", "household", "relationship", "date"]
        }
        "moved-out" => &["kind", "person", "date", "new_address"],
        "died" => &["kind", "person", "date"],
        "household-head-changed" => &["kind", "household", "head", "relationships"],
        "name-changed" => &["kind", "person", "name", "kana"],
        "seal-registered" => &["kind", "person", "seal_number"],
        "seal-abolished" | "dv-started" | "dv-ended" => &["kind", "person"],
        "tax-corrected" => &[
            "kind",
            "person",
            "fiscal_year",
            "total_income",
            "municipal_tax",
            "prefectural_tax",
        ],
        "registration-decided" => &["kind", "registration_id", "decision"],
        _ => &[],
    }
}

/// Drop every member a register event does not define: at the top level, in `change`
/// (by its kind) and in each `relationships` entry. An unknown kind is left as it is.
pub fn drop_unknown_event_fields(event: &mut Map<String, Value>) {
    event.retain(|k, _| matches!(k.as_str(), "event_id" | "effective_at" | "change"));
    let Some(Value::Object(change)) = event.get_mut("change") else {
        return;
    };
    let kind = change
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let fields = change_fields(&kind);
    if fields.is_empty() {
        return;
    }
    change.retain(|k, _| fields.contains(&k.as_str()));
    if let Some(Value::Array(members)) = change.get_mut("relationships") {
        for member in members.iter_mut().filter_map(Value::as_object_mut) {
            member.retain(|k, _| matches!(k.as_str(), "person" | "relationship"));
        }
    }
}
