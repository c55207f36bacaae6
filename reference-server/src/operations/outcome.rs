//! `POST .../issuances/{id}/outcome`: 確定 / 取消 per copy.

use kofu_fixtures::Municipality;
use kofu_profile::outcome::{CopyOutcome, CopyState, OutcomeReport};
use kofu_profile::records::IssuanceRecord;

use super::OperationError;
use super::records::record;
use crate::defects::Defect;
use crate::state::AppState;
use crate::store::CopyUpdate;

/// What a report names, without the issuance: at least one copy, each at most once,
/// none numbered 0.
fn check_named(copies: &[CopyOutcome]) -> Result<(), OperationError> {
    if copies.is_empty() {
        return Err(OperationError::InvalidRequest(
            "the report names no copy".into(),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in copies {
        if c.copy == 0 {
            return Err(OperationError::InvalidRequest(
                "copy 0 is not a copy: copies count from 1".into(),
            ));
        }
        if !seen.insert(c.copy) {
            return Err(OperationError::InvalidRequest(format!(
                "copy {} is reported twice",
                c.copy
            )));
        }
    }
    Ok(())
}

/// How a server with defect switches applies a report.
#[derive(Debug, Clone, Copy)]
struct Leniency {
    /// Cancelled outcomes are stored (off: `cancel-ignored`).
    store_cancellations: bool,
    /// Copies beyond the issuance's are ignored (`outcome-copy-out-of-range-accepted`).
    ignore_beyond: bool,
    /// An outcome repeated for a copy is a conflict (`outcome-repeat-refused`).
    repeat_conflicts: bool,
}

impl Default for Leniency {
    fn default() -> Self {
        Self {
            store_cancellations: true,
            ignore_beyond: false,
            repeat_conflicts: false,
        }
    }
}

/// Apply a report to copy states, entirely or not at all. A report names at least one
/// copy, each at most once and within range; pending copies take the outcome, the same
/// outcome again changes nothing, a different one is a conflict.
fn apply(
    states: &mut [CopyState],
    copies: &[CopyOutcome],
    leniency: Leniency,
) -> Result<(), OperationError> {
    check_named(copies)?;
    for c in copies {
        if usize::from(c.copy) > states.len() && !leniency.ignore_beyond {
            return Err(OperationError::InvalidRequest(format!(
                "copy {} is not between 1 and {}",
                c.copy,
                states.len()
            )));
        }
    }
    let mut next = states.to_vec();
    for c in copies {
        let Some(slot) = next.get_mut(usize::from(c.copy) - 1) else {
            continue;
        };
        let new = CopyState::from(c.outcome);
        match *slot {
            current if current == new && leniency.repeat_conflicts => {
                return Err(OperationError::OutcomeConflict(format!(
                    "copy {} was already reported",
                    c.copy
                )));
            }
            current if current == new => {}
            CopyState::Pending => {
                if leniency.store_cancellations || new != CopyState::Cancelled {
                    *slot = new;
                }
            }
            current => {
                return Err(OperationError::OutcomeConflict(format!(
                    "copy {} is already {current:?}",
                    c.copy
                )));
            }
        }
    }
    states.copy_from_slice(&next);
    Ok(())
}

/// Record the outcome of some or all copies.
pub async fn report(
    state: &AppState,
    municipality: &Municipality,
    issuance_id: &str,
    report: OutcomeReport,
) -> Result<IssuanceRecord, OperationError> {
    let defects = state.defects();
    if defects.on(Defect::OutcomeReportCheckedBeforeId) {
        check_named(&report.copies)?;
    }
    let leniency = Leniency {
        store_cancellations: !defects.on(Defect::CancelIgnored),
        ignore_beyond: defects.on(Defect::OutcomeCopyOutOfRangeAccepted),
        repeat_conflicts: defects.on(Defect::OutcomeRepeatRefused),
    };
    let overwrite = defects.on(Defect::OutcomeOverwritten);
    // Defect `outcome-partial-apply`: one transaction per copy instead of one per report
    // (so a copy named twice is no longer seen either).
    let batches: Vec<Vec<CopyOutcome>> =
        if defects.on(Defect::OutcomePartialApply) && !report.copies.is_empty() {
            report.copies.iter().map(|c| vec![*c]).collect()
        } else {
            vec![report.copies]
        };
    let mut recorded = None;
    for copies in batches {
        let update = state
            .store()
            .update_copy_states(&municipality.code, issuance_id, move |states| {
                match apply(states, &copies, leniency) {
                    // A conflict comes after every copy number was checked.
                    Err(OperationError::OutcomeConflict(_)) if overwrite => {
                        for c in &copies {
                            if let Some(slot) = states.get_mut(usize::from(c.copy) - 1) {
                                *slot = CopyState::from(c.outcome);
                            }
                        }
                        Ok(())
                    }
                    other => other,
                }
            })
            .await?;
        match update {
            CopyUpdate::NotFound if defects.on(Defect::OutcomeUnknownIssuance500) => {
                return Err(OperationError::Internal(
                    "called `Option::unwrap()` on a `None` value".into(),
                ));
            }
            CopyUpdate::NotFound => {
                return Err(OperationError::NotFound(format!("issuance {issuance_id}")));
            }
            CopyUpdate::Refused(e) => return Err(e),
            CopyUpdate::Updated(row) => recorded = Some(row),
        }
    }
    match recorded {
        Some(row) => {
            tracing::info!(issuance = %issuance_id, "outcome recorded");
            Ok(record(&row, defects))
        }
        None => Err(OperationError::InvalidRequest(
            "the report names no copy".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kofu_profile::outcome::Outcome;

    fn c(copy: u8, outcome: Outcome) -> CopyOutcome {
        CopyOutcome { copy, outcome }
    }

    #[test]
    fn transitions() {
        let mut s = vec![CopyState::Pending; 2];
        apply(&mut s, &[c(1, Outcome::Confirmed)], Leniency::default()).unwrap();
        assert_eq!(s, [CopyState::Confirmed, CopyState::Pending]);
        apply(
            &mut s,
            &[c(1, Outcome::Confirmed), c(2, Outcome::Cancelled)],
            Leniency::default(),
        )
        .unwrap();
        assert_eq!(s, [CopyState::Confirmed, CopyState::Cancelled]);
        let before = s.clone();
        for (report, conflict) in [
            (vec![c(2, Outcome::Confirmed)], true),
            (vec![c(3, Outcome::Confirmed)], false),
            (vec![c(0, Outcome::Confirmed)], false),
            (vec![], false),
            (
                vec![c(1, Outcome::Confirmed), c(1, Outcome::Confirmed)],
                false,
            ),
        ] {
            let e = apply(&mut s, &report, Leniency::default()).unwrap_err();
            assert_eq!(
                matches!(e, OperationError::OutcomeConflict(_)),
                conflict,
                "{report:?}: {e}"
            );
            assert_eq!(s, before);
        }
    }

    #[test]
    fn a_conflicting_report_changes_nothing() {
        let mut s = vec![CopyState::Pending, CopyState::Cancelled];
        let report = [c(1, Outcome::Confirmed), c(2, Outcome::Confirmed)];
        assert!(apply(&mut s, &report, Leniency::default()).is_err());
        assert_eq!(s, [CopyState::Pending, CopyState::Cancelled]);
    }
}
