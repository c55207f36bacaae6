//! Answers kept back: held past the center's timeout, or delayed.

use std::time::Duration;

use std::sync::Arc;

use kofu_fault_injector::{EventKind, Fault, HoldNotice, Match, Rule, Settings};

use crate::support::{
    ANSWER_BYTES, Candidate, answer_body, center, center_with_timeout, kinds_of, wait_event,
};

#[tokio::test]
async fn a_held_answer_is_never_delivered_and_discarded_once_the_center_gave_up() {
    let candidate = Candidate::plain().await;
    let injector = kofu_fault_injector::FaultInjector::start(candidate.upstream())
        .await
        .unwrap();
    injector.arm(Rule::once(Match::path("/outcome"), Fault::HoldAnswer));
    // The center's own timeout, not a sleep.
    let impatient = center_with_timeout(Duration::from_millis(200));
    let err = impatient
        .get(format!("{}/v1/issuances/1/outcome", injector.url()))
        .send()
        .await
        .expect_err("the answer is held");
    assert!(err.is_timeout(), "{err:?}");
    wait_event(&injector, |e| {
        matches!(e.kind, EventKind::LateAnswerDiscarded { status: 201 })
    })
    .await;
    assert_eq!(candidate.seen().len(), 1);
    let kinds = kinds_of(&injector, 1);
    assert!(
        !kinds
            .iter()
            .any(|k| matches!(k, EventKind::Delivered { .. })),
        "{kinds:?}"
    );
    assert!(
        matches!(&kinds[3], EventKind::Fault(what) if what.contains("held until")),
        "{kinds:?}"
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| matches!(k, EventKind::LateAnswerDiscarded { .. }))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_delayed_answer_is_delivered_whole() {
    let candidate = Candidate::plain().await;
    let injector = kofu_fault_injector::FaultInjector::start(candidate.upstream())
        .await
        .unwrap();
    injector.arm(Rule::once(
        Match::any(),
        Fault::Latency(Duration::from_millis(20)),
    ));
    let answer = center()
        .get(format!("{}/v1/menu", injector.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.bytes().await.unwrap(), answer_body());
    let kinds = kinds_of(&injector, 1);
    assert!(
        matches!(&kinds[3], EventKind::Fault(what) if what == "answer 201 held back 20 ms"),
        "{kinds:?}"
    );
    assert!(
        matches!(
            kinds[4],
            EventKind::Delivered {
                status: 201,
                bytes: ANSWER_BYTES,
                ..
            }
        ),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_delay_past_the_centers_timeout_discards_the_answer() {
    let candidate = Candidate::plain().await;
    let injector = kofu_fault_injector::FaultInjector::start(candidate.upstream())
        .await
        .unwrap();
    injector.arm(Rule::once(
        Match::any(),
        Fault::Latency(Duration::from_secs(600)),
    ));
    let impatient = center_with_timeout(Duration::from_millis(200));
    let err = impatient
        .get(format!("{}/v1/menu", injector.url()))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    wait_event(&injector, |e| {
        matches!(e.kind, EventKind::LateAnswerDiscarded { status: 201 })
    })
    .await;
}

#[tokio::test]
async fn a_held_answer_is_announced_to_the_center_by_its_attempt_header() {
    let candidate = Candidate::plain().await;
    let (tell, mut told) = tokio::sync::mpsc::unbounded_channel::<String>();
    let settings = Settings {
        hold_notice: Some(HoldNotice {
            header: http::HeaderName::from_static("kofu-attempt"),
            notify: Arc::new(move |attempt: &str| {
                let _ = tell.send(attempt.to_owned());
            }),
        }),
        ..Settings::default()
    };
    let injector = kofu_fault_injector::FaultInjector::start_with(candidate.upstream(), settings)
        .await
        .unwrap();
    injector.arm(Rule::once(Match::path("/outcome"), Fault::HoldAnswer));
    let url = format!("{}/v1/issuances/1/outcome", injector.url());
    // An exchange that is not held is not announced, and its header never reaches the
    // candidate either.
    let passed = center()
        .get(format!("{}/v1/identity", injector.url()))
        .header("kofu-attempt", "first")
        .send()
        .await
        .unwrap();
    assert!(passed.status().is_success(), "{}", passed.status());
    // The held one is announced as soon as its answer is held: a center listening for the
    // notice gives up without sleeping out a wait (the client's own timeout is long).
    let held = center_with_timeout(Duration::from_secs(30))
        .get(&url)
        .header("kofu-attempt", "second")
        .send();
    let announced = tokio::time::timeout(crate::support::DEADLINE, told.recv());
    let attempt = tokio::select! {
        _ = held => panic!("the held answer was delivered"),
        attempt = announced => attempt.expect("announced in time"),
    };
    assert_eq!(attempt.as_deref(), Some("second"));
    assert!(
        told.try_recv().is_err(),
        "only the held exchange is announced"
    );
    let seen = candidate.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|s| !s.header_names.iter().any(|h| h == "kofu-attempt")),
        "{seen:?}"
    );
    wait_event(&injector, |e| {
        matches!(e.kind, EventKind::LateAnswerDiscarded { status: 201 })
    })
    .await;
}
