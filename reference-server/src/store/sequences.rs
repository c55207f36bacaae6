//! 証明書番号 sequences: one counter per municipality and issue date.

use chrono::NaiveDate;
use rusqlite::params;

use super::{Store, StoreError};

impl Store {
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
}
