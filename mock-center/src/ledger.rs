//! The center's ledger in SQLite: every transaction with its state history, and the
//! settlement statements (清算) per municipality × operator × business day and per month,
//! exported as CSV and JSON.
//!
//! Commission (委託手数料) follows the operator's contract in `fixtures/operators`: a
//! per-copy amount before tax, a tax rate, a rounding rule (floor / half-up / ceil) and a
//! tax basis (tax on each copy, or on the statement's total). Only confirmed (確定) copies
//! count: cancelled (取消) copies carry no fee and no commission.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_fixtures::Operator;
use kofu_fixtures::operator::{Commission, Rounding, TaxBasis};
use kofu_profile::outcome::Outcome;
use rusqlite::{Connection, params};
use serde::Serialize;

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

    /// State history of a transaction: (time, state, detail), oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<(String, String, String)>, LedgerError> {
        let mut stmt = self
            .db
            .prepare("SELECT at, state, detail FROM history WHERE request_id = ?1 ORDER BY seq")?;
        let rows = stmt
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Every transaction whose JST business date lies in `from..=to`, oldest first, with
    /// the outcome of each copy as the terminal reported it.
    pub fn transactions(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<LedgerTransaction>, LedgerError> {
        let mut stmt = self.db.prepare(
            "SELECT request_id, municipality, operator_code, store_id, terminal_id, certificate,
                    copies, reception_time, business_date, state, issuance_id, fee_per_copy
             FROM transactions WHERE business_date BETWEEN ?1 AND ?2
             ORDER BY reception_time, request_id",
        )?;
        let mut rows = stmt
            .query_map(params![from.to_string(), to.to_string()], |r| {
                Ok(LedgerTransaction {
                    request_id: r.get(0)?,
                    municipality: r.get(1)?,
                    operator_code: r.get(2)?,
                    store_id: r.get(3)?,
                    terminal_id: r.get(4)?,
                    certificate: r.get(5)?,
                    copies: r.get(6)?,
                    reception_time: r.get(7)?,
                    business_date: r.get(8)?,
                    state: r.get(9)?,
                    issuance_id: r.get(10)?,
                    fee_per_copy: r.get(11)?,
                    outcomes: Vec::new(),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut copies = self
            .db
            .prepare("SELECT outcome FROM copies WHERE request_id = ?1 ORDER BY copy")?;
        for row in &mut rows {
            row.outcomes = copies
                .query_map(params![row.request_id], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
        }
        Ok(rows)
    }

    /// Confirmed copies per (municipality, operator, business date, certificate, fee).
    fn confirmed(&self) -> Result<Vec<ConfirmedRow>, LedgerError> {
        let mut stmt = self.db.prepare(
            "SELECT t.municipality, t.operator_code, t.business_date, t.certificate, t.fee_per_copy, COUNT(*)
             FROM transactions t JOIN copies c ON c.request_id = t.request_id
             WHERE c.outcome = 'confirmed'
             GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ConfirmedRow {
                    municipality: r.get(0)?,
                    operator: r.get(1)?,
                    business_date: r.get(2)?,
                    certificate: r.get(3)?,
                    fee_per_copy: r.get(4)?,
                    copies: r.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Settlement statements, one per municipality × operator × period, where the period
    /// is the business day ([`Period::Day`]) or its month ([`Period::Month`]).
    pub fn statements(
        &self,
        operators: &[Operator],
        period: Period,
    ) -> Result<Vec<Statement>, LedgerError> {
        let mut grouped: BTreeMap<(String, String, String), Statement> = BTreeMap::new();
        for row in self.confirmed()? {
            let key_period = match period {
                Period::Day => row.business_date.clone(),
                Period::Month => row.business_date.get(..7).unwrap_or_default().to_owned(),
            };
            let st = grouped
                .entry((
                    row.municipality.clone(),
                    row.operator.clone(),
                    key_period.clone(),
                ))
                .or_insert_with(|| Statement::open(&row.municipality, &row.operator, &key_period));
            let copies = u64::try_from(row.copies).unwrap_or(0);
            st.add(
                &row.certificate,
                copies,
                copies * u64::from(row.fee_per_copy),
            );
        }
        let mut out = Vec::with_capacity(grouped.len());
        for (_, mut st) in grouped {
            st.close(operators);
            out.push(st);
        }
        Ok(out)
    }
}

struct ConfirmedRow {
    municipality: String,
    operator: String,
    business_date: String,
    certificate: String,
    fee_per_copy: u32,
    copies: i64,
}

/// One transaction of the ledger, as reconciliation reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerTransaction {
    /// The center's request id.
    pub request_id: String,
    /// Routed municipality.
    pub municipality: String,
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// Certificate type code.
    pub certificate: String,
    /// Copies issued (or requested, when never issued).
    pub copies: u8,
    /// Reception time, RFC 3339.
    pub reception_time: String,
    /// JST business date, `YYYY-MM-DD`.
    pub business_date: String,
    /// [`TxState::word`].
    pub state: String,
    /// The candidate's issuance id, once issued.
    pub issuance_id: Option<String>,
    /// 交付手数料 per copy as the candidate issued it.
    pub fee_per_copy: u32,
    /// Outcome of each copy, copy 1 first: `pending`, `confirmed` or `cancelled`.
    pub outcomes: Vec<String>,
}

/// Statement period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One business day (`YYYY-MM-DD`).
    Day,
    /// One month (`YYYY-MM`).
    Month,
}

/// One settlement statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Municipality code.
    pub municipality: String,
    /// 事業者コード.
    pub operator_code: String,
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub period: String,
    /// Confirmed copies per certificate type code.
    pub copies_by_type: BTreeMap<String, u64>,
    /// Confirmed copies.
    pub copies: u64,
    /// 交付手数料 collected, yen.
    pub fee_total: u64,
    /// 委託手数料 including tax, yen.
    pub commission_total: u64,
    /// `fee_total - commission_total`.
    pub net: i64,
}

impl Statement {
    /// An empty statement.
    pub fn open(municipality: &str, operator_code: &str, period: &str) -> Self {
        Self {
            municipality: municipality.to_owned(),
            operator_code: operator_code.to_owned(),
            period: period.to_owned(),
            copies_by_type: BTreeMap::new(),
            copies: 0,
            fee_total: 0,
            commission_total: 0,
            net: 0,
        }
    }

    /// Add confirmed copies of a type and their 交付手数料.
    pub fn add(&mut self, certificate: &str, copies: u64, fee: u64) {
        *self
            .copies_by_type
            .entry(certificate.to_owned())
            .or_default() += copies;
        self.copies += copies;
        self.fee_total += fee;
    }

    /// Compute the commission under the operator's contract (none for an operator
    /// without one) and the net.
    pub fn close(&mut self, operators: &[Operator]) {
        self.commission_total = operators
            .iter()
            .find(|o| o.code == self.operator_code)
            .map_or(0, |o| commission(&o.commission, self.copies));
        self.net = i64::try_from(self.fee_total).unwrap_or(i64::MAX)
            - i64::try_from(self.commission_total).unwrap_or(i64::MAX);
    }
}

/// Round `numerator / denominator` (non-negative) to whole yen.
pub fn round_div(numerator: u64, denominator: u64, rounding: Rounding) -> u64 {
    if denominator == 0 {
        return 0;
    }
    match rounding {
        Rounding::Floor => numerator / denominator,
        Rounding::Ceil => numerator.div_ceil(denominator),
        Rounding::HalfUp => (numerator * 2 + denominator) / (denominator * 2),
    }
}

/// Commission including tax for `copies` confirmed copies under `contract`.
pub fn commission(contract: &Commission, copies: u64) -> u64 {
    let base = u64::from(contract.per_copy_excluding_tax);
    let rate = u64::from(contract.tax_rate_percent);
    match contract.tax_basis {
        TaxBasis::PerCopy => copies * (base + round_div(base * rate, 100, contract.rounding)),
        TaxBasis::PerStatement => {
            let total = copies * base;
            total + round_div(total * rate, 100, contract.rounding)
        }
    }
}

/// Statements as CSV: one row per statement and certificate type, with the statement's
/// totals repeated on each row.
pub fn statements_csv(statements: &[Statement]) -> Result<String, LedgerError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "municipality",
        "operator_code",
        "period",
        "certificate",
        "copies",
        "statement_copies",
        "fee_total",
        "commission_total",
        "net",
    ])?;
    for st in statements {
        for (certificate, copies) in &st.copies_by_type {
            w.write_record([
                st.municipality.clone(),
                st.operator_code.clone(),
                st.period.clone(),
                certificate.clone(),
                copies.to_string(),
                st.copies.to_string(),
                st.fee_total.to_string(),
                st.commission_total.to_string(),
                st.net.to_string(),
            ])?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Statements as pretty JSON.
pub fn statements_json(statements: &[Statement]) -> Result<String, LedgerError> {
    Ok(serde_json::to_string_pretty(statements)?)
}

/// The JST business date of a reception time.
pub fn business_date(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&crate::hours::jst()).date_naive()
}

#[cfg(test)]
mod tests;
