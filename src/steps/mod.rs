//! Step definitions, one module per domain concept. Step texts are Japanese, as the
//! vendors' QA staff read them; no step text is defined twice.

pub mod center;
pub mod connection;
pub mod issuance;
pub mod menu;
pub mod outcome;
pub mod reception;
pub mod registration;

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

/// An error with its causes, one per line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
