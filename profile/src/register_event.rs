//! 異動連携 (the register feed): the municipality's register systems — 住民基本台帳,
//! 戸籍, 印鑑登録 and the tax system — send the issuance server each change (異動) as a
//! [`RegisterEvent`], `POST /v1/municipalities/{code}/register-events`. The server answers
//! a [`RegisterEventReceipt`] once the change is in force.
//!
//! A change takes effect at its `effective_at`: a request whose reception time is at or
//! after it sees the change, one before it does not (profile, "The register feed").

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One change to the register, as a register system sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterEvent {
    /// The sender's id of this event; delivery is idempotent on it.
    pub event_id: uuid::Uuid,
    /// When the change takes effect (any offset; compared as an instant). It may lie in
    /// the past (a change recorded late) or in the future (a change scheduled).
    pub effective_at: DateTime<FixedOffset>,
    /// What changes.
    pub change: RegisterChange,
}

/// 異動の種類: what an event changes. `person` and `household` are the register's ids,
/// as kofu's export writes them (`register.persons[].id`, `register.households[].id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RegisterChange {
    /// 転入: a person living elsewhere becomes a resident of `household`.
    MovedIn {
        /// The person.
        person: String,
        /// The household joined.
        household: String,
        /// 続柄 to the household's 世帯主.
        relationship: String,
        /// 住民となった日: the date of the 転入.
        date: NaiveDate,
    },
    /// 転出: the person moves out and becomes a 消除者 from `date`.
    MovedOut {
        /// The person.
        person: String,
        /// The date of the 転出.
        date: NaiveDate,
        /// 転出先: the new address, recorded in the address history (戸籍の附票).
        new_address: String,
    },
    /// 死亡: the person died and becomes a 消除者 from `date`.
    Died {
        /// The person.
        person: String,
        /// The date of death.
        date: NaiveDate,
    },
    /// 世帯の変更: a resident moves into another household.
    HouseholdChanged {
        /// The person (not the 世帯主 of the household left).
        person: String,
        /// The household joined.
        household: String,
        /// 続柄 to the joined household's 世帯主.
        relationship: String,
        /// The date of the change.
        date: NaiveDate,
    },
    /// 世帯主の変更: a household gets a new 世帯主, and its members' 続柄 change with it.
    HouseholdHeadChanged {
        /// The household.
        household: String,
        /// The new 世帯主, a current member.
        head: String,
        /// The 続柄 of every current member to the new 世帯主 (`世帯主` for the head).
        relationships: Vec<MemberRelationship>,
    },
    /// 氏名の変更: a new name, printed exactly (外字 such as 𠮷 included).
    NameChanged {
        /// The person.
        person: String,
        /// 氏名, exact code points.
        name: String,
        /// 振り仮名, katakana.
        kana: String,
    },
    /// 印鑑登録: an active seal registration with this number.
    SealRegistered {
        /// The person.
        person: String,
        /// 印鑑登録番号.
        seal_number: String,
    },
    /// 印鑑登録の廃止: the seal registration is abolished.
    SealAbolished {
        /// The person.
        person: String,
    },
    /// DV等支援措置 の開始.
    DvStarted {
        /// The person protected.
        person: String,
    },
    /// DV等支援措置 の終了.
    DvEnded {
        /// The person no longer protected.
        person: String,
    },
    /// 税額の更正: the assessment of `fiscal_year` by the sending municipality, replaced
    /// (or made, where there was none).
    TaxCorrected {
        /// The person.
        person: String,
        /// 年度.
        fiscal_year: u16,
        /// 合計所得金額, yen.
        total_income: u64,
        /// 市町村民税, yen.
        municipal_tax: u64,
        /// 道府県民税, yen.
        prefectural_tax: u64,
    },
    /// The 本籍地's decision on a 利用登録申請 (filed at a kiosk or on file).
    RegistrationDecided {
        /// The registration's id, as the server gave it or as the register records it.
        registration_id: String,
        /// The decision.
        decision: RegistrationDecision,
    },
}

impl RegisterChange {
    /// The `kind` on the wire, e.g. `seal-abolished`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::MovedIn { .. } => "moved-in",
            Self::MovedOut { .. } => "moved-out",
            Self::Died { .. } => "died",
            Self::HouseholdChanged { .. } => "household-changed",
            Self::HouseholdHeadChanged { .. } => "household-head-changed",
            Self::NameChanged { .. } => "name-changed",
            Self::SealRegistered { .. } => "seal-registered",
            Self::SealAbolished { .. } => "seal-abolished",
            Self::DvStarted { .. } => "dv-started",
            Self::DvEnded { .. } => "dv-ended",
            Self::TaxCorrected { .. } => "tax-corrected",
            Self::RegistrationDecided { .. } => "registration-decided",
        }
    }

    /// The person the change concerns, if it names one (`household-head-changed` names
    /// a household, `registration-decided` a registration).
    pub fn person(&self) -> Option<&str> {
        match self {
            Self::MovedIn { person, .. }
            | Self::MovedOut { person, .. }
            | Self::Died { person, .. }
            | Self::HouseholdChanged { person, .. }
            | Self::NameChanged { person, .. }
            | Self::SealRegistered { person, .. }
            | Self::SealAbolished { person }
            | Self::DvStarted { person }
            | Self::DvEnded { person }
            | Self::TaxCorrected { person, .. } => Some(person),
            Self::HouseholdHeadChanged { .. } | Self::RegistrationDecided { .. } => None,
        }
    }
}

/// One member's 続柄 to a new 世帯主.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRelationship {
    /// The member.
    pub person: String,
    /// 続柄 (世帯主, 妻, 子, ...).
    pub relationship: String,
}

/// The 本籍地's decision on a 利用登録申請.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationDecision {
    /// 承認: 戸籍 certificates can be issued.
    Approved,
    /// 却下.
    Rejected,
}

/// The answer to a delivered event: the change is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterEventReceipt {
    /// Echo of the event's id.
    pub event_id: uuid::Uuid,
    /// `applied` the first time, `already-applied` for a repeated delivery.
    pub status: ReceiptStatus,
}

/// Whether this delivery applied the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiptStatus {
    /// First delivery: the change is now in force.
    Applied,
    /// The same event (same id, equal body) was applied before; nothing changed.
    AlreadyApplied,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_from_the_profile_example() {
        let json = r#"{ "event_id": "5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11",
            "effective_at": "2026-11-26T10:00:00+09:00",
            "change": { "kind": "seal-abolished", "person": "R201" } }"#;
        let event: RegisterEvent = serde_json::from_str(json).expect("parses");
        assert_eq!(event.change.kind(), "seal-abolished");
        assert_eq!(event.change.person(), Some("R201"));
    }

    #[test]
    fn unknown_fields_kinds_and_nulls_are_refused() {
        for json in [
            r#"{ "event_id": "5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "seal-abolished", "person": "R201", "extra": 1 } }"#,
            r#"{ "event_id": "5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "moved-to-mars", "person": "R201" } }"#,
            r#"{ "event_id": "5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "seal-abolished", "person": null } }"#,
            r#"{ "event_id": "5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "seal-abolished", "person": "R201" }, "more": true }"#,
            r#"{ "event_id": "5b1d7c9e-0c1e-4f7d-9d8e-3b0f6f2c8a11", "change": { "kind": "seal-abolished", "person": "R201" } }"#,
        ] {
            assert!(
                serde_json::from_str::<RegisterEvent>(json).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn every_kind_round_trips() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let changes = [
            RegisterChange::MovedIn {
                person: "R1".into(),
                household: "H1".into(),
                relationship: "子".into(),
                date,
            },
            RegisterChange::HouseholdHeadChanged {
                household: "H1".into(),
                head: "R1".into(),
                relationships: vec![MemberRelationship {
                    person: "R1".into(),
                    relationship: "世帯主".into(),
                }],
            },
            RegisterChange::RegistrationDecided {
                registration_id: "REG-1".into(),
                decision: RegistrationDecision::Approved,
            },
        ];
        for change in changes {
            let json = serde_json::to_value(&change).expect("serializes");
            assert_eq!(json["kind"], change.kind());
            let back: RegisterChange = serde_json::from_value(json).expect("parses");
            assert_eq!(back, change);
        }
    }
}
