//! The `Kofu-Profile-Version` header: checked on every request, sent on every response.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kofu_profile::{PROFILE_VERSION, VERSION_HEADER};

use super::error::AppError;
use crate::defects::Defect;
use crate::state::AppState;

/// Whether a requested profile version is spoken here. The profile's comparison is
/// exact: `1.2` only (not `1`, not `1.1`, not `1.3`).
pub fn supported(version: &str) -> bool {
    version == PROFILE_VERSION
}

/// Middleware: refuse requests without a supported version header.
pub async fn require_version(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.defects().on(Defect::ProfileVersionIgnored) {
        let version = req.headers().get(VERSION_HEADER).map(|v| v.to_str());
        let refusal = match version {
            None => Some("the Kofu-Profile-Version header is missing".to_owned()),
            Some(Err(_)) => Some("the Kofu-Profile-Version header is not text".to_owned()),
            Some(Ok(v)) if !supported(v) => Some(format!(
                "profile version `{v}` is not spoken here ({PROFILE_VERSION} is)"
            )),
            Some(Ok(_)) => None,
        };
        if let Some(message) = refusal {
            return AppError::UnsupportedVersion(message).into_response();
        }
    }
    next.run(req).await
}

/// Middleware: stamp the profile version on every response.
pub async fn stamp_version(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let skipped = state.defects().on(Defect::MissingVersionHeader)
        || (state.defects().on(Defect::ErrorWithoutVersionHeader)
            && !response.status().is_success());
    if !skipped {
        response
            .headers_mut()
            .insert(VERSION_HEADER, HeaderValue::from_static(PROFILE_VERSION));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::supported;

    #[test]
    fn exactly_one_point_two() {
        assert!(supported("1.2"));
        for v in [
            "0.9", "1.0", "1.1", "2.0", "1", "1.", "1.3", "", "10.0", "1.2.1", " 1.2",
        ] {
            assert!(!supported(v), "{v}");
        }
    }
}
