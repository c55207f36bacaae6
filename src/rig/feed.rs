//! The run's register feed (異動連携): every change the candidate accepted, in the order
//! it accepted them, and the register as it stood at a reception time for every judge
//! of the run ([`super::IssuanceAudit`], the steps' expectations).
//!
//! The feed is run-wide because the audit is: an issuance is judged against the register
//! as it stood at its reception time, whichever scenario asked for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset};
use kofu_fixtures::Fixtures;
use kofu_profile::register_event::RegisterEvent;

use crate::checks::expected::as_of::{self, Delivered};

/// The register changes of one run.
#[derive(Debug)]
pub struct RegisterFeed {
    base: Arc<Fixtures>,
    delivered: Mutex<Vec<Delivered>>,
    /// Views already computed, by the arrival numbers of the events in force.
    views: Mutex<HashMap<Vec<usize>, Arc<Fixtures>>>,
}

impl RegisterFeed {
    /// A feed over the run's fixtures, with nothing delivered yet.
    pub fn new(base: Arc<Fixtures>) -> Self {
        Self {
            base,
            delivered: Mutex::new(Vec::new()),
            views: Mutex::new(HashMap::new()),
        }
    }

    /// The candidate accepted `event` from `municipality`'s register systems. A repeated
    /// event id changes nothing (the profile's idempotency): the first body stands.
    pub fn delivered(&self, municipality: &str, event: &RegisterEvent) {
        let mut delivered = self
            .delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if delivered.iter().any(|d| d.event.event_id == event.event_id) {
            return;
        }
        let seq = delivered.len();
        delivered.push(Delivered {
            seq,
            municipality: municipality.to_owned(),
            event: event.clone(),
        });
    }

    /// How many events were accepted so far: a request answered now sees only these.
    pub fn watermark(&self) -> usize {
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Every event accepted, in arrival order.
    pub fn all(&self) -> Vec<Delivered> {
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The register as it stood at `at` for a request answered when `watermark` events
    /// had been accepted: the fixtures when no change is in force.
    pub fn register_at(&self, at: DateTime<FixedOffset>, watermark: usize) -> Arc<Fixtures> {
        let delivered = self
            .delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let known = &delivered[..watermark.min(delivered.len())];
        let in_force = as_of::in_force(known, at);
        if in_force.is_empty() {
            return self.base.clone();
        }
        let key: Vec<usize> = in_force.iter().map(|d| d.seq).collect();
        let mut views = self.views.lock().unwrap_or_else(PoisonError::into_inner);
        views
            .entry(key)
            .or_insert_with(|| Arc::new(as_of::apply(&self.base, &in_force)))
            .clone()
    }

    /// The register as it stands now at `at`: with every event accepted so far.
    pub fn register_now(&self, at: DateTime<FixedOffset>) -> Arc<Fixtures> {
        self.register_at(at, usize::MAX)
    }
}
