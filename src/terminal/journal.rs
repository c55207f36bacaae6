//! 売上ジャーナル: the terminal's sales journal, one line per issuance a resident
//! started at a terminal, with the money the terminal took in and paid back. It is the
//! first of the three ledgers settlement reconciles (journal, center ledger, candidate
//! records).

use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// How a journal line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SaleEnding {
    /// Every copy printed.
    Printed,
    /// The printer failed on a copy; later copies were not printed and were refunded.
    PrintFailed,
    /// The resident cancelled before paying.
    CancelledBeforePayment,
    /// The resident did not pay in time.
    TimedOut,
}

/// One line of the sales journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// The center's transaction id (the request id the candidate received).
    pub transaction_id: uuid::Uuid,
    /// Reception time of the session.
    pub reception_time: DateTime<FixedOffset>,
    /// JST business date of the reception time.
    pub business_date: NaiveDate,
    /// The issuing municipality.
    pub municipality: String,
    /// Certificate type code.
    pub certificate: String,
    /// Copies issued.
    pub copies: u8,
    /// 交付手数料 per copy as shown on the screen.
    pub fee_per_copy: u32,
    /// Copies printed and handed out (確定).
    pub printed: u8,
    /// Yen paid by the resident.
    pub paid: u32,
    /// Yen paid back for copies not printed.
    pub refunded: u32,
    /// How it ended.
    pub ending: SaleEnding,
}

impl JournalEntry {
    /// Copies not printed (取消).
    pub fn cancelled(&self) -> u8 {
        self.copies.saturating_sub(self.printed)
    }

    /// Yen kept: paid minus refunded.
    pub fn sales(&self) -> u32 {
        self.paid.saturating_sub(self.refunded)
    }
}

/// A sales journal shared by the terminals of a scenario or a store-trial day.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Vec<JournalEntry>>,
}

impl Journal {
    /// Append a line.
    pub fn record(&self, entry: JournalEntry) {
        self.lock().push(entry);
    }

    /// Every line, ordered by reception time then transaction id.
    pub fn entries(&self) -> Vec<JournalEntry> {
        in_order(self.lock().clone())
    }

    /// Every line, ordered as [`Journal::entries`], leaving the journal empty: a soak
    /// closes each business day and keeps none of its lines in memory after.
    pub fn take(&self) -> Vec<JournalEntry> {
        in_order(std::mem::take(&mut *self.lock()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<JournalEntry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Lines ordered by reception time, then transaction id.
fn in_order(mut lines: Vec<JournalEntry>) -> Vec<JournalEntry> {
    lines.sort_by(|a, b| {
        (a.reception_time, a.transaction_id).cmp(&(b.reception_time, b.transaction_id))
    });
    lines
}

/// The journal as CSV, one line per entry.
pub fn to_csv(entries: &[JournalEntry]) -> Result<String, csv::Error> {
    csv_of(entries, true)
}

/// Lines of the journal as CSV without the header, to append to [`to_csv`]'s output.
pub fn to_csv_rows(entries: &[JournalEntry]) -> Result<String, csv::Error> {
    csv_of(entries, false)
}

fn csv_of(entries: &[JournalEntry], header: bool) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(header)
        .from_writer(Vec::new());
    for e in entries {
        w.serialize(CsvLine {
            operator_code: &e.operator_code,
            store_id: &e.store_id,
            terminal_id: &e.terminal_id,
            transaction_id: e.transaction_id,
            reception_time: e.reception_time.to_rfc3339(),
            business_date: e.business_date,
            municipality: &e.municipality,
            certificate: &e.certificate,
            copies: e.copies,
            fee_per_copy: e.fee_per_copy,
            printed: e.printed,
            paid: e.paid,
            refunded: e.refunded,
            ending: e.ending,
        })?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[derive(Serialize)]
struct CsvLine<'a> {
    operator_code: &'a str,
    store_id: &'a str,
    terminal_id: &'a str,
    transaction_id: uuid::Uuid,
    reception_time: String,
    business_date: NaiveDate,
    municipality: &'a str,
    certificate: &'a str,
    copies: u8,
    fee_per_copy: u32,
    printed: u8,
    paid: u32,
    refunded: u32,
    ending: SaleEnding,
}
