//! 記録 steps: the candidate's issuance records as settlement reads them: the record
//! of the last issuance (confirmed copies, fee, state of each copy, exactly one), its
//! business date (JST), the kiosk session's copies, and a refused card's terminal
//! leaving no record at all.

use cucumber::then;
use kofu_mock_center::client::Reply;
use kofu_profile::outcome::CopyState;
use kofu_profile::records::IssuanceRecord;

use super::outcome::last;
use super::records_of_day;
use crate::checks::{expect_eq, fail};
use crate::steps::keep;
use crate::steps::params::Date;
use crate::world::KofuWorld;

/// The candidate's records of the last issuance, read for the JST business date of
/// the scenario's reception time. More than one means a duplicated record.
async fn records_of_last(world: &mut KofuWorld) -> Vec<IssuanceRecord> {
    let issuance = last(world);
    let code = world.municipality_code();
    let day = kofu_profile::time::jst_date(&world.reception_time());
    let reply = world.candidate().records(&code, day, day).await;
    let Some(records) = keep(world, reply) else {
        fail(
            "records: the candidate returned no records",
            format!("last answer: {:?}", world.answers.last),
            &world.evidence_dir,
        );
    };
    records
        .records
        .into_iter()
        .filter(|r| r.request_id == issuance.request_id)
        .collect()
}

/// The one record of the last issuance; its absence fails the step.
async fn record_of_last(world: &mut KofuWorld) -> IssuanceRecord {
    let day = kofu_profile::time::jst_date(&world.reception_time());
    match records_of_last(world).await.into_iter().next() {
        Some(r) => r,
        None => fail(
            "records: the issuance is missing from the records of its business date (JST)",
            format!(
                "request id {} not among the records for {day}",
                last(world).request_id
            ),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "記録の確定部数は {int} で交付手数料は {int} 円である")]
async fn record_totals(world: &mut KofuWorld, confirmed: u8, fee: u32) {
    let record = record_of_last(world).await;
    expect_eq(
        "records: confirmed copies and 交付手数料 of confirmed copies",
        &(confirmed, fee),
        &(record.confirmed_copies, record.fee_confirmed),
        &world.evidence_dir,
    );
}

#[then(expr = "記録は {int} 件だけである")]
async fn record_count(world: &mut KofuWorld, n: usize) {
    let ours = records_of_last(world).await.len();
    expect_eq(
        "records: one request id must leave exactly one record",
        &n,
        &ours,
        &world.evidence_dir,
    );
}

#[then(expr = "記録の各部数の状態は {string} である")]
async fn record_copy_states(world: &mut KofuWorld, states: String) {
    let record = record_of_last(world).await;
    let actual: Vec<CopyState> = record.copy_states;
    let expected: Vec<CopyState> = states
        .split(',')
        .map(|s| {
            serde_json::from_value(serde_json::Value::String(s.trim().to_owned()))
                .unwrap_or_else(|_| panic!("unknown copy state `{s}` in the scenario"))
        })
        .collect();
    expect_eq(
        "records: the state of each copy (確定 = confirmed, 取消 = cancelled)",
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "交付は業務日 {date} の記録にあり、業務日 {date} の記録にはない")]
async fn dated_records(world: &mut KofuWorld, on: Date, not_on: Date) {
    let (on, not_on) = (on.0, not_on.0);
    let issuance = last(world);
    let reception = world.reception_time();
    let ours = |records: Vec<IssuanceRecord>| -> Vec<IssuanceRecord> {
        records
            .into_iter()
            .filter(|r| r.request_id == issuance.request_id)
            .collect()
    };
    let found = ours(records_of_day(world, on).await);
    let elsewhere = ours(records_of_day(world, not_on).await);
    expect_eq(
        &format!(
            "records: an issuance received at {} belongs to business date {on} (the JST date) and to no other",
            reception.to_rfc3339()
        ),
        &(vec![on], Vec::<chrono::NaiveDate>::new()),
        &(
            found.iter().map(|r| r.business_date).collect(),
            elsewhere.iter().map(|r| r.business_date).collect(),
        ),
        &world.evidence_dir,
    );
}

#[then(expr = "候補サーバの記録では {int} 通が確定、{int} 通が取消である")]
async fn record_states(world: &mut KofuWorld, confirmed: usize, cancelled: usize) {
    let Some(issued) = world
        .kiosk
        .session
        .as_ref()
        .and_then(|s| s.issued().cloned())
    else {
        fail(
            "terminal: nothing was issued in this session",
            format!("last refusal: {:?}", world.kiosk.refused),
            &world.evidence_dir,
        );
    };
    let day = kofu_profile::time::jst_date(&issued.reception.reception_time);
    let reply = world
        .candidate()
        .records(&issued.issuance.municipality, day, day)
        .await;
    let states = match reply {
        Ok(Reply::Ok { value, .. }) => value
            .records
            .into_iter()
            .find(|r| r.request_id == issued.transaction_id)
            .map(|r| r.copy_states),
        other => fail(
            "records: the candidate must answer its records",
            format!("{other:?}"),
            &world.evidence_dir,
        ),
    };
    let count = |want: kofu_profile::outcome::CopyState| {
        states
            .as_ref()
            .map(|s| s.iter().filter(|c| **c == want).count())
    };
    expect_eq(
        "records: copies 確定 and 取消 as the terminal reported them",
        &(Some(confirmed), Some(cancelled)),
        &(
            count(kofu_profile::outcome::CopyState::Confirmed),
            count(kofu_profile::outcome::CopyState::Cancelled),
        ),
        &world.evidence_dir,
    );
}

#[then(expr = "この端末からの請求は候補サーバに届かず、手数料もかからない")]
async fn nothing_reached_candidate(world: &mut KofuWorld) {
    let terminal_id = world.terminal_id().terminal;
    let date = world
        .reception_time()
        .with_timezone(&kofu_mock_center::hours::jst())
        .date_naive();
    let codes: Vec<String> = world
        .rig()
        .candidate
        .municipalities
        .iter()
        .map(|m| m.code.clone())
        .collect();
    let client = world.candidate();
    let mut found = Vec::new();
    for code in codes {
        match client.records(&code, date, date).await {
            Ok(kofu_mock_center::client::Reply::Ok { value, .. }) => {
                for r in value.records {
                    if r.terminal_id == terminal_id {
                        found.push(format!(
                            "{} {} copies {} fee_confirmed {}",
                            code,
                            r.certificate.code(),
                            r.copies,
                            r.fee_confirmed
                        ));
                    }
                }
            }
            other => fail(
                "records: the candidate must answer its records",
                format!("{code}: {other:?}"),
                &world.evidence_dir,
            ),
        }
    }
    expect_eq(
        &format!(
            "records of terminal {terminal_id} on {date}: nothing reached the candidate, nothing charged"
        ),
        &Vec::<String>::new(),
        &found,
        &world.evidence_dir,
    );
}
