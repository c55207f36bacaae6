//! `POST .../register-events`: one change of the register (異動連携), kept before it is
//! answered, idempotent on its event id.
//!
//! After the message checks (version, size, municipality, body), the order is the
//! profile's: `not-offered` without the claim, then the event id (`already-applied`
//! or `request-id-conflict`), then `invalid-request` for an event the register cannot
//! take. A refused event changes nothing.

use kofu_fixtures::{Municipality, Register};
use kofu_profile::register_event::{
    ReceiptStatus, RegisterChange, RegisterEvent, RegisterEventReceipt,
};

use super::OperationError;
use crate::defects::Defect;
use crate::register::Known;
use crate::state::AppState;

/// Why the register cannot take an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum Unfit {
    /// It names a person, household or registration the register does not know.
    #[error("the event names an unknown {0}")]
    Unknown(&'static str),
    /// A text field is empty.
    #[error("the event has an empty {0}")]
    Empty(&'static str),
    /// Defect `feed-registration-on-file-only`: a registration filed at a kiosk.
    #[error("the registration is not on file in the register")]
    NotOnFile,
}

fn known_person(register: &Register, id: &str) -> Result<(), Unfit> {
    register
        .person(id)
        .map(|_| ())
        .ok_or(Unfit::Unknown("person"))
}

fn known_household(register: &Register, id: &str) -> Result<(), Unfit> {
    register
        .household(id)
        .map(|_| ())
        .ok_or(Unfit::Unknown("household"))
}

fn filled(text: &str, what: &'static str) -> Result<(), Unfit> {
    if text.trim().is_empty() {
        Err(Unfit::Empty(what))
    } else {
        Ok(())
    }
}

/// Whether a registration id is one of this municipality's: on file in the register,
/// or filed at a kiosk here.
async fn registration_fit(
    state: &AppState,
    municipality: &Municipality,
    registration_id: &str,
) -> Result<Result<(), Unfit>, OperationError> {
    let on_file = state
        .fixtures()
        .register
        .koseki_registrations
        .iter()
        .any(|r| r.registration_id == registration_id && r.municipality == municipality.code);
    if on_file {
        return Ok(Ok(()));
    }
    if state.defects().on(Defect::FeedRegistrationOnFileOnly) {
        return Ok(Err(Unfit::NotOnFile));
    }
    let filed = state
        .store()
        .registration(&municipality.code, registration_id)
        .await?;
    Ok(filed.map(|_| ()).ok_or(Unfit::Unknown("registration")))
}

/// The checks on the event's own data, against the register as exported.
fn check_change(register: &Register, change: &RegisterChange) -> Result<(), Unfit> {
    // Empty texts first: they are wrong whoever the event names.
    match change {
        RegisterChange::MovedIn { relationship, .. }
        | RegisterChange::HouseholdChanged { relationship, .. } => {
            filled(relationship, "relationship")?;
        }
        RegisterChange::MovedOut { new_address, .. } => filled(new_address, "new_address")?,
        RegisterChange::NameChanged { name, kana, .. } => {
            filled(name, "name")?;
            filled(kana, "kana")?;
        }
        RegisterChange::SealRegistered { seal_number, .. } => {
            filled(seal_number, "seal_number")?;
        }
        RegisterChange::HouseholdHeadChanged { relationships, .. } => {
            for member in relationships {
                filled(&member.relationship, "relationship")?;
            }
        }
        _ => {}
    }
    if let Some(person) = change.person() {
        known_person(register, person)?;
    }
    match change {
        RegisterChange::MovedIn { household, .. }
        | RegisterChange::HouseholdChanged { household, .. } => {
            known_household(register, household)?;
        }
        RegisterChange::HouseholdHeadChanged {
            household,
            head,
            relationships,
        } => {
            known_household(register, household)?;
            known_person(register, head)?;
            for member in relationships {
                known_person(register, &member.person)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn receipt(event: &RegisterEvent, status: ReceiptStatus) -> RegisterEventReceipt {
    RegisterEventReceipt {
        event_id: event.event_id,
        status,
    }
}

/// Whether the register can take the event: `Ok(true)` to keep it, `Ok(false)` to
/// acknowledge and drop it (defect `feed-unknown-person-accepted`).
async fn takes(
    state: &AppState,
    municipality: &Municipality,
    event: &RegisterEvent,
) -> Result<bool, OperationError> {
    let fit = match check_change(&state.fixtures().register, &event.change) {
        Ok(()) => match &event.change {
            RegisterChange::RegistrationDecided {
                registration_id, ..
            } => registration_fit(state, municipality, registration_id).await?,
            _ => Ok(()),
        },
        Err(why) => Err(why),
    };
    match fit {
        Ok(()) => Ok(true),
        Err(Unfit::Unknown(_)) if state.defects().on(Defect::FeedUnknownPersonAccepted) => {
            Ok(false)
        }
        Err(why) => Err(OperationError::InvalidRequest(why.to_string())),
    }
}

/// Deliver one event to this municipality.
pub async fn deliver(
    state: &AppState,
    municipality: &Municipality,
    event: RegisterEvent,
) -> Result<RegisterEventReceipt, OperationError> {
    let defects = state.defects();
    if !municipality.register_feed && !defects.on(Defect::FeedTakenWithoutClaim) {
        return Err(OperationError::NotOffered(
            "this municipality takes no register feed".into(),
        ));
    }
    let feed = state.feed();
    let _one_at_a_time = feed.delivery().await;
    let durable = !defects.on(Defect::FeedEventsInMemory);
    match feed.known(&municipality.code, &event) {
        Known::New => {}
        Known::Same if defects.on(Defect::FeedDuplicateAppliedTwice) => {
            if durable {
                state
                    .store()
                    .redeliver_register_event(event.event_id)
                    .await?;
            }
            feed.keep(&municipality.code, event.clone());
            return Ok(receipt(&event, ReceiptStatus::Applied));
        }
        Known::Same => return Ok(receipt(&event, ReceiptStatus::AlreadyApplied)),
        Known::Other if defects.on(Defect::FeedEventIdConflictAccepted) => {
            if !takes(state, municipality, &event).await? {
                return Ok(receipt(&event, ReceiptStatus::Applied));
            }
            if durable {
                state
                    .store()
                    .replace_register_event(&municipality.code, &event)
                    .await?;
            }
            feed.replace(&municipality.code, event.clone());
            return Ok(receipt(&event, ReceiptStatus::Applied));
        }
        Known::Other => return Err(OperationError::RequestIdConflict),
    }
    if !takes(state, municipality, &event).await? {
        return Ok(receipt(&event, ReceiptStatus::Applied));
    }
    // Kept before the answer: a change is in force for every request after its 200.
    if durable {
        state
            .store()
            .insert_register_event(&municipality.code, &event)
            .await?;
    }
    feed.keep(&municipality.code, event.clone());
    tracing::info!(event = %event.event_id, municipality = %municipality.code, "register event kept");
    Ok(receipt(&event, ReceiptStatus::Applied))
}
