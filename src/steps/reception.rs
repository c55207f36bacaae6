//! Steps that set the scene: the reception clock, the card, the municipality, the
//! terminal.

use cucumber::given;

use super::params::{DateTime3339, OperatorCode};
use crate::terminal::TerminalId;
use crate::world::KofuWorld;

#[given(expr = "受付日時は {datetime} である")]
fn reception_time(world: &mut KofuWorld, time: DateTime3339) {
    world.scene.now = Some(time.0);
}

#[given(expr = "カード {string} を置く")]
fn place_card(world: &mut KofuWorld, id: String) {
    let card = world
        .rig()
        .fixtures
        .card(&id)
        .unwrap_or_else(|| panic!("no fixture card `{id}` (see `kofu terminal --list-cards`)"))
        .clone();
    world.scene.card = Some(card);
}

#[given(expr = "対象の市区町村は {string} である")]
fn municipality(world: &mut KofuWorld, code: String) {
    world.scene.municipality = Some(code);
}

#[given(expr = "事業者 {operator} の店舗 {string} の端末 {string} を使う")]
fn use_terminal(world: &mut KofuWorld, operator: OperatorCode, store: String, terminal: String) {
    world.scene.terminal = Some(TerminalId {
        operator: operator.0,
        store,
        terminal,
    });
}
