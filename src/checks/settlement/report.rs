//! The settlement report: closing statements (CSV and JSON, per day and per month),
//! the journal and the differences written to a folder, and the differences rendered
//! for a failure message.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Difference, Reconciliation};
use crate::terminal::journal::JournalEntry;

/// Errors writing the settlement report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file could not be written.
    #[error("cannot write {path}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Rendering failed.
    #[error("cannot render the settlement report")]
    Render(#[from] kofu_mock_center::ledger::LedgerError),
    /// CSV rendering failed.
    #[error("cannot render the journal")]
    Csv(#[from] csv::Error),
}

/// The journal's file in the report folder.
pub const JOURNAL_FILE: &str = "journal.csv";

/// Write the closing statements (CSV and JSON, per day and per month), the journal and
/// the difference report into `dir`.
pub fn write_report(
    dir: &Path,
    reconciliation: &Reconciliation,
    journal: &[JournalEntry],
) -> Result<(), ReportError> {
    write_statements(dir, reconciliation)?;
    write_journal(dir, journal, true)
}

/// Write journal lines into the report's journal: `start` begins the file, header
/// included; otherwise the lines are appended (the load phase closes its days one by
/// one and writes each day's lines as it closes).
pub fn write_journal(dir: &Path, journal: &[JournalEntry], start: bool) -> Result<(), ReportError> {
    use std::io::Write as _;
    create(dir)?;
    let path = dir.join(JOURNAL_FILE);
    let body = if start {
        crate::terminal::journal::to_csv(journal)?
    } else {
        crate::terminal::journal::to_csv_rows(journal)?
    };
    std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(!start)
        .truncate(start)
        .open(&path)
        .and_then(|mut f| f.write_all(body.as_bytes()))
        .map_err(|source| ReportError::Io { path, source })
}

fn create(dir: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_owned(),
        source,
    })
}

/// Write the closing statements (CSV and JSON, per day and per month) and the
/// difference report into `dir`, leaving its journal as it is.
pub fn write_statements(dir: &Path, reconciliation: &Reconciliation) -> Result<(), ReportError> {
    use kofu_mock_center::ledger::{statements_csv, statements_json};
    create(dir)?;
    let differences = serde_json::to_string_pretty(&reconciliation.differences).unwrap_or_default();
    let files = [
        (
            "statements-day.csv",
            statements_csv(&reconciliation.day_statements)?,
        ),
        (
            "statements-day.json",
            statements_json(&reconciliation.day_statements)?,
        ),
        (
            "statements-month.csv",
            statements_csv(&reconciliation.month_statements)?,
        ),
        (
            "statements-month.json",
            statements_json(&reconciliation.month_statements)?,
        ),
        ("differences.json", differences),
    ];
    for (name, body) in files {
        let path = dir.join(name);
        std::fs::write(&path, body).map_err(|source| ReportError::Io { path, source })?;
    }
    Ok(())
}

/// The differences as a table for a failure message (at most `limit` lines).
pub fn render_differences(differences: &[Difference], limit: usize) -> String {
    let mut by_field: BTreeMap<&str, usize> = BTreeMap::new();
    for d in differences {
        *by_field.entry(d.field.as_str()).or_default() += 1;
    }
    let mut out = String::from("by field: ");
    out.push_str(
        &by_field
            .iter()
            .map(|(f, n)| format!("{f} ×{n}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push('\n');
    for d in differences.iter().take(limit) {
        out.push_str(&format!(
            "- {} · {}: expected {} | journal {} | center {} | candidate {}\n",
            d.subject, d.field, d.expected, d.journal, d.center, d.candidate
        ));
    }
    if differences.len() > limit {
        out.push_str(&format!("… and {} more\n", differences.len() - limit));
    }
    out
}
