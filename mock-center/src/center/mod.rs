//! The center core and its terminal-facing API (axum).
//!
//! A kiosk session: open (the center answers a challenge) → the card's certificate and
//! signature (the center checks hours, chain, validity period, signature and revocation;
//! a refused card never reaches a candidate and is never charged) → menus → issuance
//! (the center stamps request id and reception time and routes to the candidate) →
//! print outcome per copy → close. Every issuance is a transaction of the
//! [`Ledger`](crate::ledger::Ledger).
//!
//! The center never panics or hangs on a candidate: the
//! [`CandidateClient`](crate::client::CandidateClient) bounds time and size, and every
//! answer of a candidate is handled as data.
//!
//! # Layout
//! - [`api`]: the wire types of the terminal API.
//! - `config`: [`CenterConfig`] and [`Clock`]; `state`: [`CenterState`], shared by
//!   every request.
//! - `session`: kiosk sessions; `card`: the card check; `routing`: which candidate
//!   serves which municipality, and the menus; `issuance`: issuing and the ledger
//!   transaction; `outcome`: print outcomes.
//! - `error`: [`CenterError`]; `messages`: the terminal texts; `http`: the routes and
//!   handlers; `running`: [`RunningCenter`], a center served in-process.

pub mod api;
mod card;
mod config;
mod error;
mod http;
mod issuance;
mod messages;
mod outcome;
mod routing;
mod running;
mod session;
mod state;

pub use config::{CenterConfig, CenterSetupError, Clock};
pub use error::CenterError;
pub use http::{app, serve};
pub use messages::{
    CARD_EXPIRED, CARD_LOCKED, CARD_REVOKED, CARD_UNUSABLE, OUT_OF_HOURS, UNAVAILABLE_MESSAGE,
    YEAR_END,
};
pub use running::{RunningCenter, StartError};
pub use state::{CenterState, UnprintedIssuance};
