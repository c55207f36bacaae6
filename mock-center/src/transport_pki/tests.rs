use super::*;
use rcgen::KeyPair;
use x509_parser::prelude::*;

struct Loaded {
    der: Vec<u8>,
}

impl Loaded {
    fn read(dir: &Path, name: &str) -> Self {
        let pem = std::fs::read(dir.join(name)).unwrap();
        let mut certs = certs_from_pem(name, &pem).unwrap();
        assert_eq!(certs.len(), 1, "{name} holds one certificate");
        Loaded {
            der: certs.remove(0).to_vec(),
        }
    }

    fn cert(&self) -> X509Certificate<'_> {
        let (rest, cert) = X509Certificate::from_der(&self.der).unwrap();
        assert!(rest.is_empty());
        cert
    }
}

fn at(year: i32, month: u8, day: u8) -> ASN1Time {
    ASN1Time::from(rcgen::date_time_ymd(year, month, day))
}

fn eku(cert: &X509Certificate<'_>) -> (bool, bool) {
    let eku = cert.extended_key_usage().unwrap().unwrap().value;
    (eku.server_auth, eku.client_auth)
}

/// Parse, chain and date-check every certificate of a PKI directory.
fn check(dir: &Path) {
    let center_ca = Loaded::read(dir, files::CENTER_CA_CERT);
    let center_client = Loaded::read(dir, files::CENTER_CLIENT_CERT);
    let candidate_ca = Loaded::read(dir, files::CANDIDATE_CA_CERT);
    let server = Loaded::read(dir, files::REFERENCE_SERVER_CERT);
    let stranger_ca = Loaded::read(dir, files::STRANGER_CA_CERT);
    let stranger = Loaded::read(dir, files::STRANGER_CLIENT_CERT);

    let (center_ca, center_client, candidate_ca, server, stranger_ca, stranger) = (
        center_ca.cert(),
        center_client.cert(),
        candidate_ca.cert(),
        server.cert(),
        stranger_ca.cert(),
        stranger.cert(),
    );

    // Chains: each leaf verifies with its CA's key, CAs are self-signed.
    for ca in [&center_ca, &candidate_ca, &stranger_ca] {
        assert!(ca.is_ca(), "{} is a CA", ca.subject());
        ca.verify_signature(None).unwrap();
    }
    center_client
        .verify_signature(Some(center_ca.public_key()))
        .unwrap();
    server
        .verify_signature(Some(candidate_ca.public_key()))
        .unwrap();
    stranger
        .verify_signature(Some(stranger_ca.public_key()))
        .unwrap();
    assert_eq!(center_client.issuer(), center_ca.subject());
    assert_eq!(server.issuer(), candidate_ca.subject());
    // The stranger does not chain to the center CA.
    assert!(
        stranger
            .verify_signature(Some(center_ca.public_key()))
            .is_err()
    );
    assert_ne!(stranger.issuer(), center_ca.subject());

    // Purposes.
    assert_eq!(eku(&center_client), (false, true));
    assert_eq!(eku(&stranger), (false, true));
    assert_eq!(eku(&server), (true, false));
    let sans: Vec<String> = server
        .subject_alternative_name()
        .unwrap()
        .unwrap()
        .value
        .general_names
        .iter()
        .map(|n| match n {
            GeneralName::DNSName(d) => d.to_string(),
            GeneralName::IPAddress(ip) => match ip.len() {
                4 => std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*ip).unwrap()).to_string(),
                _ => std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*ip).unwrap()).to_string(),
            },
            other => panic!("unexpected san {other:?}"),
        })
        .collect();
    assert_eq!(sans, ["127.0.0.1", "::1", "localhost"]);

    // Validity.
    for cert in [
        &center_ca,
        &center_client,
        &candidate_ca,
        &server,
        &stranger_ca,
        &stranger,
    ] {
        assert!(cert.validity().is_valid_at(at(2026, 11, 26)));
        assert!(cert.validity().is_valid_at(at(2045, 12, 31)));
        assert!(!cert.validity().is_valid_at(at(2025, 12, 31)));
        assert!(
            cert.subject().to_string().contains("NOT FOR PRODUCTION"),
            "{} is labelled",
            cert.subject()
        );
    }

    // Every key parses, and belongs to its certificate.
    for (cert_name, key_name) in [
        (files::CENTER_CA_CERT, files::CENTER_CA_KEY),
        (files::CENTER_CLIENT_CERT, files::CENTER_CLIENT_KEY),
        (files::CANDIDATE_CA_CERT, files::CANDIDATE_CA_KEY),
        (files::REFERENCE_SERVER_CERT, files::REFERENCE_SERVER_KEY),
        (files::STRANGER_CLIENT_CERT, files::STRANGER_CLIENT_KEY),
    ] {
        let key_pem = std::fs::read_to_string(dir.join(key_name)).unwrap();
        key_from_pem(key_name, key_pem.as_bytes()).unwrap();
        let key = KeyPair::from_pem(&key_pem).unwrap();
        let cert = Loaded::read(dir, cert_name);
        assert_eq!(
            cert.cert().public_key().subject_public_key.data.as_ref(),
            key.public_key_raw(),
            "{key_name} is the key of {cert_name}"
        );
    }
}

#[test]
fn committed_pki_is_valid() {
    check(&fixtures_dir());
    let readme = std::fs::read_to_string(fixtures_dir().join(files::README)).unwrap();
    assert_eq!(readme, README_TEXT, "fixtures/pki/README.md is up to date");
}

#[test]
fn generated_pki_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path()).unwrap();
    check(dir.path());
}

/// Rewrites `fixtures/pki/`:
/// `KOFU_REGENERATE_PKI=1 cargo test -p kofu-mock-center regenerate_committed_pki -- --ignored`
#[test]
#[ignore = "rewrites fixtures/pki; run with KOFU_REGENERATE_PKI=1 and --ignored"]
fn regenerate_committed_pki() {
    if std::env::var("KOFU_REGENERATE_PKI").as_deref() != Ok("1") {
        eprintln!("KOFU_REGENERATE_PKI=1 is not set: fixtures/pki left as is");
        return;
    }
    generate(&fixtures_dir()).unwrap();
    check(&fixtures_dir());
}
