//! HTTP framing of the profile: routes, extractors, the version header, the body
//! limit, and the mapping of every failure to the profile's error body
//! ([`AppError`], which also takes in every [`operations::OperationError`]).

mod answer_defects;
pub mod body;
mod error;
mod extract;
mod lenient;
pub mod version;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use kofu_profile::identity::Identity;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::OutcomeReport;
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::register_event::{RegisterEvent, RegisterEventReceipt};
use kofu_profile::registration::{Registration, RegistrationRequest};
use tower_http::trace::TraceLayer;

pub use error::AppError;
pub use extract::{DateRange, PathId, Peer, ProfileJson, Served};

use crate::defects::Defect;
use crate::operations;
use crate::state::AppState;

type Answer<T> = Result<Json<T>, AppError>;

async fn identity(State(state): State<AppState>) -> Json<Identity> {
    Json(operations::identity::identity(&state))
}

async fn menu(
    State(state): State<AppState>,
    Served(m): Served,
    ProfileJson(req): ProfileJson<MenuRequest>,
) -> Answer<Menu> {
    Ok(Json(operations::menu::menu(&state, &m, req).await?))
}

/// `201 Created`, replays included (the profile allows `200` or `201` for a replay;
/// answering the same status keeps the replay identical).
async fn issue(
    State(state): State<AppState>,
    Peer(peer): Peer,
    Served(m): Served,
    ProfileJson(req): ProfileJson<IssuanceRequest>,
) -> Result<(StatusCode, Json<Issuance>), AppError> {
    if state.defects().on(Defect::CopiesNegativeMalformed) && u8::try_from(req.copies).is_err() {
        return Err(AppError::Malformed(format!(
            "copies {} does not fit the field's type",
            req.copies
        )));
    }
    let issuance = operations::issue::issue(&state, &m, req, peer).await?;
    Ok((StatusCode::CREATED, Json(issuance)))
}

async fn outcome(
    State(state): State<AppState>,
    Served(m): Served,
    PathId(id): PathId,
    ProfileJson(report): ProfileJson<OutcomeReport>,
) -> Answer<IssuanceRecord> {
    Ok(Json(
        operations::outcome::report(&state, &m, &id, report).await?,
    ))
}

async fn records(
    State(state): State<AppState>,
    Served(m): Served,
    range: DateRange,
) -> Answer<Records> {
    Ok(Json(
        operations::records::records(&state, &m, range.from, range.to).await?,
    ))
}

async fn file_registration(
    State(state): State<AppState>,
    Served(m): Served,
    ProfileJson(req): ProfileJson<RegistrationRequest>,
) -> Result<(StatusCode, Json<Registration>), AppError> {
    let filed = operations::registration::file(&state, &m, req).await?;
    let status = if filed.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(filed.registration)))
}

async fn registration(
    State(state): State<AppState>,
    Served(m): Served,
    PathId(id): PathId,
) -> Answer<Registration> {
    Ok(Json(operations::registration::get(&state, &m, &id).await?))
}

async fn register_event(
    State(state): State<AppState>,
    Served(m): Served,
    ProfileJson(event): ProfileJson<RegisterEvent>,
) -> Answer<RegisterEventReceipt> {
    Ok(Json(
        operations::register_event::deliver(&state, &m, event).await?,
    ))
}

async fn no_route() -> AppError {
    AppError::NotFound("no such operation".into())
}

async fn wrong_method() -> AppError {
    AppError::Malformed("method not allowed for this path".into())
}

/// The server's routes with every layer, over `state`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(kofu_profile::paths::IDENTITY, get(identity))
        .route("/v1/municipalities/{code}/menu", post(menu))
        .route("/v1/municipalities/{code}/issuances", post(issue))
        .route(
            "/v1/municipalities/{code}/issuances/{id}/outcome",
            post(outcome),
        )
        .route("/v1/municipalities/{code}/records", get(records))
        .route(
            "/v1/municipalities/{code}/koseki-registrations",
            post(file_registration),
        )
        .route(
            "/v1/municipalities/{code}/koseki-registrations/{id}",
            get(registration),
        )
        .route(
            "/v1/municipalities/{code}/register-events",
            post(register_event),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        // Outermost last: stamp, then version, then size.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            body::refuse_oversized,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            version::require_version,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            answer_defects::reframe,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            version::stamp_version,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

#[cfg(test)]
mod tests {
    #[test]
    fn route_templates_match_the_profile_paths() {
        let p = |t: &str| t.replace("{code}", "990001").replace("{id}", "X");
        assert_eq!(
            p("/v1/municipalities/{code}/menu"),
            kofu_profile::paths::menu("990001")
        );
        assert_eq!(
            p("/v1/municipalities/{code}/issuances"),
            kofu_profile::paths::issuances("990001")
        );
        assert_eq!(
            p("/v1/municipalities/{code}/issuances/{id}/outcome"),
            kofu_profile::paths::outcome("990001", "X")
        );
        assert_eq!(
            p("/v1/municipalities/{code}/records"),
            kofu_profile::paths::records("990001")
        );
        assert_eq!(
            p("/v1/municipalities/{code}/koseki-registrations"),
            kofu_profile::paths::registrations("990001")
        );
        assert_eq!(
            p("/v1/municipalities/{code}/koseki-registrations/{id}"),
            kofu_profile::paths::registration("990001", "X")
        );
        assert_eq!(
            p("/v1/municipalities/{code}/register-events"),
            kofu_profile::paths::register_events("990001")
        );
    }
}
