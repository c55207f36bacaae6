//! 実店舗試験の営業日, run: every terminal's queue at once, each visit driven through
//! a [`KioskSession`], and what the day came to ([`DayTally`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kofu_fixtures::Fixtures;
use kofu_mock_center::jpki::TestJpki;
use kofu_profile::IssuanceOptions;
use kofu_profile::Scope;
use kofu_profile::menu::{Menu, MenuItem};
use serde::Serialize;

use super::plan::{Behaviour, DayPlan, Visit};
use super::timing::{Operation, Timing};
use crate::terminal::TerminalProfile;
use crate::terminal::center_link::CenterLink;
use crate::terminal::journal::Journal;
use crate::terminal::printer::Printer;
use crate::terminal::session::{
    Ending, KioskSession, MenuPick, PAYMENT_TIMEOUT, Screen, SessionError,
};

/// What the day came to, counted by the terminals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DayTally {
    /// Residents who placed a card.
    pub visits: usize,
    /// Issuances the center handed to a terminal.
    pub issued: usize,
    /// Copies printed and handed out.
    pub printed_copies: u64,
    /// Cards the center or the chip refused.
    pub cards_refused: usize,
    /// Residents with nothing on their menu (a restriction of the candidate).
    pub nothing_offered: usize,
    /// Sessions ended by a print fault.
    pub print_failures: usize,
    /// Cancelled on the fee screen.
    pub cancelled_before_payment: usize,
    /// Walked away from the fee screen.
    pub timed_out: usize,
    /// Issued copies per certificate type code.
    pub issued_by_type: BTreeMap<String, u64>,
    /// Issuances per operator.
    pub issued_by_operator: BTreeMap<String, u64>,
    /// Visits that went wrong in a way a conformant candidate never causes: a refusal
    /// of an item its own menu offered, an unanswered call, an unreported outcome.
    pub anomalies: Vec<String>,
}

impl DayTally {
    /// Add `other`'s counts to these (the day run in parts).
    pub fn merge(&mut self, other: Self) {
        self.visits += other.visits;
        self.issued += other.issued;
        self.printed_copies += other.printed_copies;
        self.cards_refused += other.cards_refused;
        self.nothing_offered += other.nothing_offered;
        self.print_failures += other.print_failures;
        self.cancelled_before_payment += other.cancelled_before_payment;
        self.timed_out += other.timed_out;
        for (k, v) in other.issued_by_type {
            *self.issued_by_type.entry(k).or_default() += v;
        }
        for (k, v) in other.issued_by_operator {
            *self.issued_by_operator.entry(k).or_default() += v;
        }
        self.anomalies.extend(other.anomalies);
    }

    /// The types issued.
    pub fn types(&self) -> BTreeSet<String> {
        self.issued_by_type.keys().cloned().collect()
    }
}

/// Run the day: every terminal's queue at once, each queue in order.
pub async fn run(
    plan: &DayPlan,
    link: &CenterLink,
    jpki: &TestJpki,
    fixtures: &Fixtures,
    journal: &Arc<Journal>,
) -> DayTally {
    run_timed(plan, link, jpki, fixtures, journal, None).await
}

/// [`run`], timing every operation into `timing` when given (the load phase).
pub async fn run_timed(
    plan: &DayPlan,
    link: &CenterLink,
    jpki: &TestJpki,
    fixtures: &Fixtures,
    journal: &Arc<Journal>,
    timing: Option<&Timing>,
) -> DayTally {
    let queues = plan.queues.iter().map(|q| async move {
        let mut tally = DayTally::default();
        for visit in &q.visits {
            let at = Visitor {
                terminal: &q.terminal,
                link,
                jpki,
                fixtures,
                journal,
                timing,
            };
            serve(visit, &at, &mut tally).await;
        }
        tally
    });
    let mut total = DayTally::default();
    for t in futures::future::join_all(queues).await {
        total.merge(t);
    }
    total.anomalies.sort();
    total
}

/// The menu item the resident takes, and the options and copies chosen from it.
fn choose(menus: &[Menu], visit: &Visit, max_copies: u8) -> Option<MenuPick> {
    let items: Vec<(&str, &MenuItem)> = menus
        .iter()
        .flat_map(|m| m.items.iter().map(|i| (m.municipality.as_str(), i)))
        .collect();
    if items.is_empty() {
        return None;
    }
    let draw = visit.draw;
    let pick = usize::try_from(draw % 1_000_003).unwrap_or(0);
    let (municipality, item) = items
        .iter()
        .find(|(_, i)| i.certificate == visit.wants)
        .copied()
        .unwrap_or(items[pick % items.len()]);
    let mut options = IssuanceOptions::default();
    if !item.scopes.is_empty() {
        let scope = item.scopes[(pick / 7) % item.scopes.len()];
        match (scope, item.members.first()) {
            (Scope::Members, Some(member)) => {
                options.scope = Some(Scope::Members);
                options.members = vec![member.member_id.clone()];
            }
            (Scope::Members, None) => options.scope = Some(Scope::Holder),
            (s, _) => options.scope = Some(s),
        }
        options.show_relationship = item.relationship_option && draw & 0x100 != 0;
        options.show_honseki = item.honseki_option && draw & 0x200 != 0;
    }
    if !item.fiscal_years.is_empty() {
        options.fiscal_year = Some(item.fiscal_years[(pick / 11) % item.fiscal_years.len()]);
    }
    Some(MenuPick {
        municipality: Some(municipality.to_owned()),
        certificate: item.certificate,
        options,
        copies: visit.copies.min(item.max_copies).min(max_copies).max(1),
    })
}

/// Where a visit happens, and what it needs.
struct Visitor<'a> {
    terminal: &'a TerminalProfile,
    link: &'a CenterLink,
    jpki: &'a TestJpki,
    fixtures: &'a Fixtures,
    journal: &'a Arc<Journal>,
    timing: Option<&'a Timing>,
}

impl Visitor<'_> {
    fn took(&self, op: Operation, started: Instant, answered: Result<(), String>) {
        if let Some(t) = self.timing {
            match answered {
                Ok(()) => t.answered(op, started.elapsed()),
                Err(code) => t.refused(op, &code),
            }
        }
    }
}

/// The short code of a failed operation: the center's code, else what the terminal
/// itself stopped at.
fn session_code(e: &SessionError) -> String {
    match e {
        SessionError::Kiosk(k) => return k.code(),
        SessionError::WrongScreen { .. } => "terminal-wrong-screen",
        SessionError::TooManyCopies { .. } => "terminal-too-many-copies",
        SessionError::NotOffered(_) => "terminal-not-on-menu",
        SessionError::InsufficientPayment { .. } => "terminal-payment",
        SessionError::UnexpectedIssuance(_) => "terminal-unexpected-issuance",
    }
    .into()
}

async fn serve(visit: &Visit, at: &Visitor<'_>, tally: &mut DayTally) {
    let Visitor {
        terminal,
        link,
        jpki,
        fixtures,
        journal,
        ..
    } = *at;
    tally.visits += 1;
    let label = format!(
        "{} {} card {}",
        terminal.id.terminal,
        visit.at.format("%H:%M"),
        visit.card
    );
    let (Some(card), Some(fixture)) = (
        jpki.card(&visit.card),
        fixtures.cards.iter().find(|c| c.id == visit.card),
    ) else {
        tally.anomalies.push(format!("{label}: no such test card"));
        return;
    };
    let started = Instant::now();
    let mut session =
        match KioskSession::place_card(link.clone(), terminal.clone(), journal.clone(), visit.at)
            .await
        {
            Ok(s) => s,
            Err(e) => {
                at.took(Operation::CardAndMenu, started, Err(e.code()));
                tally
                    .anomalies
                    .push(format!("{label}: the center opened no session: {e}"));
                return;
            }
        };
    if visit.pin_typo {
        let typo = if fixture.pin == "0000" {
            "9999"
        } else {
            "0000"
        };
        let _ = session.enter_pin(card, typo).await;
    }
    let read = session.enter_pin(card, &fixture.pin).await;
    at.took(
        Operation::CardAndMenu,
        started,
        read.as_ref().map(|_| ()).map_err(session_code),
    );
    if let Err(e) = read {
        match session.screen() {
            Screen::Ended(Ending::CardLocked | Ending::CardRefused(_)) => tally.cards_refused += 1,
            _ => tally
                .anomalies
                .push(format!("{label}: card reading failed: {e}")),
        }
        session.close().await;
        return;
    }
    let Some(selection) = choose(session.menus(), visit, terminal.max_copies) else {
        tally.nothing_offered += 1;
        let _ = session.cancel().await;
        session.close().await;
        return;
    };
    let started = Instant::now();
    let chosen = session.choose(&selection).await;
    at.took(
        Operation::Issue,
        started,
        chosen.as_ref().map(|_| ()).map_err(session_code),
    );
    if let Err(e) = chosen {
        let what = match &e {
            SessionError::Kiosk(k) => format!("{} ({})", k.code(), k),
            other => other.to_string(),
        };
        tally.anomalies.push(format!(
            "{label}: {} x{} offered on the menu but not issued: {what}",
            selection.certificate.code(),
            selection.copies
        ));
        session.close().await;
        return;
    }
    let Some(issued) = session.issued().cloned() else {
        session.close().await;
        return;
    };
    tally.issued += 1;
    *tally
        .issued_by_type
        .entry(issued.issuance.certificate.code().to_owned())
        .or_default() += u64::from(issued.issuance.copies);
    *tally
        .issued_by_operator
        .entry(terminal.id.operator.clone())
        .or_default() += 1;
    let due = match session.screen() {
        Screen::FeeShown { due } => *due,
        _ => 0,
    };
    let mut printer = match visit.behaviour {
        Behaviour::CancelBeforePayment => {
            let _ = session.cancel().await;
            tally.cancelled_before_payment += 1;
            finish(session, &label, tally).await;
            return;
        }
        Behaviour::WalkAway => {
            session.idle(PAYMENT_TIMEOUT + Duration::from_secs(1)).await;
            tally.timed_out += 1;
            finish(session, &label, tally).await;
            return;
        }
        Behaviour::Pay => Printer::reliable(),
        Behaviour::JamOn(k) => Printer::jamming_on(k.min(issued.issuance.copies)),
        Behaviour::SheetsLeft(n) => Printer::with_sheets(n),
    };
    if let Err(e) = session.pay(due) {
        tally
            .anomalies
            .push(format!("{label}: payment refused: {e}"));
    }
    let started = Instant::now();
    let printed = session.print(&mut printer).await;
    at.took(
        Operation::Outcome,
        started,
        printed.as_ref().map(|_| ()).map_err(session_code),
    );
    match printed {
        Ok(receipt) => {
            tally.printed_copies += u64::from(receipt.printed);
            if receipt.printed < issued.issuance.copies {
                tally.print_failures += 1;
            }
        }
        Err(e) => tally
            .anomalies
            .push(format!("{label}: printing failed: {e}")),
    }
    finish(session, &label, tally).await;
}

async fn finish(session: KioskSession, label: &str, tally: &mut DayTally) {
    if let Some(e) = session.report_error() {
        tally
            .anomalies
            .push(format!("{label}: the outcome report was not taken: {e}"));
    }
    session.close().await;
}
