//! The register as it stood: the base fixtures plus every delivered event (異動連携)
//! in force at a reception time.
//!
//! Events are kept in order of (the instant they apply from, arrival). The events in
//! force at a reception time are a prefix of that list, so a view is cached by the
//! prefix's length, and the cache is dropped whenever an event is kept. A request with
//! no event in force gets the base register itself, at no cost.
//!
//! - [`apply`](self): what each change does to the register's data.

mod apply;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Days, FixedOffset, NaiveTime, TimeZone as _, Utc};
use kofu_fixtures::Fixtures;
use kofu_profile::register_event::RegisterEvent;
use kofu_profile::registration::RegistrationStatus;

use crate::defects::{Defect, Defects};
use crate::store::EventRow;

/// At most this many views are cached; the cache starts again beyond.
const CACHED_VIEWS: usize = 64;

/// The register at one time, with what the feed records beside it.
#[derive(Debug)]
pub struct RegisterView {
    fixtures: Arc<Fixtures>,
    decisions: BTreeMap<String, RegistrationStatus>,
    holder_only_dv: BTreeSet<String>,
}

impl RegisterView {
    /// The fixtures with the register as it stood.
    pub fn fixtures(&self) -> &Fixtures {
        &self.fixtures
    }

    /// The decision in force on a 利用登録申請, if one was delivered.
    pub fn decision(&self, registration_id: &str) -> Option<RegistrationStatus> {
        self.decisions.get(registration_id).copied()
    }

    /// Defect `feed-dv-holder-only`: the persons whose DV等支援措置 from the feed only
    /// the holder check sees.
    pub fn holder_only_dv(&self) -> &BTreeSet<String> {
        &self.holder_only_dv
    }
}

/// One event kept, with the instant it applies from.
#[derive(Debug)]
struct Kept {
    municipality: String,
    event: RegisterEvent,
    applies_from: DateTime<Utc>,
    arrival: u64,
}

#[derive(Debug, Default)]
struct Events {
    /// In force order: (applies_from, arrival). Dropped events are not here.
    in_force: Vec<Arc<Kept>>,
    /// Every event by id, as first kept (or as replaced).
    by_id: HashMap<uuid::Uuid, (String, RegisterEvent)>,
    /// Defect `feed-out-of-order-dropped`: the latest effective_at kept per person.
    latest: HashMap<String, DateTime<Utc>>,
    next_arrival: u64,
    /// Views by the number of events in force.
    cache: HashMap<usize, Arc<RegisterView>>,
    /// Bumped whenever the list changes: a view computed before is not cached.
    generation: u64,
    /// Defect `feed-cache-whole-run`: the first view computed per person.
    pinned: HashMap<String, Arc<RegisterView>>,
}

/// Where a delivered event id stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Never delivered.
    New,
    /// Delivered before with this municipality and an equal body.
    Same,
    /// Delivered before with another body (or from another municipality).
    Other,
}

/// The register feed of one server.
pub struct Feed {
    base: Arc<RegisterView>,
    defects: Defects,
    events: Mutex<Events>,
    /// Deliveries are taken one at a time.
    delivery: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed").finish_non_exhaustive()
    }
}

/// The instant from which an event applies: its `effective_at`, but for the defects
/// that read it otherwise.
fn applies_from(effective_at: &DateTime<FixedOffset>, defects: &Defects) -> DateTime<Utc> {
    let jst = kofu_profile::time::jst();
    if defects.on(Defect::FeedEffectiveTimeIgnored) {
        DateTime::<Utc>::MIN_UTC
    } else if defects.on(Defect::FeedAppliedLate) {
        let next_day = kofu_profile::time::jst_date(effective_at)
            .checked_add_days(Days::new(1))
            .map(|d| d.and_time(NaiveTime::MIN));
        next_day
            .and_then(|d| jst.from_local_datetime(&d).single())
            .map_or(DateTime::<Utc>::MAX_UTC, |t| t.to_utc())
    } else if defects.on(Defect::FeedEffectiveTimeUtc) {
        jst.from_local_datetime(&effective_at.naive_local())
            .single()
            .map_or_else(|| effective_at.to_utc(), |t| t.to_utc())
    } else {
        effective_at.to_utc()
    }
}

/// Equal as parsed JSON (the offset of `effective_at` included).
fn same_body(a: &RegisterEvent, b: &RegisterEvent) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

impl Feed {
    /// The feed over the base fixtures, with the events kept before.
    pub fn new(base: Arc<Fixtures>, defects: Defects, kept: Vec<EventRow>) -> Self {
        let feed = Self {
            base: Arc::new(RegisterView {
                fixtures: base,
                decisions: BTreeMap::new(),
                holder_only_dv: BTreeSet::new(),
            }),
            defects,
            events: Mutex::new(Events::default()),
            delivery: tokio::sync::Mutex::new(()),
        };
        for row in kept {
            for _ in 0..row.deliveries {
                feed.keep(&row.municipality, row.event.clone());
            }
        }
        feed
    }

    fn lock(&self) -> MutexGuard<'_, Events> {
        self.events.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Take deliveries one at a time: hold the guard from the id check until the
    /// event is kept.
    pub async fn delivery(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.delivery.lock().await
    }

    /// Whether this event id was delivered before, and with what.
    pub fn known(&self, municipality: &str, event: &RegisterEvent) -> Known {
        match self.lock().by_id.get(&event.event_id) {
            None => Known::New,
            Some((m, before)) if m == municipality && same_body(before, event) => Known::Same,
            Some(_) => Known::Other,
        }
    }

    /// Keep an event (after the store has it): in force for every later request.
    pub fn keep(&self, municipality: &str, event: RegisterEvent) {
        let mut events = self.lock();
        let effective = event.effective_at.to_utc();
        let person = event.change.person().map(str::to_owned);
        let dropped = self.defects.on(Defect::FeedOutOfOrderDropped)
            && person
                .as_ref()
                .and_then(|p| events.latest.get(p))
                .is_some_and(|latest| effective < *latest);
        if let Some(p) = person {
            let latest = events.latest.entry(p).or_insert(effective);
            *latest = (*latest).max(effective);
        }
        events
            .by_id
            .entry(event.event_id)
            .or_insert_with(|| (municipality.to_owned(), event.clone()));
        events.next_arrival += 1;
        events.generation += 1;
        events.cache.clear();
        if dropped {
            return;
        }
        let kept = Arc::new(Kept {
            municipality: municipality.to_owned(),
            applies_from: applies_from(&event.effective_at, &self.defects),
            arrival: events.next_arrival,
            event,
        });
        let at = events
            .in_force
            .partition_point(|k| (k.applies_from, k.arrival) <= (kept.applies_from, kept.arrival));
        events.in_force.insert(at, kept);
    }

    /// Defect `feed-event-id-conflict-accepted`: another body replaces the event kept
    /// under its id.
    pub fn replace(&self, municipality: &str, event: RegisterEvent) {
        {
            let mut events = self.lock();
            events
                .in_force
                .retain(|k| k.event.event_id != event.event_id);
            events.by_id.remove(&event.event_id);
        }
        self.keep(municipality, event);
    }

    /// The register as it stood at `reception` (`None`: with every delivered event).
    pub fn at(&self, reception: Option<&DateTime<FixedOffset>>) -> Arc<RegisterView> {
        let (count, generation, applicable) = {
            let events = self.lock();
            let count = match reception {
                Some(t) => {
                    let t = t.to_utc();
                    events.in_force.partition_point(|k| k.applies_from <= t)
                }
                None => events.in_force.len(),
            };
            if count == 0 {
                return self.base.clone();
            }
            if let Some(view) = events.cache.get(&count) {
                return view.clone();
            }
            (count, events.generation, events.in_force[..count].to_vec())
        };
        let view = Arc::new(self.build(&applicable));
        let mut events = self.lock();
        if events.generation == generation {
            if events.cache.len() >= CACHED_VIEWS {
                events.cache.clear();
            }
            events.cache.insert(count, view.clone());
        }
        view
    }

    /// The register a request of `person` at `reception` reads. Defect
    /// `feed-cache-whole-run`: the first view computed for a person stays theirs.
    pub fn for_person(
        &self,
        person: Option<&str>,
        reception: &DateTime<FixedOffset>,
    ) -> Arc<RegisterView> {
        let pinning = self.defects.on(Defect::FeedCacheWholeRun);
        if pinning
            && let Some(p) = person
            && let Some(view) = self.lock().pinned.get(p)
        {
            return view.clone();
        }
        let view = self.at(Some(reception));
        if pinning && let Some(p) = person {
            self.lock()
                .pinned
                .entry(p.to_owned())
                .or_insert_with(|| view.clone());
        }
        view
    }

    fn build(&self, applicable: &[Arc<Kept>]) -> RegisterView {
        let mut fixtures = Fixtures::clone(&self.base.fixtures);
        let mut decisions = BTreeMap::new();
        let mut holder_only_dv = BTreeSet::new();
        let mut draft = apply::Draft {
            register: &mut fixtures.register,
            decisions: &mut decisions,
            holder_only_dv: &mut holder_only_dv,
            defects: &self.defects,
        };
        for kept in applicable {
            draft.apply(&kept.municipality, &kept.event.change);
        }
        RegisterView {
            fixtures: Arc::new(fixtures),
            decisions,
            holder_only_dv,
        }
    }
}

#[cfg(test)]
mod tests;
