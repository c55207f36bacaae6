//! The terminal-facing HTTP API (axum): routes, handlers, the body limit, and the one
//! place a [`CenterError`] becomes a response.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use uuid::Uuid;

use super::api::{CardAccepted, Issued, MenuAnswer, PrintRecorded, SessionOpened};
use super::error::CenterError;
use super::state::CenterState;
use crate::ledger::Period;

impl IntoResponse for CenterError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

type Answer<T> = Result<axum::Json<T>, CenterError>;

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, CenterError> {
    serde_json::from_slice(body).map_err(|e| CenterError::bad_request(&e.to_string()))
}

async fn h_open(State(s): State<CenterState>, body: Bytes) -> Answer<SessionOpened> {
    Ok(axum::Json(s.open_session(parse(&body)?).await?))
}

async fn h_card(
    State(s): State<CenterState>,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Answer<CardAccepted> {
    Ok(axum::Json(s.present_card(id, parse(&body)?).await?))
}

async fn h_menu(State(s): State<CenterState>, Path(id): Path<Uuid>) -> Answer<MenuAnswer> {
    Ok(axum::Json(s.menus(id).await?))
}

async fn h_issue(
    State(s): State<CenterState>,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Answer<Issued> {
    Ok(axum::Json(s.issue(id, parse(&body)?).await?))
}

async fn h_outcome(
    State(s): State<CenterState>,
    Path((id, tx)): Path<(Uuid, Uuid)>,
    body: Bytes,
) -> Answer<PrintRecorded> {
    Ok(axum::Json(s.report(id, tx, parse(&body)?).await?))
}

async fn h_close(State(s): State<CenterState>, Path(id): Path<Uuid>) -> StatusCode {
    if s.close(id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn h_health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

#[derive(serde::Deserialize)]
struct SettlementQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

async fn h_settlements(State(s): State<CenterState>, Query(q): Query<SettlementQuery>) -> Response {
    let period = match q.period.as_deref() {
        None | Some("day") => Period::Day,
        Some("month") => Period::Month,
        Some(_) => return CenterError::bad_request("period is day or month").into_response(),
    };
    let statements = match s.statements(period) {
        Ok(st) => st,
        Err(e) => {
            tracing::error!(error = %crate::client::error_chain(&e), "settlement failed");
            return CenterError::unavailable("ledger-error").into_response();
        }
    };
    let rendered = match q.format.as_deref() {
        Some("csv") => {
            crate::ledger::statements_csv(&statements).map(|t| ("text/csv; charset=utf-8", t))
        }
        _ => crate::ledger::statements_json(&statements).map(|t| ("application/json", t)),
    };
    match rendered {
        Ok((media, text)) => ([(axum::http::header::CONTENT_TYPE, media)], text).into_response(),
        Err(_) => CenterError::unavailable("ledger-error").into_response(),
    }
}

/// The terminal-facing API.
pub fn app(state: CenterState) -> Router {
    Router::new()
        .route("/health", get(h_health))
        .route("/v1/sessions", post(h_open))
        .route("/v1/sessions/{id}", delete(h_close))
        .route("/v1/sessions/{id}/card", post(h_card))
        .route("/v1/sessions/{id}/menu", post(h_menu))
        .route("/v1/sessions/{id}/issuances", post(h_issue))
        .route("/v1/sessions/{id}/issuances/{tx}/outcome", post(h_outcome))
        .route("/v1/settlements", get(h_settlements))
        .layer(axum::extract::DefaultBodyLimit::max(256 * 1024))
        .with_state(state)
}

/// Serve the terminal API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: CenterState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
