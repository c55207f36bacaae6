//! Extractors that answer in the profile's error model, never with axum's default
//! text rejections.

use axum::extract::{FromRequest, FromRequestParts, Query, RawPathParams, Request};
use axum::http::request::Parts;
use chrono::NaiveDate;
use kofu_fixtures::Municipality;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::body;
use super::error::AppError;
use crate::defects::Defect;
use crate::state::AppState;

/// A JSON body of the profile, within the size limit.
#[derive(Debug)]
pub struct ProfileJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ProfileJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = body::read_limited(req.into_body(), body::limit(state.defects())).await?;
        serde_json::from_slice(&bytes)
            .map(ProfileJson)
            .map_err(|e| {
                if state.defects().on(Defect::MalformedRequest500) {
                    AppError::Internal(format!("unhandled parse error: {e}"))
                } else {
                    AppError::Malformed(format!("the body does not match the schema: {e}"))
                }
            })
    }
}

async fn path_param(parts: &mut Parts, state: &AppState, name: &str) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, state).await.ok()?;
    params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The served municipality named by the `{code}` path segment.
#[derive(Debug, Clone)]
pub struct Served(pub Municipality);

/// The municipality a path code resolves to.
pub fn resolve(state: &AppState, code: &str) -> Result<Municipality, AppError> {
    if let Some(m) = state.municipality(code) {
        return Ok(m.clone());
    }
    if state.defects().on(Defect::ServesUnknownMunicipality)
        && let Some(first) = state.served().first()
    {
        return Ok(first.clone());
    }
    Err(AppError::UnknownMunicipality(code.to_owned()))
}

impl FromRequestParts<AppState> for Served {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let code = path_param(parts, state, "code")
            .await
            .ok_or_else(|| AppError::NotFound("no municipality in the path".into()))?;
        resolve(state, &code).map(Served)
    }
}

/// The `{id}` path segment (an issuance or registration id).
#[derive(Debug, Clone)]
pub struct PathId(pub String);

impl FromRequestParts<AppState> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        path_param(parts, state, "id")
            .await
            .map(PathId)
            .ok_or_else(|| AppError::NotFound("no id in the path".into()))
    }
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DateRange {
    /// First business date, inclusive.
    pub from: NaiveDate,
    /// Last business date, inclusive.
    pub to: NaiveDate,
}

impl FromRequestParts<AppState> for DateRange {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Query(range) = Query::<DateRange>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::Malformed(format!("from/to: {}", e.body_text())))?;
        if range.from > range.to && !state.defects().on(Defect::RecordsReversedRangeEmpty) {
            return Err(AppError::InvalidRequest(format!(
                "from {} is after to {}",
                range.from, range.to
            )));
        }
        Ok(range)
    }
}
