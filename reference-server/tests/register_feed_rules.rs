//! The register feed (異動連携) and the restrictions over a loopback socket: DV等支援措置,
//! tax corrections and decisions on 利用登録申請 from the feed.

mod common;

use common::live::{Live, event, offers, request_at};
use common::*;
use kofu_profile::content::Content;
use kofu_profile::registration::{Registration, RegistrationRequest, RegistrationStatus};
use kofu_profile::{CertificateType, IssuanceOptions, Scope, paths};
use pretty_assertions::assert_eq;
use serde_json::json;

const AT_0959: &str = "2026-11-26T09:59:59+09:00";
const AT_1000: &str = "2026-11-26T10:00:00+09:00";
const AT_1100: &str = "2026-11-26T11:00:00+09:00";

#[tokio::test]
async fn dv_protection_from_the_feed_protects_the_household_and_register() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "dv-started", "person": "R216" }),
    ))
    .await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "dv-ended", "person": "R218" }),
    ))
    .await;
    assert!(live.menu(AOBADAI, "C216", AT_1000).await.items.is_empty());
    let husband = live.menu(AOBADAI, "C215", AT_1000).await;
    let juminhyo = &husband.items[0];
    assert!(!juminhyo.scopes.contains(&Scope::Household));
    assert!(juminhyo.members.iter().all(|m| m.member_id != "R216"));
    assert!(
        !offers(&husband, CertificateType::KosekiZenbu)
            && !offers(&husband, CertificateType::Fuhyo)
    );
    assert!(offers(&husband, CertificateType::KosekiKojin));
    assert!(live.menu(AOBADAI, "C218", AT_0959).await.items.is_empty());
    assert!(offers(
        &live.menu(AOBADAI, "C218", AT_1000).await,
        CertificateType::Juminhyo
    ));
}

#[tokio::test]
async fn a_tax_correction_replaces_the_assessment_of_its_year() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "tax-corrected", "person": "R219", "fiscal_year": 2025,
                "total_income": 4_321_000, "municipal_tax": 210_000, "prefectural_tax": 140_000 }),
    ))
    .await;
    let kazei = |year| {
        let options = IssuanceOptions {
            fiscal_year: Some(year),
            ..Default::default()
        };
        request_at("C219", CertificateType::Kazei, options, AT_1000)
    };
    match live.issued(AOBADAI, &kazei(2025)).await.content {
        Content::Tax(t) => assert_eq!(
            (t.total_income, t.municipal_tax, t.prefectural_tax),
            (4_321_000, 210_000, 140_000)
        ),
        other => panic!("{other:?}"),
    }
    let base = fixtures();
    let before = base
        .register
        .person("R219")
        .unwrap()
        .tax
        .iter()
        .find(|t| t.fiscal_year == 2026)
        .unwrap()
        .clone();
    match live.issued(AOBADAI, &kazei(2026)).await.content {
        Content::Tax(t) => assert_eq!(t.total_income, before.total_income),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_decision_on_a_registration_lets_koseki_types_be_issued() {
    let live = Live::start(&[]).await;
    // On file: R221's pending registration with 青葉台市.
    assert!(!offers(
        &live.menu(AOBADAI, "C221", AT_1000).await,
        CertificateType::KosekiZenbu
    ));
    live.applied(&event(
        AT_1000,
        json!({ "kind": "registration-decided", "registration_id": "REG-990001-000221", "decision": "approved" }),
    ))
    .await;
    assert!(offers(
        &live.menu(AOBADAI, "C221", AT_1000).await,
        CertificateType::KosekiZenbu
    ));
    let got: Registration = live
        .get(&paths::registration(AOBADAI, "REG-990001-000221"))
        .await
        .ok();
    assert_eq!(got.status, RegistrationStatus::Approved);
    // Filed at a kiosk: R220 files, then the 本籍地 decides.
    let filing = RegistrationRequest {
        reception: reception_at("2026-11-26T09:00:00+09:00"),
        card_serial: serial("C220"),
    };
    let filed: Registration = live
        .post(&paths::registrations(AOBADAI), &filing)
        .await
        .ok();
    assert_eq!(filed.status, RegistrationStatus::Pending);
    live.applied(&event(
        AT_1100,
        json!({ "kind": "registration-decided", "registration_id": filed.registration_id, "decision": "approved" }),
    ))
    .await;
    let menu = live.menu(AOBADAI, "C220", AT_1000).await;
    assert_eq!(menu.koseki_registration, Some(RegistrationStatus::Pending));
    let menu = live.menu(AOBADAI, "C220", AT_1100).await;
    assert!(offers(&menu, CertificateType::KosekiZenbu), "{menu:?}");
    let got: Registration = live
        .get(&paths::registration(AOBADAI, &filed.registration_id))
        .await
        .ok();
    assert_eq!(got.status, RegistrationStatus::Approved);
}
