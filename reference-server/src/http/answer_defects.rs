//! Defect switches that live in how answers are framed: the status, code, content type
//! and fields an answer is sent with. Without any of them on, answers pass unchanged.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header::CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use crate::defects::Defect;
use crate::state::AppState;

/// Why a personal refusal was made, carried on the response for the switches below.
#[derive(Debug, Clone, Copy)]
pub struct RefusalReason(pub &'static str);

/// Answers larger than this are passed unchanged.
const REWRITE_CAP: usize = 8 * 1024 * 1024;

const FRAMING: [Defect; 5] = [
    Defect::PayloadTooLargeAsText,
    Defect::NotIssuableAs403,
    Defect::UnknownCardOwnCode,
    Defect::NullForOmittedField,
    Defect::ContentCarriesResidentCode,
];

/// Middleware: apply the framing defects that are on.
pub async fn reframe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let defects = state.defects();
    if !FRAMING.iter().any(|d| defects.on(*d)) {
        return response;
    }
    let status = response.status();
    let reason = response.extensions().get::<RefusalReason>().copied();
    if status == StatusCode::PAYLOAD_TOO_LARGE && defects.on(Defect::PayloadTooLargeAsText) {
        let mut text = Response::new(Body::from("length limit exceeded"));
        *text.status_mut() = status;
        text.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return text;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, REWRITE_CAP).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(RefusalReason(reason)) = reason {
        if defects.on(Defect::NotIssuableAs403) {
            parts.status = StatusCode::FORBIDDEN;
        }
        if reason == crate::rules::Refusal::UnknownCard.reason()
            && defects.on(Defect::UnknownCardOwnCode)
        {
            value["code"] = Value::from("unknown-card");
        }
    }
    if let Some(content) = value.get_mut("content") {
        if defects.on(Defect::NullForOmittedField)
            && content.get("kind").and_then(Value::as_str) == Some("resident-record")
            && content.get("household_head").is_none()
            && let Some(object) = content.as_object_mut()
        {
            object.insert("household_head".into(), Value::Null);
        }
        if defects.on(Defect::ContentCarriesResidentCode) {
            let register = &state.fixtures().register;
            for person in content
                .get_mut("persons")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                let name = person.get("name").and_then(Value::as_str).unwrap_or("");
                if let Some(p) = register.persons.iter().find(|p| p.name == name) {
                    person["resident_code"] = Value::from(p.resident_code.clone());
                }
            }
        }
    }
    let body = serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
