//! Synthetic sample values of every wire type (青葉台市 990001, 白砂町 990002; every
//! person, address and number is invented).

use chrono::{DateTime, FixedOffset, NaiveDate};
use kofu_profile::content::{
    AnnexAddress, AnnexEntry, Content, FamilyRegister, FamilyRegisterAnnex, FamilyRegisterEntry,
    ForeignResidentItems, ResidentEntry, ResidentRecord, SealRegistration, TaxRecord,
};
use kofu_profile::identity::{Identity, Implementation};
use kofu_profile::issuance::{Document, Issuance, IssuanceRequest};
use kofu_profile::menu::{MemberChoice, Menu, MenuItem, MenuRequest};
use kofu_profile::outcome::{CopyOutcome, CopyState, Outcome, OutcomeReport};
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::register_event::{
    MemberRelationship, ReceiptStatus, RegisterChange, RegisterEvent, RegisterEventReceipt,
    RegistrationDecision,
};
use kofu_profile::registration::{Registration, RegistrationRequest, RegistrationStatus};
use kofu_profile::{CertificateType, ErrorBody, ErrorCode, IssuanceOptions, Reception, Scope};
use serde::Serialize;
use serde_json::Value;

pub const CARD: &str = "0A1B2C3D4E5F6071";

pub fn time(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("valid RFC 3339")
}

pub fn date(s: &str) -> NaiveDate {
    s.parse().expect("valid date")
}

pub fn uuid(s: &str) -> uuid::Uuid {
    s.parse().expect("valid uuid")
}

pub fn reception() -> Reception {
    Reception {
        request_id: uuid("23cf695a-dec8-47c0-9c61-fff2b7d698db"),
        reception_time: time("2026-11-26T10:00:00+09:00"),
        operator_code: "OP-A".into(),
        store_id: "OPA-S01".into(),
        terminal_id: "OPA-S01-T01".into(),
    }
}

pub fn identity() -> Identity {
    Identity {
        profile_version: kofu_profile::PROFILE_VERSION.into(),
        implementation: Implementation {
            name: "Aobadai Issuance Server".into(),
            version: "3.2.1".into(),
        },
        municipalities: vec!["990001".into(), "990002".into()],
    }
}

pub fn menu_request() -> MenuRequest {
    MenuRequest {
        reception: reception(),
        card_serial: CARD.into(),
    }
}

pub fn member(id: &str, name: &str) -> MemberChoice {
    MemberChoice {
        member_id: id.into(),
        name: name.into(),
    }
}

pub fn juminhyo_item() -> MenuItem {
    MenuItem {
        certificate: CertificateType::Juminhyo,
        fee: 200,
        max_copies: 10,
        scopes: vec![Scope::Holder, Scope::Household, Scope::Members],
        members: vec![member("R001", "桜井 太郎"), member("R002", "桜井 良子")],
        relationship_option: true,
        honseki_option: true,
        fiscal_years: vec![],
    }
}

pub fn plain_item(certificate: CertificateType, fee: u32, max_copies: u8) -> MenuItem {
    MenuItem {
        certificate,
        fee,
        max_copies,
        scopes: vec![],
        members: vec![],
        relationship_option: false,
        honseki_option: false,
        fiscal_years: vec![],
    }
}

pub fn kazei_item() -> MenuItem {
    MenuItem {
        fiscal_years: vec![2025, 2026],
        ..plain_item(CertificateType::Kazei, 200, 10)
    }
}

pub fn menus() -> Vec<Menu> {
    vec![
        Menu {
            municipality: "990001".into(),
            items: vec![
                juminhyo_item(),
                plain_item(CertificateType::Inkan, 200, 10),
                kazei_item(),
                plain_item(CertificateType::KosekiZenbu, 350, 5),
            ],
            koseki_registration: None,
        },
        Menu {
            municipality: "990002".into(),
            items: vec![],
            koseki_registration: Some(RegistrationStatus::None),
        },
        Menu {
            municipality: "990002".into(),
            items: vec![plain_item(CertificateType::Fuhyo, 300, 5)],
            koseki_registration: Some(RegistrationStatus::Approved),
        },
        Menu {
            municipality: "990001".into(),
            items: vec![],
            koseki_registration: None,
        },
    ]
}

pub fn options() -> Vec<IssuanceOptions> {
    vec![
        IssuanceOptions::default(),
        IssuanceOptions {
            scope: Some(Scope::Holder),
            ..Default::default()
        },
        IssuanceOptions {
            scope: Some(Scope::Members),
            members: vec!["R001".into(), "R004".into()],
            show_relationship: true,
            show_honseki: true,
            fiscal_year: None,
        },
        IssuanceOptions {
            fiscal_year: Some(2026),
            ..Default::default()
        },
    ]
}

pub fn issuance_requests() -> Vec<IssuanceRequest> {
    let certificates = [
        CertificateType::KosekiZenbu,
        CertificateType::Juminhyo,
        CertificateType::JuminhyoKisai,
        CertificateType::Kazei,
    ];
    options()
        .into_iter()
        .zip(certificates)
        .enumerate()
        .map(|(i, (options, certificate))| IssuanceRequest {
            reception: reception(),
            card_serial: CARD.into(),
            certificate,
            options,
            copies: i as i64 + 1,
        })
        .collect()
}

pub fn resident_record() -> ResidentRecord {
    ResidentRecord {
        address: "架空県青葉台市緑町一丁目2番3号".into(),
        household_head: Some("𠮷田 健一".into()),
        persons: vec![
            ResidentEntry {
                name: "𠮷田 健一".into(),
                kana: "ヨシダ ケンイチ".into(),
                birth_date: date("1974-07-21"),
                sex: "男".into(),
                relationship: Some("世帯主".into()),
                resident_since: date("2001-04-01"),
                honseki: Some("架空県青葉台市緑町一丁目2番地".into()),
                hittosha: Some("𠮷田 健一".into()),
                foreign: None,
            },
            ResidentEntry {
                name: "グエン ヴァン アン".into(),
                kana: "グエン ヴァン アン".into(),
                birth_date: date("1996-02-29"),
                sex: "男".into(),
                relationship: Some("同居人".into()),
                resident_since: date("2024-10-01"),
                honseki: None,
                hittosha: None,
                foreign: Some(ForeignResidentItems {
                    nationality: "ベトナム".into(),
                    residence_status: "技術・人文知識・国際業務".into(),
                    period_of_stay_until: date("2027-09-30"),
                    tsusho: Some("阮 文安".into()),
                }),
            },
            ResidentEntry {
                name: "𠮷田 花子".into(),
                kana: "ヨシダ ハナコ".into(),
                birth_date: date("1976-11-02"),
                sex: "女".into(),
                relationship: None,
                resident_since: date("2001-04-01"),
                honseki: None,
                hittosha: None,
                foreign: None,
            },
        ],
    }
}

pub fn seal_registration() -> SealRegistration {
    SealRegistration {
        name: "桜井 太郎".into(),
        birth_date: date("1978-04-12"),
        address: "架空県青葉台市緑町一丁目2番3号".into(),
        registration_number: "10001".into(),
    }
}

pub fn tax_record() -> TaxRecord {
    TaxRecord {
        fiscal_year: 2026,
        income_year: 2025,
        name: "桜井 太郎".into(),
        address: "架空県青葉台市緑町一丁目2番3号".into(),
        total_income: 5_350_000,
        municipal_tax: 201_800,
        prefectural_tax: 133_500,
    }
}

pub fn family_register() -> FamilyRegister {
    FamilyRegister {
        honseki: "架空県白砂町汐見二丁目15番地".into(),
        hittosha: "海野 修".into(),
        persons: vec![
            FamilyRegisterEntry {
                name: "海野 修".into(),
                birth_date: date("1975-02-28"),
                sex: "男".into(),
                relationship: "夫".into(),
                father: Some("海野 茂".into()),
                mother: Some("海野 和子".into()),
            },
            FamilyRegisterEntry {
                name: "海野 千尋".into(),
                birth_date: date("1977-10-05"),
                sex: "女".into(),
                relationship: "妻".into(),
                father: None,
                mother: None,
            },
        ],
    }
}

pub fn family_register_annex() -> FamilyRegisterAnnex {
    FamilyRegisterAnnex {
        honseki: "架空県白砂町汐見二丁目15番地".into(),
        hittosha: "海野 修".into(),
        persons: vec![AnnexEntry {
            name: "海野 修".into(),
            addresses: vec![
                AnnexAddress {
                    address: "架空県白砂町汐見二丁目15番地".into(),
                    since: date("1975-02-28"),
                },
                AnnexAddress {
                    address: "架空県青葉台市港が丘三丁目4番10号".into(),
                    since: date("2008-06-30"),
                },
            ],
        }],
    }
}

pub fn contents() -> Vec<Content> {
    vec![
        Content::ResidentRecord(resident_record()),
        Content::SealRegistration(seal_registration()),
        Content::Tax(tax_record()),
        Content::FamilyRegister(family_register()),
        Content::FamilyRegisterAnnex(family_register_annex()),
    ]
}

pub fn document() -> Document {
    Document {
        media_type: "application/pdf".into(),
        page_count: 1,
        sha256: "c644f26a0d71bd3bbb2ef5e90ba41b6f10a19ca99934fb9e784edfafd3b2620c".into(),
        pdf_base64: "JVBERi0xLjcKJeLjz9MK".into(),
    }
}

pub fn issuances() -> Vec<Issuance> {
    let certificates = [
        CertificateType::Juminhyo,
        CertificateType::Inkan,
        CertificateType::Kazei,
        CertificateType::KosekiZenbu,
        CertificateType::Fuhyo,
    ];
    contents()
        .into_iter()
        .zip(certificates)
        .enumerate()
        .map(|(i, (content, certificate))| Issuance {
            issuance_id: format!("I-990001-20261126-{:06}", 123 + i),
            request_id: uuid("23cf695a-dec8-47c0-9c61-fff2b7d698db"),
            municipality: "990001".into(),
            certificate,
            copies: 2,
            fee_per_copy: 200,
            fee_total: 400,
            certificate_number: format!("990001-20261126-{:06}", 123 + i),
            issue_date: date("2026-11-26"),
            document: document(),
            content,
        })
        .collect()
}

pub fn outcome_report() -> OutcomeReport {
    OutcomeReport {
        reported_at: time("2026-11-26T10:03:41+09:00"),
        copies: vec![
            CopyOutcome {
                copy: 1,
                outcome: Outcome::Confirmed,
            },
            CopyOutcome {
                copy: 2,
                outcome: Outcome::Cancelled,
            },
        ],
    }
}

pub fn issuance_record() -> IssuanceRecord {
    IssuanceRecord {
        issuance_id: "I-990001-20261126-000124".into(),
        request_id: uuid("3a1e0576-4c61-4216-b67d-7b667c84bbcc"),
        certificate: CertificateType::Juminhyo,
        copies: 3,
        fee_per_copy: 200,
        reception_time: time("2026-11-26T07:30:00+09:00"),
        business_date: date("2026-11-26"),
        operator_code: "OP-A".into(),
        store_id: "OPA-S01".into(),
        terminal_id: "OPA-S01-T02".into(),
        copy_states: vec![
            CopyState::Confirmed,
            CopyState::Cancelled,
            CopyState::Pending,
        ],
        confirmed_copies: 1,
        fee_confirmed: 200,
    }
}

pub fn records() -> Records {
    Records {
        municipality: "990001".into(),
        from: date("2026-11-25"),
        to: date("2026-11-26"),
        records: vec![issuance_record()],
    }
}

pub fn registration_request() -> RegistrationRequest {
    RegistrationRequest {
        reception: reception(),
        card_serial: "1C2D3E4F50617283".into(),
    }
}

pub fn registrations() -> Vec<Registration> {
    [
        RegistrationStatus::Pending,
        RegistrationStatus::Approved,
        RegistrationStatus::Rejected,
    ]
    .into_iter()
    .map(|status| Registration {
        registration_id: "REG-990002-000042".into(),
        status,
        filed_at: time("2026-11-26T09:40:00+09:00"),
    })
    .collect()
}

pub fn error_bodies() -> Vec<ErrorBody> {
    ErrorCode::ALL
        .into_iter()
        .map(|code| ErrorBody::new(code, format!("sample detail for {code}")))
        .collect()
}

/// One register change of every kind (異動連携).
pub fn register_changes() -> Vec<RegisterChange> {
    let person = || "R201".to_owned();
    vec![
        RegisterChange::MovedIn {
            person: person(),
            household: "H204".into(),
            relationship: "子".into(),
            date: date("2026-11-26"),
        },
        RegisterChange::MovedOut {
            person: person(),
            date: date("2026-11-26"),
            new_address: "架空県海辺市港町五丁目1番1号".into(),
        },
        RegisterChange::Died {
            person: person(),
            date: date("2026-11-26"),
        },
        RegisterChange::HouseholdChanged {
            person: person(),
            household: "H206".into(),
            relationship: "弟".into(),
            date: date("2026-11-26"),
        },
        RegisterChange::HouseholdHeadChanged {
            household: "H207".into(),
            head: "R213".into(),
            relationships: member_relationships(),
        },
        RegisterChange::NameChanged {
            person: person(),
            name: "\u{20BB7}岡 花子".into(),
            kana: "ヨシオカ ハナコ".into(),
        },
        RegisterChange::SealRegistered {
            person: person(),
            seal_number: "29202".into(),
        },
        RegisterChange::SealAbolished { person: person() },
        RegisterChange::DvStarted { person: person() },
        RegisterChange::DvEnded { person: person() },
        RegisterChange::TaxCorrected {
            person: person(),
            fiscal_year: 2025,
            total_income: 4_100_000,
            municipal_tax: 143_500,
            prefectural_tax: 94_300,
        },
        RegisterChange::RegistrationDecided {
            registration_id: "REG-990001-000221".into(),
            decision: RegistrationDecision::Rejected,
        },
    ]
}

/// 続柄 to a new 世帯主.
pub fn member_relationships() -> Vec<MemberRelationship> {
    vec![
        MemberRelationship {
            person: "R213".into(),
            relationship: "世帯主".into(),
        },
        MemberRelationship {
            person: "R212".into(),
            relationship: "父".into(),
        },
    ]
}

/// Register events, one per change kind, in JST and in UTC.
pub fn register_events() -> Vec<RegisterEvent> {
    register_changes()
        .into_iter()
        .enumerate()
        .map(|(i, change)| RegisterEvent {
            event_id: uuid(&format!("5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a{i:02}")),
            effective_at: if i % 2 == 0 {
                time("2026-11-26T10:00:00+09:00")
            } else {
                time("2026-11-26T01:00:00Z")
            },
            change,
        })
        .collect()
}

/// Both receipts.
pub fn register_event_receipts() -> Vec<RegisterEventReceipt> {
    [ReceiptStatus::Applied, ReceiptStatus::AlreadyApplied]
        .into_iter()
        .map(|status| RegisterEventReceipt {
            event_id: uuid("5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11"),
            status,
        })
        .collect()
}

fn push<T: Serialize>(out: &mut Vec<(String, String, Value)>, schema: &str, values: &[T]) {
    for (i, v) in values.iter().enumerate() {
        out.push((
            format!("sample {schema} #{i}"),
            schema.to_owned(),
            serde_json::to_value(v).expect("samples serialize"),
        ));
    }
}

/// Every sample as JSON, with the name of its schema in `components.schemas`.
pub fn as_json() -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    push(&mut out, "Reception", &[reception()]);
    push(&mut out, "Identity", &[identity()]);
    push(&mut out, "Implementation", &[identity().implementation]);
    push(&mut out, "MenuRequest", &[menu_request()]);
    push(&mut out, "Menu", &menus());
    push(&mut out, "MenuItem", &[juminhyo_item(), kazei_item()]);
    push(&mut out, "MemberChoice", &[member("R001", "桜井 太郎")]);
    push(&mut out, "IssuanceOptions", &options());
    push(&mut out, "IssuanceRequest", &issuance_requests());
    push(&mut out, "Issuance", &issuances());
    push(&mut out, "Document", &[document()]);
    push(&mut out, "Content", &contents());
    push(&mut out, "ResidentRecord", &[resident_record()]);
    push(&mut out, "ResidentEntry", &resident_record().persons);
    push(
        &mut out,
        "ForeignResidentItems",
        &[resident_record().persons[1]
            .foreign
            .clone()
            .expect("foreign")],
    );
    push(&mut out, "SealRegistration", &[seal_registration()]);
    push(&mut out, "TaxRecord", &[tax_record()]);
    push(&mut out, "FamilyRegister", &[family_register()]);
    push(&mut out, "FamilyRegisterEntry", &family_register().persons);
    push(&mut out, "FamilyRegisterAnnex", &[family_register_annex()]);
    push(&mut out, "AnnexEntry", &family_register_annex().persons);
    push(
        &mut out,
        "AnnexAddress",
        &family_register_annex().persons[0].addresses,
    );
    push(&mut out, "OutcomeReport", &[outcome_report()]);
    push(&mut out, "CopyOutcome", &outcome_report().copies);
    push(
        &mut out,
        "Outcome",
        &[Outcome::Confirmed, Outcome::Cancelled],
    );
    push(
        &mut out,
        "CopyState",
        &[
            CopyState::Pending,
            CopyState::Confirmed,
            CopyState::Cancelled,
        ],
    );
    push(&mut out, "IssuanceRecord", &[issuance_record()]);
    push(&mut out, "Records", &[records()]);
    push(&mut out, "RegistrationRequest", &[registration_request()]);
    push(&mut out, "Registration", &registrations());
    push(
        &mut out,
        "RegistrationStatus",
        &[
            RegistrationStatus::None,
            RegistrationStatus::Pending,
            RegistrationStatus::Approved,
            RegistrationStatus::Rejected,
        ],
    );
    push(&mut out, "RegisterEvent", &register_events());
    push(&mut out, "RegisterChange", &register_changes());
    push(&mut out, "MemberRelationship", &member_relationships());
    push(
        &mut out,
        "RegistrationDecision",
        &[
            RegistrationDecision::Approved,
            RegistrationDecision::Rejected,
        ],
    );
    push(&mut out, "RegisterEventReceipt", &register_event_receipts());
    push(
        &mut out,
        "ReceiptStatus",
        &[ReceiptStatus::Applied, ReceiptStatus::AlreadyApplied],
    );
    push(&mut out, "ErrorBody", &error_bodies());
    push(&mut out, "ErrorCode", &ErrorCode::ALL);
    push(&mut out, "CertificateType", &CertificateType::ALL);
    push(
        &mut out,
        "Scope",
        &[Scope::Holder, Scope::Household, Scope::Members],
    );
    out
}
