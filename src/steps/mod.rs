//! Step definitions, one module per domain concept. Step texts are Japanese, as the
//! vendors' QA staff read them; no step text is defined twice.

pub mod additions;
pub mod center;
pub mod connection;
pub mod issuance;
pub mod menu;
pub mod outcome;
pub mod reception;
pub mod registration;
pub mod settlement;

use kofu_mock_center::client::Reply;

use crate::world::{KofuWorld, LastAnswer};

/// Record a typed reply as the last answer and return its value when it is a success.
pub fn keep<T>(
    world: &mut KofuWorld,
    reply: Result<Reply<T>, kofu_mock_center::client::ClientError>,
) -> Option<T> {
    match reply {
        Ok(Reply::Ok {
            status,
            value,
            profile_version,
        }) => {
            world.last = Some(LastAnswer::Ok {
                status,
                profile_version,
            });
            Some(value)
        }
        Ok(Reply::Refused { status, error, .. }) => {
            world.last = Some(LastAnswer::Refused { status, error });
            None
        }
        Err(e) => {
            world.last = Some(LastAnswer::TransportError(error_chain(&e)));
            None
        }
    }
}

pub use kofu_mock_center::client::error_chain;

/// The certificate a scenario names, by Japanese title or wire code.
pub fn certificate_named(name: &str) -> kofu_profile::CertificateType {
    kofu_profile::CertificateType::from_code_or_title(name)
        .unwrap_or_else(|| panic!("unknown certificate `{name}` in the scenario"))
}

/// The 交付範囲 a scenario names.
pub fn scope_named(name: &str) -> kofu_profile::Scope {
    match name {
        "本人のみ" => kofu_profile::Scope::Holder,
        "世帯全員" => kofu_profile::Scope::Household,
        "世帯の一部" => kofu_profile::Scope::Members,
        other => panic!("unknown 交付範囲 `{other}` (本人のみ, 世帯全員, 世帯の一部)"),
    }
}
