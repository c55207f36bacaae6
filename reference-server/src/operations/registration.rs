//! 利用登録申請: `POST .../koseki-registrations` and `GET .../koseki-registrations/{id}`.

use kofu_fixtures::Municipality;
use kofu_profile::registration::{Registration, RegistrationRequest, RegistrationStatus};

use super::OperationError;
use super::{card_holder, check_reception, context, registration_status, request_hash};
use crate::defects::Defect;
use crate::rules::eligibility;
use crate::state::AppState;
use crate::store::RegistrationRow;

/// A filing's answer: the registration, and whether this filing created it (`201`) or
/// found it (`200`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    /// The registration.
    pub registration: Registration,
    /// Created by this filing.
    pub created: bool,
}

fn found(row: RegistrationRow) -> Filed {
    Filed {
        registration: wire(row),
        created: false,
    }
}

fn wire(row: RegistrationRow) -> Registration {
    Registration {
        registration_id: row.registration_id,
        status: row.status,
        filed_at: row.filed_at,
    }
}

/// File a 利用登録申請 for 戸籍 certificates from this 本籍地.
pub async fn file(
    state: &AppState,
    municipality: &Municipality,
    req: RegistrationRequest,
) -> Result<Filed, OperationError> {
    check_reception(state, &req.reception)?;
    let hash = request_hash(&municipality.code, &req)?;
    let store = state.store();
    if let Some(row) = store
        .registration_by_request(req.reception.request_id)
        .await?
    {
        if row.request_hash != hash {
            return Err(OperationError::RequestIdConflict);
        }
        return Ok(found(row));
    }
    let keeps_koseki = municipality
        .certificates
        .iter()
        .any(|c| c.certificate.issued_by_domicile());
    if !keeps_koseki || !municipality.restrictions.koseki_for_non_residents {
        return Err(OperationError::NotOffered(
            "戸籍 certificates for non-residents are not offered here".into(),
        ));
    }
    let view = state.register_for_card(&req.card_serial, &req.reception.reception_time);
    let ctx = context(state, &view, municipality);
    let person = card_holder(&view, &req.card_serial);
    let registration = registration_status(state, &view, municipality, person).await?;
    let evaluation =
        eligibility::evaluate(&ctx, person, &req.reception.reception_time, registration);
    if let Some(refusal) = evaluation.refusal {
        return Err(OperationError::not_issuable(refusal.reason()));
    }
    let Some(person) = evaluation.person else {
        return Err(OperationError::not_issuable("unknown card"));
    };
    if eligibility::family_register_here(&ctx, person).is_none() {
        return Err(OperationError::not_issuable("no 戸籍 here"));
    }
    if evaluation.residence.is_some()
        && !state.defects().on(Defect::RegistrationFromResidentAccepted)
    {
        // The holder lives here: no registration is needed; a personal reason.
        return Err(OperationError::not_issuable("resident here"));
    }
    let latest = store
        .latest_registration(&municipality.code, &person.id)
        .await?;
    // A delivered decision is in force on the stored registration.
    let latest = latest.map(|row| RegistrationRow {
        status: view.decision(&row.registration_id).unwrap_or(row.status),
        ..row
    });
    let (status, created) = match latest {
        Some(row)
            if matches!(
                row.status,
                RegistrationStatus::Pending | RegistrationStatus::Approved
            ) =>
        {
            return Ok(found(row));
        }
        Some(_) => (RegistrationStatus::Pending, true),
        // The state recorded in the fixtures counts as filed before: it is recorded
        // here and answered as existing, with the register's id and filing time.
        None => match person.koseki_registration {
            Some(s @ (RegistrationStatus::Pending | RegistrationStatus::Approved)) => (s, false),
            _ => (RegistrationStatus::Pending, true),
        },
    };
    let on_file = (!created && !state.defects().on(Defect::RegistrationOnFileForgotten))
        .then(|| {
            view.fixtures()
                .register
                .registration_on_file(&municipality.code, &person.id)
        })
        .flatten();
    let row = RegistrationRow {
        registration_id: on_file.map_or_else(
            || uuid::Uuid::new_v4().to_string(),
            |r| r.registration_id.clone(),
        ),
        municipality: municipality.code.clone(),
        person: person.id.clone(),
        status,
        filed_at: on_file.map_or_else(
            || kofu_profile::time::to_jst(&req.reception.reception_time),
            |r| r.filed_at,
        ),
        request_id: req.reception.request_id,
        request_hash: hash,
    };
    store.insert_registration(row.clone()).await?;
    tracing::info!(registration = %row.registration_id, municipality = %municipality.code, "利用登録申請 filed");
    Ok(Filed {
        registration: wire(row),
        created,
    })
}

/// The state of a 利用登録申請: a `GET` has no reception time, so every delivered
/// decision is in force.
pub async fn get(
    state: &AppState,
    municipality: &Municipality,
    registration_id: &str,
) -> Result<Registration, OperationError> {
    let view = state.feed().at(None);
    if let Some(row) = state
        .store()
        .registration(&municipality.code, registration_id)
        .await?
    {
        return Ok(wire(RegistrationRow {
            status: view.decision(&row.registration_id).unwrap_or(row.status),
            ..row
        }));
    }
    // A registration the register records as filed, not yet filed again here.
    view.fixtures()
        .register
        .koseki_registrations
        .iter()
        .find(|r| {
            r.municipality == municipality.code
                && r.registration_id == registration_id
                && !state.defects().on(Defect::RegistrationOnFileForgotten)
        })
        .map(|r| Registration {
            registration_id: r.registration_id.clone(),
            status: r.status,
            filed_at: r.filed_at,
        })
        .ok_or_else(|| {
            if state.defects().on(Defect::RegistrationGetUnknown500) {
                OperationError::Internal("called `Option::unwrap()` on a `None` value".into())
            } else {
                OperationError::NotFound(format!("registration {registration_id}"))
            }
        })
}
