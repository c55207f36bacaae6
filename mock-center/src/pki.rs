//! The synthetic, test-only PKI of the transport between the center and a candidate.
//!
//! Everything here is for conformance testing on loopback. The private keys are
//! committed to the repository next to their certificates (`fixtures/pki/`): they are
//! public test keys and must never protect anything real.
//!
//! | file | what it is |
//! |------|------------|
//! | `center-ca.pem` / `.key` | the kofu test center CA; candidates requiring mutual TLS trust it |
//! | `center-client.pem` / `.key` | the center's client certificate (clientAuth), signed by the center CA |
//! | `candidate-ca.pem` / `.key` | the test CA of the bundled reference server's certificate |
//! | `reference-server.pem` / `.key` | server certificate (serverAuth) for 127.0.0.1, ::1 and localhost, signed by the candidate CA |
//! | `stranger-ca.pem` | an unrelated self-signed CA that nobody trusts |
//! | `stranger-client.pem` / `.key` | a client certificate (clientAuth) signed by the stranger CA |
//!
//! [`generate`] writes a fresh set (new keys every time) with the fixed validity
//! [`NOT_BEFORE`] to [`NOT_AFTER`], so that committed files stay valid for years.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// First day of validity of every generated certificate (UTC midnight).
pub const NOT_BEFORE: (i32, u8, u8) = (2026, 1, 1);

/// End of validity of every generated certificate (UTC midnight).
pub const NOT_AFTER: (i32, u8, u8) = (2046, 1, 1);

/// Organisation named in every subject, so that nobody mistakes these for real ones.
pub const ORGANIZATION: &str = "kofu synthetic test PKI - NOT FOR PRODUCTION";

/// File names of the test PKI.
pub mod files {
    /// The kofu test center CA certificate.
    pub const CENTER_CA_CERT: &str = "center-ca.pem";
    /// The kofu test center CA key.
    pub const CENTER_CA_KEY: &str = "center-ca.key";
    /// The center's client certificate.
    pub const CENTER_CLIENT_CERT: &str = "center-client.pem";
    /// The center's client key.
    pub const CENTER_CLIENT_KEY: &str = "center-client.key";
    /// The test CA of the reference server's certificate.
    pub const CANDIDATE_CA_CERT: &str = "candidate-ca.pem";
    /// The key of the candidate test CA.
    pub const CANDIDATE_CA_KEY: &str = "candidate-ca.key";
    /// The reference server's certificate.
    pub const REFERENCE_SERVER_CERT: &str = "reference-server.pem";
    /// The reference server's key.
    pub const REFERENCE_SERVER_KEY: &str = "reference-server.key";
    /// The unrelated, untrusted CA certificate.
    pub const STRANGER_CA_CERT: &str = "stranger-ca.pem";
    /// A client certificate from the unrelated CA.
    pub const STRANGER_CLIENT_CERT: &str = "stranger-client.pem";
    /// The key of the stranger client certificate.
    pub const STRANGER_CLIENT_KEY: &str = "stranger-client.key";
    /// The description of the files.
    pub const README: &str = "README.md";

    /// Every file [`super::generate`] writes.
    pub const ALL: [&str; 12] = [
        CENTER_CA_CERT,
        CENTER_CA_KEY,
        CENTER_CLIENT_CERT,
        CENTER_CLIENT_KEY,
        CANDIDATE_CA_CERT,
        CANDIDATE_CA_KEY,
        REFERENCE_SERVER_CERT,
        REFERENCE_SERVER_KEY,
        STRANGER_CA_CERT,
        STRANGER_CLIENT_CERT,
        STRANGER_CLIENT_KEY,
        README,
    ];
}

/// The README written next to the generated files.
pub const README_TEXT: &str = include_str!("pki_readme.md");

/// Errors generating, writing or reading the test PKI.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// rcgen refused to build a key or certificate.
    #[error("cannot generate the {what} of the test pki")]
    Generate {
        /// Which key or certificate.
        what: &'static str,
        /// The cause.
        #[source]
        source: rcgen::Error,
    },
    /// The output directory could not be created.
    #[error("cannot create the test pki directory {}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write the test pki file {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A PEM input could not be parsed.
    #[error("cannot parse the pem of the {what}")]
    Pem {
        /// What the PEM was meant to hold.
        what: String,
        /// The cause.
        #[source]
        source: rustls_pki_types::pem::Error,
    },
    /// A PEM input holds no certificate.
    #[error("the pem of the {what} holds no certificate")]
    NoCertificate {
        /// What the PEM was meant to hold.
        what: String,
    },
}

/// The committed test PKI: `fixtures/pki/` of this repository.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fixtures")
        .join("pki")
}

/// Every certificate in a PEM input, in order. `what` names the input in errors.
pub fn certs_from_pem(what: &str, pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, PkiError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| PkiError::Pem {
            what: what.to_owned(),
            source,
        })?;
    if certs.is_empty() {
        return Err(PkiError::NoCertificate {
            what: what.to_owned(),
        });
    }
    Ok(certs)
}

/// The first private key (PKCS#8, PKCS#1 or SEC1) in a PEM input. `what` names the input
/// in errors.
pub fn key_from_pem(what: &str, pem: &[u8]) -> Result<PrivateKeyDer<'static>, PkiError> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|source| PkiError::Pem {
        what: what.to_owned(),
        source,
    })
}

/// Generate a fresh test PKI into `dir` (created if missing), overwriting the files of
/// [`files::ALL`]. Keys are ECDSA P-256, new on every call.
pub fn generate(dir: &Path) -> Result<(), PkiError> {
    std::fs::create_dir_all(dir).map_err(|source| PkiError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;

    let center_ca = new_ca("center CA", "kofu TEST center CA")?;
    let (center_client, center_client_key) = new_leaf(
        "center client certificate",
        "kofu TEST center client",
        &center_ca,
        Leaf::Client,
    )?;
    let candidate_ca = new_ca("candidate CA", "kofu TEST candidate CA")?;
    let (server, server_key) = new_leaf(
        "reference server certificate",
        "kofu TEST reference server",
        &candidate_ca,
        Leaf::Server,
    )?;
    let stranger_ca = new_ca("stranger CA", "kofu TEST stranger CA (trusted by nobody)")?;
    let (stranger_client, stranger_client_key) = new_leaf(
        "stranger client certificate",
        "kofu TEST stranger client",
        &stranger_ca,
        Leaf::Client,
    )?;

    let outputs: [(&str, String); 12] = [
        (files::CENTER_CA_CERT, center_ca.pem()),
        (files::CENTER_CA_KEY, center_ca.key().serialize_pem()),
        (files::CENTER_CLIENT_CERT, center_client),
        (files::CENTER_CLIENT_KEY, center_client_key),
        (files::CANDIDATE_CA_CERT, candidate_ca.pem()),
        (files::CANDIDATE_CA_KEY, candidate_ca.key().serialize_pem()),
        (files::REFERENCE_SERVER_CERT, server),
        (files::REFERENCE_SERVER_KEY, server_key),
        (files::STRANGER_CA_CERT, stranger_ca.pem()),
        (files::STRANGER_CLIENT_CERT, stranger_client),
        (files::STRANGER_CLIENT_KEY, stranger_client_key),
        (files::README, README_TEXT.to_owned()),
    ];
    for (name, text) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| PkiError::Write { path, source })?;
    }
    tracing::info!(dir = %dir.display(), "generated the synthetic test pki");
    Ok(())
}

#[derive(Clone, Copy)]
enum Leaf {
    Client,
    Server,
}

fn subject(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "JP");
    dn.push(DnType::OrganizationName, ORGANIZATION);
    dn.push(DnType::CommonName, common_name);
    dn
}

fn base_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = subject(common_name);
    params.not_before = rcgen::date_time_ymd(NOT_BEFORE.0, NOT_BEFORE.1, NOT_BEFORE.2);
    params.not_after = rcgen::date_time_ymd(NOT_AFTER.0, NOT_AFTER.1, NOT_AFTER.2);
    params
}

fn new_key(what: &'static str) -> Result<KeyPair, PkiError> {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|source| PkiError::Generate { what, source })
}

fn new_ca(
    what: &'static str,
    common_name: &str,
) -> Result<CertifiedIssuer<'static, KeyPair>, PkiError> {
    let mut params = base_params(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let key = new_key(what)?;
    CertifiedIssuer::self_signed(params, key).map_err(|source| PkiError::Generate { what, source })
}

/// A leaf certificate and its key, both PEM.
fn new_leaf(
    what: &'static str,
    common_name: &str,
    issuer: &CertifiedIssuer<'static, KeyPair>,
    leaf: Leaf,
) -> Result<(String, String), PkiError> {
    let mut params = base_params(common_name);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    match leaf {
        Leaf::Client => {
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        }
        Leaf::Server => {
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.subject_alt_names = vec![
                SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()),
                SanType::IpAddress(std::net::Ipv6Addr::LOCALHOST.into()),
                SanType::DnsName(
                    "localhost"
                        .try_into()
                        .map_err(|source| PkiError::Generate { what, source })?,
                ),
            ];
        }
    }
    let key = new_key(what)?;
    let cert = params
        .signed_by(&key, issuer)
        .map_err(|source| PkiError::Generate { what, source })?;
    Ok((cert.pem(), key.serialize_pem()))
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
