//! 追加試験 steps on records and settlement: the added operator's terminal is recorded,
//! the center's statement charges the after profile's fee and the before state's
//! commission, and neither 委託手数料 nor 運営負担金 changes (FAQ 6).

use cucumber::then;

use super::{operator_addition, type_addition};
use crate::additions::BundledAddition;
use crate::checks::{expect_eq, fail};
use crate::terminal::TerminalId;
use crate::world::KofuWorld;

#[then(expr = "候補サーバの記録に、この端末からの交付が確定 {int} 通で載っている")]
async fn recorded_for_terminal(world: &mut KofuWorld, copies: u8) {
    let Some((_, issuance)) = world.answers.issuances.last().cloned() else {
        fail(
            "records: nothing was issued",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        )
    };
    let TerminalId {
        operator,
        store,
        terminal,
    } = world.terminal_id();
    let date = world
        .reception_time()
        .with_timezone(&kofu_mock_center::hours::jst())
        .date_naive();
    let reply = world
        .candidate()
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
    let additions = &world.rig().additions;
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
    let Some(issued) = world.through_center.issued.last().cloned() else {
        fail(
            "center: nothing was issued through the center",
            format!("refusal: {:?}", world.through_center.refusal),
            &world.evidence_dir,
        )
    };
    let municipality = issued.issuance.municipality.clone();
    let operator = world.terminal_id().operator;
    let day = kofu_mock_center::ledger::business_date(world.reception_time())
        .format("%Y-%m-%d")
        .to_string();
    let addition = addition_for_statement(world, &municipality, &operator);
    let rig = world.rig().clone();
    let Some(contract) = rig
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
    let commission = crate::checks::settlement::commission::due(&before_rate, copies);
    let net = i64::try_from(copies * fee).unwrap_or(i64::MAX)
        - i64::try_from(commission).unwrap_or(i64::MAX);
    let statements = world
        .rig()
        .center
        .running
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
    let rig = world.rig().clone();
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
                rig.fixtures
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
