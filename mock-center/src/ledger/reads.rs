//! What the ledger answers: the transactions of a range of business dates with each
//! copy's outcome, a transaction's history, and the settlement statements built from the
//! confirmed copies.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kofu_fixtures::Operator;
use rusqlite::params;
use serde::Serialize;

use super::statement::{Period, Statement};
use super::{Ledger, LedgerError};

impl Ledger {
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
             ORDER BY reception_time, rowid",
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
