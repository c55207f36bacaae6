//! Shared helpers: fixtures, in-process requests, canned requests.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::Engine as _;
use kofu_fixtures::Fixtures;
use kofu_profile::issuance::IssuanceRequest;
use kofu_profile::menu::MenuRequest;
use kofu_profile::{
    CertificateType, IssuanceOptions, PROFILE_VERSION, Reception, Scope, VERSION_HEADER,
};
use kofu_reference_server::{AppState, Defect, Store, app};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower::ServiceExt as _;

pub mod live;

pub const AOBADAI: &str = "990001";
pub const SHIRASUNA: &str = "990002";
pub const SCENARIO_TIME: &str = "2026-11-26T10:00:00+09:00";

pub fn fixtures() -> Arc<Fixtures> {
    static FIXTURES: OnceLock<Arc<Fixtures>> = OnceLock::new();
    FIXTURES
        .get_or_init(|| Arc::new(Fixtures::load_default().expect("the repository's fixtures load")))
        .clone()
}

pub fn serial(card: &str) -> String {
    fixtures()
        .card(card)
        .unwrap_or_else(|| panic!("card {card} in the fixtures"))
        .serial
        .clone()
}

pub fn person_name(card: &str) -> String {
    let f = fixtures();
    let person = f.card(card).expect("card").person.clone();
    f.register.person(&person).expect("person").name.clone()
}

/// A server in process, with an in-memory store.
pub struct Harness {
    pub state: AppState,
    pub router: Router,
}

impl Harness {
    pub fn new(defects: &[Defect]) -> Self {
        let store = Store::open_in_memory().expect("in-memory store");
        let state = AppState::new(
            fixtures(),
            &[],
            defects.iter().copied().collect::<BTreeSet<_>>(),
            store,
        )
        .expect("state");
        let router = app(state.clone());
        Self { state, router }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn post<T: Serialize>(&self, path: &str, body: &T) -> Reply {
        self.send(json_request(
            Method::POST,
            path,
            serde_json::to_vec(body).expect("json"),
        ))
        .await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(
            Request::builder()
                .method(Method::GET)
                .uri(path)
                .header(VERSION_HEADER, PROFILE_VERSION)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }
}

pub fn json_request(method: Method, path: &str, body: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(VERSION_HEADER, PROFILE_VERSION)
        .header("content-type", "application/json")
        .header("content-length", body.len())
        .body(Body::from(body))
        .expect("request")
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not the expected JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(400)])
            )
        })
    }

    /// Assert a success (`200` or `201`) and parse the body.
    pub fn ok<T: DeserializeOwned>(&self) -> T {
        assert!(
            self.status == StatusCode::OK || self.status == StatusCode::CREATED,
            "{}: {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }

    /// Assert an error status and code.
    pub fn error(&self, status: u16, code: &str) -> kofu_profile::ErrorBody {
        let body: kofu_profile::ErrorBody = self.json();
        assert_eq!(
            (self.status.as_u16(), body.code.code()),
            (status, code),
            "message: {}",
            body.message
        );
        body
    }

    pub fn version_header(&self) -> Option<&str> {
        self.headers
            .get(VERSION_HEADER)
            .and_then(|v| v.to_str().ok())
    }
}

pub fn reception_at(time: &str) -> Reception {
    Reception {
        request_id: uuid::Uuid::new_v4(),
        reception_time: chrono::DateTime::parse_from_rfc3339(time).expect("time"),
        operator_code: "OP-A".to_owned(),
        store_id: "S001".to_owned(),
        terminal_id: "T001".to_owned(),
    }
}

pub fn menu_request(card: &str, time: &str) -> MenuRequest {
    MenuRequest {
        reception: reception_at(time),
        card_serial: serial(card),
    }
}

pub fn issuance_request(
    card: &str,
    certificate: CertificateType,
    options: IssuanceOptions,
    copies: u8,
) -> IssuanceRequest {
    IssuanceRequest {
        reception: reception_at(SCENARIO_TIME),
        card_serial: serial(card),
        certificate,
        options,
        copies: i64::from(copies),
    }
}

pub fn holder_only() -> IssuanceOptions {
    IssuanceOptions {
        scope: Some(Scope::Holder),
        ..Default::default()
    }
}

pub fn juminhyo(card: &str) -> IssuanceRequest {
    issuance_request(card, CertificateType::Juminhyo, holder_only(), 1)
}

pub fn pdf_bytes(issuance: &kofu_profile::issuance::Issuance) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(&issuance.document.pdf_base64)
        .expect("standard base64")
}

pub fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes)
        .expect("text")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
