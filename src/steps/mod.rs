//! Step definitions, one module per domain concept. Step texts are Japanese, as the
//! vendors' QA staff read them; no step text is defined twice.

pub mod additions;
pub mod center;
pub mod connection;
pub mod issuance;
pub mod kiosk;
pub mod menu;
pub mod outcome;
pub mod reception;
pub mod registration;
pub mod settlement;
pub mod store_day;

use kofu_mock_center::client::Reply;

use crate::checks::snapshot;
use crate::checks::{fail, fail_diff};
use crate::world::{KofuWorld, LastAnswer};

/// Record a typed reply as the last answer and return its value when it is a success.
pub fn keep<T>(
    world: &mut KofuWorld,
    reply: Result<Reply<T>, kofu_mock_center::client::ClientError>,
) -> Option<T> {
    match reply {
        Ok(Reply::Ok {
            status,
            value,
            profile_version,
        }) => {
            world.last = Some(LastAnswer::Ok {
                status,
                profile_version,
            });
            Some(value)
        }
        Ok(Reply::Refused { status, error, .. }) => {
            world.last = Some(LastAnswer::Refused { status, error });
            None
        }
        Err(e) => {
            world.last = Some(LastAnswer::TransportError(error_chain(&e)));
            None
        }
    }
}

pub use kofu_mock_center::client::error_chain;

/// The certificate a scenario names, by Japanese title or wire code.
pub fn certificate_named(name: &str) -> kofu_profile::CertificateType {
    kofu_profile::CertificateType::from_code_or_title(name)
        .unwrap_or_else(|| panic!("unknown certificate `{name}` in the scenario"))
}

/// The 交付範囲 a scenario names.
pub fn scope_named(name: &str) -> kofu_profile::Scope {
    match name {
        "本人のみ" => kofu_profile::Scope::Holder,
        "世帯全員" => kofu_profile::Scope::Household,
        "世帯の一部" => kofu_profile::Scope::Members,
        other => panic!("unknown 交付範囲 `{other}` (本人のみ, 世帯全員, 世帯の一部)"),
    }
}

/// Options a resident picks for a type without further choice: the holder alone for
/// 住民票 types, the latest offered 年度 for tax types, nothing otherwise.
pub fn plain_options(
    offer: &kofu_fixtures::municipality::CertificateOffer,
) -> kofu_profile::IssuanceOptions {
    let t = offer.certificate;
    let mut options = kofu_profile::IssuanceOptions::default();
    if t.is_resident_record() {
        options.scope = Some(
            if offer.scopes.is_empty() || offer.scopes.contains(&kofu_profile::Scope::Holder) {
                kofu_profile::Scope::Holder
            } else {
                offer.scopes[0]
            },
        );
    } else if t.is_tax() {
        options.fiscal_year = offer.fiscal_years.iter().max().copied();
    }
    options
}

/// Ask the candidate for each `(label, fee per copy, request)` at municipality `code`:
/// each must be issued as asked (type, copies) at that fee. Returns one line per request
/// that was not, naming what came back and what `basis` implied.
pub async fn issue_at_fee(
    world: &mut KofuWorld,
    code: &str,
    requests: Vec<(String, u32, kofu_profile::issuance::IssuanceRequest)>,
    basis: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (label, fee, req) in requests {
        let reply = world.center().issue(code, &req).await;
        match keep(world, reply) {
            Some(issued) => {
                let expected = (
                    req.certificate,
                    req.copies,
                    fee,
                    fee * u32::from(req.copies),
                );
                let actual = (
                    issued.certificate,
                    issued.copies,
                    issued.fee_per_copy,
                    issued.fee_total,
                );
                if expected != actual {
                    problems.push(format!(
                        "{label}: issued {} x{} at {} yen per copy, {} yen in all; {basis} {} x{} at {} yen per copy, {} yen in all", actual.0, actual.1, actual.2, actual.3, expected.0, expected.1, expected.2, expected.3
                    ));
                }
            }
            None => problems.push(format!(
                "{label}: not issued: {}",
                crate::checks::shown(&world.last)
            )),
        }
    }
    problems
}

/// Compare `body` with the candidate's reviewed snapshot at `location`; a first run of a
/// vendor's candidate records it for review, a mismatch fails the step with a diff.
pub fn compare_snapshot(
    world: &KofuWorld,
    location: &snapshot::Location,
    description: &str,
    body: &str,
) {
    let ctx = world.ctx().clone();
    match snapshot::check(
        location,
        description,
        body,
        ctx.candidate.may_record_snapshots(),
    ) {
        Ok(snapshot::Outcome::Matched) => {}
        Ok(snapshot::Outcome::Recorded(pending)) => {
            let note = format!(
                "snapshot recorded for review (not a pass yet): no reviewed snapshot for candidate `{}`; \
                 recorded {}; after review accept it with `kofu snapshots accept <run dir>`",
                location.key,
                pending.display()
            );
            eprintln!("{note}");
            if std::fs::create_dir_all(&world.evidence_dir).is_ok() {
                let _ = std::fs::write(world.evidence_dir.join("snapshot-note.txt"), note);
            }
        }
        Err(m) => {
            let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
            let how = match &m.pending {
                Some(p) => format!("new snapshot for review: {}", p.display()),
                None if !ctx.candidate.may_record_snapshots() => {
                    "a defect is switched on: nothing recorded".to_owned()
                }
                None if location.key == snapshot::REFERENCE => "re-record: INSTA_UPDATE=always cargo test -p kofu --test suite, then review the diff and commit".to_owned(),
                None => "no file was written".to_owned(),
            };
            match &m.committed {
                Some(committed) => fail_diff(
                    &format!(
                        "snapshot: {description} must match the reviewed snapshot {} ({how})",
                        m.file.display()
                    ),
                    &lines(committed),
                    &lines(&m.actual),
                    &world.evidence_dir,
                ),
                None => fail(
                    &format!(
                        "snapshot: no reviewed snapshot {} for candidate `{}` ({how})",
                        m.file.display(),
                        location.key
                    ),
                    format!("actual:\n{}", m.actual),
                    &world.evidence_dir,
                ),
            }
        }
    }
}
