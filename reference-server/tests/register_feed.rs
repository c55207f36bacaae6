//! The register feed (異動連携) over a loopback socket: what each change kind does to
//! the register, and the timing rule in both directions.

mod common;

use common::live::{Live, event, offers, request_at};
use common::*;
use kofu_profile::content::{Content, FamilyRegisterAnnex, ResidentRecord};
use kofu_profile::issuance::Issuance;
use kofu_profile::{CertificateType, IssuanceOptions, Scope};
use pretty_assertions::assert_eq;
use serde_json::json;

const AT_0959: &str = "2026-11-26T09:59:59+09:00";
const AT_1000: &str = "2026-11-26T10:00:00+09:00";
const AT_1100: &str = "2026-11-26T11:00:00+09:00";
const AT_1200: &str = "2026-11-26T12:00:00+09:00";

fn scope(scope: Scope, show_relationship: bool) -> IssuanceOptions {
    IssuanceOptions {
        scope: Some(scope),
        show_relationship,
        ..Default::default()
    }
}

fn record(i: &Issuance) -> &ResidentRecord {
    match &i.content {
        Content::ResidentRecord(r) => r,
        other => panic!("not a resident record: {other:?}"),
    }
}

fn listed(i: &Issuance) -> Vec<String> {
    record(i).persons.iter().map(|p| p.name.clone()).collect()
}

fn annex(i: &Issuance) -> &FamilyRegisterAnnex {
    match &i.content {
        Content::FamilyRegisterAnnex(a) => a,
        other => panic!("not an annex: {other:?}"),
    }
}

/// The 附票 addresses of one person, as `card`'s 附票 prints them.
async fn annex_addresses(live: &Live, card: &str, name: &str, time: &str) -> Vec<String> {
    let req = request_at(card, CertificateType::Fuhyo, Default::default(), time);
    let issued = live.issued(AOBADAI, &req).await;
    let person = annex(&issued)
        .persons
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} on the 附票"))
        .clone();
    person.addresses.into_iter().map(|a| a.address).collect()
}

async fn household(live: &Live, card: &str, time: &str) -> Issuance {
    let req = request_at(
        card,
        CertificateType::Juminhyo,
        scope(Scope::Household, true),
        time,
    );
    live.issued(AOBADAI, &req).await
}

#[tokio::test]
async fn a_change_governs_the_requests_at_and_after_its_time() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "seal-abolished", "person": "R201" }),
    ))
    .await;
    // Before its time the menu and the issuance see the seal; from its time neither.
    assert!(offers(
        &live.menu(AOBADAI, "C201", AT_0959).await,
        CertificateType::Inkan
    ));
    let inkan = |time| request_at("C201", CertificateType::Inkan, Default::default(), time);
    let _: Issuance = live.issued(AOBADAI, &inkan(AT_0959)).await;
    assert!(!offers(
        &live.menu(AOBADAI, "C201", AT_1000).await,
        CertificateType::Inkan
    ));
    live.issue(AOBADAI, &inkan(AT_1000))
        .await
        .error(422, "not-issuable");
    // A change scheduled for later is not in force before its time.
    live.applied(&event(
        "2026-11-26T15:00:00+09:00",
        json!({ "kind": "seal-registered", "person": "R202", "seal_number": "IN-990001-20201" }),
    ))
    .await;
    assert!(!offers(
        &live.menu(AOBADAI, "C202", AT_1200).await,
        CertificateType::Inkan
    ));
    assert!(offers(
        &live
            .menu(AOBADAI, "C202", "2026-11-26T15:00:00+09:00")
            .await,
        CertificateType::Inkan
    ));
}

#[tokio::test]
async fn an_answer_given_stands_when_an_earlier_change_arrives_late() {
    let live = Live::start(&[]).await;
    let req = request_at(
        "C228",
        CertificateType::Juminhyo,
        scope(Scope::Holder, false),
        AT_1100,
    );
    let first = live.issue(AOBADAI, &req).await;
    assert_eq!(listed(&first.ok()), vec!["平田 進"]);
    // Recorded late: in force from 10:00, delivered after the 11:00 request was answered.
    live.applied(&event(
        AT_1000,
        json!({ "kind": "name-changed", "person": "R228", "name": "髙田 進", "kana": "タカダ ススム" }),
    ))
    .await;
    let resend = live.issue(AOBADAI, &req).await;
    assert_eq!(
        resend.body, first.body,
        "the resend gets the first answer, byte for byte"
    );
    // The next request of the same time sees the change.
    let next = request_at(
        "C228",
        CertificateType::Juminhyo,
        scope(Scope::Holder, false),
        AT_1100,
    );
    assert_eq!(listed(&live.issued(AOBADAI, &next).await), vec!["髙田 進"]);
}

#[tokio::test]
async fn an_offset_is_compared_as_an_instant() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        "2026-11-26T01:00:00+00:00",
        json!({ "kind": "seal-abolished", "person": "R227" }),
    ))
    .await;
    assert!(offers(
        &live.menu(AOBADAI, "C227", AT_0959).await,
        CertificateType::Inkan
    ));
    assert!(!offers(
        &live.menu(AOBADAI, "C227", AT_1000).await,
        CertificateType::Inkan
    ));
}

#[tokio::test]
async fn events_apply_in_order_of_their_time_whatever_their_arrival() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1100,
        json!({ "kind": "seal-registered", "person": "R226", "seal_number": "IN-990001-22602" }),
    ))
    .await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "seal-abolished", "person": "R226" }),
    ))
    .await;
    let at = |t| live.menu(AOBADAI, "C226", t);
    assert!(offers(&at(AT_0959).await, CertificateType::Inkan));
    assert!(!offers(
        &at("2026-11-26T10:30:00+09:00").await,
        CertificateType::Inkan
    ));
    assert!(offers(&at(AT_1100).await, CertificateType::Inkan));
    let req = request_at("C226", CertificateType::Inkan, Default::default(), AT_1200);
    match live.issued(AOBADAI, &req).await.content {
        Content::SealRegistration(s) => assert_eq!(s.registration_number, "IN-990001-22602"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn moved_out_and_died_make_removed_persons() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "moved-out", "person": "R203", "date": "2026-11-26",
                "new_address": "架空県海辺市北町三丁目3番3号" }),
    ))
    .await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "died", "person": "R205", "date": "2026-11-25" }),
    ))
    .await;
    assert_eq!(
        listed(&household(&live, "C204", AT_0959).await),
        vec!["北川 洋子", "北川 修"]
    );
    assert_eq!(
        listed(&household(&live, "C204", AT_1000).await),
        vec!["北川 洋子"]
    );
    assert!(!offers(
        &live.menu(AOBADAI, "C203", AT_1000).await,
        CertificateType::Juminhyo
    ));
    assert_eq!(
        annex_addresses(&live, "C204", "北川 修", AT_1000).await,
        vec![
            "架空県青葉台市若葉町二丁目3番5号",
            "架空県海辺市北町三丁目3番3号"
        ]
    );
    let deceased = live.menu(AOBADAI, "C205", AT_1000).await;
    assert!(deceased.items.is_empty() && deceased.koseki_registration.is_none());
    assert_eq!(
        listed(&household(&live, "C206", AT_1000).await),
        vec!["南 花子"]
    );
}

#[tokio::test]
async fn joiners_are_recorded_after_the_members_already_there() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "moved-in", "person": "R207", "household": "H204",
                "relationship": "子", "date": "2026-11-26" }),
    ))
    .await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "household-changed", "person": "R209", "household": "H206",
                "relationship": "弟", "date": "2026-11-26" }),
    ))
    .await;
    assert!(
        live.menu(AOBADAI, "C207", AT_0959)
            .await
            .items
            .iter()
            .all(|i| { i.certificate.issued_by_domicile() })
    );
    let moved_in = household(&live, "C208", AT_1000).await;
    assert_eq!(listed(&moved_in), vec!["東 恵子", "東 健二"]);
    let r207 = &record(&moved_in).persons[1];
    assert_eq!(r207.relationship.as_deref(), Some("子"));
    assert_eq!(r207.resident_since.to_string(), "2026-11-26");
    assert_eq!(
        annex_addresses(&live, "C208", "東 健二", AT_1000)
            .await
            .last()
            .map(String::as_str),
        Some("架空県青葉台市緑町三丁目4番1号")
    );
    assert_eq!(
        listed(&household(&live, "C211", AT_1000).await),
        vec!["西田 彩", "西田 翔"]
    );
    assert_eq!(
        listed(&household(&live, "C210", AT_1000).await),
        vec!["西田 隆"]
    );
    assert_eq!(
        annex_addresses(&live, "C210", "西田 翔", AT_1000).await,
        vec![
            "架空県青葉台市若葉町三丁目2番8号",
            "架空県青葉台市桜町一丁目5番3号"
        ]
    );
}

#[tokio::test]
async fn a_new_head_brings_new_relationships() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "household-head-changed", "household": "H207", "head": "R213",
                "relationships": [ { "person": "R213", "relationship": "世帯主" },
                                   { "person": "R212", "relationship": "父" } ] }),
    ))
    .await;
    let before = household(&live, "C212", AT_0959).await;
    assert_eq!(record(&before).household_head.as_deref(), Some("中村 勇"));
    let after = household(&live, "C212", AT_1000).await;
    let r = record(&after);
    assert_eq!(r.household_head.as_deref(), Some("中村 拓也"));
    let relationships: Vec<_> = r.persons.iter().map(|p| p.relationship.clone()).collect();
    assert_eq!(
        relationships,
        vec![Some("父".to_owned()), Some("世帯主".to_owned())]
    );
}

#[tokio::test]
async fn a_new_name_prints_with_its_exact_code_points_everywhere() {
    let live = Live::start(&[]).await;
    live.applied(&event(
        AT_1000,
        json!({ "kind": "name-changed", "person": "R214", "name": "\u{20BB7}岡 花子", "kana": "ヨシオカ ハナコ" }),
    ))
    .await;
    let req = request_at(
        "C214",
        CertificateType::Juminhyo,
        scope(Scope::Holder, false),
        AT_1000,
    );
    let issued = live.issued(AOBADAI, &req).await;
    assert_eq!(listed(&issued), vec!["\u{20BB7}岡 花子"]);
    assert_eq!(record(&issued).persons[0].kana, "ヨシオカ ハナコ");
    assert!(pdf_text(&pdf_bytes(&issued)).contains("\u{20BB7}岡花子"));
    // The 本籍地 (白砂町) prints the same person with the same name.
    let koseki = request_at(
        "C214",
        CertificateType::KosekiZenbu,
        Default::default(),
        AT_1000,
    );
    match live.issued(SHIRASUNA, &koseki).await.content {
        Content::FamilyRegister(k) => assert_eq!(k.hittosha, "\u{20BB7}岡 花子"),
        other => panic!("{other:?}"),
    }
}
