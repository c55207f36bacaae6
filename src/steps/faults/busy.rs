//! 混雑する店舗: residents of different stores asking at the same second, through the
//! scenario's center. Every document handed to a terminal passes the run's audit (the
//! link's observer), so one resident's certificate printed for another fails the step.

use cucumber::{then, when};

use crate::checks::fail;
use crate::steps::options;
use crate::steps::params::Certificate;
use crate::terminal::printer::Printer;
use crate::terminal::session::{KioskSession, MenuPick, Receipt, Screen};
use crate::terminal::{TerminalId, TerminalProfile};
use crate::world::KofuWorld;

/// One resident's whole visit: card, PIN, one certificate, payment, printing.
async fn visit(
    world: &KofuWorld,
    terminal: &str,
    card_id: &str,
    certificate: Certificate,
) -> Result<Receipt, String> {
    let rig = world.rig().clone();
    let id: TerminalId = terminal
        .parse()
        .map_err(|e: crate::terminal::TerminalIdError| e.0)?;
    let fixture = rig
        .fixtures
        .card(card_id)
        .ok_or_else(|| format!("the fixtures have no card {card_id}"))?;
    let card = rig
        .center
        .jpki
        .card(card_id)
        .ok_or_else(|| format!("the test JPKI has no card {card_id}"))?;
    let profile = TerminalProfile::find(&rig.fixtures, &id);
    let mut session = KioskSession::place_card(
        world.center_link(),
        profile,
        world.kiosk.journal.clone(),
        world.reception_time(),
    )
    .await
    .map_err(|e| e.to_string())?;
    session
        .enter_pin(card, &fixture.pin)
        .await
        .map_err(|e| e.to_string())?;
    let pick = MenuPick {
        municipality: None,
        certificate: certificate.0,
        options: kofu_profile::IssuanceOptions {
            scope: options::default_scope(certificate.0),
            ..Default::default()
        },
        copies: 1,
    };
    let due = session.choose(&pick).await.map_err(|e| e.to_string())?;
    session.pay(due).map_err(|e| e.to_string())?;
    let receipt = session
        .print(&mut Printer::default())
        .await
        .map_err(|e| e.to_string())?;
    if !matches!(session.screen(), Screen::Ended(_)) {
        return Err(format!("the session did not end: {:?}", session.screen()));
    }
    session.close().await;
    Ok(receipt)
}

#[when(
    expr = "端末 {string} ではカード {string} の住民が、端末 {string} ではカード {string} の住民が、同じ秒に {certificate} を 1 通ずつ求めて印刷する"
)]
async fn same_second(
    world: &mut KofuWorld,
    first_terminal: String,
    first_card: String,
    second_terminal: String,
    second_card: String,
    certificate: Certificate,
) {
    let (first, second) = futures::join!(
        visit(world, &first_terminal, &first_card, certificate),
        visit(world, &second_terminal, &second_card, certificate),
    );
    world.faults.receipts = vec![
        first.map_err(|e| format!("{first_terminal} ({first_card}): {e}")),
        second.map_err(|e| format!("{second_terminal} ({second_card}): {e}")),
    ];
}

#[then(expr = "どちらの端末も本人の証明書を 1 通ずつ印刷する")]
fn both_printed(world: &mut KofuWorld) {
    super::outcomes::save_timeline(world);
    let problems: Vec<String> = world
        .faults
        .receipts
        .iter()
        .filter_map(|r| match r {
            Ok(receipt) if receipt.printed == 1 => None,
            Ok(receipt) => Some(format!(
                "{} printed {} copies",
                receipt.terminal_id, receipt.printed
            )),
            Err(e) => Some(e.clone()),
        })
        .collect();
    if world.faults.receipts.len() != 2 || !problems.is_empty() {
        fail(
            "faults: both residents must get their own certificate, one copy each",
            problems.join("\n"),
            &world.evidence_dir,
        );
    }
}
