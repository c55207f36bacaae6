use super::*;
use kofu_fixtures::Fixtures;
use kofu_fixtures::operator::{Commission, Rounding, TaxBasis};

fn contract(rounding: Rounding, tax_basis: TaxBasis) -> Commission {
    Commission {
        per_copy_excluding_tax: 117,
        tax_rate_percent: 10,
        rounding,
        tax_basis,
    }
}

#[test]
fn rounding_rules() {
    // 11.7 yen of tax.
    assert_eq!(round_div(1170, 100, Rounding::Floor), 11);
    assert_eq!(round_div(1170, 100, Rounding::HalfUp), 12);
    assert_eq!(round_div(1170, 100, Rounding::Ceil), 12);
    // 11.5 and 11.49.
    assert_eq!(round_div(1150, 100, Rounding::HalfUp), 12);
    assert_eq!(round_div(1149, 100, Rounding::HalfUp), 11);
    assert_eq!(round_div(1140, 100, Rounding::Ceil), 12);
    // Exact values are never moved.
    for r in [Rounding::Floor, Rounding::HalfUp, Rounding::Ceil] {
        assert_eq!(round_div(1200, 100, r), 12);
        assert_eq!(round_div(0, 100, r), 0);
    }
}

#[test]
fn commission_per_copy_and_per_statement() {
    // Per copy, floor: 117 + 11 = 128 per copy.
    assert_eq!(
        commission(&contract(Rounding::Floor, TaxBasis::PerCopy), 3),
        384
    );
    // Per copy, ceil: 117 + 12 = 129 per copy.
    assert_eq!(
        commission(&contract(Rounding::Ceil, TaxBasis::PerCopy), 3),
        387
    );
    // Per statement, half-up: 351 + 35.1 -> 386.
    assert_eq!(
        commission(&contract(Rounding::HalfUp, TaxBasis::PerStatement), 3),
        386
    );
    // Per statement, half-up: 585 + 58.5 -> 644; floor -> 643.
    assert_eq!(
        commission(&contract(Rounding::HalfUp, TaxBasis::PerStatement), 5),
        644
    );
    assert_eq!(
        commission(&contract(Rounding::Floor, TaxBasis::PerStatement), 5),
        643
    );
    assert_eq!(
        commission(&contract(Rounding::Ceil, TaxBasis::PerCopy), 0),
        0
    );
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("time")
}

fn tx(id: &str, op: &str, at: &str, copies: u8) -> NewTransaction {
    NewTransaction {
        request_id: id.into(),
        municipality: "990001".into(),
        operator_code: op.into(),
        store_id: "S".into(),
        terminal_id: "T".into(),
        certificate: "juminhyo".into(),
        copies,
        reception_time: t(at),
    }
}

#[test]
fn statements_count_confirmed_copies_only() {
    let fixtures = Fixtures::load_default().expect("fixtures");
    let ledger = Ledger::in_memory().expect("ledger");
    let a = tx("a", "OP-A", "2026-11-26T10:00:00+09:00", 2);
    ledger.open_transaction(&a).expect("open");
    ledger
        .issued("a", a.reception_time, "I-1", 200, 2)
        .expect("issued");
    ledger
        .outcomes(
            "a",
            a.reception_time,
            &[(1, Outcome::Confirmed), (2, Outcome::Cancelled)],
        )
        .expect("outcomes");
    // Early morning JST: still 2026-11-26 although the UTC date is the 25th.
    let b = tx("b", "OP-A", "2026-11-25T22:00:00+00:00", 1);
    ledger.open_transaction(&b).expect("open");
    ledger
        .issued("b", b.reception_time, "I-2", 200, 1)
        .expect("issued");
    ledger
        .outcomes("b", b.reception_time, &[(1, Outcome::Confirmed)])
        .expect("outcomes");
    let c = tx("c", "OP-B", "2026-11-27T10:00:00+09:00", 1);
    ledger.open_transaction(&c).expect("open");
    ledger
        .ended("c", c.reception_time, TxState::Refused, "not-issuable")
        .expect("refused");

    let days = ledger
        .statements(&fixtures.operators, Period::Day)
        .expect("statements");
    assert_eq!(days.len(), 1);
    let st = &days[0];
    assert_eq!(
        (st.period.as_str(), st.copies, st.fee_total),
        ("2026-11-26", 2, 400)
    );
    assert_eq!(st.commission_total, 256);
    assert_eq!(st.net, 144);
    let months = ledger
        .statements(&fixtures.operators, Period::Month)
        .expect("statements");
    assert_eq!(months[0].period, "2026-11");
    let history = ledger.history("a").expect("history");
    let states: Vec<&str> = history.iter().map(|h| h.1.as_str()).collect();
    assert_eq!(states, ["requested", "issued", "completed"]);
    let csv = statements_csv(&days).expect("csv");
    assert!(
        csv.contains("990001,OP-A,2026-11-26,juminhyo,2,2,400,256,144"),
        "{csv}"
    );
    assert!(
        statements_json(&days)
            .expect("json")
            .contains("\"commission_total\": 256")
    );
}
