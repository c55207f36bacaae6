//! 追加試験 steps: a municipality added a certificate type, or a store operator (事業者)
//! joined. The added type is offered and issues end to end, every type offered before
//! still issues at the same fee, the added operator's terminals are served and
//! recorded, and neither the commission per copy (委託手数料) nor the annual 運営負担金
//! changes (FAQ 6). The addition comes from the run ([`crate::additions`]); records
//! and settlement after it are [`settlement`].

mod settlement;

use cucumber::{given, then, when};
use kofu_fixtures::municipality::CertificateOffer;
use kofu_mock_center::center::api::IssueRequest;
use kofu_profile::CertificateType;

use super::honesty::issue_at_fee;
use super::menu::{Offered, last_menu, on_menu};
use super::options;
use crate::additions::BundledAddition;
use crate::checks::{expect_eq, fail};
use crate::terminal::TerminalId;
use crate::world::KofuWorld;

/// The type addition in play; the run filter only lets its scenarios run when there is one.
fn type_addition(world: &KofuWorld) -> BundledAddition {
    match world.rig().additions.type_addition() {
        Some(a) => a.clone(),
        None => fail(
            "additions: no certificate type addition is in play",
            "see fixtures/additions and `kofu run --added type:CODE`",
            &world.evidence_dir,
        ),
    }
}

/// The operator addition in play.
fn operator_addition(world: &KofuWorld) -> BundledAddition {
    match world.rig().additions.operator_addition() {
        Some(a) => a.clone(),
        None => fail(
            "additions: no operator addition is in play",
            "see fixtures/additions and `kofu run --added operator:CODE`",
            &world.evidence_dir,
        ),
    }
}

fn added_type(
    world: &KofuWorld,
    addition: &BundledAddition,
) -> (CertificateType, CertificateOffer) {
    let Some(t) = addition.added_type() else {
        fail(
            "additions: the addition in play is not a certificate type",
            &addition.addition,
            &world.evidence_dir,
        )
    };
    match addition.after.offer(t) {
        Some(offer) => (t, offer.clone()),
        None => fail(
            &format!("additions: the after profile does not offer the added type {t}"),
            addition.source.display(),
            &world.evidence_dir,
        ),
    }
}

// ---------------------------------------------------------------------------------
// 前提

#[given(expr = "証明書の種類を追加した市区町村を対象とする")]
fn target_type_municipality(world: &mut KofuWorld) {
    let addition = type_addition(world);
    world.scene.municipality = Some(addition.municipality().to_owned());
}

#[given(expr = "事業者が加わった市区町村を対象とする")]
fn target_operator_municipality(world: &mut KofuWorld) {
    let addition = operator_addition(world);
    world.scene.municipality = Some(addition.municipality().to_owned());
}

#[given(expr = "追加された種類を選ぶ")]
fn choose_added_type(world: &mut KofuWorld) {
    let addition = type_addition(world);
    let (t, offer) = added_type(world, &addition);
    world.choice.certificate = Some(t);
    world.choice.options = options::of_claimed_offer(&offer);
}

/// Use the first store and terminal of an operator of the fixtures.
fn use_terminal_of(world: &mut KofuWorld, code: &str) {
    let rig = world.rig().clone();
    let Some(operator) = rig.fixtures.operator(code) else {
        fail(
            &format!("additions: operator {code} is not in the fixtures"),
            "fixtures/operators",
            &world.evidence_dir,
        )
    };
    let Some(terminal) = TerminalId::first_of(&rig.fixtures, &operator.code) else {
        fail(
            &format!("additions: operator {code} has no terminal"),
            "fixtures/operators",
            &world.evidence_dir,
        )
    };
    world.scene.terminal = Some(terminal);
}

#[given(expr = "加わった事業者の端末を使う")]
fn use_added_operator_terminal(world: &mut KofuWorld) {
    let addition = operator_addition(world);
    let code = addition.added_operator().unwrap_or_default().to_owned();
    use_terminal_of(world, &code);
}

#[given(expr = "加わる前からの事業者の端末を使う")]
fn use_existing_operator_terminal(world: &mut KofuWorld) {
    let addition = operator_addition(world);
    let Some(code) = addition.before_settlement.operators.first().cloned() else {
        fail(
            "additions: the before state has no operator",
            addition.source.display(),
            &world.evidence_dir,
        )
    };
    use_terminal_of(world, &code);
}

// ---------------------------------------------------------------------------------
// メニュー

#[then(
    expr = "メニューに追加された種類が、追加後のプロファイルの手数料・部数上限・選択肢で示される"
)]
fn menu_offers_added_type(world: &mut KofuWorld) {
    let addition = type_addition(world);
    let (t, offer) = added_type(world, &addition);
    let m = last_menu(world);
    expect_eq(
        &format!(
            "additions ({}): the menu offers the added type {t} with the after profile's fee, copy limit and options",
            addition.addition
        ),
        &Some(Offered::from(&offer)),
        &on_menu(&m, t),
        &world.evidence_dir,
    );
}

#[then(expr = "メニューは追加前のプロファイルのすべての種類を、同じ手数料・部数上限・選択肢で示す")]
fn menu_keeps_before_types(world: &mut KofuWorld) {
    let addition = type_addition(world);
    let m = last_menu(world);
    let expected: Vec<Option<Offered>> = addition
        .before
        .certificates
        .iter()
        .map(|o| Some(Offered::from(o)))
        .collect();
    let actual: Vec<Option<Offered>> = addition
        .before
        .certificates
        .iter()
        .map(|o| on_menu(&m, o.certificate))
        .collect();
    expect_eq(
        &format!(
            "additions ({}): every type offered before the addition is still offered, with the before profile's fee, copy limit and options",
            addition.addition
        ),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

// ---------------------------------------------------------------------------------
// 交付

#[then(expr = "追加前のプロファイルのすべての種類が、追加後も追加前と同じ手数料で交付される")]
async fn before_types_still_issue(world: &mut KofuWorld) {
    let addition = type_addition(world);
    let code = addition.municipality().to_owned();
    let requests = addition
        .before
        .certificates
        .iter()
        .map(|offer| {
            let t = offer.certificate;
            let req = world.issuance_request(t, options::of_claimed_offer(offer), 1);
            (t.to_string(), offer.fee, req)
        })
        .collect();
    let problems = issue_at_fee(world, &code, requests, "before the addition").await;
    if !problems.is_empty() {
        fail(
            &format!(
                "additions ({}): every type offered before the addition still issues, at the fee it had before",
                addition.addition
            ),
            problems.join("\n"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "交付センターのメニューに追加された種類がある")]
fn center_menu_has_added_type(world: &mut KofuWorld) {
    let addition = type_addition(world);
    let (t, _) = added_type(world, &addition);
    let offered: Vec<CertificateType> = world
        .through_center
        .menus
        .iter()
        .flat_map(|m| m.menus.iter())
        .filter(|m| m.municipality == addition.municipality())
        .flat_map(|m| m.items.iter())
        .map(|i| i.certificate)
        .collect();
    if !offered.contains(&t) {
        fail(
            &format!(
                "additions ({}): the center's menu for {} offers the added type",
                addition.addition,
                addition.municipality()
            ),
            format!(
                "offered: {offered:?}; refusal: {:?}",
                world.through_center.refusal
            ),
            &world.evidence_dir,
        );
    }
}

#[when(expr = "交付センターを通して追加された種類を {int} 通請求する")]
async fn center_issue_added_type(world: &mut KofuWorld, copies: u8) {
    let addition = type_addition(world);
    let (t, offer) = added_type(world, &addition);
    let rig = world.rig().clone();
    let Some(session) = world.through_center.session.clone() else {
        fail(
            "center: no kiosk session",
            "read the card first",
            &world.evidence_dir,
        )
    };
    let req = IssueRequest {
        municipality: Some(addition.municipality().to_owned()),
        certificate: t,
        options: options::of_claimed_offer(&offer),
        copies,
    };
    world.through_center.refusal = None;
    match rig.center.link.issue(&session, &req).await {
        Ok(issued) => world.through_center.issued.push(issued),
        Err(e) => world.through_center.refusal = Some(e),
    }
}
