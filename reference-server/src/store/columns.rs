//! How the store writes values to text columns and reads them back: copy states,
//! registration states, times, dates and ids. A value that does not read back is
//! [`StoreError::Corrupt`].

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_profile::outcome::CopyState;
use kofu_profile::registration::RegistrationStatus;

use super::StoreError;

pub(super) fn state_char(s: CopyState) -> char {
    match s {
        CopyState::Pending => 'P',
        CopyState::Confirmed => 'C',
        CopyState::Cancelled => 'X',
    }
}

pub(super) fn parse_states(s: &str) -> Result<Vec<CopyState>, StoreError> {
    s.chars()
        .map(|c| match c {
            'P' => Ok(CopyState::Pending),
            'C' => Ok(CopyState::Confirmed),
            'X' => Ok(CopyState::Cancelled),
            other => Err(StoreError::Corrupt(format!("copy state `{other}`"))),
        })
        .collect()
}

pub(super) fn states_text(states: &[CopyState]) -> String {
    states.iter().copied().map(state_char).collect()
}

pub(super) fn status_text(s: RegistrationStatus) -> &'static str {
    match s {
        RegistrationStatus::None => "none",
        RegistrationStatus::Pending => "pending",
        RegistrationStatus::Approved => "approved",
        RegistrationStatus::Rejected => "rejected",
    }
}

pub(super) fn parse_status(s: &str) -> Result<RegistrationStatus, StoreError> {
    Ok(match s {
        "none" => RegistrationStatus::None,
        "pending" => RegistrationStatus::Pending,
        "approved" => RegistrationStatus::Approved,
        "rejected" => RegistrationStatus::Rejected,
        other => {
            return Err(StoreError::Corrupt(format!(
                "registration status `{other}`"
            )));
        }
    })
}

pub(super) fn parse_time(s: &str) -> Result<DateTime<FixedOffset>, StoreError> {
    DateTime::parse_from_rfc3339(s).map_err(|e| StoreError::Corrupt(format!("time `{s}`: {e}")))
}

pub(super) fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("date `{s}`: {e}")))
}

pub(super) fn parse_uuid(s: &str) -> Result<uuid::Uuid, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("uuid `{s}`: {e}")))
}
