//! kofu: an end-to-end conformance harness for コンビニ交付 issuance servers
//! (証明発行サーバ).
//!
//! kofu plays every actor but the candidate: the issuance center (証明書交付センター),
//! store terminals (キオスク端末) and test cards. Japanese Gherkin scenarios under
//! `features/`, one folder per test phase (工程試験), drive those mocks against any
//! candidate that speaks the open reference profile (`profile/`).
//!
//! # Data flow
//! Data flows one way: the engine ([`run`]) starts the [`rig`] (the candidate, the
//! in-process mock center, the terminals' link to it, the issuance seam), runs every
//! scenario with its own [`world`], whose [`steps`] drive the rig and judge what came
//! back with the pure functions of [`checks`]; the [`report`] collects the verdicts.
//!
//! # Layout
//! - [`run`]: the one engine entry point, called by `kofu run` and by the
//!   `harness = false` test target.
//! - [`rig`]: the run's shared actors, started by the engine.
//! - [`candidate`]: how a candidate is reached (a URL, or the bundled reference server).
//! - [`certify`]: 認証モード, the sealed evidence bundle of `kofu certify` and its check.
//! - [`bench`]: the overhead benchmark of `kofu bench` (kofu's path against a bare client).
//! - [`additions`]: 追加試験, `--added type:CODE|operator:CODE` and the tag selection.
//! - [`applicability`]: which scenarios the municipality profile rules out, and why.
//! - [`world`]: the cucumber World of one scenario (state only).
//! - [`steps`]: step definitions, one module per domain concept.
//! - [`terminal`]: the mock store terminal, its session, printer and journal.
//! - [`checks`]: certificate content, PDF, settlement and verdict formatting.
//! - [`report`]: run directory, JUnit XML, Cucumber JSON, evidence, summary.
//! - [`exit`]: documented exit codes.

pub mod additions;
pub mod applicability;
pub mod bench;
pub mod built_in;
pub mod candidate;
pub mod certify;
pub mod checks;
pub mod exit;
pub mod report;
pub mod rig;
pub mod run;
pub mod steps;
pub mod terminal;
pub mod world;

pub use run::{RunOptions, RunOutcome, run};
