//! 実店舗試験の営業日, planned: one queue of visits per terminal, drawn from the seed
//! and the fixtures alone.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use kofu_fixtures::Fixtures;
use kofu_fixtures::Reservation;
use kofu_fixtures::card::CardState;
use kofu_profile::CertificateType;
use serde::Serialize;

use crate::terminal::TerminalProfile;

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

impl DayPlan {
    /// The visits from `from` (inclusive) until `until` (exclusive), at the same
    /// terminals: the day cut where a register change arrives.
    pub fn between(
        &self,
        from: Option<DateTime<FixedOffset>>,
        until: Option<DateTime<FixedOffset>>,
    ) -> DayPlan {
        let inside = |v: &&Visit| from.is_none_or(|f| v.at >= f) && until.is_none_or(|u| v.at < u);
        DayPlan {
            date: self.date,
            seed: self.seed,
            queues: self
                .queues
                .iter()
                .map(|q| Queue {
                    terminal: q.terminal.clone(),
                    visits: q.visits.iter().filter(inside).cloned().collect(),
                })
                .collect(),
        }
    }
}

/// Plan a day: `visits_per_terminal` visits at every terminal of the fixtures, by the
/// holders of the cards no scenario reserves.
pub fn plan(
    fixtures: &Fixtures,
    date: NaiveDate,
    seed: u64,
    visits_per_terminal: usize,
) -> DayPlan {
    plan_for(fixtures, date, seed, visits_per_terminal, None)
}

/// Who visits, and at how many terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The residents hold the valid cards reserved for this pool (none: the cards no
    /// scenario reserves).
    pub pool: Option<Reservation>,
    /// Terminals per fixture terminal: 1 is the stores as the fixtures describe them; a
    /// peak day (負荷試験) adds terminals `<id>-2`, `<id>-3`, … beside each one.
    pub lanes: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            pool: None,
            lanes: 1,
        }
    }
}

/// Last minute a first-placed card may be scheduled: well before the center closes
/// at 23:00, with the offsets of every terminal and the random delay added.
const LAST_START: (u32, u32) = (22, 30);

/// Seconds between two visits at one terminal: [`SPACING_MINUTES`] while a day of
/// `visits` fits into business hours, less when it would run past them, so a plan of any
/// size stays inside 06:40–23:00.
fn spacing_seconds(visits: usize, terminals: usize) -> i64 {
    let window =
        i64::from(LAST_START.0 * 60 + LAST_START.1) - i64::from(OPENING.0 * 60 + OPENING.1);
    let offsets = 2 * i64::try_from(terminals.saturating_sub(1)).unwrap_or(0) + 20;
    let available = (window - offsets).max(60) * 60;
    let wanted = SPACING_MINUTES * 60;
    match i64::try_from(visits).unwrap_or(i64::MAX) {
        0 | 1 => wanted,
        v => wanted.min(available / (v - 1)).max(1),
    }
}

/// Plan a day whose residents hold the valid cards reserved for `pool` (none: the cards
/// no scenario reserves).
pub fn plan_for(
    fixtures: &Fixtures,
    date: NaiveDate,
    seed: u64,
    visits_per_terminal: usize,
    pool: Option<Reservation>,
) -> DayPlan {
    plan_laid_out(
        fixtures,
        date,
        seed,
        visits_per_terminal,
        Layout { pool, lanes: 1 },
    )
}

/// Plan a day with `layout`: `visits_per_terminal` visits at each of its terminals.
pub fn plan_laid_out(
    fixtures: &Fixtures,
    date: NaiveDate,
    seed: u64,
    visits_per_terminal: usize,
    layout: Layout,
) -> DayPlan {
    let Layout { pool, lanes } = layout;
    let mut rng = fastrand::Rng::with_seed(seed);
    let terminals: Vec<TerminalProfile> = TerminalProfile::all(fixtures)
        .into_iter()
        .flat_map(|t| {
            (1..=lanes.max(1)).map(move |lane| {
                let mut t = t.clone();
                if lane > 1 {
                    t.id.terminal = format!("{}-{lane}", t.id.terminal);
                }
                t
            })
        })
        .collect();
    let n = terminals.len().max(1);
    let spacing = spacing_seconds(visits_per_terminal, n);
    // Cards reserved for other scenarios (the register feed's) never visit.
    let valid: Vec<&kofu_fixtures::Card> = fixtures
        .cards
        .iter()
        .filter(|c| c.state == CardState::Valid && c.reserved_for == pool)
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
            let seconds = spacing * i64::try_from(i).unwrap_or(0)
                + 120 * i64::try_from(t).unwrap_or(0)
                + 60 * rng.i64(0..20);
            let at = opening + TimeDelta::seconds(seconds);
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    fn fixtures() -> Fixtures {
        Fixtures::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
            .expect("the repository's fixtures load")
    }

    #[test]
    fn a_day_of_any_size_stays_inside_business_hours() {
        let f = fixtures();
        let date = NaiveDate::from_ymd_opt(2026, 12, 11).expect("date");
        for (visits, lanes) in [(41, 1), (42, 1), (300, 1), (120, 8), (2000, 2)] {
            let p = plan_laid_out(&f, date, 11, visits, Layout { pool: None, lanes });
            let all: Vec<&Visit> = p.queues.iter().flat_map(|q| q.visits.iter()).collect();
            assert_eq!(all.len(), visits * lanes * TerminalProfile::all(&f).len());
            for v in all {
                let t = v.at.time();
                assert!(
                    t >= chrono::NaiveTime::from_hms_opt(6, 30, 0).expect("t"),
                    "{t}"
                );
                assert!(
                    t < chrono::NaiveTime::from_hms_opt(23, 0, 0).expect("t"),
                    "{visits}x{lanes}: {t}"
                );
            }
            let ids: BTreeSet<&str> = p
                .queues
                .iter()
                .map(|q| q.terminal.id.terminal.as_str())
                .collect();
            assert_eq!(ids.len(), p.queues.len(), "every lane is its own terminal");
        }
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
            .map(|q| q.terminal.id.operator.clone())
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
                        .or_insert_with(|| q.terminal.id.terminal.clone());
                    assert_eq!(
                        o, &q.terminal.id.terminal,
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
