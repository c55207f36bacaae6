//! The profile's operations, one module each, independent of HTTP framing: they take
//! typed requests and plain domain values and return typed answers or
//! [`OperationError`]s, which the http layer maps to responses.

mod error;
pub mod identity;
pub mod issue;
pub mod menu;
pub mod outcome;
pub mod records;
pub mod register_event;
pub mod registration;

pub use error::OperationError;

use kofu_fixtures::{Municipality, Person};
use kofu_profile::Reception;
use kofu_profile::registration::RegistrationStatus;
use sha2::{Digest, Sha256};

use crate::defects::{Defect, Defects};
use crate::register::RegisterView;
use crate::rules::eligibility::{Context, family_register_here};
use crate::rules::{Denial, Refusal};
use crate::state::AppState;

/// Checks on the center's stamp common to every request that carries one.
///
/// A reception time with another offset than `+09:00` is accepted: the profile requires
/// converting it to JST before taking any date, which every date rule does.
fn check_reception(state: &AppState, reception: &Reception) -> Result<(), OperationError> {
    if state.defects().on(Defect::UnknownOperatorRejected)
        && state
            .fixtures()
            .operator(&reception.operator_code)
            .is_none()
    {
        return Err(OperationError::InvalidRequest(format!(
            "unknown operator code `{}`",
            reception.operator_code
        )));
    }
    Ok(())
}

/// The one place a rule's denial becomes an error response.
fn denial_error(denial: Denial, defects: &Defects) -> OperationError {
    match denial {
        Denial::Invalid(m) => OperationError::InvalidRequest(m),
        Denial::NotOffered(m) => OperationError::NotOffered(m),
        Denial::RegistrationRequired => OperationError::RegistrationRequired,
        Denial::NotIssuable(refusal) => OperationError::NotIssuable {
            reason: refusal.reason(),
            disclosed: if refusal == Refusal::DvProtected && defects.on(Defect::DvReasonLeaked) {
                Some("DV等支援措置の対象者のため交付できません")
            } else if refusal == Refusal::UnderAge && defects.on(Defect::AgeRefusalExplained) {
                Some("15歳未満の方には交付できません")
            } else {
                None
            },
        },
    }
}

fn context<'a>(
    state: &'a AppState,
    view: &'a RegisterView,
    municipality: &'a Municipality,
) -> Context<'a> {
    Context {
        fixtures: view.fixtures(),
        municipality,
        defects: state.defects(),
        holder_only_dv: view.holder_only_dv(),
    }
}

/// The person a card serial belongs to, in the register as it stood.
fn card_holder<'a>(view: &'a RegisterView, serial: &str) -> Option<&'a Person> {
    let card = view.fixtures().card_by_serial(serial)?;
    view.fixtures().register.person(&card.person)
}

/// The holder's 利用登録申請 state with this municipality as 本籍地: the latest one
/// filed here (with the decision in force on it), else the state the register
/// records.
async fn registration_status(
    state: &AppState,
    view: &RegisterView,
    municipality: &Municipality,
    person: Option<&Person>,
) -> Result<RegistrationStatus, OperationError> {
    // The store is asked for every holder, known or not, so that refusals of unknown
    // cards and of protected persons take the same path.
    let stored = state
        .store()
        .latest_registration(&municipality.code, person.map_or("", |p| p.id.as_str()))
        .await?;
    let Some(person) = person else {
        return Ok(RegistrationStatus::None);
    };
    if family_register_here(&context(state, view, municipality), person).is_none() {
        return Ok(RegistrationStatus::None);
    }
    Ok(stored
        .map(|row| view.decision(&row.registration_id).unwrap_or(row.status))
        .unwrap_or(
            person
                .koseki_registration
                .unwrap_or(RegistrationStatus::None),
        ))
}

/// Hash identifying a request body (canonical JSON) at a municipality.
fn request_hash<T: serde::Serialize>(
    municipality: &str,
    req: &T,
) -> Result<String, OperationError> {
    let json = serde_json::to_vec(req)
        .map_err(|e| OperationError::Internal(format!("cannot hash the request: {e}")))?;
    let mut hasher = Sha256::new();
    hasher.update(municipality.as_bytes());
    hasher.update(b"\n");
    hasher.update(&json);
    Ok(hex::encode(hasher.finalize()))
}
