//! The test JPKI: a synthetic root CA standing in for the JPKI CA, and one
//! 利用者証明用電子証明書 (user-authentication certificate) per fixture card, generated at
//! run time. Nothing here is real: the CA, the keys and the certificates are test data.
//!
//! Keys are Ed25519 and **derived from fixed seeds** (SHA-256 of a label and the card id),
//! so that a center and a terminal started as separate processes agree on the same CA and
//! the same card certificates without sharing files. That makes every key public by
//! construction: test-only, never for anything else.
//!
//! - [`TestJpki::generate`] builds the CA, a second CA trusted by nobody (the issuer of
//!   `unknown-ca` cards) and every card.
//! - [`Card::sign_challenge`] is the card's chip: it signs the center's challenge after the
//!   right PIN, and refuses after three wrong PINs (a `locked` card is locked from the start).
//! - [`Verifier`] is the center's side: chain to the test CA, validity at the reception
//!   time, and the signature over the challenge with the certificate's public key.

mod verify;

use std::sync::Mutex;

use kofu_fixtures::{CardState, Fixtures};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, KeyPair,
    KeyUsagePurpose, SerialNumber, SigningKey as _,
};
use sha2::{Digest as _, Sha256};

pub use verify::{CardRefusal, Verified, Verifier};

/// Synthetic certificate policy OID of the test 利用者証明用電子証明書 (under the
/// documentation-only arc 1.3.6.1.4.1.99999, which is not assigned to anyone).
pub const USER_AUTH_POLICY_OID: &[u64] = &[1, 3, 6, 1, 4, 1, 99999, 1, 2];
/// OID of the certificate-policies extension.
pub const CERTIFICATE_POLICIES_OID: &[u64] = &[2, 5, 29, 32];
/// Wrong PINs a card accepts before it locks.
pub const MAX_PIN_ATTEMPTS: u8 = 3;

/// Validity of valid cards (and of every card but the expired ones).
const VALID_FROM: (i32, u8, u8) = (2022, 1, 1);
const VALID_UNTIL: (i32, u8, u8) = (2031, 12, 31);
/// Validity of expired cards: ended before the scenario date 2026-11-26.
const EXPIRED_FROM: (i32, u8, u8) = (2021, 4, 1);
const EXPIRED_UNTIL: (i32, u8, u8) = (2026, 3, 31);

/// Errors building the test JPKI.
#[derive(Debug, thiserror::Error)]
pub enum JpkiError {
    /// rcgen refused something.
    #[error("cannot generate the {what}")]
    Generate {
        /// What was being generated.
        what: String,
        /// The cause.
        #[source]
        source: rcgen::Error,
    },
    /// A fixture serial is not hex.
    #[error("card {card}: serial `{serial}` is not hexadecimal")]
    Serial {
        /// The card.
        card: String,
        /// The serial.
        serial: String,
    },
}

/// What a card's chip answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// The PIN was wrong; `remaining` tries are left before the card locks.
    #[error("wrong PIN ({remaining} attempts left)")]
    WrongPin {
        /// Attempts left.
        remaining: u8,
    },
    /// The card is locked (three wrong PINs, now or before).
    #[error("the card is PIN-locked")]
    Locked,
    /// The chip failed to sign.
    #[error("the card could not sign")]
    SignFailed,
}

/// One test card: its certificate and its private key (the chip).
pub struct Card {
    /// Fixture id, e.g. `C001`.
    pub id: String,
    /// Certificate serial, uppercase hex as in the fixtures.
    pub serial: String,
    /// The fixture state.
    pub state: CardState,
    /// The certificate, DER.
    pub certificate_der: Vec<u8>,
    pin: String,
    key: KeyPair,
    wrong_pins: Mutex<u8>,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("id", &self.id)
            .field("serial", &self.serial)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Card {
    /// Sign `challenge` after checking `pin`. Three wrong PINs lock the card for good;
    /// a card in the `locked` state is locked from the start.
    pub fn sign_challenge(&self, pin: &str, challenge: &[u8]) -> Result<Vec<u8>, CardError> {
        let mut wrong = self
            .wrong_pins
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *wrong >= MAX_PIN_ATTEMPTS {
            return Err(CardError::Locked);
        }
        if pin != self.pin {
            *wrong += 1;
            return if *wrong >= MAX_PIN_ATTEMPTS {
                Err(CardError::Locked)
            } else {
                Err(CardError::WrongPin {
                    remaining: MAX_PIN_ATTEMPTS - *wrong,
                })
            };
        }
        *wrong = 0;
        self.key.sign(challenge).map_err(|_| CardError::SignFailed)
    }

    /// Whether the chip is locked.
    pub fn is_locked(&self) -> bool {
        self.wrong_pins
            .lock()
            .map(|w| *w >= MAX_PIN_ATTEMPTS)
            .unwrap_or(true)
    }
}

/// The test JPKI of a run.
pub struct TestJpki {
    /// The test JPKI CA certificate, DER: the only trust anchor of the center.
    pub ca_der: Vec<u8>,
    /// The CA trusted by nobody that issues `unknown-ca` cards, DER.
    pub other_ca_der: Vec<u8>,
    cards: Vec<Card>,
}

impl std::fmt::Debug for TestJpki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestJpki")
            .field("cards", &self.cards.len())
            .finish_non_exhaustive()
    }
}

/// Ed25519 key from a fixed seed: PKCS#8 v1 around SHA-256(label).
fn seeded_key(label: &str) -> Result<KeyPair, JpkiError> {
    let seed = Sha256::digest(format!("kofu TEST jpki/{label}").as_bytes());
    let mut pkcs8 = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    pkcs8.extend_from_slice(&seed);
    KeyPair::try_from(pkcs8.as_slice()).map_err(|source| JpkiError::Generate {
        what: format!("key {label}"),
        source,
    })
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "JP");
    dn.push(DnType::OrganizationName, "kofu TEST JPKI (synthetic)");
    dn.push(DnType::CommonName, common_name);
    dn
}

/// DER of the certificate-policies extension value with one policy and no qualifiers:
/// `SEQUENCE { SEQUENCE { OBJECT IDENTIFIER policy } }`.
pub fn certificate_policies_der(policy: &[u64]) -> Vec<u8> {
    let oid = oid_der(policy);
    let info = der_tlv(0x30, &oid);
    der_tlv(0x30, &info)
}

fn oid_der(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    if arcs.len() >= 2 {
        base128(arcs[0] * 40 + arcs[1], &mut body);
        for arc in &arcs[2..] {
            base128(*arc, &mut body);
        }
    }
    der_tlv(0x06, &body)
}

fn base128(mut value: u64, out: &mut Vec<u8>) {
    let mut bytes = vec![(value & 0x7f) as u8];
    value >>= 7;
    while value > 0 {
        bytes.push(((value & 0x7f) as u8) | 0x80);
        value >>= 7;
    }
    bytes.reverse();
    out.extend(bytes);
}

fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xff {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(body);
    out
}

fn parse_serial(card: &str, serial: &str) -> Result<Vec<u8>, JpkiError> {
    let bad = || JpkiError::Serial {
        card: card.to_owned(),
        serial: serial.to_owned(),
    };
    if serial.is_empty() || !serial.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..serial.len())
        .step_by(2)
        .map(|i| {
            serial
                .get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}

struct Ca {
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
}

fn ca(label: &str, common_name: &str) -> Result<Ca, JpkiError> {
    let key = seeded_key(label)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = name(common_name);
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2040, 12, 31);
    params.serial_number = Some(SerialNumber::from_slice(&[0x01]));
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let cert = params
        .self_signed(&key)
        .map_err(|source| JpkiError::Generate {
            what: format!("CA {common_name}"),
            source,
        })?;
    Ok(Ca {
        der: cert.der().to_vec(),
        params,
        key,
    })
}

impl TestJpki {
    /// Generate the CA and one certificate per fixture card. Deterministic: the same
    /// fixtures give the same keys and the same certificates in every process.
    pub fn generate(fixtures: &Fixtures) -> Result<Self, JpkiError> {
        let jpki_ca = ca("ca", "kofu TEST JPKI user-authentication CA")?;
        let other_ca = ca("other-ca", "kofu TEST unknown CA (trusted by nobody)")?;
        let jpki_issuer = rcgen::Issuer::from_params(&jpki_ca.params, &jpki_ca.key);
        let other_issuer = rcgen::Issuer::from_params(&other_ca.params, &other_ca.key);
        let mut cards = Vec::with_capacity(fixtures.cards.len());
        for card in &fixtures.cards {
            let key = seeded_key(&format!("card/{}", card.id))?;
            let mut params = CertificateParams::default();
            params.distinguished_name = name(&format!("kofu TEST card {}", card.id));
            params.serial_number = Some(SerialNumber::from_slice(&parse_serial(
                &card.id,
                &card.serial,
            )?));
            let (from, until) = if card.state == CardState::Expired {
                (EXPIRED_FROM, EXPIRED_UNTIL)
            } else {
                (VALID_FROM, VALID_UNTIL)
            };
            params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
            params.not_after = rcgen::date_time_ymd(until.0, until.1, until.2);
            params.is_ca = IsCa::ExplicitNoCa;
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.custom_extensions = vec![CustomExtension::from_oid_content(
                CERTIFICATE_POLICIES_OID,
                certificate_policies_der(USER_AUTH_POLICY_OID),
            )];
            let issuer = if card.state == CardState::UnknownCa {
                &other_issuer
            } else {
                &jpki_issuer
            };
            let cert = params
                .signed_by(&key, issuer)
                .map_err(|source| JpkiError::Generate {
                    what: format!("certificate of card {}", card.id),
                    source,
                })?;
            let locked = card.state == CardState::Locked;
            cards.push(Card {
                id: card.id.clone(),
                serial: card.serial.to_ascii_uppercase(),
                state: card.state,
                certificate_der: cert.der().to_vec(),
                pin: card.pin.clone(),
                key,
                wrong_pins: Mutex::new(if locked { MAX_PIN_ATTEMPTS } else { 0 }),
            });
        }
        Ok(Self {
            ca_der: jpki_ca.der,
            other_ca_der: other_ca.der,
            cards,
        })
    }

    /// The card with this fixture id.
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// Every card.
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    /// The center's verifier, trusting only the test JPKI CA.
    pub fn verifier(&self) -> Verifier {
        Verifier::new(self.ca_der.clone())
    }
}

#[cfg(test)]
mod tests;
