//! メニュー steps: what the candidate offers a card holder, checked against the
//! municipality profile's claims: types, fees, 年度, 交付範囲, the 利用登録申請 state,
//! the 住所地 and 本籍地 sides of the menu, and the members a 世帯の一部 may name.

use cucumber::{then, when};
use kofu_fixtures::municipality::CertificateOffer;
use kofu_mock_center::client::Reply;
use kofu_profile::menu::{Menu, MenuItem};
use kofu_profile::{CertificateType, Scope};

use super::keep;
use super::params::Certificate;
use crate::checks::{expect_eq, fail};
use crate::world::KofuWorld;

mod household;

/// What a menu item or a profile offer promises, compared field by field.
#[derive(Debug, PartialEq)]
pub struct Offered {
    /// The type.
    pub certificate: CertificateType,
    /// 交付手数料 per copy.
    pub fee: u32,
    /// Most copies in one request.
    pub max_copies: u8,
    /// 交付範囲 offered.
    pub scopes: Vec<Scope>,
    /// Whether 世帯主・続柄 may be shown.
    pub relationship_option: bool,
    /// Whether 本籍・筆頭者 may be shown.
    pub honseki_option: bool,
}

impl From<&CertificateOffer> for Offered {
    fn from(o: &CertificateOffer) -> Self {
        Self {
            certificate: o.certificate,
            fee: o.fee,
            max_copies: o.max_copies,
            scopes: o.scopes.clone(),
            relationship_option: o.relationship_option,
            honseki_option: o.honseki_option,
        }
    }
}

impl From<&MenuItem> for Offered {
    fn from(i: &MenuItem) -> Self {
        Self {
            certificate: i.certificate,
            fee: i.fee,
            max_copies: i.max_copies,
            scopes: i.scopes.clone(),
            relationship_option: i.relationship_option,
            honseki_option: i.honseki_option,
        }
    }
}

/// What the menu shows for a type, or `None` when it is not on the menu.
pub fn on_menu(menu: &Menu, t: CertificateType) -> Option<Offered> {
    menu.items
        .iter()
        .find(|i| i.certificate == t)
        .map(Offered::from)
}

/// The menu the candidate last answered; none fails the step.
pub fn last_menu(world: &KofuWorld) -> Menu {
    match &world.answers.menu {
        Some(m) => m.clone(),
        None => fail(
            "menu: the candidate returned no menu",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        ),
    }
}

/// The card's menu at the municipality under test, asked once per scenario: the last
/// menu answered, else a new one. A refusal fails the step, saying what the menu was
/// needed for (`purpose`).
pub async fn menu_once(world: &mut KofuWorld, purpose: &str) -> Menu {
    if let Some(m) = &world.answers.menu {
        return m.clone();
    }
    let code = world.municipality_code();
    let req = kofu_profile::menu::MenuRequest {
        reception: world.reception(),
        card_serial: world.placed_card().serial.clone(),
    };
    match world.candidate().menu(&code, &req).await {
        Ok(Reply::Ok { value, .. }) => {
            world.answers.menu = Some(value.clone());
            value
        }
        other => fail(
            &format!("menu: the candidate must answer the menu {purpose}"),
            format!("answer: {other:?}"),
            &world.evidence_dir,
        ),
    }
}

/// What the municipality profile claims for `code`.
pub fn claims_for(world: &KofuWorld, code: &str) -> kofu_fixtures::Municipality {
    world
        .rig()
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("no municipality profile claims {code}"))
}

#[when(expr = "メニューを要求する")]
async fn ask_menu(world: &mut KofuWorld) {
    let code = world.municipality_code();
    let req = kofu_profile::menu::MenuRequest {
        reception: world.reception(),
        card_serial: world.placed_card().serial.clone(),
    };
    let reply = world.candidate().menu(&code, &req).await;
    world.answers.menu = keep(world, reply);
}

#[then(expr = "メニューに {certificate} がある")]
fn menu_has(world: &mut KofuWorld, name: Certificate) {
    let t = name.0;
    let m = last_menu(world);
    if !m.items.iter().any(|i| i.certificate == t) {
        let offered: Vec<&str> = m.items.iter().map(|i| i.certificate.code()).collect();
        fail(
            &format!("menu: {} ({t}) must be offered to this holder", t.title()),
            format!("offered: {offered:?}"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューに {certificate} はない")]
fn menu_lacks(world: &mut KofuWorld, name: Certificate) {
    let t = name.0;
    let m = last_menu(world);
    if m.items.iter().any(|i| i.certificate == t) {
        fail(
            &format!(
                "menu: {} ({t}) must not be offered to this holder",
                t.title()
            ),
            "it is on the menu",
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューは空である")]
fn menu_empty(world: &mut KofuWorld) {
    let m = last_menu(world);
    let offered: Vec<&str> = m.items.iter().map(|i| i.certificate.code()).collect();
    expect_eq(
        "menu: nothing may be offered to this holder",
        &Vec::<&str>::new(),
        &offered,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューの {certificate} の年度は {string} である")]
fn menu_years(world: &mut KofuWorld, name: Certificate, years: String) {
    let t = name.0;
    let m = last_menu(world);
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

#[then(
    expr = "メニューの {certificate} の年度は、取り扱う年度のうち受付日に決定済みで課税のある年度である"
)]
fn menu_years_at_reception(world: &mut KofuWorld, name: Certificate) {
    let t = name.0;
    let m = last_menu(world);
    let code = world.municipality_code();
    let claims = claims_for(world, &code);
    let date = kofu_profile::time::jst_date(&world.reception_time());
    let person_id = world.placed_card().person.clone();
    let register = world.register_now();
    let expected = match (claims.offer(t), register.register.person(&person_id)) {
        (Some(offer), Some(person)) => {
            crate::checks::expected::fiscal_year::menu_years(offer, &claims, person, date)
        }
        _ => Vec::new(),
    };
    let actual = m
        .items
        .iter()
        .find(|i| i.certificate == t)
        .map(|i| i.fiscal_years.clone())
        .unwrap_or_default();
    expect_eq(
        &format!(
            "menu: fiscal years of {t} on {date}: offered, assessed here and decided (from 1 June of the 年度)"
        ),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューの種類・手数料・選択肢は市区町村プロファイルの主張と一致する")]
fn menu_matches_claims(world: &mut KofuWorld) {
    let m = last_menu(world);
    let code = world.municipality_code();
    let claims = claims_for(world, &code);
    let offered: Vec<Offered> = m.items.iter().map(Offered::from).collect();
    let claimed: Vec<Offered> = offered
        .iter()
        .filter_map(|o| claims.offer(o.certificate))
        .map(Offered::from)
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

fn registration_word(menu: &kofu_profile::menu::Menu) -> Option<String> {
    menu.koseki_registration
        .map(super::registration::status_word)
}

#[then(expr = "メニューの利用登録申請の状態は {string} である")]
fn menu_registration(world: &mut KofuWorld, status: String) {
    let m = last_menu(world);
    expect_eq(
        "menu: koseki_registration is the state of the holder's latest 利用登録申請 with this 本籍地",
        &Some(status),
        &registration_word(&m),
        &world.evidence_dir,
    );
}

#[then(expr = "メニューに利用登録申請の状態はない")]
fn menu_no_registration(world: &mut KofuWorld) {
    let m = last_menu(world);
    expect_eq(
        "menu: koseki_registration appears only for a holder whose 戸籍 is kept here but who lives elsewhere",
        &None,
        &registration_word(&m),
        &world.evidence_dir,
    );
}

fn menu_lacks_side(world: &KofuWorld, domicile: bool, what: &str) {
    let m = last_menu(world);
    let found: Vec<&str> = m
        .items
        .iter()
        .filter(|i| i.certificate.issued_by_domicile() == domicile)
        .map(|i| i.certificate.code())
        .collect();
    expect_eq(
        &format!("menu: no {what} certificate may be offered to this holder"),
        &Vec::<&str>::new(),
        &found,
        &world.evidence_dir,
    );
}

#[then(expr = "メニューに住所地の証明書はない")]
fn menu_lacks_residence_types(world: &mut KofuWorld) {
    menu_lacks_side(
        world,
        false,
        "住所地 (juminhyo, juminhyo-kisai, inkan, kazei, shotoku)",
    );
}

#[then(expr = "メニューに本籍地の証明書はない")]
fn menu_lacks_domicile_types(world: &mut KofuWorld) {
    menu_lacks_side(world, true, "本籍地 (koseki-zenbu, koseki-kojin, fuhyo)");
}
