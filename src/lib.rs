//! kofu: an end-to-end conformance harness for コンビニ交付 issuance servers
//! (証明発行サーバ).
//!
//! kofu plays every actor but the candidate: the issuance center (証明書交付センター),
//! store terminals (キオスク端末) and test cards. Japanese Gherkin scenarios under
//! `features/`, one folder per test phase (工程試験), drive those mocks against any
//! candidate that speaks the open reference profile (`profile/`).
//!
//! # Layout
//! - [`additions`]: 追加試験, `--added type:CODE|operator:CODE` and `fixtures/additions`.
//! - [`run`]: the one engine entry point, called by `kofu run` and by the
//!   `harness = false` test target.
//! - [`candidate`]: how a candidate is reached (a URL, or the bundled reference server).
//! - [`applicability`]: which scenarios the municipality profile rules out, and why.
//! - [`world`]: the cucumber World of one scenario.
//! - [`steps`]: step definitions, one module per domain concept.
//! - [`terminal`]: the mock store terminal.
//! - [`checks`]: certificate content, PDF and verdict formatting.
//! - [`report`]: run directory, JUnit XML, Cucumber JSON, evidence, summary.
//! - [`exit`]: documented exit codes.

pub mod additions;
pub mod applicability;
pub mod candidate;
pub mod checks;
pub mod exit;
pub mod report;
pub mod run;
pub mod steps;
pub mod terminal;
pub mod world;

pub use run::{RunOptions, RunOutcome, run};
