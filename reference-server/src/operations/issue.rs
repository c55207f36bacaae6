//! `POST .../issuances`: issue a certificate, idempotent on the request id.

use base64::Engine as _;
use kofu_fixtures::Municipality;
use kofu_profile::CertificateType;
use kofu_profile::issuance::{Document, Issuance, IssuanceRequest};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

use super::OperationError;
use super::{
    card_holder, check_reception, context, denial_error, registration_status, request_hash,
};
use crate::content::{self, Subject, print};
use crate::defects::{Defect, Defects};
use crate::document::{self, RenderedPdf};
use crate::rules::{self, eligibility, request};
use crate::state::AppState;
use crate::store::{Inserted, NewIssuance, StoredIssuance};

/// The stored answer to a request id, if the body is the same.
fn replay(
    stored: StoredIssuance,
    hash: &str,
    defects: &Defects,
) -> Result<Issuance, OperationError> {
    if stored.request_hash != hash && !defects.on(Defect::RequestIdConflictIgnored) {
        return Err(OperationError::RequestIdConflict);
    }
    tracing::info!(issuance = %stored.issuance_id, "replaying a recorded issuance");
    stored_answer(&stored)
}

/// The answer recorded for a request.
fn stored_answer(stored: &StoredIssuance) -> Result<Issuance, OperationError> {
    serde_json::from_str(&stored.response_json).map_err(|e| {
        OperationError::Internal(format!(
            "stored issuance {} is unreadable: {e}",
            stored.issuance_id
        ))
    })
}

/// The declared facts of the PDF.
fn describe(pdf: &RenderedPdf, defects: &Defects) -> Document {
    let pdf_base64 = base64::engine::general_purpose::STANDARD.encode(&pdf.bytes);
    let hashed: &[u8] = if defects.on(Defect::WrongSha256) {
        pdf_base64.as_bytes()
    } else {
        &pdf.bytes
    };
    let page_count = if defects.on(Defect::WrongPageCount) {
        pdf.page_count.saturating_add(1)
    } else {
        pdf.page_count
    };
    Document {
        media_type: "application/pdf".to_owned(),
        page_count,
        sha256: hex::encode(Sha256::digest(hashed)),
        pdf_base64,
    }
}

/// Defect `other-resident-under-load`: on a busy business date, one issuance is built
/// for an applicant whose print order is still queued (one of the latest), as a timeout
/// handler that released only part of an order did in 2023. The applicant taken is one
/// of another household and another 戸籍: a 世帯全員 or 戸籍全部事項 of the holder's own
/// household or register would state the same persons, and the mix-up would not show.
fn mixed_up<'a>(
    state: &'a AppState,
    ctx: &eligibility::Context<'a>,
    req: &IssuanceRequest,
    holder: &kofu_fixtures::Person,
    reception_time: &chrono::DateTime<chrono::FixedOffset>,
    defects: &Defects,
) -> Option<eligibility::Evaluation<'a>> {
    let date = rules::business_date(reception_time, defects);
    let evaluation = state
        .busy_day_mixup(date, &holder.id)
        .iter()
        .filter_map(|other| ctx.fixtures.register.person(other))
        .filter(|other| {
            let shared = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
            !shared(&other.household, &holder.household)
                && !shared(&other.family_register, &holder.family_register)
        })
        .map(|person| {
            eligibility::evaluate(
                ctx,
                Some(person),
                reception_time,
                kofu_profile::registration::RegistrationStatus::None,
            )
        })
        .find(|evaluation| request::check_menu(evaluation, req).is_ok())?;
    state.mixed_up(date);
    Some(evaluation)
}

/// Whether the recorded answer to this request id may be replayed: always, but for the
/// defects that keep the memory of request ids somewhere it does not belong.
fn remembered(state: &AppState, req: &IssuanceRequest, peer: Option<SocketAddr>) -> bool {
    let defects = state.defects();
    if defects.on(Defect::NotIdempotent) {
        return false;
    }
    let id = req.reception.request_id;
    if defects.on(Defect::RequestMemoryPerConnection) && !state.seen_on_connection(id, peer) {
        return false;
    }
    if defects.on(Defect::RequestMemoryInProcess) && !state.seen_in_process(id) {
        return false;
    }
    true
}

/// Issue a certificate. `peer` is the connection the request came on.
pub async fn issue(
    state: &AppState,
    municipality: &Municipality,
    req: IssuanceRequest,
    peer: Option<SocketAddr>,
) -> Result<Issuance, OperationError> {
    let defects = state.defects();
    check_reception(state, &req.reception)?;
    let hash = request_hash(&municipality.code, &req)?;
    if defects.on(Defect::RefusalRemembered)
        && state
            .claim_request_id(req.reception.request_id, &hash)
            .is_some_and(|claimed| claimed != hash)
    {
        return Err(OperationError::RequestIdConflict);
    }
    let idempotent = remembered(state, &req, peer);
    // Defect `feed-late-event-rewrites-issuance`: the recorded answer of a resend is
    // rendered again from the register as it now stands at the reception time.
    let mut rerender = None;
    if idempotent
        && let Some(stored) = state
            .store()
            .issuance_by_request(req.reception.request_id)
            .await?
    {
        if defects.on(Defect::FeedLateEventRewritesIssuance) && stored.request_hash == hash {
            rerender = Some(stored_answer(&stored)?);
        } else {
            return replay(stored, &hash, defects);
        }
    }
    if defects.on(Defect::PendingReusedByTerminal)
        && let Some(stored) = state
            .store()
            .pending_of_terminal(
                &municipality.code,
                (
                    &req.reception.operator_code,
                    &req.reception.store_id,
                    &req.reception.terminal_id,
                ),
                req.certificate.code(),
            )
            .await?
    {
        tracing::info!(issuance = %stored.issuance_id, "taking a request for a resend of the terminal's pending issuance");
        return replay(
            StoredIssuance {
                request_hash: hash.clone(),
                ..stored
            },
            &hash,
            defects,
        );
    }

    let view = state.register_for_card(&req.card_serial, &req.reception.reception_time);
    if defects.on(Defect::PersonalCheckFirst) && card_holder(&view, &req.card_serial).is_none() {
        return Err(denial_error(
            rules::Denial::NotIssuable(rules::Refusal::UnknownCard),
            defects,
        ));
    }
    let (offer, copies) =
        request::check_claims(municipality, &req, defects).map_err(|d| denial_error(d, defects))?;
    // 交付手数料 per copy: the claimed fee of the type, on the issuance and its record.
    let fee = if defects.on(Defect::WrongFeeTable) && req.certificate == CertificateType::Fuhyo {
        municipality
            .offer(CertificateType::KosekiZenbu)
            .map_or(offer.fee, |o| o.fee)
    } else {
        offer.fee
    };
    let ctx = context(state, &view, municipality);
    let person = card_holder(&view, &req.card_serial);
    let registration = registration_status(state, &view, municipality, person).await?;
    let reception_time = kofu_profile::time::to_jst(&req.reception.reception_time);
    let evaluation = eligibility::evaluate(&ctx, person, &reception_time, registration);
    request::check_menu(&evaluation, &req).map_err(|d| denial_error(d, defects))?;
    let holder = evaluation
        .person
        .ok_or_else(|| OperationError::Internal("an issuable request without a holder".into()))?;
    let evaluation = if defects.on(Defect::OtherResidentUnderLoad) {
        mixed_up(state, &ctx, &req, holder, &reception_time, defects).unwrap_or(evaluation)
    } else {
        evaluation
    };
    let holder = evaluation.person.unwrap_or(holder);

    let subject = Subject {
        fixtures: ctx.fixtures,
        defects,
        holder,
        household: evaluation.residence,
        family_register: eligibility::family_register_here(&ctx, holder),
    };
    let built = content::build(&subject, req.certificate, &req.options, &municipality.code)
        .map_err(|e| OperationError::Internal(format!("cannot build the content: {e}")))?;

    let issue_date = rules::issue_date(&reception_time, defects);
    let sequence_key = if defects.on(Defect::CertificateNumberPerType) {
        format!("{}/{}", municipality.code, req.certificate)
    } else {
        municipality.code.clone()
    };
    let sequence = match &rerender {
        Some(_) => 0,
        None => {
            state
                .store()
                .next_sequence(&sequence_key, issue_date)
                .await?
        }
    };
    let certificate_number = if let Some(prior) = &rerender {
        prior.certificate_number.clone()
    } else if defects.on(Defect::CertificateNumberFromResidentCode) {
        format!(
            "{}-{}-{sequence:04}",
            municipality.code, holder.resident_code
        )
    } else {
        format!(
            "{}-{}-{sequence:06}",
            municipality.code,
            issue_date.format("%Y%m%d")
        )
    };
    let print_doc = print::document(
        &print::Issue {
            certificate: req.certificate,
            issue_date,
            certificate_number: &certificate_number,
            municipality,
        },
        &built.content,
        &built.listed,
        defects,
    );
    let faults = document::faults::chosen(defects, ctx.fixtures, holder, &built.listed);
    let shared = defects
        .on(Defect::PageFromAnotherDocument)
        .then(|| state.clone());
    let pdf = tokio::task::spawn_blocking(move || {
        let pdf = match shared {
            Some(state) => document::render_sharing(&print_doc, state.page_buffer())?,
            None => document::render(&print_doc)?,
        };
        let bytes = document::faults::inject(pdf.bytes, &faults)?;
        Ok::<_, document::RenderError>(RenderedPdf { bytes, ..pdf })
    })
    .await
    .map_err(|e| OperationError::Internal(format!("rendering task failed: {e}")))?
    .map_err(|e| OperationError::Internal(format!("cannot render the certificate: {e}")))?;
    let pdf = if defects.on(Defect::DocumentFileBySecond) {
        let key = (
            municipality.code.clone(),
            req.certificate.code().to_owned(),
            reception_time.timestamp(),
        );
        RenderedPdf {
            bytes: state.document_file(key, req.reception.request_id, pdf.bytes.clone()),
            ..pdf
        }
    } else {
        pdf
    };

    let issuance = Issuance {
        issuance_id: if let Some(prior) = &rerender {
            prior.issuance_id.clone()
        } else if defects.on(Defect::IssuanceIdUnsafeCharacters) {
            format!("I:{}:{}", municipality.code, uuid::Uuid::new_v4())
        } else {
            uuid::Uuid::new_v4().to_string()
        },
        request_id: req.reception.request_id,
        municipality: municipality.code.clone(),
        certificate: req.certificate,
        copies,
        fee_per_copy: fee,
        fee_total: if defects.on(Defect::CopiesChargedAsOne) {
            fee
        } else {
            fee.saturating_mul(u32::from(copies))
        },
        certificate_number: certificate_number.clone(),
        issue_date,
        document: describe(&pdf, defects),
        content: built.content,
    };
    if rerender.is_some() {
        return Ok(issuance);
    }
    let response_json = serde_json::to_string(&issuance)
        .map_err(|e| OperationError::Internal(format!("cannot serialise the issuance: {e}")))?;
    let new = NewIssuance {
        issuance_id: issuance.issuance_id.clone(),
        municipality: municipality.code.clone(),
        request_id: req.reception.request_id,
        request_hash: hash.clone(),
        certificate: req.certificate,
        copies,
        fee_per_copy: fee,
        reception_time,
        business_date: rules::business_date(&reception_time, defects),
        operator_code: req.reception.operator_code.clone(),
        store_id: req.reception.store_id.clone(),
        terminal_id: req.reception.terminal_id.clone(),
        // With per-type sequences the database keys the number by type as well.
        certificate_number: if defects.on(Defect::CertificateNumberPerType) {
            format!("{certificate_number}/{}", req.certificate)
        } else {
            certificate_number
        },
        response_json,
    };
    match state.store().insert_issuance(new, idempotent).await? {
        Inserted::New => {
            tracing::info!(
                issuance = %issuance.issuance_id,
                municipality = %municipality.code,
                certificate = %req.certificate,
                copies,
                "issued"
            );
            Ok(issuance)
        }
        Inserted::Existing(stored) => replay(stored, &hash, defects),
    }
}
