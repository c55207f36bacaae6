//! Steps that set the scene: the reception clock, the card, the municipality, the
//! terminal.

use cucumber::given;

use crate::world::KofuWorld;

#[given(expr = "受付日時は {string} である")]
fn reception_time(world: &mut KofuWorld, time: String) {
    let t = chrono::DateTime::parse_from_rfc3339(&time)
        .unwrap_or_else(|e| panic!("受付日時 `{time}` is not ISO 8601 with offset: {e}"));
    world.now = Some(t);
}

#[given(expr = "カード {string} を置く")]
fn place_card(world: &mut KofuWorld, id: String) {
    let card = world
        .ctx()
        .fixtures
        .card(&id)
        .unwrap_or_else(|| panic!("no fixture card `{id}` (see `kofu terminal --list-cards`)"))
        .clone();
    world.card = Some(card);
}

#[given(expr = "対象の市区町村は {string} である")]
fn municipality(world: &mut KofuWorld, code: String) {
    world.municipality = Some(code);
}

#[given(expr = "事業者 {string} の店舗 {string} の端末 {string} を使う")]
fn use_terminal(world: &mut KofuWorld, operator: String, store: String, terminal: String) {
    world.terminal = Some((operator, store, terminal));
}
