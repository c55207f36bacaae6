//! The `kofu` command line: parses flags and calls the library (the engine, the
//! reference server, the standalone center, the scripted terminal). Exit codes are
//! documented in `kofu::exit` and the README. Longer than 400 lines because every
//! subcommand's flags are declared here, and only here.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use kofu::candidate::CandidateSpec;
use kofu::{RunOptions, exit};

#[derive(Parser)]
#[command(
    name = "kofu",
    version,
    about = "Conformance harness for コンビニ交付 issuance servers (証明発行サーバ)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the conformance suite (default: against the bundled reference server).
    Run(RunArgs),
    /// 負荷試験: a peak day at the candidate's limit, sized on the command line, every
    /// document audited and the day reconciled; prints throughput and latency figures.
    Load(LoadArgs),
    /// The overhead benchmark: N transactions through kofu (terminal, center, audit)
    /// against the same calls from a bare client, one at a time and concurrently.
    Bench(BenchArgs),
    /// List the reference server's defect switches: name, then description.
    Defects,
    /// Run the bundled reference issuance server standalone.
    ReferenceServer(ServerArgs),
    /// Snapshots of a vendor's candidate: accept the ones a run recorded for review.
    Snapshots {
        #[command(subcommand)]
        command: SnapshotsCommand,
    },
    /// Run the mock issuance center (証明書交付センター) in front of candidate servers.
    Center(CenterArgs),
    /// A scripted kiosk terminal (キオスク端末) session through a center, or the card list.
    Terminal(TerminalArgs),
    /// 認証モード: run every phase and seal the run into a signed evidence bundle.
    Certify(CertifyArgs),
    /// Check a bundle written by `kofu certify`: every file, and the signature.
    Verify(VerifyArgs),
    /// Fixture utilities.
    Fixtures {
        #[command(subcommand)]
        command: FixturesCommand,
    },
    /// Report folders: merge the run folders of shards (`kofu run --shard K/N`).
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Merge run folders (the shards of one selection, of one candidate) into one run
    /// folder: summary.json, junit.xml, cucumber.json and every shard's evidence.
    Merge {
        /// The run folders to merge, e.g. reports/20261201T101500Z-1a2b3c.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The merged run folder (created; must not hold a report yet).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Folder of the feature files (to place tags on their lines in cucumber.json).
        #[arg(long)]
        features: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Base URL of the candidate (omit to test the bundled reference server).
    #[arg(long)]
    server: Option<String>,
    /// Container image of the candidate, `NAME[:TAG]`, present in the local Docker
    /// engine (never pulled); run under profile/CONTAINER.md and removed after the run.
    #[arg(long, value_name = "NAME[:TAG]", conflicts_with_all = ["server", "defects"])]
    image: Option<String>,
    /// Municipality profile (TOML) the candidate claims; repeat for 住所地 and 本籍地.
    /// Required with --server; with --image the default is the fixtures' municipalities.
    #[arg(long = "municipality")]
    municipalities: Vec<PathBuf>,
    /// PEM trust anchor of the candidate's server certificate (https); with --image the
    /// default is fixtures/pki/candidate-ca.pem.
    #[arg(long)]
    server_ca: Option<PathBuf>,
    /// Command that restarts the --server candidate (run with `sh -c`, at most
    /// 120 s, its output kept under evidence/restart/), for the restart scenarios.
    #[arg(long, value_name = "COMMAND", requires = "server")]
    restart_command: Option<String>,
    /// Cucumber tag expression, e.g. `@phase-connection`.
    #[arg(long)]
    tags: Option<String>,
    /// Switch on a defect of the bundled reference server (repeatable).
    #[arg(long = "defect", conflicts_with = "server")]
    defects: Vec<String>,
    /// Overall deadline of the run in seconds: past it the run stops, unfinished
    /// scenarios are reported failed ("run deadline exceeded"), the reports are written
    /// and kofu exits 2.
    #[arg(long, value_name = "SECONDS", default_value_t = kofu::run::DEFAULT_DEADLINE.as_secs())]
    deadline: u64,
    /// Base folder of reports.
    #[arg(long, default_value = "reports")]
    report_dir: PathBuf,
    /// Folder of the feature files.
    #[arg(long)]
    features: Option<PathBuf>,
    /// Folder of the fixtures.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Print every step to stderr as it runs.
    #[arg(long)]
    progress: bool,
    /// 追加試験: run the regression subset for one addition, `type:CODE` (e.g.
    /// type:fuhyo) or `operator:CODE` (e.g. operator:OP-C); see fixtures/additions.
    #[arg(long, value_name = "type:CODE|operator:CODE", value_parser = kofu::additions::parse_added)]
    added: Option<kofu::additions::Addition>,
    /// Waivers (TOML, `[[waiver]]` with scenario, reason, owner, expires): a failure they
    /// name is reported waived and does not fail the run; a stale waiver (expired,
    /// matching nothing, or whose scenario passed) fails it.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Run only the scenarios that failed (failed, recorded, error) in an earlier run's
    /// report folder (its summary.json); exit 2 when none failed there.
    #[arg(long, value_name = "REPORT_DIR")]
    rerun_failed: Option<PathBuf>,
    /// Run only part K of N of the selection (1 ≤ K ≤ N): the same selection always
    /// splits the same way, and the N parts hold every scenario once.
    #[arg(long, value_name = "K/N")]
    shard: Option<kofu::run::Shard>,
}

#[derive(clap::Args)]
struct LoadArgs {
    /// Base URL of the candidate (omit to load the bundled reference server).
    #[arg(long)]
    server: Option<String>,
    /// Container image of the candidate, `NAME[:TAG]`, present in the local Docker engine.
    #[arg(long, value_name = "NAME[:TAG]", conflicts_with_all = ["server", "defects"])]
    image: Option<String>,
    /// Municipality profile (TOML) the candidate claims; repeatable. A profile may claim
    /// `[latency_budget]` (p95 per operation, ms), which the day then checks.
    #[arg(long = "municipality")]
    municipalities: Vec<PathBuf>,
    /// PEM trust anchor of the candidate's server certificate (https).
    #[arg(long)]
    server_ca: Option<PathBuf>,
    /// Switch on a defect of the bundled reference server (repeatable).
    #[arg(long = "defect", conflicts_with = "server")]
    defects: Vec<String>,
    /// Terminals per terminal of the fixtures' operators (concurrency = this × 12).
    #[arg(long, default_value_t = 3)]
    lanes: usize,
    /// Visits per terminal per business day; the schedule spaces them to fit business
    /// hours whatever the number.
    #[arg(long, default_value_t = 12)]
    visits_per_lane: usize,
    /// Seed of the day's plan (the same seed plans the same day).
    #[arg(long, default_value_t = 20261211)]
    seed: u64,
    /// Business date of the (first) day, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    date: Option<chrono::NaiveDate>,
    /// Business days to run one after another, each closed (reconciled three ways) as
    /// it ends; with --soak, at least this many.
    #[arg(long, default_value_t = 1)]
    days: usize,
    /// Soak mode: run day after day, each closed as it ends, until this many seconds
    /// have passed, and show kofu's resident memory after the first and the last day.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    soak: u64,
    /// Overall deadline in seconds (0: none).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    deadline: u64,
    /// Base folder of reports.
    #[arg(long, default_value = "reports")]
    report_dir: PathBuf,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Base URL of the candidate (omit to measure against the bundled reference server).
    #[arg(long)]
    server: Option<String>,
    /// Municipality profile (TOML) the candidate claims; repeatable.
    #[arg(long = "municipality")]
    municipalities: Vec<PathBuf>,
    /// PEM trust anchor of the candidate's server certificate (https).
    #[arg(long)]
    server_ca: Option<PathBuf>,
    /// Transactions per path and mode (menu, issuance, outcome report each).
    #[arg(long, default_value_t = 200)]
    transactions: usize,
    /// Transactions at once in the concurrent mode.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Write the figures as JSON here too.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("{s}: {e} (YYYY-MM-DD)"))
}

#[derive(clap::Args)]
struct CertifyArgs {
    /// Base URL of the candidate (omit to certify the bundled reference server).
    #[arg(long)]
    server: Option<String>,
    /// Container image of the candidate, `NAME[:TAG]`, present in the local Docker engine.
    #[arg(long, value_name = "NAME[:TAG]", conflicts_with = "server")]
    image: Option<String>,
    /// Municipality profile (TOML) the candidate claims; repeat for 住所地 and 本籍地.
    #[arg(long = "municipality")]
    municipalities: Vec<PathBuf>,
    /// PEM trust anchor of the candidate's server certificate (https).
    #[arg(long)]
    server_ca: Option<PathBuf>,
    /// Command that restarts the --server candidate, for the restart scenarios.
    #[arg(long, value_name = "COMMAND", requires = "server")]
    restart_command: Option<String>,
    /// The bundle to write (a tar archive).
    #[arg(long, value_name = "BUNDLE")]
    out: PathBuf,
    /// Ed25519 signing key (PKCS#8 PEM) of the acceptance body. Default: the
    /// repository's TEST key, fixtures/pki/certify-TEST-ONLY-signing-key.pem.
    #[arg(long, value_name = "PEM")]
    signing_key: Option<PathBuf>,
    /// Base folder of reports (the run folder stays there too).
    #[arg(long, default_value = "reports")]
    report_dir: PathBuf,
    /// Overall deadline of the run in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = kofu::run::DEFAULT_DEADLINE.as_secs())]
    deadline: u64,
    /// Print every step to stderr as it runs.
    #[arg(long)]
    progress: bool,
    /// Refused: a certification runs every scenario.
    #[arg(long, hide = true)]
    tags: Option<String>,
    /// Refused: a certification tests the candidate as it is.
    #[arg(long = "defect", hide = true)]
    defects: Vec<String>,
    /// Refused: a certification runs every scenario, 追加試験 included.
    #[arg(long, hide = true)]
    added: Option<String>,
    /// Refused: a certification waives nothing.
    #[arg(long = "waiver", alias = "waivers", hide = true)]
    waivers: Vec<String>,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// The bundle written by `kofu certify`.
    bundle: PathBuf,
    /// Pin the signer: the acceptance body's Ed25519 public key (`PUBLIC KEY` PEM).
    /// Without it the bundle's own public-key.pem is used, which proves only integrity.
    #[arg(long, value_name = "PEM")]
    public_key: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ServerArgs {
    /// Address to listen on, e.g. 127.0.0.1:8443 (loopback); `0.0.0.0:8443` only inside
    /// a container (profile/CONTAINER.md).
    #[arg(long, env = "KOFU_LISTEN", default_value = "127.0.0.1:8443")]
    listen: String,
    /// Folder of the server's records (`reference-server.sqlite` in it; records survive
    /// restarts). Default: a fresh temporary folder, removed when the server stops.
    #[arg(long, value_name = "DIR", env = "KOFU_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// SQLite database file, instead of `--data-dir`.
    #[arg(long, value_name = "FILE", conflicts_with = "data_dir")]
    database: Option<PathBuf>,
    /// Serve plain HTTP instead of HTTPS with mutual TLS.
    #[arg(long)]
    plain: bool,
    /// Switch on a defect (repeatable).
    #[arg(long = "defect")]
    defects: Vec<String>,
    /// Folder of the fixtures.
    #[arg(long, env = "KOFU_FIXTURES")]
    fixtures: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CenterArgs {
    /// Loopback address to serve the terminal API on, e.g. 127.0.0.1:18080.
    #[arg(long, default_value = "127.0.0.1:18080")]
    listen: String,
    /// Base URL of a candidate issuance server (repeat for several).
    #[arg(long = "server", required = true)]
    servers: Vec<String>,
    /// PEM trust anchor of the candidates' server certificates (default: the fixtures'
    /// candidate CA, which signs the bundled reference server).
    #[arg(long)]
    server_ca: Option<PathBuf>,
    /// SQLite file of the ledger (default: in memory).
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// Fixed reception time (RFC 3339), instead of the system clock.
    #[arg(long)]
    now: Option<String>,
    /// Honour the reception time a terminal sends (test terminals only).
    #[arg(long)]
    trust_terminal_clock: bool,
    /// Folder for the evidence of every exchange with candidates (exchanges.jsonl, one JSON line each).
    #[arg(long)]
    evidence: Option<PathBuf>,
    /// Folder of the fixtures.
    #[arg(long)]
    fixtures: Option<PathBuf>,
}

#[derive(clap::Args)]
struct TerminalArgs {
    /// Print one line per fixture card: ID STATE PIN NAME.
    #[arg(long)]
    list_cards: bool,
    /// Base URL of the center, e.g. http://127.0.0.1:18080.
    #[arg(long, required_unless_present = "list_cards")]
    center: Option<String>,
    /// Fixture card id, e.g. C001.
    #[arg(long, required_unless_present = "list_cards")]
    card: Option<String>,
    /// The PIN the resident enters.
    #[arg(long, required_unless_present = "list_cards")]
    pin: Option<String>,
    /// Certificate type: code (juminhyo) or title (住民票の写し).
    #[arg(long, required_unless_present = "list_cards")]
    certificate: Option<String>,
    /// Option KEY=VALUE: scope=self|household|members, members=R001,R002,
    /// show_relationship=true, show_honseki=true, fiscal_year=2026 (repeatable).
    #[arg(long = "option")]
    options: Vec<String>,
    /// Copies to print.
    #[arg(long, default_value_t = 1)]
    copies: u8,
    /// Folder for the printed PDFs and the receipt.
    #[arg(long, required_unless_present = "list_cards")]
    out: Option<PathBuf>,
    /// Municipality code to ask (default: the center routes by the menus).
    #[arg(long)]
    municipality: Option<String>,
    /// Terminal as OPERATOR/STORE/TERMINAL (default: the first fixture terminal).
    #[arg(long)]
    terminal: Option<kofu::terminal::TerminalId>,
    /// Folder of the fixtures.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// The paper jams on this copy (later copies are not printed and are refunded).
    #[arg(long, value_name = "COPY")]
    jam_on: Option<u8>,
    /// Sheets of paper left in the printer.
    #[arg(long, value_name = "N")]
    sheets: Option<u32>,
    /// The resident presses 取消 on the fee screen instead of paying.
    #[arg(long, conflicts_with_all = ["walk_away", "jam_on", "sheets"])]
    cancel: bool,
    /// The resident walks away from the fee screen (the payment timeout passes).
    #[arg(long, conflicts_with_all = ["cancel", "jam_on", "sheets"])]
    walk_away: bool,
}

#[derive(Subcommand)]
enum SnapshotsCommand {
    /// Copy the snapshots a run recorded for review (`REPORT_DIR/snapshots/<key>/
    /// *.snap.new`) into the snapshots folder as reviewed snapshots (`<key>/*.snap`).
    Accept {
        /// The run's report folder, e.g. reports/20261201T101500Z-1a2b3c.
        report_dir: PathBuf,
        /// Snapshots folder to accept into (default: fixtures/snapshots).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum FixturesCommand {
    /// Write the register a vendor loads into its own server (JSON and CSV).
    Export {
        /// Output folder.
        dir: PathBuf,
    },
    /// Write the fixtures built into kofu into a new folder, to use with `--fixtures
    /// DIR` (e.g. a vendor's accepted snapshots go into its `snapshots/`).
    Unpack {
        /// Output folder (must not exist yet).
        dir: PathBuf,
    },
}

/// The `features` or `fixtures` folder a command reads: the one given, else the
/// checkout's under `KOFU_CHECKOUT`, else the copy built into the binary
/// (`kofu::built_in::MARKER`, which a run unpacks into its scratch folder).
fn repo_dir(name: &str, given: Option<PathBuf>) -> PathBuf {
    kofu::built_in::folder(tree(name), given)
}

fn tree(name: &str) -> kofu::built_in::Tree {
    if name == "features" {
        kofu::built_in::Tree::Features
    } else {
        kofu::built_in::Tree::Fixtures
    }
}

/// [`repo_dir`] as a folder on disk: a built-in copy is unpacked into a temporary folder,
/// removed when the returned guard is dropped (the command's end). A folder given on the
/// command line or by the environment needs no temporary folder (a container image may
/// have none).
fn repo_dir_on_disk(
    name: &str,
    given: Option<PathBuf>,
) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    let path = repo_dir(name, given);
    if !kofu::built_in::is_built_in(&path) {
        return Ok((path, None));
    }
    let scratch = tempfile::tempdir().context("temporary folder")?;
    let dir = kofu::built_in::unpack(tree(name), &path, scratch.path())
        .with_context(|| format!("unpacking the built-in {name}"))?;
    Ok((dir, Some(scratch)))
}

fn main() -> ExitCode {
    use std::io::IsTerminal as _;
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(kofu::report::text::colour_allowed(
            std::io::stderr().is_terminal(),
        ))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    if let Command::Run(RunArgs { image: Some(_), .. })
    | Command::Certify(CertifyArgs { image: Some(_), .. }) = &cli.command
    {
        // Before the runtime: it may point DOCKER_HOST at an API version bridge.
        kofu::candidate::docker_api::prepare();
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kofu: cannot start the async runtime: {e}");
            return ExitCode::from(exit::SETUP as u8);
        }
    };
    let code = match runtime.block_on(dispatch(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kofu: {e:#}");
            exit::SETUP
        }
    };
    ExitCode::from(code as u8)
}

async fn dispatch(command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Run(args) => run(args).await,
        Command::Load(args) => load(args).await,
        Command::Bench(args) => bench(args).await,
        Command::Defects => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            for d in kofu_reference_server::Defect::ALL {
                // A closed pipe (`| head`) ends the listing quietly.
                if writeln!(stdout, "{} {}", d.name(), d.description()).is_err() {
                    break;
                }
            }
            Ok(exit::PASSED)
        }
        Command::ReferenceServer(args) => reference_server(args).await,
        Command::Snapshots {
            command: SnapshotsCommand::Accept { report_dir, into },
        } => {
            // Accepting writes into a fixtures folder on disk: the checkout's under
            // KOFU_CHECKOUT, else fixtures/ in the current folder.
            let into = into.unwrap_or_else(|| {
                let fixtures = repo_dir("fixtures", None);
                if kofu::built_in::is_built_in(&fixtures) {
                    PathBuf::from("fixtures")
                } else {
                    fixtures
                }
                .join("snapshots")
            });
            let accepted = kofu::checks::snapshot::accept(&report_dir, &into)
                .with_context(|| format!("accepting the snapshots of {}", report_dir.display()))?;
            if accepted.is_empty() {
                anyhow::bail!(
                    "{} holds no snapshot recorded for review (snapshots/<key>/*.snap.new)",
                    report_dir.display()
                );
            }
            for path in accepted {
                println!("accepted {}", path.display());
            }
            Ok(exit::PASSED)
        }
        Command::Report {
            command:
                ReportCommand::Merge {
                    dirs,
                    out,
                    features,
                },
        } => {
            let (features, _scratch) = repo_dir_on_disk("features", features)?;
            let summary = kofu::report::merge::merge(&dirs, &out, &features)
                .with_context(|| format!("merging into {}", out.display()))?;
            print!("{}", summary.render());
            println!("report: {}", out.display());
            if let Some(mocks) = summary.mock_line() {
                println!("{mocks}");
            }
            println!("{}", summary.closing_line());
            Ok(summary.exit_code())
        }
        Command::Certify(args) => certify(args).await,
        Command::Verify(args) => verify(args),
        Command::Center(args) => center(args).await,
        Command::Terminal(args) => terminal(args).await,
        Command::Fixtures {
            command: FixturesCommand::Unpack { dir },
        } => {
            if dir.exists() {
                anyhow::bail!("{} exists already: give a new folder", dir.display());
            }
            std::fs::create_dir_all(&dir)
                .and_then(|()| kofu::built_in::FIXTURES.extract(&dir))
                .with_context(|| {
                    format!("unpacking the built-in fixtures into {}", dir.display())
                })?;
            println!("{}", dir.display());
            Ok(exit::PASSED)
        }
        Command::Fixtures {
            command: FixturesCommand::Export { dir },
        } => {
            let (fixtures_dir, _scratch) = repo_dir_on_disk("fixtures", None)?;
            let fixtures =
                kofu_fixtures::Fixtures::load(&fixtures_dir).context("loading fixtures")?;
            let written = kofu_fixtures::export::export(&fixtures, &dir)
                .with_context(|| format!("exporting fixtures to {}", dir.display()))?;
            for path in written {
                println!("{}", path.display());
            }
            Ok(exit::PASSED)
        }
    }
}

/// The candidate the flags describe, the same for `run` and `certify`: `--server` (with
/// its claims), `--image`, or else the bundled reference server with `defects`.
fn candidate_spec(
    server: Option<String>,
    image: Option<String>,
    municipalities: Vec<PathBuf>,
    server_ca: Option<PathBuf>,
    restart_command: Option<String>,
    defects: Vec<String>,
) -> anyhow::Result<CandidateSpec> {
    Ok(match (server, image) {
        (Some(url), _) => {
            if municipalities.is_empty() {
                anyhow::bail!(
                    "--server needs at least one --municipality profile (the candidate's claims)"
                );
            }
            CandidateSpec::Remote {
                url,
                municipalities,
                server_ca,
                restart_command,
            }
        }
        (None, Some(image)) => CandidateSpec::Container {
            image,
            municipalities,
            server_ca,
        },
        (None, None) => {
            if !municipalities.is_empty() || server_ca.is_some() {
                anyhow::bail!(
                    "--municipality and --server-ca describe a candidate given with --server or --image"
                );
            }
            CandidateSpec::Embedded { defects }
        }
    })
}

/// Run the engine until it ends or SIGINT/SIGTERM cancels it (its futures are dropped);
/// either way the containers it started are removed. `Err(code)`: interrupted, exit with
/// `code` (130 or 143) after saying `cancelled` on stderr.
async fn interruptible(
    options: RunOptions,
    cancelled: &str,
) -> Result<Result<kofu::RunOutcome, kofu::run::RunError>, i32> {
    let containers = matches!(options.candidate, CandidateSpec::Container { .. });
    let outcome = tokio::select! {
        outcome = kofu::run(options) => outcome,
        code = interrupted() => {
            let removed = if containers { kofu::candidate::container::remove_own().await } else { 0 };
            eprintln!("kofu: interrupted; {cancelled} ({removed} containers removed)");
            return Err(code);
        }
    };
    if containers {
        kofu::candidate::container::remove_own().await;
    }
    Ok(outcome)
}

async fn bench(args: BenchArgs) -> anyhow::Result<i32> {
    let candidate = candidate_spec(
        args.server,
        None,
        args.municipalities,
        args.server_ca,
        None,
        Vec::new(),
    )?;
    let scratch = kofu::bench::scratch_in(&std::env::temp_dir());
    let fixtures_dir = repo_dir("fixtures", None);
    let fixtures =
        kofu::built_in::unpack_both(&repo_dir("features", None), &fixtures_dir, &scratch)
            .map(|(_, fixtures)| fixtures)?;
    let options = kofu::bench::BenchOptions {
        candidate,
        fixtures,
        transactions: args.transactions,
        concurrency: args.concurrency,
        scratch: scratch.clone(),
    };
    eprintln!(
        "kofu bench: {} transactions per path, one at a time and {} at once",
        options.transactions, options.concurrency
    );
    let figures = kofu::bench::bench(&options).await;
    let _ = std::fs::remove_dir_all(&scratch);
    let figures = figures?;
    print!("{}", figures.table());
    if let Some(path) = args.json {
        std::fs::write(&path, serde_json::to_string_pretty(&figures)?)?;
    }
    Ok(0)
}

async fn load(args: LoadArgs) -> anyhow::Result<i32> {
    let candidate = candidate_spec(
        args.server,
        args.image,
        args.municipalities,
        args.server_ca,
        None,
        args.defects,
    )?;
    let mut options = RunOptions::repository(candidate);
    options.tags = Some("@phase-load".to_owned());
    options.report_dir = args.report_dir;
    options.features = repo_dir("features", None);
    options.fixtures = repo_dir("fixtures", None);
    options.deadline = (args.deadline > 0).then(|| std::time::Duration::from_secs(args.deadline));
    options.load = kofu::rig::LoadKnobs {
        lanes: Some(args.lanes),
        visits_per_lane: Some(args.visits_per_lane),
        seed: Some(args.seed),
        date: args.date,
        days: Some(args.days),
        soak: kofu::steps::load::soak(args.soak),
    };
    let outcome = match interruptible(options, "the load run was cancelled").await {
        Ok(outcome) => outcome?,
        Err(code) => return Ok(code),
    };
    if let Some(error) = &outcome.error {
        eprintln!("kofu: {}", kofu_mock_center::client::error_chain(error));
    }
    match std::fs::read_to_string(outcome.run_dir.join("load.txt")) {
        Ok(table) => print!("{table}"),
        Err(_) => println!("load: no figures were written (the day did not run)"),
    }
    use std::io::IsTerminal as _;
    let colour = kofu::report::text::colour_allowed(std::io::stdout().is_terminal());
    print!("{}", outcome.summary.render_with(colour));
    println!("report: {}", outcome.run_dir.display());
    println!("{}", outcome.summary.closing_line());
    Ok(outcome.exit_code)
}

async fn run(args: RunArgs) -> anyhow::Result<i32> {
    let candidate = candidate_spec(
        args.server,
        args.image,
        args.municipalities,
        args.server_ca,
        args.restart_command,
        args.defects,
    )?;
    let options = RunOptions {
        candidate,
        tags: args.tags,
        report_dir: args.report_dir,
        features: repo_dir("features", args.features),
        fixtures: repo_dir("fixtures", args.fixtures),
        progress: args.progress,
        added: args.added,
        deadline: (args.deadline > 0).then(|| std::time::Duration::from_secs(args.deadline)),
        waivers: args.waivers,
        rerun_failed: args.rerun_failed,
        shard: args.shard,
        load: kofu::rig::LoadKnobs::default(),
    };
    if kofu::built_in::is_built_in(&options.features) {
        eprintln!("kofu: running the features built into kofu");
    } else {
        eprintln!("kofu: running features from {}", options.features.display());
    }
    let outcome = match interruptible(options, "the run was cancelled").await {
        Ok(outcome) => outcome?,
        Err(code) => return Ok(code),
    };
    if let Some(error) = &outcome.error {
        eprintln!("kofu: {}", kofu_mock_center::client::error_chain(error));
    }
    use std::io::IsTerminal as _;
    let colour = kofu::report::text::colour_allowed(std::io::stdout().is_terminal());
    print!("{}", outcome.summary.render_with(colour));
    println!("report: {}", outcome.run_dir.display());
    let settlement = outcome.run_dir.join("settlement");
    if settlement.is_dir() {
        println!("settlement: {}", settlement.display());
    }
    if outcome.summary.recorded > 0 {
        println!(
            "{} snapshots recorded for review: kofu snapshots accept {}",
            outcome.summary.recorded,
            outcome.run_dir.display()
        );
    }
    if outcome.summary.passed + outcome.summary.failed + outcome.summary.errors == 0 {
        println!("no scenario ran: that is never a pass");
    }
    if let Some(mocks) = outcome.summary.mock_line() {
        println!("{mocks}");
    }
    for stale in &outcome.summary.stale_waivers {
        eprintln!("kofu: {}", stale.message());
    }
    println!("{}", outcome.summary.closing_line());
    Ok(outcome.exit_code)
}

/// The exit code of the first SIGINT (130) or SIGTERM (143).
async fn interrupted() -> i32 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => 130,
                _ = term.recv() => 143,
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    130
}

/// `kofu certify`: refuse anything that narrows or bends the run, run every phase, seal.
async fn certify(args: CertifyArgs) -> anyhow::Result<i32> {
    let refused = [
        (
            args.tags.is_some(),
            "--tags (a certification runs every scenario)",
        ),
        (
            !args.defects.is_empty(),
            "--defect (a certification tests the candidate as it is)",
        ),
        (
            args.added.is_some(),
            "--added (a certification runs every scenario, 追加試験 included)",
        ),
        (
            !args.waivers.is_empty(),
            "--waiver (a certification waives nothing)",
        ),
    ];
    let refused: Vec<&str> = refused
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, why)| *why)
        .collect();
    if !refused.is_empty() {
        anyhow::bail!("kofu certify refuses {}", refused.join(", "));
    }
    let fixtures = repo_dir("fixtures", None);
    let signing_key = args
        .signing_key
        .clone()
        .unwrap_or_else(|| fixtures.join(kofu::certify::TEST_SIGNING_KEY));
    let signing_key_pem = match kofu::built_in::is_built_in(&fixtures) && args.signing_key.is_none()
    {
        true => kofu::built_in::file(
            kofu::built_in::Tree::Fixtures,
            kofu::certify::TEST_SIGNING_KEY,
        )
        .context("the built-in fixtures have no TEST signing key")?
        .to_vec(),
        false => std::fs::read(&signing_key)
            .with_context(|| format!("reading the signing key {}", signing_key.display()))?,
    };
    kofu::certify::SigningKey::from_pem(&signing_key_pem)
        .with_context(|| format!("the signing key {}", signing_key.display()))?;
    if args.signing_key.is_none() {
        eprintln!(
            "kofu: WARNING: signing with the repository's TEST key ({}): the bundle proves only that it is intact; an acceptance body signs with its own --signing-key",
            signing_key.display()
        );
    }
    let candidate = candidate_spec(
        args.server,
        args.image,
        args.municipalities,
        args.server_ca,
        args.restart_command,
        Vec::new(),
    )?;
    let features = repo_dir("features", None);
    let options = RunOptions {
        candidate,
        tags: None,
        report_dir: args.report_dir,
        features,
        fixtures,
        progress: args.progress,
        added: None,
        deadline: (args.deadline > 0).then(|| std::time::Duration::from_secs(args.deadline)),
        waivers: None,
        rerun_failed: None,
        shard: None,
        load: kofu::rig::LoadKnobs::default(),
    };
    let outcome = match interruptible(options, "nothing was sealed").await {
        Ok(outcome) => outcome?,
        Err(code) => return Ok(code),
    };
    println!("report: {}", outcome.run_dir.display());
    if let Some(error) = &outcome.error {
        anyhow::bail!(
            "the run stopped before any scenario, nothing was sealed: {}",
            kofu_mock_center::client::error_chain(error)
        );
    }
    let manifest = kofu::certify::seal(&kofu::certify::SealOptions {
        run_dir: outcome.run_dir.clone(),
        features: outcome.features.clone(),
        fixtures: outcome.fixtures.clone(),
        signing_key_pem,
        out: args.out.clone(),
    })?;
    print_counts(&manifest);
    println!("bundle: {}", args.out.display());
    Ok(outcome.exit_code)
}

fn print_counts(manifest: &kofu::certify::Manifest) {
    let c = &manifest.candidate;
    println!(
        "candidate: {} ({} {})",
        c.url,
        c.implementation.as_deref().unwrap_or("?"),
        c.version.as_deref().unwrap_or("?")
    );
    println!(
        "kofu {}, profile {}, run {}",
        manifest.kofu_version, manifest.profile_version, manifest.run_id
    );
    let (v, m) = (&manifest.verdict, &manifest.mocks);
    println!(
        "verdict: {} passed, {} failed, {} skipped ({} errors); kofu's own mocks: {} passed, {} failed, {} skipped",
        v.passed, v.failed, v.skipped, manifest.errors, m.passed, m.failed, m.skipped
    );
}

/// `kofu verify`: exit 0 with `bundle verified`, or 1 with what is wrong.
fn verify(args: VerifyArgs) -> anyhow::Result<i32> {
    let pinned = match &args.public_key {
        Some(path) => {
            Some(std::fs::read(path).with_context(|| format!("reading {}", path.display()))?)
        }
        None => None,
    };
    match kofu::certify::verify(&args.bundle, pinned.as_deref()) {
        Ok(verified) => {
            print_counts(&verified.manifest);
            if verified.test_key {
                println!(
                    "WARNING: signed with the repository's TEST key: intact, but no proof of who sealed it"
                );
            } else if pinned.is_none() {
                println!(
                    "note: the signer is not pinned (--public-key): this proves the bundle is intact, not who sealed it"
                );
            }
            println!("bundle verified");
            Ok(exit::PASSED)
        }
        Err(kofu::certify::CertifyError::Key(e)) if pinned.is_some() => {
            anyhow::bail!("--public-key: {e}")
        }
        Err(e) => {
            eprintln!("kofu: {}: {e}", args.bundle.display());
            println!("bundle NOT verified");
            Ok(exit::FAILED)
        }
    }
}

async fn reference_server(args: ServerArgs) -> anyhow::Result<i32> {
    let (fixtures_dir, _scratch) = repo_dir_on_disk("fixtures", args.fixtures)?;
    let fixtures = std::sync::Arc::new(
        kofu_fixtures::Fixtures::load(&fixtures_dir).context("loading fixtures")?,
    );
    let mut defects = std::collections::BTreeSet::new();
    for name in &args.defects {
        defects.insert(
            name.parse::<kofu_reference_server::Defect>()
                .map_err(|_| anyhow::anyhow!("unknown defect `{name}` (see `kofu defects`)"))?,
        );
    }
    kofu_mock_center::install_crypto_provider();
    let pki = fixtures_dir.join("pki");
    let read = |name: &str| {
        std::fs::read(pki.join(name))
            .with_context(|| format!("reading {}", pki.join(name).display()))
    };
    let tls = if args.plain {
        None
    } else {
        Some(kofu_reference_server::TlsSettings {
            cert_pem: read("reference-server.pem")?,
            key_pem: read("reference-server.key")?,
            client_ca_pem: Some(read("center-ca.pem")?),
        })
    };
    let listener = std::net::TcpListener::bind(&args.listen)
        .with_context(|| format!("binding {}", args.listen))?;
    listener
        .set_nonblocking(true)
        .context("configuring the listener")?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let bound = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| args.listen.clone());
    // The records go to --database, else --data-dir, else a fresh temporary folder
    // (never the current directory), removed when the server stops.
    let temporary = match (&args.database, &args.data_dir) {
        (None, None) => Some(
            tempfile::Builder::new()
                .prefix("kofu-reference-server-")
                .tempdir()
                .context("creating a temporary data folder")?,
        ),
        _ => None,
    };
    let database = match (&args.database, &args.data_dir, &temporary) {
        (Some(file), _, _) => file.clone(),
        (None, Some(dir), _) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.join("reference-server.sqlite")
        }
        (None, None, Some(t)) => t.path().join("reference-server.sqlite"),
        (None, None, None) => anyhow::bail!("no data folder"),
    };
    eprintln!(
        "kofu reference-server listening on {scheme}://{bound} (records: {})",
        database.display()
    );
    let config = kofu_reference_server::Config {
        fixtures,
        municipalities: Vec::new(),
        database,
        defects,
        tls,
    };
    // SIGTERM too: `docker stop` sends it, and a container's first process that ignores it
    // is killed only after the grace period.
    kofu_reference_server::serve(listener, config, async {
        interrupted().await;
    })
    .await
    .context("reference server")?;
    Ok(exit::PASSED)
}

async fn center(args: CenterArgs) -> anyhow::Result<i32> {
    let (fixtures_dir, _scratch) = repo_dir_on_disk("fixtures", args.fixtures)?;
    let fixtures = std::sync::Arc::new(
        kofu_fixtures::Fixtures::load(&fixtures_dir).context("loading fixtures")?,
    );
    let now = match args.now {
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(&t)
                .with_context(|| format!("--now `{t}` is not RFC 3339"))?,
        ),
        None => None,
    };
    let standalone = kofu::terminal::standalone_center::Standalone {
        listen: args.listen,
        servers: args.servers,
        server_ca: args.server_ca,
        ledger: args.ledger,
        now,
        trust_terminal_clock: args.trust_terminal_clock,
        evidence: args.evidence,
    };
    kofu::terminal::standalone_center::serve(fixtures, standalone).await?;
    Ok(exit::PASSED)
}

async fn terminal(args: TerminalArgs) -> anyhow::Result<i32> {
    use kofu::terminal::script::{self, AtFeeScreen, Script};

    let (fixtures_dir, _scratch) = repo_dir_on_disk("fixtures", args.fixtures)?;
    let fixtures = kofu_fixtures::Fixtures::load(&fixtures_dir).context("loading fixtures")?;
    if args.list_cards {
        script::list_cards(&fixtures);
        return Ok(exit::PASSED);
    }
    let (Some(center), Some(card), Some(pin), Some(certificate), Some(out)) =
        (args.center, args.card, args.pin, args.certificate, args.out)
    else {
        anyhow::bail!("--center, --card, --pin, --certificate and --out are required");
    };
    let certificate = kofu_profile::CertificateType::from_code_or_title(&certificate)
        .with_context(|| format!("unknown certificate type `{certificate}`"))?;
    let options = script::options_from_pairs(certificate, &args.options)?;
    let at_fee_screen = if args.cancel {
        AtFeeScreen::Cancel
    } else if args.walk_away {
        AtFeeScreen::WalkAway
    } else {
        AtFeeScreen::Pay
    };
    let script = Script {
        center,
        card,
        pin,
        certificate,
        options,
        copies: args.copies,
        out,
        municipality: args.municipality,
        terminal: args.terminal,
        jam_on: args.jam_on,
        sheets: args.sheets,
        at_fee_screen,
    };
    Ok(script::run(&fixtures, script).await?)
}
