//! Applicability: a scenario declares with `@requires-…` tags what it needs from the
//! municipality profile; a scenario the profile rules out is reported as not applicable
//! (skipped, with the reason naming the profile key), never as passed.

use kofu_fixtures::Municipality;
use kofu_profile::CertificateType;

/// Why a scenario does not apply, or `None` when it does.
///
/// Tags understood, each with the municipality profile (TOML) key it reads:
/// - `@requires-mtls`: some municipality sets `mutual_tls = true`.
/// - `@requires-type-<code>`: some municipality lists `[[certificates]] type = "<code>"`.
/// - `@requires-age-limit`: some municipality sets `restrictions.age_limit`.
/// - `@requires-no-age-limit`: some municipality leaves `restrictions.age_limit` unset.
/// - `@requires-dv-protection`: some municipality sets `restrictions.dv_protection = true`.
/// - `@requires-koseki-non-resident`: some municipality sets
///   `restrictions.koseki_for_non_residents = true`.
/// - `@requires-honseki-municipality`: the claims include a 本籍地 of residents who live
///   elsewhere: a municipality whose `[[certificates]]` are 戸籍 types only (戸籍全部事項,
///   戸籍個人事項, 戸籍の附票), like the fixtures' 白砂町, claimed with a second
///   `--municipality` beside the 住所地.
///
/// - `@requires-register-feed`: some municipality sets `register_feed = true` (異動連携).
/// - `@requires-no-register-feed`: some municipality leaves `register_feed` unset or false.
///
/// - `@requires-restart`: the candidate can be restarted (the embedded reference server,
///   a container, or `--restart-command`); the engine checks it against the candidate,
///   not here.
///
/// An unknown `@requires-` tag is an error in the feature (`Err`).
pub fn not_applicable(tags: &[String], claims: &[Municipality]) -> Result<Option<String>, String> {
    for tag in tags {
        let Some(req) = tag.strip_prefix("requires-") else {
            continue;
        };
        let (ok, needs) = match req {
            "restart" => continue,
            "mtls" => (
                claims.iter().any(|m| m.mutual_tls),
                "`mutual_tls = true`".to_owned(),
            ),
            "age-limit" => (
                claims.iter().any(|m| m.restrictions.age_limit.is_some()),
                "`restrictions.age_limit`".to_owned(),
            ),
            "no-age-limit" => (
                claims.iter().any(|m| m.restrictions.age_limit.is_none()),
                "municipality without `restrictions.age_limit` (every claimed one sets it)"
                    .to_owned(),
            ),
            "register-feed" => (
                claims.iter().any(|m| m.register_feed),
                "`register_feed = true` (異動連携)".to_owned(),
            ),
            "no-register-feed" => (
                claims.iter().any(|m| !m.register_feed),
                "municipality without `register_feed` (every claimed one takes the feed)"
                    .to_owned(),
            ),
            "dv-protection" => (
                claims.iter().any(|m| m.restrictions.dv_protection),
                "`restrictions.dv_protection = true`".to_owned(),
            ),
            "koseki-non-resident" => (
                claims
                    .iter()
                    .any(|m| m.restrictions.koseki_for_non_residents),
                "`restrictions.koseki_for_non_residents = true`".to_owned(),
            ),
            "honseki-municipality" => (
                claims.iter().any(is_honseki_only),
                "a 本籍地 municipality: a profile whose `[[certificates]]` are 戸籍 types only \
                 (koseki-zenbu, koseki-kojin, fuhyo), claimed with a second --municipality"
                    .to_owned(),
            ),
            other => match other.strip_prefix("type-") {
                Some(code) => match CertificateType::from_code(code) {
                    Some(t) => (
                        claims.iter().any(|m| m.offer(t).is_some()),
                        format!("`[[certificates]] type = \"{code}\"` ({})", t.title()),
                    ),
                    None => return Err(format!("unknown certificate type in tag @{tag}")),
                },
                None => return Err(format!("unknown requirement tag @{tag}")),
            },
        };
        if !ok {
            return Ok(Some(format!(
                "the municipality profiles claim no {needs} (@{tag})"
            )));
        }
    }
    Ok(None)
}

/// A 本籍地 only: offers certificate types, every one of them issued by the 本籍地.
fn is_honseki_only(m: &Municipality) -> bool {
    !m.certificates.is_empty() && !m.serves_residents()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Municipality {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/municipalities")
            .join(name);
        Municipality::load(&path).expect("municipality profile")
    }

    #[test]
    fn the_residence_alone_rules_out_the_honseki_scenarios() {
        let tags = vec!["requires-honseki-municipality".to_owned()];
        let reason = not_applicable(&tags, &[load("aobadai.toml")]).unwrap();
        assert!(reason.is_some_and(|r| r.contains("本籍地")));
        assert_eq!(
            not_applicable(&tags, &[load("aobadai.toml"), load("shirasuna.toml")]),
            Ok(None)
        );
    }

    #[test]
    fn reasons_name_keys_of_the_profile() {
        let claims = [load("aobadai.toml")];
        for (tag, key) in [
            ("requires-no-age-limit", "restrictions.age_limit"),
            (
                "requires-type-shotoku",
                "[[certificates]] type = \"shotoku\"",
            ),
        ] {
            let mut m = claims[0].clone();
            m.certificates.retain(|c| c.certificate.code() != "shotoku");
            let reason = not_applicable(&[tag.to_owned()], &[m]).unwrap().unwrap();
            assert!(reason.contains(key), "{reason}");
            // The key named is one the profile file really has.
            let toml = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures/municipalities/aobadai.toml"),
            )
            .unwrap();
            let leaf = key
                .trim_start_matches("[[certificates]] ")
                .rsplit('.')
                .next()
                .unwrap()
                .split(' ')
                .next()
                .unwrap();
            assert!(toml.contains(leaf), "{leaf} is no key of the profile");
        }
        assert!(not_applicable(&["requires-nonsense".to_owned()], &claims).is_err());
    }
}
