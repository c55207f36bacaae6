use chrono::DateTime;
use kofu_fixtures::Fixtures;
use x509_parser::prelude::*;

use super::*;

fn jpki() -> TestJpki {
    let fixtures = Fixtures::load_default().expect("fixtures load");
    TestJpki::generate(&fixtures).expect("jpki generates")
}

fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("time")
}

const SCENARIO: &str = "2026-11-26T10:00:00+09:00";

#[test]
fn certificates_carry_serial_policy_and_validity() {
    let jpki = jpki();
    let card = jpki.card("C001").expect("C001");
    let (_, cert) = X509Certificate::from_der(&card.certificate_der).expect("parses");
    assert_eq!(
        cert.raw_serial_as_string().replace(':', "").to_uppercase(),
        card.serial
    );
    let policies = cert
        .iter_extensions()
        .find(|e| e.oid.to_id_string() == "2.5.29.32")
        .expect("certificate policies");
    match policies.parsed_extension() {
        ParsedExtension::CertificatePolicies(p) => {
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].policy_id.to_id_string(), "1.3.6.1.4.1.99999.1.2");
        }
        other => panic!("not parsed as policies: {other:?}"),
    }
    let expired = jpki.card("C102").expect("C102");
    let (_, cert) = X509Certificate::from_der(&expired.certificate_der).expect("parses");
    let scenario = ASN1Time::from_timestamp(at(SCENARIO).timestamp()).expect("time");
    assert!(!cert.validity().is_valid_at(scenario));
}

#[test]
fn generation_is_deterministic() {
    let a = jpki();
    let b = jpki();
    assert_eq!(a.ca_der, b.ca_der);
    assert_eq!(
        a.card("C001").map(|c| c.certificate_der.clone()),
        b.card("C001").map(|c| c.certificate_der.clone())
    );
}

#[test]
fn valid_card_verifies_and_others_are_refused() {
    let jpki = jpki();
    let verifier = jpki.verifier();
    let challenge = b"challenge-123";
    let c001 = jpki.card("C001").expect("C001");
    let sig = c001.sign_challenge("3116", challenge).expect("signs");
    assert_eq!(
        verifier.verify(&c001.certificate_der, challenge, &sig, at(SCENARIO)),
        Ok(Verified {
            serial: c001.serial.clone()
        })
    );
    let mut tampered = sig.clone();
    tampered[0] ^= 1;
    assert_eq!(
        verifier.verify(&c001.certificate_der, challenge, &tampered, at(SCENARIO)),
        Err(CardRefusal::BadSignature)
    );
    assert_eq!(
        verifier.verify(&c001.certificate_der, b"other", &sig, at(SCENARIO)),
        Err(CardRefusal::BadSignature)
    );
    let c102 = jpki.card("C102").expect("C102");
    let sig = c102.sign_challenge("7331", challenge).expect("signs");
    assert_eq!(
        verifier.verify(&c102.certificate_der, challenge, &sig, at(SCENARIO)),
        Err(CardRefusal::Expired)
    );
    let c104 = jpki.card("C104").expect("C104");
    let sig = c104.sign_challenge("1822", challenge).expect("signs");
    assert_eq!(
        verifier.verify(&c104.certificate_der, challenge, &sig, at(SCENARIO)),
        Err(CardRefusal::UnknownCa)
    );
    assert_eq!(
        verifier.verify(b"garbage", challenge, &sig, at(SCENARIO)),
        Err(CardRefusal::Malformed)
    );
}

#[test]
fn three_wrong_pins_lock_the_card() {
    let jpki = jpki();
    let card = jpki.card("C002").expect("C002");
    assert_eq!(
        card.sign_challenge("0000", b"x"),
        Err(CardError::WrongPin { remaining: 2 })
    );
    assert_eq!(
        card.sign_challenge("0000", b"x"),
        Err(CardError::WrongPin { remaining: 1 })
    );
    assert_eq!(card.sign_challenge("0000", b"x"), Err(CardError::Locked));
    let pin = Fixtures::load_default()
        .expect("fixtures")
        .card("C002")
        .expect("C002")
        .pin
        .clone();
    assert_eq!(card.sign_challenge(&pin, b"x"), Err(CardError::Locked));
    let locked = jpki.card("C103").expect("C103");
    assert_eq!(locked.sign_challenge("4335", b"x"), Err(CardError::Locked));
}
