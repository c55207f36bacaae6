//! How a center is set up: its [`CenterConfig`], its [`Clock`], and why a setup fails.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use kofu_fixtures::Fixtures;

use crate::client::ClientConfig;
use crate::hours;
use crate::ledger::LedgerError;

/// Where the center's reception time comes from.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The system clock, read at each request.
    System,
    /// A fixed time (reproducible CLI runs).
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    pub(super) fn now(self) -> DateTime<FixedOffset> {
        match self {
            Self::System => chrono::Utc::now().with_timezone(&hours::jst()),
            Self::Fixed(t) => t,
        }
    }
}

/// Settings of a center.
#[derive(Debug, Clone)]
pub struct CenterConfig {
    /// The fixtures (operators for copy limits and commission).
    pub fixtures: Arc<Fixtures>,
    /// One client configuration per candidate server.
    pub candidates: Vec<ClientConfig>,
    /// The test JPKI CA certificate (DER): the only trust anchor for cards.
    pub jpki_ca_der: Vec<u8>,
    /// Base URL of the validity service.
    pub validity_url: String,
    /// The clock.
    pub clock: Clock,
    /// Honour a reception time sent by the terminal at session open (harness only).
    pub trust_terminal_clock: bool,
    /// SQLite file of the ledger; `None` keeps it in memory.
    pub ledger_path: Option<PathBuf>,
    /// Folder for the evidence of every exchange with candidates, one JSON line each in
    /// `exchanges.jsonl` ([`crate::client::LinesEvidence`]); `None`: none kept.
    pub evidence_dir: Option<PathBuf>,
}

/// Errors setting up a center.
#[derive(Debug, thiserror::Error)]
pub enum CenterSetupError {
    /// A candidate client could not be configured.
    #[error("cannot configure the client of candidate {url}")]
    Candidate {
        /// Its URL.
        url: String,
        /// The cause.
        #[source]
        source: crate::client::ClientError,
    },
    /// The validity client could not be configured.
    #[error("cannot configure the validity client")]
    Validity(#[from] crate::validity::ValidityError),
    /// The ledger did not open.
    #[error("cannot open the ledger")]
    Ledger(#[from] LedgerError),
    /// No candidate was given.
    #[error("the center needs at least one candidate server")]
    NoCandidate,
}
