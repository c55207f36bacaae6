//! Test cards: a 利用者証明用電子証明書 per card, with a fixed serial the candidate maps
//! to a person, a PIN and a state.

use serde::{Deserialize, Serialize};

/// `fixtures/cards/cards.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CardFile {
    pub(crate) cards: Vec<Card>,
}

/// One test card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Card id used in scenarios and the CLI, e.g. `C001`.
    pub id: String,
    /// Certificate serial number, uppercase hex.
    pub serial: String,
    /// The person (register id) the card belongs to.
    pub person: String,
    /// 4-digit PIN.
    pub pin: String,
    /// State of the card's certificate.
    pub state: CardState,
    /// The scenarios that own this card, if it is reserved: no other scenario uses it
    /// (the store-trial day's plan leaves it out), so a register change sent for its
    /// holder reaches no scenario running at the same time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_for: Option<Reservation>,
}

/// Scenarios a card is reserved for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reservation {
    /// 異動連携: the scenarios of `features/08-register-feed/`, one household each.
    RegisterFeed,
    /// 異動連携の営業日: the register feed's store-trial day.
    StoreDayFeed,
}

/// State of a card's certificate as the JPKI service sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CardState {
    /// Valid.
    Valid,
    /// 失効: revoked.
    Revoked,
    /// 期限切れ: expired.
    Expired,
    /// PIN locked after three wrong PINs.
    Locked,
    /// Issued by a CA other than the JPKI CA.
    UnknownCa,
}

impl CardState {
    /// The word used by `kofu terminal --list-cards`.
    pub fn word(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::Locked => "locked",
            Self::UnknownCa => "unknown-ca",
        }
    }
}
