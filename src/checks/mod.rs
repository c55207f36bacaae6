//! Conformance checks: what the candidate must have produced, compared with what it
//! did. A failed check panics with a [`Failure`] message that names the check, what was
//! expected, what came back (a pretty diff), and the evidence folder; cucumber reports
//! it as the failed step.

pub mod audit;
pub mod era;
pub mod expected;
pub mod pdf;
pub mod settlement;
pub mod snapshot;

use std::fmt::Debug;
use std::path::Path;

/// Fail the current step: expected vs actual with a line diff.
#[track_caller]
pub fn fail_diff<T: Debug + PartialEq>(
    check: &str,
    expected: &T,
    actual: &T,
    evidence: &Path,
) -> ! {
    let diff = pretty_assertions::Comparison::new(expected, actual);
    panic!(
        "{check}\nexpected (left) vs actual (right):\n{diff}\nevidence: {}",
        evidence.display()
    )
}

/// Fail the current step with a plain message.
#[track_caller]
pub fn fail(check: &str, detail: impl std::fmt::Display, evidence: &Path) -> ! {
    panic!("{check}\n{detail}\nevidence: {}", evidence.display())
}

/// Compare and fail with a diff when different.
#[track_caller]
pub fn expect_eq<T: Debug + PartialEq>(check: &str, expected: &T, actual: &T, evidence: &Path) {
    if expected != actual {
        fail_diff(check, expected, actual, evidence);
    }
}
