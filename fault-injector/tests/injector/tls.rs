//! An HTTPS candidate requiring a client certificate: the injector presents the
//! identity in the configuration it is given.

use http::Method;
use kofu_fault_injector::{EventKind, Fault, FaultInjector, Match, Rule, Upstream};

use crate::support::{Candidate, Pki, answer_body, center, kinds_of};

#[tokio::test]
async fn the_centers_identity_is_presented_to_an_https_candidate() {
    let pki = Pki::new();
    let candidate = Candidate::tls(pki.server_config()).await;
    let upstream = Upstream::tls(candidate.addr, "localhost", pki.client_config(true));
    let injector = FaultInjector::start(upstream).await.unwrap();
    let center = center();
    let url = format!("{}/v1/municipalities/131016/issuances", injector.url());
    let answer = center.post(&url).body("{}").send().await.unwrap();
    assert_eq!(answer.status(), 201);
    assert_eq!(answer.bytes().await.unwrap(), answer_body());

    let seen = candidate.seen();
    assert_eq!(seen[0].client_cert.as_deref(), Some(pki.client.0.as_ref()));
    assert_eq!(seen[0].host, format!("localhost:{}", candidate.addr.port()));

    // Faults work the same over TLS: the answer is lost after the candidate committed.
    injector.arm(Rule::once(
        Match::new(Method::POST, "/issuances"),
        Fault::LoseAnswer,
    ));
    assert!(center.post(&url).body("{}").send().await.is_err());
    assert_eq!(candidate.seen().len(), 2);
}

#[tokio::test]
async fn without_the_identity_the_candidate_refuses_and_the_center_gets_502() {
    let pki = Pki::new();
    let candidate = Candidate::tls(pki.server_config()).await;
    let upstream = Upstream::tls(candidate.addr, "127.0.0.1", pki.client_config(false));
    let injector = FaultInjector::start(upstream).await.unwrap();
    let answer = center()
        .get(format!("{}/v1/menu", injector.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 502);
    assert!(candidate.seen().is_empty());
    let kinds = kinds_of(&injector, 1);
    // With TLS 1.3 the refusal may come after the client's side of the handshake.
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, EventKind::UpstreamFailed(_))),
        "{kinds:?}"
    );
}
