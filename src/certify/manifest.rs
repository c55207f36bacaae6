//! `MANIFEST.json`: what a bundle holds and what the run found, signed as its bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use super::scan::ScanReport;

/// The format tag of the manifest.
pub const FORMAT: &str = "kofu-certification-bundle/1";

/// The candidate as the run met it: its URL, and what it said at the identity probe
/// (`evidence/probe/001-identity.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateIdentity {
    /// Base URL the run reached it at.
    pub url: String,
    /// The implementation's name, as it reported it.
    pub implementation: Option<String>,
    /// The implementation's version, as it reported it.
    pub version: Option<String>,
    /// The profile version it claimed.
    pub profile_version: Option<String>,
    /// The municipality codes it claimed.
    pub municipalities: Vec<String>,
}

/// Scenario counts (from `summary.json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Passed.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
    /// Skipped (not applicable).
    pub skipped: u64,
}

/// The signed manifest of a certification bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// kofu's version that ran and sealed.
    pub kofu_version: String,
    /// The reference profile version kofu tests (`kofu_profile::PROFILE_VERSION`).
    pub profile_version: String,
    /// When the bundle was sealed (RFC 3339, UTC).
    pub sealed_at: String,
    /// The run's id.
    pub run_id: String,
    /// The run's status (`completed`).
    pub status: String,
    /// When the run started.
    pub started_at: String,
    /// When the run finished.
    pub finished_at: String,
    /// The candidate.
    pub candidate: CandidateIdentity,
    /// The candidate's verdict: scenarios not tagged `@mock-only`.
    pub verdict: Counts,
    /// kofu's own mocks (`@mock-only`), outside the candidate's verdict.
    pub mocks: Counts,
    /// Scenarios that errored (a step kofu could not run).
    pub errors: u64,
    /// What the synthetic-data scan checked.
    pub synthetic_scan: ScanReport,
    /// SHA-256 of every fixture file the run used, by path under `fixtures/` (the
    /// fixtures are not copied: they hold the test PKI's keys).
    pub fixtures: BTreeMap<String, String>,
    /// SHA-256 (hex) of every file in the bundle but `MANIFEST.json` and `MANIFEST.sig`,
    /// by path: the run folder under `run/`, the features that ran under
    /// `inputs/features/`, `candidate.json` and `public-key.pem`.
    pub files: BTreeMap<String, String>,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}
