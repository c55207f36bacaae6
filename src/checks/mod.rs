//! Conformance checks: what the candidate must have produced, compared with what it
//! did. A failed check panics with a [`Failure`] message that names the check, what was
//! expected, what came back (a plain-text line diff: `-` expected, `+` actual, never
//! colour escapes, so the message can go into any report file), and the evidence folder;
//! cucumber reports it as the failed step.

pub mod audit;
pub mod era;
pub mod expected;
pub mod pdf;
pub mod pdf_forensics;
pub mod printed_text;
pub mod settlement;
pub mod snapshot;
pub mod tax_print;
pub mod tls;

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
    let diff = line_diff(&format!("{expected:#?}"), &format!("{actual:#?}"));
    panic!(
        "{check}\nexpected (-) vs actual (+):\n{diff}evidence: {}",
        evidence.display()
    )
}

/// A plain unified line diff of two texts: every line prefixed with `-` (only in
/// `expected`), `+` (only in `actual`) or a space (both). No escapes.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => ' ',
        };
        out.push(sign);
        out.push_str(change.value().trim_end_matches('\n'));
        out.push('\n');
    }
    out
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

/// Items in the profile's words joined by `/`, e.g. `self/household/members`.
pub fn list<T: std::fmt::Display>(items: &[T]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

/// An optional value as a sentence: the value, or `none`.
pub fn shown<T: std::fmt::Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "none".to_owned(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_comparison_carries_no_escape() {
        let failure = std::panic::catch_unwind(|| {
            fail_diff(
                "check",
                &vec!["a", "b"],
                &vec!["a", "c"],
                Path::new("evidence/x"),
            )
        })
        .unwrap_err();
        let text = failure
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("-    \"b\","), "{text}");
        assert!(text.contains("+    \"c\","), "{text}");
        assert!(text.ends_with("evidence: evidence/x"), "{text}");
    }
}
