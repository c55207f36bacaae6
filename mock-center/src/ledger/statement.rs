//! Settlement statements (清算): confirmed copies and 交付手数料 per municipality ×
//! operator × period, the 委託手数料 under the operator's contract, and the CSV and
//! JSON exports.

use std::collections::BTreeMap;

use kofu_fixtures::Operator;
use kofu_fixtures::operator::{Commission, Rounding, TaxBasis};
use serde::Serialize;

use super::LedgerError;

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
