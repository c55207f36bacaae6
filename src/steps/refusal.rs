//! 断り steps: a refusal is 422 not-issuable with the fixed message and tells no
//! reason; refusals for different reasons (an unknown card among them) are byte for byte
//! the same; and nothing the scenario recorded names a protected reason (DV等支援措置).

use cucumber::{given, then, when};
use kofu_profile::error::NOT_ISSUABLE_MESSAGE;

use super::menu::claims_for;
use super::options;
use super::params::Certificate;
use crate::checks::{expect_eq, fail, fail_diff};
use crate::world::{KofuWorld, LastAnswer};

#[then(expr = "交付は断られ、窓口への案内だけが返る")]
fn refused_generic(world: &mut KofuWorld) {
    let actual = match &world.answers.last {
        Some(LastAnswer::Refused { status, error }) => {
            (*status, error.code.code().to_owned(), error.message.clone())
        }
        other => fail(
            "refusal: the request must be refused with not-issuable",
            format!("last answer: {}", crate::checks::shown(other)),
            &world.evidence_dir,
        ),
    };
    expect_eq(
        "refusal: a personal refusal is 422 not-issuable with the fixed message, revealing no reason",
        &(
            422,
            "not-issuable".to_owned(),
            NOT_ISSUABLE_MESSAGE.to_owned(),
        ),
        &actual,
        &world.evidence_dir,
    );
}

/// A card the fixtures do not know: its serial maps to no one.
const UNKNOWN_SERIAL: &str = "7E57C0DE00000001";

/// [`UNKNOWN_SERIAL`], checked to be unknown to the fixtures.
fn unknown_serial(world: &KofuWorld) -> String {
    if world
        .rig()
        .fixtures
        .card_by_serial(UNKNOWN_SERIAL)
        .is_some()
    {
        panic!("the fixtures now use the serial {UNKNOWN_SERIAL} the scenario needs unknown");
    }
    UNKNOWN_SERIAL.to_owned()
}

#[given(expr = "未登録のカードを置く")]
fn place_unknown_card(world: &mut KofuWorld) {
    world.scene.card = Some(kofu_fixtures::Card {
        id: "未登録".to_owned(),
        serial: unknown_serial(world),
        person: String::new(),
        pin: "0000".to_owned(),
        state: kofu_fixtures::CardState::Valid,
        reserved_for: None,
    });
}

#[when(expr = "カード {string} で {certificate} を 1 通直接請求し、応答を控える")]
async fn keep_raw_refusal(world: &mut KofuWorld, card: String, name: Certificate) {
    let serial = if card == "未登録" {
        unknown_serial(world)
    } else {
        world
            .rig()
            .fixtures
            .card(&card)
            .unwrap_or_else(|| panic!("no fixture card `{card}`"))
            .serial
            .clone()
    };
    let code = world.municipality_code();
    let claims = claims_for(world, &code);
    let t = name.0;
    let req = kofu_profile::issuance::IssuanceRequest {
        reception: world.reception(),
        card_serial: serial,
        certificate: t,
        options: options::for_unshown_type(&claims, t),
        copies: 1,
    };
    let body = serde_json::to_vec(&req).unwrap_or_else(|e| panic!("cannot encode: {e}"));
    let client = world.candidate();
    let headers = client.profile_headers(true);
    let path = kofu_profile::paths::issuances(&code);
    match client
        .raw("issue", reqwest::Method::POST, &path, headers, Some(body))
        .await
    {
        Ok(raw) => {
            world.answers.last = Some(LastAnswer::Raw(raw.clone()));
            world
                .answers
                .kept_answers
                .push((format!("card {card}: {t}"), raw));
        }
        Err(e) => fail(
            "refusal: the candidate did not answer",
            crate::steps::error_chain(&e),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "控えた応答は、状態・ヘッダ・本文がバイト単位まで同じ not-issuable である")]
fn kept_identical(world: &mut KofuWorld) {
    let kept = world.answers.kept_answers.clone();
    let Some((first_label, first)) = kept.first() else {
        panic!("no answer was kept (… 応答を控える)");
    };
    // Headers that legitimately vary between two answers.
    let comparable = |raw: &kofu_mock_center::client::RawResponse| {
        let mut h: Vec<(String, String)> = raw
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("date"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        h.sort();
        (
            raw.status,
            h,
            String::from_utf8_lossy(&raw.body).into_owned(),
        )
    };
    let body: Option<kofu_profile::ErrorBody> = serde_json::from_slice(&first.body).ok();
    expect_eq(
        &format!("refusal ({first_label}): 422 not-issuable with the fixed message"),
        &(
            422,
            Some(("not-issuable".to_owned(), NOT_ISSUABLE_MESSAGE.to_owned())),
        ),
        &(
            first.status,
            body.map(|b| (b.code.code().to_owned(), b.message)),
        ),
        &world.evidence_dir,
    );
    for (label, raw) in kept.iter().skip(1) {
        if raw.body != first.body {
            fail_diff(
                &format!(
                    "refusal: the body for {label} must be byte for byte the body for {first_label}"
                ),
                &String::from_utf8_lossy(&first.body).into_owned(),
                &String::from_utf8_lossy(&raw.body).into_owned(),
                &world.evidence_dir,
            );
        }
        expect_eq(
            &format!(
                "refusal: status and headers (but Date) for {label} must be those for {first_label}"
            ),
            &comparable(first),
            &comparable(raw),
            &world.evidence_dir,
        );
    }
}

/// Words that would tell a protected reason.
const PROTECTED_WORDS: [&str; 3] = ["DV", "支援措置", "protected"];

fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                json_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
}

#[then(expr = "この試験の証拠に保護の理由を示す語は現れない")]
fn evidence_tells_no_reason(world: &mut KofuWorld) {
    let mut files = Vec::new();
    json_files(&world.evidence_dir, &mut files);
    if files.is_empty() {
        fail(
            "evidence: the scenario recorded no exchange to inspect",
            world.evidence_dir.display(),
            &world.evidence_dir,
        );
    }
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for word in PROTECTED_WORDS {
            if text.contains(word) {
                found.push(format!("{}: `{word}`", f.display()));
            }
        }
    }
    if !found.is_empty() {
        fail(
            "refusal: nothing the candidate answered may tell a protected reason (DV等支援措置)",
            found.join("\n"),
            &world.evidence_dir,
        );
    }
}
