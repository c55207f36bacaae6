//! 接続試験 steps: identity, profile version, transport security, malformed and
//! oversized input, unknown municipalities.

use cucumber::{then, when};
use kofu_profile::{PROFILE_VERSION, VERSION_HEADER, menu::MenuRequest};

use super::{error_chain, keep};
use crate::checks::{expect_eq, fail};
use crate::world::{KofuWorld, LastAnswer};

fn menu_request(world: &KofuWorld) -> MenuRequest {
    let serial = world
        .scene
        .card
        .as_ref()
        .map(|c| c.serial.clone())
        .unwrap_or_else(|| "0000000000000000".into());
    MenuRequest {
        reception: world.reception(),
        card_serial: serial,
    }
}

#[when(expr = "識別情報を要求する")]
async fn ask_identity(world: &mut KofuWorld) {
    let reply = world.candidate().identity().await;
    world.answers.identity = keep(world, reply);
}

#[when(expr = "クライアント証明書なしで識別情報を要求する")]
async fn ask_identity_anonymous(world: &mut KofuWorld) {
    let config = world.rig().candidate.anonymous_client();
    probe_handshake(world, config).await;
}

#[when(expr = "関係のない認証局のクライアント証明書で識別情報を要求する")]
async fn ask_identity_stranger(world: &mut KofuWorld) {
    let config = world.rig().candidate.stranger_client();
    probe_handshake(world, config).await;
}

async fn probe_handshake(world: &mut KofuWorld, config: kofu_mock_center::client::ClientConfig) {
    match world.candidate_with(config).handshake_probe().await {
        Ok(probe) => world.answers.handshake = Some(probe),
        Err(e) => fail(
            "mutual TLS: the handshake probe could not be set up",
            error_chain(&e),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "識別情報のプロファイル版は {string} である")]
fn identity_version(world: &mut KofuWorld, version: String) {
    let identity = identity(world);
    expect_eq(
        "identity: profile_version must be the profile this harness speaks",
        &version,
        &identity.profile_version,
        &world.evidence_dir,
    );
}

#[then(expr = "応答ヘッダのプロファイル版は {string} である")]
fn response_version_header(world: &mut KofuWorld, version: String) {
    let actual = match &world.answers.last {
        Some(LastAnswer::Ok {
            profile_version, ..
        }) => profile_version.clone(),
        Some(LastAnswer::Raw(raw)) => raw
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(VERSION_HEADER))
            .map(|(_, v)| v.clone()),
        other => fail(
            "response header: no successful response to inspect",
            format!("last answer: {}", crate::checks::shown(other)),
            &world.evidence_dir,
        ),
    };
    expect_eq(
        &format!("response header {VERSION_HEADER} must name the profile version"),
        &Some(version),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "識別情報は市区町村プロファイルが主張するすべての団体コードを含む")]
fn identity_lists_claims(world: &mut KofuWorld) {
    let identity = identity(world);
    let mut expected: Vec<String> = world
        .rig()
        .candidate
        .municipalities
        .iter()
        .map(|m| m.code.clone())
        .collect();
    expected.sort();
    let mut served: Vec<String> = identity
        .municipalities
        .iter()
        .filter(|c| expected.contains(c))
        .cloned()
        .collect();
    served.sort();
    expect_eq(
        "identity: every claimed municipality code must be served",
        &expected,
        &served,
        &world.evidence_dir,
    );
}

fn identity(world: &KofuWorld) -> kofu_profile::identity::Identity {
    match (&world.answers.identity, &world.answers.last) {
        (Some(i), _) => i.clone(),
        (None, last) => fail(
            "identity: the candidate did not return its identity",
            format!("last answer: {}", crate::checks::shown(last)),
            &world.evidence_dir,
        ),
    }
}

#[when(expr = "団体コード {string} のメニューを要求する")]
async fn ask_menu_for(world: &mut KofuWorld, code: String) {
    let req = menu_request(world);
    let reply = world.candidate().menu(&code, &req).await;
    world.answers.menu = keep(world, reply);
}

#[when(expr = "プロファイル版 {string} を名乗ってメニューを要求する")]
async fn ask_menu_with_version(world: &mut KofuWorld, version: String) {
    let req = menu_request(world);
    let code = world.municipality_code();
    let mut config = world.rig().candidate.center_client();
    config.profile_version = version;
    let reply = world.candidate_with(config).menu(&code, &req).await;
    world.answers.menu = keep(world, reply);
}

#[when(expr = "壊れた JSON を交付要求として送る")]
async fn send_malformed(world: &mut KofuWorld) {
    let path = kofu_profile::paths::issuances(&world.municipality_code());
    let body = br#"{"reception": {"request_id": "not-a-uuid", "#.to_vec();
    send_raw(world, "malformed-issuance", &path, body).await;
}

#[when(expr = "上限を超える大きさの交付要求を送る")]
async fn send_oversized(world: &mut KofuWorld) {
    let path = kofu_profile::paths::issuances(&world.municipality_code());
    // A well-formed request padded far past the 64 KiB limit: only the size is wrong.
    let mut req = serde_json::to_value(world.issuance_request(
        kofu_profile::CertificateType::Juminhyo,
        kofu_profile::IssuanceOptions {
            scope: Some(kofu_profile::Scope::Holder),
            ..Default::default()
        },
        1,
    ))
    .unwrap_or_default();
    if let Some(r) = req.get_mut("reception").and_then(|r| r.as_object_mut()) {
        r.insert(
            "terminal_id".into(),
            serde_json::Value::String("T".repeat(kofu_profile::MAX_REQUEST_BYTES * 4)),
        );
    }
    let body = serde_json::to_vec(&req).unwrap_or_default();
    send_raw(world, "oversized-issuance", &path, body).await;
}

/// A placeholder the edited field holds until the body is text: the raw JSON replaces it
/// there, so an integer beyond `u64` reaches the candidate exactly as written.
const RAW_SLOT: &str = "__kofu_raw_json__";

#[when(expr = "本人のみの住民票の写し 1 通の交付要求の {string} を {string} にして送る")]
async fn send_edited(world: &mut KofuWorld, field: String, raw_json: String) {
    let req = world.issuance_request(
        kofu_profile::CertificateType::Juminhyo,
        kofu_profile::IssuanceOptions {
            scope: Some(kofu_profile::Scope::Holder),
            ..Default::default()
        },
        1,
    );
    let mut value = serde_json::to_value(&req).unwrap_or_default();
    let mut slot = &mut value;
    for key in field.split('.') {
        let Some(object) = slot.as_object_mut() else {
            panic!("`{field}`: `{key}` is not inside an object of the request");
        };
        slot = object.entry(key).or_insert(serde_json::Value::Null);
    }
    *slot = serde_json::Value::String(RAW_SLOT.into());
    let body = serde_json::to_string(&value)
        .unwrap_or_default()
        .replace(&format!("\"{RAW_SLOT}\""), &raw_json);
    let path = kofu_profile::paths::issuances(&world.municipality_code());
    send_raw(world, "edited-issuance", &path, body.into_bytes()).await;
    // A success is an issuance like any other, so the issuance steps can judge it.
    let issued = match &world.answers.last {
        Some(LastAnswer::Raw(raw)) if (200..300).contains(&raw.status) => {
            serde_json::from_slice::<kofu_profile::issuance::Issuance>(&raw.body)
                .ok()
                .map(|issuance| {
                    let answer = LastAnswer::Ok {
                        status: raw.status,
                        profile_version: raw.header(VERSION_HEADER).map(str::to_owned),
                    };
                    (answer, issuance)
                })
        }
        _ => None,
    };
    if let Some((answer, issuance)) = issued {
        world.answers.last = Some(answer);
        world.answers.issuances.push((req, issuance));
    }
}

pub(super) async fn send_raw(world: &mut KofuWorld, operation: &str, path: &str, body: Vec<u8>) {
    let headers = vec![
        (VERSION_HEADER.to_owned(), PROFILE_VERSION.to_owned()),
        ("content-type".to_owned(), "application/json".to_owned()),
    ];
    let result = world
        .candidate()
        .raw(operation, reqwest::Method::POST, path, headers, Some(body))
        .await;
    world.answers.last = Some(match result {
        Ok(raw) => LastAnswer::Raw(raw),
        Err(e) => LastAnswer::TransportError(error_chain(&e)),
    });
}

#[then(expr = "HTTP {int} でエラーコード {string} が返る")]
fn error_code_returned(world: &mut KofuWorld, status: u16, code: String) {
    let actual = match &world.answers.last {
        Some(LastAnswer::Refused { status, error }) => (*status, error.code.code().to_owned()),
        Some(LastAnswer::Raw(raw)) => {
            let problems = kofu_mock_center::client::answer_problems(raw);
            if !problems.is_empty() {
                fail(
                    "error model: every error answer has the status of its code, the version \
                     header and the body { code, message }",
                    problems.join("\n"),
                    &world.evidence_dir,
                );
            }
            let code = serde_json::from_slice::<kofu_profile::ErrorBody>(&raw.body)
                .map(|b| b.code.code().to_owned())
                .unwrap_or_else(|_| {
                    format!(
                        "<body is not an ErrorBody: {}>",
                        String::from_utf8_lossy(&raw.body[..raw.body.len().min(200)])
                    )
                });
            (raw.status, code)
        }
        Some(LastAnswer::Ok { status, .. }) => (*status, "<success>".to_owned()),
        Some(LastAnswer::TransportError(e)) => (0, format!("<transport error: {e}>")),
        Some(LastAnswer::BrokeProfile { status, detail }) => (
            *status,
            format!("<an answer that breaks the profile: {detail}>"),
        ),
        None => (0, "<no call was made>".to_owned()),
    };
    let check = format!(
        "error model: the profile's answer here is HTTP {status} {code} ({})",
        when_answered(&code)
    );
    expect_eq(&check, &(status, code), &actual, &world.evidence_dir);
}

/// When the profile answers an error code: the "when" column of its error table.
fn when_answered(code: &str) -> &'static str {
    match code {
        "malformed-request" => {
            "the body is not JSON or does not match the schema; a query parameter is missing or unparseable"
        }
        "unsupported-profile-version" => "the Kofu-Profile-Version header is missing or is not 1.2",
        "payload-too-large" => "the body is larger than 65536 bytes",
        "unknown-municipality" => "the path names a municipality code the server does not serve",
        "not-found" => {
            "the path names an issuance or registration id the server does not know (in this municipality)"
        }
        "not-offered" => {
            "the municipality offers this type, scope, display option or fiscal year to nobody; or takes no 利用登録申請"
        }
        "not-issuable" => "any personal reason, never told apart",
        "registration-required" => {
            "戸籍 from a 本籍地 where the holder does not live, without an approved 利用登録申請"
        }
        "invalid-request" => {
            "well-formed but inconsistent: copies out of range, options that do not fit the type, members not on the menu, a bad outcome report, to before from"
        }
        "request-id-conflict" => "the request id was used before with a different body",
        "outcome-conflict" => "the outcome contradicts one already recorded",
        "unavailable" => "the server cannot answer now",
        "internal-error" => "the server failed",
        _ => "not an error code of the profile",
    }
}

#[then(expr = "接続は拒否される")]
fn connection_refused(world: &mut KofuWorld) {
    use kofu_mock_center::client::HandshakeProbe;
    match &world.answers.handshake {
        Some(HandshakeProbe::Refused { alert })
            if crate::checks::tls::REFUSAL_ALERTS.contains(&alert.as_str()) => {}
        other => fail(
            "mutual TLS: a connection without the center's client certificate fails in the TLS \
             handshake, refused by the server with a TLS alert",
            format!(
                "expected one of the alerts {}; {}",
                crate::checks::tls::REFUSAL_ALERTS.join(", "),
                crate::checks::shown(other)
            ),
            &world.evidence_dir,
        ),
    }
}
