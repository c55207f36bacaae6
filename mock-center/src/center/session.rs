//! Kiosk sessions: opening one with its challenge, the session's time, terminal and
//! validated card, the menus and transactions it saw, and closing it.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use base64::Engine as _;
use chrono::{DateTime, FixedOffset};
use kofu_profile::Reception;
use kofu_profile::menu::Menu;
use uuid::Uuid;

use super::api::{CardAccepted, OpenSession, SessionOpened};
use super::config::{CenterConfig, Clock};
use super::error::CenterError;
use super::messages::UNAVAILABLE_MESSAGE;
use crate::hours;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// Most open sessions kept; the oldest closed ones go first.
const MAX_SESSIONS: usize = 10_000;

/// The terminal a session was opened from.
#[derive(Debug, Clone)]
pub(super) struct Terminal {
    /// 事業者コード.
    pub(super) operator_code: String,
    /// Store id.
    pub(super) store_id: String,
    /// Terminal id.
    pub(super) terminal_id: String,
}

/// A session's reception time, terminal and validated card serial.
#[derive(Debug, Clone)]
pub(super) struct SessionView {
    /// The reception time of a request now.
    pub(super) now: DateTime<FixedOffset>,
    /// The terminal.
    pub(super) terminal: Terminal,
    /// The card serial, once the card was accepted.
    pub(super) card_serial: Option<String>,
}

impl SessionView {
    /// The center's stamp on a request to a candidate: a fresh request id.
    pub(super) fn reception(&self) -> Reception {
        Reception {
            request_id: Uuid::new_v4(),
            reception_time: self.now,
            operator_code: self.terminal.operator_code.clone(),
            store_id: self.terminal.store_id.clone(),
            terminal_id: self.terminal.terminal_id.clone(),
        }
    }
}

struct Session {
    terminal: Terminal,
    fixed_time: Option<DateTime<FixedOffset>>,
    challenge: Vec<u8>,
    card_serial: Option<String>,
    menus: Vec<Menu>,
    transactions: HashMap<Uuid, Transaction>,
    closed: bool,
}

/// An issuance of a session: where it went, for its outcome report.
#[derive(Clone)]
pub(super) struct Transaction {
    /// Municipality code.
    pub(super) municipality: String,
    /// The candidate's issuance id.
    pub(super) issuance_id: String,
    /// Index of the candidate that issued it.
    pub(super) candidate: usize,
}

fn no_session() -> CenterError {
    CenterError::new(
        axum::http::StatusCode::NOT_FOUND,
        "no-session",
        UNAVAILABLE_MESSAGE,
    )
}

/// The center's sessions by id.
#[derive(Default)]
pub(super) struct Sessions(Mutex<HashMap<Uuid, Session>>);

impl Sessions {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uuid, Session>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Open a session, within service hours and the session limit.
    pub(super) fn open(
        &self,
        req: OpenSession,
        config: &CenterConfig,
    ) -> Result<SessionOpened, CenterError> {
        let now = match (req.reception_time, config.trust_terminal_clock) {
            (Some(t), true) => t,
            _ => config.clock.now(),
        };
        hours::check(now).map_err(CenterError::closed)?;
        let challenge: Vec<u8> = Uuid::new_v4()
            .as_bytes()
            .iter()
            .chain(Uuid::new_v4().as_bytes())
            .copied()
            .collect();
        let id = Uuid::new_v4();
        let mut sessions = self.lock();
        if sessions.len() >= MAX_SESSIONS {
            sessions.retain(|_, s| !s.closed);
            if sessions.len() >= MAX_SESSIONS {
                return Err(CenterError::unavailable("too-many-sessions"));
            }
        }
        sessions.insert(
            id,
            Session {
                terminal: Terminal {
                    operator_code: req.operator_code,
                    store_id: req.store_id,
                    terminal_id: req.terminal_id,
                },
                fixed_time: req.reception_time.filter(|_| config.trust_terminal_clock),
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

    /// Session data needed by an operation: its time, terminal and validated card.
    pub(super) fn view(
        &self,
        id: Uuid,
        need_card: bool,
        clock: Clock,
    ) -> Result<SessionView, CenterError> {
        let sessions = self.lock();
        let session = sessions
            .get(&id)
            .filter(|s| !s.closed)
            .ok_or_else(no_session)?;
        if need_card && session.card_serial.is_none() {
            return Err(CenterError::new(
                axum::http::StatusCode::CONFLICT,
                "card-not-validated",
                UNAVAILABLE_MESSAGE,
            ));
        }
        let now = session.fixed_time.unwrap_or_else(|| clock.now());
        hours::check(now).map_err(CenterError::closed)?;
        Ok(SessionView {
            now,
            terminal: session.terminal.clone(),
            card_serial: session.card_serial.clone(),
        })
    }

    /// The session's reception time, closed or not, without the hours check.
    pub(super) fn time(
        &self,
        id: Uuid,
        clock: Clock,
    ) -> Result<DateTime<FixedOffset>, CenterError> {
        let sessions = self.lock();
        let session = sessions.get(&id).ok_or_else(no_session)?;
        Ok(session.fixed_time.unwrap_or_else(|| clock.now()))
    }

    /// The challenge the card must sign.
    pub(super) fn challenge(&self, id: Uuid) -> Vec<u8> {
        self.lock()
            .get(&id)
            .map(|s| s.challenge.clone())
            .unwrap_or_default()
    }

    /// Keep the result of the card check: the serial, or a closed session.
    pub(super) fn card_checked(&self, id: Uuid, result: &Result<CardAccepted, CenterError>) {
        if let Some(session) = self.lock().get_mut(&id) {
            match result {
                Ok(accepted) => session.card_serial = Some(accepted.card_serial.clone()),
                Err(_) => session.closed = true,
            }
        }
    }

    /// The menus the session was last shown.
    pub(super) fn menus(&self, id: Uuid) -> Vec<Menu> {
        self.lock()
            .get(&id)
            .map(|s| s.menus.clone())
            .unwrap_or_default()
    }

    /// Keep the menus the session was shown.
    pub(super) fn keep_menus(&self, id: Uuid, menus: Vec<Menu>) {
        if let Some(session) = self.lock().get_mut(&id) {
            session.menus = menus;
        }
    }

    /// Keep an issuance of the session under its transaction id.
    pub(super) fn add_transaction(&self, id: Uuid, transaction_id: Uuid, tx: Transaction) {
        if let Some(session) = self.lock().get_mut(&id) {
            session.transactions.insert(transaction_id, tx);
        }
    }

    /// An issuance of the session.
    pub(super) fn transaction(
        &self,
        id: Uuid,
        transaction_id: Uuid,
    ) -> Result<Transaction, CenterError> {
        self.lock()
            .get(&id)
            .and_then(|s| s.transactions.get(&transaction_id).cloned())
            .ok_or_else(|| {
                CenterError::new(
                    axum::http::StatusCode::NOT_FOUND,
                    "unknown-transaction",
                    UNAVAILABLE_MESSAGE,
                )
            })
    }

    /// Forget a session; whether it existed.
    pub(super) fn close(&self, id: Uuid) -> bool {
        self.lock().remove(&id).is_some()
    }
}
