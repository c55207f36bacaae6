//! The terminal-facing API of the mock center against a wiremock candidate: cards are
//! checked before anything reaches the candidate, hours are enforced, and a candidate
//! answering garbage gets a clean refusal, never a panic or a hang.

use std::sync::Arc;

use base64::Engine as _;
use kofu_fixtures::Fixtures;
use kofu_mock_center::center::api::{CardPresentation, OpenSession, SessionOpened};
use kofu_mock_center::center::{CenterConfig, Clock, RunningCenter};
use kofu_mock_center::client::ClientConfig;
use kofu_mock_center::jpki::TestJpki;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

struct Rig {
    center: RunningCenter,
    candidate: MockServer,
    jpki: TestJpki,
    http: reqwest::Client,
}

async fn candidate_serving(code: &str) -> MockServer {
    let candidate = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Kofu-Profile-Version", "1.2")
                .set_body_json(json!({
                    "profile_version": "1.2",
                    "implementation": { "name": "mock", "version": "0" },
                    "municipalities": [code]
                })),
        )
        .mount(&candidate)
        .await;
    candidate
}

async fn rig() -> Rig {
    rig_with(candidate_serving("990001").await, Vec::new()).await
}

async fn rig_with(candidate: MockServer, more: Vec<String>) -> Rig {
    kofu_mock_center::install_crypto_provider();
    let fixtures = Arc::new(Fixtures::load_default().expect("fixtures"));
    let jpki = TestJpki::generate(&fixtures).expect("jpki");
    let mut candidates = vec![ClientConfig {
        timeout: std::time::Duration::from_secs(1),
        ..ClientConfig::new(candidate.uri())
    }];
    candidates.extend(more.into_iter().map(ClientConfig::new));
    let center = RunningCenter::start(CenterConfig {
        fixtures,
        candidates,
        jpki_ca_der: jpki.ca_der.clone(),
        validity_url: String::new(),
        clock: Clock::System,
        trust_terminal_clock: true,
        ledger_path: None,
        evidence_dir: None,
    })
    .await
    .expect("center starts");
    Rig {
        center,
        candidate,
        jpki,
        http: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
    }
}

impl Rig {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.center.url))
            .json(&body)
            .send()
            .await
            .expect("center answers");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn open(&self, time: &str) -> (u16, Value) {
        let req = OpenSession {
            operator_code: "OP-A".into(),
            store_id: "OPA-S01".into(),
            terminal_id: "OPA-S01-T01".into(),
            reception_time: Some(chrono::DateTime::parse_from_rfc3339(time).expect("time")),
        };
        self.post("/v1/sessions", serde_json::to_value(req).expect("json"))
            .await
    }

    async fn present(&self, card: &str, pin: &str) -> (String, u16, Value) {
        let (status, opened) = self.open("2026-11-26T10:00:00+09:00").await;
        assert_eq!(status, 200, "{opened}");
        let opened: SessionOpened = serde_json::from_value(opened).expect("opened");
        let challenge = B64.decode(&opened.challenge).expect("b64");
        let card = self.jpki.card(card).expect("card");
        let signature = card.sign_challenge(pin, &challenge).expect("signs");
        let body = CardPresentation {
            certificate: B64.encode(&card.certificate_der),
            signature: B64.encode(signature),
        };
        let id = opened.session_id.to_string();
        let (status, answer) = self
            .post(
                &format!("/v1/sessions/{id}/card"),
                serde_json::to_value(body).expect("json"),
            )
            .await;
        (id, status, answer)
    }
}

#[tokio::test]
async fn revoked_card_never_reaches_the_candidate() {
    let rig = rig().await;
    let (id, status, answer) = rig.present("C101", "7200").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("card-revoked"))
    );
    let (status, _) = rig
        .post(&format!("/v1/sessions/{id}/menu"), json!({}))
        .await;
    assert_eq!(status, 404, "the refused session is closed");
    let received = rig.candidate.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "the candidate was asked: {received:?}");
    rig.center.stop().await;
}

#[tokio::test]
async fn out_of_hours_is_refused_at_open() {
    let rig = rig().await;
    let (status, answer) = rig.open("2026-11-26T06:29:00+09:00").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("out-of-hours"))
    );
    let (status, answer) = rig.open("2026-12-31T12:00:00+09:00").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("year-end-closure"))
    );
    rig.center.stop().await;
}

#[tokio::test]
async fn menu_through_the_center_and_garbage_from_the_candidate() {
    let rig = rig().await;
    Mock::given(method("POST"))
        .and(path("/v1/municipalities/990001/menu"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Kofu-Profile-Version", "1.2")
                .set_body_json(json!({
                    "municipality": "990001",
                    "items": [ { "certificate": "inkan", "fee": 200, "max_copies": 10 } ]
                })),
        )
        .up_to_n_times(1)
        .mount(&rig.candidate)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/municipalities/990001/menu"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{{{ not json"))
        .mount(&rig.candidate)
        .await;
    let (id, status, answer) = rig.present("C001", "3116").await;
    assert_eq!(status, 200, "{answer}");
    let (status, menus) = rig
        .post(&format!("/v1/sessions/{id}/menu"), json!({}))
        .await;
    assert_eq!(status, 200, "{menus}");
    assert_eq!(menus["menus"][0]["items"][0]["certificate"], "inkan");
    let (status, answer) = rig
        .post(&format!("/v1/sessions/{id}/menu"), json!({}))
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (502, Some("candidate-unavailable"))
    );
    rig.center.stop().await;
}

fn menu(code: &str, certificate: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Kofu-Profile-Version", "1.2")
        .set_body_json(json!({
            "municipality": code,
            "items": [ { "certificate": certificate, "fee": 450, "max_copies": 5 } ]
        }))
}

#[tokio::test]
async fn koseki_goes_to_the_municipality_whose_menu_offers_it() {
    let residence = candidate_serving("990001").await;
    let domicile = candidate_serving("990002").await;
    Mock::given(method("POST"))
        .and(path("/v1/municipalities/990001/menu"))
        .respond_with(menu("990001", "inkan"))
        .mount(&residence)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/municipalities/990002/menu"))
        .respond_with(menu("990002", "koseki-zenbu"))
        .mount(&domicile)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/municipalities/990002/issuances"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("Kofu-Profile-Version", "1.2")
                .set_body_json(json!({
                    "code": "not-issuable",
                    "message": kofu_profile::error::NOT_ISSUABLE_MESSAGE
                })),
        )
        .mount(&domicile)
        .await;
    let rig = rig_with(residence, vec![domicile.uri()]).await;
    let (id, status, answer) = rig.present("C039", "0677").await;
    assert_eq!(status, 200, "{answer}");
    let (status, menus) = rig
        .post(&format!("/v1/sessions/{id}/menu"), json!({}))
        .await;
    assert_eq!(status, 200, "{menus}");
    assert_eq!(menus["menus"].as_array().map(Vec::len), Some(2));
    let (status, answer) = rig
        .post(
            &format!("/v1/sessions/{id}/issuances"),
            json!({ "certificate": "koseki-zenbu", "copies": 1 }),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["code"], "refused");
    assert_eq!(answer["candidate_code"], "not-issuable");
    let to_domicile = domicile.received_requests().await.unwrap_or_default();
    assert!(
        to_domicile
            .iter()
            .any(|r| r.url.path() == "/v1/municipalities/990002/issuances")
    );
    let to_residence = rig.candidate.received_requests().await.unwrap_or_default();
    assert!(
        !to_residence
            .iter()
            .any(|r| r.url.path().ends_with("/issuances"))
    );
    // Nothing confirmed: no statement.
    let statements = rig
        .center
        .state
        .statements(kofu_mock_center::ledger::Period::Day)
        .expect("ledger");
    assert!(statements.is_empty());
    rig.center.stop().await;
}

#[tokio::test]
async fn a_slow_candidate_does_not_hang_the_center() {
    let rig = rig().await;
    Mock::given(method("POST"))
        .and(path("/v1/municipalities/990001/menu"))
        .respond_with(menu("990001", "inkan").set_delay(std::time::Duration::from_secs(20)))
        .mount(&rig.candidate)
        .await;
    let (id, status, answer) = rig.present("C001", "3116").await;
    assert_eq!(status, 200, "{answer}");
    let started = std::time::Instant::now();
    let (status, answer) = rig
        .post(&format!("/v1/sessions/{id}/menu"), json!({}))
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (502, Some("candidate-unavailable"))
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let settlements = rig
        .http
        .get(format!("{}/v1/settlements?format=csv", rig.center.url))
        .send()
        .await
        .expect("center answers");
    assert_eq!(settlements.status().as_u16(), 200);
    rig.center.stop().await;
}
