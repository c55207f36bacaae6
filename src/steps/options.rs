//! The options a step picks when the scenario names none, one function per rule, each
//! named for where its choice comes from: the municipality profile's offer, a type the
//! menu does not show, or the candidate's menu item.

use kofu_fixtures::Municipality;
use kofu_fixtures::municipality::CertificateOffer;
use kofu_profile::menu::MenuItem;
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

/// The 交付範囲 a terminal starts with for `t`: 本人のみ for 住民票 types, none else.
pub fn default_scope(t: CertificateType) -> Option<Scope> {
    t.is_resident_record().then_some(Scope::Holder)
}

/// From the municipality profile's offer: 本人のみ when offered (else the first offered
/// scope) for 住民票 types, the latest offered 年度 for tax types, nothing otherwise.
pub fn of_claimed_offer(offer: &CertificateOffer) -> IssuanceOptions {
    let t = offer.certificate;
    let mut options = IssuanceOptions::default();
    if t.is_resident_record() {
        options.scope = Some(
            if offer.scopes.is_empty() || offer.scopes.contains(&Scope::Holder) {
                Scope::Holder
            } else {
                offer.scopes[0]
            },
        );
    } else if t.is_tax() {
        options.fiscal_year = offer.fiscal_years.iter().max().copied();
    }
    options
}

/// For a type the menu does not show: the claimed offer's options when `claims` offers
/// it, else 本人のみ for 住民票 types; a tax type with no claimed 年度 asks for the
/// current 年度 (2026).
pub fn for_unshown_type(claims: &Municipality, certificate: CertificateType) -> IssuanceOptions {
    let mut options = match claims.offer(certificate) {
        Some(offer) => of_claimed_offer(offer),
        None => IssuanceOptions {
            scope: default_scope(certificate),
            ..Default::default()
        },
    };
    if certificate.is_tax() && options.fiscal_year.is_none() {
        options.fiscal_year = Some(2026);
    }
    options
}

/// Why a menu item offers no plain choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPlainChoice {
    /// A 住民票 type without 本人のみ or 世帯全員.
    Scope(Vec<Scope>),
    /// A tax type without a 年度.
    FiscalYear,
}

/// From the candidate's menu item: 本人のみ (else 世帯全員) for 住民票 types, the newest
/// 年度 for tax types, nothing otherwise.
pub fn of_menu_item(item: &MenuItem) -> Result<IssuanceOptions, NoPlainChoice> {
    let t = item.certificate;
    if t.is_resident_record() {
        let scope = [Scope::Holder, Scope::Household]
            .into_iter()
            .find(|s| item.scopes.contains(s))
            .ok_or_else(|| NoPlainChoice::Scope(item.scopes.clone()))?;
        Ok(IssuanceOptions {
            scope: Some(scope),
            ..Default::default()
        })
    } else if t.is_tax() {
        let year = item
            .fiscal_years
            .iter()
            .max()
            .copied()
            .ok_or(NoPlainChoice::FiscalYear)?;
        Ok(IssuanceOptions {
            fiscal_year: Some(year),
            ..Default::default()
        })
    } else {
        Ok(IssuanceOptions::default())
    }
}
