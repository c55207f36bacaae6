//! The issuance seam: every issuance the candidate returns, asked directly by a step or
//! through the mock center for a terminal, passes [`IssuanceAudit::received`] before
//! any step sees it, and is audited there against the card that asked
//! ([`crate::checks::audit`]). A failed audit fails the step that received the issuance
//! at once (a panic with the audit's message, as every check fails a step), wherever
//! the issuance happened: a scenario step, a menu-honesty probe, a fee-table loop, a
//! kiosk session, the store-trial day.
//!
//! The seam also sees every menu (direct or through the center) so that the member ids
//! of a 世帯の一部 request can be mapped back to the persons the menu named.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kofu_fixtures::{Fixtures, Municipality};
use kofu_mock_center::center::api::{IssueRequest, Issued, MenuAnswer};
use kofu_profile::Scope;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::Menu;

use crate::checks::audit::{Asked, AuditFailure, Finding, audit, failure};
use crate::terminal::center_link::LinkObserver;

use super::feed::RegisterFeed;

/// How an issuance reached the harness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuedVia {
    /// A step called the candidate's issuance API itself ([`super::AuditedClient`]).
    Direct,
    /// The mock center forwarded a terminal's request ([`super::MockCenter::link`]).
    Center,
}

impl IssuedVia {
    fn words(self) -> &'static str {
        match self {
            Self::Direct => "asked directly",
            Self::Center => "handed to a terminal by the center",
        }
    }
}

/// A 世帯の一部 choice of a menu: the candidate's member id and the name it shows.
type MemberName = (String, String);

/// The one function every issuance of the run passes through.
#[derive(Debug)]
pub struct IssuanceAudit {
    fixtures: Arc<Fixtures>,
    /// The register changes of the run: an issuance is judged by the register as it
    /// stood at its reception time.
    feed: Arc<RegisterFeed>,
    /// Per request id, how many register changes had been accepted when its first answer
    /// arrived: a change accepted later never rewrites that answer (profile, "An answer
    /// given stands").
    answered_with: Mutex<HashMap<uuid::Uuid, usize>>,
    /// The candidate's claims: fees and offers.
    claims: Vec<Municipality>,
    /// The last menu seen per (municipality, card serial).
    members: Mutex<HashMap<(String, String), Vec<MemberName>>>,
    /// (municipality, `certificate_number` or `issuance_id`) → the request it was first
    /// given to: both are unique within the municipality across the run. Keyed by
    /// [`identifier_key`], so a long run keeps 32 bytes per identifier.
    given: Mutex<HashMap<[u8; 16], uuid::Uuid>>,
    received: AtomicUsize,
    failed: AtomicUsize,
}

impl IssuanceAudit {
    /// An audit of issuances against `fixtures`, with the candidate's `claims`.
    pub fn new(fixtures: Arc<Fixtures>, claims: Vec<Municipality>) -> Self {
        Self {
            feed: Arc::new(RegisterFeed::new(fixtures.clone())),
            answered_with: Mutex::new(HashMap::new()),
            fixtures,
            claims,
            members: Mutex::new(HashMap::new()),
            given: Mutex::new(HashMap::new()),
            received: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        }
    }

    /// The run's register feed.
    pub fn feed(&self) -> &RegisterFeed {
        &self.feed
    }

    /// The register an answer to `request` is judged by: as it stood at its reception
    /// time, with the changes accepted before its first answer arrived.
    pub fn register_for(&self, request: &IssuanceRequest) -> Arc<Fixtures> {
        let watermark = {
            let mut answered = self
                .answered_with
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *answered
                .entry(request.reception.request_id)
                .or_insert_with(|| self.feed.watermark())
        };
        self.feed
            .register_at(request.reception.reception_time, watermark)
    }

    /// A menu the candidate answered for `card_serial`.
    pub fn menu_seen(&self, card_serial: &str, menu: &Menu) {
        let choices: Vec<MemberName> = menu
            .items
            .iter()
            .flat_map(|i| i.members.iter())
            .map(|m| (m.member_id.clone(), m.name.clone()))
            .collect();
        if choices.is_empty() {
            return;
        }
        if let Ok(mut members) = self.members.lock() {
            members.insert((menu.municipality.clone(), card_serial.to_owned()), choices);
        }
    }

    /// An issuance the candidate returned for `request`. Called once per answer,
    /// retries and resends included, before the step that asked sees it.
    ///
    /// # Panics
    /// When the audit fails: the step that received the issuance fails with the
    /// audit's message.
    pub fn received(
        &self,
        via: IssuedVia,
        municipality: &str,
        request: &IssuanceRequest,
        issuance: &Issuance,
    ) {
        if let Err(failure) = self.check(municipality, request, issuance) {
            self.failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(issuance = %issuance.issuance_id, "issuance audit failed");
            let register = if Arc::ptr_eq(&self.register_for(request), &self.fixtures) {
                String::new()
            } else {
                format!(
                    "\n  judged by the register as it stood at {}: the fixtures with the register \
                     changes (異動連携) in force then",
                    request.reception.reception_time.to_rfc3339()
                )
            };
            panic!("{failure}\n  ({}){register}", via.words());
        }
    }

    /// Audit one issuance without failing: what [`Self::received`] checks.
    pub fn check(
        &self,
        municipality: &str,
        request: &IssuanceRequest,
        issuance: &Issuance,
    ) -> Result<(), AuditFailure> {
        self.received.fetch_add(1, Ordering::Relaxed);
        let Some(claim) = self
            .claims
            .iter()
            .chain(self.fixtures.municipalities.iter())
            .find(|m| m.code == municipality)
        else {
            // A municipality the fixtures do not know: the echo check still applies.
            return Ok(());
        };
        let fixtures = self.register_for(request);
        let chosen = self.chosen_persons(&fixtures, municipality, request);
        let audited = audit(
            &fixtures,
            Asked {
                municipality: claim,
                request,
                chosen_persons: chosen.as_deref(),
            },
            issuance,
        );
        let reused = self.reused(municipality, request, issuance);
        match (audited, reused.is_empty()) {
            (Ok(()), true) => Ok(()),
            (Err(mut failure), _) => {
                failure.findings.extend(reused);
                Err(failure)
            }
            (Ok(()), false) => Err(failure(&fixtures, request, issuance, reused)),
        }
    }

    /// The identifiers of `issuance` that an earlier request of the run was given
    /// (a resend of the same request id gets the same ones, rightly).
    fn reused(
        &self,
        municipality: &str,
        request: &IssuanceRequest,
        issuance: &Issuance,
    ) -> Vec<Finding> {
        let Ok(mut given) = self.given.lock() else {
            return Vec::new();
        };
        let request_id = request.reception.request_id;
        let mut out = Vec::new();
        for (field, value) in [
            ("certificate_number", &issuance.certificate_number),
            ("issuance_id", &issuance.issuance_id),
        ] {
            let key = identifier_key(municipality, field, value);
            match given.get(&key) {
                Some(earlier) if *earlier != request_id => out.push(Finding::Reused {
                    field,
                    value: value.clone(),
                    earlier_request: earlier.to_string(),
                }),
                Some(_) => {}
                None => {
                    given.insert(key, request_id);
                }
            }
        }
        out
    }

    /// The persons a 世帯の一部 request's member ids stand for, by the names of the
    /// last menu seen for the card; `None` when unknown.
    fn chosen_persons(
        &self,
        fixtures: &Fixtures,
        municipality: &str,
        request: &IssuanceRequest,
    ) -> Option<Vec<String>> {
        if request.options.scope != Some(Scope::Members) {
            return None;
        }
        let members = self.members.lock().ok()?;
        let choices = members.get(&(municipality.to_owned(), request.card_serial.clone()))?;
        let card = fixtures.card_by_serial(&request.card_serial)?;
        let holder = fixtures.register.person(&card.person)?;
        let household = holder.household.as_deref()?;
        request
            .options
            .members
            .iter()
            .map(|id| {
                let (_, name) = choices.iter().find(|(m, _)| m == id)?;
                fixtures
                    .register
                    .household_members(household)
                    .find(|p| &p.name == name)
                    .map(|p| p.id.clone())
            })
            .collect()
    }

    /// The municipality the center must route a terminal's request to: the one asked,
    /// else the holder's 本籍地 for 戸籍 types and 住所地 for the others, from the
    /// fixtures.
    fn routed(&self, card_serial: &str, req: &IssueRequest) -> Option<String> {
        if let Some(m) = &req.municipality {
            return Some(m.clone());
        }
        let card = self.fixtures.card_by_serial(card_serial)?;
        let holder = self.fixtures.register.person(&card.person)?;
        let register = &self.fixtures.register;
        if req.certificate.issued_by_domicile() {
            let k = holder.family_register.as_deref()?;
            register.family_register(k).map(|k| k.municipality.clone())
        } else {
            register
                .residence_of(holder)
                .map(|h| h.municipality.clone())
        }
    }

    /// How many issuances passed the seam so far.
    pub fn count(&self) -> usize {
        self.received.load(Ordering::Relaxed)
    }

    /// How many of them failed the audit.
    pub fn failures(&self) -> usize {
        self.failed.load(Ordering::Relaxed)
    }
}

/// The key of an identifier a municipality gave: the first 128 bits of the SHA-256 of
/// its three parts, each length-prefixed (two different identifiers share a key with a
/// probability of about 2⁻¹²⁸ per pair).
fn identifier_key(municipality: &str, field: &str, value: &str) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in [municipality, field, value] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

impl LinkObserver for IssuanceAudit {
    fn menus(&self, card_serial: &str, answer: &MenuAnswer) {
        for menu in &answer.menus {
            self.menu_seen(card_serial, menu);
        }
    }

    fn issued(&self, card_serial: &str, req: &IssueRequest, issued: &Issued) {
        let municipality = self
            .routed(card_serial, req)
            .unwrap_or_else(|| issued.issuance.municipality.clone());
        let request = IssuanceRequest {
            reception: issued.reception.clone(),
            card_serial: card_serial.to_owned(),
            certificate: req.certificate,
            options: req.options.clone(),
            copies: i64::from(req.copies),
        };
        self.received(IssuedVia::Center, &municipality, &request, &issued.issuance);
    }
}

#[cfg(test)]
mod tests {
    use super::identifier_key;

    #[test]
    fn identifier_keys_tell_their_parts_apart() {
        let key = identifier_key("990001", "certificate_number", "000123");
        assert_eq!(
            key,
            identifier_key("990001", "certificate_number", "000123")
        );
        for other in [
            identifier_key("990002", "certificate_number", "000123"),
            identifier_key("990001", "issuance_id", "000123"),
            identifier_key("990001", "certificate_number", "000124"),
            // The same bytes split differently are another identifier.
            identifier_key("9900", "01certificate_number", "000123"),
        ] {
            assert_ne!(key, other);
        }
    }
}
