//! Changes of the per-copy states of an issuance (確定 / 取消), all or nothing.

use kofu_profile::outcome::CopyState;
use rusqlite::params;

use super::columns::states_text;
use super::issuances::{IssuanceRow, load_row};
use super::{Store, StoreError};

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

impl Store {
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
}
