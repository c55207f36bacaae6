//! `GET /v1/identity`.

use kofu_profile::PROFILE_VERSION;
use kofu_profile::identity::{Identity, Implementation};

use crate::defects::Defect;
use crate::state::AppState;

/// Product name reported in the identity.
pub const IMPLEMENTATION_NAME: &str = "kofu-reference-server";

/// Who this server is.
pub fn identity(state: &AppState) -> Identity {
    let mut municipalities = state.served_codes();
    if state.defects().on(Defect::IdentityOmitsMunicipality) {
        municipalities.truncate(1);
    }
    let profile_version = if state.defects().on(Defect::IdentityWrongProfileVersion) {
        "0.9"
    } else {
        PROFILE_VERSION
    };
    Identity {
        profile_version: profile_version.to_owned(),
        implementation: Implementation {
            name: IMPLEMENTATION_NAME.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        municipalities,
    }
}
