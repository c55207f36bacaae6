//! キオスク端末 steps: the resident's session as a state machine (card, PIN, menu,
//! fee, payment, printing copy by copy), its screens, receipt and sales journal. What
//! the candidate recorded of it is checked by [`super::settlement`].

use std::time::Duration;

use cucumber::{given, then, when};

use super::options;
use super::params::Certificate;
use crate::checks::{expect_eq, fail};
use crate::terminal::TerminalProfile;
use crate::terminal::printer::Printer;
use crate::terminal::session::{KioskSession, MenuPick, Screen, SessionError};
use crate::world::KofuWorld;

fn session_mut(world: &mut KofuWorld) -> &mut KioskSession {
    if world.kiosk.session.is_none() {
        fail(
            "terminal: no card was placed on the terminal",
            "place the card first (端末にカードを置き…)",
            &world.evidence_dir,
        );
    }
    world
        .kiosk
        .session
        .as_mut()
        .unwrap_or_else(|| unreachable!("checked above"))
}

async fn place_and_enter(world: &mut KofuWorld, pin: Option<String>) {
    let rig = world.rig().clone();
    let fixture = world
        .scene
        .card
        .clone()
        .unwrap_or_else(|| panic!("no card was chosen (カード … を置く)"));
    if world.kiosk.session.is_none() {
        let profile = TerminalProfile::find(&rig.fixtures, &world.terminal_id());
        match KioskSession::place_card(
            world.center_link(),
            profile,
            world.kiosk.journal.clone(),
            world.reception_time(),
        )
        .await
        {
            Ok(s) => world.kiosk.session = Some(s),
            Err(e) => fail(
                "terminal: the center must open a session",
                e.to_string(),
                &world.evidence_dir,
            ),
        }
    }
    let card = rig
        .center
        .jpki
        .card(&fixture.id)
        .unwrap_or_else(|| panic!("the test JPKI has no card {}", fixture.id));
    let pin = pin.unwrap_or(fixture.pin);
    let result = session_mut(world).enter_pin(card, &pin).await;
    world.kiosk.refused = result.err();
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
    world.kiosk.printer = Printer::jamming_on(copy);
}

#[given(expr = "プリンタの用紙は残り {int} 枚である")]
fn printer_sheets(world: &mut KofuWorld, sheets: u32) {
    world.kiosk.printer = Printer::with_sheets(sheets);
}

#[when(expr = "端末で {certificate} を {int} 通選ぶ")]
async fn choose(world: &mut KofuWorld, certificate: Certificate, copies: u8) {
    let certificate = certificate.0;
    let mut options = world.choice.options.clone();
    if options.scope.is_none() {
        options.scope = options::default_scope(certificate);
    }
    let pick = MenuPick {
        municipality: None,
        certificate,
        options,
        copies,
    };
    let result = session_mut(world).choose(&pick).await;
    world.kiosk.refused = result.err();
}

#[when(expr = "料金を支払う")]
fn pay_exact(world: &mut KofuWorld) {
    let session = session_mut(world);
    let due = match session.screen() {
        Screen::FeeShown { due } => *due,
        _ => 0,
    };
    let result = session.pay(due);
    world.kiosk.refused = result.err();
}

#[when(expr = "{int} 円を入れる")]
fn pay(world: &mut KofuWorld, yen: u32) {
    let result = session_mut(world).pay(yen);
    world.kiosk.refused = result.err();
}

#[when(expr = "印刷する")]
async fn print(world: &mut KofuWorld) {
    let mut printer = std::mem::take(&mut world.kiosk.printer);
    let result = session_mut(world).print(&mut printer).await;
    world.kiosk.printer = printer;
    world.kiosk.refused = result.err();
}

#[when(expr = "支払いの前に取り消す")]
async fn cancel(world: &mut KofuWorld) {
    let result = session_mut(world).cancel().await;
    world.kiosk.refused = result.err();
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
        .kiosk
        .session
        .as_ref()
        .map(|s| screen_name(s.screen()))
        .unwrap_or_else(|| "<no session>".to_owned());
    expect_eq(
        &format!(
            "terminal: the screen after the resident's action (last refusal: {:?})",
            world.kiosk.refused
        ),
        &expected,
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "端末の表示は {string} を含む")]
fn message_contains(world: &mut KofuWorld, text: String) {
    let message = world
        .kiosk
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
    let actual = match &world.kiosk.refused {
        Some(SessionError::TooManyCopies { max, .. }) => Some(*max),
        _ => None,
    };
    expect_eq(
        &format!(
            "terminal: the operator's copy limit (last refusal: {:?})",
            world.kiosk.refused
        ),
        &Some(max),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "受付は {int} 円足りないと断られる")]
fn short_payment(world: &mut KofuWorld, short: u32) {
    let actual = match &world.kiosk.refused {
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
        .kiosk
        .session
        .as_ref()
        .and_then(|s| s.receipt())
        .map(|r| (r.printed, r.paid, r.refunded));
    expect_eq(
        &format!(
            "terminal: the receipt (printed copies, paid, refunded) (last refusal: {:?})",
            world.kiosk.refused
        ),
        &Some((printed, paid, refunded)),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "売上ジャーナルは {int} 件で、売上は {int} 円である")]
fn journal_totals(world: &mut KofuWorld, lines: usize, sales: u32) {
    let entries = world.kiosk.journal.entries();
    let total: u32 = entries.iter().map(|e| e.sales()).sum();
    expect_eq(
        "terminal: sales journal lines and the yen kept (paid - refunded)",
        &(lines, sales),
        &(entries.len(), total),
        &world.evidence_dir,
    );
}

#[when(expr = "端末からカードを取る")]
async fn take_card(world: &mut KofuWorld) {
    if let Some(session) = world.kiosk.session.take() {
        session.close().await;
    }
    world.kiosk.refused = None;
}
