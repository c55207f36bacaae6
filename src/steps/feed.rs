//! 異動連携: kofu plays the municipality's register systems (住民基本台帳, 戸籍, 印鑑登録,
//! tax) and delivers register changes to the candidate (`POST .../register-events`).
//!
//! An event is written in the scenario as a table of its items in the register's words
//! (`| 種類 | 印鑑登録の廃止 |`, `| 住民 | R201 |`). Every delivery and its answer go to
//! the scenario's evidence (`register-feed.txt`, beside the raw exchanges); an event the
//! candidate accepts joins the run's feed, by which every later issuance is audited.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::NaiveDate;
use cucumber::gherkin::Step;
use cucumber::{then, when};
use kofu_profile::register_event::{
    MemberRelationship, ReceiptStatus, RegisterChange, RegisterEvent, RegistrationDecision,
};

use super::keep;
use super::params::DateTime3339;
use crate::checks::fail;
use crate::world::{KofuWorld, LastAnswer};

/// The items of an event as the scenario's table gives them.
struct Items<'a> {
    items: BTreeMap<&'a str, &'a str>,
}

impl<'a> Items<'a> {
    fn from_step(step: &'a Step) -> Self {
        let Some(table) = step.table.as_ref() else {
            panic!("scenario error: the event's items are a table (| 種類 | … |)");
        };
        let items = table
            .rows
            .iter()
            .filter_map(|row| match row.as_slice() {
                [key, value] => Some((key.trim(), value.trim())),
                _ => None,
            })
            .collect();
        Self { items }
    }

    fn get(&self, key: &str) -> &'a str {
        self.items
            .get(key)
            .copied()
            .unwrap_or_else(|| panic!("scenario error: the event needs the item `{key}`"))
    }

    fn text(&self, key: &str) -> String {
        self.get(key).to_owned()
    }

    fn date(&self, key: &str) -> NaiveDate {
        NaiveDate::parse_from_str(self.get(key), "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("scenario error: `{key}` is not a date: {e}"))
    }

    fn number<T: std::str::FromStr>(&self, key: &str) -> T {
        self.get(key)
            .replace(',', "")
            .parse()
            .unwrap_or_else(|_| panic!("scenario error: `{key}` is not a number"))
    }
}

/// The change the table describes. `registration` stands for `提出した申請`, the
/// 利用登録申請 this scenario filed at a kiosk.
fn change(items: &Items<'_>, registration: Option<&str>) -> RegisterChange {
    let person = || items.text("住民");
    match items.get("種類") {
        "転入" => RegisterChange::MovedIn {
            person: person(),
            household: items.text("世帯"),
            relationship: items.text("続柄"),
            date: items.date("異動日"),
        },
        "転出" => RegisterChange::MovedOut {
            person: person(),
            date: items.date("異動日"),
            new_address: items.text("転出先"),
        },
        "死亡" => RegisterChange::Died {
            person: person(),
            date: items.date("異動日"),
        },
        "世帯の変更" => RegisterChange::HouseholdChanged {
            person: person(),
            household: items.text("世帯"),
            relationship: items.text("続柄"),
            date: items.date("異動日"),
        },
        "世帯主の変更" => RegisterChange::HouseholdHeadChanged {
            household: items.text("世帯"),
            head: items.text("世帯主"),
            relationships: items
                .get("続柄一覧")
                .split(['、', ','])
                .filter_map(|pair| {
                    let (p, r) = pair.trim().split_once(' ')?;
                    Some(MemberRelationship {
                        person: p.trim().to_owned(),
                        relationship: r.trim().to_owned(),
                    })
                })
                .collect(),
        },
        "氏名の変更" => RegisterChange::NameChanged {
            person: person(),
            name: items.text("氏名"),
            kana: items.text("振り仮名"),
        },
        "印鑑登録" => RegisterChange::SealRegistered {
            person: person(),
            seal_number: items.text("印鑑登録番号"),
        },
        "印鑑登録の廃止" => RegisterChange::SealAbolished { person: person() },
        "支援措置の開始" => RegisterChange::DvStarted { person: person() },
        "支援措置の終了" => RegisterChange::DvEnded { person: person() },
        "税額の更正" => RegisterChange::TaxCorrected {
            person: person(),
            fiscal_year: items.number("年度"),
            total_income: items.number("合計所得金額"),
            municipal_tax: items.number("市町村民税"),
            prefectural_tax: items.number("道府県民税"),
        },
        "利用登録申請の決定" => RegisterChange::RegistrationDecided {
            registration_id: match items.get("申請") {
                "提出した申請" => registration
                    .unwrap_or_else(|| panic!("scenario error: no 利用登録申請 was filed"))
                    .to_owned(),
                id => id.to_owned(),
            },
            decision: match items.get("決定") {
                "承認" => RegistrationDecision::Approved,
                "却下" => RegistrationDecision::Rejected,
                other => panic!("scenario error: unknown decision `{other}` (承認 / 却下)"),
            },
        },
        other => panic!("scenario error: unknown change `{other}`"),
    }
}

/// The municipality whose register system sends: the table's `市区町村`, else the
/// scenario's.
fn sender(world: &KofuWorld, items: &Items<'_>) -> String {
    items
        .items
        .get("市区町村")
        .map_or_else(|| world.municipality_code(), |m| (*m).to_owned())
}

/// Deliver `event` to `municipality` and keep the answer as the last one.
async fn deliver(world: &mut KofuWorld, municipality: String, event: RegisterEvent) {
    let reply = world
        .candidate()
        .register_event(&municipality, &event)
        .await;
    let receipt = keep(world, reply);
    note(world, &municipality, &event, &receipt);
    world.feed.receipt = receipt;
    world.feed.sent.push((municipality, event));
}

/// One line per delivery in the scenario's evidence.
fn note(
    world: &KofuWorld,
    municipality: &str,
    event: &RegisterEvent,
    receipt: &Option<kofu_profile::register_event::RegisterEventReceipt>,
) {
    let answer = match receipt {
        Some(r) => format!("{:?}", r.status).to_lowercase(),
        None => crate::checks::shown(&world.answers.last),
    };
    let line = format!(
        "{municipality} {} effective {} {} -> {answer}\n",
        event.event_id,
        event.effective_at.to_rfc3339(),
        serde_json::to_string(&event.change).unwrap_or_default(),
    );
    let path = world.evidence_dir.join("register-feed.txt");
    let written = std::fs::create_dir_all(&world.evidence_dir).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(line.as_bytes()))
    });
    if let Err(e) = written {
        tracing::warn!(path = %path.display(), error = %e, "register feed evidence not written");
    }
}

fn filed_registration(world: &KofuWorld) -> Option<String> {
    world
        .answers
        .registrations
        .first()
        .map(|r| r.registration_id.clone())
}

/// The sending municipality and the change a step's table describes.
pub(super) fn table_change(world: &KofuWorld, step: &Step) -> (String, RegisterChange) {
    let items = Items::from_step(step);
    (
        sender(world, &items),
        change(&items, filed_registration(world).as_deref()),
    )
}

/// Deliver a new event and fail the step unless the candidate answers `applied`.
pub(super) async fn deliver_applied(
    world: &mut KofuWorld,
    municipality: String,
    effective_at: chrono::DateTime<chrono::FixedOffset>,
    change: RegisterChange,
) {
    let event = RegisterEvent {
        event_id: uuid::Uuid::new_v4(),
        effective_at,
        change,
    };
    deliver(world, municipality, event).await;
    applied(world);
}

#[when(expr = "異動連携で {datetime} に効力を生じる次の異動を届ける")]
async fn deliver_change(world: &mut KofuWorld, at: DateTime3339, step: &Step) {
    let (municipality, change) = table_change(world, step);
    let event = RegisterEvent {
        event_id: uuid::Uuid::new_v4(),
        effective_at: at.0,
        change,
    };
    deliver(world, municipality, event).await;
}

fn last_sent(world: &KofuWorld) -> (String, RegisterEvent) {
    world
        .feed
        .sent
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("scenario error: no event was delivered yet"))
}

#[when(expr = "同じ異動をもう一度届ける")]
async fn deliver_again(world: &mut KofuWorld) {
    let (municipality, event) = last_sent(world);
    deliver(world, municipality, event).await;
}

#[when(expr = "同じ事象IDで次の異動を届ける")]
async fn deliver_conflicting(world: &mut KofuWorld, step: &Step) {
    let items = Items::from_step(step);
    let (municipality, first) = last_sent(world);
    let event = RegisterEvent {
        event_id: first.event_id,
        effective_at: first.effective_at,
        change: change(&items, filed_registration(world).as_deref()),
    };
    deliver(world, municipality, event).await;
}

/// A body sent as written (for the answers to malformed events).
#[when(expr = "異動連携で次の本文を届ける")]
async fn deliver_raw(world: &mut KofuWorld, step: &Step) {
    let Some(body) = step.docstring.as_ref() else {
        panic!("scenario error: the body is a doc string (\"\"\")");
    };
    let code = world.municipality_code();
    let path = kofu_profile::paths::register_events(&code);
    let client = world.candidate();
    let headers = client.profile_headers(true);
    let raw = client
        .raw(
            "register-event",
            reqwest::Method::POST,
            &path,
            headers,
            Some(body.trim().as_bytes().to_vec()),
        )
        .await;
    world.answers.last = Some(match raw {
        Ok(raw) => LastAnswer::Raw(raw),
        Err(e) => LastAnswer::TransportError(super::error_chain(&e)),
    });
}

fn expect_receipt(world: &KofuWorld, wanted: ReceiptStatus, check: &str) {
    let (_, sent) = last_sent(world);
    match &world.feed.receipt {
        Some(r) if r.status == wanted && r.event_id == sent.event_id => {}
        Some(r) => fail(
            check,
            format!(
                "expected `{}` for event {}; the candidate answered `{}` for event {}",
                status_word(wanted),
                sent.event_id,
                status_word(r.status),
                r.event_id
            ),
            &world.evidence_dir,
        ),
        None => fail(
            check,
            format!(
                "expected 200 `{}`; last answer: {}",
                status_word(wanted),
                crate::checks::shown(&world.answers.last)
            ),
            &world.evidence_dir,
        ),
    }
}

fn status_word(status: ReceiptStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[then(expr = "異動は反映済みとして受け付けられる")]
fn applied(world: &mut KofuWorld) {
    expect_receipt(
        world,
        ReceiptStatus::Applied,
        "register feed: a delivered change is answered 200 `applied` once it is in force",
    );
}

#[then(expr = "異動は既に反映済みと答えられ、何も変わらない")]
fn already_applied(world: &mut KofuWorld) {
    expect_receipt(
        world,
        ReceiptStatus::AlreadyApplied,
        "register feed: the same event delivered again is answered 200 `already-applied` and \
         changes nothing",
    );
}
