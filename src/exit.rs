//! Exit codes of `kofu run`, kept apart so CI can tell a non-conformant candidate from
//! a broken setup or an incomplete run. Every run that could create its report folder
//! writes `junit.xml`, `cucumber.json` and `summary.json`, whatever its exit code;
//! `summary.json` says how the run ended (`status`) and why (`reason`).

/// Every applicable scenario passed.
pub const PASSED: i32 = 0;
/// At least one scenario failed, a snapshot was recorded for review (not a pass until
/// it is accepted), or a feature is broken: the candidate is not (yet) conformant, or
/// the harness found a defect it was built to find.
pub const FAILED: i32 = 1;
/// No verdict: a usage or setup error (unreachable candidate, untrusted or missing
/// `--server-ca`, bad tag expression), no scenario ran (the selection matched nothing,
/// or nothing applies to the claims), or the run deadline (`--deadline`) passed before
/// every scenario finished: the unfinished scenarios are reported failed with "run
/// deadline exceeded", but an incomplete run is no conformance verdict.
pub const SETUP: i32 = 2;
