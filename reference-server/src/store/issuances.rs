//! Issuances: recording one with its response for idempotent replay, finding it by
//! request id or issuance id, and listing them by business date.

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_profile::CertificateType;
use kofu_profile::outcome::CopyState;
use rusqlite::{Connection, OptionalExtension, params};

use super::columns::{parse_date, parse_states, parse_time, parse_uuid, states_text};
use super::{Store, StoreError};

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

pub(super) fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
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

pub(super) fn issuance_row(raw: RawRow) -> Result<IssuanceRow, StoreError> {
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

impl Store {
    /// The first issuance recorded for a request id.
    pub async fn issuance_by_request(
        &self,
        request_id: uuid::Uuid,
    ) -> Result<Option<StoredIssuance>, StoreError> {
        self.call(move |conn| find_by_request(conn, request_id))
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

/// One issuance of a municipality, read in `conn` (a transaction or not).
pub(super) fn load_row(
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
