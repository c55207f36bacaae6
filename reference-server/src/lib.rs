//! The reference issuance server (証明発行サーバ) of kofu: implements the open reference
//! profile v1 from the fixtures, and carries named defect switches that reproduce
//! realistic vendor mistakes, one spot each.
//!
//! A server is a library function: [`app`] is the router, [`serve`] runs it on a
//! listener, [`start`] binds `127.0.0.1:0` and runs it in the background.
//!
//! # Layout
//! - [`http`]: routes, extractors, the version header, the body limit, and the one
//!   mapping of failures to the profile's error body ([`http::AppError`]).
//! - [`operations`]: identity, menu, issuance, outcome, records, 利用登録申請, the
//!   register feed, each over plain domain values, failing with an
//!   [`operations::OperationError`].
//! - [`rules`]: 利用者制限 and the claims: what the menu offers and what is issued.
//! - [`register`]: the register as it stood at a reception time: the fixtures plus
//!   the events of the register feed (異動連携) in force.
//! - [`content`]: 記載事項 per type, and the printed document built from them.
//! - [`document`]: the PDF renderer.
//! - [`store`]: SQLite persistence (schema, issuances, copy states, numbers,
//!   registrations, register events).
//! - [`defects`]: the defect switches.
//! - [`state`]: what requests share.

pub mod content;
pub mod defects;
pub mod document;
pub mod http;
pub mod operations;
pub mod register;
pub mod rules;
mod server;
pub mod state;
pub mod store;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use kofu_fixtures::Fixtures;

pub use defects::{Defect, UnknownDefect};
pub use http::app;
pub use server::{RunningServer, serve, start};
pub use state::AppState;
pub use store::{Store, StoreError};

/// How to run a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The fixtures the server answers from.
    pub fixtures: Arc<Fixtures>,
    /// Municipality codes served; empty means every municipality in the fixtures.
    pub municipalities: Vec<String>,
    /// The SQLite database file (created if missing).
    pub database: PathBuf,
    /// Defect switches that are on.
    pub defects: BTreeSet<Defect>,
    /// TLS; `None` serves plain HTTP.
    pub tls: Option<TlsSettings>,
}

/// TLS material, PEM encoded.
#[derive(Clone)]
pub struct TlsSettings {
    /// The server's certificate chain.
    pub cert_pem: Vec<u8>,
    /// The server's private key.
    pub key_pem: Vec<u8>,
    /// `Some`: require client certificates chained to this CA (mutual TLS).
    pub client_ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSettings")
            .field("mutual", &self.client_ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// Why a server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding or serving failed.
    #[error("network error")]
    Io(#[from] std::io::Error),
    /// The database could not be opened.
    #[error("cannot open the database")]
    Store(#[from] StoreError),
    /// A configured municipality code is not in the fixtures.
    #[error("municipality {0} is not in the fixtures")]
    UnknownMunicipality(String),
    /// No municipality to serve.
    #[error("the fixtures define no municipality to serve")]
    NothingToServe,
    /// PEM material is unreadable.
    #[error("invalid {0} PEM: {1}")]
    Pem(&'static str, String),
    /// rustls refused the configuration.
    #[error("invalid TLS configuration")]
    Tls(#[source] rustls::Error),
    /// The client-certificate verifier could not be built.
    #[error("invalid client CA: {0}")]
    ClientVerifier(String),
}
