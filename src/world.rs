//! The cucumber World of one scenario: its own scene (clock, card, municipality,
//! terminal), the resident's choice, what the candidate answered, the kiosk session, the
//! calls made through the mock center, and the store-trial day. Nothing is shared
//! between scenarios but the run's [`Rig`]. The World holds state; it knows no step.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_fixtures::Card;
use kofu_mock_center::center::api::{Issued, MenuAnswer, SessionOpened};
use kofu_mock_center::client::{ClientConfig, RawResponse};
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::registration::Registration;
use kofu_profile::{CertificateType, ErrorBody, IssuanceOptions, Reception};
use kofu_profile::{identity::Identity, menu::Menu};

use crate::checks::settlement::Reconciliation;
use crate::rig::{AuditedClient, Rig};
use crate::terminal::TerminalId;
use crate::terminal::center_link::KioskError;
use crate::terminal::journal::Journal;
use crate::terminal::printer::Printer;
use crate::terminal::session::{KioskSession, SessionError};
use crate::terminal::store_day::DayTally;

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
    /// An HTTP answer that breaks the profile's rules for every answer or is not the
    /// operation's type (the detail says which rule).
    BrokeProfile {
        /// HTTP status.
        status: u16,
        /// What is wrong, in the profile's words.
        detail: String,
    },
    /// A successful profile answer (status only; the value is kept in its own field).
    Ok {
        /// HTTP status.
        status: u16,
        /// The version header of the response.
        profile_version: Option<String>,
    },
}

/// The candidate's last answer as a sentence, e.g. `HTTP 201 (profile 1.2)` or
/// `refused with HTTP 422 type-not-offered: …`.
impl std::fmt::Display for LastAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LastAnswer::Raw(raw) => write!(f, "HTTP {}", raw.status),
            LastAnswer::Refused { status, error } => write!(
                f,
                "refused with HTTP {status} {}: {}",
                error.code, error.message
            ),
            LastAnswer::TransportError(e) => write!(f, "no HTTP answer ({e})"),
            LastAnswer::BrokeProfile { status, detail } => {
                write!(f, "HTTP {status} that breaks the profile: {detail}")
            }
            LastAnswer::Ok {
                status,
                profile_version,
            } => match profile_version {
                Some(v) => write!(f, "HTTP {status} (profile {v})"),
                None => write!(f, "HTTP {status} (no profile version header)"),
            },
        }
    }
}

/// 受付: where and when the scenario takes place, and with which card.
#[derive(Debug, Default)]
pub struct Scene {
    /// 受付日時: the reception time the center stamps (the injected clock).
    pub now: Option<DateTime<FixedOffset>>,
    /// The card placed on the terminal.
    pub card: Option<Card>,
    /// The municipality the scenario addresses.
    pub municipality: Option<String>,
    /// The terminal in use.
    pub terminal: Option<TerminalId>,
}

/// The certificate and options the resident chose for a request to the candidate.
#[derive(Debug, Default)]
pub struct Choice {
    /// The certificate the resident is choosing.
    pub certificate: Option<CertificateType>,
    /// The options the resident chose.
    pub options: IssuanceOptions,
}

/// What the candidate answered when steps called it directly.
#[derive(Debug, Default)]
pub struct Answers {
    /// Last answer of the candidate.
    pub last: Option<LastAnswer>,
    /// Last identity received.
    pub identity: Option<Identity>,
    /// Last menu received.
    pub menu: Option<Menu>,
    /// Issuances received, in order, with the request sent.
    pub issuances: Vec<(IssuanceRequest, Issuance)>,
    /// The last issuance request sent, whether it was answered or refused.
    pub sent: Option<IssuanceRequest>,
    /// Count of PDFs saved, for file names.
    pub saved_pdfs: usize,
    /// 利用登録申請 answers, in order: as filed, then as read back.
    pub registrations: Vec<Registration>,
    /// Raw answers kept for a byte-for-byte comparison, with what was asked.
    pub kept_answers: Vec<(String, RawResponse)>,
    /// The last TLS handshake probe.
    pub handshake: Option<kofu_mock_center::client::HandshakeProbe>,
}

/// キオスク端末: the resident's session at the terminal, as a state machine.
#[derive(Debug, Default)]
pub struct AtKiosk {
    /// The session, from the card placed to the card taken (`steps::kiosk`).
    pub session: Option<KioskSession>,
    /// The last action the terminal refused.
    pub refused: Option<SessionError>,
    /// The terminal's printer, with the faults the scenario scripted.
    pub printer: Printer,
    /// The sales journal of the scenario's terminals.
    pub journal: Arc<Journal>,
}

/// 交付センターを通して: what the steps did one call at a time through the mock
/// center's terminal API (`steps::center`), below the kiosk session.
#[derive(Debug, Default)]
pub struct ThroughCenter {
    /// The open session.
    pub session: Option<SessionOpened>,
    /// The accepted card serial.
    pub accepted: Option<String>,
    /// The last refusal.
    pub refusal: Option<KioskError>,
    /// The last menus.
    pub menus: Option<MenuAnswer>,
    /// Issuances through the center.
    pub issued: Vec<Issued>,
}

/// 実店舗試験: the business day of the store trial.
#[derive(Debug, Default)]
pub struct StoreDay {
    /// The business date and the seed of the day's plan.
    pub plan: Option<(NaiveDate, u64)>,
    /// What the day came to.
    pub tally: Option<DayTally>,
    /// The three-way reconciliation of the closed day.
    pub reconciliation: Option<Reconciliation>,
    /// 異動連携の営業日: the residents are the holders of the cards reserved for it.
    pub pool: Option<kofu_fixtures::Reservation>,
    /// The register changes that arrive during the day: effective time, sending
    /// municipality, change; each is delivered once the visits before it are done.
    pub changes: Vec<(
        DateTime<FixedOffset>,
        String,
        kofu_profile::register_event::RegisterChange,
    )>,
    /// The plan the day ran.
    pub planned: Option<crate::terminal::store_day::DayPlan>,
    /// The days the load phase has already closed one by one; the closing step finishes it
    /// instead of reconciling the (emptied) journal.
    pub closing: Option<crate::checks::settlement::Closing>,
}

/// 異常系試験: the scenario's own network with its fault injector and center.
#[derive(Debug, Default)]
pub struct Faults {
    /// The center's wait set by the scenario (default [`crate::rig::faulty::FAULTS_WAIT`]).
    pub wait: Option<std::time::Duration>,
    /// The network, started at the first step that needs it.
    pub network: Option<crate::rig::faulty::FaultyNetwork>,
    /// Whether the steps' own calls to the candidate go through the network too (with
    /// the center's resends), not only the terminals'.
    pub direct: bool,
    /// How many of the center's unprinted issuances the audit has already seen.
    pub audited_unprinted: usize,
    /// The receipts of visits made at the same second, or why a visit failed.
    pub receipts: Vec<Result<crate::terminal::session::Receipt, String>>,
}

/// 異動連携: the register changes this scenario delivered.
#[derive(Debug, Default)]
pub struct Feed {
    /// Every event delivered, with the municipality it was sent to, in order.
    pub sent: Vec<(String, kofu_profile::register_event::RegisterEvent)>,
    /// The candidate's receipt of the last delivery, if it accepted it.
    pub receipt: Option<kofu_profile::register_event::RegisterEventReceipt>,
}

/// The World of one scenario.
#[derive(Debug, Default, cucumber::World)]
pub struct KofuWorld {
    /// The run's rig; set by the engine's before hook.
    pub rig: Option<Arc<Rig>>,
    /// Where this scenario's evidence goes.
    pub evidence_dir: PathBuf,
    /// When, where and with which card.
    pub scene: Scene,
    /// The resident's choice for a direct request.
    pub choice: Choice,
    /// What the candidate answered.
    pub answers: Answers,
    /// The kiosk session.
    pub kiosk: AtKiosk,
    /// Calls through the mock center's terminal API.
    pub through_center: ThroughCenter,
    /// The store-trial day.
    pub store_day: StoreDay,
    /// The faults phase's network.
    pub faults: Faults,
    /// The register changes delivered (異動連携).
    pub feed: Feed,
    /// 負荷試験: the peak day's figures.
    pub load: Option<crate::terminal::store_day::timing::LoadReport>,
}

impl KofuWorld {
    /// The run's rig; the before hook always sets it.
    pub fn rig(&self) -> &Arc<Rig> {
        self.rig.as_ref().expect("the before hook sets the rig")
    }

    /// The candidate as the center reaches it, recording into this scenario's folder.
    pub fn candidate(&self) -> AuditedClient {
        match &self.faults.network {
            Some(network) if self.faults.direct => self
                .rig()
                .candidate_client_with(network.client.clone(), &self.evidence_dir),
            _ => self.rig().candidate_client(&self.evidence_dir),
        }
    }

    /// The candidate reached with other client settings, recording into this
    /// scenario's folder.
    pub fn candidate_with(&self, config: ClientConfig) -> AuditedClient {
        self.rig().candidate_client_with(config, &self.evidence_dir)
    }

    /// The terminals' link to the center of this scenario: its faulty network's, else
    /// the run's.
    pub fn center_link(&self) -> crate::terminal::center_link::CenterLink {
        match &self.faults.network {
            Some(network) => network.link.clone(),
            None => self.rig().center.link.clone(),
        }
    }

    /// The state (ledger) of this scenario's center: its faulty network's, else the
    /// run's.
    pub fn center_state(&self) -> kofu_mock_center::center::CenterState {
        match &self.faults.network {
            Some(network) => network.center.state.clone(),
            None => self.rig().center.running.state.clone(),
        }
    }

    /// The municipality under test: the one set by a step, else the 住所地 claim.
    pub fn municipality_code(&self) -> String {
        if let Some(m) = &self.scene.municipality {
            return m.clone();
        }
        match self.rig().candidate.residence_municipality() {
            Some(m) => m.code.clone(),
            None => panic!("no municipality profile claims to serve residents"),
        }
    }

    /// The reception time; a scenario that needs it must set it in 背景 or a step.
    pub fn reception_time(&self) -> DateTime<FixedOffset> {
        self.scene
            .now
            .unwrap_or_else(|| panic!("the scenario set no reception time (受付日時)"))
    }

    /// The scenario's terminal: the one chosen by a step, else the first terminal of
    /// the first operator in the fixtures.
    pub fn terminal_id(&self) -> TerminalId {
        if let Some(t) = &self.scene.terminal {
            return t.clone();
        }
        TerminalId::first(&self.rig().fixtures).unwrap_or_else(|| {
            panic!("the fixtures define no operator with a store and a terminal")
        })
    }

    /// The card placed on the terminal; none is a scenario error.
    pub fn placed_card(&self) -> &Card {
        self.scene
            .card
            .as_ref()
            .unwrap_or_else(|| panic!("no card was placed on the terminal (カード … を置く)"))
    }

    /// The register an answer to `request` is judged by: the fixtures with the register
    /// changes in force at its reception time (異動連携), as the run's audit sees them.
    pub fn register_for(&self, request: &IssuanceRequest) -> Arc<kofu_fixtures::Fixtures> {
        self.rig().audit().register_for(request)
    }

    /// The register as it stands at the scenario's reception time, with every change
    /// accepted so far: what a menu asked now is judged by.
    pub fn register_now(&self) -> Arc<kofu_fixtures::Fixtures> {
        self.rig()
            .audit()
            .feed()
            .register_now(self.reception_time())
    }

    /// The center's stamp for a new request: a fresh request id and the scenario's clock.
    pub fn reception(&self) -> Reception {
        let id = self.terminal_id();
        Reception {
            request_id: uuid::Uuid::new_v4(),
            reception_time: self.reception_time(),
            operator_code: id.operator,
            store_id: id.store,
            terminal_id: id.terminal,
        }
    }

    /// An issuance request for the placed card.
    pub fn issuance_request(
        &self,
        certificate: CertificateType,
        options: IssuanceOptions,
        copies: u8,
    ) -> IssuanceRequest {
        let card_serial = self.placed_card().serial.clone();
        IssuanceRequest {
            reception: self.reception(),
            card_serial,
            certificate,
            options,
            copies: i64::from(copies),
        }
    }
}
