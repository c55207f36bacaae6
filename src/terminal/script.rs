//! `kofu terminal`: one scripted resident at a kiosk terminal, through a running center
//! (`kofu center`). The resident places a card, enters the PIN, picks a certificate,
//! pays (or cancels, or walks away) and the terminal prints into a folder, with the
//! receipt and the sales journal beside the PDFs. The screens go to stdout.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kofu_fixtures::Fixtures;
use kofu_profile::{CertificateType, IssuanceOptions};

use super::TerminalId;
use super::TerminalProfile;
use super::center_link::{CenterLink, KioskError};
use super::journal::{self, Journal};
use super::printer::{CopyPrint, Printer};
use super::session::{Ending, KioskSession, MenuPick, PAYMENT_TIMEOUT, Screen, SessionError};
use crate::exit;

/// Why the script could not run to an answer of the center (a setup error, exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    /// An `--option` is not `KEY=VALUE`.
    #[error("--option `{0}` is not KEY=VALUE")]
    OptionSyntax(String),
    /// The options do not make [`IssuanceOptions`].
    #[error("the options do not fit")]
    Options(#[source] serde_json::Error),
    /// The fixtures define no terminal to default to.
    #[error("the fixtures define no operator with a store and a terminal")]
    NoTerminal,
    /// The test JPKI could not be generated.
    #[error("test JPKI")]
    Jpki(#[source] kofu_mock_center::jpki::JpkiError),
    /// The card is not a fixture card.
    #[error("no fixture card `{0}` (see `kofu terminal --list-cards`)")]
    UnknownCard(String),
    /// The link to the center could not be configured.
    #[error(transparent)]
    Link(KioskError),
    /// The terminal refused an action after the fee was shown.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// A file could not be written.
    #[error("writing {path}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The receipt could not be rendered.
    #[error("rendering the receipt")]
    Receipt(#[from] serde_json::Error),
    /// The journal could not be rendered.
    #[error("rendering the sales journal")]
    Journal(#[from] csv::Error),
}

/// What the resident does once the fee is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtFeeScreen {
    /// Pays, and the terminal prints.
    Pay,
    /// Presses 取消 on the fee screen.
    Cancel,
    /// Walks away: the payment timeout passes.
    WalkAway,
}

/// The script of one resident.
#[derive(Debug, Clone)]
pub struct Script {
    /// Base URL of the center, e.g. `http://127.0.0.1:18080`.
    pub center: String,
    /// Fixture card id, e.g. `C001`.
    pub card: String,
    /// The PIN the resident enters.
    pub pin: String,
    /// The certificate.
    pub certificate: CertificateType,
    /// Its options.
    pub options: IssuanceOptions,
    /// Copies to print.
    pub copies: u8,
    /// Folder for the printed PDFs, the receipt and the journal.
    pub out: PathBuf,
    /// Municipality to ask; `None`: the center routes by the menus.
    pub municipality: Option<String>,
    /// The terminal; `None`: the first fixture terminal.
    pub terminal: Option<TerminalId>,
    /// The paper jams on this copy.
    pub jam_on: Option<u8>,
    /// Sheets of paper left in the printer.
    pub sheets: Option<u32>,
    /// What the resident does on the fee screen.
    pub at_fee_screen: AtFeeScreen,
}

/// Options from `KEY=VALUE` pairs (`scope=self`, `members=R001,R002`,
/// `show_relationship=true`, `fiscal_year=2026`); a 住民票 type without a scope gets
/// 本人のみ.
pub fn options_from_pairs(
    certificate: CertificateType,
    pairs: &[String],
) -> Result<IssuanceOptions, ScriptError> {
    let mut map = serde_json::Map::new();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| ScriptError::OptionSyntax(pair.clone()))?;
        let value = match (key, value) {
            ("members", v) => serde_json::Value::Array(
                v.split(',')
                    .map(|m| serde_json::Value::String(m.trim().to_owned()))
                    .collect(),
            ),
            (_, "true") => serde_json::Value::Bool(true),
            (_, "false") => serde_json::Value::Bool(false),
            (_, v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                match v.parse::<u64>() {
                    Ok(n) => serde_json::Value::Number(n.into()),
                    Err(_) => serde_json::Value::String(v.to_owned()),
                }
            }
            (_, v) => serde_json::Value::String(v.to_owned()),
        };
        map.insert(key.to_owned(), value);
    }
    if certificate.is_resident_record() && !map.contains_key("scope") {
        map.insert("scope".into(), serde_json::Value::String("self".into()));
    }
    serde_json::from_value(serde_json::Value::Object(map)).map_err(ScriptError::Options)
}

/// `kofu terminal --list-cards`: one line per fixture card, `ID STATE PIN NAME`.
pub fn list_cards(fixtures: &Fixtures) {
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
}

fn screen(text: &str) {
    println!("【画面】{text}");
}

fn write(path: &Path, body: impl AsRef<[u8]>) -> Result<(), ScriptError> {
    std::fs::write(path, body).map_err(|source| ScriptError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Run the script; the exit code is [`exit::PASSED`], or [`exit::FAILED`] when the
/// center or the card refused, the outcome report was not taken, or the document did
/// not match its declared SHA-256.
pub async fn run(fixtures: &Fixtures, script: Script) -> Result<i32, ScriptError> {
    let id = match script.terminal.clone() {
        Some(id) => id,
        None => TerminalId::first(fixtures).ok_or(ScriptError::NoTerminal)?,
    };
    let jpki = kofu_mock_center::jpki::TestJpki::generate(fixtures).map_err(ScriptError::Jpki)?;
    let card = jpki
        .card(&script.card)
        .ok_or_else(|| ScriptError::UnknownCard(script.card.clone()))?;
    let link = CenterLink::new(&script.center).map_err(ScriptError::Link)?;
    let profile = TerminalProfile::find(fixtures, &id);
    let journal = Arc::new(Journal::default());

    screen(&format!(
        "端末 {}（{} {}）: マイナンバーカードを置いてください",
        id.terminal, id.operator, id.store
    ));
    let now = chrono::Utc::now().with_timezone(&kofu_mock_center::hours::jst());
    let mut session = match KioskSession::place_card(link, profile, journal.clone(), now).await {
        Ok(s) => s,
        Err(e) => {
            screen(&e.screen());
            eprintln!("kofu terminal: refused: {e}");
            return Ok(exit::FAILED);
        }
    };
    screen("利用者証明用電子証明書の暗証番号（数字4桁）を入力してください");
    if let Err(e) = session.enter_pin(card, &script.pin).await {
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
        script.certificate.title(),
        script.copies
    ));
    let pick = MenuPick {
        municipality: script.municipality.clone(),
        certificate: script.certificate,
        options: script.options.clone(),
        copies: script.copies,
    };
    let due = match session.choose(&pick).await {
        Ok(due) => due,
        Err(e) => {
            screen(session.message().unwrap_or(&e.to_string()));
            eprintln!("kofu terminal: refused: {e}");
            session.close().await;
            return Ok(exit::FAILED);
        }
    };
    screen(&format!("手数料 {due}円をお支払いください"));
    let out = &script.out;
    std::fs::create_dir_all(out).map_err(|source| ScriptError::Write {
        path: out.clone(),
        source,
    })?;
    match script.at_fee_screen {
        AtFeeScreen::Cancel => {
            session.cancel().await?;
            screen("取り消しました。手数料はかかりません。");
        }
        AtFeeScreen::WalkAway => {
            session.idle(PAYMENT_TIMEOUT).await;
            screen(session.message().unwrap_or_default());
        }
        AtFeeScreen::Pay => {
            session.pay(due)?;
            let mut printer = Printer {
                jam_on_copy: script.jam_on,
                sheets_left: script.sheets,
                output: Some(out.clone()),
                ..Printer::default()
            };
            let receipt = session.print(&mut printer).await?;
            for f in &printer.printed_files {
                println!("  印刷: {}", f.display());
            }
            let receipt_path = out.join("receipt.json");
            write(&receipt_path, serde_json::to_vec_pretty(&receipt)?)?;
            println!("  受領書: {}", receipt_path.display());
            match session.screen() {
                Screen::Ended(Ending::Printed) => {
                    screen("印刷が終わりました。証明書とカードのお取り忘れにご注意ください。")
                }
                _ => screen(session.message().unwrap_or_default()),
            }
        }
    }
    let journal_path = out.join("journal.csv");
    write(&journal_path, journal::to_csv(&journal.entries())?)?;
    println!("  売上ジャーナル: {}", journal_path.display());
    let failed = session.report_error().map(ToString::to_string).or_else(|| {
        matches!(
            session.screen(),
            Screen::Ended(Ending::PrintFailed {
                fault: CopyPrint::DocumentRejected,
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
