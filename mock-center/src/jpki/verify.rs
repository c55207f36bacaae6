//! The center's check of a card: the certificate chains to the test JPKI CA, is within
//! its validity at the reception time, and the signature over the center's challenge
//! verifies with the certificate's public key. Revocation is asked of the validity
//! service separately (see [`crate::validity`]).

use chrono::{DateTime, FixedOffset};
use x509_parser::prelude::*;

/// Why the center refuses a card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardRefusal {
    /// The certificate does not parse.
    #[error("the card certificate does not parse")]
    Malformed,
    /// The certificate was not issued by the test JPKI CA.
    #[error("the card certificate was not issued by the JPKI CA")]
    UnknownCa,
    /// Outside its validity period at the reception time.
    #[error("the card certificate is expired (or not yet valid)")]
    Expired,
    /// The signature over the challenge does not verify.
    #[error("the signature over the challenge does not verify")]
    BadSignature,
}

/// A card that passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Certificate serial, uppercase hex without separators (as in the fixtures).
    pub serial: String,
}

/// The center's verifier.
#[derive(Debug, Clone)]
pub struct Verifier {
    ca_der: Vec<u8>,
}

const ED25519_OID: &str = "1.3.101.112";

impl Verifier {
    /// A verifier trusting exactly this CA certificate (DER).
    pub fn new(ca_der: Vec<u8>) -> Self {
        Self { ca_der }
    }

    /// Check a card certificate and its signature over `challenge` at time `at`.
    pub fn verify(
        &self,
        certificate_der: &[u8],
        challenge: &[u8],
        signature: &[u8],
        at: DateTime<FixedOffset>,
    ) -> Result<Verified, CardRefusal> {
        let (_, ca) =
            X509Certificate::from_der(&self.ca_der).map_err(|_| CardRefusal::UnknownCa)?;
        let (rest, cert) =
            X509Certificate::from_der(certificate_der).map_err(|_| CardRefusal::Malformed)?;
        if !rest.is_empty() {
            return Err(CardRefusal::Malformed);
        }
        if cert.issuer().as_raw() != ca.subject().as_raw()
            || cert.verify_signature(Some(ca.public_key())).is_err()
        {
            return Err(CardRefusal::UnknownCa);
        }
        let time = ASN1Time::from_timestamp(at.timestamp()).map_err(|_| CardRefusal::Expired)?;
        if !cert.validity().is_valid_at(time) {
            return Err(CardRefusal::Expired);
        }
        let spki = cert.public_key();
        if spki.algorithm.algorithm.to_id_string() != ED25519_OID {
            return Err(CardRefusal::BadSignature);
        }
        let key = ring::signature::UnparsedPublicKey::new(
            &ring::signature::ED25519,
            spki.subject_public_key.data.as_ref(),
        );
        key.verify(challenge, signature)
            .map_err(|_| CardRefusal::BadSignature)?;
        let serial = cert
            .raw_serial()
            .iter()
            .skip_while(|b| **b == 0)
            .map(|b| format!("{b:02X}"))
            .collect::<String>();
        Ok(Verified { serial })
    }
}
