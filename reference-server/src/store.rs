//! Persistent state in one SQLite file: issuances (with the stored response for
//! idempotent replay and the per-copy states), certificate number sequences and
//! 利用登録申請.
//!
//! One connection behind a mutex; every call runs on the blocking thread pool.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_profile::CertificateType;
use kofu_profile::outcome::CopyState;
use kofu_profile::registration::RegistrationStatus;
use rusqlite::{Connection, OptionalExtension, params};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The blocking task died.
    #[error("database task failed")]
    Task(#[from] tokio::task::JoinError),
}

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
";

/// The server's database.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// An issuance as first recorded, for idempotent replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIssuance {
    /// The server's id.
    pub issuance_id: String,
    /// Hash of the request that created it.
    pub request_hash: String,
    /// The response body sent then.
    pub response_json: String,
}

/// A new issuance to record.
#[derive(Debug, Clone)]
pub struct NewIssuance {
    /// The server's id.
    pub issuance_id: String,
    /// Municipality code.
    pub municipality: String,
    /// The center's request id.
    pub request_id: uuid::Uuid,
    /// Hash of the request.
    pub request_hash: String,
    /// Type issued.
    pub certificate: CertificateType,
    /// Copies.
    pub copies: u8,
    /// 交付手数料 per copy.
    pub fee_per_copy: u32,
    /// Reception time.
    pub reception_time: DateTime<FixedOffset>,
    /// Business date.
    pub business_date: NaiveDate,
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// 証明書番号.
    pub certificate_number: String,
    /// The response body.
    pub response_json: String,
}

/// What happened to an insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// Recorded.
    New,
    /// Another issuance with the same request id was recorded first.
    Existing(StoredIssuance),
}

/// One issuance as recorded, without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuanceRow {
    /// The server's id.
    pub issuance_id: String,
    /// The center's request id.
    pub request_id: uuid::Uuid,
    /// Type.
    pub certificate: CertificateType,
    /// Copies.
    pub copies: u8,
    /// 交付手数料 per copy.
    pub fee_per_copy: u32,
    /// Reception time.
    pub reception_time: DateTime<FixedOffset>,
    /// Business date.
    pub business_date: NaiveDate,
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// State of each copy.
    pub copy_states: Vec<CopyState>,
}

/// A stored 利用登録申請.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    /// The server's id.
    pub registration_id: String,
    /// Municipality code (本籍地).
    pub municipality: String,
    /// Person id.
    pub person: String,
    /// State.
    pub status: RegistrationStatus,
    /// When filed.
    pub filed_at: DateTime<FixedOffset>,
    /// The center's request id that filed it.
    pub request_id: uuid::Uuid,
    /// Hash of that request.
    pub request_hash: String,
}

/// The result of changing copy states.
#[derive(Debug)]
pub enum CopyUpdate<E> {
    /// No such issuance.
    NotFound,
    /// The change was refused; nothing was stored.
    Refused(E),
    /// Stored; the record after the change.
    Updated(IssuanceRow),
}

fn state_char(s: CopyState) -> char {
    match s {
        CopyState::Pending => 'P',
        CopyState::Confirmed => 'C',
        CopyState::Cancelled => 'X',
    }
}

fn parse_states(s: &str) -> Result<Vec<CopyState>, StoreError> {
    s.chars()
        .map(|c| match c {
            'P' => Ok(CopyState::Pending),
            'C' => Ok(CopyState::Confirmed),
            'X' => Ok(CopyState::Cancelled),
            other => Err(StoreError::Corrupt(format!("copy state `{other}`"))),
        })
        .collect()
}

fn states_text(states: &[CopyState]) -> String {
    states.iter().copied().map(state_char).collect()
}

fn status_text(s: RegistrationStatus) -> &'static str {
    match s {
        RegistrationStatus::None => "none",
        RegistrationStatus::Pending => "pending",
        RegistrationStatus::Approved => "approved",
        RegistrationStatus::Rejected => "rejected",
    }
}

fn parse_status(s: &str) -> Result<RegistrationStatus, StoreError> {
    Ok(match s {
        "none" => RegistrationStatus::None,
        "pending" => RegistrationStatus::Pending,
        "approved" => RegistrationStatus::Approved,
        "rejected" => RegistrationStatus::Rejected,
        other => {
            return Err(StoreError::Corrupt(format!(
                "registration status `{other}`"
            )));
        }
    })
}

fn parse_time(s: &str) -> Result<DateTime<FixedOffset>, StoreError> {
    DateTime::parse_from_rfc3339(s).map_err(|e| StoreError::Corrupt(format!("time `{s}`: {e}")))
}

fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("date `{s}`: {e}")))
}

fn parse_uuid(s: &str) -> Result<uuid::Uuid, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("uuid `{s}`: {e}")))
}

const ROW_COLUMNS: &str = "issuance_id, request_id, certificate, copies, fee_per_copy, \
     reception_time, business_date, operator_code, store_id, terminal_id, copy_states";

type RawRow = (
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

fn issuance_row(raw: RawRow) -> Result<IssuanceRow, StoreError> {
    let (id, request_id, certificate, copies, fee, reception, business, op, store, term, states) =
        raw;
    Ok(IssuanceRow {
        issuance_id: id,
        request_id: parse_uuid(&request_id)?,
        certificate: CertificateType::from_code(&certificate)
            .ok_or_else(|| StoreError::Corrupt(format!("certificate type `{certificate}`")))?,
        copies: u8::try_from(copies)
            .map_err(|_| StoreError::Corrupt(format!("copies {copies}")))?,
        fee_per_copy: u32::try_from(fee).map_err(|_| StoreError::Corrupt(format!("fee {fee}")))?,
        reception_time: parse_time(&reception)?,
        business_date: parse_date(&business)?,
        operator_code: op,
        store_id: store,
        terminal_id: term,
        copy_states: parse_states(&states)?,
    })
}

type RawRegistration = (String, String, String, String, String, String, String);

fn raw_registration(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRegistration> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn registration_row(raw: RawRegistration) -> Result<RegistrationRow, StoreError> {
    let (registration_id, municipality, person, status, filed_at, request_id, request_hash) = raw;
    Ok(RegistrationRow {
        registration_id,
        municipality,
        person,
        status: parse_status(&status)?,
        filed_at: parse_time(&filed_at)?,
        request_id: parse_uuid(&request_id)?,
        request_hash,
    })
}

const REGISTRATION_COLUMNS: &str =
    "registration_id, municipality, person, status, filed_at, request_id, request_hash";

impl Store {
    /// Open (or create) the database file.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// A database that lives in memory only (tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll
        // back on drop), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn call<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = store.lock();
            f(&mut conn)
        })
        .await?
    }

    /// The first issuance recorded for a request id.
    pub async fn issuance_by_request(
        &self,
        request_id: uuid::Uuid,
    ) -> Result<Option<StoredIssuance>, StoreError> {
        self.call(move |conn| find_by_request(conn, request_id))
            .await
    }

    /// The next 証明書番号 sequence for a municipality and issue date, from 1.
    pub async fn next_sequence(
        &self,
        municipality: &str,
        issue_date: NaiveDate,
    ) -> Result<u32, StoreError> {
        let municipality = municipality.to_owned();
        self.call(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO certificate_sequences (municipality, issue_date, last)
                 VALUES (?1, ?2, 1)
                 ON CONFLICT (municipality, issue_date) DO UPDATE SET last = last + 1",
                params![municipality, issue_date.to_string()],
            )?;
            let last: i64 = tx.query_row(
                "SELECT last FROM certificate_sequences WHERE municipality = ?1 AND issue_date = ?2",
                params![municipality, issue_date.to_string()],
                |r| r.get(0),
            )?;
            tx.commit()?;
            u32::try_from(last).map_err(|_| StoreError::Corrupt(format!("sequence {last}")))
        })
        .await
    }

    /// Record an issuance with every copy pending. With `idempotent`, an issuance
    /// already recorded for the same request id wins and is returned instead.
    pub async fn insert_issuance(
        &self,
        new: NewIssuance,
        idempotent: bool,
    ) -> Result<Inserted, StoreError> {
        self.call(move |conn| {
            let tx = conn.transaction()?;
            if idempotent && let Some(existing) = find_by_request(&tx, new.request_id)? {
                return Ok(Inserted::Existing(existing));
            }
            let states = states_text(&vec![CopyState::Pending; usize::from(new.copies)]);
            tx.execute(
                "INSERT INTO issuances (issuance_id, municipality, request_id, request_hash,
                    certificate, copies, fee_per_copy, reception_time, reception_utc_ms,
                    business_date, operator_code, store_id, terminal_id, certificate_number,
                    copy_states, response_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    new.issuance_id,
                    new.municipality,
                    new.request_id.to_string(),
                    new.request_hash,
                    new.certificate.code(),
                    i64::from(new.copies),
                    i64::from(new.fee_per_copy),
                    new.reception_time.to_rfc3339(),
                    new.reception_time.timestamp_millis(),
                    new.business_date.to_string(),
                    new.operator_code,
                    new.store_id,
                    new.terminal_id,
                    new.certificate_number,
                    states,
                    new.response_json,
                ],
            )?;
            tx.commit()?;
            Ok(Inserted::New)
        })
        .await
    }

    /// One issuance of a municipality.
    pub async fn issuance(
        &self,
        municipality: &str,
        issuance_id: &str,
    ) -> Result<Option<IssuanceRow>, StoreError> {
        let (municipality, issuance_id) = (municipality.to_owned(), issuance_id.to_owned());
        self.call(move |conn| load_row(conn, &municipality, &issuance_id))
            .await
    }

    /// Change the copy states of an issuance in one transaction: `change` edits the
    /// states or refuses, in which case nothing is stored.
    pub async fn update_copy_states<E, F>(
        &self,
        municipality: &str,
        issuance_id: &str,
        change: F,
    ) -> Result<CopyUpdate<E>, StoreError>
    where
        E: Send + 'static,
        F: FnOnce(&mut Vec<CopyState>) -> Result<(), E> + Send + 'static,
    {
        let (municipality, issuance_id) = (municipality.to_owned(), issuance_id.to_owned());
        self.call(move |conn| {
            let tx = conn.transaction()?;
            let Some(mut row) = load_row(&tx, &municipality, &issuance_id)? else {
                return Ok(CopyUpdate::NotFound);
            };
            if let Err(e) = change(&mut row.copy_states) {
                return Ok(CopyUpdate::Refused(e));
            }
            tx.execute(
                "UPDATE issuances SET copy_states = ?1 WHERE issuance_id = ?2",
                params![states_text(&row.copy_states), issuance_id],
            )?;
            tx.commit()?;
            Ok(CopyUpdate::Updated(row))
        })
        .await
    }

    /// Issuances of a municipality whose business date is within `from..=to`, ordered
    /// by reception time.
    pub async fn issuances_between(
        &self,
        municipality: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<IssuanceRow>, StoreError> {
        let municipality = municipality.to_owned();
        self.call(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {ROW_COLUMNS} FROM issuances
                 WHERE municipality = ?1 AND business_date >= ?2 AND business_date <= ?3
                 ORDER BY reception_utc_ms, rowid"
            ))?;
            let raws = stmt
                .query_map(
                    params![municipality, from.to_string(), to.to_string()],
                    raw_row,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            raws.into_iter().map(issuance_row).collect()
        })
        .await
    }

    /// The latest 利用登録申請 of a person at a municipality.
    pub async fn latest_registration(
        &self,
        municipality: &str,
        person: &str,
    ) -> Result<Option<RegistrationRow>, StoreError> {
        let (municipality, person) = (municipality.to_owned(), person.to_owned());
        self.call(move |conn| {
            let raw = conn
                .query_row(
                    &format!(
                        "SELECT {REGISTRATION_COLUMNS} FROM registrations
                         WHERE municipality = ?1 AND person = ?2
                         ORDER BY rowid DESC LIMIT 1"
                    ),
                    params![municipality, person],
                    raw_registration,
                )
                .optional()?;
            raw.map(registration_row).transpose()
        })
        .await
    }

    /// The 利用登録申請 filed by a request id.
    pub async fn registration_by_request(
        &self,
        request_id: uuid::Uuid,
    ) -> Result<Option<RegistrationRow>, StoreError> {
        self.call(move |conn| {
            let raw = conn
                .query_row(
                    &format!(
                        "SELECT {REGISTRATION_COLUMNS} FROM registrations
                         WHERE request_id = ?1 ORDER BY rowid LIMIT 1"
                    ),
                    params![request_id.to_string()],
                    raw_registration,
                )
                .optional()?;
            raw.map(registration_row).transpose()
        })
        .await
    }

    /// One 利用登録申請 of a municipality.
    pub async fn registration(
        &self,
        municipality: &str,
        registration_id: &str,
    ) -> Result<Option<RegistrationRow>, StoreError> {
        let (municipality, id) = (municipality.to_owned(), registration_id.to_owned());
        self.call(move |conn| {
            let raw = conn
                .query_row(
                    &format!(
                        "SELECT {REGISTRATION_COLUMNS} FROM registrations
                         WHERE municipality = ?1 AND registration_id = ?2"
                    ),
                    params![municipality, id],
                    raw_registration,
                )
                .optional()?;
            raw.map(registration_row).transpose()
        })
        .await
    }

    /// Record a 利用登録申請.
    pub async fn insert_registration(&self, row: RegistrationRow) -> Result<(), StoreError> {
        self.call(move |conn| {
            conn.execute(
                "INSERT INTO registrations (registration_id, municipality, person, status,
                    filed_at, request_id, request_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    row.registration_id,
                    row.municipality,
                    row.person,
                    status_text(row.status),
                    row.filed_at.to_rfc3339(),
                    row.request_id.to_string(),
                    row.request_hash,
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Approve a 利用登録申請, as the 本籍地 does by its own procedure (there is no
    /// HTTP operation for this). Returns whether the registration exists.
    pub fn approve_registration(&self, registration_id: &str) -> Result<bool, StoreError> {
        self.decide_registration(registration_id, RegistrationStatus::Approved)
    }

    /// Set the state of a 利用登録申請 (approve or reject). Returns whether it exists.
    pub fn decide_registration(
        &self,
        registration_id: &str,
        status: RegistrationStatus,
    ) -> Result<bool, StoreError> {
        let conn = self.lock();
        let changed = conn.execute(
            "UPDATE registrations SET status = ?1 WHERE registration_id = ?2",
            params![status_text(status), registration_id],
        )?;
        Ok(changed > 0)
    }
}

fn find_by_request(
    conn: &Connection,
    request_id: uuid::Uuid,
) -> Result<Option<StoredIssuance>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT issuance_id, request_hash, response_json FROM issuances
             WHERE request_id = ?1 ORDER BY rowid LIMIT 1",
            params![request_id.to_string()],
            |r| {
                Ok(StoredIssuance {
                    issuance_id: r.get(0)?,
                    request_hash: r.get(1)?,
                    response_json: r.get(2)?,
                })
            },
        )
        .optional()?)
}

fn load_row(
    conn: &Connection,
    municipality: &str,
    issuance_id: &str,
) -> Result<Option<IssuanceRow>, StoreError> {
    let raw = conn
        .query_row(
            &format!(
                "SELECT {ROW_COLUMNS} FROM issuances WHERE municipality = ?1 AND issuance_id = ?2"
            ),
            params![municipality, issuance_id],
            raw_row,
        )
        .optional()?;
    raw.map(issuance_row).transpose()
}
