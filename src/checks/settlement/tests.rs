//! The reconciliation rules checked on small ledgers built by hand.

use std::path::Path;

use super::*;
use pretty_assertions::assert_eq;

fn fixtures() -> Fixtures {
    Fixtures::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
        .expect("the repository's fixtures load")
}

fn account(certificate: &str, copies: u8, confirmed: u8, fee: u32) -> Account {
    Account {
        municipality: "990001".to_owned(),
        operator_code: "OP-B".to_owned(),
        business_date: NaiveDate::from_ymd_opt(2026, 10, 30).expect("date"),
        certificate: certificate.to_owned(),
        copies,
        confirmed,
        cancelled: copies - confirmed,
        fee_per_copy: fee,
        fee: u64::from(confirmed) * u64::from(fee),
    }
}

fn three(accounts: &[(&str, Account)]) -> Ledgers {
    let map: Accounts = accounts
        .iter()
        .map(|(id, a)| ((*id).to_owned(), a.clone()))
        .collect();
    let mut candidate = map.clone();
    for a in candidate.values_mut() {
        a.municipality.clear();
    }
    Ledgers {
        journal: map.clone(),
        center: map,
        candidate,
        record_differences: Vec::new(),
    }
}

#[test]
fn agreeing_ledgers_close_to_the_yen() {
    let f = fixtures();
    let ledgers = three(&[
        ("t1", account("juminhyo", 2, 2, 200)),
        ("t2", account("koseki-zenbu", 3, 1, 350)),
        ("t3", account("inkan", 1, 0, 200)),
    ]);
    let r = reconcile(&f, &ledgers);
    assert_eq!(r.differences, vec![]);
    assert_eq!(r.transactions, 3);
    assert_eq!(r.day_statements.len(), 1);
    let st = &r.day_statements[0];
    // OP-B: 117 yen + 10 % on the statement, half-up: 3 copies -> 351 + 35.1 = 386.
    assert_eq!(
        (st.copies, st.fee_total, st.commission_total, st.net),
        (3, 750, 386, 364)
    );
    assert_eq!(r.month_statements[0].period, "2026-10");
}

#[test]
fn a_candidate_that_ignores_a_cancel_is_named_with_the_amount() {
    let f = fixtures();
    let mut ledgers = three(&[("t1", account("juminhyo", 2, 1, 200))]);
    if let Some(a) = ledgers.candidate.get_mut("t1") {
        a.confirmed = 2;
        a.cancelled = 0;
        a.fee = 400;
    }
    let r = reconcile(&f, &ledgers);
    let fields: Vec<(&str, &str, &str)> = r
        .differences
        .iter()
        .map(|d| (d.subject.as_str(), d.field.as_str(), d.candidate.as_str()))
        .collect();
    assert!(
        fields.contains(&("t1 (juminhyo at OP-B)", "confirmed copies (確定)", "2")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&(
            "t1 (juminhyo at OP-B)",
            "交付手数料 of confirmed copies",
            "400"
        )),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(s, f, _)| s.starts_with("statement 990001/OP-B/2026-10-30") && *f == "net"),
        "{fields:?}"
    );
}

#[test]
fn a_fee_off_the_table_differs_even_when_all_three_agree() {
    let f = fixtures();
    let ledgers = three(&[("t1", account("fuhyo", 1, 1, 350))]);
    let r = reconcile(&f, &ledgers);
    let d = r
        .differences
        .iter()
        .find(|d| d.field == "交付手数料 per copy (fee table)")
        .expect("the fee is flagged");
    assert_eq!((d.expected.as_str(), d.candidate.as_str()), ("200", "350"));
}

#[test]
fn a_transaction_missing_from_one_ledger_is_named() {
    let f = fixtures();
    let mut ledgers = three(&[("t1", account("juminhyo", 1, 1, 200))]);
    ledgers.candidate.clear();
    let r = reconcile(&f, &ledgers);
    assert!(
        r.differences
            .iter()
            .any(|d| d.subject.starts_with("t1 ") && d.candidate == "missing"),
        "{:?}",
        r.differences
    );
}

#[test]
fn days_closed_one_by_one_add_up_to_the_period_closed_at_once() {
    let f = fixtures();
    let on = |day: u32, mut a: Account| {
        a.business_date = NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
        a
    };
    let first = [
        ("t1", on(29, account("juminhyo", 2, 2, 200))),
        ("t2", on(29, account("koseki-zenbu", 3, 1, 350))),
    ];
    // The second day's fee for t4 is off the table: a difference on that day only.
    let second = [
        ("t3", on(30, account("juminhyo", 1, 1, 200))),
        ("t4", on(30, account("inkan", 2, 2, 250))),
    ];
    let whole = reconcile(&f, &three(&[first.clone(), second.clone()].concat()));
    let mut closing = Closing::default();
    closing.close(&f, &three(&first));
    closing.close(&f, &three(&second));
    let closed = closing.finish(&f);
    assert!(!whole.differences.is_empty());
    assert_eq!(closed.transactions, whole.transactions);
    assert_eq!(closed.confirmed_copies, whole.confirmed_copies);
    assert_eq!(closed.day_statements, whole.day_statements);
    // The month's 委託手数料 is rounded over its 6 copies, not summed from two days.
    assert_eq!(closed.month_statements, whole.month_statements);
    let sorted = |r: &Reconciliation| {
        let mut v: Vec<String> = r.differences.iter().map(|d| format!("{d:?}")).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&closed), sorted(&whole));
}
