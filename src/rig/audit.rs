//! The issuance seam: every issuance the candidate returns, asked directly by a step or
//! through the mock center for a terminal, passes [`IssuanceAudit::received`] before
//! any step sees it. An auditor that checks every issued document (not only those a
//! scenario inspects) plugs in here; today the seam counts and traces what it sees.

use std::sync::atomic::{AtomicUsize, Ordering};

use kofu_profile::issuance::Issuance;

/// How an issuance reached the harness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuedVia {
    /// A step called the candidate's issuance API itself ([`super::AuditedClient`]).
    Direct,
    /// The mock center forwarded a terminal's request ([`super::MockCenter::link`]).
    Center,
}

/// The one function every issuance of the run passes through.
#[derive(Debug, Default)]
pub struct IssuanceAudit {
    received: AtomicUsize,
}

impl IssuanceAudit {
    /// An issuance the candidate returned. Called once per answer, retries and resends
    /// included, before the step that asked sees it.
    pub fn received(&self, via: IssuedVia, issuance: &Issuance) {
        self.received.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            ?via,
            issuance = %issuance.issuance_id,
            certificate = issuance.certificate.code(),
            municipality = %issuance.municipality,
            "issuance received"
        );
    }

    /// How many issuances passed the seam so far.
    pub fn count(&self) -> usize {
        self.received.load(Ordering::Relaxed)
    }
}
