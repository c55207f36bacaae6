//! The feed's order, timing and cache, without HTTP.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::DateTime;
use kofu_fixtures::Fixtures;
use kofu_fixtures::register::SealState;
use kofu_profile::register_event::{RegisterChange, RegisterEvent};

use super::{Feed, Known, applies_from};
use crate::defects::{Defect, Defects};

fn fixtures() -> Arc<Fixtures> {
    Arc::new(Fixtures::load_default().expect("the repository's fixtures load"))
}

fn t(s: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("time")
}

fn seal(person: &str, at: &str, registered: bool) -> RegisterEvent {
    RegisterEvent {
        event_id: uuid::Uuid::new_v4(),
        effective_at: t(at),
        change: if registered {
            RegisterChange::SealRegistered {
                person: person.into(),
                seal_number: "IN-1".into(),
            }
        } else {
            RegisterChange::SealAbolished {
                person: person.into(),
            }
        },
    }
}

fn with(defect: Defect) -> Defects {
    Defects::new(BTreeSet::from([defect]))
}

fn seal_of(feed: &Feed, person: &str, at: &str) -> SealState {
    feed.at(Some(&t(at)))
        .fixtures()
        .register
        .person(person)
        .expect("person")
        .seal
}

#[test]
fn the_effective_time_as_each_reading_takes_it() {
    let at = t("2026-11-26T01:00:00+00:00");
    assert_eq!(
        applies_from(&at, &Defects::default()),
        t("2026-11-26T10:00:00+09:00")
    );
    assert_eq!(
        applies_from(&at, &with(Defect::FeedEffectiveTimeUtc)),
        t("2026-11-26T01:00:00+09:00")
    );
    assert_eq!(
        applies_from(&at, &with(Defect::FeedAppliedLate)),
        t("2026-11-27T00:00:00+09:00")
    );
    // 15:30 UTC on the 26th is 00:30 JST on the 27th: the batch runs the night after.
    assert_eq!(
        applies_from(
            &t("2026-11-26T15:30:00+00:00"),
            &with(Defect::FeedAppliedLate)
        ),
        t("2026-11-28T00:00:00+09:00")
    );
    assert_eq!(
        applies_from(&at, &with(Defect::FeedEffectiveTimeIgnored)),
        DateTime::<chrono::Utc>::MIN_UTC
    );
}

#[test]
fn without_an_event_in_force_the_base_register_is_read() {
    let base = fixtures();
    let feed = Feed::new(base.clone(), Defects::default(), Vec::new());
    assert!(Arc::ptr_eq(&feed.at(None).fixtures, &base));
    feed.keep("990001", seal("R201", "2026-11-26T10:00:00+09:00", false));
    let before = feed.at(Some(&t("2026-11-26T09:59:59+09:00")));
    assert!(Arc::ptr_eq(&before.fixtures, &base));
    assert_eq!(
        seal_of(&feed, "R201", "2026-11-26T10:00:00+09:00"),
        SealState::Abolished
    );
}

#[test]
fn views_are_cached_by_the_events_in_force_until_one_is_kept() {
    let feed = Feed::new(fixtures(), Defects::default(), Vec::new());
    feed.keep("990001", seal("R201", "2026-11-26T10:00:00+09:00", false));
    let a = feed.at(Some(&t("2026-11-26T10:00:00+09:00")));
    let b = feed.at(Some(&t("2026-11-26T23:00:00+09:00")));
    assert!(Arc::ptr_eq(&a, &b));
    feed.keep("990001", seal("R202", "2026-11-26T12:00:00+09:00", true));
    let c = feed.at(Some(&t("2026-11-26T10:00:00+09:00")));
    assert!(!Arc::ptr_eq(&a, &c));
    assert_eq!(
        seal_of(&feed, "R202", "2026-11-26T11:59:59+09:00"),
        SealState::None
    );
    assert_eq!(
        seal_of(&feed, "R202", "2026-11-26T12:00:00+09:00"),
        SealState::Active
    );
}

#[test]
fn events_of_one_time_apply_in_order_of_arrival() {
    let feed = Feed::new(fixtures(), Defects::default(), Vec::new());
    let at = "2026-11-26T10:00:00+09:00";
    feed.keep("990001", seal("R201", at, false));
    feed.keep("990001", seal("R201", at, true));
    assert_eq!(seal_of(&feed, "R201", at), SealState::Active);
    let feed = Feed::new(fixtures(), Defects::default(), Vec::new());
    feed.keep("990001", seal("R201", at, true));
    feed.keep("990001", seal("R201", at, false));
    assert_eq!(seal_of(&feed, "R201", at), SealState::Abolished);
}

#[test]
fn a_known_id_is_the_same_only_with_an_equal_body_and_municipality() {
    let feed = Feed::new(fixtures(), Defects::default(), Vec::new());
    let event = seal("R201", "2026-11-26T10:00:00+09:00", false);
    assert_eq!(feed.known("990001", &event), Known::New);
    feed.keep("990001", event.clone());
    assert_eq!(feed.known("990001", &event), Known::Same);
    assert_eq!(feed.known("990002", &event), Known::Other);
    let shifted = RegisterEvent {
        effective_at: t("2026-11-26T01:00:00+00:00"),
        ..event.clone()
    };
    assert_eq!(feed.known("990001", &shifted), Known::Other);
}

#[test]
fn the_first_view_of_a_person_stays_with_the_whole_run_cache() {
    let feed = Feed::new(fixtures(), with(Defect::FeedCacheWholeRun), Vec::new());
    let morning = t("2026-11-26T09:00:00+09:00");
    let _ = feed.for_person(Some("R201"), &morning);
    feed.keep("990001", seal("R201", "2026-11-26T09:30:00+09:00", false));
    let later = t("2026-11-26T11:00:00+09:00");
    let pinned = feed.for_person(Some("R201"), &later);
    assert_eq!(
        pinned.fixtures().register.person("R201").unwrap().seal,
        SealState::Active
    );
    let other = feed.for_person(Some("R202"), &later);
    assert_eq!(
        other.fixtures().register.person("R201").unwrap().seal,
        SealState::Abolished
    );
}
