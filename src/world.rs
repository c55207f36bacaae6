//! The cucumber World of one scenario: its own clock, card, terminal identity,
//! evidence folder, and what the candidate answered. Nothing is shared between
//! scenarios but the read-only [`RunContext`].

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use kofu_fixtures::{Card, Fixtures};
use kofu_mock_center::client::{CandidateClient, ClientConfig, DirEvidence, RawResponse};
use kofu_profile::{ErrorBody, identity::Identity, issuance::Issuance, menu::Menu};

use crate::candidate::Candidate;

/// Read-only context of a run, shared by every scenario.
#[derive(Debug)]
pub struct RunContext {
    /// The fixtures.
    pub fixtures: Arc<Fixtures>,
    /// The candidate under test.
    pub candidate: Candidate,
    /// The run's report folder.
    pub run_dir: PathBuf,
    /// The in-process mock center with its test JPKI, started by the first scenario
    /// that needs it (see `steps::center`).
    pub center: tokio::sync::OnceCell<Arc<crate::steps::center::CenterRig>>,
    /// 追加試験: the additions in play (`--added`, else every bundled one).
    pub additions: crate::additions::Additions,
}

/// What the candidate answered to the last call.
#[derive(Debug, Clone)]
pub enum LastAnswer {
    /// A raw HTTP response (probes).
    Raw(RawResponse),
    /// A refusal with the profile's error body.
    Refused {
        /// HTTP status.
        status: u16,
        /// The body.
        error: ErrorBody,
    },
    /// The call failed below HTTP (TLS refused, connection reset, timeout).
    TransportError(String),
    /// A successful profile answer (status only; the value is kept in its own field).
    Ok {
        /// HTTP status.
        status: u16,
        /// The version header of the response.
        profile_version: Option<String>,
    },
}

/// The World of one scenario.
#[derive(Debug, Default, cucumber::World)]
pub struct KofuWorld {
    /// Set by the before hook.
    pub ctx: Option<Arc<RunContext>>,
    /// Where this scenario's evidence goes.
    pub evidence_dir: PathBuf,
    /// 受付日時: the reception time the center stamps (the injected clock).
    pub now: Option<DateTime<FixedOffset>>,
    /// The card placed on the terminal.
    pub card: Option<Card>,
    /// The municipality the scenario addresses.
    pub municipality: Option<String>,
    /// Last answer of the candidate.
    pub last: Option<LastAnswer>,
    /// Last identity received.
    pub identity: Option<Identity>,
    /// Last menu received.
    pub menu: Option<Menu>,
    /// Issuances received, in order, with the request sent.
    pub issuances: Vec<(kofu_profile::issuance::IssuanceRequest, Issuance)>,
    /// Count of PDFs saved, for file names.
    pub saved_pdfs: usize,
    /// The certificate the resident is choosing.
    pub certificate: Option<kofu_profile::CertificateType>,
    /// The options the resident chose.
    pub options: kofu_profile::IssuanceOptions,
    /// The terminal in use: operator code, store id, terminal id.
    pub terminal: Option<(String, String, String)>,
    /// 利用登録申請 answers, in order: as filed, then as read back.
    pub registrations: Vec<kofu_profile::registration::Registration>,
    /// Raw answers kept for a byte-for-byte comparison, with what was asked.
    pub kept_answers: Vec<(String, RawResponse)>,
    /// The kiosk session through the mock center (`steps::center`).
    pub kiosk: crate::terminal::kiosk::KioskState,
    /// The resident's session at the terminal, as a state machine (`steps::kiosk`).
    pub session: Option<crate::terminal::session::KioskSession>,
    /// The last action the terminal refused.
    pub session_error: Option<crate::terminal::session::SessionError>,
    /// The terminal's printer, with the faults the scenario scripted.
    pub printer: crate::terminal::printer::Printer,
    /// The sales journal of the scenario's terminals.
    pub journal: Arc<crate::terminal::journal::Journal>,
    /// 実店舗試験: the business date and the seed of the day's plan.
    pub store_day_plan: Option<(chrono::NaiveDate, u64)>,
    /// 実店舗試験: what the day came to.
    pub store_day: Option<crate::terminal::store_day::DayTally>,
    /// The last three-way reconciliation.
    pub reconciliation: Option<crate::checks::settlement::Reconciliation>,
}

impl KofuWorld {
    /// The run context; the before hook always sets it.
    pub fn ctx(&self) -> &Arc<RunContext> {
        self.ctx
            .as_ref()
            .expect("the before hook sets the run context")
    }

    /// A client as the center: with the center's certificate.
    pub fn center(&self) -> CandidateClient {
        self.client(self.ctx().candidate.center_client())
    }

    /// A client with the given settings, recording evidence into this scenario's folder.
    pub fn client(&self, config: ClientConfig) -> CandidateClient {
        let evidence = Arc::new(DirEvidence::new(self.evidence_dir.clone()));
        match CandidateClient::new(config, evidence) {
            Ok(c) => c,
            Err(e) => panic!("cannot configure the client for the candidate: {e}"),
        }
    }

    /// The municipality under test: the one set by a step, else the 住所地 claim.
    pub fn municipality_code(&self) -> String {
        if let Some(m) = &self.municipality {
            return m.clone();
        }
        match self.ctx().candidate.residence_municipality() {
            Some(m) => m.code.clone(),
            None => panic!("no municipality profile claims to serve residents"),
        }
    }

    /// The reception time; a scenario that needs it must set it in 背景 or a step.
    pub fn reception_time(&self) -> DateTime<FixedOffset> {
        self.now
            .unwrap_or_else(|| panic!("the scenario set no reception time (受付日時)"))
    }
}
