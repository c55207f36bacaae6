//! Delivering register events (異動連携) over a loopback socket: idempotency on the
//! event id, the refusals in the profile's order, and events kept across a restart.

mod common;

use common::live::{Live, event, offers};
use common::*;
use kofu_profile::{CertificateType, PROFILE_VERSION, paths};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const AT_1000: &str = "2026-11-26T10:00:00+09:00";
const AT_1100: &str = "2026-11-26T11:00:00+09:00";

fn abolished(person: &str) -> Value {
    event(
        AT_1000,
        json!({ "kind": "seal-abolished", "person": person }),
    )
}

#[tokio::test]
async fn a_repeated_delivery_is_already_applied_and_adds_nothing() {
    let live = Live::start(&[]).await;
    let moved_out = event(
        AT_1000,
        json!({ "kind": "moved-out", "person": "R223", "date": "2026-11-26",
                "new_address": "架空県海辺市南町一丁目1番1号" }),
    );
    live.applied(&moved_out).await;
    let again: Value = live.deliver(AOBADAI, &moved_out).await.ok();
    assert_eq!(
        again,
        json!({ "event_id": moved_out["event_id"], "status": "already-applied" })
    );
    let req = common::live::request_at("C222", CertificateType::Fuhyo, Default::default(), AT_1100);
    let issued = live.issued(AOBADAI, &req).await;
    let kofu_profile::content::Content::FamilyRegisterAnnex(annex) = issued.content else {
        panic!("an annex")
    };
    let r223 = annex
        .persons
        .iter()
        .find(|p| p.name == "岩田 大輔")
        .unwrap();
    let addresses: Vec<&str> = r223.addresses.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(
        addresses,
        vec![
            "架空県青葉台市若葉町六丁目1番4号",
            "架空県海辺市南町一丁目1番1号"
        ]
    );
}

#[tokio::test]
async fn an_event_id_with_another_body_is_a_conflict_and_changes_nothing() {
    let live = Live::start(&[]).await;
    let first = abolished("R230");
    live.applied(&first).await;
    let mut other = event(
        AT_1000,
        json!({ "kind": "name-changed", "person": "R230", "name": "小川 健", "kana": "オガワ ケン" }),
    );
    other["event_id"] = first["event_id"].clone();
    live.deliver(AOBADAI, &other)
        .await
        .error(409, "request-id-conflict");
    // The same instant written with another offset is another body (as parsed JSON).
    let mut shifted = first.clone();
    shifted["effective_at"] = json!("2026-11-26T01:00:00+00:00");
    live.deliver(AOBADAI, &shifted)
        .await
        .error(409, "request-id-conflict");
    let req = common::live::request_at(
        "C230",
        CertificateType::Juminhyo,
        kofu_profile::IssuanceOptions {
            scope: Some(kofu_profile::Scope::Holder),
            ..Default::default()
        },
        AT_1100,
    );
    let issued = live.issued(AOBADAI, &req).await;
    assert!(pdf_text(&pdf_bytes(&issued)).contains("小川健太"));
    assert!(!offers(
        &live.menu(AOBADAI, "C230", AT_1100).await,
        CertificateType::Inkan
    ));
}

#[tokio::test]
async fn refusals_come_in_the_profiles_order_and_change_nothing() {
    let live = Live::start(&[]).await;
    let path = paths::register_events(AOBADAI);
    live.deliver("999999", &abolished("R231"))
        .await
        .error(404, "unknown-municipality");
    for bad in [
        json!({ "event_id": uuid::Uuid::new_v4(), "effective_at": AT_1000,
                "change": { "kind": "moved-to-mars", "person": "R231" } }),
        json!({ "event_id": uuid::Uuid::new_v4(), "effective_at": AT_1000,
                "change": { "kind": "seal-abolished", "person": "R231", "extra": 1 } }),
        json!({ "event_id": uuid::Uuid::new_v4(), "effective_at": AT_1000,
                "change": { "kind": "seal-abolished", "person": null } }),
        json!({ "event_id": uuid::Uuid::new_v4(),
                "change": { "kind": "seal-abolished", "person": "R231" } }),
    ] {
        live.deliver(AOBADAI, &bad)
            .await
            .error(400, "malformed-request");
    }
    live.post_bytes(&path, b"{".to_vec())
        .await
        .error(400, "malformed-request");
    // 白砂町 does not claim the feed: not-offered, whatever the event.
    live.deliver(SHIRASUNA, &abolished("R231"))
        .await
        .error(422, "not-offered");
    live.deliver(SHIRASUNA, &abolished("R999"))
        .await
        .error(422, "not-offered");
    let unfit = [
        json!({ "kind": "seal-abolished", "person": "R999" }),
        json!({ "kind": "moved-in", "person": "R231", "household": "H999",
                "relationship": "子", "date": "2026-11-26" }),
        json!({ "kind": "name-changed", "person": "R231", "name": "", "kana": "イシダ メグミ" }),
        json!({ "kind": "name-changed", "person": "R231", "name": "石田 恵", "kana": "" }),
        json!({ "kind": "moved-out", "person": "R231", "date": "2026-11-26", "new_address": "" }),
        json!({ "kind": "seal-registered", "person": "R231", "seal_number": "" }),
        json!({ "kind": "household-head-changed", "household": "H220", "head": "R231",
                "relationships": [ { "person": "R231", "relationship": "" } ] }),
        json!({ "kind": "household-head-changed", "household": "H220", "head": "R998",
                "relationships": [] }),
        json!({ "kind": "registration-decided", "registration_id": "REG-NOPE", "decision": "approved" }),
        // On file, but with 白砂町: another municipality's registration.
        json!({ "kind": "registration-decided", "registration_id": "REG-990002-000039", "decision": "rejected" }),
    ];
    for change in unfit {
        let refused = event(AT_1000, change.clone());
        live.deliver(AOBADAI, &refused)
            .await
            .error(422, "invalid-request");
        // Nothing was kept: the same id with a fitting body is a new event.
        let mut fixed = abolished("R231");
        fixed["event_id"] = refused["event_id"].clone();
        fixed["effective_at"] = json!("2026-11-27T10:00:00+09:00");
        live.applied(&fixed).await;
    }
    assert!(offers(
        &live.menu(AOBADAI, "C231", AT_1100).await,
        CertificateType::Inkan
    ));
    let res = live.post(&path, &abolished("R231")).await;
    assert_eq!(res.version_header(), Some(PROFILE_VERSION));
}

#[tokio::test]
async fn the_version_header_is_checked_first() {
    let live = Live::start(&[]).await;
    let reply = live
        .post_without_version(&paths::register_events("999999"), b"{".to_vec())
        .await;
    reply.error(400, "unsupported-profile-version");
}

#[tokio::test]
async fn delivered_events_survive_a_restart() {
    let live = Live::start(&[]).await;
    let event = abolished("R229");
    live.applied(&event).await;
    let live = live.restart().await;
    assert!(!offers(
        &live.menu(AOBADAI, "C229", AT_1100).await,
        CertificateType::Inkan
    ));
    assert!(offers(
        &live
            .menu(AOBADAI, "C229", "2026-11-26T09:00:00+09:00")
            .await,
        CertificateType::Inkan
    ));
    let again: Value = live.deliver(AOBADAI, &event).await.ok();
    assert_eq!(again["status"], "already-applied");
}
