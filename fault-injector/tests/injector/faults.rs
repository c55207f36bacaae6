//! Each reset-like fault, seen from the center (which error, which bytes) and from the
//! candidate (did the request arrive, on which connection); `times` expiry.

use http::Method;
use kofu_fault_injector::{EventKind, Fault, FaultInjector, Match, Rule};

use crate::support::{ANSWER_BYTES, Candidate, answer_body, center, io_kind, kinds_of, wait_event};

const ISSUANCES: &str = "/v1/municipalities/131016/issuances";

async fn setup() -> (Candidate, FaultInjector, reqwest::Client) {
    let candidate = Candidate::plain().await;
    let injector = FaultInjector::start(candidate.upstream()).await.unwrap();
    (candidate, injector, center())
}

fn issuances() -> Match {
    Match::new(Method::POST, "/issuances")
}

async fn post(
    center: &reqwest::Client,
    injector: &FaultInjector,
) -> reqwest::Result<reqwest::Response> {
    center
        .post(format!("{}{ISSUANCES}", injector.url()))
        .body("{}")
        .send()
        .await
}

/// The error of a request that got a reset instead of an answer.
fn assert_reset(result: reqwest::Result<reqwest::Response>) {
    let err = result.expect_err("the center should get no answer");
    assert!(!err.is_timeout(), "{err:?}");
    assert!(err.is_request(), "{err:?}");
    assert_eq!(
        io_kind(&err),
        Some(std::io::ErrorKind::ConnectionReset),
        "{err:?}"
    );
}

#[tokio::test]
async fn refuse_resets_a_new_connection_before_anything_reaches_the_candidate() {
    let (candidate, injector, center) = setup().await;
    injector.arm(Rule::once(Match::any(), Fault::Refuse));
    let err = post(&center, &injector).await.expect_err("refused");
    assert!(!err.is_timeout(), "{err:?}");
    let kind = io_kind(&err);
    assert!(
        matches!(
            kind,
            Some(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe)
        ),
        "{err:?}"
    );
    assert!(candidate.seen().is_empty());
    assert!(injector.armed().is_empty());
    // The next one goes through, on a new connection.
    assert_eq!(post(&center, &injector).await.unwrap().status(), 201);
    assert_eq!(candidate.seen().len(), 1);
    let timeline = injector.timeline();
    assert!(
        matches!(&timeline[0].kind, EventKind::Fault(what) if what.contains("when accepted")),
        "{}",
        injector.render_timeline()
    );
    assert_eq!((timeline[0].connection, timeline[1].connection), (1, 2));
}

#[tokio::test]
async fn refuse_resets_a_kept_alive_connection_as_its_next_request_arrives() {
    let (candidate, injector, center) = setup().await;
    assert_eq!(post(&center, &injector).await.unwrap().status(), 201);
    injector.arm(Rule::once(Match::any(), Fault::Refuse));
    assert_reset(post(&center, &injector).await);
    assert_eq!(candidate.seen().len(), 1);
    let refused = injector.timeline().last().cloned().unwrap();
    assert_eq!((refused.connection, refused.exchange), (1, 2));
    assert!(refused.method.is_empty());
    assert!(
        injector
            .render_timeline()
            .contains("(nothing read)  connection reset as its next request")
    );
}

#[tokio::test]
async fn reset_before_forward_reads_the_request_and_forwards_nothing() {
    let (candidate, injector, center) = setup().await;
    injector.arm(Rule::once(issuances(), Fault::ResetBeforeForward));
    assert_reset(post(&center, &injector).await);
    assert!(candidate.seen().is_empty());
    let kinds = kinds_of(&injector, 1);
    assert_eq!(kinds[0], EventKind::Received);
    assert!(matches!(&kinds[1], EventKind::Fault(what) if what.contains("nothing reached")));
    assert_eq!(kinds.len(), 2);
}

#[tokio::test]
async fn reset_after_forward_lets_the_candidate_commit_and_discards_its_answer() {
    let (candidate, injector, center) = setup().await;
    injector.arm(Rule::once(issuances(), Fault::ResetAfterForward));
    assert_reset(post(&center, &injector).await);
    // The request reached the candidate even though the center got a reset.
    assert_eq!(candidate.wait_seen(1).await.len(), 1);
    wait_event(&injector, |e| {
        matches!(e.kind, EventKind::LateAnswerDiscarded { status: 201 })
    })
    .await;
    let kinds = kinds_of(&injector, 1);
    assert_eq!(&kinds[..2], &[EventKind::Received, EventKind::Forwarded]);
    assert!(matches!(&kinds[2], EventKind::Fault(what) if what.contains("before any answer")));
    assert_eq!(
        kinds[3],
        EventKind::Answered {
            status: 201,
            bytes: ANSWER_BYTES
        }
    );
    // The resend arrives on a new connection at the candidate.
    assert_eq!(post(&center, &injector).await.unwrap().status(), 201);
    let seen = candidate.seen();
    assert_ne!(seen[0].peer, seen[1].peer);
}

#[tokio::test]
async fn cut_body_delivers_the_head_and_the_first_bytes_then_resets() {
    let (candidate, injector, center) = setup().await;
    injector.arm(Rule::once(issuances(), Fault::CutBody { after_bytes: 100 }));
    let mut answer = post(&center, &injector).await.expect("the head arrives");
    assert_eq!(answer.status(), 201);
    assert_eq!(answer.content_length(), Some(ANSWER_BYTES as u64));
    let mut body = Vec::new();
    let err = loop {
        match answer.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => panic!("the body should not end cleanly"),
            Err(e) => break e,
        }
    };
    assert!(
        err.is_body() || err.is_decode() || err.is_request(),
        "{err:?}"
    );
    assert_eq!(body, answer_body()[..100]);
    assert_eq!(candidate.seen().len(), 1);
    let kinds = kinds_of(&injector, 1);
    assert!(
        matches!(&kinds[3], EventKind::Fault(what) if what == "answer 201 cut after 100 of 5000 body bytes: connection reset"),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn lose_answer_resets_after_the_candidate_committed() {
    let (candidate, injector, center) = setup().await;
    injector.arm(Rule::once(issuances(), Fault::LoseAnswer));
    assert_reset(post(&center, &injector).await);
    assert_eq!(candidate.seen().len(), 1);
    // The candidate sees its connection end too.
    candidate.wait_ended(1).await;
    let kinds = kinds_of(&injector, 1);
    assert_eq!(
        kinds[2],
        EventKind::Answered {
            status: 201,
            bytes: ANSWER_BYTES
        }
    );
    assert!(injector.render_timeline().contains(&format!(
        "c1 #1 POST {ISSUANCES}  answer lost after the candidate answered 201 (5000 bytes): connection reset"
    )));
    // The resend: a new connection on both sides.
    assert_eq!(post(&center, &injector).await.unwrap().status(), 201);
    let seen = candidate.seen();
    assert_ne!(seen[0].peer, seen[1].peer);
    assert_eq!(injector.timeline().last().unwrap().connection, 2);
}

#[tokio::test]
async fn rules_apply_to_the_first_n_matches_only_and_in_the_order_armed() {
    let (candidate, injector, center) = setup().await;
    injector.arm(Rule::times(issuances(), Fault::ResetBeforeForward, 2));
    injector.arm(Rule::always(Match::path("/menu"), Fault::LoseAnswer));
    let menu = format!("{}/v1/menu", injector.url());
    // A GET elsewhere is not matched.
    assert_eq!(
        center
            .get(format!("{}/v1/other", injector.url()))
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    assert_reset(post(&center, &injector).await);
    assert_reset(center.get(&menu).send().await);
    assert_reset(post(&center, &injector).await);
    assert_eq!(post(&center, &injector).await.unwrap().status(), 201);
    assert_reset(center.get(&menu).send().await);
    let paths: Vec<String> = candidate.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/v1/other", "/v1/menu", ISSUANCES, "/v1/menu"]);
    assert_eq!(injector.armed().len(), 1);
    injector.clear();
    assert_eq!(center.get(&menu).send().await.unwrap().status(), 201);
}
