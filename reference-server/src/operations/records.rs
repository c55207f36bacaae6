//! `GET .../records`: issuance records by business date, for settlement.

use chrono::NaiveDate;
use kofu_fixtures::Municipality;
use kofu_profile::outcome::CopyState;
use kofu_profile::records::{IssuanceRecord, Records};

use super::OperationError;
use crate::defects::{Defect, Defects};
use crate::state::AppState;
use crate::store::IssuanceRow;

fn count(states: &[CopyState], state: CopyState) -> u8 {
    u8::try_from(states.iter().filter(|s| **s == state).count()).unwrap_or(u8::MAX)
}

/// An issuance as the records show it.
pub fn record(row: &IssuanceRow, defects: &Defects) -> IssuanceRecord {
    // Defect `charged-without-report`: a copy is charged when issued, so one never
    // reported shows as confirmed.
    let copy_states: Vec<CopyState> = if defects.on(Defect::ChargedWithoutReport) {
        row.copy_states
            .iter()
            .map(|s| match s {
                CopyState::Pending => CopyState::Confirmed,
                other => *other,
            })
            .collect()
    } else {
        row.copy_states.clone()
    };
    let confirmed = count(&copy_states, CopyState::Confirmed);
    let charged = if defects.on(Defect::FeeForCancelledCopy) {
        confirmed.saturating_add(count(&copy_states, CopyState::Cancelled))
    } else {
        confirmed
    };
    IssuanceRecord {
        issuance_id: row.issuance_id.clone(),
        request_id: row.request_id,
        certificate: row.certificate,
        copies: row.copies,
        fee_per_copy: row.fee_per_copy,
        reception_time: row.reception_time,
        business_date: row.business_date,
        operator_code: row.operator_code.clone(),
        store_id: row.store_id.clone(),
        terminal_id: row.terminal_id.clone(),
        copy_states,
        confirmed_copies: confirmed,
        fee_confirmed: row.fee_per_copy.saturating_mul(u32::from(charged)),
    }
}

/// The records of a municipality for the business dates `from..=to`.
pub async fn records(
    state: &AppState,
    municipality: &Municipality,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Records, OperationError> {
    let rows = state
        .store()
        .issuances_between(&municipality.code, from, to)
        .await?;
    let defects = state.defects();
    let records = rows
        .iter()
        .filter(|r| {
            !(defects.on(Defect::CancelledMissingFromRecords)
                && r.copy_states.contains(&CopyState::Cancelled))
        })
        .map(|r| record(r, defects))
        .collect();
    Ok(Records {
        municipality: municipality.code.clone(),
        from,
        to,
        records,
    })
}
