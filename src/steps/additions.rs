//! 追加試験 steps: a municipality added a certificate type, or a store operator (事業者)
//! joined. The added type is offered and issues end to end, every type offered before
//! still issues at the same fee, the added operator's terminals are served and
//! recorded, and neither the commission per copy (委託手数料) nor the annual 運営負担金
//! changes (FAQ 6). The addition comes from the run ([`crate::additions`]).

use std::sync::Arc;

use cucumber::{given, then, when};
use kofu_fixtures::municipality::CertificateOffer;
use kofu_mock_center::center::api::IssueRequest;
use kofu_profile::{CertificateType, Scope};

use crate::additions::BundledAddition;
use crate::checks::{expect_eq, fail};
use crate::steps::center::CenterRig;
use crate::world::KofuWorld;

/// The type addition in play; the run filter only lets its scenarios run when there is one.
fn type_addition(world: &KofuWorld) -> BundledAddition {
    match world.ctx().additions.type_addition() {
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
    match world.ctx().additions.operator_addition() {
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

/// What a menu item or a profile offer promises, compared field by field.
#[derive(Debug, PartialEq)]
struct Offered {
    certificate: CertificateType,
    fee: u32,
    max_copies: u8,
    scopes: Vec<Scope>,
    relationship_option: bool,
    honseki_option: bool,
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

impl From<&kofu_profile::menu::MenuItem> for Offered {
    fn from(i: &kofu_profile::menu::MenuItem) -> Self {
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

fn menu(world: &KofuWorld) -> kofu_profile::menu::Menu {
    match &world.menu {
        Some(m) => m.clone(),
        None => fail(
            "menu: the candidate returned no menu",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        ),
    }
}

/// What the menu shows for a type, or `None` when it is not on the menu.
fn on_menu(menu: &kofu_profile::menu::Menu, t: CertificateType) -> Option<Offered> {
    menu.items
        .iter()
        .find(|i| i.certificate == t)
        .map(Offered::from)
}

fn rig(world: &KofuWorld) -> Arc<CenterRig> {
    match world.ctx().center.get() {
        Some(rig) => rig.clone(),
        None => fail(
            "center: the mock center is not running",
            "read the card through the center first (交付センターを通して…カードを読み取らせる)",
            &world.evidence_dir,
        ),
    }
}

// ---------------------------------------------------------------------------------
// 前提

#[given(expr = "証明書の種類を追加した市区町村を対象とする")]
fn target_type_municipality(world: &mut KofuWorld) {
    let addition = type_addition(world);
    world.municipality = Some(addition.municipality().to_owned());
}

#[given(expr = "事業者が加わった市区町村を対象とする")]
fn target_operator_municipality(world: &mut KofuWorld) {
    let addition = operator_addition(world);
    world.municipality = Some(addition.municipality().to_owned());
}

#[given(expr = "追加された種類を選ぶ")]
fn choose_added_type(world: &mut KofuWorld) {
    let addition = type_addition(world);
    let (t, offer) = added_type(world, &addition);
    world.certificate = Some(t);
    world.options = super::plain_options(&offer);
}

/// Use the first store and terminal of an operator of the fixtures.
fn use_terminal_of(world: &mut KofuWorld, code: &str) {
    let ctx = world.ctx().clone();
    let Some(operator) = ctx.fixtures.operator(code) else {
        fail(
            &format!("additions: operator {code} is not in the fixtures"),
            "fixtures/operators",
            &world.evidence_dir,
        )
    };
    let Some((store, terminal)) = operator
        .stores
        .iter()
        .find_map(|s| s.terminals.first().map(|t| (s.id.clone(), t.clone())))
    else {
        fail(
            &format!("additions: operator {code} has no terminal"),
            "fixtures/operators",
            &world.evidence_dir,
        )
    };
    world.terminal = Some((code.to_owned(), store, terminal));
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
    let m = menu(world);
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
    let m = menu(world);
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
            let req = crate::terminal::issuance_request(world, t, super::plain_options(offer), 1);
            (t.to_string(), offer.fee, req)
        })
        .collect();
    let problems = super::issue_at_fee(world, &code, requests, "before the addition").await;
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
        .kiosk
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
            format!("offered: {offered:?}; refusal: {:?}", world.kiosk.refusal),
            &world.evidence_dir,
        );
    }
}

#[when(expr = "交付センターを通して追加された種類を {int} 通請求する")]
async fn center_issue_added_type(world: &mut KofuWorld, copies: u8) {
    let addition = type_addition(world);
    let (t, offer) = added_type(world, &addition);
    let rig = rig(world);
    let Some(session) = world.kiosk.session.clone() else {
        fail(
            "center: no kiosk session",
            "read the card first",
            &world.evidence_dir,
        )
    };
    let req = IssueRequest {
        municipality: Some(addition.municipality().to_owned()),
        certificate: t,
        options: super::plain_options(&offer),
        copies,
    };
    world.kiosk.refusal = None;
    match rig.kiosk.issue(&session, &req).await {
        Ok(issued) => world.kiosk.issued.push(issued),
        Err(e) => world.kiosk.refusal = Some(e),
    }
}

// ---------------------------------------------------------------------------------
// 記録と清算

#[then(expr = "候補サーバの記録に、この端末からの交付が確定 {int} 通で載っている")]
async fn recorded_for_terminal(world: &mut KofuWorld, copies: u8) {
    let Some((_, issuance)) = world.issuances.last().cloned() else {
        fail(
            "records: nothing was issued",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        )
    };
    let (operator, store, terminal) = crate::terminal::terminal_identity(world);
    let date = world
        .reception_time()
        .with_timezone(&kofu_mock_center::hours::jst())
        .date_naive();
    let reply = world
        .center()
        .records(&issuance.municipality, date, date)
        .await;
    let records = match reply {
        Ok(kofu_mock_center::client::Reply::Ok { value, .. }) => value.records,
        other => fail(
            "records: the candidate must answer its records",
            format!("{}: {other:?}", issuance.municipality),
            &world.evidence_dir,
        ),
    };
    let actual = records
        .iter()
        .find(|r| r.issuance_id == issuance.issuance_id)
        .map(|r| {
            (
                r.operator_code.clone(),
                r.store_id.clone(),
                r.terminal_id.clone(),
                r.confirmed_copies,
                r.fee_confirmed,
            )
        });
    let expected = Some((
        operator.clone(),
        store,
        terminal,
        copies,
        issuance.fee_per_copy * u32::from(copies),
    ));
    expect_eq(
        &format!(
            "records of {} on {date}: the issuance {} from operator {operator}'s terminal, with its confirmed copies and fee",
            issuance.municipality, issuance.issuance_id
        ),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

/// The addition whose settlement figures apply to a statement of this operator and
/// municipality: the operator's own addition, else any addition of the municipality.
fn addition_for_statement(
    world: &KofuWorld,
    municipality: &str,
    operator: &str,
) -> BundledAddition {
    let additions = &world.ctx().additions;
    let chosen = additions
        .in_play
        .iter()
        .find(|a| a.added_operator() == Some(operator))
        .or_else(|| {
            additions
                .in_play
                .iter()
                .find(|a| a.municipality() == municipality)
        });
    match chosen {
        Some(a) => a.clone(),
        None => fail(
            &format!("additions: no addition in play concerns municipality {municipality}"),
            "fixtures/additions",
            &world.evidence_dir,
        ),
    }
}

#[then(
    expr = "交付センターの清算書は、この端末の事業者とこの業務日について {int} 通で、手数料は追加後のプロファイルどおり、委託手数料は追加前と同じ1通あたりの額で計算されている"
)]
fn center_statement_unchanged_commission(world: &mut KofuWorld, copies: u64) {
    let Some(issued) = world.kiosk.issued.last().cloned() else {
        fail(
            "center: nothing was issued through the center",
            format!("refusal: {:?}", world.kiosk.refusal),
            &world.evidence_dir,
        )
    };
    let municipality = issued.issuance.municipality.clone();
    let (operator, _, _) = crate::terminal::terminal_identity(world);
    let day = kofu_mock_center::ledger::business_date(world.reception_time())
        .format("%Y-%m-%d")
        .to_string();
    let addition = addition_for_statement(world, &municipality, &operator);
    let ctx = world.ctx().clone();
    let Some(contract) = ctx
        .fixtures
        .operator(&operator)
        .map(|o| o.commission.clone())
    else {
        fail(
            &format!("settlement: operator {operator} is not in the fixtures"),
            "fixtures/operators",
            &world.evidence_dir,
        )
    };
    let t = issued.issuance.certificate;
    let Some(fee) = addition.after.offer(t).map(|o| u64::from(o.fee)) else {
        fail(
            &format!("settlement: the after profile of {municipality} does not offer {t}"),
            addition.source.display(),
            &world.evidence_dir,
        )
    };
    // The per-copy rate of the before state, with the operator's tax rule.
    let before_rate = kofu_fixtures::operator::Commission {
        per_copy_excluding_tax: addition.before_settlement.commission_per_copy_excluding_tax,
        ..contract
    };
    let commission = kofu_mock_center::ledger::commission(&before_rate, copies);
    let net = i64::try_from(copies * fee).unwrap_or(i64::MAX)
        - i64::try_from(commission).unwrap_or(i64::MAX);
    let statements = rig(world)
        .center
        .state
        .statements(kofu_mock_center::ledger::Period::Day)
        .unwrap_or_else(|e| panic!("the center's ledger failed: {e}"));
    let actual = statements
        .iter()
        .find(|s| s.municipality == municipality && s.operator_code == operator && s.period == day)
        .map(|s| (s.copies, s.fee_total, s.commission_total, s.net));
    expect_eq(
        &format!(
            "settlement ({}): statement {municipality} × {operator} × {day}: confirmed copies, 交付手数料 at the after profile's {fee} yen, 委託手数料 at the before state's {} yen per copy before tax ({:?} tax, {:?} rounding), net",
            addition.addition,
            before_rate.per_copy_excluding_tax,
            before_rate.tax_basis,
            before_rate.rounding
        ),
        &Some((copies, copies * fee, commission, net)),
        &actual,
        &world.evidence_dir,
    );
}

// ---------------------------------------------------------------------------------
// FAQ 6: 委託手数料 and 運営負担金 do not change.

fn contribution_unchanged(world: &KofuWorld, addition: &BundledAddition) {
    expect_eq(
        &format!(
            "運営負担金 ({}): the annual contribution of {} is the same before and after the addition (FAQ 6)",
            addition.addition,
            addition.municipality()
        ),
        &addition.before_settlement.annual_operating_contribution,
        &addition.after_settlement.annual_operating_contribution,
        &world.evidence_dir,
    );
}

#[then(expr = "証明書の種類の追加の前後で、年額の運営負担金は変わらない")]
fn contribution_unchanged_by_type(world: &mut KofuWorld) {
    let addition = type_addition(world);
    contribution_unchanged(world, &addition);
}

#[then(expr = "事業者の追加の前後で、年額の運営負担金は変わらない")]
fn contribution_unchanged_by_operator(world: &mut KofuWorld) {
    let addition = operator_addition(world);
    contribution_unchanged(world, &addition);
}

#[then(expr = "事業者の追加の前後で、どの事業者の1通あたりの委託手数料も変わらない")]
fn commission_unchanged_by_operator(world: &mut KofuWorld) {
    let addition = operator_addition(world);
    let ctx = world.ctx().clone();
    let rate = addition.before_settlement.commission_per_copy_excluding_tax;
    expect_eq(
        &format!(
            "委託手数料 ({}): the settlement profile's commission per copy is the same before and after (FAQ 6)",
            addition.addition
        ),
        &addition.before_settlement.commission_per_copy_excluding_tax,
        &addition.after_settlement.commission_per_copy_excluding_tax,
        &world.evidence_dir,
    );
    // Every operator of the after state, the added one included, is paid the rate of
    // the before state.
    let expected: Vec<(String, Option<u32>)> = addition
        .after_settlement
        .operators
        .iter()
        .map(|code| (code.clone(), Some(rate)))
        .collect();
    let actual: Vec<(String, Option<u32>)> = addition
        .after_settlement
        .operators
        .iter()
        .map(|code| {
            (
                code.clone(),
                ctx.fixtures
                    .operator(code)
                    .map(|o| o.commission.per_copy_excluding_tax),
            )
        })
        .collect();
    expect_eq(
        &format!(
            "委託手数料 ({}): every operator's contract (fixtures/operators) pays the before state's {rate} yen per copy before tax",
            addition.addition
        ),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}
