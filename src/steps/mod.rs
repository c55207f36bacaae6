//! Step definitions, one module per domain concept. Step texts are Japanese, as the
//! vendors' QA staff read them; no step text is defined twice. Steps drive the rig
//! through the World and judge with [`crate::checks`].
//!
//! # Layout
//! - [`params`]: typed step parameters (certificate, 交付範囲, operator, dates).
//! - [`reception`]: the scene: 受付日時, card, municipality, terminal.
//! - [`connection`]: 接続試験: identity, versions, TLS, malformed input.
//! - [`wire`]: requests sent on purpose to probe a wire rule: request ids, records queries.
//! - [`menu`]: the menu the candidate offers a card holder.
//! - [`honesty`]: what the menu shows is issued, what it hides is refused.
//! - [`refusal`]: refusals that tell no reason; the unknown card; the DV evidence scan.
//! - [`issuance`]: the resident's choice, the request and the issued content.
//! - [`document`]: the issued PDF and what it prints.
//! - [`snapshot`]: comparison with the reviewed snapshots.
//! - [`registration`]: the 利用登録申請 steps.
//! - [`request_shape`]: requests shaped on purpose (unknown, missing, mistyped and
//!   defaulted fields).
//! - [`kiosk`]: the resident's session at the terminal.
//! - [`center`]: single calls through the mock center's terminal API.
//! - [`settlement`]: print outcomes, records, fee table, statements, reconciliation.
//! - [`store_day`]: 実店舗試験, a business day at every terminal.
//! - [`load`]: 負荷試験, a peak day at the candidate's limit, with its figures.
//! - [`faults`]: 異常系試験, faults between the center and the candidate, and restarts.
//! - [`feed`]: 異動連携, register changes delivered to the candidate.
//! - [`feed_day`]: 異動連携の営業日, a store-trial day with changes during business hours.
//! - [`additions`]: 追加試験, an added certificate type or operator.
//! - [`options`]: the plain options a step picks when the scenario names none.

pub mod additions;
pub mod center;
pub mod connection;
pub mod document;
pub mod faults;
pub mod feed;
pub mod feed_day;
pub mod forensics;
pub mod honesty;
pub mod issuance;
pub mod kiosk;
pub mod load;
pub mod menu;
pub mod options;
pub mod params;
pub mod reception;
pub mod refusal;
pub mod registration;
pub mod request_shape;
pub mod settlement;
pub mod snapshot;
pub mod store_day;
pub mod wire;

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
            world.answers.last = Some(LastAnswer::Ok {
                status,
                profile_version,
            });
            Some(value)
        }
        Ok(Reply::Refused { status, error, .. }) => {
            world.answers.last = Some(LastAnswer::Refused { status, error });
            None
        }
        Err(kofu_mock_center::client::ClientError::MalformedResponse {
            status, detail, ..
        }) => {
            world.answers.last = Some(LastAnswer::BrokeProfile { status, detail });
            None
        }
        Err(e) => {
            world.answers.last = Some(LastAnswer::TransportError(error_chain(&e)));
            None
        }
    }
}

pub use kofu_mock_center::client::error_chain;
