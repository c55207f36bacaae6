//! Applicability: a scenario declares with `@requires-…` tags what it needs from the
//! municipality profile; a scenario the profile rules out is reported as not applicable
//! (skipped, with the reason), never as passed.

use kofu_fixtures::Municipality;
use kofu_profile::CertificateType;

/// Why a scenario does not apply, or `None` when it does.
///
/// Tags understood:
/// - `@requires-mtls`: some municipality claims mutual TLS.
/// - `@requires-type-<code>`: some municipality offers that certificate type.
/// - `@requires-age-limit`: some municipality claims an age limit.
/// - `@requires-no-age-limit`: some municipality claims no age limit.
/// - `@requires-dv-protection`: some municipality claims DV等支援措置.
/// - `@requires-koseki-non-resident`: 戸籍 for non-residents is claimed.
///
/// An unknown `@requires-` tag is an error in the feature (`Err`).
pub fn not_applicable(tags: &[String], claims: &[Municipality]) -> Result<Option<String>, String> {
    for tag in tags {
        let Some(req) = tag.strip_prefix("requires-") else {
            continue;
        };
        let ok = match req {
            "mtls" => claims.iter().any(|m| m.mutual_tls),
            "age-limit" => claims.iter().any(|m| m.restrictions.age_limit.is_some()),
            "no-age-limit" => claims.iter().any(|m| m.restrictions.age_limit.is_none()),
            "dv-protection" => claims.iter().any(|m| m.restrictions.dv_protection),
            "koseki-non-resident" => claims
                .iter()
                .any(|m| m.restrictions.koseki_for_non_residents),
            other => match other.strip_prefix("type-") {
                Some(code) => match CertificateType::from_code(code) {
                    Some(t) => claims.iter().any(|m| m.offer(t).is_some()),
                    None => return Err(format!("unknown certificate type in tag @{tag}")),
                },
                None => return Err(format!("unknown requirement tag @{tag}")),
            },
        };
        if !ok {
            return Ok(Some(format!(
                "the municipality profile does not claim `{req}`"
            )));
        }
    }
    Ok(None)
}
