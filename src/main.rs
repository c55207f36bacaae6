//! The `kofu` command line: parses flags and calls the library. Exit codes are
//! documented in `kofu::exit` and the README.

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
    /// Fixture utilities.
    Fixtures {
        #[command(subcommand)]
        command: FixturesCommand,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Base URL of the candidate (omit to test the bundled reference server).
    #[arg(long)]
    server: Option<String>,
    /// Municipality profile (TOML) the candidate claims; repeat for 住所地 and 本籍地.
    #[arg(long = "municipality", requires = "server")]
    municipalities: Vec<PathBuf>,
    /// PEM trust anchor of the candidate's server certificate (https).
    #[arg(long, requires = "server")]
    server_ca: Option<PathBuf>,
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
    #[arg(long, value_name = "type:CODE|operator:CODE")]
    added: Option<kofu::additions::Addition>,
}

#[derive(clap::Args)]
struct ServerArgs {
    /// Address to listen on (loopback), e.g. 127.0.0.1:8443.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: String,
    /// Folder of the server's records (`reference-server.sqlite` in it; records survive
    /// restarts). Default: a fresh temporary folder, removed when the server stops.
    #[arg(long, value_name = "DIR")]
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
    #[arg(long)]
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
    /// Folder for the evidence of every exchange with candidates.
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
    terminal: Option<String>,
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
}

fn repo_dir(name: &str, given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let local = PathBuf::from(name);
        if local.is_dir() {
            local
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
        }
    })
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
            let into = into.unwrap_or_else(|| repo_dir("fixtures", None).join("snapshots"));
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
        Command::Center(args) => center(args).await,
        Command::Terminal(args) => terminal(args).await,
        Command::Fixtures {
            command: FixturesCommand::Export { dir },
        } => {
            let fixtures = kofu_fixtures::Fixtures::load(&repo_dir("fixtures", None))
                .context("loading fixtures")?;
            let written = kofu_fixtures::export::export(&fixtures, &dir)
                .with_context(|| format!("exporting fixtures to {}", dir.display()))?;
            for path in written {
                println!("{}", path.display());
            }
            Ok(exit::PASSED)
        }
    }
}

async fn run(args: RunArgs) -> anyhow::Result<i32> {
    let candidate = match args.server {
        Some(url) => {
            if args.municipalities.is_empty() {
                anyhow::bail!(
                    "--server needs at least one --municipality profile (the candidate's claims)"
                );
            }
            CandidateSpec::Remote {
                url,
                municipalities: args.municipalities,
                server_ca: args.server_ca,
            }
        }
        None => CandidateSpec::Embedded {
            defects: args.defects,
        },
    };
    let options = RunOptions {
        candidate,
        tags: args.tags,
        report_dir: args.report_dir,
        features: repo_dir("features", args.features),
        fixtures: repo_dir("fixtures", args.fixtures),
        progress: args.progress,
        added: args.added,
        deadline: (args.deadline > 0).then(|| std::time::Duration::from_secs(args.deadline)),
    };
    eprintln!("kofu: running features from {}", options.features.display());
    let outcome = kofu::run(options).await?;
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
    println!("{}", outcome.summary.closing_line());
    Ok(outcome.exit_code)
}

async fn reference_server(args: ServerArgs) -> anyhow::Result<i32> {
    let fixtures_dir = repo_dir("fixtures", args.fixtures);
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
    kofu_reference_server::serve(listener, config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("reference server")?;
    Ok(exit::PASSED)
}

fn require_loopback(listen: &str) -> anyhow::Result<std::net::SocketAddr> {
    let addr: std::net::SocketAddr = listen
        .parse()
        .with_context(|| format!("--listen `{listen}` is not an IP address and port"))?;
    if !addr.ip().is_loopback() {
        anyhow::bail!("--listen must be a loopback address (127.0.0.1 or ::1), not {listen}");
    }
    Ok(addr)
}

async fn center(args: CenterArgs) -> anyhow::Result<i32> {
    use kofu_mock_center::center::{CenterConfig, CenterState, Clock};
    let fixtures_dir = repo_dir("fixtures", args.fixtures);
    let fixtures = std::sync::Arc::new(
        kofu_fixtures::Fixtures::load(&fixtures_dir).context("loading fixtures")?,
    );
    kofu_mock_center::install_crypto_provider();
    let pki = fixtures_dir.join("pki");
    let read = |path: &std::path::Path| {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    };
    let server_ca = read(
        &args
            .server_ca
            .unwrap_or_else(|| pki.join("candidate-ca.pem")),
    )?;
    let identity = (
        read(&pki.join("center-client.pem"))?,
        read(&pki.join("center-client.key"))?,
    );
    let candidates = args
        .servers
        .iter()
        .map(|url| kofu_mock_center::client::ClientConfig {
            server_ca_pem: Some(server_ca.clone()),
            client_identity: Some(identity.clone()),
            ..kofu_mock_center::client::ClientConfig::new(url.clone())
        })
        .collect();
    let clock = match args.now {
        Some(t) => Clock::Fixed(
            chrono::DateTime::parse_from_rfc3339(&t)
                .with_context(|| format!("--now `{t}` is not RFC 3339"))?,
        ),
        None => Clock::System,
    };
    let jpki = kofu_mock_center::jpki::TestJpki::generate(&fixtures).context("test JPKI")?;
    let validity = kofu_mock_center::validity::start_mock(&fixtures).await;
    let state = CenterState::new(CenterConfig {
        fixtures: fixtures.clone(),
        candidates,
        jpki_ca_der: jpki.ca_der.clone(),
        validity_url: validity.uri(),
        clock,
        trust_terminal_clock: args.trust_terminal_clock,
        ledger_path: args.ledger,
        evidence_dir: args.evidence,
    })
    .context("configuring the center")?;
    let addr = require_loopback(&args.listen)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    eprintln!(
        "kofu center listening on http://{bound} (validity service {}); candidates: {}",
        validity.uri(),
        args.servers.join(", ")
    );
    kofu_mock_center::center::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("center")?;
    Ok(exit::PASSED)
}

fn issuance_options(
    certificate: kofu_profile::CertificateType,
    pairs: &[String],
) -> anyhow::Result<kofu_profile::IssuanceOptions> {
    let mut map = serde_json::Map::new();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .with_context(|| format!("--option `{pair}` is not KEY=VALUE"))?;
        let value = match (key, value) {
            ("members", v) => serde_json::Value::Array(
                v.split(',')
                    .map(|m| serde_json::Value::String(m.trim().to_owned()))
                    .collect(),
            ),
            (_, "true") => serde_json::Value::Bool(true),
            (_, "false") => serde_json::Value::Bool(false),
            (_, v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                serde_json::Value::Number(v.parse::<u64>().context("number")?.into())
            }
            (_, v) => serde_json::Value::String(v.to_owned()),
        };
        map.insert(key.to_owned(), value);
    }
    let is_juminhyo = matches!(
        certificate,
        kofu_profile::CertificateType::Juminhyo | kofu_profile::CertificateType::JuminhyoKisai
    );
    if is_juminhyo && !map.contains_key("scope") {
        map.insert("scope".into(), serde_json::Value::String("self".into()));
    }
    serde_json::from_value(serde_json::Value::Object(map)).context("the options do not fit")
}

async fn terminal(args: TerminalArgs) -> anyhow::Result<i32> {
    use kofu::terminal::journal::{self, Journal};
    use kofu::terminal::kiosk::Kiosk;
    use kofu::terminal::printer::Printer;
    use kofu::terminal::session::{
        Ending, KioskSession, PAYMENT_TIMEOUT, Screen, Selection, TerminalProfile,
    };

    let fixtures = kofu_fixtures::Fixtures::load(&repo_dir("fixtures", args.fixtures))
        .context("loading fixtures")?;
    if args.list_cards {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        for card in &fixtures.cards {
            let name = fixtures
                .register
                .person(&card.person)
                .map(|p| p.name.as_str())
                .unwrap_or("?");
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(
                stdout,
                "{} {} {} {}",
                card.id,
                card.state.word(),
                card.pin,
                name
            )
            .is_err()
            {
                break;
            }
        }
        return Ok(exit::PASSED);
    }
    let (Some(center), Some(card_id), Some(pin), Some(certificate), Some(out)) =
        (args.center, args.card, args.pin, args.certificate, args.out)
    else {
        anyhow::bail!("--center, --card, --pin, --certificate and --out are required");
    };
    let certificate = kofu_profile::CertificateType::from_code_or_title(&certificate)
        .with_context(|| format!("unknown certificate type `{certificate}`"))?;
    let options = issuance_options(certificate, &args.options)?;
    let (operator_code, store_id, terminal_id) = match args.terminal.clone() {
        Some(t) => {
            let parts: Vec<&str> = t.split('/').collect();
            match parts.as_slice() {
                [o, s, t] => ((*o).to_owned(), (*s).to_owned(), (*t).to_owned()),
                _ => anyhow::bail!("--terminal is OPERATOR/STORE/TERMINAL"),
            }
        }
        None => {
            let op = fixtures.operators.first().context("no operator")?;
            let store = op.stores.first().context("no store")?;
            let term = store.terminals.first().context("no terminal")?;
            (op.code.clone(), store.id.clone(), term.clone())
        }
    };
    let jpki = kofu_mock_center::jpki::TestJpki::generate(&fixtures).context("test JPKI")?;
    let card = jpki.card(&card_id).with_context(|| {
        format!("no fixture card `{card_id}` (see `kofu terminal --list-cards`)")
    })?;
    let kiosk = Kiosk::new(&center).map_err(|e| anyhow::anyhow!("{e}"))?;
    let profile = TerminalProfile::find(&fixtures, &operator_code, &store_id, &terminal_id);
    let journal = std::sync::Arc::new(Journal::default());
    let screen = |text: &str| println!("【画面】{text}");

    screen(&format!(
        "端末 {terminal_id}（{operator_code} {store_id}）: マイナンバーカードを置いてください"
    ));
    let now = chrono::Utc::now().with_timezone(&kofu_mock_center::hours::jst());
    let mut session = match KioskSession::place_card(kiosk, profile, journal.clone(), now).await {
        Ok(s) => s,
        Err(e) => {
            screen(&e.screen());
            eprintln!("kofu terminal: refused: {e}");
            return Ok(exit::FAILED);
        }
    };
    screen("利用者証明用電子証明書の暗証番号（数字4桁）を入力してください");
    if let Err(e) = session.enter_pin(card, &pin).await {
        screen(session.message().unwrap_or_default());
        eprintln!("kofu terminal: refused: {e}");
        session.close().await;
        return Ok(exit::FAILED);
    }
    screen("本人確認ができました");
    screen("発行する証明書を選んでください");
    for menu in session.menus() {
        for item in &menu.items {
            println!(
                "  [{}] {} {}円（{}通まで）",
                menu.municipality,
                item.certificate.title(),
                item.fee,
                item.max_copies
            );
        }
    }
    screen(&format!(
        "{}を{}通 請求します",
        certificate.title(),
        args.copies
    ));
    let selection = Selection {
        municipality: args.municipality,
        certificate,
        options,
        copies: args.copies,
    };
    let due = match session.choose(&selection).await {
        Ok(due) => due,
        Err(e) => {
            screen(session.message().unwrap_or(&e.to_string()));
            eprintln!("kofu terminal: refused: {e}");
            session.close().await;
            return Ok(exit::FAILED);
        }
    };
    screen(&format!("手数料 {due}円をお支払いください"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    if args.cancel {
        session.cancel().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        screen("取り消しました。手数料はかかりません。");
    } else if args.walk_away {
        session.idle(PAYMENT_TIMEOUT).await;
        screen(session.message().unwrap_or_default());
    } else {
        session.pay(due).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut printer = Printer {
            jam_on_copy: args.jam_on,
            sheets_left: args.sheets,
            output: Some(out.clone()),
            ..Printer::default()
        };
        let receipt = session
            .print(&mut printer)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for f in &printer.printed_files {
            println!("  印刷: {}", f.display());
        }
        let receipt_path = out.join("receipt.json");
        std::fs::write(&receipt_path, serde_json::to_vec_pretty(&receipt)?)
            .with_context(|| format!("writing {}", receipt_path.display()))?;
        println!("  受領書: {}", receipt_path.display());
        match session.screen() {
            Screen::Ended(Ending::Printed) => {
                screen("印刷が終わりました。証明書とカードのお取り忘れにご注意ください。")
            }
            _ => screen(session.message().unwrap_or_default()),
        }
    }
    let journal_path = out.join("journal.csv");
    std::fs::write(&journal_path, journal::to_csv(&journal.entries())?)
        .with_context(|| format!("writing {}", journal_path.display()))?;
    println!("  売上ジャーナル: {}", journal_path.display());
    let failed = session.report_error().map(ToString::to_string).or_else(|| {
        matches!(
            session.screen(),
            Screen::Ended(Ending::PrintFailed {
                fault: kofu::terminal::printer::CopyPrint::DocumentRejected,
                ..
            })
        )
        .then(|| "the document does not match its declared SHA-256".to_owned())
    });
    session.close().await;
    if let Some(problem) = failed {
        eprintln!("kofu terminal: {problem}");
        return Ok(exit::FAILED);
    }
    Ok(exit::PASSED)
}
