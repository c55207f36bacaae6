//! The identifiers of an issuance: `issuance_id` of the profile's path-safe characters,
//! and no 個人番号, 住民票コード or name of anyone in the register in `issuance_id` or
//! `certificate_number` (profile, Identifiers). Uniqueness across the run is the rig's
//! (`crate::rig::audit`), since it needs every issuance seen so far.

use kofu_fixtures::Fixtures;
use kofu_profile::issuance::Issuance;

use super::Finding;
use crate::checks::pdf::squeeze;

/// Whether `id` is 1–64 characters of the unreserved set `A-Z a-z 0-9 - . _ ~`
/// (profile, Identifiers).
pub fn id_charset_ok(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The identifiers of the answer: the charset of `issuance_id`, and no 個人番号,
/// 住民票コード or name of anyone in the register in `issuance_id` or
/// `certificate_number`.
pub(super) fn identifier_findings(fixtures: &Fixtures, issuance: &Issuance) -> Vec<Finding> {
    let mut out = Vec::new();
    if !id_charset_ok(&issuance.issuance_id) {
        out.push(Finding::IdCharset {
            field: "issuance_id",
            value: issuance.issuance_id.clone(),
        });
    }
    for (field, value) in [
        ("issuance_id", &issuance.issuance_id),
        ("certificate_number", &issuance.certificate_number),
    ] {
        if let Some(what) = revealed_person(fixtures, value) {
            out.push(Finding::IdRevealsPerson {
                field,
                value: value.clone(),
                what,
            });
        }
    }
    out
}

/// What of a person of the register `id` contains, if anything.
pub fn revealed_person(fixtures: &Fixtures, id: &str) -> Option<&'static str> {
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    let plain = squeeze(id);
    fixtures.register.persons.iter().find_map(|p| {
        if digits.contains(&p.individual_number) {
            Some("a 個人番号")
        } else if digits.contains(&p.resident_code) {
            Some("a 住民票コード")
        } else if !p.name.is_empty() && plain.contains(&squeeze(&p.name)) {
            Some("a name")
        } else {
            None
        }
    })
}
