//! 通信規約 steps: requests kofu sends on purpose to probe a rule of the wire rather
//! than a resident's choice: a request id reused with another body, a refused request
//! retried with a corrected body, a records query with a missing, unparseable or
//! reversed period (sent as raw bytes, since the typed client cannot get them wrong).

use cucumber::{then, when};
use kofu_profile::issuance::IssuanceRequest;

use super::error_chain;
use super::issuance::send;
use crate::checks::fail;
use crate::world::{KofuWorld, LastAnswer};

/// The last issuance request sent, answered or refused; none is a scenario error.
fn sent(world: &KofuWorld) -> IssuanceRequest {
    match &world.answers.sent {
        Some(req) => req.clone(),
        None => panic!("no issuance was requested before the resend"),
    }
}

/// The claimed `max_copies` of the chosen certificate in the municipality under test.
fn max_copies(world: &KofuWorld) -> u8 {
    let code = world.municipality_code();
    let certificate = world
        .choice
        .certificate
        .unwrap_or_else(|| panic!("the scenario chose no certificate (証明書 … を選ぶ)"));
    world
        .rig()
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .and_then(|m| m.offer(certificate))
        .map(|o| o.max_copies)
        .unwrap_or_else(|| panic!("municipality {code} claims no offer of {certificate}"))
}

#[when(expr = "部数の上限より 1 通多く請求する")]
async fn request_too_many(world: &mut KofuWorld) {
    let certificate = world
        .choice
        .certificate
        .unwrap_or_else(|| panic!("the scenario chose no certificate (証明書 … を選ぶ)"));
    let copies = max_copies(world).saturating_add(1);
    let req = world.issuance_request(certificate, world.choice.options.clone(), copies);
    send(world, req).await;
}

/// 同じ要求ID: the request id and the rest of the last request sent, with other copies.
/// A request id the candidate answered with an issuance is known with another body
/// now: the answer must be `409 request-id-conflict`, so the request goes raw (no
/// issuance seam judges a wrongly replayed issuance first) and a success fails here.
/// A request id that was refused is not remembered: the request goes as any other.
#[when(expr = "同じ要求IDで部数を {int} 通に変えて再送する")]
async fn resend_with_copies(world: &mut KofuWorld, copies: u8) {
    let mut req = sent(world);
    req.copies = i64::from(copies);
    let request_id = req.reception.request_id;
    let answered = world
        .answers
        .issuances
        .iter()
        .any(|(r, _)| r.reception.request_id == request_id);
    if !answered {
        send(world, req).await;
        return;
    }
    world.answers.sent = Some(req.clone());
    let path = kofu_profile::paths::issuances(&world.municipality_code());
    let client = world.candidate();
    let headers = client.profile_headers(true);
    let body = serde_json::to_vec(&req).unwrap_or_default();
    let result = client
        .raw(
            "issuance-other-body",
            reqwest::Method::POST,
            &path,
            headers,
            Some(body),
        )
        .await;
    let answer = match result {
        Ok(raw) => LastAnswer::Raw(raw),
        Err(e) => LastAnswer::TransportError(error_chain(&e)),
    };
    if let LastAnswer::Raw(raw) = &answer
        && (200..300).contains(&raw.status)
    {
        fail(
            "idempotency: the same request_id with a different body is 409 request-id-conflict",
            format!(
                "request id {request_id} was issued for one body and resent with copies {copies}: expected HTTP 409 request-id-conflict, got HTTP {} with a success body (the remembered answer or a second issuance)",
                raw.status
            ),
            &world.evidence_dir,
        );
    }
    world.answers.last = Some(answer);
}

#[then(expr = "直した要求は新たに評価されて交付される")]
fn evaluated_afresh(world: &mut KofuWorld) {
    let request_id = sent(world).reception.request_id;
    let issued = world
        .answers
        .issuances
        .last()
        .is_some_and(|(_, i)| i.request_id == request_id);
    if !issued || !matches!(world.answers.last, Some(LastAnswer::Ok { status: 201, .. })) {
        fail(
            "idempotency: a request that was refused (any error) is not remembered: a retry is evaluated afresh",
            format!(
                "expected HTTP 201 with an Issuance for request id {request_id}, got: {}",
                crate::checks::shown(&world.answers.last)
            ),
            &world.evidence_dir,
        );
    }
}

/// `GET .../records?{query}` exactly as written in the scenario, e.g. `to=2026-11-26`.
#[when(expr = "記録を照会条件 {string} で要求する")]
async fn query_records(world: &mut KofuWorld, query: String) {
    let path = format!(
        "{}?{query}",
        kofu_profile::paths::records(&world.municipality_code())
    );
    let client = world.candidate();
    let headers = client.profile_headers(false);
    let result = client
        .raw("records", reqwest::Method::GET, &path, headers, None)
        .await;
    world.answers.last = Some(match result {
        Ok(raw) => LastAnswer::Raw(raw),
        Err(e) => LastAnswer::TransportError(error_chain(&e)),
    });
}
