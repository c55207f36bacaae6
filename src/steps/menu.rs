//! メニュー steps: what the candidate offers a card holder, checked against the
//! municipality profile's claims, and refusals that must not reveal their reason.

use cucumber::{then, when};
use kofu_profile::CertificateType;
use kofu_profile::error::NOT_ISSUABLE_MESSAGE;

use super::keep;
use crate::checks::{expect_eq, fail};
use crate::world::{KofuWorld, LastAnswer};

fn certificate_named(name: &str) -> CertificateType {
    CertificateType::ALL
        .into_iter()
        .find(|t| t.title() == name || t.code() == name)
        .unwrap_or_else(|| panic!("unknown certificate `{name}` in the scenario"))
}

#[when(expr = "メニューを要求する")]
async fn ask_menu(world: &mut KofuWorld) {
    let code = world.municipality_code();
    let card = world
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed on the terminal"));
    let req = kofu_profile::menu::MenuRequest {
        reception: crate::terminal::reception(world),
        card_serial: card.serial.clone(),
    };
    let reply = world.center().menu(&code, &req).await;
    world.menu = keep(world, reply);
}

fn menu(world: &KofuWorld) -> kofu_profile::menu::Menu {
    match &world.menu {
        Some(m) => m.clone(),
        None => fail(
            "menu: the candidate returned no menu",
            format!("last answer: {:?}", world.last),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "メニューに {string} がある")]
fn menu_has(world: &mut KofuWorld, name: String) {
    let t = certificate_named(&name);
    let m = menu(world);
    if !m.items.iter().any(|i| i.certificate == t) {
        let offered: Vec<&str> = m.items.iter().map(|i| i.certificate.code()).collect();
        fail(
            &format!("menu: {name} ({t}) must be offered to this holder"),
            format!("offered: {offered:?}"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューに {string} はない")]
fn menu_lacks(world: &mut KofuWorld, name: String) {
    let t = certificate_named(&name);
    let m = menu(world);
    if m.items.iter().any(|i| i.certificate == t) {
        fail(
            &format!("menu: {name} ({t}) must not be offered to this holder"),
            "it is on the menu",
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューは空である")]
fn menu_empty(world: &mut KofuWorld) {
    let m = menu(world);
    let offered: Vec<&str> = m.items.iter().map(|i| i.certificate.code()).collect();
    expect_eq(
        "menu: nothing may be offered to this holder",
        &Vec::<&str>::new(),
        &offered,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューの {string} の年度は {string} である")]
fn menu_years(world: &mut KofuWorld, name: String, years: String) {
    let t = certificate_named(&name);
    let m = menu(world);
    let expected: Vec<u16> = years
        .split(',')
        .filter_map(|y| y.trim().parse().ok())
        .collect();
    let actual = m
        .items
        .iter()
        .find(|i| i.certificate == t)
        .map(|i| i.fiscal_years.clone())
        .unwrap_or_default();
    expect_eq(
        &format!("menu: fiscal years offered for {t}"),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューの種類・手数料・選択肢は市区町村プロファイルの主張と一致する")]
fn menu_matches_claims(world: &mut KofuWorld) {
    let m = menu(world);
    let code = world.municipality_code();
    let ctx = world.ctx().clone();
    let claims = ctx
        .candidate
        .municipalities
        .iter()
        .find(|c| c.code == code)
        .unwrap_or_else(|| panic!("no municipality profile for {code}"));
    #[derive(Debug, PartialEq)]
    struct Offer {
        certificate: CertificateType,
        fee: u32,
        max_copies: u8,
        scopes: Vec<kofu_profile::Scope>,
        relationship_option: bool,
        honseki_option: bool,
    }
    let offered: Vec<Offer> = m
        .items
        .iter()
        .map(|i| Offer {
            certificate: i.certificate,
            fee: i.fee,
            max_copies: i.max_copies,
            scopes: i.scopes.clone(),
            relationship_option: i.relationship_option,
            honseki_option: i.honseki_option,
        })
        .collect();
    let claimed: Vec<Offer> = offered
        .iter()
        .filter_map(|o| claims.offer(o.certificate))
        .map(|c| Offer {
            certificate: c.certificate,
            fee: c.fee,
            max_copies: c.max_copies,
            scopes: c.scopes.clone(),
            relationship_option: c.relationship_option,
            honseki_option: c.honseki_option,
        })
        .collect();
    if claimed.len() != offered.len() {
        fail(
            "menu: a type is offered that the municipality profile does not claim",
            format!(
                "offered: {:?}",
                offered.iter().map(|o| o.certificate).collect::<Vec<_>>()
            ),
            &world.evidence_dir,
        );
    }
    expect_eq(
        "menu: fees, copy limits and options must be exactly the claimed ones",
        &claimed,
        &offered,
        &world.evidence_dir,
    );
}

#[then(expr = "交付は断られ、窓口への案内だけが返る")]
fn refused_generic(world: &mut KofuWorld) {
    let actual = match &world.last {
        Some(LastAnswer::Refused { status, error }) => {
            (*status, error.code.code().to_owned(), error.message.clone())
        }
        other => fail(
            "refusal: the request must be refused with not-issuable",
            format!("last answer: {other:?}"),
            &world.evidence_dir,
        ),
    };
    expect_eq(
        "refusal: a personal refusal is 422 not-issuable with the fixed message, revealing no reason",
        &(
            422,
            "not-issuable".to_owned(),
            NOT_ISSUABLE_MESSAGE.to_owned(),
        ),
        &actual,
        &world.evidence_dir,
    );
}
