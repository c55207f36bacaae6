//! Persistent state in one SQLite file: issuances (with the stored response for
//! idempotent replay and the per-copy states), certificate number sequences,
//! 利用登録申請, and the register events (異動連携) delivered.
//!
//! One connection behind a mutex; every call runs on the blocking thread pool.
//!
//! - `schema`: the tables and the connection settings.
//! - `columns`: how values are written to and read back from text columns.
//! - `issuances`: issuances and their replay; `sequences`: 証明書番号 sequences.
//! - `outcomes`: changes of the per-copy states; `registrations`: 利用登録申請.
//! - `register_events`: the events of the register feed, in order of arrival.

mod columns;
mod defective;
mod issuances;
mod outcomes;
mod register_events;
mod registrations;
mod schema;
mod sequences;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

pub use issuances::{Inserted, IssuanceRow, NewIssuance, StoredIssuance};
pub use outcomes::CopyUpdate;
pub use register_events::EventRow;
pub use registrations::RegistrationRow;

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
        schema::prepare(&conn)?;
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
}
