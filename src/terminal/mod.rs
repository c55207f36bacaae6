//! The mock store terminal (キオスク端末): which operator, store and terminal a request
//! comes from, and the requests the center builds from the resident's choices.
//! The center's terminal API is spoken by [`kiosk`]; the resident's session as a state
//! machine (card, PIN, menu, fee, payment, printing) is [`session`]; the printer with its
//! faults is [`printer`]; the sales journal (売上ジャーナル) is [`journal`].

pub mod journal;
pub mod kiosk;
pub mod printer;
pub mod session;
pub mod store_day;

use kofu_profile::issuance::IssuanceRequest;
use kofu_profile::{CertificateType, IssuanceOptions, Reception};

use crate::world::KofuWorld;

/// Operator code, store id and terminal id of the scenario's terminal: the one chosen
/// by a step, else the first terminal of the first operator in the fixtures.
pub fn terminal_identity(world: &KofuWorld) -> (String, String, String) {
    if let Some(t) = &world.terminal {
        return t.clone();
    }
    let operator = world
        .ctx()
        .fixtures
        .operators
        .first()
        .unwrap_or_else(|| panic!("the fixtures define no store operator"));
    let store = operator
        .stores
        .first()
        .unwrap_or_else(|| panic!("operator {} has no store", operator.code));
    let terminal = store
        .terminals
        .first()
        .unwrap_or_else(|| panic!("store {} has no terminal", store.id));
    (operator.code.clone(), store.id.clone(), terminal.clone())
}

/// The center's stamp for a new request: a fresh request id and the scenario's clock.
pub fn reception(world: &KofuWorld) -> Reception {
    let (operator_code, store_id, terminal_id) = terminal_identity(world);
    Reception {
        request_id: uuid::Uuid::new_v4(),
        reception_time: world.reception_time(),
        operator_code,
        store_id,
        terminal_id,
    }
}

/// An issuance request for the placed card.
pub fn issuance_request(
    world: &KofuWorld,
    certificate: CertificateType,
    options: IssuanceOptions,
    copies: u8,
) -> IssuanceRequest {
    let card = world
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed on the terminal (カード … を置く)"));
    IssuanceRequest {
        reception: reception(world),
        card_serial: card.serial.clone(),
        certificate,
        options,
        copies,
    }
}
