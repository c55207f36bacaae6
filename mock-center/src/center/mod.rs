//! The center core and its terminal-facing API (axum).
//!
//! A kiosk session: open (the center answers a challenge) → the card's certificate and
//! signature (the center checks hours, chain, validity period, signature and revocation;
//! a refused card never reaches a candidate and is never charged) → menus → issuance
//! (the center stamps request id and reception time and routes to the candidate) →
//! print outcome per copy → close. Every issuance is a transaction of the [`Ledger`].
//!
//! The center never panics or hangs on a candidate: the [`CandidateClient`] bounds time
//! and size, and every answer of a candidate is handled as data.

pub mod api;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use base64::Engine as _;
use chrono::{DateTime, FixedOffset};
use kofu_fixtures::Fixtures;
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::OutcomeReport;
use kofu_profile::{ErrorCode, Reception};
use uuid::Uuid;

use crate::client::{CandidateClient, ClientConfig, DirEvidence, EvidenceSink, NoEvidence, Reply};
use crate::hours::{self, Closed};
use crate::jpki::{CardRefusal, Verifier};
use crate::ledger::{Ledger, LedgerError, NewTransaction, Period, TxState};
use crate::validity::{Validity, ValidityClient};
use api::*;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// Most open sessions kept; the oldest closed ones go first.
const MAX_SESSIONS: usize = 10_000;

/// The text a terminal shows when the center cannot serve now.
pub const UNAVAILABLE_MESSAGE: &str = "ただいま証明書を発行できません。時間をおいてお試しいただくか、市区町村の窓口でお尋ねください。";

/// Where the center's reception time comes from.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The system clock, read at each request.
    System,
    /// A fixed time (reproducible CLI runs).
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    fn now(self) -> DateTime<FixedOffset> {
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
    /// Folder for the evidence of every exchange with candidates; `None`: none kept.
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

/// A session's reception time, terminal and validated card serial.
type SessionView = (
    DateTime<FixedOffset>,
    (String, String, String),
    Option<String>,
);

struct Session {
    terminal: (String, String, String),
    fixed_time: Option<DateTime<FixedOffset>>,
    challenge: Vec<u8>,
    card_serial: Option<String>,
    menus: Vec<Menu>,
    transactions: HashMap<Uuid, Transaction>,
    closed: bool,
}

#[derive(Clone)]
struct Transaction {
    municipality: String,
    issuance_id: String,
    candidate: usize,
}

struct Inner {
    config: CenterConfig,
    verifier: Verifier,
    validity: ValidityClient,
    candidates: Vec<CandidateClient>,
    routes: tokio::sync::Mutex<Option<BTreeMap<String, usize>>>,
    sessions: Mutex<HashMap<Uuid, Session>>,
    ledger: Mutex<Ledger>,
}

/// The state of a running center; cheap to clone.
#[derive(Clone)]
pub struct CenterState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for CenterState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterState")
            .field("candidates", &self.inner.candidates.len())
            .finish_non_exhaustive()
    }
}

/// An error answered to the terminal.
#[derive(Debug, Clone)]
pub struct CenterError {
    status: StatusCode,
    body: CenterErrorBody,
}

impl CenterError {
    fn new(status: StatusCode, code: &str, message: &str) -> Self {
        Self {
            status,
            body: CenterErrorBody {
                code: code.to_owned(),
                message: message.to_owned(),
                candidate_code: None,
            },
        }
    }

    fn bad_request(detail: &str) -> Self {
        tracing::debug!(detail, "bad terminal request");
        Self::new(StatusCode::BAD_REQUEST, "bad-request", UNAVAILABLE_MESSAGE)
    }

    fn unavailable(code: &str) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, code, UNAVAILABLE_MESSAGE)
    }

    fn card(refusal: &CardRefusal) -> Self {
        let (code, message) = match refusal {
            CardRefusal::Malformed => ("card-malformed", CARD_UNUSABLE),
            CardRefusal::UnknownCa => ("card-unknown-ca", CARD_UNUSABLE),
            CardRefusal::BadSignature => ("card-bad-signature", CARD_UNUSABLE),
            CardRefusal::Expired => ("card-expired", CARD_EXPIRED),
        };
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    fn closed(closed: Closed) -> Self {
        match closed {
            Closed::OutsideHours => Self::new(StatusCode::FORBIDDEN, "out-of-hours", OUT_OF_HOURS),
            Closed::YearEnd => Self::new(StatusCode::FORBIDDEN, "year-end-closure", YEAR_END),
        }
    }

    fn refused(status: u16, code: ErrorCode) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            body: CenterErrorBody {
                code: "refused".to_owned(),
                message: code.terminal_message().to_owned(),
                candidate_code: Some(code.code().to_owned()),
            },
        }
    }

    /// The body.
    pub fn body(&self) -> &CenterErrorBody {
        &self.body
    }
}

impl IntoResponse for CenterError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// Terminal text: the card cannot be used (unknown CA, bad signature).
pub const CARD_UNUSABLE: &str =
    "このカードはご利用いただけません。市区町村の窓口でお尋ねください。";
/// Terminal text: the certificate is expired.
pub const CARD_EXPIRED: &str =
    "カードの利用者証明用電子証明書の有効期限が切れています。市区町村の窓口で更新してください。";
/// Terminal text: the certificate is revoked.
pub const CARD_REVOKED: &str =
    "カードの利用者証明用電子証明書は失効しています。市区町村の窓口でお尋ねください。";
/// Terminal text: the card is PIN-locked.
pub const CARD_LOCKED: &str = "暗証番号が3回続けて誤って入力されたため、カードがロックされています。市区町村の窓口でロックの解除をしてください。";
/// Terminal text: outside service hours.
pub const OUT_OF_HOURS: &str =
    "ただいまサービス時間外です。サービス時間は6時30分から23時までです。";
/// Terminal text: year-end closure.
pub const YEAR_END: &str = "12月29日から1月3日まではサービスを休止しています。";

type Answer<T> = Result<axum::Json<T>, CenterError>;

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, CenterError> {
    serde_json::from_slice(body).map_err(|e| CenterError::bad_request(&e.to_string()))
}

impl CenterState {
    /// Build a center. Candidates are asked who they are on first use, not here.
    pub fn new(config: CenterConfig) -> Result<Self, CenterSetupError> {
        if config.candidates.is_empty() {
            return Err(CenterSetupError::NoCandidate);
        }
        let evidence: Arc<dyn EvidenceSink> = match &config.evidence_dir {
            Some(dir) => Arc::new(DirEvidence::new(dir.clone())),
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
                sessions: Mutex::new(HashMap::new()),
                ledger: Mutex::new(ledger),
                config,
            }),
        })
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Session>> {
        self.inner
            .sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.inner
            .ledger
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn log_ledger(result: Result<(), LedgerError>) {
        if let Err(e) = result {
            tracing::error!(error = %crate::client::error_chain(&e), "ledger write failed");
        }
    }

    /// Municipality code → candidate index, asked of each candidate's identity once
    /// (again after a failure).
    async fn routes(&self) -> Result<BTreeMap<String, usize>, CenterError> {
        let mut guard = self.inner.routes.lock().await;
        if let Some(routes) = guard.as_ref() {
            return Ok(routes.clone());
        }
        let mut routes = BTreeMap::new();
        let mut answered = false;
        for (index, client) in self.inner.candidates.iter().enumerate() {
            match client.identity().await {
                Ok(Reply::Ok { value, .. }) => {
                    answered = true;
                    for code in value.municipalities {
                        routes.entry(code).or_insert(index);
                    }
                }
                Ok(Reply::Refused { status, .. }) => {
                    tracing::warn!(candidate = client.base_url(), status, "identity refused");
                }
                Err(e) => {
                    tracing::warn!(candidate = client.base_url(), error = %crate::client::error_chain(&e), "identity failed");
                }
            }
        }
        if !answered {
            return Err(CenterError::unavailable("candidate-unavailable"));
        }
        *guard = Some(routes.clone());
        Ok(routes)
    }

    /// Session data needed by an operation: its time, terminal and validated card.
    fn session_view(&self, id: Uuid, need_card: bool) -> Result<SessionView, CenterError> {
        let sessions = self.sessions();
        let session = sessions.get(&id).filter(|s| !s.closed).ok_or_else(|| {
            CenterError::new(StatusCode::NOT_FOUND, "no-session", UNAVAILABLE_MESSAGE)
        })?;
        if need_card && session.card_serial.is_none() {
            return Err(CenterError::new(
                StatusCode::CONFLICT,
                "card-not-validated",
                UNAVAILABLE_MESSAGE,
            ));
        }
        let now = session
            .fixed_time
            .unwrap_or_else(|| self.inner.config.clock.now());
        hours::check(now).map_err(CenterError::closed)?;
        Ok((now, session.terminal.clone(), session.card_serial.clone()))
    }

    fn reception(now: DateTime<FixedOffset>, terminal: &(String, String, String)) -> Reception {
        Reception {
            request_id: Uuid::new_v4(),
            reception_time: now,
            operator_code: terminal.0.clone(),
            store_id: terminal.1.clone(),
            terminal_id: terminal.2.clone(),
        }
    }

    /// Open a session.
    pub async fn open_session(&self, req: OpenSession) -> Result<SessionOpened, CenterError> {
        let now = match (req.reception_time, self.inner.config.trust_terminal_clock) {
            (Some(t), true) => t,
            _ => self.inner.config.clock.now(),
        };
        hours::check(now).map_err(CenterError::closed)?;
        let challenge: Vec<u8> = Uuid::new_v4()
            .as_bytes()
            .iter()
            .chain(Uuid::new_v4().as_bytes())
            .copied()
            .collect();
        let id = Uuid::new_v4();
        let mut sessions = self.sessions();
        if sessions.len() >= MAX_SESSIONS {
            sessions.retain(|_, s| !s.closed);
            if sessions.len() >= MAX_SESSIONS {
                return Err(CenterError::unavailable("too-many-sessions"));
            }
        }
        sessions.insert(
            id,
            Session {
                terminal: (req.operator_code, req.store_id, req.terminal_id),
                fixed_time: req
                    .reception_time
                    .filter(|_| self.inner.config.trust_terminal_clock),
                challenge: challenge.clone(),
                card_serial: None,
                menus: Vec::new(),
                transactions: HashMap::new(),
                closed: false,
            },
        );
        Ok(SessionOpened {
            session_id: id,
            challenge: B64.encode(challenge),
            reception_time: now,
        })
    }

    /// Check the card. A refused card closes the session.
    pub async fn present_card(
        &self,
        id: Uuid,
        card: CardPresentation,
    ) -> Result<CardAccepted, CenterError> {
        let (now, _, _) = self.session_view(id, false)?;
        let challenge = self
            .sessions()
            .get(&id)
            .map(|s| s.challenge.clone())
            .unwrap_or_default();
        let result = self.check_card(&card, &challenge, now).await;
        let mut sessions = self.sessions();
        if let Some(session) = sessions.get_mut(&id) {
            match &result {
                Ok(accepted) => session.card_serial = Some(accepted.card_serial.clone()),
                Err(_) => session.closed = true,
            }
        }
        result
    }

    async fn check_card(
        &self,
        card: &CardPresentation,
        challenge: &[u8],
        now: DateTime<FixedOffset>,
    ) -> Result<CardAccepted, CenterError> {
        let certificate = B64
            .decode(card.certificate.as_bytes())
            .map_err(|_| CenterError::card(&CardRefusal::Malformed))?;
        let signature = B64
            .decode(card.signature.as_bytes())
            .map_err(|_| CenterError::card(&CardRefusal::BadSignature))?;
        let verified = self
            .inner
            .verifier
            .verify(&certificate, challenge, &signature, now)
            .map_err(|r| {
                tracing::info!(refusal = %r, "card refused");
                CenterError::card(&r)
            })?;
        match self.inner.validity.status(&verified.serial).await {
            Ok(Validity::Good) => Ok(CardAccepted {
                card_serial: verified.serial,
            }),
            Ok(Validity::Revoked) => {
                tracing::info!(serial = verified.serial, "card revoked");
                Err(CenterError::new(
                    StatusCode::FORBIDDEN,
                    "card-revoked",
                    CARD_REVOKED,
                ))
            }
            Ok(Validity::Unknown) => Err(CenterError::new(
                StatusCode::FORBIDDEN,
                "card-unknown",
                CARD_UNUSABLE,
            )),
            Err(e) => {
                tracing::warn!(error = %crate::client::error_chain(&e), "validity service failed");
                Err(CenterError::unavailable("validity-unavailable"))
            }
        }
    }

    /// The menus of every served municipality for the session's card.
    pub async fn menus(&self, id: Uuid) -> Result<MenuAnswer, CenterError> {
        let (now, terminal, serial) = self.session_view(id, true)?;
        let serial = serial.unwrap_or_default();
        let routes = self.routes().await?;
        let mut menus = Vec::new();
        let mut answered = false;
        for (code, index) in &routes {
            let Some(client) = self.inner.candidates.get(*index) else {
                continue;
            };
            let req = MenuRequest {
                reception: Self::reception(now, &terminal),
                card_serial: serial.clone(),
            };
            match client.menu(code, &req).await {
                Ok(Reply::Ok { value, .. }) => {
                    answered = true;
                    if !value.items.is_empty() || value.koseki_registration.is_some() {
                        menus.push(value);
                    }
                }
                Ok(Reply::Refused { status, error, .. }) => {
                    answered = true;
                    tracing::info!(
                        municipality = code,
                        status,
                        code = error.code.code(),
                        "menu refused"
                    );
                }
                Err(e) => {
                    tracing::warn!(municipality = code, error = %crate::client::error_chain(&e), "menu failed");
                }
            }
        }
        if !answered {
            return Err(CenterError::unavailable("candidate-unavailable"));
        }
        if let Some(session) = self.sessions().get_mut(&id) {
            session.menus = menus.clone();
        }
        Ok(MenuAnswer { menus })
    }

    /// Request an issuance and route it.
    pub async fn issue(&self, id: Uuid, req: IssueRequest) -> Result<Issued, CenterError> {
        let (now, terminal, serial) = self.session_view(id, true)?;
        let serial = serial.unwrap_or_default();
        let routes = self.routes().await?;
        if let Some(operator) = self
            .inner
            .config
            .fixtures
            .operators
            .iter()
            .find(|o| o.code == terminal.0)
            && (req.copies == 0 || req.copies > operator.max_copies_per_transaction)
        {
            return Err(CenterError::bad_request(
                "copies outside the operator's limit",
            ));
        }
        let municipality = match &req.municipality {
            Some(code) => code.clone(),
            None => {
                let cached = self
                    .sessions()
                    .get(&id)
                    .map(|s| s.menus.clone())
                    .unwrap_or_default();
                let menus = if cached.is_empty() {
                    self.menus(id).await?.menus
                } else {
                    cached
                };
                menus
                    .iter()
                    .find(|m| m.items.iter().any(|i| i.certificate == req.certificate))
                    .map(|m| m.municipality.clone())
                    .ok_or_else(|| CenterError::refused(422, ErrorCode::NotIssuable))?
            }
        };
        let index = *routes.get(&municipality).ok_or_else(|| {
            CenterError::new(
                StatusCode::NOT_FOUND,
                "unknown-municipality",
                UNAVAILABLE_MESSAGE,
            )
        })?;
        let client = self
            .inner
            .candidates
            .get(index)
            .ok_or_else(|| CenterError::unavailable("candidate-unavailable"))?;
        let reception = Self::reception(now, &terminal);
        let request_id = reception.request_id;
        let profile_request = kofu_profile::issuance::IssuanceRequest {
            reception: reception.clone(),
            card_serial: serial,
            certificate: req.certificate,
            options: req.options,
            copies: req.copies,
        };
        Self::log_ledger(self.ledger().open_transaction(&NewTransaction {
            request_id: request_id.to_string(),
            municipality: municipality.clone(),
            operator_code: terminal.0.clone(),
            store_id: terminal.1.clone(),
            terminal_id: terminal.2.clone(),
            certificate: req.certificate.code().to_owned(),
            copies: req.copies,
            reception_time: now,
        }));
        let tx = request_id.to_string();
        match client.issue(&municipality, &profile_request).await {
            Ok(Reply::Ok { value, .. }) => {
                Self::log_ledger(self.ledger().issued(
                    &tx,
                    now,
                    &value.issuance_id,
                    value.fee_per_copy,
                    value.copies,
                ));
                if let Some(session) = self.sessions().get_mut(&id) {
                    session.transactions.insert(
                        request_id,
                        Transaction {
                            municipality,
                            issuance_id: value.issuance_id.clone(),
                            candidate: index,
                        },
                    );
                }
                Ok(Issued {
                    transaction_id: request_id,
                    reception,
                    issuance: value,
                })
            }
            Ok(Reply::Refused { status, error, .. }) => {
                Self::log_ledger(self.ledger().ended(
                    &tx,
                    now,
                    TxState::Refused,
                    error.code.code(),
                ));
                Err(CenterError::refused(status, error.code))
            }
            Err(e) => {
                let detail = crate::client::error_chain(&e);
                tracing::warn!(municipality, error = %detail, "issuance failed");
                Self::log_ledger(self.ledger().ended(&tx, now, TxState::Failed, &detail));
                Err(CenterError::unavailable("candidate-unavailable"))
            }
        }
    }

    /// Report what the printer did with each copy.
    pub async fn report(
        &self,
        id: Uuid,
        transaction: Uuid,
        report: PrintReport,
    ) -> Result<PrintRecorded, CenterError> {
        let now = {
            let sessions = self.sessions();
            let session = sessions.get(&id).ok_or_else(|| {
                CenterError::new(StatusCode::NOT_FOUND, "no-session", UNAVAILABLE_MESSAGE)
            })?;
            session
                .fixed_time
                .unwrap_or_else(|| self.inner.config.clock.now())
        };
        let tx = self
            .sessions()
            .get(&id)
            .and_then(|s| s.transactions.get(&transaction).cloned())
            .ok_or_else(|| {
                CenterError::new(
                    StatusCode::NOT_FOUND,
                    "unknown-transaction",
                    UNAVAILABLE_MESSAGE,
                )
            })?;
        let client = self
            .inner
            .candidates
            .get(tx.candidate)
            .ok_or_else(|| CenterError::unavailable("candidate-unavailable"))?;
        // The ledger keeps what the terminal saw its printer do, whatever the candidate
        // answers: that is the center's own account for settlement.
        let printed: Vec<_> = report.copies.iter().map(|c| (c.copy, c.outcome)).collect();
        Self::log_ledger(
            self.ledger()
                .outcomes(&transaction.to_string(), now, &printed),
        );
        let body = OutcomeReport {
            reported_at: now,
            copies: report.copies,
        };
        match client
            .report_outcome(&tx.municipality, &tx.issuance_id, &body)
            .await
        {
            Ok(Reply::Ok { value, .. }) => Ok(value),
            Ok(Reply::Refused { status, error, .. }) => {
                Err(CenterError::refused(status, error.code))
            }
            Err(e) => {
                tracing::warn!(error = %crate::client::error_chain(&e), "outcome report failed");
                Err(CenterError::unavailable("candidate-unavailable"))
            }
        }
    }

    /// Close a session.
    pub fn close(&self, id: Uuid) -> bool {
        self.sessions().remove(&id).is_some()
    }

    /// Settlement statements of the ledger.
    pub fn statements(&self, period: Period) -> Result<Vec<crate::ledger::Statement>, LedgerError> {
        self.ledger()
            .statements(&self.inner.config.fixtures.operators, period)
    }

    /// The ledger's transactions of the JST business dates `from..=to`.
    pub fn transactions(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<crate::ledger::LedgerTransaction>, LedgerError> {
        self.ledger().transactions(from, to)
    }

    /// State history of a transaction in the ledger.
    pub fn history(&self, transaction: &str) -> Result<Vec<(String, String, String)>, LedgerError> {
        self.ledger().history(transaction)
    }
}

async fn h_open(State(s): State<CenterState>, body: Bytes) -> Answer<SessionOpened> {
    Ok(axum::Json(s.open_session(parse(&body)?).await?))
}

async fn h_card(
    State(s): State<CenterState>,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Answer<CardAccepted> {
    Ok(axum::Json(s.present_card(id, parse(&body)?).await?))
}

async fn h_menu(State(s): State<CenterState>, Path(id): Path<Uuid>) -> Answer<MenuAnswer> {
    Ok(axum::Json(s.menus(id).await?))
}

async fn h_issue(
    State(s): State<CenterState>,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Answer<Issued> {
    Ok(axum::Json(s.issue(id, parse(&body)?).await?))
}

async fn h_outcome(
    State(s): State<CenterState>,
    Path((id, tx)): Path<(Uuid, Uuid)>,
    body: Bytes,
) -> Answer<PrintRecorded> {
    Ok(axum::Json(s.report(id, tx, parse(&body)?).await?))
}

async fn h_close(State(s): State<CenterState>, Path(id): Path<Uuid>) -> StatusCode {
    if s.close(id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn h_health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

#[derive(serde::Deserialize)]
struct SettlementQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

async fn h_settlements(State(s): State<CenterState>, Query(q): Query<SettlementQuery>) -> Response {
    let period = match q.period.as_deref() {
        None | Some("day") => Period::Day,
        Some("month") => Period::Month,
        Some(_) => return CenterError::bad_request("period is day or month").into_response(),
    };
    let statements = match s.statements(period) {
        Ok(st) => st,
        Err(e) => {
            tracing::error!(error = %crate::client::error_chain(&e), "settlement failed");
            return CenterError::unavailable("ledger-error").into_response();
        }
    };
    let rendered = match q.format.as_deref() {
        Some("csv") => {
            crate::ledger::statements_csv(&statements).map(|t| ("text/csv; charset=utf-8", t))
        }
        _ => crate::ledger::statements_json(&statements).map(|t| ("application/json", t)),
    };
    match rendered {
        Ok((media, text)) => ([(axum::http::header::CONTENT_TYPE, media)], text).into_response(),
        Err(_) => CenterError::unavailable("ledger-error").into_response(),
    }
}

/// The terminal-facing API.
pub fn app(state: CenterState) -> Router {
    Router::new()
        .route("/health", get(h_health))
        .route("/v1/sessions", post(h_open))
        .route("/v1/sessions/{id}", delete(h_close))
        .route("/v1/sessions/{id}/card", post(h_card))
        .route("/v1/sessions/{id}/menu", post(h_menu))
        .route("/v1/sessions/{id}/issuances", post(h_issue))
        .route("/v1/sessions/{id}/issuances/{tx}/outcome", post(h_outcome))
        .route("/v1/settlements", get(h_settlements))
        .layer(axum::extract::DefaultBodyLimit::max(256 * 1024))
        .with_state(state)
}

/// Serve the terminal API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: CenterState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A center running in-process on 127.0.0.1 with its own wiremock validity service.
pub struct RunningCenter {
    /// Base URL of the terminal API, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    /// The state (ledger access).
    pub state: CenterState,
    _validity: wiremock::MockServer,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for RunningCenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningCenter")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RunningCenter {
    /// Start a center on 127.0.0.1:0 with a wiremock validity service fed from the
    /// fixtures. `config.validity_url` is replaced by the mock's.
    pub async fn start(mut config: CenterConfig) -> Result<Self, StartError> {
        let validity = crate::validity::start_mock(&config.fixtures).await;
        config.validity_url = validity.uri();
        let state = CenterState::new(config)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        let task = tokio::spawn(async move {
            if let Err(e) = serve(listener, serving, async {
                let _ = rx.await;
            })
            .await
            {
                tracing::error!(error = %e, "the center stopped");
            }
        });
        Ok(Self {
            url: format!("http://{addr}"),
            state,
            _validity: validity,
            stop: Some(tx),
            task,
        })
    }

    /// Stop serving.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Errors starting an in-process center.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration was refused.
    #[error("cannot set up the center")]
    Setup(#[from] CenterSetupError),
    /// No loopback port.
    #[error("cannot bind 127.0.0.1")]
    Bind(#[source] std::io::Error),
}
