//! The rig: the run's shared actors, started by the engine ([`crate::run`]) before the
//! first scenario and stopped after the last. It holds the candidate under test (reached
//! through [`AuditedClient`]), the in-process mock center (証明書交付センター) with its
//! test JPKI, the terminals' link to that center, and the issuance seam
//! ([`audit::IssuanceAudit`]) every issuance the candidate returns passes through.
//!
//! Data flows one way: the engine starts the rig, steps drive it, checks judge what it
//! received. Nothing here knows a scenario, a step or the World.

pub mod audit;
pub mod client;
pub mod faulty;
pub mod feed;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use kofu_fixtures::Fixtures;
use kofu_mock_center::center::{CenterConfig, Clock, RunningCenter};
use kofu_mock_center::client::{CandidateClient, ClientConfig, DirEvidence, NoEvidence};
use kofu_mock_center::jpki::TestJpki;

use crate::additions::Additions;
use crate::candidate::Candidate;
use crate::terminal::center_link::CenterLink;

pub use audit::{IssuanceAudit, IssuedVia};
pub use client::AuditedClient;
pub use feed::RegisterFeed;

/// Errors starting the rig: setup errors (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RigError {
    /// The test JPKI (the cards' certificates) could not be generated.
    #[error("the test JPKI could not be generated")]
    Jpki(#[source] kofu_mock_center::jpki::JpkiError),
    /// The in-process mock center did not start.
    #[error("the mock center did not start")]
    Center(#[source] kofu_mock_center::center::StartError),
    /// The terminals' link to the mock center could not be configured.
    #[error("the terminals cannot reach the mock center")]
    Link(#[source] crate::terminal::center_link::KioskError),
    /// The faults phase's network (the fault injector) could not be set up.
    #[error("the fault injector cannot reach the candidate: {0}")]
    Faults(String),
}

/// The in-process mock center in front of the candidate, with the test cards it trusts.
pub struct MockCenter {
    /// The center: its terminal API and its ledger.
    pub running: RunningCenter,
    /// 試験用 JPKI: the cards whose certificates the center checks.
    pub jpki: TestJpki,
    /// A terminal's link to the center; every issuance through it passes the audit seam.
    pub link: CenterLink,
}

impl std::fmt::Debug for MockCenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockCenter")
            .field("url", &self.running.url)
            .finish_non_exhaustive()
    }
}

/// 負荷試験: the sizes `kofu load` asks for; a field left `None` keeps the scenario's.
#[derive(Debug, Clone, Default)]
pub struct LoadKnobs {
    /// Terminals per fixture terminal (`--lanes`).
    pub lanes: Option<usize>,
    /// Visits per terminal (`--visits-per-lane`).
    pub visits_per_lane: Option<usize>,
    /// Seed of the day's plan (`--seed`).
    pub seed: Option<u64>,
    /// Business date of the first day (`--date`).
    pub date: Option<chrono::NaiveDate>,
    /// Business days to run one after another (`--days`); `None` or 0 mean one.
    pub days: Option<usize>,
    /// Soak mode (`--soak SECONDS`): run day after day until this much time has passed,
    /// sampling kofu's memory after each day.
    pub soak: Option<std::time::Duration>,
}

/// The run's shared actors and read-only context, shared by every scenario.
#[derive(Debug)]
pub struct Rig {
    /// The fixtures.
    pub fixtures: Arc<Fixtures>,
    /// The candidate under test: its claims and how it is reached.
    pub candidate: Candidate,
    /// The run's report folder.
    pub run_dir: PathBuf,
    /// 追加試験: the additions in play (`--added`, else every bundled one).
    pub additions: Additions,
    /// The in-process mock center.
    pub center: MockCenter,
    /// 負荷試験: the sizes asked for on the command line.
    pub load: LoadKnobs,
    audit: Arc<IssuanceAudit>,
    /// The center's client of the candidate, made on first use: one HTTP client, so one
    /// connection pool, for every scenario, each recording into its own folder.
    center_client: OnceLock<CandidateClient>,
}

impl Rig {
    /// Start the run's mock center on 127.0.0.1:0 in front of `candidate`, with a fresh
    /// test JPKI, its ledger under `<run_dir>/scratch/` and its evidence under
    /// `<run_dir>/evidence/center/`.
    pub async fn start(
        fixtures: Arc<Fixtures>,
        candidate: Candidate,
        run_dir: PathBuf,
        additions: Additions,
    ) -> Result<Self, RigError> {
        let audit = Arc::new(IssuanceAudit::new(
            fixtures.clone(),
            candidate.municipalities.clone(),
        ));
        let jpki = TestJpki::generate(&fixtures).map_err(RigError::Jpki)?;
        let config = CenterConfig {
            fixtures: fixtures.clone(),
            candidates: vec![candidate.center_client()],
            jpki_ca_der: jpki.ca_der.clone(),
            validity_url: String::new(),
            clock: Clock::System,
            trust_terminal_clock: true,
            ledger_path: Some(run_dir.join("scratch").join("center-ledger.sqlite")),
            evidence_dir: Some(run_dir.join("evidence").join("center")),
        };
        let running = RunningCenter::start(config)
            .await
            .map_err(RigError::Center)?;
        let link = CenterLink::new(&running.url)
            .map_err(RigError::Link)?
            .observed_by(audit.clone());
        Ok(Self {
            fixtures,
            candidate,
            run_dir,
            additions,
            center: MockCenter {
                running,
                jpki,
                link,
            },
            load: LoadKnobs::default(),
            audit,
            center_client: OnceLock::new(),
        })
    }

    /// The candidate as the center reaches it (the center's client certificate),
    /// recording every exchange into `evidence`. Every such client shares the run's
    /// connections to the candidate: a mutual-TLS handshake per connection, not per
    /// scenario.
    pub fn candidate_client(&self, evidence: &Path) -> AuditedClient {
        let shared = self.center_client.get_or_init(|| {
            CandidateClient::new(self.candidate.center_client(), Arc::new(NoEvidence))
                .unwrap_or_else(|e| panic!("cannot configure the client for the candidate: {e}"))
        });
        let sink = Arc::new(DirEvidence::new(evidence.to_owned()));
        AuditedClient::new(shared.with_evidence(sink), self.audit.clone())
    }

    /// The candidate reached with other settings (no client certificate, a stranger's,
    /// another profile version, a faults network's), recording every exchange into
    /// `evidence`: a client of its own, with connections of its own.
    pub fn candidate_client_with(&self, config: ClientConfig, evidence: &Path) -> AuditedClient {
        let sink = Arc::new(DirEvidence::new(evidence.to_owned()));
        match CandidateClient::new(config, sink) {
            Ok(client) => AuditedClient::new(client, self.audit.clone()),
            Err(e) => panic!("cannot configure the client for the candidate: {e}"),
        }
    }

    /// The issuance seam of this run.
    pub fn audit(&self) -> &IssuanceAudit {
        &self.audit
    }

    /// Stop the mock center, then the candidate if it was started in-process.
    pub async fn stop(self) {
        self.center.running.stop().await;
        self.candidate.stop().await;
    }
}
