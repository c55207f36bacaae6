//! 清算書 steps: the mock center's statements per municipality × operator × business
//! day or month: confirmed copies, 交付手数料, 委託手数料 (the operator's tax rule) and
//! the net between them.

use cucumber::then;
use kofu_mock_center::ledger::Period;

use crate::checks::expect_eq;
use crate::checks::settlement::StatementKey;
use crate::steps::error_chain;
use crate::steps::params::{Date, Month, OperatorCode};
use crate::world::KofuWorld;

/// A statement's totals: (confirmed copies, 交付手数料, 委託手数料).
pub type StatementTotals = (u64, u64, u64);

#[then(
    expr = "交付センターの清算書（団体コード {string}、事業者 {operator}、業務日 {date}）は {int} 通、手数料 {int} 円、委託手数料 {int} 円である"
)]
fn day_statement(
    world: &mut KofuWorld,
    municipality: String,
    operator: OperatorCode,
    day: Date,
    copies: u64,
    fees: u64,
    commission: u64,
) {
    let key = StatementKey {
        municipality,
        operator: operator.0,
        period: day.to_string(),
    };
    expect_statement(world, Period::Day, &key, (copies, fees, commission));
}

#[then(
    expr = "交付センターの月の清算書（団体コード {string}、事業者 {operator}、月 {month}）は {int} 通、手数料 {int} 円、委託手数料 {int} 円である"
)]
fn month_statement(
    world: &mut KofuWorld,
    municipality: String,
    operator: OperatorCode,
    month: Month,
    copies: u64,
    fees: u64,
    commission: u64,
) {
    let key = StatementKey {
        municipality,
        operator: operator.0,
        period: month.0,
    };
    expect_statement(world, Period::Month, &key, (copies, fees, commission));
}

/// The center's statement of `key` must show `expected` and the net between its fees
/// and its commission.
pub fn expect_statement(
    world: &KofuWorld,
    period: Period,
    key: &StatementKey,
    expected: StatementTotals,
) {
    let statements = world
        .rig()
        .center
        .running
        .state
        .statements(period)
        .unwrap_or_else(|e| panic!("the center's ledger failed: {}", error_chain(&e)));
    let actual = statements
        .iter()
        .find(|s| key.is_of(s))
        .map(|s| (s.copies, s.fee_total, s.commission_total, s.net));
    let (copies, fees, commission) = expected;
    let net = i64::try_from(fees).unwrap_or(0) - i64::try_from(commission).unwrap_or(0);
    expect_eq(
        &format!(
            "settlement: the statement {key}: confirmed copies, fees, commission (operator's tax rule) and net"
        ),
        &Some((copies, fees, commission, net)),
        &actual,
        &world.evidence_dir,
    );
}
