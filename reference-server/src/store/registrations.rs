//! 利用登録申請 as filed, found and decided.

use chrono::{DateTime, FixedOffset};
use kofu_profile::registration::RegistrationStatus;
use rusqlite::{OptionalExtension, params};

use super::columns::{parse_status, parse_time, parse_uuid, status_text};
use super::{Store, StoreError};

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
