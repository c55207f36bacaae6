//! The sinks that write evidence to disk: a file per exchange ([`DirEvidence`]) for a
//! scenario's own calls, a line per exchange ([`LinesEvidence`]) for a center's day.

use std::path::PathBuf;
use std::sync::Mutex;

use super::{EvidenceSink, Exchange};

/// Writes each exchange as pretty JSON to `NNN-operation.json` in a directory.
///
/// The directory is created on the first record. Numbering continues after the
/// highest `NNN-` file already there, and a file is never overwritten, so several
/// sinks (clients) may share a directory one after the other. Write failures are
/// logged, never raised: evidence must not change the outcome of a call.
#[derive(Debug)]
pub struct DirEvidence {
    dir: PathBuf,
    /// The last sequence number used; `None` until the directory was scanned.
    last: Mutex<Option<u32>>,
}

impl DirEvidence {
    /// A sink writing into `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            last: Mutex::new(None),
        }
    }

    /// The directory written into.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The highest `NNN-` prefix among the files of the directory, 0 if none.
    fn highest_existing(&self) -> u32 {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let (number, _) = name.split_once('-')?;
                number.parse::<u32>().ok()
            })
            .max()
            .unwrap_or(0)
    }

    fn write(&self, seq: u32, exchange: &Exchange) -> std::io::Result<bool> {
        use std::io::Write;
        let path = self
            .dir
            .join(format!("{seq:03}-{}.json", file_safe(&exchange.operation)));
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => return Err(e),
        };
        let json = serde_json::to_vec_pretty(exchange).map_err(std::io::Error::other)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        Ok(true)
    }
}

impl EvidenceSink for DirEvidence {
    fn record(&self, mut exchange: Exchange) {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = std::fs::create_dir_all(&self.dir) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot create the evidence directory");
            return;
        }
        let mut seq = match *last {
            Some(n) => n,
            None => self.highest_existing(),
        };
        // A few tries in case another sink writes into the same directory.
        for _ in 0..1000 {
            seq = seq.saturating_add(1);
            exchange.seq = seq;
            match self.write(seq, &exchange) {
                Ok(true) => {
                    *last = Some(seq);
                    return;
                }
                Ok(false) => continue,
                Err(e) => {
                    tracing::warn!(dir = %self.dir.display(), seq, error = %e, "cannot write an evidence record");
                    *last = Some(seq);
                    return;
                }
            }
        }
        tracing::warn!(dir = %self.dir.display(), "no free evidence file name");
    }
}

/// The file name a [`LinesEvidence`] writes in its directory.
pub const EXCHANGES_FILE: &str = "exchanges.jsonl";

/// Appends each exchange as one line of compact JSON to `exchanges.jsonl` in a directory
/// (JSON Lines): the evidence of a sink that records thousands of exchanges, such as a
/// center serving a whole business day, in one file instead of one file each.
///
/// The directory and file are created on the first record; numbering continues after
/// the lines already in the file. Write failures are logged, never raised.
#[derive(Debug)]
pub struct LinesEvidence {
    dir: PathBuf,
    /// The open file and the last sequence number used; `None` until the first record.
    file: Mutex<Option<(std::fs::File, u32)>>,
}

impl LinesEvidence {
    /// A sink writing into `dir`/[`EXCHANGES_FILE`].
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            file: Mutex::new(None),
        }
    }

    /// The file written into.
    pub fn path(&self) -> PathBuf {
        self.dir.join(EXCHANGES_FILE)
    }

    fn open(&self) -> std::io::Result<(std::fs::File, u32)> {
        use std::io::{BufRead, BufReader};
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path();
        let lines = match std::fs::File::open(&path) {
            Ok(f) => BufReader::new(f).split(b'\n').count(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => return Err(e),
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        Ok((file, u32::try_from(lines).unwrap_or(u32::MAX)))
    }
}

impl EvidenceSink for LinesEvidence {
    fn record(&self, mut exchange: Exchange) {
        use std::io::Write;
        let mut open = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if open.is_none() {
            match self.open() {
                Ok(f) => *open = Some(f),
                Err(e) => {
                    tracing::warn!(file = %self.path().display(), error = %e, "cannot open the evidence file");
                    return;
                }
            }
        }
        let Some((file, last)) = open.as_mut() else {
            return;
        };
        *last = last.saturating_add(1);
        exchange.seq = *last;
        let written = serde_json::to_vec(&exchange)
            .map_err(std::io::Error::other)
            .and_then(|mut line| {
                line.push(b'\n');
                // One write per line: the file is opened for appending.
                file.write_all(&line)
            });
        if let Err(e) = written {
            tracing::warn!(file = %self.path().display(), seq = *last, error = %e, "cannot write an evidence record");
        }
    }
}

/// `name` with anything but ASCII letters, digits, `-` and `_` replaced by `_`.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() {
        "call".to_owned()
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::exchange;
    use super::*;

    #[test]
    fn dir_evidence_numbers_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scenario");
        let first = DirEvidence::new(&path);
        first.record(exchange("identity"));
        first.record(exchange("weird name/../x"));
        // A second sink on the same directory continues the numbering.
        let second = DirEvidence::new(&path);
        second.record(exchange("menu"));
        let mut names: Vec<String> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "001-identity.json",
                "002-weird_name____x.json",
                "003-menu.json"
            ]
        );
        let third: Exchange =
            serde_json::from_slice(&std::fs::read(path.join("003-menu.json")).unwrap()).unwrap();
        assert_eq!(third.seq, 3);
    }

    #[test]
    fn lines_evidence_appends_one_numbered_line_per_exchange() {
        let dir = tempfile::tempdir().unwrap();
        let sink = LinesEvidence::new(dir.path().join("center"));
        sink.record(exchange("issue"));
        sink.record(exchange("outcome"));
        // A second sink on the same folder continues the numbering.
        LinesEvidence::new(dir.path().join("center")).record(exchange("menus"));
        let text = std::fs::read_to_string(dir.path().join("center").join(EXCHANGES_FILE)).unwrap();
        let read: Vec<Exchange> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            read.iter()
                .map(|e| (e.seq, e.operation.as_str()))
                .collect::<Vec<_>>(),
            [(1, "issue"), (2, "outcome"), (3, "menus")]
        );
    }
}
