//! 実店舗試験の営業日: a business day of residents at the stores, generated from a seed.
//! Every terminal of every operator serves its own queue of visits one after another,
//! the terminals all at once. A visit is a resident with a card (now and then a card
//! the center refuses, a PIN typo, a person with nothing to print), a choice taken from
//! the menu the candidate offers, and an ending: paid and printed, a paper jam, paper
//! running out, a cancel before payment, or a resident who walks away.
//!
//! The plan depends only on the seed and the fixtures; what happens depends on the
//! candidate's menus and answers. Times come from the plan, never from a clock.

mod plan;
pub mod timing;
mod visits;

pub use plan::{Behaviour, DayPlan, Layout, Queue, Visit, plan, plan_for, plan_laid_out};
pub use visits::{DayTally, run, run_timed};
