//! `POST .../issuances/{id}/outcome`: 確定 / 取消 per copy.

use kofu_fixtures::Municipality;
use kofu_profile::outcome::{CopyOutcome, CopyState, OutcomeReport};
use kofu_profile::records::IssuanceRecord;

use super::OperationError;
use super::records::record;
use crate::defects::Defect;
use crate::state::AppState;
use crate::store::CopyUpdate;

/// Apply a report to copy states, entirely or not at all. A report names at least one
/// copy, each at most once and within range; pending copies take the outcome, the same
/// outcome again changes nothing, a different one is a conflict. With
/// `store_cancellations` false, cancelled outcomes are accepted but not stored.
fn apply(
    states: &mut [CopyState],
    copies: &[CopyOutcome],
    store_cancellations: bool,
) -> Result<(), OperationError> {
    if copies.is_empty() {
        return Err(OperationError::InvalidRequest(
            "the report names no copy".into(),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in copies {
        if c.copy == 0 || usize::from(c.copy) > states.len() {
            return Err(OperationError::InvalidRequest(format!(
                "copy {} is not between 1 and {}",
                c.copy,
                states.len()
            )));
        }
        if !seen.insert(c.copy) {
            return Err(OperationError::InvalidRequest(format!(
                "copy {} is reported twice",
                c.copy
            )));
        }
    }
    let mut next = states.to_vec();
    for c in copies {
        let slot = &mut next[usize::from(c.copy) - 1];
        let new = CopyState::from(c.outcome);
        match *slot {
            current if current == new => {}
            CopyState::Pending => {
                if store_cancellations || new != CopyState::Cancelled {
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
    let copies = report.copies;
    let store_cancellations = !state.defects().on(Defect::CancelIgnored);
    let overwrite = state.defects().on(Defect::OutcomeOverwritten);
    let update = state
        .store()
        .update_copy_states(&municipality.code, issuance_id, move |states| {
            match apply(states, &copies, store_cancellations) {
                // A conflict comes after every copy number was checked.
                Err(OperationError::OutcomeConflict(_)) if overwrite => {
                    for c in &copies {
                        states[usize::from(c.copy) - 1] = CopyState::from(c.outcome);
                    }
                    Ok(())
                }
                other => other,
            }
        })
        .await?;
    match update {
        CopyUpdate::NotFound => Err(OperationError::NotFound(format!("issuance {issuance_id}"))),
        CopyUpdate::Refused(e) => Err(e),
        CopyUpdate::Updated(row) => {
            tracing::info!(issuance = %issuance_id, "outcome recorded");
            Ok(record(&row, state.defects()))
        }
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
        apply(&mut s, &[c(1, Outcome::Confirmed)], true).unwrap();
        assert_eq!(s, [CopyState::Confirmed, CopyState::Pending]);
        apply(
            &mut s,
            &[c(1, Outcome::Confirmed), c(2, Outcome::Cancelled)],
            true,
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
            let e = apply(&mut s, &report, true).unwrap_err();
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
        assert!(apply(&mut s, &report, true).is_err());
        assert_eq!(s, [CopyState::Pending, CopyState::Cancelled]);
    }
}
