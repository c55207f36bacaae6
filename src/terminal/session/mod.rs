//! The kiosk session as a state machine (キオスク端末の画面遷移):
//!
//! ```text
//! place card ─> PIN entry ──(3 wrong PINs)──> ended: card locked
//!                  │ right PIN, center accepts the card      (center refuses) ─> ended
//!                  v
//!                menu ──(choose type / options / copies; center issues)──> fee shown
//!                  │ leave                                   │ pay      │ cancel / payment timeout
//!                  v                                         v          v
//!                ended                                     paid      ended: every copy 取消
//!                                                            │ print copy by copy
//!                                                            v
//!                          ended: printed, or print failed on copy k (k..n 取消, refunded)
//! ```
//!
//! Every issuance the center made ends with exactly one outcome report (確定 or 取消 for
//! each copy) and one line in the sales journal. Time comes from the scenario's clock:
//! the session's reception time, and elapsed time told by [`KioskSession::idle`].
//! Nothing here sleeps.
//!
//! Longer than 400 lines because the transitions of one state machine belong together;
//! its screens, endings and errors are in `screen.rs`.

use std::sync::Arc;
use std::time::Duration;

use kofu_mock_center::center::api::{IssueRequest, Issued, OpenSession, SessionOpened};
use kofu_mock_center::jpki::{Card, CardError};
use kofu_profile::menu::Menu;
use kofu_profile::outcome::{CopyOutcome, Outcome};

use super::TerminalProfile;
use super::center_link::{CenterLink, KioskError};
use super::journal::{Journal, JournalEntry, SaleEnding};
use super::printer::{CopyPrint, Printer};

mod screen;

pub use screen::{Ending, MenuPick, PAYMENT_TIMEOUT, PIN_ATTEMPTS, Receipt, Screen, SessionError};

/// One resident's session at one terminal.
#[derive(Debug)]
pub struct KioskSession {
    link: CenterLink,
    terminal: TerminalProfile,
    journal: Arc<Journal>,
    session: SessionOpened,
    screen: Screen,
    message: Option<String>,
    menus: Vec<Menu>,
    issued: Option<Issued>,
    receipt: Option<Receipt>,
    report_error: Option<KioskError>,
}

impl KioskSession {
    /// The resident places a card: the terminal opens a session with the center at the
    /// scenario's reception time `at`.
    pub async fn place_card(
        link: CenterLink,
        terminal: TerminalProfile,
        journal: Arc<Journal>,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Self, KioskError> {
        let session = link
            .open(&OpenSession {
                operator_code: terminal.id.operator.clone(),
                store_id: terminal.id.store.clone(),
                terminal_id: terminal.id.terminal.clone(),
                reception_time: Some(at),
            })
            .await?;
        Ok(Self {
            link,
            terminal,
            journal,
            session,
            screen: Screen::PinEntry {
                attempts_left: PIN_ATTEMPTS,
            },
            message: None,
            menus: Vec::new(),
            issued: None,
            receipt: None,
            report_error: None,
        })
    }

    /// The current screen.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The last message on the screen (a refusal, a PIN warning, a print fault).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The menus shown.
    pub fn menus(&self) -> &[Menu] {
        &self.menus
    }

    /// What the center issued in this session.
    pub fn issued(&self) -> Option<&Issued> {
        self.issued.as_ref()
    }

    /// The receipt, once printing ended.
    pub fn receipt(&self) -> Option<&Receipt> {
        self.receipt.as_ref()
    }

    /// The error of the outcome report, when the center did not take it.
    pub fn report_error(&self) -> Option<&KioskError> {
        self.report_error.as_ref()
    }

    /// The terminal.
    pub fn terminal(&self) -> &TerminalProfile {
        &self.terminal
    }

    fn wrong(&self, action: &'static str) -> SessionError {
        SessionError::WrongScreen {
            action,
            screen: self.screen.clone(),
        }
    }

    /// The resident enters `pin`; the card signs the center's challenge and the center
    /// checks the card. A right PIN and an accepted card lead to the menu.
    pub async fn enter_pin(&mut self, card: &Card, pin: &str) -> Result<(), SessionError> {
        let Screen::PinEntry { attempts_left } = self.screen else {
            return Err(self.wrong("enter PIN"));
        };
        match self.link.read_card(&self.session, card, pin, false).await {
            Ok(_) => {}
            Err(e @ KioskError::Card(CardError::WrongPin { remaining })) => {
                self.message = Some(e.screen());
                self.screen = Screen::PinEntry {
                    attempts_left: remaining.min(attempts_left.saturating_sub(1)),
                };
                return Err(e.into());
            }
            Err(e @ KioskError::Card(CardError::Locked)) => {
                self.end_with(Ending::CardLocked, &e);
                return Err(e.into());
            }
            Err(e @ (KioskError::Card(_) | KioskError::Refused { .. })) => {
                self.end_with(Ending::CardRefused(e.code()), &e);
                return Err(e.into());
            }
            Err(e @ KioskError::Transport(_)) => {
                self.end_with(Ending::Unavailable(e.code()), &e);
                return Err(e.into());
            }
        }
        match self.link.menus(&self.session).await {
            Ok(answer) => {
                self.menus = answer.menus;
                self.message = None;
                self.screen = Screen::Menu;
                Ok(())
            }
            Err(e) => {
                self.end_with(Ending::Unavailable(e.code()), &e);
                Err(e.into())
            }
        }
    }

    fn end_with(&mut self, ending: Ending, error: &KioskError) {
        self.message = Some(error.screen());
        self.screen = Screen::Ended(ending);
    }

    /// The resident chooses; the terminal checks the operator's copy limit and the menu,
    /// then the center requests the issuance and the fee is shown. A refusal keeps the
    /// menu on screen with the refusal's text.
    pub async fn choose(&mut self, pick: &MenuPick) -> Result<u32, SessionError> {
        if self.screen != Screen::Menu {
            return Err(self.wrong("choose"));
        }
        let item = self
            .menus
            .iter()
            .flat_map(|m| m.items.iter().map(move |i| (m, i)))
            .find(|(m, i)| {
                i.certificate == pick.certificate
                    && pick
                        .municipality
                        .as_ref()
                        .is_none_or(|code| *code == m.municipality)
            });
        let Some((menu, item)) = item else {
            return Err(SessionError::NotOffered(
                pick.certificate.title().to_owned(),
            ));
        };
        let max = self.terminal.max_copies.min(item.max_copies);
        if pick.copies == 0 || pick.copies > max {
            return Err(SessionError::TooManyCopies {
                asked: pick.copies,
                max,
            });
        }
        let req = IssueRequest {
            municipality: Some(menu.municipality.clone()),
            certificate: pick.certificate,
            options: pick.options.clone(),
            copies: pick.copies,
        };
        match self.link.issue(&self.session, &req).await {
            Ok(issued)
                if issued.issuance.certificate != pick.certificate
                    || issued.issuance.copies != pick.copies =>
            {
                let what = format!(
                    "asked {} x{}, issued {} x{}",
                    pick.certificate.code(),
                    pick.copies,
                    issued.issuance.certificate.code(),
                    issued.issuance.copies
                );
                let outcomes = vec![Outcome::Cancelled; usize::from(issued.issuance.copies)];
                self.report(&issued, &outcomes).await;
                self.issued = Some(issued);
                self.message = Some(kofu_mock_center::center::UNAVAILABLE_MESSAGE.to_owned());
                self.screen = Screen::Ended(Ending::Unavailable("unexpected-issuance".to_owned()));
                Err(SessionError::UnexpectedIssuance(what))
            }
            Ok(issued) => {
                let due = issued
                    .issuance
                    .fee_per_copy
                    .saturating_mul(u32::from(issued.issuance.copies));
                self.issued = Some(issued);
                self.message = None;
                self.screen = Screen::FeeShown { due };
                Ok(due)
            }
            Err(e) => {
                self.message = Some(e.screen());
                Err(e.into())
            }
        }
    }

    /// The resident pays `inserted` yen; returns the change.
    pub fn pay(&mut self, inserted: u32) -> Result<u32, SessionError> {
        let Screen::FeeShown { due } = self.screen else {
            return Err(self.wrong("pay"));
        };
        if inserted < due {
            return Err(SessionError::InsufficientPayment {
                due,
                paid: inserted,
            });
        }
        self.screen = Screen::Paid { paid: due };
        Ok(inserted - due)
    }

    /// The resident presses 取消 on the fee screen (every copy is cancelled), or leaves
    /// the menu.
    pub async fn cancel(&mut self) -> Result<(), SessionError> {
        match self.screen {
            Screen::FeeShown { .. } => {
                self.abandon(SaleEnding::CancelledBeforePayment).await;
                self.screen = Screen::Ended(Ending::CancelledBeforePayment);
                Ok(())
            }
            Screen::Menu | Screen::PinEntry { .. } => {
                self.screen = Screen::Ended(Ending::Left);
                Ok(())
            }
            _ => Err(self.wrong("cancel")),
        }
    }

    /// `elapsed` passes without the resident doing anything. On the fee screen, after
    /// [`PAYMENT_TIMEOUT`] the terminal cancels every copy. Returns whether it timed out.
    pub async fn idle(&mut self, elapsed: Duration) -> bool {
        if !matches!(self.screen, Screen::FeeShown { .. }) || elapsed < PAYMENT_TIMEOUT {
            return false;
        }
        self.abandon(SaleEnding::TimedOut).await;
        self.screen = Screen::Ended(Ending::TimedOut);
        self.message = Some("一定時間操作がなかったため、取り消しました。".to_owned());
        true
    }

    async fn abandon(&mut self, ending: SaleEnding) {
        let Some(issued) = self.issued.clone() else {
            return;
        };
        let outcomes = vec![Outcome::Cancelled; usize::from(issued.issuance.copies)];
        self.report(&issued, &outcomes).await;
        self.journal_line(&issued, 0, 0, 0, ending);
    }

    /// Print copy by copy. The first failing copy stops the printer; it and every later
    /// copy are 取消 and refunded. Returns the receipt.
    pub async fn print(&mut self, printer: &mut Printer) -> Result<Receipt, SessionError> {
        let Screen::Paid { paid } = self.screen else {
            return Err(self.wrong("print"));
        };
        let Some(issued) = self.issued.clone() else {
            return Err(self.wrong("print"));
        };
        let copies = issued.issuance.copies;
        let document = &issued.issuance.document;
        // The terminal prints only the document whose hash the candidate declared.
        let pdf = verified_pdf(document);
        let mut outcomes = Vec::with_capacity(usize::from(copies));
        let mut failure = pdf.is_none().then_some((1, CopyPrint::DocumentRejected));
        let job = super::printer::PrintJob {
            name: &issued.issuance.certificate_number,
            pages: document.page_count,
            pdf: pdf.as_deref().unwrap_or_default(),
        };
        for copy in 1..=copies {
            if failure.is_none() {
                match printer.print(copy, &job) {
                    CopyPrint::Printed => {
                        outcomes.push(Outcome::Confirmed);
                        continue;
                    }
                    fault => failure = Some((copy, fault)),
                }
            }
            outcomes.push(Outcome::Cancelled);
        }
        self.report(&issued, &outcomes).await;
        let printed = u8::try_from(
            outcomes
                .iter()
                .filter(|o| **o == Outcome::Confirmed)
                .count(),
        )
        .unwrap_or(u8::MAX);
        let fee = issued.issuance.fee_per_copy;
        let refunded = fee.saturating_mul(u32::from(copies - printed));
        let ending = match failure {
            None => {
                self.screen = Screen::Ended(Ending::Printed);
                SaleEnding::Printed
            }
            Some((copy, fault)) => {
                self.message = Some(format!(
                    "{}のため、{copy}通目以降を印刷できませんでした。{refunded}円を返金します。",
                    match fault {
                        CopyPrint::OutOfPaper => "用紙切れ",
                        CopyPrint::DocumentRejected => "証明書のデータを確認できなかった",
                        CopyPrint::DeviceError => "プリンタの故障",
                        _ => "紙詰まり",
                    }
                ));
                self.screen = Screen::Ended(Ending::PrintFailed { copy, fault });
                SaleEnding::PrintFailed
            }
        };
        self.journal_line(&issued, printed, paid, refunded, ending);
        let receipt = Receipt {
            operator_code: self.terminal.id.operator.clone(),
            store_id: self.terminal.id.store.clone(),
            terminal_id: self.terminal.id.terminal.clone(),
            transaction_id: issued.transaction_id,
            certificate: issued.issuance.certificate.title().to_owned(),
            printed,
            fee_per_copy: fee,
            paid,
            refunded,
        };
        self.receipt = Some(receipt.clone());
        Ok(receipt)
    }

    async fn report(&mut self, issued: &Issued, outcomes: &[Outcome]) {
        let report = kofu_mock_center::center::api::PrintReport {
            copies: outcomes
                .iter()
                .zip(1u8..)
                .map(|(outcome, copy)| CopyOutcome {
                    copy,
                    outcome: *outcome,
                })
                .collect(),
        };
        if let Err(e) = self.link.report(&self.session, issued, &report).await {
            tracing::warn!(error = %e, transaction = %issued.transaction_id, "outcome report refused");
            self.report_error = Some(e);
        }
    }

    fn journal_line(
        &self,
        issued: &Issued,
        printed: u8,
        paid: u32,
        refunded: u32,
        ending: SaleEnding,
    ) {
        let reception_time = self.session.reception_time;
        self.journal.record(JournalEntry {
            operator_code: self.terminal.id.operator.clone(),
            store_id: self.terminal.id.store.clone(),
            terminal_id: self.terminal.id.terminal.clone(),
            transaction_id: issued.transaction_id,
            reception_time,
            business_date: kofu_profile::time::jst_date(&reception_time),
            municipality: issued.issuance.municipality.clone(),
            certificate: issued.issuance.certificate.code().to_owned(),
            copies: issued.issuance.copies,
            fee_per_copy: issued.issuance.fee_per_copy,
            printed,
            paid,
            refunded,
            ending,
        });
    }

    /// The resident takes the card: the session is closed at the center.
    pub async fn close(self) {
        self.link.close(&self.session).await;
    }
}

/// The PDF of `document`, when it decodes and its SHA-256 is the declared one.
fn verified_pdf(document: &kofu_profile::issuance::Document) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(document.pdf_base64.as_bytes())
        .ok()?;
    let hash = hex::encode(sha2::Sha256::digest(&bytes));
    (hash.eq_ignore_ascii_case(&document.sha256) && bytes.starts_with(b"%PDF-")).then_some(bytes)
}
