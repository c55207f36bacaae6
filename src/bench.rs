//! The overhead benchmark (`kofu bench`): what kofu's own path costs on top of the
//! candidate's. The same transaction — menu, issuance of one 住民票の写し, outcome
//! report — is made N times two ways against one candidate:
//!
//! - **kofu**: a terminal session through the mock center (card check and signature,
//!   routing, the ledger), every answer through the issuance audit, as in a run;
//! - **bare**: the same three calls straight to the candidate from kofu's HTTP client
//!   with the center's TLS identity, keep-alive, no evidence, no center, no audit.
//!
//! Both run one at a time, then `concurrency` at once; the ratio kofu / bare is the
//! harness's overhead. A benchmark measures; nothing here asserts a time.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use kofu_fixtures::Fixtures;
use kofu_mock_center::client::{CandidateClient, NoEvidence, Reply};
use kofu_profile::issuance::IssuanceRequest;
use kofu_profile::menu::MenuRequest;
use kofu_profile::outcome::{CopyOutcome, Outcome, OutcomeReport};
use kofu_profile::{CertificateType, IssuanceOptions, Reception, Scope};
use serde::Serialize;

use crate::candidate::{Candidate, CandidateSpec};
use crate::rig::Rig;
use crate::terminal::TerminalProfile;
use crate::terminal::journal::Journal;
use crate::terminal::printer::Printer;
use crate::terminal::session::{KioskSession, MenuPick, Screen};

/// The card of every benchmark transaction: an ordinary adult resident.
const CARD: &str = "C001";

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The fixtures did not load.
    #[error("the fixtures did not load")]
    Fixtures(#[source] kofu_fixtures::FixtureError),
    /// The candidate did not start or cannot be reached.
    #[error("the candidate cannot be used")]
    Candidate(#[source] crate::candidate::CandidateError),
    /// The mock center did not start.
    #[error("the mock center did not start")]
    Rig(#[source] crate::rig::RigError),
    /// The bare client could not be configured.
    #[error("the bare client could not be configured")]
    Client(#[source] kofu_mock_center::client::ClientError),
    /// A transaction did not complete: the benchmark measures only complete ones.
    #[error("a {path} transaction did not complete: {detail}")]
    Transaction {
        /// `kofu` or `bare`.
        path: &'static str,
        /// What failed.
        detail: String,
    },
}

/// One mode's two paths.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// Transactions at once.
    pub concurrency: usize,
    /// Transactions made per path.
    pub transactions: usize,
    /// Milliseconds per transaction, wall clock, through kofu.
    pub kofu_ms: f64,
    /// Milliseconds per transaction, wall clock, bare.
    pub bare_ms: f64,
    /// kofu / bare.
    pub ratio: f64,
}

/// The benchmark's figures.
#[derive(Debug, Clone, Serialize)]
pub struct BenchFigures {
    /// One at a time.
    pub one_at_a_time: Pair,
    /// `concurrency` at once.
    pub concurrent: Pair,
}

impl BenchFigures {
    /// The figures as a table for stdout.
    pub fn table(&self) -> String {
        let mut out = String::from("mode            transactions  kofu ms/tx  bare ms/tx  ratio\n");
        for (name, p) in [
            ("one at a time", &self.one_at_a_time),
            ("concurrent", &self.concurrent),
        ] {
            let mode = if p.concurrency > 1 {
                format!("{name} ({})", p.concurrency)
            } else {
                name.to_owned()
            };
            out.push_str(&format!(
                "{mode:<16}{:>12} {:>11.2} {:>11.2} {:>6.2}\n",
                p.transactions, p.kofu_ms, p.bare_ms, p.ratio
            ));
        }
        out
    }
}

/// What one benchmark measures.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The candidate.
    pub candidate: CandidateSpec,
    /// The fixtures folder.
    pub fixtures: std::path::PathBuf,
    /// Transactions per path and mode.
    pub transactions: usize,
    /// Transactions at once in the concurrent mode.
    pub concurrency: usize,
    /// Scratch folder (the candidate's database, the center's ledger).
    pub scratch: std::path::PathBuf,
}

/// Run the benchmark.
pub async fn bench(options: &BenchOptions) -> Result<BenchFigures, BenchError> {
    let fixtures = Arc::new(Fixtures::load(&options.fixtures).map_err(BenchError::Fixtures)?);
    std::fs::create_dir_all(options.scratch.join("scratch")).map_err(|e| {
        BenchError::Transaction {
            path: "setup",
            detail: e.to_string(),
        }
    })?;
    let candidate = Candidate::launch(&options.candidate, &fixtures, &options.scratch)
        .await
        .map_err(BenchError::Candidate)?;
    let bare = CandidateClient::new(candidate.center_client(), Arc::new(NoEvidence))
        .map_err(BenchError::Client)?;
    let rig = Rig::start(
        fixtures.clone(),
        candidate,
        options.scratch.clone(),
        crate::additions::Additions::load(&fixtures, None).map_err(|e| {
            BenchError::Transaction {
                path: "setup",
                detail: e.to_string(),
            }
        })?,
    )
    .await
    .map_err(BenchError::Rig)?;
    let rig = Arc::new(rig);
    let n = options.transactions.max(1);
    let c = options.concurrency.max(1);
    // Warm both paths (connections, caches) before measuring.
    through_kofu(&rig, &fixtures, 0).await?;
    bare_transaction(&bare, &rig, 0).await?;
    let one_at_a_time = pair(&rig, &fixtures, &bare, n, 1).await?;
    let concurrent = pair(&rig, &fixtures, &bare, n, c).await?;
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok(BenchFigures {
        one_at_a_time,
        concurrent,
    })
}

async fn pair(
    rig: &Arc<Rig>,
    fixtures: &Arc<Fixtures>,
    bare: &CandidateClient,
    n: usize,
    concurrency: usize,
) -> Result<Pair, BenchError> {
    use futures::StreamExt as _;
    let started = Instant::now();
    let results: Vec<Result<(), BenchError>> = futures::stream::iter(1..=n)
        .map(|i| through_kofu(rig, fixtures, i))
        .buffer_unordered(concurrency)
        .collect()
        .await;
    results.into_iter().collect::<Result<(), _>>()?;
    let kofu = started.elapsed();
    let started = Instant::now();
    let results: Vec<Result<(), BenchError>> = futures::stream::iter(1..=n)
        .map(|i| bare_transaction(bare, rig, i))
        .buffer_unordered(concurrency)
        .collect()
        .await;
    results.into_iter().collect::<Result<(), _>>()?;
    let bare_took = started.elapsed();
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / n as f64;
    Ok(Pair {
        concurrency,
        transactions: n,
        kofu_ms: per(kofu),
        bare_ms: per(bare_took),
        ratio: kofu.as_secs_f64() / bare_took.as_secs_f64().max(1e-9),
    })
}

/// The reception time of transaction `i`: a second apart, inside business hours.
fn reception_time(i: usize) -> DateTime<FixedOffset> {
    let start = DateTime::parse_from_rfc3339("2026-12-14T07:00:00+09:00")
        .unwrap_or_else(|e| unreachable!("a fixed time parses: {e}"));
    start + chrono::TimeDelta::seconds(i64::try_from(i % 50_000).unwrap_or(0))
}

fn pick() -> MenuPick {
    MenuPick {
        municipality: None,
        certificate: CertificateType::Juminhyo,
        options: IssuanceOptions {
            scope: Some(Scope::Holder),
            ..IssuanceOptions::default()
        },
        copies: 1,
    }
}

/// One transaction at a terminal, through the center and the audit.
async fn through_kofu(rig: &Rig, fixtures: &Fixtures, i: usize) -> Result<(), BenchError> {
    let fail = |detail: String| BenchError::Transaction {
        path: "kofu",
        detail,
    };
    let terminal = TerminalProfile::all(fixtures)
        .into_iter()
        .next()
        .ok_or_else(|| fail("the fixtures define no terminal".into()))?;
    let card = rig
        .center
        .jpki
        .card(CARD)
        .ok_or_else(|| fail(format!("no test card {CARD}")))?;
    let pin = fixtures
        .card(CARD)
        .map(|c| c.pin.clone())
        .ok_or_else(|| fail(format!("no fixture card {CARD}")))?;
    let mut session = KioskSession::place_card(
        rig.center.link.clone(),
        terminal,
        Arc::new(Journal::default()),
        reception_time(i),
    )
    .await
    .map_err(|e| fail(e.to_string()))?;
    session
        .enter_pin(card, &pin)
        .await
        .map_err(|e| fail(e.to_string()))?;
    session
        .choose(&pick())
        .await
        .map_err(|e| fail(e.to_string()))?;
    let due = match session.screen() {
        Screen::FeeShown { due } => *due,
        other => return Err(fail(format!("no fee shown: {other:?}"))),
    };
    session.pay(due).map_err(|e| fail(e.to_string()))?;
    session
        .print(&mut Printer::reliable())
        .await
        .map_err(|e| fail(e.to_string()))?;
    session.close().await;
    Ok(())
}

/// The same three calls straight to the candidate.
async fn bare_transaction(client: &CandidateClient, rig: &Rig, i: usize) -> Result<(), BenchError> {
    let fail = |detail: String| BenchError::Transaction {
        path: "bare",
        detail,
    };
    let code = rig
        .candidate
        .residence_municipality()
        .map(|m| m.code.clone())
        .ok_or_else(|| fail("no municipality serves residents".into()))?;
    let serial = rig
        .fixtures
        .card(CARD)
        .map(|c| c.serial.clone())
        .ok_or_else(|| fail(format!("no fixture card {CARD}")))?;
    let reception = || Reception {
        request_id: uuid::Uuid::new_v4(),
        reception_time: reception_time(i),
        operator_code: "OP-A".to_owned(),
        store_id: "OPA-S01".to_owned(),
        terminal_id: "OPA-S01-T01".to_owned(),
    };
    let menu = MenuRequest {
        reception: reception(),
        card_serial: serial.clone(),
    };
    ok(client.menu(&code, &menu).await).map_err(fail)?;
    let pick = pick();
    let req = IssuanceRequest {
        reception: reception(),
        card_serial: serial,
        certificate: pick.certificate,
        options: pick.options,
        copies: 1,
    };
    let issuance = ok(client.issue(&code, &req).await).map_err(fail)?;
    let report = OutcomeReport {
        reported_at: reception_time(i),
        copies: vec![CopyOutcome {
            copy: 1,
            outcome: Outcome::Confirmed,
        }],
    };
    ok(client
        .report_outcome(&code, &issuance.issuance_id, &report)
        .await)
    .map_err(fail)?;
    Ok(())
}

fn ok<T>(reply: Result<Reply<T>, kofu_mock_center::client::ClientError>) -> Result<T, String> {
    match reply {
        Ok(Reply::Ok { value, .. }) => Ok(value),
        Ok(Reply::Refused { status, error, .. }) => Err(format!("HTTP {status} {}", error.code)),
        Err(e) => Err(kofu_mock_center::client::error_chain(&e)),
    }
}

/// A scratch folder under `dir` for one benchmark.
pub fn scratch_in(dir: &Path) -> std::path::PathBuf {
    dir.join(format!("kofu-bench-{}", uuid::Uuid::new_v4()))
}
