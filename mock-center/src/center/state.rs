//! [`CenterState`]: what every request of a running center shares (configuration,
//! card verifier, validity client, candidate clients, routes, sessions, ledger), how it
//! is built, and the session and ledger operations that need no candidate.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

use super::api::{OpenSession, SessionOpened};
use super::config::{CenterConfig, CenterSetupError};
use super::error::CenterError;
use super::session::Sessions;
use crate::client::{CandidateClient, EvidenceSink, LinesEvidence, NoEvidence};
use crate::jpki::Verifier;
use crate::ledger::{Ledger, LedgerError, LedgerTransaction, Period, Statement};
use crate::validity::ValidityClient;

pub(super) struct Inner {
    pub(super) config: CenterConfig,
    pub(super) verifier: Verifier,
    pub(super) validity: ValidityClient,
    pub(super) candidates: Vec<CandidateClient>,
    pub(super) routes: tokio::sync::Mutex<Option<BTreeMap<String, usize>>>,
    pub(super) sessions: Sessions,
    pub(super) ledger: Mutex<Ledger>,
    /// Issuances the center received but never handed to a terminal (the cancellation
    /// resend's), at most [`MAX_UNPRINTED`], for the harness to audit.
    pub(super) unprinted: Mutex<Vec<UnprintedIssuance>>,
}

/// Most unprinted issuances kept.
const MAX_UNPRINTED: usize = 1_000;

/// An issuance the center received after the terminal had given up: never printed.
#[derive(Debug, Clone)]
pub struct UnprintedIssuance {
    /// The municipality asked.
    pub municipality: String,
    /// The request sent (the same as every earlier attempt).
    pub request: kofu_profile::issuance::IssuanceRequest,
    /// What the candidate answered.
    pub issuance: kofu_profile::issuance::Issuance,
}

/// The state of a running center; cheap to clone.
#[derive(Clone)]
pub struct CenterState {
    pub(super) inner: Arc<Inner>,
}

impl std::fmt::Debug for CenterState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterState")
            .field("candidates", &self.inner.candidates.len())
            .finish_non_exhaustive()
    }
}

impl CenterState {
    /// The issuances received and never printed so far (cancellation resends).
    pub fn unprinted_issuances(&self) -> Vec<UnprintedIssuance> {
        self.inner
            .unprinted
            .lock()
            .map(|u| u.clone())
            .unwrap_or_default()
    }

    pub(super) fn keep_unprinted(&self, issuance: UnprintedIssuance) {
        if let Ok(mut kept) = self.inner.unprinted.lock()
            && kept.len() < MAX_UNPRINTED
        {
            kept.push(issuance);
        }
    }

    /// Build a center. Candidates are asked who they are on first use, not here.
    pub fn new(config: CenterConfig) -> Result<Self, CenterSetupError> {
        if config.candidates.is_empty() {
            return Err(CenterSetupError::NoCandidate);
        }
        let evidence: Arc<dyn EvidenceSink> = match &config.evidence_dir {
            Some(dir) => Arc::new(LinesEvidence::new(dir.clone())),
            None => Arc::new(NoEvidence),
        };
        let candidates = config
            .candidates
            .iter()
            .map(|c| {
                CandidateClient::new(c.clone(), evidence.clone()).map_err(|source| {
                    CenterSetupError::Candidate {
                        url: c.base_url.clone(),
                        source,
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ledger = match &config.ledger_path {
            Some(path) => Ledger::open(path)?,
            None => Ledger::in_memory()?,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                verifier: Verifier::new(config.jpki_ca_der.clone()),
                validity: ValidityClient::new(&config.validity_url)?,
                candidates,
                routes: tokio::sync::Mutex::new(None),
                sessions: Sessions::default(),
                ledger: Mutex::new(ledger),
                unprinted: Mutex::new(Vec::new()),
                config,
            }),
        })
    }

    pub(super) fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.inner
            .ledger
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Log a failed ledger write: the ledger never stops a terminal's request.
    pub(super) fn log_ledger(result: Result<(), LedgerError>) {
        if let Err(e) = result {
            tracing::error!(error = %crate::client::error_chain(&e), "ledger write failed");
        }
    }

    /// Open a session.
    pub async fn open_session(&self, req: OpenSession) -> Result<SessionOpened, CenterError> {
        self.inner.sessions.open(req, &self.inner.config)
    }

    /// Close a session.
    pub fn close(&self, id: Uuid) -> bool {
        self.inner.sessions.close(id)
    }

    /// Settlement statements of the ledger.
    pub fn statements(&self, period: Period) -> Result<Vec<Statement>, LedgerError> {
        self.ledger()
            .statements(&self.inner.config.fixtures.operators, period)
    }

    /// The ledger's transactions of the JST business dates `from..=to`.
    pub fn transactions(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<LedgerTransaction>, LedgerError> {
        self.ledger().transactions(from, to)
    }

    /// State history of a transaction in the ledger.
    pub fn history(&self, transaction: &str) -> Result<Vec<(String, String, String)>, LedgerError> {
        self.ledger().history(transaction)
    }
}
