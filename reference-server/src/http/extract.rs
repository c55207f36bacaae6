//! Extractors that answer in the profile's error model, never with axum's default
//! text rejections.

use axum::body::Bytes;
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
        let bytes = lenient_or_strict(state, bytes)?;
        let parsed = if state.defects().on(Defect::NullAcceptedAsOmitted) {
            serde_json::from_slice::<serde_json::Value>(&bytes).and_then(|mut value| {
                drop_nulls(&mut value);
                serde_json::from_value(value)
            })
        } else {
            serde_json::from_slice(&bytes)
        };
        parsed.map(ProfileJson).map_err(|e| {
            if state.defects().on(Defect::MalformedRequest500) {
                AppError::Internal(format!("unhandled parse error: {e}"))
            } else {
                AppError::Malformed(format!("the body does not match the schema: {e}"))
            }
        })
    }
}

/// Defect `null-accepted-as-omitted`: every `null` member is dropped before the body is
/// read into its type, as a "lenient" JSON layer does, so `null` passes for "omitted".
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Defects `feed-unknown-fields-ignored` (drop the fields a register event does not
/// define), `unknown-request-field-ignored` (drop the fields the schema does not define,
/// at the top level and in `options`) and `omitted-options-rejected` (a request body
/// with `card_serial` but no `options` is malformed), `option-presence-means-true` (a
/// display option sent as `false` becomes `true`). Without them the bytes pass as
/// they are.
fn lenient_or_strict(state: &AppState, bytes: Bytes) -> Result<Bytes, AppError> {
    let defects = state.defects();
    if !defects.on(Defect::UnknownRequestFieldIgnored)
        && !defects.on(Defect::OmittedOptionsRejected)
        && !defects.on(Defect::OptionPresenceMeansTrue)
        && !defects.on(Defect::FeedUnknownFieldsIgnored)
    {
        return Ok(bytes);
    }
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(&bytes) else {
        return Ok(bytes);
    };
    if object.contains_key("change") && defects.on(Defect::FeedUnknownFieldsIgnored) {
        super::lenient::drop_unknown_event_fields(&mut object);
    }
    let issuance = object.contains_key("certificate");
    if issuance && defects.on(Defect::OmittedOptionsRejected) && !object.contains_key("options") {
        return Err(AppError::Malformed("missing field `options`".into()));
    }
    if issuance
        && defects.on(Defect::OptionPresenceMeansTrue)
        && let Some(serde_json::Value::Object(options)) = object.get_mut("options")
    {
        for flag in ["show_relationship", "show_honseki"] {
            if let Some(v) = options.get_mut(flag) {
                *v = serde_json::Value::Bool(true);
            }
        }
    }
    if issuance && defects.on(Defect::UnknownRequestFieldIgnored) {
        const TOP: [&str; 5] = [
            "reception",
            "card_serial",
            "certificate",
            "options",
            "copies",
        ];
        const OPTIONS: [&str; 5] = [
            "scope",
            "members",
            "show_relationship",
            "show_honseki",
            "fiscal_year",
        ];
        object.retain(|k, _| TOP.contains(&k.as_str()));
        if let Some(serde_json::Value::Object(options)) = object.get_mut("options") {
            options.retain(|k, _| OPTIONS.contains(&k.as_str()));
        }
    }
    Ok(serde_json::to_vec(&object).map_or(bytes, Bytes::from))
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

/// The connection a request came on (the peer's address), when the server was started
/// with connection info; `None` otherwise (tests calling the router directly).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0),
        ))
    }
}
