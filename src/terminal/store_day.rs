//! 実店舗試験の営業日: a business day of residents at the stores, generated from a seed.
//! Every terminal of every operator serves its own queue of visits one after another,
//! the terminals all at once. A visit is a resident with a card (now and then a card
//! the center refuses, a PIN typo, a person with nothing to print), a choice taken from
//! the menu the candidate offers, and an ending: paid and printed, a paper jam, paper
//! running out, a cancel before payment, or a resident who walks away.
//!
//! The plan depends only on the seed and the fixtures; what happens depends on the
//! candidate's menus and answers. Times come from the plan, never from a clock.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use kofu_fixtures::Fixtures;
use kofu_fixtures::card::CardState;
use kofu_mock_center::jpki::TestJpki;
use kofu_profile::menu::{Menu, MenuItem};
use kofu_profile::{CertificateType, IssuanceOptions, Scope};
use serde::Serialize;

use super::journal::Journal;
use super::kiosk::Kiosk;
use super::printer::Printer;
use super::session::{
    Ending, KioskSession, PAYMENT_TIMEOUT, Screen, Selection, SessionError, TerminalProfile,
};

/// What the resident does once the fee is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Behaviour {
    /// Pays; the printer works.
    Pay,
    /// Pays; the paper jams on this copy (or the last one, if fewer were issued).
    JamOn(u8),
    /// Pays; the printer has only this many sheets.
    SheetsLeft(u32),
    /// Presses 取消 on the fee screen.
    CancelBeforePayment,
    /// Walks away from the fee screen.
    WalkAway,
}

/// One resident at one terminal.
#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    /// When the resident places the card.
    pub at: DateTime<FixedOffset>,
    /// The card (fixture id).
    pub card: String,
    /// Types the first PIN wrong.
    pub pin_typo: bool,
    /// The type the resident comes for; taken when the menu offers it.
    pub wants: CertificateType,
    /// Random draw for everything chosen from the menu.
    pub draw: u64,
    /// Copies wished (limited by the menu and the operator).
    pub copies: u8,
    /// The ending.
    pub behaviour: Behaviour,
}

/// The queue of one terminal.
#[derive(Debug, Clone)]
pub struct Queue {
    /// The terminal.
    pub terminal: TerminalProfile,
    /// Its visits, in time order.
    pub visits: Vec<Visit>,
}

/// The day's plan.
#[derive(Debug, Clone)]
pub struct DayPlan {
    /// The business date.
    pub date: NaiveDate,
    /// The seed.
    pub seed: u64,
    /// One queue per terminal.
    pub queues: Vec<Queue>,
}

/// First visit of the day (service opens at 06:30).
const OPENING: (u32, u32) = (6, 40);
/// Minutes between visits at one terminal.
const SPACING_MINUTES: i64 = 23;

/// Plan a day: `visits_per_terminal` visits at every terminal of the fixtures.
pub fn plan(
    fixtures: &Fixtures,
    date: NaiveDate,
    seed: u64,
    visits_per_terminal: usize,
) -> DayPlan {
    let mut rng = fastrand::Rng::with_seed(seed);
    let terminals = TerminalProfile::all(fixtures);
    let n = terminals.len().max(1);
    let valid: Vec<&kofu_fixtures::Card> = fixtures
        .cards
        .iter()
        .filter(|c| c.state == CardState::Valid)
        .collect();
    let refused: Vec<&kofu_fixtures::Card> = fixtures
        .cards
        .iter()
        .filter(|c| c.state != CardState::Valid)
        .collect();
    let jst = FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("valid offset"));
    let opening = date
        .and_hms_opt(OPENING.0, OPENING.1, 0)
        .and_then(|t| t.and_local_timezone(jst).single())
        .unwrap_or_else(|| unreachable!("a fixed JST time exists"));
    let mut queues = Vec::with_capacity(n);
    let mut wanted = 0usize;
    for (t, terminal) in terminals.into_iter().enumerate() {
        // Residents use the store near them: each valid card belongs to one terminal, so
        // no card is ever at two terminals at once.
        let mine: Vec<&&kofu_fixtures::Card> = valid.iter().skip(t).step_by(n).collect::<Vec<_>>();
        let mut visits = Vec::with_capacity(visits_per_terminal);
        for i in 0..visits_per_terminal {
            let minutes = SPACING_MINUTES * i64::try_from(i).unwrap_or(0)
                + 2 * i64::try_from(t).unwrap_or(0)
                + rng.i64(0..20);
            let at = opening + TimeDelta::minutes(minutes);
            let card = if rng.u8(0..100) < 6 && !refused.is_empty() {
                refused[rng.usize(0..refused.len())].id.clone()
            } else if mine.is_empty() {
                valid[rng.usize(0..valid.len())].id.clone()
            } else {
                mine[rng.usize(0..mine.len())].id.clone()
            };
            let copies = match rng.u8(0..10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            };
            let behaviour = match rng.u8(0..100) {
                0..=79 => Behaviour::Pay,
                80..=86 => Behaviour::JamOn(rng.u8(1..=copies)),
                87..=89 => Behaviour::SheetsLeft(rng.u32(0..u32::from(copies))),
                90..=94 => Behaviour::CancelBeforePayment,
                _ => Behaviour::WalkAway,
            };
            visits.push(Visit {
                at,
                card,
                pin_typo: rng.u8(0..100) < 10,
                wants: CertificateType::ALL[wanted % CertificateType::ALL.len()],
                draw: rng.u64(..),
                copies,
                behaviour,
            });
            wanted += 1;
        }
        queues.push(Queue { terminal, visits });
    }
    DayPlan { date, seed, queues }
}

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
    fn merge(&mut self, other: Self) {
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
    kiosk: &Kiosk,
    jpki: &TestJpki,
    fixtures: &Fixtures,
    journal: &Arc<Journal>,
) -> DayTally {
    let queues = plan.queues.iter().map(|q| async move {
        let mut tally = DayTally::default();
        for visit in &q.visits {
            serve(
                visit,
                &q.terminal,
                kiosk,
                jpki,
                fixtures,
                journal,
                &mut tally,
            )
            .await;
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
fn choose(menus: &[Menu], visit: &Visit, max_copies: u8) -> Option<Selection> {
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
    Some(Selection {
        municipality: Some(municipality.to_owned()),
        certificate: item.certificate,
        options,
        copies: visit.copies.min(item.max_copies).min(max_copies).max(1),
    })
}

async fn serve(
    visit: &Visit,
    terminal: &TerminalProfile,
    kiosk: &Kiosk,
    jpki: &TestJpki,
    fixtures: &Fixtures,
    journal: &Arc<Journal>,
    tally: &mut DayTally,
) {
    tally.visits += 1;
    let label = format!(
        "{} {} card {}",
        terminal.terminal_id,
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
    let mut session =
        match KioskSession::place_card(kiosk.clone(), terminal.clone(), journal.clone(), visit.at)
            .await
        {
            Ok(s) => s,
            Err(e) => {
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
    if let Err(e) = session.enter_pin(card, &fixture.pin).await {
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
    if let Err(e) = session.choose(&selection).await {
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
        .entry(terminal.operator_code.clone())
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
    match session.print(&mut printer).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> Fixtures {
        Fixtures::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
            .expect("the repository's fixtures load")
    }

    #[test]
    fn the_same_seed_plans_the_same_day() {
        let f = fixtures();
        let date = NaiveDate::from_ymd_opt(2026, 10, 30).expect("date");
        let a = plan(&f, date, 7, 5);
        let b = plan(&f, date, 7, 5);
        let flat = |p: &DayPlan| {
            p.queues
                .iter()
                .flat_map(|q| {
                    q.visits
                        .iter()
                        .map(|v| serde_json::to_string(v).unwrap_or_default())
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(flat(&a), flat(&b));
        assert_ne!(flat(&a), flat(&plan(&f, date, 8, 5)));
    }

    #[test]
    fn a_day_spans_every_operator_within_service_hours_and_no_card_is_at_two_terminals() {
        let f = fixtures();
        let date = NaiveDate::from_ymd_opt(2026, 10, 30).expect("date");
        let p = plan(&f, date, 20261030, 40);
        let operators: BTreeSet<_> = p
            .queues
            .iter()
            .map(|q| q.terminal.operator_code.clone())
            .collect();
        assert!(operators.len() >= 3, "{operators:?}");
        let mut owner: BTreeMap<String, String> = BTreeMap::new();
        for q in &p.queues {
            for v in &q.visits {
                let t = v.at.time();
                assert!(t >= chrono::NaiveTime::from_hms_opt(6, 30, 0).expect("t"));
                assert!(t < chrono::NaiveTime::from_hms_opt(23, 0, 0).expect("t"));
                assert_eq!(v.at.date_naive(), date);
                let valid = f
                    .cards
                    .iter()
                    .any(|c| c.id == v.card && c.state == CardState::Valid);
                if valid {
                    let o = owner
                        .entry(v.card.clone())
                        .or_insert_with(|| q.terminal.terminal_id.clone());
                    assert_eq!(
                        o, &q.terminal.terminal_id,
                        "card {} at two terminals",
                        v.card
                    );
                }
            }
        }
        assert_eq!(
            p.queues.iter().map(|q| q.visits.len()).sum::<usize>(),
            40 * p.queues.len()
        );
    }
}
