//! Checks on an issuance request: its shape against its type, the municipality's
//! claims, and the holder's menu.

use kofu_fixtures::Municipality;
use kofu_fixtures::municipality::CertificateOffer;
use kofu_profile::issuance::IssuanceRequest;
use kofu_profile::menu::MenuItem;
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

use super::eligibility::Evaluation;
use super::{Denial, Refusal};
use crate::defects::{Defect, Defects};

fn invalid(message: impl Into<String>) -> Denial {
    Denial::Invalid(message.into())
}

/// Whether the options fit the type: required ones present, the others at defaults.
fn check_options(certificate: CertificateType, o: &IssuanceOptions) -> Result<(), Denial> {
    let resident_fields = o.scope.is_some() || !o.members.is_empty();
    let display_fields = o.show_relationship || o.show_honseki;
    if certificate.is_resident_record() {
        let scope = o
            .scope
            .ok_or_else(|| invalid(format!("{certificate} needs a scope")))?;
        if o.fiscal_year.is_some() {
            return Err(invalid(format!("{certificate} takes no fiscal_year")));
        }
        match scope {
            Scope::Members if o.members.is_empty() => {
                return Err(invalid("scope `members` needs at least one member"));
            }
            Scope::Holder | Scope::Household if !o.members.is_empty() => {
                return Err(invalid("members are only chosen with scope `members`"));
            }
            _ => {}
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = o.members.iter().find(|m| !seen.insert(m.as_str())) {
            return Err(invalid(format!("member `{dup}` chosen twice")));
        }
    } else if certificate.is_tax() {
        if o.fiscal_year.is_none() {
            return Err(invalid(format!("{certificate} needs a fiscal_year")));
        }
        if resident_fields || display_fields {
            return Err(invalid(format!("{certificate} takes only a fiscal_year")));
        }
    } else if resident_fields || display_fields || o.fiscal_year.is_some() {
        return Err(invalid(format!("{certificate} takes no options")));
    }
    Ok(())
}

/// Check a request against its type and the municipality's claims; returns the offer
/// and the number of copies. The order is the profile's: type offered to nobody, then
/// options and copies that do not fit the type, then a scope, display option or year
/// offered to nobody.
pub fn check_claims<'m>(
    municipality: &'m Municipality,
    req: &IssuanceRequest,
    defects: &Defects,
) -> Result<(&'m CertificateOffer, u8), Denial> {
    let t = req.certificate;
    let offer = municipality
        .offer(t)
        .ok_or_else(|| Denial::NotOffered(format!("{t} is not offered here")))?;
    check_options(t, &req.options)?;
    // Defect `copies-limit-off-by-one`: the limit is compared with `<=` one too late.
    let most = if defects.on(Defect::CopiesLimitOffByOne) {
        offer.max_copies.saturating_add(1)
    } else {
        offer.max_copies
    };
    // Defect `copies-zero-accepted`: a request for no copy is served as one.
    let least = u8::from(!defects.on(Defect::CopiesZeroAccepted));
    let copies = u8::try_from(req.copies)
        .ok()
        .filter(|c| (least..=most).contains(c))
        .map(|c| c.max(1))
        .ok_or_else(|| {
            invalid(format!(
                "copies {} outside 1..={}",
                req.copies, offer.max_copies
            ))
        })?;
    let o = &req.options;
    if let Some(scope) = o.scope
        && !offer.scopes.contains(&scope)
    {
        return Err(Denial::NotOffered(format!(
            "scope {scope:?} is not offered"
        )));
    }
    if o.show_relationship && !offer.relationship_option {
        return Err(Denial::NotOffered(
            "世帯主・続柄 display is not offered".into(),
        ));
    }
    if o.show_honseki && !offer.honseki_option {
        return Err(Denial::NotOffered(
            "本籍・筆頭者 display is not offered".into(),
        ));
    }
    if let Some(year) = o.fiscal_year
        && !offer.fiscal_years.contains(&year)
    {
        return Err(Denial::NotOffered(format!(
            "fiscal year {year} is not offered"
        )));
    }
    // A 年度 not yet decided at the reception is issued to nobody.
    if let Some(year) = o.fiscal_year
        && !super::assessment_decided(year, &req.reception.reception_time, defects)
    {
        return Err(Denial::NotOffered(format!(
            "fiscal year {year} is not decided before 1 June {year}"
        )));
    }
    Ok((offer, copies))
}

/// Whether the holder's menu offers what was asked; returns the menu item.
pub fn check_menu<'e>(
    evaluation: &'e Evaluation<'_>,
    req: &IssuanceRequest,
) -> Result<&'e MenuItem, Denial> {
    if let Some(refusal) = evaluation.refusal {
        return Err(Denial::NotIssuable(refusal));
    }
    let t = req.certificate;
    let Some(item) = evaluation.item(t) else {
        if t.issued_by_domicile() && evaluation.awaiting_registration {
            return Err(Denial::RegistrationRequired);
        }
        return Err(Denial::NotIssuable(Refusal::NotOnMenu));
    };
    if let Some(year) = req.options.fiscal_year
        && !item.fiscal_years.contains(&year)
    {
        return Err(Denial::NotIssuable(Refusal::TaxYearNotAssessed));
    }
    if let Some(scope) = req.options.scope
        && !item.scopes.contains(&scope)
    {
        return Err(Denial::NotIssuable(Refusal::ProtectedMemberInHousehold));
    }
    if req.options.scope == Some(Scope::Members)
        && let Some(unknown) = req
            .options
            .members
            .iter()
            .find(|m| !item.members.iter().any(|c| &c.member_id == *m))
    {
        return Err(invalid(format!(
            "member `{unknown}` is not in the holder's household"
        )));
    }
    Ok(item)
}
