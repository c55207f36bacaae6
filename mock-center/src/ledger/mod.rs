//! The center's ledger in SQLite: every transaction with its state history, and the
//! settlement statements (清算) per municipality × operator × business day and per month,
//! exported as CSV and JSON.
//!
//! Commission (委託手数料) follows the operator's contract in `fixtures/operators`: a
//! per-copy amount before tax, a tax rate, a rounding rule (floor / half-up / ceil) and a
//! tax basis (tax on each copy, or on the statement's total). Only confirmed (確定) copies
//! count: cancelled (取消) copies carry no fee and no commission.

//!
//! - `reads`: the transactions and their history as reconciliation reads them, and the
//!   confirmed copies grouped into statements.
//! - `statement`: [`Statement`], the commission rules, and the CSV and JSON exports.

mod reads;
mod statement;

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_profile::outcome::Outcome;
use rusqlite::{Connection, params};

pub use reads::LedgerTransaction;
pub use statement::{Period, Statement, commission, round_div, statements_csv, statements_json};

/// Errors of the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// SQLite failed.
    #[error("ledger database error")]
    Sql(#[from] rusqlite::Error),
    /// CSV writing failed.
    #[error("cannot write the settlement CSV")]
    Csv(#[from] csv::Error),
    /// JSON writing failed.
    #[error("cannot write the settlement JSON")]
    Json(#[from] serde_json::Error),
    /// An unknown transaction.
    #[error("unknown transaction {0}")]
    UnknownTransaction(String),
}

/// State of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxState {
    /// Sent to the candidate.
    Requested,
    /// The candidate issued it; copies pending.
    Issued,
    /// The candidate refused it.
    Refused,
    /// The candidate failed or did not answer.
    Failed,
    /// Every copy has an outcome.
    Completed,
}

impl TxState {
    /// Word stored in the database.
    pub fn word(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Issued => "issued",
            Self::Refused => "refused",
            Self::Failed => "failed",
            Self::Completed => "completed",
        }
    }
}

/// A new transaction as the center stamps it.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    /// The center's request id (also the transaction id).
    pub request_id: String,
    /// Routed municipality.
    pub municipality: String,
    /// 事業者コード, store, terminal.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// Certificate type code.
    pub certificate: String,
    /// Copies requested.
    pub copies: u8,
    /// Reception time.
    pub reception_time: DateTime<FixedOffset>,
}

/// The center's ledger.
pub struct Ledger {
    db: Connection,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").finish_non_exhaustive()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS transactions (
  request_id TEXT PRIMARY KEY,
  municipality TEXT NOT NULL,
  operator_code TEXT NOT NULL,
  store_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  certificate TEXT NOT NULL,
  copies INTEGER NOT NULL,
  reception_time TEXT NOT NULL,
  business_date TEXT NOT NULL,
  state TEXT NOT NULL,
  issuance_id TEXT,
  fee_per_copy INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS copies (
  request_id TEXT NOT NULL,
  copy INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (request_id, copy)
);
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT NOT NULL,
  at TEXT NOT NULL,
  state TEXT NOT NULL,
  detail TEXT NOT NULL
);
";

impl Ledger {
    /// Open (or create) the ledger at `path`.
    pub fn open(path: &Path) -> Result<Self, LedgerError> {
        Self::init(Connection::open(path)?)
    }

    /// A ledger in memory.
    pub fn in_memory() -> Result<Self, LedgerError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(db: Connection) -> Result<Self, LedgerError> {
        // WAL with NORMAL sync: a committed transaction survives a crash of the center
        // process, and a busy store-trial day does not wait on an fsync per write.
        let _mode: String = db.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        db.execute_batch("PRAGMA synchronous = NORMAL;")?;
        db.execute_batch(SCHEMA)?;
        Ok(Self { db })
    }

    fn event(
        &self,
        id: &str,
        at: DateTime<FixedOffset>,
        state: TxState,
        detail: &str,
    ) -> Result<(), LedgerError> {
        self.db.execute(
            "INSERT INTO history (request_id, at, state, detail) VALUES (?1, ?2, ?3, ?4)",
            params![id, at.to_rfc3339(), state.word(), detail],
        )?;
        Ok(())
    }

    /// Record a new transaction, state `requested`.
    pub fn open_transaction(&self, tx: &NewTransaction) -> Result<(), LedgerError> {
        let business_date = tx
            .reception_time
            .with_timezone(&crate::hours::jst())
            .date_naive();
        self.db.execute(
            "INSERT INTO transactions (request_id, municipality, operator_code, store_id, terminal_id,
               certificate, copies, reception_time, business_date, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                tx.request_id,
                tx.municipality,
                tx.operator_code,
                tx.store_id,
                tx.terminal_id,
                tx.certificate,
                tx.copies,
                tx.reception_time.to_rfc3339(),
                business_date.to_string(),
                TxState::Requested.word()
            ],
        )?;
        self.event(&tx.request_id, tx.reception_time, TxState::Requested, "")
    }

    /// The candidate issued: every copy pending.
    pub fn issued(
        &self,
        id: &str,
        at: DateTime<FixedOffset>,
        issuance_id: &str,
        fee_per_copy: u32,
        copies: u8,
    ) -> Result<(), LedgerError> {
        let n = self.db.execute(
            "UPDATE transactions SET state = ?2, issuance_id = ?3, fee_per_copy = ?4, copies = ?5 WHERE request_id = ?1",
            params![id, TxState::Issued.word(), issuance_id, fee_per_copy, copies],
        )?;
        if n == 0 {
            return Err(LedgerError::UnknownTransaction(id.to_owned()));
        }
        for copy in 1..=copies {
            self.db.execute(
                "INSERT OR REPLACE INTO copies (request_id, copy, outcome) VALUES (?1, ?2, 'pending')",
                params![id, copy],
            )?;
        }
        self.event(id, at, TxState::Issued, issuance_id)
    }

    /// The candidate refused or failed.
    pub fn ended(
        &self,
        id: &str,
        at: DateTime<FixedOffset>,
        state: TxState,
        detail: &str,
    ) -> Result<(), LedgerError> {
        self.db.execute(
            "UPDATE transactions SET state = ?2 WHERE request_id = ?1",
            params![id, state.word()],
        )?;
        self.event(id, at, state, detail)
    }

    /// Outcomes of copies, as the candidate recorded them.
    pub fn outcomes(
        &self,
        id: &str,
        at: DateTime<FixedOffset>,
        outcomes: &[(u8, Outcome)],
    ) -> Result<(), LedgerError> {
        for (copy, outcome) in outcomes {
            let word = match outcome {
                Outcome::Confirmed => "confirmed",
                Outcome::Cancelled => "cancelled",
            };
            self.db.execute(
                "UPDATE copies SET outcome = ?3 WHERE request_id = ?1 AND copy = ?2 AND outcome = 'pending'",
                params![id, copy, word],
            )?;
        }
        let pending: i64 = self.db.query_row(
            "SELECT COUNT(*) FROM copies WHERE request_id = ?1 AND outcome = 'pending'",
            params![id],
            |r| r.get(0),
        )?;
        let detail = outcomes
            .iter()
            .map(|(c, o)| format!("{c}:{o:?}"))
            .collect::<Vec<_>>()
            .join(",");
        if pending == 0 {
            self.db.execute(
                "UPDATE transactions SET state = ?2 WHERE request_id = ?1",
                params![id, TxState::Completed.word()],
            )?;
            self.event(id, at, TxState::Completed, &detail)
        } else {
            self.event(id, at, TxState::Issued, &detail)
        }
    }
}

/// The JST business date of a reception time.
pub fn business_date(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&crate::hours::jst()).date_naive()
}

#[cfg(test)]
mod tests;
