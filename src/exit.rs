//! Exit codes of `kofu run`, kept apart so CI can tell a non-conformant candidate from
//! a broken setup.

/// Every applicable scenario passed.
pub const PASSED: i32 = 0;
/// At least one scenario failed: the candidate is not conformant (or the harness found
/// a defect it was built to find).
pub const FAILED: i32 = 1;
/// Usage or setup error, unreachable candidate, or no scenario ran.
pub const SETUP: i32 = 2;
