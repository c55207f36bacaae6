//! The state every request shares: fixtures, the municipalities served, defect
//! switches, the store and the register feed.

use std::collections::BTreeSet;
use std::sync::Arc;

use kofu_fixtures::{Fixtures, Municipality};

use crate::defects::{Defect, Defects};
use crate::register::{Feed, RegisterView};
use crate::store::Store;
use crate::{Config, ServerError};

/// Shared state of one server.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    fixtures: Arc<Fixtures>,
    served: Vec<Municipality>,
    defects: Defects,
    store: Store,
    feed: Feed,
    busy_days: std::sync::Mutex<std::collections::HashMap<chrono::NaiveDate, BusyDay>>,
    page_buffer: crate::document::PageBuffer,
    /// Defect `refusal-remembered`: request ids claimed, with the hash of their body.
    claimed: std::sync::Mutex<std::collections::HashMap<uuid::Uuid, String>>,
    /// Defect `request-memory-per-connection`: the connection each request id came on first.
    connections: std::sync::Mutex<std::collections::HashMap<uuid::Uuid, std::net::SocketAddr>>,
    /// Defect `document-file-by-second`: the last PDF written per (municipality, type,
    /// reception second), with the request it was written for.
    document_files: std::sync::Mutex<DocumentFiles>,
    /// Defect `request-memory-in-process`: the request ids this process has seen.
    in_process: std::sync::Mutex<std::collections::HashSet<uuid::Uuid>>,
}

/// Defect `other-resident-under-load`: the issuances of one business date, counted.
/// Defect `document-file-by-second`: (municipality, type, reception second) → the
/// request that wrote the file and its PDF.
type DocumentFiles = std::collections::HashMap<(String, String, i64), (uuid::Uuid, Vec<u8>)>;

#[derive(Debug, Default)]
struct BusyDay {
    /// Issuances of the date so far.
    count: u32,
    /// The holders of the latest issuances of the date, most recent last.
    recent: std::collections::VecDeque<String>,
    /// The mix-up happened.
    mixed_up: bool,
}

/// From this many issuances in a business date on, `other-resident-under-load` mixes
/// up one print order.
pub const BUSY_DAY_ISSUANCES: u32 = 300;

/// The print orders still in the queue that an issuance can be mixed up with.
const QUEUED_ORDERS: usize = 8;

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("served", &self.served_codes())
            .field("defects", &self.inner.defects)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over an open store. `municipalities` are the codes served; empty means
    /// every municipality of the fixtures.
    pub fn new(
        fixtures: Arc<Fixtures>,
        municipalities: &[String],
        defects: BTreeSet<Defect>,
        store: Store,
    ) -> Result<Self, ServerError> {
        let served = if municipalities.is_empty() {
            fixtures.municipalities.clone()
        } else {
            municipalities
                .iter()
                .map(|code| {
                    fixtures
                        .municipality(code)
                        .cloned()
                        .ok_or_else(|| ServerError::UnknownMunicipality(code.clone()))
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        if served.is_empty() {
            return Err(ServerError::NothingToServe);
        }
        let defects = Defects::new(defects);
        let feed = Feed::new(fixtures.clone(), defects.clone(), store.register_events()?);
        Ok(Self {
            inner: Arc::new(Inner {
                fixtures,
                served,
                defects,
                store,
                feed,
                busy_days: Default::default(),
                page_buffer: Default::default(),
                claimed: Default::default(),
                connections: Default::default(),
                document_files: Default::default(),
                in_process: Default::default(),
            }),
        })
    }

    /// State for a configuration: opens (or creates) its database.
    pub fn from_config(config: &Config) -> Result<Self, ServerError> {
        let store = Store::open(&config.database)?;
        Self::new(
            config.fixtures.clone(),
            &config.municipalities,
            config.defects.clone(),
            store,
        )
    }

    /// The fixtures as exported: the register before any event of the feed.
    pub fn fixtures(&self) -> &Fixtures {
        &self.inner.fixtures
    }

    /// The municipalities served, in order.
    pub fn served(&self) -> &[Municipality] {
        &self.inner.served
    }

    /// The codes of the municipalities served.
    pub fn served_codes(&self) -> Vec<String> {
        self.inner.served.iter().map(|m| m.code.clone()).collect()
    }

    /// A served municipality.
    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.inner.served.iter().find(|m| m.code == code)
    }

    /// Defect switches.
    pub fn defects(&self) -> &Defects {
        &self.inner.defects
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The register feed (異動連携).
    pub fn feed(&self) -> &Feed {
        &self.inner.feed
    }

    /// The register a request with this card, received at `reception`, reads.
    pub fn register_for_card(
        &self,
        card_serial: &str,
        reception: &chrono::DateTime<chrono::FixedOffset>,
    ) -> Arc<RegisterView> {
        let person = self
            .fixtures()
            .card_by_serial(card_serial)
            .map(|c| c.person.as_str());
        self.inner.feed.for_person(person, reception)
    }

    /// Defect `other-resident-under-load`: count an issuance of `holder` on `date`, and
    /// once the date has passed [`BUSY_DAY_ISSUANCES`], name the holders of the orders
    /// still queued (most recent first, `holder` left out) whose print order this one
    /// may be mixed up with (until [`Self::mixed_up`] says it was).
    pub fn busy_day_mixup(&self, date: chrono::NaiveDate, holder: &str) -> Vec<String> {
        let Ok(mut days) = self.inner.busy_days.lock() else {
            return Vec::new();
        };
        let day = days.entry(date).or_default();
        day.count += 1;
        let queued: Vec<String> = if day.count >= BUSY_DAY_ISSUANCES && !day.mixed_up {
            day.recent
                .iter()
                .rev()
                .filter(|p| *p != holder)
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        day.recent.push_back(holder.to_owned());
        if day.recent.len() > QUEUED_ORDERS {
            day.recent.pop_front();
        }
        queued
    }

    /// Defect `page-from-another-document`: the page buffer renderings share.
    pub fn page_buffer(&self) -> &crate::document::PageBuffer {
        &self.inner.page_buffer
    }

    /// The mix-up of `date` happened: one is enough.
    pub fn mixed_up(&self, date: chrono::NaiveDate) {
        if let Ok(mut days) = self.inner.busy_days.lock() {
            days.entry(date).or_default().mixed_up = true;
        }
    }

    /// Defect `refusal-remembered`: claim `request_id` for a body of hash `hash`; the
    /// hash it was claimed with before, if it was.
    pub fn claim_request_id(&self, request_id: uuid::Uuid, hash: &str) -> Option<String> {
        let mut claimed = self.inner.claimed.lock().ok()?;
        match claimed.get(&request_id) {
            Some(before) => Some(before.clone()),
            None => {
                claimed.insert(request_id, hash.to_owned());
                None
            }
        }
    }

    /// Defect `request-memory-per-connection`: whether `request_id` first came on the
    /// connection `peer` (remembering it if it is new).
    pub fn seen_on_connection(
        &self,
        request_id: uuid::Uuid,
        peer: Option<std::net::SocketAddr>,
    ) -> bool {
        let (Some(peer), Ok(mut seen)) = (peer, self.inner.connections.lock()) else {
            return true;
        };
        *seen.entry(request_id).or_insert(peer) == peer
    }

    /// Defect `request-memory-in-process`: whether this process has seen `request_id`
    /// (remembering it if it is new).
    pub fn seen_in_process(&self, request_id: uuid::Uuid) -> bool {
        self.inner
            .in_process
            .lock()
            .map(|mut seen| !seen.insert(request_id))
            .unwrap_or(true)
    }

    /// What a defective server forgets when it starts (`unsettled-issuances-in-process`,
    /// `records-lost-on-restart`).
    pub async fn forget_on_start(&self) -> Result<(), crate::store::StoreError> {
        if self.defects().on(Defect::RecordsLostOnRestart) {
            self.store().forget_everything().await?;
        }
        if self.defects().on(Defect::UnsettledInProcess) {
            let dropped = self.store().forget_unsettled().await?;
            tracing::info!(dropped, "unsettled issuances forgotten");
        }
        Ok(())
    }

    /// Defect `document-file-by-second`: the PDF another request wrote to the same
    /// temporary file (same municipality, type and reception second) if there is one,
    /// else `pdf`, now the file's content.
    pub fn document_file(
        &self,
        key: (String, String, i64),
        request_id: uuid::Uuid,
        pdf: Vec<u8>,
    ) -> Vec<u8> {
        let Ok(mut files) = self.inner.document_files.lock() else {
            return pdf;
        };
        if files.len() > 10_000 {
            files.clear();
        }
        match files.get(&key) {
            Some((writer, other)) if *writer != request_id => other.clone(),
            _ => {
                files.insert(key, (request_id, pdf.clone()));
                pdf
            }
        }
    }
}
