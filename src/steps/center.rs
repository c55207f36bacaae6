//! 交付センター steps: a kiosk session run THROUGH the in-process mock center, with the
//! test JPKI cards. The center is started once per run, on first use, on 127.0.0.1:0,
//! in front of the candidate under test.

use std::sync::Arc;

use cucumber::{then, when};
use kofu_mock_center::center::api::{IssueRequest, OpenSession};
use kofu_mock_center::center::{CenterConfig, Clock, RunningCenter};
use kofu_mock_center::jpki::TestJpki;
use kofu_mock_center::ledger::Period;
use kofu_profile::{CertificateType, IssuanceOptions, Scope};

use crate::checks::{expect_eq, fail};
use crate::terminal::kiosk::{Kiosk, KioskError};
use crate::world::KofuWorld;

/// The run's mock center and test JPKI.
pub struct CenterRig {
    /// The center.
    pub center: RunningCenter,
    /// The cards.
    pub jpki: TestJpki,
    /// A terminal connected to it.
    pub kiosk: Kiosk,
}

impl std::fmt::Debug for CenterRig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterRig")
            .field("url", &self.center.url)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn rig(world: &KofuWorld) -> Arc<CenterRig> {
    let ctx = world.ctx().clone();
    let result = ctx
        .center
        .get_or_try_init(|| async {
            let jpki = TestJpki::generate(&ctx.fixtures).map_err(|e| super::error_chain(&e))?;
            let config = CenterConfig {
                fixtures: ctx.fixtures.clone(),
                candidates: vec![ctx.candidate.center_client()],
                jpki_ca_der: jpki.ca_der.clone(),
                validity_url: String::new(),
                clock: Clock::System,
                trust_terminal_clock: true,
                ledger_path: Some(ctx.run_dir.join("scratch").join("center-ledger.sqlite")),
                evidence_dir: Some(ctx.run_dir.join("evidence").join("center")),
            };
            let center = RunningCenter::start(config)
                .await
                .map_err(|e| super::error_chain(&e))?;
            let kiosk = Kiosk::new(&center.url).map_err(|e| e.to_string())?;
            Ok::<_, String>(Arc::new(CenterRig {
                center,
                jpki,
                kiosk,
            }))
        })
        .await;
    match result {
        Ok(rig) => rig.clone(),
        Err(e) => panic!("the mock center did not start: {e}"),
    }
}

/// Read the placed card through the center: open a session, PIN, signature, check.
async fn read_card(world: &mut KofuWorld, pin: Option<String>, tamper: bool) {
    let rig = rig(world).await;
    let card_fixture = world
        .card
        .clone()
        .unwrap_or_else(|| panic!("no card was placed on the terminal (カード … を置く)"));
    let card = rig
        .jpki
        .card(&card_fixture.id)
        .unwrap_or_else(|| panic!("the test JPKI has no card {}", card_fixture.id));
    let (operator_code, store_id, terminal_id) = crate::terminal::terminal_identity(world);
    let open = OpenSession {
        operator_code,
        store_id,
        terminal_id,
        reception_time: Some(world.reception_time()),
    };
    world.kiosk.refusal = None;
    world.kiosk.accepted = None;
    let session = match rig.kiosk.open(&open).await {
        Ok(s) => s,
        Err(e) => {
            world.kiosk.refusal = Some(e);
            return;
        }
    };
    let pin = pin.unwrap_or(card_fixture.pin);
    match rig.kiosk.read_card(&session, card, &pin, tamper).await {
        Ok(accepted) => world.kiosk.accepted = Some(accepted.card_serial),
        Err(e) => world.kiosk.refusal = Some(e),
    }
    world.kiosk.session = Some(session);
}

#[when(expr = "交付センターを通して正しい暗証番号でカードを読み取らせる")]
async fn read_with_pin(world: &mut KofuWorld) {
    read_card(world, None, false).await;
}

#[when(expr = "交付センターを通して暗証番号 {string} でカードを読み取らせる")]
async fn read_with_given_pin(world: &mut KofuWorld, pin: String) {
    read_card(world, Some(pin), false).await;
}

#[when(expr = "交付センターを通して署名を改ざんしたカードを読み取らせる")]
async fn read_tampered(world: &mut KofuWorld) {
    read_card(world, None, true).await;
}

#[then(expr = "交付センターはカードを受け付ける")]
fn card_accepted(world: &mut KofuWorld) {
    if world.kiosk.accepted.is_none() {
        fail(
            "center: a valid card with the right PIN must be accepted",
            format!("refused: {:?}", world.kiosk.refusal),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "交付センターは {string} で断り、端末には {string} と表示される")]
fn refused_with(world: &mut KofuWorld, code: String, screen: String) {
    let actual = world
        .kiosk
        .refusal
        .as_ref()
        .map(|e| (e.code(), e.screen()))
        .unwrap_or_else(|| ("<accepted>".to_owned(), String::new()));
    expect_eq(
        "center: refusal code and the terminal's screen",
        &(code, screen),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "交付センターは {string} で断る")]
fn refused(world: &mut KofuWorld, code: String) {
    let actual = world
        .kiosk
        .refusal
        .as_ref()
        .map(KioskError::code)
        .unwrap_or_else(|| "<accepted>".to_owned());
    expect_eq("center: refusal code", &code, &actual, &world.evidence_dir);
}

#[when(expr = "交付センターを通してメニューを要求する")]
async fn center_menu(world: &mut KofuWorld) {
    let rig = rig(world).await;
    let Some(session) = world.kiosk.session.clone() else {
        fail(
            "center: no kiosk session",
            "read the card first",
            &world.evidence_dir,
        )
    };
    match rig.kiosk.menus(&session).await {
        Ok(m) => world.kiosk.menus = Some(m),
        Err(e) => world.kiosk.refusal = Some(e),
    }
}

#[then(expr = "交付センターのメニューに {string} がある")]
fn center_menu_has(world: &mut KofuWorld, title: String) {
    let offered: Vec<String> = world
        .kiosk
        .menus
        .iter()
        .flat_map(|m| m.menus.iter())
        .flat_map(|m| m.items.iter())
        .map(|i| i.certificate.title().to_owned())
        .collect();
    if !offered.contains(&title) {
        fail(
            &format!("center: the menu must offer {title}"),
            format!("offered: {offered:?}; refusal: {:?}", world.kiosk.refusal),
            &world.evidence_dir,
        );
    }
}

#[when(expr = "交付センターを通して {string} を {int} 通請求する")]
async fn center_issue(world: &mut KofuWorld, title: String, copies: u8) {
    let rig = rig(world).await;
    let Some(session) = world.kiosk.session.clone() else {
        fail(
            "center: no kiosk session",
            "read the card first",
            &world.evidence_dir,
        )
    };
    let certificate = super::certificate_named(&title);
    let scope = matches!(
        certificate,
        CertificateType::Juminhyo | CertificateType::JuminhyoKisai
    )
    .then_some(Scope::Holder);
    let req = IssueRequest {
        municipality: None,
        certificate,
        options: IssuanceOptions {
            scope,
            ..Default::default()
        },
        copies,
    };
    world.kiosk.refusal = None;
    match rig.kiosk.issue(&session, &req).await {
        Ok(issued) => world.kiosk.issued.push(issued),
        Err(e) => world.kiosk.refusal = Some(e),
    }
}

#[then(expr = "交付センターを通した交付は団体コード {string} から行われる")]
fn center_issued_by(world: &mut KofuWorld, code: String) {
    let actual = world
        .kiosk
        .issued
        .last()
        .map(|i| i.issuance.municipality.clone())
        .unwrap_or_else(|| format!("<not issued: {:?}>", world.kiosk.refusal));
    expect_eq(
        "center routing: the issuing municipality",
        &code,
        &actual,
        &world.evidence_dir,
    );
}

#[when(expr = "交付センターを通して全部数の印刷が終わったと報告する")]
async fn center_report_all(world: &mut KofuWorld) {
    let rig = rig(world).await;
    let (Some(session), Some(issued)) = (
        world.kiosk.session.clone(),
        world.kiosk.issued.last().cloned(),
    ) else {
        fail(
            "center: nothing was issued through the center",
            format!("refusal: {:?}", world.kiosk.refusal),
            &world.evidence_dir,
        )
    };
    let report = kofu_mock_center::center::api::PrintReport {
        copies: (1..=issued.issuance.copies)
            .map(|copy| kofu_profile::outcome::CopyOutcome {
                copy,
                outcome: kofu_profile::outcome::Outcome::Confirmed,
            })
            .collect(),
    };
    if let Err(e) = rig.kiosk.report(&session, &issued, &report).await {
        fail(
            "center: the print outcome must be recorded",
            e.to_string(),
            &world.evidence_dir,
        );
    }
}

#[then(
    expr = "交付センターの清算書（団体コード {string}、事業者 {string}、業務日 {string}）は {int} 通、手数料 {int} 円、委託手数料 {int} 円である"
)]
async fn center_statement(
    world: &mut KofuWorld,
    municipality: String,
    operator: String,
    day: String,
    copies: u64,
    fees: u64,
    commission: u64,
) {
    let key = (municipality, operator, day);
    expect_statement(world, Period::Day, &key, (copies, fees, commission)).await;
}

/// The center's statement of `key` (municipality, operator, period) must show
/// `expected` (confirmed copies, 交付手数料, 委託手数料) and the net between them.
pub(crate) async fn expect_statement(
    world: &KofuWorld,
    period: Period,
    key: &(String, String, String),
    expected: (u64, u64, u64),
) {
    let rig = rig(world).await;
    let statements = rig
        .center
        .state
        .statements(period)
        .unwrap_or_else(|e| panic!("the center's ledger failed: {}", super::error_chain(&e)));
    let (municipality, operator, when) = key;
    let actual = statements
        .iter()
        .find(|s| {
            s.municipality == *municipality && s.operator_code == *operator && s.period == *when
        })
        .map(|s| (s.copies, s.fee_total, s.commission_total, s.net));
    let (copies, fees, commission) = expected;
    let net = i64::try_from(fees).unwrap_or(0) - i64::try_from(commission).unwrap_or(0);
    expect_eq(
        &format!(
            "settlement: the statement {municipality} × {operator} × {when}: confirmed copies, fees, commission (operator's tax rule) and net"
        ),
        &Some((copies, fees, commission, net)),
        &actual,
        &world.evidence_dir,
    );
}

#[then(expr = "交付センターを通して交付される")]
fn center_issued(world: &mut KofuWorld) {
    if world.kiosk.issued.is_empty() {
        fail(
            "center: the request must be issued",
            format!("refusal: {:?}", world.kiosk.refusal),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "この端末からの請求は候補サーバに届かず、手数料もかからない")]
async fn nothing_reached_candidate(world: &mut KofuWorld) {
    let (_, _, terminal_id) = crate::terminal::terminal_identity(world);
    let date = world
        .reception_time()
        .with_timezone(&kofu_mock_center::hours::jst())
        .date_naive();
    let codes: Vec<String> = world
        .ctx()
        .candidate
        .municipalities
        .iter()
        .map(|m| m.code.clone())
        .collect();
    let client = world.center();
    let mut found = Vec::new();
    for code in codes {
        match client.records(&code, date, date).await {
            Ok(kofu_mock_center::client::Reply::Ok { value, .. }) => {
                for r in value.records {
                    if r.terminal_id == terminal_id {
                        found.push(format!(
                            "{} {} copies {} fee_confirmed {}",
                            code,
                            r.certificate.code(),
                            r.copies,
                            r.fee_confirmed
                        ));
                    }
                }
            }
            other => fail(
                "records: the candidate must answer its records",
                format!("{code}: {other:?}"),
                &world.evidence_dir,
            ),
        }
    }
    expect_eq(
        &format!(
            "records of terminal {terminal_id} on {date}: nothing reached the candidate, nothing charged"
        ),
        &Vec::<String>::new(),
        &found,
        &world.evidence_dir,
    );
}
