//! `POST .../menu`: what the card holder may be issued here.

use kofu_fixtures::Municipality;
use kofu_profile::CertificateType;
use kofu_profile::menu::{Menu, MenuRequest};

use super::OperationError;
use super::{card_holder, check_reception, context, registration_status};
use crate::defects::Defect;
use crate::rules::eligibility;
use crate::state::AppState;

/// The menu. Whatever the reason nothing can be issued, the answer is the same empty
/// menu.
pub async fn menu(
    state: &AppState,
    municipality: &Municipality,
    req: MenuRequest,
) -> Result<Menu, OperationError> {
    check_reception(state, &req.reception)?;
    let view = state.register_for_card(&req.card_serial, &req.reception.reception_time);
    let person = card_holder(&view, &req.card_serial);
    let registration = registration_status(state, &view, municipality, person).await?;
    let evaluation = eligibility::evaluate(
        &context(state, &view, municipality),
        person,
        &req.reception.reception_time,
        registration,
    );
    let mut items = evaluation.items;
    if state.defects().on(Defect::MenuOffersUnregisteredSeal)
        && evaluation.residence.is_some()
        && !items
            .iter()
            .any(|i| i.certificate == CertificateType::Inkan)
        && let Some(offer) = municipality.offer(CertificateType::Inkan)
    {
        items.push(kofu_profile::menu::MenuItem {
            certificate: CertificateType::Inkan,
            fee: offer.fee,
            max_copies: offer.max_copies,
            scopes: Vec::new(),
            members: Vec::new(),
            relationship_option: false,
            honseki_option: false,
            fiscal_years: Vec::new(),
        });
        items.sort_by_key(|i| {
            CertificateType::ALL
                .iter()
                .position(|t| *t == i.certificate)
        });
    }
    if state.defects().on(Defect::DomicileMenuOmitsKojin) {
        items.retain(|i| i.certificate != CertificateType::KosekiKojin);
    }
    if state.defects().on(Defect::MenuFeeDiffers) {
        for item in items
            .iter_mut()
            .filter(|i| i.certificate == CertificateType::Juminhyo)
        {
            item.fee = 300;
        }
    }
    Ok(Menu {
        municipality: municipality.code.clone(),
        items,
        koseki_registration: evaluation.koseki_registration,
    })
}
