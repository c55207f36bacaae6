//! Requests kofu shapes on purpose to test how strictly the candidate reads them: a
//! field the schema does not define, a required field missing, a field of the wrong
//! type, and optional fields omitted or sent at their defaults (profile, JSON).

use cucumber::{then, when};
use kofu_profile::{CertificateType, IssuanceOptions, Scope};
use serde_json::Value;

use super::connection::send_raw;
use crate::checks::fail;
use crate::world::{KofuWorld, LastAnswer};

/// A plain request of `certificate` (住民票 types: 本人のみ) for 1 copy, as JSON.
fn plain_request(world: &KofuWorld, certificate: CertificateType) -> Value {
    let resident_record = matches!(
        certificate,
        CertificateType::Juminhyo | CertificateType::JuminhyoKisai
    );
    let options = IssuanceOptions {
        scope: resident_record.then_some(Scope::Holder),
        ..Default::default()
    };
    serde_json::to_value(world.issuance_request(certificate, options, 1)).unwrap_or(Value::Null)
}

/// Change a request as the scenario says; `None` for a way the step does not know.
fn reshape(mut request: Value, how: &str) -> Option<Value> {
    let object = request.as_object_mut()?;
    match how {
        "定義にない項目を加えたもの" => {
            object.insert("purpose".into(), Value::from("就職"));
        }
        "選択肢に定義にない項目を加えたもの" => {
            object
                .get_mut("options")?
                .as_object_mut()?
                .insert("language".into(), Value::from("en"));
        }
        "必須の項目 certificate を欠いたもの" => {
            object.remove("certificate");
        }
        "部数を文字列にしたもの" => {
            object.insert("copies".into(), Value::from("1"));
        }
        _ => return None,
    }
    Some(request)
}

async fn send(world: &mut KofuWorld, operation: &str, request: &Value) {
    let path = kofu_profile::paths::issuances(&world.municipality_code());
    let body = serde_json::to_vec(request).unwrap_or_default();
    send_raw(world, operation, &path, body).await;
}

#[when(expr = "住民票の写しの交付要求を {string} にして送る")]
async fn send_reshaped(world: &mut KofuWorld, how: String) {
    let request = plain_request(world, CertificateType::Juminhyo);
    let Some(request) = reshape(request, &how) else {
        fail(
            "request shape: the scenario names a change the step does not know",
            format!("`{how}`"),
            &world.evidence_dir,
        )
    };
    send(world, "reshaped-issuance", &request).await;
}

#[when(expr = "選択肢 options を省いて印鑑登録証明書を 1 通請求する")]
async fn send_without_options(world: &mut KofuWorld) {
    let mut request = plain_request(world, CertificateType::Inkan);
    if let Some(object) = request.as_object_mut() {
        object.remove("options");
    }
    send(world, "issuance-without-options", &request).await;
}

#[when(expr = "表示しない選択肢を false と明示して住民票の写しを 1 通請求する")]
async fn send_explicit_defaults(world: &mut KofuWorld) {
    let mut request = plain_request(world, CertificateType::Juminhyo);
    if let Some(options) = request.get_mut("options").and_then(Value::as_object_mut) {
        options.insert("show_relationship".into(), Value::Bool(false));
        options.insert("show_honseki".into(), Value::Bool(false));
    }
    send(world, "issuance-with-explicit-defaults", &request).await;
}

#[then(expr = "交付要求は HTTP 201 で受け付けられる")]
fn accepted_with_201(world: &mut KofuWorld) {
    let Some(LastAnswer::Raw(raw)) = &world.answers.last else {
        fail(
            "JSON: the request must be answered",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        )
    };
    let problems = kofu_mock_center::client::answer_problems(raw);
    if raw.status == 201 && problems.is_empty() {
        return;
    }
    fail(
        "JSON: an omitted optional field and its default are accepted alike (an omitted \
         `options` means `{}`): the request is issued, 201 Created",
        if problems.is_empty() {
            format!(
                "HTTP {}: {}",
                raw.status,
                String::from_utf8_lossy(&raw.body[..raw.body.len().min(300)])
            )
        } else {
            format!("HTTP {}: {}", raw.status, problems.join("; "))
        },
        &world.evidence_dir,
    )
}
