//! Store operations that only defect switches use: what a defective server forgets on a
//! restart, and where it looks for a "resend" instead of the request id.

use kofu_profile::outcome::CopyState;
use rusqlite::{OptionalExtension as _, params};

use super::{Store, StoreError, StoredIssuance};

/// Whether no copy of the stored states has an outcome yet.
fn all_pending(states: &str) -> bool {
    states
        .chars()
        .all(|c| c == super::columns::state_char(CopyState::Pending))
}

impl Store {
    /// Defect `unsettled-issuances-in-process`: drop every issuance none of whose
    /// copies has an outcome, as a restart of a write-behind server loses them.
    pub async fn forget_unsettled(&self) -> Result<usize, StoreError> {
        self.call(|conn| {
            let ids: Vec<(String, String)> = {
                let mut stmt = conn.prepare("SELECT issuance_id, copy_states FROM issuances")?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?
            };
            let mut dropped = 0;
            for (id, states) in ids {
                if all_pending(&states) {
                    dropped +=
                        conn.execute("DELETE FROM issuances WHERE issuance_id = ?1", params![id])?;
                }
            }
            Ok(dropped)
        })
        .await
    }

    /// Defect `records-lost-on-restart`: every issuance, sequence and registration gone.
    pub async fn forget_everything(&self) -> Result<(), StoreError> {
        self.call(|conn| {
            conn.execute_batch(
                "DELETE FROM issuances; DELETE FROM certificate_sequences; DELETE FROM registrations;",
            )?;
            Ok(())
        })
        .await
    }

    /// Defect `pending-reused-by-terminal`: the latest issuance of `certificate` from
    /// this terminal none of whose copies has an outcome yet.
    pub async fn pending_of_terminal(
        &self,
        municipality: &str,
        terminal: (&str, &str, &str),
        certificate: &str,
    ) -> Result<Option<StoredIssuance>, StoreError> {
        let (operator, store, terminal) = (
            terminal.0.to_owned(),
            terminal.1.to_owned(),
            terminal.2.to_owned(),
        );
        let (municipality, certificate) = (municipality.to_owned(), certificate.to_owned());
        self.call(move |conn| {
            let found = conn
                .query_row(
                    "SELECT issuance_id, request_hash, response_json, copy_states FROM issuances
                     WHERE municipality = ?1 AND operator_code = ?2 AND store_id = ?3
                       AND terminal_id = ?4 AND certificate = ?5
                     ORDER BY rowid DESC LIMIT 1",
                    params![municipality, operator, store, terminal, certificate],
                    |r| {
                        Ok((
                            StoredIssuance {
                                issuance_id: r.get(0)?,
                                request_hash: r.get(1)?,
                                response_json: r.get(2)?,
                            },
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            Ok(found.and_then(|(stored, states)| all_pending(&states).then_some(stored)))
        })
        .await
    }
}
