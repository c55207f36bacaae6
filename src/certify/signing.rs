//! Ed25519 signing of `MANIFEST.json` with `ring`: keys as PEM, PKCS#8 (`PRIVATE KEY`)
//! for the signing key and SubjectPublicKeyInfo (`PUBLIC KEY`) for the public key, as
//! `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` write them.

use base64::Engine as _;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};

use super::CertifyError;

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// The repository's TEST public key (`fixtures/pki/certify-TEST-ONLY-public-key.pem`):
/// a bundle signed with it proves it is intact, not who sealed it.
pub const TEST_PUBLIC_KEY_PEM: &str =
    include_str!("../../fixtures/pki/certify-TEST-ONLY-public-key.pem");

/// An Ed25519 signing key.
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("public", &hex::encode(self.pair.public_key().as_ref()))
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Parse a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) holding an Ed25519 key.
    pub fn from_pem(pem: &[u8]) -> Result<Self, CertifyError> {
        let der = pem_body(pem, "PRIVATE KEY")?;
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
            .map_err(|e| CertifyError::Key(format!("not an Ed25519 PKCS#8 key: {e}")))?;
        Ok(Self { pair })
    }

    /// Sign `message`: 64 bytes.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.pair.sign(message).as_ref().to_vec()
    }

    /// The public key as a `PUBLIC KEY` PEM.
    pub fn public_key_pem(&self) -> String {
        let mut der = SPKI_PREFIX.to_vec();
        der.extend_from_slice(self.pair.public_key().as_ref());
        let body = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n")
    }
}

/// The 32 bytes of an Ed25519 `PUBLIC KEY` PEM.
pub fn public_key_from_pem(pem: &[u8]) -> Result<[u8; 32], CertifyError> {
    let der = pem_body(pem, "PUBLIC KEY")?;
    der.strip_prefix(&SPKI_PREFIX[..])
        .and_then(|key| <[u8; 32]>::try_from(key).ok())
        .ok_or_else(|| CertifyError::Key("not an Ed25519 public key (RFC 8410)".into()))
}

/// Whether `signature` is `public_key`'s Ed25519 signature of `message`.
pub fn verify(public_key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(message, signature)
        .is_ok()
}

/// The DER inside the one `label` block of a PEM.
fn pem_body(pem: &[u8], label: &str) -> Result<Vec<u8>, CertifyError> {
    let text = std::str::from_utf8(pem).map_err(|_| CertifyError::Key("PEM is not text".into()))?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text
        .find(&begin)
        .ok_or_else(|| CertifyError::Key(format!("no `{begin}` block")))?
        + begin.len();
    let stop = text[start..]
        .find(&end)
        .ok_or_else(|| CertifyError::Key(format!("no `{end}` line")))?
        + start;
    let body: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| CertifyError::Key(format!("PEM body is not base64: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_KEY: &[u8] = include_bytes!("../../fixtures/pki/certify-TEST-ONLY-signing-key.pem");

    #[test]
    fn the_committed_test_keys_are_a_pair() {
        let key = SigningKey::from_pem(TEST_KEY).unwrap();
        let public = public_key_from_pem(key.public_key_pem().as_bytes()).unwrap();
        assert_eq!(
            public,
            public_key_from_pem(TEST_PUBLIC_KEY_PEM.as_bytes()).unwrap()
        );
        let sig = key.sign(b"manifest");
        assert!(verify(&public, b"manifest", &sig));
        assert!(!verify(&public, b"manifesT", &sig));
    }
}
