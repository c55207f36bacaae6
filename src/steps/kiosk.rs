//! キオスク端末 steps: the resident's session as a state machine (card, PIN, menu,
//! fee, payment, printing copy by copy), its receipt and sales journal, and the
//! three-way reconciliation of the scenario's transactions.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::NaiveDate;
use cucumber::{given, then, when};
use kofu_mock_center::client::Reply;
use kofu_profile::{CertificateType, Scope};

use super::center::rig;
use crate::checks::settlement::{self, Ledgers, Reconciliation};
use crate::checks::{expect_eq, fail};
use crate::terminal::printer::Printer;
use crate::terminal::session::{KioskSession, Screen, Selection, SessionError, TerminalProfile};
use crate::world::KofuWorld;

/// The three ledgers for the JST business dates `from..=to`. With `only`, the
/// transactions outside that set are left out of every ledger (a scenario sharing the
/// day with others). Without it, every transaction of this run on those dates counts:
/// the journal's and the center's (its ledger is the run's own), so a record the
/// candidate kept from an earlier run never counts, while one the candidate made up or
/// lost in this run does.
pub async fn gather_ledgers(
    world: &KofuWorld,
    journal: &[crate::terminal::journal::JournalEntry],
    from: NaiveDate,
    to: NaiveDate,
    only: Option<&BTreeSet<String>>,
) -> Ledgers {
    let rig = rig(world).await;
    let center = match rig.center.state.transactions(from, to) {
        Ok(t) => t,
        Err(e) => panic!("the center's ledger failed: {}", super::error_chain(&e)),
    };
    let run_ids: BTreeSet<String> = journal
        .iter()
        .map(|e| e.transaction_id.to_string())
        .chain(center.iter().map(|t| t.request_id.clone()))
        .collect();
    let only = only.unwrap_or(&run_ids);
    let keep = |id: &String| only.contains(id);
    let client = world.center();
    let mut records = Vec::new();
    let codes: Vec<String> = world
        .ctx()
        .candidate
        .municipalities
        .iter()
        .map(|m| m.code.clone())
        .collect();
    for code in codes {
        match client.records(&code, from, to).await {
            Ok(Reply::Ok { value, .. }) => records.extend(value.records),
            other => fail(
                "settlement: the candidate must answer its issuance records",
                format!("{code} {from}..{to}: {other:?}"),
                &world.evidence_dir,
            ),
        }
    }
    records.retain(|r| keep(&r.request_id.to_string()));
    let (candidate, record_differences) = settlement::from_records(&records);
    let mut journal = settlement::from_journal(journal);
    journal.retain(|id, _| keep(id));
    let mut center = settlement::from_ledger(&center);
    center.retain(|id, _| keep(id));
    Ledgers {
        journal,
        center,
        candidate,
        record_differences,
    }
}

/// Fail with the difference report when the ledgers disagree.
pub fn expect_reconciled(world: &KofuWorld, r: &Reconciliation, report: &std::path::Path) {
    if !r.differences.is_empty() {
        fail(
            &format!(
                "settlement: the sales journal, the center ledger and the candidate's records must agree to the yen ({} differences over {} transactions; report {})",
                r.differences.len(),
                r.transactions,
                report.display()
            ),
            settlement::render_differences(&r.differences, 25),
            &world.evidence_dir,
        );
    }
}

fn session_mut(world: &mut KofuWorld) -> &mut KioskSession {
    if world.session.is_none() {
        fail(
            "terminal: no card was placed on the terminal",
            "place the card first (端末にカードを置き…)",
            &world.evidence_dir,
        );
    }
    world
        .session
        .as_mut()
        .unwrap_or_else(|| unreachable!("checked above"))
}

async fn place_and_enter(world: &mut KofuWorld, pin: Option<String>) {
    let rig = rig(world).await;
    let fixture = world
        .card
        .clone()
        .unwrap_or_else(|| panic!("no card was chosen (カード … を置く)"));
    if world.session.is_none() {
        let (op, store, terminal) = crate::terminal::terminal_identity(world);
        let profile = TerminalProfile::find(&world.ctx().fixtures, &op, &store, &terminal);
        match KioskSession::place_card(
            rig.kiosk.clone(),
            profile,
            world.journal.clone(),
            world.reception_time(),
        )
        .await
        {
            Ok(s) => world.session = Some(s),
            Err(e) => fail(
                "terminal: the center must open a session",
                e.to_string(),
                &world.evidence_dir,
            ),
        }
    }
    let card = rig
        .jpki
        .card(&fixture.id)
        .unwrap_or_else(|| panic!("the test JPKI has no card {}", fixture.id));
    let pin = pin.unwrap_or(fixture.pin);
    let result = session_mut(world).enter_pin(card, &pin).await;
    world.session_error = result.err();
}

#[when(expr = "端末にカードを置き、正しい暗証番号を入力する")]
async fn enter_right_pin(world: &mut KofuWorld) {
    place_and_enter(world, None).await;
}

#[when(expr = "端末にカードを置き、暗証番号 {string} を入力する")]
async fn enter_pin(world: &mut KofuWorld, pin: String) {
    place_and_enter(world, Some(pin)).await;
}

#[given(expr = "プリンタは {int} 通目で紙詰まりする")]
fn printer_jams(world: &mut KofuWorld, copy: u8) {
    world.printer = Printer::jamming_on(copy);
}

#[given(expr = "プリンタの用紙は残り {int} 枚である")]
fn printer_sheets(world: &mut KofuWorld, sheets: u32) {
    world.printer = Printer::with_sheets(sheets);
}

#[when(expr = "端末で {string} を {int} 通選ぶ")]
async fn choose(world: &mut KofuWorld, title: String, copies: u8) {
    let certificate = super::certificate_named(&title);
    let mut options = world.options.clone();
    if options.scope.is_none()
        && matches!(
            certificate,
            CertificateType::Juminhyo | CertificateType::JuminhyoKisai
        )
    {
        options.scope = Some(Scope::Holder);
    }
    let selection = Selection {
        municipality: None,
        certificate,
        options,
        copies,
    };
    let result = session_mut(world).choose(&selection).await;
    world.session_error = result.err();
}

#[when(expr = "料金を支払う")]
fn pay_exact(world: &mut KofuWorld) {
    let session = session_mut(world);
    let due = match session.screen() {
        Screen::FeeShown { due } => *due,
        _ => 0,
    };
    let result = session.pay(due);
    world.session_error = result.err();
}

#[when(expr = "{int} 円を入れる")]
fn pay(world: &mut KofuWorld, yen: u32) {
    let result = session_mut(world).pay(yen);
    world.session_error = result.err();
}

#[when(expr = "印刷する")]
async fn print(world: &mut KofuWorld) {
    let mut printer = std::mem::take(&mut world.printer);
    let result = session_mut(world).print(&mut printer).await;
    world.printer = printer;
    world.session_error = result.err();
}

#[when(expr = "支払いの前に取り消す")]
async fn cancel(world: &mut KofuWorld) {
    let result = session_mut(world).cancel().await;
    world.session_error = result.err();
}

#[when(expr = "利用者が何もせずに {int} 秒たつ")]
async fn idle(world: &mut KofuWorld, seconds: u64) {
    session_mut(world).idle(Duration::from_secs(seconds)).await;
}

fn screen_name(screen: &Screen) -> String {
    use crate::terminal::session::Ending;
    match screen {
        Screen::PinEntry { attempts_left } => format!("暗証番号入力（残り{attempts_left}回）"),
        Screen::Menu => "証明書選択".to_owned(),
        Screen::FeeShown { due } => format!("料金表示（{due}円）"),
        Screen::Paid { paid } => format!("支払済（{paid}円）"),
        Screen::Ended(e) => match e {
            Ending::Printed => "終了（印刷完了）".to_owned(),
            Ending::PrintFailed { .. } => "終了（印刷失敗）".to_owned(),
            Ending::CancelledBeforePayment => "終了（取消）".to_owned(),
            Ending::TimedOut => "終了（時間切れ）".to_owned(),
            Ending::Left => "終了".to_owned(),
            Ending::CardLocked => "終了（カードロック）".to_owned(),
            Ending::CardRefused(code) => format!("終了（カード不可: {code}）"),
            Ending::Unavailable(code) => format!("終了（サービス停止: {code}）"),
        },
    }
}

#[then(expr = "端末の画面は {string} である")]
fn screen_is(world: &mut KofuWorld, expected: String) {
    let actual = world
        .session
        .as_ref()
        .map(|s| screen_name(s.screen()))
        .unwrap_or_else(|| "<no session>".to_owned());
    expect_eq(
        &format!(
            "terminal: the screen after the resident's action (last refusal: {:?})",
            world.session_error
        ),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "端末の表示は {string} を含む")]
fn message_contains(world: &mut KofuWorld, text: String) {
    let message = world
        .session
        .as_ref()
        .and_then(|s| s.message().map(str::to_owned))
        .unwrap_or_default();
    if !message.contains(&text) {
        fail(
            &format!("terminal: the screen must say 「{text}」"),
            format!("the screen says 「{message}」"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "端末は {int} 通を超える請求を受け付けない")]
fn too_many(world: &mut KofuWorld, max: u8) {
    let actual = match &world.session_error {
        Some(SessionError::TooManyCopies { max, .. }) => Some(*max),
        _ => None,
    };
    expect_eq(
        &format!(
            "terminal: the operator's copy limit (last refusal: {:?})",
            world.session_error
        ),
        &Some(max),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "受付は {int} 円足りないと断られる")]
fn short_payment(world: &mut KofuWorld, short: u32) {
    let actual = match &world.session_error {
        Some(SessionError::InsufficientPayment { due, paid }) => Some(due - paid),
        _ => None,
    };
    expect_eq(
        "terminal: an insufficient payment is refused and the fee screen stays",
        &Some(short),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "レシートは {int} 通印刷、{int} 円支払い、{int} 円返金である")]
fn receipt(world: &mut KofuWorld, printed: u8, paid: u32, refunded: u32) {
    let actual = world
        .session
        .as_ref()
        .and_then(|s| s.receipt())
        .map(|r| (r.printed, r.paid, r.refunded));
    expect_eq(
        &format!(
            "terminal: the receipt (printed copies, paid, refunded) (last refusal: {:?})",
            world.session_error
        ),
        &Some((printed, paid, refunded)),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "売上ジャーナルは {int} 件で、売上は {int} 円である")]
fn journal_totals(world: &mut KofuWorld, lines: usize, sales: u32) {
    let entries = world.journal.entries();
    let total: u32 = entries.iter().map(|e| e.sales()).sum();
    expect_eq(
        "terminal: sales journal lines and the yen kept (paid - refunded)",
        &(lines, sales),
        &(entries.len(), total),
        &world.evidence_dir,
    );
}

#[then(expr = "売上ジャーナル・交付センターの台帳・候補サーバの記録が一円まで一致する")]
async fn three_way(world: &mut KofuWorld) {
    let entries = world.journal.entries();
    if entries.is_empty() {
        fail(
            "settlement: nothing to reconcile: the sales journal is empty",
            format!("last refusal: {:?}", world.session_error),
            &world.evidence_dir,
        );
    }
    let ids: BTreeSet<String> = entries
        .iter()
        .map(|e| e.transaction_id.to_string())
        .collect();
    let from = entries
        .iter()
        .map(|e| e.business_date)
        .min()
        .unwrap_or_default();
    let to = entries
        .iter()
        .map(|e| e.business_date)
        .max()
        .unwrap_or_default();
    let ledgers = gather_ledgers(world, &entries, from, to, Some(&ids)).await;
    let r = settlement::reconcile(&world.ctx().fixtures, &ledgers);
    let dir = world.evidence_dir.join("settlement");
    if let Err(e) = settlement::write_report(&dir, &r, &entries) {
        tracing::warn!(error = %super::error_chain(&e), "settlement report not written");
    }
    expect_reconciled(world, &r, &dir);
}

#[then(expr = "候補サーバの記録では {int} 通が確定、{int} 通が取消である")]
async fn record_states(world: &mut KofuWorld, confirmed: usize, cancelled: usize) {
    let Some(issued) = world.session.as_ref().and_then(|s| s.issued().cloned()) else {
        fail(
            "terminal: nothing was issued in this session",
            format!("last refusal: {:?}", world.session_error),
            &world.evidence_dir,
        );
    };
    let day = kofu_profile::time::jst_date(&issued.reception.reception_time);
    let reply = world
        .center()
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

#[when(expr = "端末からカードを取る")]
async fn take_card(world: &mut KofuWorld) {
    if let Some(session) = world.session.take() {
        session.close().await;
    }
    world.session_error = None;
}

#[then(
    expr = "交付センターの月の清算書（団体コード {string}、事業者 {string}、月 {string}）は {int} 通、手数料 {int} 円、委託手数料 {int} 円である"
)]
async fn month_statement(
    world: &mut KofuWorld,
    municipality: String,
    operator: String,
    month: String,
    copies: u64,
    fees: u64,
    commission: u64,
) {
    let key = (municipality, operator, month);
    let expected = (copies, fees, commission);
    super::center::expect_statement(
        world,
        kofu_mock_center::ledger::Period::Month,
        &key,
        expected,
    )
    .await;
}
