//! 交付 steps: the resident's choices, the request, and the checks on what came back as
//! data: 記載事項, copies and fees, idempotency. What the PDF prints is [`super::document`].

use base64::Engine as _;
use cucumber::{given, then, when};
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::{CertificateType, Scope};

use super::keep;
use super::params::{Certificate, ScopeName};
use crate::checks::{self, expect_eq, fail};
use crate::world::KofuWorld;

/// A new certificate is a new choice: the options chosen for another type do not carry
/// over (a scenario that asks for a 住民票 and then a 附票 chooses afresh).
#[given(expr = "証明書 {certificate} を選ぶ")]
fn choose_certificate(world: &mut KofuWorld, name: Certificate) {
    if world.choice.certificate != Some(name.0) {
        world.choice.options = kofu_profile::IssuanceOptions::default();
    }
    world.choice.certificate = Some(name.0);
}

#[given(expr = "交付範囲 {scope} を選ぶ")]
fn choose_scope(world: &mut KofuWorld, scope: ScopeName) {
    world.choice.options.scope = Some(scope.0);
}

/// 世帯の一部: the scenario names persons by id (`"R001, R004"`); the request carries
/// the candidate's member ids, taken from its menu by name.
#[given(expr = "世帯員 {string} を選ぶ")]
fn choose_members(world: &mut KofuWorld, ids: String) {
    world.choice.options.scope = Some(Scope::Members);
    world.choice.options.members = ids
        .split([',', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    for id in &world.choice.options.members {
        if world.rig().fixtures.register.person(id).is_none() {
            panic!("unknown person `{id}` in the scenario");
        }
    }
}

#[given(expr = "世帯主・続柄を表示する")]
fn show_relationship(world: &mut KofuWorld) {
    world.choice.options.show_relationship = true;
}

#[given(expr = "本籍・筆頭者を表示する")]
fn show_honseki(world: &mut KofuWorld) {
    world.choice.options.show_honseki = true;
}

#[given(expr = "年度 {int} を選ぶ")]
fn choose_year(world: &mut KofuWorld, year: u16) {
    world.choice.options.fiscal_year = Some(year);
}

#[when(expr = "{int} 通を請求する")]
async fn request_copies(world: &mut KofuWorld, copies: u8) {
    let certificate = world
        .choice
        .certificate
        .unwrap_or_else(|| panic!("the scenario chose no certificate (証明書 … を選ぶ)"));
    let mut options = world.choice.options.clone();
    if options.scope == Some(Scope::Members) && !options.members.is_empty() {
        options.members = member_ids(world, certificate, &options.members).await;
    }
    let req = world.issuance_request(certificate, options, copies);
    send(world, req).await;
}

/// The candidate's member ids for the chosen persons: the menu lists the current
/// household members by name.
async fn member_ids(
    world: &mut KofuWorld,
    certificate: CertificateType,
    persons: &[String],
) -> Vec<String> {
    let menu = super::menu::menu_once(world, "the 世帯の一部 choice is made from").await;
    let offered = menu
        .items
        .iter()
        .find(|i| i.certificate == certificate)
        .map(|i| i.members.clone())
        .unwrap_or_default();
    let register = world.register_now();
    persons
        .iter()
        .map(|id| {
            let name = register
                .register
                .person(id)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            match offered.iter().find(|m| m.name == name) {
                Some(m) => m.member_id.clone(),
                None => fail(
                    &format!("menu: {certificate} must offer the current household member {id} for 世帯の一部"),
                    format!(
                        "expected a member named `{name}`; offered: {:?}",
                        offered.iter().map(|m| &m.name).collect::<Vec<_>>()
                    ),
                    &world.evidence_dir,
                ),
            }
        })
        .collect()
}

#[when(expr = "同じ要求IDで同じ要求を再送する")]
async fn resend(world: &mut KofuWorld) {
    // The last request sent, answered or not (its answer may have been lost).
    let req = match world
        .answers
        .sent
        .clone()
        .or_else(|| world.answers.issuances.last().map(|(r, _)| r.clone()))
    {
        Some(req) => req,
        None => panic!("nothing was sent before the resend"),
    };
    send(world, req).await;
}

/// Send an issuance request; an issuance is kept with its request and its PDF saved.
pub async fn send(world: &mut KofuWorld, req: IssuanceRequest) {
    world.answers.sent = Some(req.clone());
    let code = world.municipality_code();
    let reply = world.candidate().issue(&code, &req).await;
    if let Some(issuance) = keep(world, reply) {
        save_pdf(world, &issuance);
        world.answers.issuances.push((req, issuance));
    }
}

fn save_pdf(world: &mut KofuWorld, issuance: &Issuance) {
    world.answers.saved_pdfs += 1;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&issuance.document.pdf_base64)
    else {
        return;
    };
    let path = world.evidence_dir.join(format!(
        "issuance-{}-{}.pdf",
        world.answers.saved_pdfs,
        issuance.certificate.code()
    ));
    if std::fs::create_dir_all(&world.evidence_dir).is_ok() {
        let _ = std::fs::write(path, bytes);
    }
}

/// The last issuance the candidate answered, with the request; none fails the step.
pub fn last_issuance(world: &KofuWorld) -> (IssuanceRequest, Issuance) {
    match world.answers.issuances.last() {
        Some(x) => x.clone(),
        None => fail(
            "issuance: no certificate was issued",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "証明書が交付される")]
fn issued(world: &mut KofuWorld) {
    // The last answer itself must be the issuance: an earlier one does not count.
    if !matches!(
        world.answers.last,
        Some(crate::world::LastAnswer::Ok { .. })
    ) {
        fail(
            "issuance: the last request must be issued",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    }
    let _ = last_issuance(world);
}

#[then(expr = "2 つの応答は同じ交付である")]
fn same_issuance(world: &mut KofuWorld) {
    let n = world.answers.issuances.len();
    if n < 2 {
        fail(
            "idempotency: the resend was not answered with an issuance",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    }
    let key = |i: &Issuance| {
        (
            i.issuance_id.clone(),
            i.certificate_number.clone(),
            i.document.sha256.clone(),
        )
    };
    expect_eq(
        "idempotency: the same request id must return the same issuance (id, number, document)",
        &key(&world.answers.issuances[n - 2].1),
        &key(&world.answers.issuances[n - 1].1),
        &world.evidence_dir,
    );
}

#[then(expr = "記載事項は住民記録と一致する")]
fn content_matches(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let expected = expected_content(world, &req);
    expect_eq(
        &format!(
            "記載事項: content of {} must equal the register for the chosen options",
            req.certificate
        ),
        &expected,
        &issuance.content,
        &world.evidence_dir,
    );
}

/// kofu's own expectation of the 記載事項 the request asked for, from the fixtures and
/// the claimed municipality profile.
pub(super) fn expected_content(
    world: &KofuWorld,
    req: &IssuanceRequest,
) -> kofu_profile::content::Content {
    let rig = world.rig().clone();
    // The register as it stood at the request's reception time (異動連携).
    let register = world.register_for(req);
    let holder = holder(world, &register);
    let code = world.municipality_code();
    let municipality = rig
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .unwrap_or_else(|| panic!("no municipality profile for {code}"));
    let mut options = req.options.clone();
    if options.scope == Some(Scope::Members) {
        // The request carries the candidate's member ids; expect the chosen persons.
        options.members = world.choice.options.members.clone();
    }
    checks::expected::content(&register, municipality, holder, req.certificate, &options)
        .unwrap_or_else(|e| panic!("scenario error: {e}"))
}

fn holder<'a>(
    world: &KofuWorld,
    register: &'a kofu_fixtures::Fixtures,
) -> &'a kofu_fixtures::Person {
    let card = world
        .scene
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed"));
    register
        .register
        .person(&card.person)
        .unwrap_or_else(|| panic!("card {} names an unknown person", card.id))
}

#[then(expr = "記載事項の氏名は {string} である")]
fn content_name(world: &mut KofuWorld, name: String) {
    let (_, issuance) = last_issuance(world);
    let names = checks::expected::printed_names(&issuance.content);
    if !names.contains(&name) {
        let show = |s: &str| {
            s.chars()
                .map(|c| format!("{c}(U+{:04X})", c as u32))
                .collect::<Vec<_>>()
                .join(" ")
        };
        fail(
            "記載事項: the name must keep the register's code points",
            format!(
                "expected {}\nactual names: {}",
                show(&name),
                names
                    .iter()
                    .map(|n| show(n))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "部数と交付手数料は請求と市区町村プロファイルの主張どおりである")]
fn fees_as_claimed(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let code = world.municipality_code();
    let rig = world.rig().clone();
    let fee = rig
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .and_then(|m| m.offer(req.certificate))
        .map(|o| o.fee)
        .unwrap_or_else(|| panic!("the profile of {code} does not claim {}", req.certificate));
    expect_eq(
        "issuance: copies, fee per copy and total must be the requested copies at the claimed fee",
        &(
            code.clone(),
            req.certificate,
            req.copies,
            fee,
            fee * u32::try_from(req.copies).unwrap_or(0),
        ),
        &(
            issuance.municipality.clone(),
            issuance.certificate,
            i64::from(issuance.copies),
            issuance.fee_per_copy,
            issuance.fee_total,
        ),
        &world.evidence_dir,
    );
}

#[then(expr = "記載事項の市町村民税と道府県民税は 0 円である")]
fn tax_is_zero(world: &mut KofuWorld) {
    let (_, issued) = last_issuance(world);
    let actual = match &issued.content {
        kofu_profile::content::Content::Tax(t) => Some((t.municipal_tax, t.prefectural_tax)),
        _ => None,
    };
    expect_eq(
        "記載事項: a 非課税 holder's certificate states 0 yen of 市町村民税 and 道府県民税",
        &Some((0, 0)),
        &actual,
        &world.evidence_dir,
    );
}
