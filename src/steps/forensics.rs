//! PDF forensic steps: the whole-file scan of a received certificate PDF
//! ([`crate::checks::pdf_forensics`]), run by every step that reads an issued PDF and
//! asked for by name in `features/02-issuance/pdf-forensics.feature`.

use base64::Engine as _;
use cucumber::then;
use kofu_profile::Scope;
use kofu_profile::content::Content;
use kofu_profile::issuance::Issuance;

use crate::checks::{self, fail, pdf_forensics};
use crate::world::KofuWorld;

/// The 記載事項 the certificate must state, from the fixtures: the scenario's card,
/// municipality and options. When the fixtures cannot say (a scenario without a card),
/// the issuance's own `content` stands in; the persons it must not name are still every
/// other fixture person.
fn stated(world: &KofuWorld, issuance: &Issuance) -> Content {
    let ctx = world.rig();
    let req = world
        .answers
        .issuances
        .iter()
        .rev()
        .find(|(_, i)| i.issuance_id == issuance.issuance_id)
        .map(|(r, _)| r);
    // The register as it stood at the request's reception time (異動連携).
    let register = req.map_or_else(|| ctx.fixtures.clone(), |r| world.register_for(r));
    let holder = world
        .scene
        .card
        .as_ref()
        .and_then(|c| register.register.person(&c.person));
    let municipality = ctx
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == issuance.municipality);
    let (Some(req), Some(holder), Some(municipality)) = (req, holder, municipality) else {
        return issuance.content.clone();
    };
    let mut options = req.options.clone();
    if options.scope == Some(Scope::Members) {
        // The request carries the candidate's member ids; expect the chosen persons.
        options.members = world.choice.options.members.clone();
    }
    checks::expected::content(&register, municipality, holder, req.certificate, &options)
        .unwrap_or_else(|_| issuance.content.clone())
}

/// Fail the step when the certificate PDF holds anything but the certificate: a
/// 個人番号 or 住民票コード, another person's name, hidden text, active or external
/// content, an embedded file, a form, optional content, encryption.
pub(super) fn require_clean(world: &KofuWorld, issuance: &Issuance, bytes: &[u8]) {
    let ctx = world.rig();
    let mayor: Vec<String> = ctx
        .candidate
        .municipalities
        .iter()
        .filter(|m| m.code == issuance.municipality)
        .map(|m| m.mayor_name.clone())
        .collect();
    let register = world
        .answers
        .issuances
        .iter()
        .rev()
        .find(|(_, i)| i.issuance_id == issuance.issuance_id)
        .map_or_else(|| ctx.fixtures.clone(), |(r, _)| world.register_for(r));
    let watch = pdf_forensics::watch(&register, &stated(world, issuance), &mayor);
    if let Some(findings) = pdf_forensics::verdict(bytes, &watch) {
        fail(
            &format!(
                "document: the PDF of {} (certificate number {}) must hold nothing but the \
                 certificate: no 個人番号 or 住民票コード, no person it does not state, no hidden \
                 text, no active or external content, no embedded file or form, no layers, \
                 not encrypted",
                issuance.certificate, issuance.certificate_number
            ),
            findings,
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書にはこの証明書のほかに何も含まれていない")]
fn nothing_but_the_certificate(world: &mut KofuWorld) {
    let Some((_, issuance)) = world.answers.issuances.last().cloned() else {
        fail(
            "issuance: no certificate was issued",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&issuance.document.pdf_base64)
        .unwrap_or_else(|e| {
            fail(
                "document: pdf_base64 is not standard base64",
                e,
                &world.evidence_dir,
            )
        });
    require_clean(world, &issuance, &bytes);
}
