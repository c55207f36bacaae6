//! 異動連携の営業日: a seeded store-trial day whose residents are the holders of the cards
//! reserved for it, while the register systems deliver changes during business hours.
//! The day runs in parts: the visits before a change's effective time, then the change,
//! then the visits after it, so every issuance is audited against the register as it
//! stood at its reception time. The day is closed with the store trial's steps.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use kofu_fixtures::Reservation;

use super::feed::{deliver_applied, table_change};
use super::params::{Date, DateTime3339};
use super::store_day::{DayReady, day_ready};
use crate::checks::fail;
use crate::terminal::store_day::{self, DayTally};
use crate::world::KofuWorld;

#[given(expr = "実店舗試験の営業日は {date}、乱数の種は {int} で、異動連携の住民が来店する")]
fn feed_day(world: &mut KofuWorld, date: Date, seed: u64) {
    world.store_day.plan = Some((date.0, seed));
    world.store_day.pool = Some(Reservation::StoreDayFeed);
}

#[given(expr = "営業日の {datetime} に次の異動が届く")]
fn change_during_the_day(world: &mut KofuWorld, at: DateTime3339, step: &Step) {
    let (municipality, change) = table_change(world, step);
    world.store_day.changes.push((at.0, municipality, change));
}

#[when(expr = "すべての事業者の全端末で1台あたり {int} 人の来店を、異動を届けながら受け付ける")]
async fn run_day_with_changes(world: &mut KofuWorld, per_terminal: usize) {
    let DayReady {
        date,
        seed,
        fixtures,
        jpki,
    } = day_ready(world);
    let plan = store_day::plan_for(&fixtures, date, seed, per_terminal, world.store_day.pool);
    let journal = world.kiosk.journal.clone();
    let link = world.center_link();
    let mut changes = world.store_day.changes.clone();
    changes.sort_by_key(|(at, _, _)| *at);
    let mut total = DayTally::default();
    let mut from = None;
    for (at, municipality, change) in changes {
        let part = plan.between(from, Some(at));
        total.merge(store_day::run(&part, &link, &jpki, &fixtures, &journal).await);
        deliver_applied(world, municipality, at, change).await;
        from = Some(at);
    }
    let rest = plan.between(from, None);
    total.merge(store_day::run(&rest, &link, &jpki, &fixtures, &journal).await);
    total.anomalies.sort();
    tracing::info!(
        visits = total.visits,
        issued = total.issued,
        "register feed day done"
    );
    world.store_day.tally = Some(total);
    world.store_day.planned = Some(plan);
}

#[then(expr = "異動のあった住民は、どの異動の前にも後にも来店している")]
fn visits_around_every_change(world: &mut KofuWorld) {
    let Some(plan) = world.store_day.planned.clone() else {
        fail(
            "store trial: the day has not been run",
            "run the day first (…異動を届けながら受け付ける)",
            &world.evidence_dir,
        );
    };
    let fixtures = world.rig().fixtures.clone();
    let mut missing = Vec::new();
    for (at, _, change) in &world.store_day.changes {
        let Some(person) = change.person() else {
            continue;
        };
        let visits: Vec<_> = plan
            .queues
            .iter()
            .flat_map(|q| q.visits.iter())
            .filter(|v| fixtures.card(&v.card).is_some_and(|c| c.person == person))
            .map(|v| v.at)
            .collect();
        if !visits.iter().any(|v| v < at) || !visits.iter().any(|v| v >= at) {
            missing.push(format!(
                "{person} around {} ({})",
                at.to_rfc3339(),
                change.kind()
            ));
        }
    }
    if !missing.is_empty() {
        fail(
            "store trial: every change must fall between visits of its person, or the day \
             tests nothing about it (choose another seed or more visits)",
            missing.join("\n"),
            &world.evidence_dir,
        );
    }
}
