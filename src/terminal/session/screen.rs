//! What the kiosk session shows and how it ends: the screens, the endings, the refused
//! actions, the resident's pick from the menus and the receipt.

use std::time::Duration;

use kofu_profile::{CertificateType, IssuanceOptions};

use crate::terminal::center_link::KioskError;
use crate::terminal::printer::CopyPrint;

/// PIN attempts before the card locks.
pub const PIN_ATTEMPTS: u8 = 3;
/// How long the fee screen waits for payment before the terminal gives up.
pub const PAYMENT_TIMEOUT: Duration = Duration::from_secs(120);

/// What the terminal's screen is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// 暗証番号入力: the card is on the terminal; the PIN is asked.
    PinEntry {
        /// Attempts left before the card locks.
        attempts_left: u8,
    },
    /// 証明書選択: the menus are shown.
    Menu,
    /// 料金表示: the center issued; the fee is shown and payment awaited.
    FeeShown {
        /// Yen to pay.
        due: u32,
    },
    /// 支払済: paid; printing can start.
    Paid {
        /// Yen paid.
        paid: u32,
    },
    /// The session is over.
    Ended(Ending),
}

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Every copy printed.
    Printed,
    /// The printer failed on copy `copy`; it and later copies were cancelled and refunded.
    PrintFailed {
        /// The copy that failed.
        copy: u8,
        /// What went wrong.
        fault: CopyPrint,
    },
    /// The resident cancelled on the fee screen: every copy 取消.
    CancelledBeforePayment,
    /// The resident did not pay within [`PAYMENT_TIMEOUT`]: every copy 取消.
    TimedOut,
    /// The resident left the menu without choosing.
    Left,
    /// Three wrong PINs: the card is locked.
    CardLocked,
    /// The center refused the card (code of the refusal).
    CardRefused(String),
    /// The center could not serve (code).
    Unavailable(String),
}

/// A refused action; the screen stays where it was unless said otherwise.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SessionError {
    /// The action does not exist on the current screen.
    #[error("`{action}` is not possible on screen {screen:?}")]
    WrongScreen {
        /// The action.
        action: &'static str,
        /// The screen.
        screen: Screen,
    },
    /// More copies than the operator or the menu allows.
    #[error("{asked} copies asked; at most {max} in one transaction")]
    TooManyCopies {
        /// Asked.
        asked: u8,
        /// Allowed.
        max: u8,
    },
    /// The type is not on any menu.
    #[error("{0} is not on the menu")]
    NotOffered(String),
    /// Less money than the fee.
    #[error("{paid} yen inserted, {due} yen due")]
    InsufficientPayment {
        /// Due.
        due: u32,
        /// Inserted.
        paid: u32,
    },
    /// The center or the card refused.
    #[error(transparent)]
    Kiosk(#[from] KioskError),
    /// The issuance is not what was asked (type or copies): nothing is printed, every
    /// copy is reported 取消.
    #[error("the issuance is not what was asked: {0}")]
    UnexpectedIssuance(String),
}

/// What the resident picks from the menus: the municipality, the type, its options and
/// the copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuPick {
    /// The municipality to ask; `None`: the first menu offering the type.
    pub municipality: Option<String>,
    /// The type.
    pub certificate: CertificateType,
    /// Options.
    pub options: IssuanceOptions,
    /// Copies.
    pub copies: u8,
}

/// The slip the terminal prints (レシート).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Receipt {
    /// 事業者コード.
    pub operator_code: String,
    /// Store id.
    pub store_id: String,
    /// Terminal id.
    pub terminal_id: String,
    /// The center's transaction id.
    pub transaction_id: uuid::Uuid,
    /// The certificate's title.
    pub certificate: String,
    /// Copies printed.
    pub printed: u8,
    /// 交付手数料 per copy.
    pub fee_per_copy: u32,
    /// Paid.
    pub paid: u32,
    /// Refunded for copies not printed.
    pub refunded: u32,
}
