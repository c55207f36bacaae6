//! Restarts of the candidates kofu starts itself, and of a `--server` candidate through
//! the vendor's command: the URL stays, readiness is waited for, records survive.

use std::sync::Arc;

use kofu_fixtures::Fixtures;
use kofu_mock_center::client::{CandidateClient, NoEvidence, Reply};
use kofu_profile::issuance::IssuanceRequest;
use kofu_profile::{CertificateType, IssuanceOptions, Reception, Scope};

use super::{Candidate, CandidateSpec};

const AOBADAI: &str = "990001";
const RECEPTION: &str = "2026-11-26T10:00:00+09:00";

fn fixtures() -> Arc<Fixtures> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    Arc::new(Fixtures::load(&root).expect("the repository's fixtures load"))
}

/// Issue one 住民票の写し for card C001 and return its issuance id.
async fn issue_one(client: &CandidateClient, fixtures: &Fixtures) -> String {
    let request = IssuanceRequest {
        reception: Reception {
            request_id: uuid::Uuid::new_v4(),
            reception_time: chrono::DateTime::parse_from_rfc3339(RECEPTION).expect("time"),
            operator_code: "OP-A".to_owned(),
            store_id: "S001".to_owned(),
            terminal_id: "T001".to_owned(),
        },
        card_serial: fixtures.card("C001").expect("card C001").serial.clone(),
        certificate: CertificateType::Juminhyo,
        options: IssuanceOptions {
            scope: Some(Scope::Holder),
            ..Default::default()
        },
        copies: 1,
    };
    match client.issue(AOBADAI, &request).await.expect("issue") {
        Reply::Ok { value, .. } => value.issuance_id,
        other => panic!("the issuance was refused: {other:?}"),
    }
}

async fn record_ids(client: &CandidateClient) -> Vec<String> {
    let day = chrono::DateTime::parse_from_rfc3339(RECEPTION)
        .expect("time")
        .date_naive();
    match client.records(AOBADAI, day, day).await.expect("records") {
        Reply::Ok { value, .. } => value.records.into_iter().map(|r| r.issuance_id).collect(),
        other => panic!("records were refused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_server_restarts_under_the_same_url_and_keeps_its_records() {
    let run = tempfile::tempdir().expect("run folder");
    let scratch = run.path().join("scratch");
    std::fs::create_dir_all(&scratch).expect("scratch");
    let fixtures = fixtures();
    let spec = CandidateSpec::Embedded {
        defects: Vec::new(),
    };
    let candidate = Candidate::launch(&spec, &fixtures, &scratch)
        .await
        .expect("the embedded server starts");
    assert_eq!(candidate.restart_unavailable(), None);
    // One client for the whole test, as the mock center has one for the whole run.
    let client =
        CandidateClient::new(candidate.center_client(), Arc::new(NoEvidence)).expect("client");
    let issued = issue_one(&client, &fixtures).await;
    let url = candidate.url.clone();
    candidate.restart().await.expect("the restart succeeds");
    assert_eq!(candidate.url, url, "the URL stays across a restart");
    assert_eq!(candidate.restart_count().await, 1);
    assert!(
        record_ids(&client).await.contains(&issued),
        "the issuance made before the restart is in the records after it"
    );
    // Concurrent restarts queue; both finish ready.
    let (a, b) = tokio::join!(candidate.restart(), candidate.restart());
    a.and(b).expect("concurrent restarts succeed");
    assert_eq!(candidate.restart_count().await, 3);
    assert!(record_ids(&client).await.contains(&issued));
    candidate.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_candidate_restarts_only_through_the_vendors_command() {
    let run = tempfile::tempdir().expect("run folder");
    let scratch = run.path().join("scratch");
    std::fs::create_dir_all(&scratch).expect("scratch");
    let fixtures = fixtures();
    let pki = fixtures.root.join("pki");
    // The vendor's server: the reference server on its own, reached by URL.
    let vendor = kofu_reference_server::start(kofu_reference_server::Config {
        fixtures: fixtures.clone(),
        municipalities: Vec::new(),
        database: scratch.join("vendor.sqlite"),
        defects: Default::default(),
        tls: Some(kofu_reference_server::TlsSettings {
            cert_pem: std::fs::read(pki.join("reference-server.pem")).expect("cert"),
            key_pem: std::fs::read(pki.join("reference-server.key")).expect("key"),
            client_ca_pem: Some(std::fs::read(pki.join("center-ca.pem")).expect("ca")),
        }),
    })
    .await
    .expect("the vendor's server starts");
    let remote = |restart_command: Option<&str>| CandidateSpec::Remote {
        url: vendor.url.clone(),
        municipalities: vec![fixtures.root.join("municipalities/aobadai.toml")],
        server_ca: Some(pki.join("candidate-ca.pem")),
        restart_command: restart_command.map(str::to_owned),
    };

    let plain = Candidate::launch(&remote(None), &fixtures, &scratch)
        .await
        .expect("launch");
    let why = plain.restart_unavailable().expect("no command: no restart");
    assert!(why.contains("--restart-command"), "{why}");
    assert!(plain.restart().await.is_err());

    let restartable = Candidate::launch(&remote(Some("echo restarting")), &fixtures, &scratch)
        .await
        .expect("launch");
    assert_eq!(restartable.restart_unavailable(), None);
    restartable
        .restart()
        .await
        .expect("the command runs, then identity answers 200");
    let out = std::fs::read_to_string(run.path().join("evidence/restart/1.stdout"))
        .expect("the command's output is kept in the run's evidence");
    assert_eq!(out.trim(), "restarting");

    let failing = Candidate::launch(&remote(Some("exit 7")), &fixtures, &scratch)
        .await
        .expect("launch");
    let error = failing
        .restart()
        .await
        .expect_err("a failing command fails");
    assert!(error.to_string().contains("exit 7"), "{error}");
    vendor.stop().await;
}
