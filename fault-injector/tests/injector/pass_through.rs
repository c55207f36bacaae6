//! Unmatched exchanges: forwarded untouched, kept alive, recorded; retargeting; the
//! injector's own answers (502, 413, 505).

use std::time::Duration;

use kofu_fault_injector::{EventKind, FaultInjector, Settings, Upstream};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{ANSWER_BYTES, Candidate, answer_body, center, kinds_of, wait_event};

#[tokio::test]
async fn exchanges_pass_through_on_one_kept_alive_connection() {
    let candidate = Candidate::plain().await;
    let injector = FaultInjector::start(candidate.upstream()).await.unwrap();
    let center = center();
    let base = injector.url();

    let menu = center
        .get(format!("{base}/v1/menu?lang=ja"))
        .send()
        .await
        .unwrap();
    assert_eq!(menu.status(), 201);
    assert_eq!(menu.bytes().await.unwrap(), answer_body());
    let issuance = center
        .post(format!("{base}/v1/municipalities/131016/issuances"))
        .header("x-kofu-test", "kept")
        .body("{\"order\":1}")
        .send()
        .await
        .unwrap();
    assert_eq!(issuance.status(), 201);
    assert_eq!(issuance.bytes().await.unwrap().len(), ANSWER_BYTES);
    let again = center.get(format!("{base}/v1/menu")).send().await.unwrap();
    assert_eq!(again.bytes().await.unwrap(), answer_body());

    let seen = candidate.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter().all(|s| s.peer == seen[0].peer),
        "one upstream connection: {seen:?}"
    );
    assert_eq!(seen[0].path, "/v1/menu?lang=ja");
    assert_eq!(seen[1].method, "POST");
    assert_eq!(&seen[1].body[..], b"{\"order\":1}");
    assert_eq!(seen[1].host, format!("127.0.0.1:{}", candidate.addr.port()));

    let timeline = injector.timeline();
    assert!(
        timeline.iter().all(|e| e.connection == 1),
        "{}",
        injector.render_timeline()
    );
    for exchange in 1..=3 {
        let kinds = kinds_of(&injector, exchange);
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        assert_eq!(kinds[0], EventKind::Received);
        assert_eq!(kinds[1], EventKind::Forwarded);
        assert_eq!(
            kinds[2],
            EventKind::Answered {
                status: 201,
                bytes: ANSWER_BYTES
            }
        );
        assert!(
            matches!(
                kinds[3],
                EventKind::Delivered {
                    status: 201,
                    bytes: ANSWER_BYTES,
                    ..
                }
            ),
            "{kinds:?}"
        );
    }
    let text = injector.render_timeline();
    assert_eq!(text.lines().count(), 12, "{text}");
    assert!(
        text.contains(" ms  c1 #2 POST /v1/municipalities/131016/issuances  the candidate answered 201 (5000 bytes)"),
        "{text}"
    );
    let json = serde_json::to_value(&timeline).unwrap();
    assert_eq!(json[0]["kind"], "received");
    injector.stop().await;
}

#[tokio::test]
async fn a_candidate_closing_its_connection_closes_the_centers_too() {
    let candidate = Candidate::plain().await;
    let injector = FaultInjector::start(candidate.upstream()).await.unwrap();
    let center = center();
    let closing = center
        .get(format!("{}/close", injector.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(closing.headers()["connection"], "close");
    assert_eq!(closing.bytes().await.unwrap(), answer_body());
    let next = center
        .get(format!("{}/x", injector.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), 201);
    let seen = candidate.seen();
    assert_ne!(seen[0].peer, seen[1].peer);
    let connections: Vec<u64> = injector.timeline().iter().map(|e| e.connection).collect();
    assert_eq!(connections.first(), Some(&1));
    assert_eq!(connections.last(), Some(&2));
}

#[tokio::test]
async fn retargeted_injectors_send_new_connections_to_the_new_candidate() {
    let first = Candidate::plain().await;
    let second = Candidate::plain().await;
    let injector = FaultInjector::start(first.upstream()).await.unwrap();
    let old_center = center();
    let url = format!("{}/v1/menu", injector.url());
    assert_eq!(old_center.get(&url).send().await.unwrap().status(), 201);

    injector.retarget(second.upstream());
    let new_center = center();
    assert_eq!(new_center.get(&url).send().await.unwrap().status(), 201);
    assert_eq!(second.seen().len(), 1);
    // The open connection keeps its upstream connection.
    assert_eq!(old_center.get(&url).send().await.unwrap().status(), 201);
    assert_eq!(first.seen().len(), 2);

    // The first candidate goes away: the center's connection to it is closed too.
    drop(first);
    wait_event(&injector, |e| {
        e.connection == 1
            && matches!(&e.kind, EventKind::Closed(why) if why.contains("candidate closed"))
    })
    .await;
    assert!(
        injector
            .render_timeline()
            .contains("c1 #3 (connection)  connection closed: the candidate closed its connection"),
        "{}",
        injector.render_timeline()
    );
}

#[tokio::test]
async fn upstream_failures_answer_502() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let injector = FaultInjector::start(Upstream::plain(unused)).await.unwrap();
    let answer = center()
        .get(format!("{}/v1/menu", injector.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 502);
    assert!(answer.text().await.unwrap().contains("cannot connect"));
    let kinds = kinds_of(&injector, 1);
    assert!(
        matches!(&kinds[1], EventKind::UpstreamFailed(why) if why.contains("cannot connect")),
        "{kinds:?}"
    );
    assert!(
        matches!(kinds[2], EventKind::Delivered { status: 502, .. }),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_candidate_that_never_answers_gets_the_upstream_timeout() {
    let candidate = Candidate::plain().await;
    let settings = Settings {
        upstream_timeout: Duration::from_millis(300),
        ..Settings::default()
    };
    let injector = FaultInjector::start_with(candidate.upstream(), settings)
        .await
        .unwrap();
    let answer = center()
        .get(format!("{}/never", injector.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 502);
    assert_eq!(candidate.seen().len(), 1);
    let kinds = kinds_of(&injector, 1);
    assert!(
        matches!(&kinds[2], EventKind::UpstreamFailed(why) if why.contains("did not answer in time")),
        "{kinds:?}"
    );
}

/// Sends `raw` on a fresh connection and reads the answer to the end.
async fn raw_exchange(injector: &FaultInjector, raw: &[u8]) -> String {
    let mut tcp = tokio::net::TcpStream::connect(injector.addr())
        .await
        .unwrap();
    tcp.write_all(raw).await.unwrap();
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn unservable_requests_are_answered_by_the_injector_and_closed() {
    let candidate = Candidate::plain().await;
    let injector = FaultInjector::start(candidate.upstream()).await.unwrap();
    let too_large = raw_exchange(
        &injector,
        b"POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 2000000\r\n\r\n",
    )
    .await;
    assert!(too_large.starts_with("HTTP/1.1 413 "), "{too_large}");
    assert!(too_large.contains("connection: close"), "{too_large}");
    let old = raw_exchange(&injector, b"GET /x HTTP/1.0\r\n\r\n").await;
    assert!(old.starts_with("HTTP/1.1 505 "), "{old}");
    let chunked = raw_exchange(
        &injector,
        b"POST /x HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
    )
    .await;
    assert!(chunked.starts_with("HTTP/1.1 501 "), "{chunked}");
    assert!(candidate.seen().is_empty());
}
