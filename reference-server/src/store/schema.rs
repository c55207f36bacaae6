//! The tables of the store and the settings of its connection.

use rusqlite::Connection;

use super::StoreError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS issuances (
    issuance_id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    request_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    certificate TEXT NOT NULL,
    copies INTEGER NOT NULL,
    fee_per_copy INTEGER NOT NULL,
    reception_time TEXT NOT NULL,
    reception_utc_ms INTEGER NOT NULL,
    business_date TEXT NOT NULL,
    operator_code TEXT NOT NULL,
    store_id TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    certificate_number TEXT NOT NULL UNIQUE,
    copy_states TEXT NOT NULL,
    response_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issuances_request ON issuances (request_id);
CREATE INDEX IF NOT EXISTS issuances_date ON issuances (municipality, business_date);
CREATE TABLE IF NOT EXISTS certificate_sequences (
    municipality TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (municipality, issue_date)
);
CREATE TABLE IF NOT EXISTS registrations (
    registration_id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    person TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    request_id TEXT NOT NULL,
    request_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registrations_person ON registrations (municipality, person);
CREATE INDEX IF NOT EXISTS registrations_request ON registrations (request_id);
CREATE TABLE IF NOT EXISTS register_events (
    event_id TEXT PRIMARY KEY,
    municipality TEXT NOT NULL,
    body TEXT NOT NULL,
    effective_at TEXT NOT NULL,
    effective_utc_ms INTEGER NOT NULL,
    arrival INTEGER NOT NULL UNIQUE,
    deliveries INTEGER NOT NULL DEFAULT 1
);
";

/// Set up a fresh connection: busy timeout, WAL journal, foreign keys, and the tables
/// (created when missing).
pub(super) fn prepare(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    conn.execute_batch(SCHEMA)?;
    Ok(())
}
