//! 交付センター steps: single calls through the rig's in-process mock center, one per
//! step (open a session and read the card, ask the menus, request, report), with the
//! test JPKI cards: how the center checks cards and routes requests. The resident's
//! session as a whole is [`super::kiosk`].

use cucumber::{then, when};
use kofu_mock_center::center::api::{IssueRequest, OpenSession};
use kofu_profile::IssuanceOptions;

use super::options;
use super::params::Certificate;
use crate::checks::{expect_eq, fail};
use crate::terminal::center_link::KioskError;
use crate::world::KofuWorld;

/// Read the placed card through the center: open a session, PIN, signature, check.
async fn read_card(world: &mut KofuWorld, pin: Option<String>, tamper: bool) {
    let rig = world.rig().clone();
    let card_fixture = world.placed_card().clone();
    let card = rig
        .center
        .jpki
        .card(&card_fixture.id)
        .unwrap_or_else(|| panic!("the test JPKI has no card {}", card_fixture.id));
    let terminal = world.terminal_id();
    let open = OpenSession {
        operator_code: terminal.operator,
        store_id: terminal.store,
        terminal_id: terminal.terminal,
        reception_time: Some(world.reception_time()),
    };
    world.through_center.refusal = None;
    world.through_center.accepted = None;
    let session = match rig.center.link.open(&open).await {
        Ok(s) => s,
        Err(e) => {
            world.through_center.refusal = Some(e);
            return;
        }
    };
    let pin = pin.unwrap_or(card_fixture.pin);
    match rig
        .center
        .link
        .read_card(&session, card, &pin, tamper)
        .await
    {
        Ok(accepted) => world.through_center.accepted = Some(accepted.card_serial),
        Err(e) => world.through_center.refusal = Some(e),
    }
    world.through_center.session = Some(session);
}

#[when(expr = "交付センターを通して正しい暗証番号でカードを読み取らせる")]
async fn read_with_pin(world: &mut KofuWorld) {
    read_card(world, None, false).await;
}

#[when(expr = "交付センターを通して暗証番号 {string} でカードを読み取らせる")]
async fn read_with_given_pin(world: &mut KofuWorld, pin: String) {
    read_card(world, Some(pin), false).await;
}

#[when(expr = "交付センターを通して署名を改ざんしたカードを読み取らせる")]
async fn read_tampered(world: &mut KofuWorld) {
    read_card(world, None, true).await;
}

#[then(expr = "交付センターはカードを受け付ける")]
fn card_accepted(world: &mut KofuWorld) {
    if world.through_center.accepted.is_none() {
        fail(
            "center: a valid card with the right PIN must be accepted",
            format!("refused: {:?}", world.through_center.refusal),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "交付センターは {string} で断り、端末には {string} と表示される")]
fn refused_with(world: &mut KofuWorld, code: String, screen: String) {
    let actual = world
        .through_center
        .refusal
        .as_ref()
        .map(|e| (e.code(), e.screen()))
        .unwrap_or_else(|| ("<accepted>".to_owned(), String::new()));
    expect_eq(
        "center: refusal code and the terminal's screen",
        &(code, screen),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "交付センターは {string} で断る")]
fn refused(world: &mut KofuWorld, code: String) {
    let actual = world
        .through_center
        .refusal
        .as_ref()
        .map(KioskError::code)
        .unwrap_or_else(|| "<accepted>".to_owned());
    expect_eq("center: refusal code", &code, &actual, &world.evidence_dir);
}

#[when(expr = "交付センターを通してメニューを要求する")]
async fn center_menu(world: &mut KofuWorld) {
    let rig = world.rig().clone();
    let Some(session) = world.through_center.session.clone() else {
        fail(
            "center: no kiosk session",
            "read the card first",
            &world.evidence_dir,
        )
    };
    match rig.center.link.menus(&session).await {
        Ok(m) => world.through_center.menus = Some(m),
        Err(e) => world.through_center.refusal = Some(e),
    }
}

#[then(expr = "交付センターのメニューに {certificate} がある")]
fn center_menu_has(world: &mut KofuWorld, certificate: Certificate) {
    let title = certificate.0.title().to_owned();
    let offered: Vec<String> = world
        .through_center
        .menus
        .iter()
        .flat_map(|m| m.menus.iter())
        .flat_map(|m| m.items.iter())
        .map(|i| i.certificate.title().to_owned())
        .collect();
    if !offered.contains(&title) {
        fail(
            &format!("center: the menu must offer {title}"),
            format!(
                "offered: {offered:?}; refusal: {:?}",
                world.through_center.refusal
            ),
            &world.evidence_dir,
        );
    }
}

#[when(expr = "交付センターを通して {certificate} を {int} 通請求する")]
async fn center_issue(world: &mut KofuWorld, certificate: Certificate, copies: u8) {
    let rig = world.rig().clone();
    let Some(session) = world.through_center.session.clone() else {
        fail(
            "center: no kiosk session",
            "read the card first",
            &world.evidence_dir,
        )
    };
    let certificate = certificate.0;
    let req = IssueRequest {
        municipality: None,
        certificate,
        options: IssuanceOptions {
            scope: options::default_scope(certificate),
            ..Default::default()
        },
        copies,
    };
    world.through_center.refusal = None;
    match rig.center.link.issue(&session, &req).await {
        Ok(issued) => world.through_center.issued.push(issued),
        Err(e) => world.through_center.refusal = Some(e),
    }
}

#[then(expr = "交付センターを通した交付は団体コード {string} から行われる")]
fn center_issued_by(world: &mut KofuWorld, code: String) {
    let actual = world
        .through_center
        .issued
        .last()
        .map(|i| i.issuance.municipality.clone())
        .unwrap_or_else(|| format!("<not issued: {:?}>", world.through_center.refusal));
    expect_eq(
        "center routing: the issuing municipality",
        &code,
        &actual,
        &world.evidence_dir,
    );
}

#[when(expr = "交付センターを通して全部数の印刷が終わったと報告する")]
async fn center_report_all(world: &mut KofuWorld) {
    let rig = world.rig().clone();
    let (Some(session), Some(issued)) = (
        world.through_center.session.clone(),
        world.through_center.issued.last().cloned(),
    ) else {
        fail(
            "center: nothing was issued through the center",
            format!("refusal: {:?}", world.through_center.refusal),
            &world.evidence_dir,
        )
    };
    let report = kofu_mock_center::center::api::PrintReport {
        copies: (1..=issued.issuance.copies)
            .map(|copy| kofu_profile::outcome::CopyOutcome {
                copy,
                outcome: kofu_profile::outcome::Outcome::Confirmed,
            })
            .collect(),
    };
    if let Err(e) = rig.center.link.report(&session, &issued, &report).await {
        fail(
            "center: the print outcome must be recorded",
            e.to_string(),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "交付センターを通して交付される")]
fn center_issued(world: &mut KofuWorld) {
    if world.through_center.issued.is_empty() {
        fail(
            "center: the request must be issued",
            format!("refusal: {:?}", world.through_center.refusal),
            &world.evidence_dir,
        );
    }
}
