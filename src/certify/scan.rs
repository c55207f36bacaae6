//! The synthetic-data scan (defence in depth): before a bundle is sealed, every answer
//! the candidate sent (the `response_body` of each exchange under `evidence/`) is read,
//! and each person's name and number in it must be one of the fixtures'. A bundle must
//! never carry a real resident's data; a candidate that answers from a real register
//! (or leaks one) is stopped here even if no scenario noticed.
//!
//! What counts, in a response body:
//! - names: the string under a key `name`, `kana`, `household_head`, `hittosha`,
//!   `father`, `mother` or `tsusho`, anywhere under a `content` (the certificate's
//!   content) or `members` (the 世帯の一部 choices) key: it must be a register person's
//!   name, kana or 通称, or a 戸籍 member's 父 or 母 (spaces ignored);
//! - numbers: the value under a key that names a 個人番号 or 住民票コード
//!   (`individual_number`, `my_number`, `kojin_bango`, `resident_code`,
//!   `juminhyo_code`), and any string anywhere that is 11 or 12 digits once spaces and
//!   hyphens are dropped (the shapes of 住民票コード and 個人番号): it must be a
//!   register person's 個人番号 or 住民票コード.
//!
//! Every `.json` file under `evidence/`, and every line of every `.jsonl` file (a
//! center's exchanges), must parse. The received PDFs are not read: the
//! scenarios compare their printed text with the fixtures already.

use std::collections::BTreeSet;
use std::path::Path;

use kofu_fixtures::Fixtures;
use serde_json::Value;

use super::{CertifyError, files_under};

/// Keys whose string is a person's name.
const NAME_KEYS: &[&str] = &[
    "name",
    "kana",
    "household_head",
    "hittosha",
    "father",
    "mother",
    "tsusho",
];
/// Keys under which names are persons' names.
const PERSON_SCOPES: &[&str] = &["content", "members"];
/// Keys whose value is a 個人番号 or 住民票コード.
const NUMBER_KEYS: &[&str] = &[
    "individual_number",
    "my_number",
    "kojin_bango",
    "resident_code",
    "juminhyo_code",
];

/// A name or number in the evidence that is not the fixtures'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The evidence file, relative to the run folder.
    pub file: String,
    /// Where in the file (a JSON pointer), or why the file could not be read.
    pub at: String,
    /// The value found.
    pub value: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: `{}`", self.file, self.at, self.value)
    }
}

/// What a clean scan looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScanReport {
    /// Exchanges whose response body was scanned.
    pub exchanges: usize,
    /// Names and numbers checked against the fixtures.
    pub values: usize,
}

/// The fixtures' names and numbers.
struct Known {
    names: BTreeSet<String>,
    numbers: BTreeSet<String>,
}

impl Known {
    fn of(fixtures: &Fixtures) -> Self {
        let register = &fixtures.register;
        let mut names = BTreeSet::new();
        let mut numbers = BTreeSet::new();
        for p in &register.persons {
            names.insert(squeeze(&p.name));
            names.insert(squeeze(&p.kana));
            if let Some(tsusho) = p.foreign.as_ref().and_then(|f| f.tsusho.as_deref()) {
                names.insert(squeeze(tsusho));
            }
            numbers.insert(digits(&p.individual_number));
            numbers.insert(digits(&p.resident_code));
        }
        for member in register.family_registers.iter().flat_map(|k| &k.members) {
            for parent in [&member.father, &member.mother].into_iter().flatten() {
                names.insert(squeeze(parent));
            }
        }
        Self { names, numbers }
    }

    /// The name and フリガナ of a `name-changed` event in an exchange kofu recorded.
    fn sent_by_kofu(&mut self, exchange: &Value) {
        let change = &exchange["request_body"]["json"]["change"];
        if change["kind"] == "name-changed" {
            for field in ["name", "kana"] {
                if let Some(text) = change[field].as_str() {
                    self.names.insert(squeeze(text));
                }
            }
        }
    }
}

/// A name without any white space (ASCII or 全角).
fn squeeze(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A number's digits (全角 digits as ASCII), spaces and hyphens dropped; `None` when
/// anything else is left.
fn number_shape(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' | '\u{3000}' | '-' | '‐' | '－' | 'ー' => {}
            _ => return None,
        }
    }
    Some(out)
}

fn digits(text: &str) -> String {
    number_shape(text).unwrap_or_else(|| text.to_owned())
}

/// Scan the evidence of `run_dir` against `fixtures`. `Err(NotSynthetic)` lists every
/// name or number that is not the fixtures'.
pub fn scan(run_dir: &Path, fixtures: &Fixtures) -> Result<ScanReport, CertifyError> {
    let mut known = Known::of(fixtures);
    let mut report = ScanReport::default();
    let mut findings = Vec::new();
    let evidence = run_dir.join("evidence");
    let files = files_under(&evidence)?;
    // Every exchange of the evidence: a `.json` file each, or a line each of a `.jsonl`
    // file (a center's whole day); `file:line` names a line.
    let mut exchanges: Vec<(String, Result<Value, String>)> = Vec::new();
    for (relative, path) in files {
        let lines = relative.ends_with(".jsonl");
        if !lines && !relative.ends_with(".json") {
            continue;
        }
        let text = std::fs::read(&path).map_err(|source| CertifyError::Io {
            path: path.clone(),
            source,
        })?;
        let file = format!("evidence/{relative}");
        let parse =
            |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).map_err(|e| e.to_string());
        if lines {
            for (i, line) in text.split(|b| *b == b'\n').enumerate() {
                if !line.is_empty() {
                    exchanges.push((format!("{file}:{}", i + 1), parse(line)));
                }
            }
        } else {
            exchanges.push((file, parse(&text)));
        }
    }
    // Names kofu itself sent through the register feed (異動連携: a changed name) are
    // the scenarios' synthetic data too.
    for (_, value) in &exchanges {
        if let Ok(value) = value
            && value["operation"] == "register-event"
        {
            known.sent_by_kofu(value);
        }
    }
    for (file, value) in &exchanges {
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                findings.push(Finding {
                    file: file.clone(),
                    at: format!("(not JSON, cannot be scanned: {e})"),
                    value: String::new(),
                });
                continue;
            }
        };
        let Some(body) = value.get("response_body") else {
            continue;
        };
        report.exchanges += 1;
        let mut walk = Walk {
            known: &known,
            file,
            findings: &mut findings,
            values: &mut report.values,
        };
        walk.value(body, "/response_body", false);
    }
    if findings.is_empty() {
        Ok(report)
    } else {
        Err(CertifyError::NotSynthetic { findings })
    }
}

struct Walk<'a> {
    known: &'a Known,
    file: &'a str,
    findings: &'a mut Vec<Finding>,
    values: &'a mut usize,
}

impl Walk<'_> {
    fn value(&mut self, value: &Value, at: &str, persons: bool) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    let key = key.to_ascii_lowercase();
                    if NUMBER_KEYS.contains(&key.as_str()) {
                        let text = match v {
                            Value::String(s) => Some(s.clone()),
                            Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        };
                        if let Some(text) = text {
                            self.number(&text, &here);
                            continue;
                        }
                    }
                    if persons
                        && NAME_KEYS.contains(&key.as_str())
                        && let Value::String(name) = v
                    {
                        *self.values += 1;
                        if !self.known.names.contains(&squeeze(name)) {
                            self.found(&here, name);
                        }
                        continue;
                    }
                    let inner = persons || PERSON_SCOPES.contains(&key.as_str());
                    self.value(v, &here, inner);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.value(v, &format!("{at}/{i}"), persons);
                }
            }
            Value::String(s) => {
                if let Some(shape) = number_shape(s)
                    && matches!(shape.len(), 11 | 12)
                {
                    self.number(s, at);
                }
            }
            _ => {}
        }
    }

    fn number(&mut self, text: &str, at: &str) {
        *self.values += 1;
        if !self.known.numbers.contains(&digits(text)) {
            self.found(at, text);
        }
    }

    fn found(&mut self, at: &str, value: &str) {
        self.findings.push(Finding {
            file: self.file.to_owned(),
            at: at.to_owned(),
            value: value.chars().take(80).collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_shapes() {
        assert_eq!(
            number_shape("1234 5678 9012").as_deref(),
            Some("123456789012")
        );
        assert_eq!(number_shape("１２３").as_deref(), Some("123"));
        assert_eq!(
            number_shape("990001-20261203-000001").map(|s| s.len()),
            Some(20)
        );
        assert_eq!(number_shape("R001"), None);
    }

    #[test]
    fn a_name_kofu_sent_through_the_register_feed_is_known() {
        let fixtures = Fixtures::load_default().unwrap();
        let mut known = Known::of(&fixtures);
        let exchange = serde_json::json!({
            "operation": "register-event",
            "request_body": {"json": {"change": {
                "kind": "name-changed", "person": "R214", "name": "𠮷岡 花子", "kana": "ヨシオカ ハナコ"
            }}},
        });
        assert!(!known.names.contains("𠮷岡花子"));
        known.sent_by_kofu(&exchange);
        assert!(known.names.contains("𠮷岡花子"));
        assert!(known.names.contains("ヨシオカハナコ"));
    }

    #[test]
    fn names_count_only_under_content_or_members() {
        let fixtures = Fixtures::load_default().unwrap();
        let known = Known::of(&fixtures);
        let body = serde_json::json!({
            "implementation": {"name": "some server"},
            "content": {"persons": [{"name": "桜井　太郎", "kana": "山田 一郎"}]},
            "members": [{"member_id": "x", "name": "桜井 太郎"}],
            "extra": "123456789012",
        });
        let mut findings = Vec::new();
        let mut values = 0;
        Walk {
            known: &known,
            file: "f",
            findings: &mut findings,
            values: &mut values,
        }
        .value(&body, "", false);
        let at: Vec<&str> = findings.iter().map(|f| f.at.as_str()).collect();
        assert_eq!(at, ["/content/persons/0/kana", "/extra"]);
        assert_eq!(values, 4);
    }

    #[test]
    fn every_line_of_a_center_s_exchanges_is_scanned() {
        let fixtures = Fixtures::load_default().unwrap();
        let run = tempfile::tempdir().unwrap();
        let center = run.path().join("evidence").join("center");
        std::fs::create_dir_all(&center).unwrap();
        let line = |name: &str| {
            serde_json::json!({
                "operation": "issue",
                "response_body": {"json": {"content": {"persons": [{"name": name}]}}},
            })
            .to_string()
        };
        let known = &fixtures.register.persons[0].name;
        std::fs::write(
            center.join("exchanges.jsonl"),
            format!("{}\n{}\n", line(known), line("実在 太郎")),
        )
        .unwrap();
        let Err(CertifyError::NotSynthetic { findings }) = scan(run.path(), &fixtures) else {
            panic!("a name that is not the fixtures' must stop the seal");
        };
        assert_eq!(
            findings,
            [Finding {
                file: "evidence/center/exchanges.jsonl:2".to_owned(),
                at: "/response_body/json/content/persons/0/name".to_owned(),
                value: "実在 太郎".to_owned(),
            }]
        );
    }
}
