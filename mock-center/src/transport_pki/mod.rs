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
//!
//! This is the PKI of the connection (TLS), not of the card: the test JPKI of the
//! 利用者証明用電子証明書 is [`crate::jpki`].

mod generate;

use std::path::{Path, PathBuf};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

pub use generate::generate;

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
pub const README_TEXT: &str = include_str!("readme.md");

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

#[cfg(test)]
mod tests;
