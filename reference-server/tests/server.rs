//! The server on a real socket: restart persistence, TLS and mutual TLS, oversized
//! bodies over the wire.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use common::*;
use kofu_profile::identity::Identity;
use kofu_profile::issuance::Issuance;
use kofu_profile::records::Records;
use kofu_profile::{ErrorBody, MAX_REQUEST_BYTES, PROFILE_VERSION, VERSION_HEADER, paths};
use kofu_reference_server::{Config, Defect, TlsSettings, start};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

fn config(database: &Path, defects: &[Defect], tls: Option<TlsSettings>) -> Config {
    Config {
        fixtures: fixtures(),
        municipalities: Vec::new(),
        database: database.to_owned(),
        defects: defects.iter().copied().collect::<BTreeSet<_>>(),
        tls,
    }
}

fn plain_client() -> reqwest::Client {
    // reqwest is built without a default provider: every test that makes a client
    // installs ring itself, whatever order the tests run in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("client")
}

async fn post_json<T: serde::Serialize>(
    client: &reqwest::Client,
    url: &str,
    body: &T,
) -> reqwest::Response {
    client
        .post(url)
        .header(VERSION_HEADER, PROFILE_VERSION)
        .json(body)
        .send()
        .await
        .expect("response")
}

#[tokio::test]
async fn records_and_replays_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let client = plain_client();
    let req = juminhyo("C001");

    let server = start(config(&db, &[], None)).await.expect("start");
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let first: Issuance = post_json(
        &client,
        &format!("{}{}", server.url, paths::issuances(AOBADAI)),
        &req,
    )
    .await
    .json()
    .await
    .unwrap();
    server.stop().await;

    let server = start(config(&db, &[], None)).await.expect("restart");
    let base = server.url.clone();
    let replay: Issuance = post_json(
        &client,
        &format!("{base}{}", paths::issuances(AOBADAI)),
        &req,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(replay, first);
    let records: Records = client
        .get(format!(
            "{base}{}?from=2026-11-26&to=2026-11-26",
            paths::records(AOBADAI)
        ))
        .header(VERSION_HEADER, PROFILE_VERSION)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(records.records.len(), 1);
    assert_eq!(records.records[0].issuance_id, first.issuance_id);
    // A new issuance after the restart gets the next number.
    let next: Issuance = post_json(
        &client,
        &format!("{base}{}", paths::issuances(AOBADAI)),
        &juminhyo("C001"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_ne!(next.certificate_number, first.certificate_number);
    server.stop().await;
}

#[tokio::test]
async fn oversized_body_is_answered_413_over_the_wire() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(&dir.path().join("db.sqlite"), &[], None))
        .await
        .unwrap();
    let mut value = serde_json::to_value(juminhyo("C001")).unwrap();
    value["reception"]["terminal_id"] = serde_json::json!("T".repeat(MAX_REQUEST_BYTES * 4));
    let res = post_json(
        &plain_client(),
        &format!("{}{}", server.url, paths::issuances(AOBADAI)),
        &value,
    )
    .await;
    assert_eq!(res.status(), 413);
    assert_eq!(
        res.headers()
            .get(VERSION_HEADER)
            .and_then(|v| v.to_str().ok()),
        Some(PROFILE_VERSION)
    );
    let body: ErrorBody = res.json().await.unwrap();
    assert_eq!(body.code.code(), "payload-too-large");
    server.stop().await;
}

/// A CA and one leaf it signed, PEM.
struct Pki {
    ca_pem: String,
    leaf_pem: String,
    leaf_key_pem: String,
}

fn pki(name: &str, leaf_names: Vec<String>, usage: ExtendedKeyUsagePurpose) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, format!("{name} test CA"));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(leaf_names).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, format!("{name} leaf"));
    leaf.extended_key_usages = vec![usage];
    let cert = leaf.signed_by(&leaf_key, &ca).unwrap();
    Pki {
        ca_pem: ca.pem(),
        leaf_pem: cert.pem(),
        leaf_key_pem: leaf_key.serialize_pem(),
    }
}

fn tls_client(server_ca: &str, identity: Option<&Pki>) -> reqwest::Client {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(server_ca.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_slice(id.leaf_pem.as_bytes()).unwrap()],
                PrivateKeyDer::from_pem_slice(id.leaf_key_pem.as_bytes()).unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .unwrap()
}

async fn identity(client: &reqwest::Client, base: &str) -> Result<Identity, reqwest::Error> {
    client
        .get(format!("{base}{}", paths::IDENTITY))
        .header(VERSION_HEADER, PROFILE_VERSION)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

#[tokio::test]
async fn mutual_tls_requires_a_center_certificate() {
    let server_pki = pki(
        "server",
        vec!["127.0.0.1".into(), "localhost".into()],
        ExtendedKeyUsagePurpose::ServerAuth,
    );
    let center = pki("center", vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let stranger = pki("stranger", vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let tls = TlsSettings {
        cert_pem: server_pki.leaf_pem.clone().into_bytes(),
        key_pem: server_pki.leaf_key_pem.clone().into_bytes(),
        client_ca_pem: Some(center.ca_pem.clone().into_bytes()),
    };
    let dir = tempfile::tempdir().unwrap();

    let server = start(config(&dir.path().join("a.sqlite"), &[], Some(tls.clone())))
        .await
        .unwrap();
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let ok = identity(&tls_client(&server_pki.ca_pem, Some(&center)), &server.url).await;
    assert_eq!(ok.expect("the center is let in").profile_version, "1.2");
    assert!(
        identity(&tls_client(&server_pki.ca_pem, None), &server.url)
            .await
            .is_err()
    );
    assert!(
        identity(
            &tls_client(&server_pki.ca_pem, Some(&stranger)),
            &server.url
        )
        .await
        .is_err()
    );
    server.stop().await;

    let lax = start(config(
        &dir.path().join("b.sqlite"),
        &[Defect::MtlsNotEnforced],
        Some(tls),
    ))
    .await
    .unwrap();
    assert!(
        identity(&tls_client(&server_pki.ca_pem, None), &lax.url)
            .await
            .is_ok()
    );
    lax.stop().await;
}
