//! Every defect switch of the register feed bites in its spot, and the same steps
//! without it give the conforming answer: each check below is run on a server with
//! the switch on (it must show) and on a conforming server (it must not).

mod common;

use common::live::{Live, event, offers, request_at};
use common::*;
use kofu_profile::content::Content;
use kofu_profile::issuance::Issuance;
use kofu_profile::registration::{Registration, RegistrationRequest};
use kofu_profile::{CertificateType, IssuanceOptions, Scope, paths};
use kofu_reference_server::Defect;
use serde_json::{Value, json};

const AT_0900: &str = "2026-11-26T09:00:00+09:00";
const AT_1000: &str = "2026-11-26T10:00:00+09:00";
const AT_1030: &str = "2026-11-26T10:30:00+09:00";
const AT_1100: &str = "2026-11-26T11:00:00+09:00";

fn abolished(person: &str, at: &str) -> Value {
    event(at, json!({ "kind": "seal-abolished", "person": person }))
}

fn options(scope: Scope, show_relationship: bool) -> IssuanceOptions {
    IssuanceOptions {
        scope: Some(scope),
        show_relationship,
        ..Default::default()
    }
}

fn persons(i: &Issuance) -> Vec<(String, Option<String>)> {
    match &i.content {
        Content::ResidentRecord(r) => r
            .persons
            .iter()
            .map(|p| (p.name.clone(), p.relationship.clone()))
            .collect(),
        other => panic!("not a resident record: {other:?}"),
    }
}

async fn household(live: &Live, card: &str, time: &str) -> Vec<(String, Option<String>)> {
    let req = request_at(
        card,
        CertificateType::Juminhyo,
        options(Scope::Household, true),
        time,
    );
    persons(&live.issued(AOBADAI, &req).await)
}

async fn has_seal(live: &Live, card: &str, time: &str) -> bool {
    offers(
        &live.menu(AOBADAI, card, time).await,
        CertificateType::Inkan,
    )
}

async fn tax_income(live: &Live, card: &str, year: u16) -> u64 {
    let o = IssuanceOptions {
        fiscal_year: Some(year),
        ..Default::default()
    };
    match live
        .issued(
            AOBADAI,
            &request_at(card, CertificateType::Kazei, o, AT_1100),
        )
        .await
        .content
    {
        Content::Tax(t) => t.total_income,
        other => panic!("{other:?}"),
    }
}

/// Whether the switch's mistake shows on this server.
async fn shows(defect: Defect, live: Live) -> bool {
    match defect {
        Defect::FeedCacheWholeRun => {
            assert!(has_seal(&live, "C201", AT_0900).await);
            live.applied(&abolished("R201", "2026-11-26T09:30:00+09:00"))
                .await;
            has_seal(&live, "C201", AT_1100).await
        }
        Defect::FeedAppliedLate => {
            live.applied(&abolished("R201", AT_1000)).await;
            let late = has_seal(&live, "C201", AT_1100).await;
            assert!(!has_seal(&live, "C201", "2026-11-27T00:00:00+09:00").await);
            late
        }
        Defect::FeedEffectiveTimeIgnored => {
            live.applied(&abolished("R201", "2026-11-26T15:00:00+09:00"))
                .await;
            !has_seal(&live, "C201", AT_1100).await
        }
        Defect::FeedEffectiveTimeUtc => {
            live.applied(&abolished("R227", "2026-11-26T01:00:00+00:00"))
                .await;
            !has_seal(&live, "C227", AT_0900).await
        }
        Defect::FeedDuplicateAppliedTwice => {
            let moved_out = event(
                AT_1000,
                json!({ "kind": "moved-out", "person": "R223", "date": "2026-11-26",
                        "new_address": "架空県海辺市南町一丁目1番1号" }),
            );
            live.applied(&moved_out).await;
            let again: Value = live.deliver(AOBADAI, &moved_out).await.ok();
            let req = request_at("C222", CertificateType::Fuhyo, Default::default(), AT_1100);
            let Content::FamilyRegisterAnnex(annex) = live.issued(AOBADAI, &req).await.content
            else {
                panic!("an annex")
            };
            let r223 = annex
                .persons
                .iter()
                .find(|p| p.name == "岩田 大輔")
                .unwrap();
            let new = r223
                .addresses
                .iter()
                .filter(|a| a.address.contains("南町"))
                .count();
            assert_eq!(new == 2, again["status"] == "applied");
            new == 2
        }
        Defect::FeedEventIdConflictAccepted => {
            let first = abolished("R230", AT_1000);
            live.applied(&first).await;
            let mut other = event(AT_1000, json!({ "kind": "dv-ended", "person": "R230" }));
            other["event_id"] = first["event_id"].clone();
            let taken = live.deliver(AOBADAI, &other).await.status == 200;
            assert_eq!(taken, has_seal(&live, "C230", AT_1100).await);
            taken
        }
        Defect::FeedUnknownPersonAccepted => {
            live.deliver(AOBADAI, &abolished("R999", AT_1000))
                .await
                .status
                == 200
        }
        Defect::FeedPersonMatchedByName => {
            live.applied(&abolished("R225", AT_1000)).await;
            let mixed_up = !has_seal(&live, "C224", AT_1100).await;
            assert_eq!(mixed_up, has_seal(&live, "C225", AT_1100).await);
            mixed_up
        }
        Defect::FeedOutOfOrderDropped => {
            live.applied(&event(
                AT_1100,
                json!({ "kind": "seal-registered", "person": "R226", "seal_number": "IN-990001-22602" }),
            ))
            .await;
            live.applied(&abolished("R226", AT_1000)).await;
            has_seal(&live, "C226", AT_1030).await
        }
        Defect::FeedLateEventRewritesIssuance => {
            let req = request_at(
                "C228",
                CertificateType::Juminhyo,
                options(Scope::Holder, false),
                AT_1100,
            );
            let first = live.issue(AOBADAI, &req).await;
            live.applied(&event(
                AT_1000,
                json!({ "kind": "name-changed", "person": "R228", "name": "髙田 進", "kana": "タカダ ススム" }),
            ))
            .await;
            let resend = live.issue(AOBADAI, &req).await;
            let (a, b): (Issuance, Issuance) = (first.ok(), resend.ok());
            assert_eq!(
                (a.issuance_id.clone(), a.certificate_number.clone()),
                (b.issuance_id.clone(), b.certificate_number.clone())
            );
            persons(&b)[0].0 == "髙田 進"
        }
        Defect::FeedNameNormalized => {
            live.applied(&event(
                AT_1000,
                json!({ "kind": "name-changed", "person": "R214", "name": "\u{20BB7}岡 花子", "kana": "ヨシオカ ハナコ" }),
            ))
            .await;
            let req = request_at(
                "C214",
                CertificateType::Juminhyo,
                options(Scope::Holder, false),
                AT_1100,
            );
            persons(&live.issued(AOBADAI, &req).await)[0].0 == "吉岡 花子"
        }
        Defect::FeedDvHolderOnly => {
            live.applied(&event(
                AT_1000,
                json!({ "kind": "dv-started", "person": "R216" }),
            ))
            .await;
            assert!(live.menu(AOBADAI, "C216", AT_1100).await.items.is_empty());
            let husband = live.menu(AOBADAI, "C215", AT_1100).await;
            let shown = husband.items[0].scopes.contains(&Scope::Household);
            assert_eq!(shown, offers(&husband, CertificateType::Fuhyo));
            if shown {
                let listed = household(&live, "C215", AT_1100).await;
                assert!(listed.iter().any(|(name, _)| name == "上野 真理"));
            }
            shown
        }
        Defect::FeedTaxCorrectionNewestYear => {
            live.applied(&event(
                AT_1000,
                json!({ "kind": "tax-corrected", "person": "R219", "fiscal_year": 2025,
                        "total_income": 4_321_000, "municipal_tax": 210_000, "prefectural_tax": 140_000 }),
            ))
            .await;
            let newest = tax_income(&live, "C219", 2026).await == 4_321_000;
            assert_eq!(newest, tax_income(&live, "C219", 2025).await != 4_321_000);
            newest
        }
        Defect::FeedRegistrationOnFileOnly => {
            let filing = RegistrationRequest {
                reception: reception_at(AT_0900),
                card_serial: serial("C220"),
            };
            let filed: Registration = live
                .post(&paths::registrations(AOBADAI), &filing)
                .await
                .ok();
            let decided = event(
                AT_1000,
                json!({ "kind": "registration-decided", "registration_id": filed.registration_id, "decision": "approved" }),
            );
            live.deliver(AOBADAI, &decided).await.status == 422
        }
        Defect::FeedEventsInMemory => {
            live.applied(&abolished("R229", AT_1000)).await;
            let live = live.restart().await;
            has_seal(&live, "C229", AT_1100).await
        }
        Defect::FeedJoinerKeepsRegisterPlace => {
            live.applied(&event(
                AT_1000,
                json!({ "kind": "household-changed", "person": "R209", "household": "H206",
                        "relationship": "弟", "date": "2026-11-26" }),
            ))
            .await;
            household(&live, "C211", AT_1100).await[0].0 == "西田 翔"
        }
        Defect::FeedHeadChangeKeepsRelationships => {
            live.applied(&event(
                AT_1000,
                json!({ "kind": "household-head-changed", "household": "H207", "head": "R213",
                        "relationships": [ { "person": "R213", "relationship": "世帯主" },
                                           { "person": "R212", "relationship": "父" } ] }),
            ))
            .await;
            household(&live, "C212", AT_1100).await[0].1.as_deref() == Some("世帯主")
        }
        Defect::FeedTakenWithoutClaim => {
            live.deliver(SHIRASUNA, &abolished("R039", AT_1000))
                .await
                .status
                == 200
        }
        Defect::FeedUnknownFieldsIgnored => {
            let mut extra = abolished("R231", AT_1000);
            extra["change"]["reason"] = json!("廃止届");
            extra["source"] = json!("inkan-system");
            live.deliver(AOBADAI, &extra).await.status == 200
        }
        other => panic!("{other} is not a switch of the register feed"),
    }
}

#[tokio::test]
async fn every_feed_switch_bites_and_is_harmless_when_off() {
    let feed: Vec<Defect> = Defect::ALL
        .iter()
        .copied()
        .filter(|d| d.name().starts_with("feed-"))
        .collect();
    assert_eq!(feed.len(), 19);
    for defect in feed {
        assert!(
            shows(defect, Live::start(&[defect]).await).await,
            "{defect} does not bite"
        );
        assert!(
            !shows(defect, Live::start(&[]).await).await,
            "{defect}: the conforming server shows it"
        );
    }
}
