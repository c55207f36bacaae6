//! The register events (異動連携) delivered, kept like issuances: an event is written
//! here before its delivery is answered, and read back when the server starts.

use kofu_profile::register_event::RegisterEvent;
use rusqlite::params;

use super::{Store, StoreError};

/// One delivered event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The municipality whose register system sent it (the path's code).
    pub municipality: String,
    /// The event, as delivered.
    pub event: RegisterEvent,
    /// How many deliveries were stored (more than one only with defect
    /// `feed-duplicate-applied-twice`).
    pub deliveries: u32,
}

fn body_text(event: &RegisterEvent) -> Result<String, StoreError> {
    serde_json::to_string(event)
        .map_err(|e| StoreError::Corrupt(format!("cannot serialise event: {e}")))
}

impl Store {
    /// Keep a newly delivered event, after every event kept before.
    pub async fn insert_register_event(
        &self,
        municipality: &str,
        event: &RegisterEvent,
    ) -> Result<(), StoreError> {
        let body = body_text(event)?;
        let (municipality, id) = (municipality.to_owned(), event.event_id.to_string());
        let effective_at = event.effective_at;
        self.call(move |conn| {
            conn.execute(
                "INSERT INTO register_events (event_id, municipality, body, effective_at,
                    effective_utc_ms, arrival)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                    (SELECT COALESCE(MAX(arrival), 0) + 1 FROM register_events))",
                params![
                    id,
                    municipality,
                    body,
                    effective_at.to_rfc3339(),
                    effective_at.timestamp_millis(),
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Defect `feed-event-id-conflict-accepted`: the event kept under this id is
    /// replaced by another body, which now arrives last.
    pub async fn replace_register_event(
        &self,
        municipality: &str,
        event: &RegisterEvent,
    ) -> Result<(), StoreError> {
        let body = body_text(event)?;
        let (municipality, id) = (municipality.to_owned(), event.event_id.to_string());
        let effective_at = event.effective_at;
        self.call(move |conn| {
            conn.execute(
                "UPDATE register_events SET municipality = ?2, body = ?3, effective_at = ?4,
                    effective_utc_ms = ?5, deliveries = 1,
                    arrival = (SELECT COALESCE(MAX(arrival), 0) + 1 FROM register_events)
                 WHERE event_id = ?1",
                params![
                    id,
                    municipality,
                    body,
                    effective_at.to_rfc3339(),
                    effective_at.timestamp_millis(),
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Defect `feed-duplicate-applied-twice`: one more delivery of a kept event.
    pub async fn redeliver_register_event(&self, event_id: uuid::Uuid) -> Result<(), StoreError> {
        self.call(move |conn| {
            conn.execute(
                "UPDATE register_events SET deliveries = deliveries + 1 WHERE event_id = ?1",
                params![event_id.to_string()],
            )?;
            Ok(())
        })
        .await
    }

    /// Every kept event, in order of arrival (blocking: read once when the server
    /// starts).
    pub fn register_events(&self) -> Result<Vec<EventRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT municipality, body, deliveries FROM register_events ORDER BY arrival",
        )?;
        let raw: Vec<(String, String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        raw.into_iter()
            .map(|(municipality, body, deliveries)| {
                let event = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("register event: {e}")))?;
                Ok(EventRow {
                    municipality,
                    event,
                    deliveries: u32::try_from(deliveries.max(1)).unwrap_or(1),
                })
            })
            .collect()
    }
}
