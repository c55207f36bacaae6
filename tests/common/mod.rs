//! What the repository-level tests share: the scenarios of the feature files with their
//! tags, and generated sections of Markdown files kept between markers.

#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};

/// One scenario (or outline) of a feature file, with the feature's tags and its own.
#[derive(Debug, Clone)]
pub struct TaggedScenario {
    /// `phase/file.feature`, relative to `features/`.
    pub file: String,
    /// The scenario's title.
    pub name: String,
    /// Feature tags then scenario tags, each with its `@`.
    pub tags: Vec<String>,
}

impl TaggedScenario {
    /// `phase/file.feature: title`.
    pub fn label(&self) -> String {
        format!("{}: {}", self.file, self.name)
    }

    /// The suffixes of the tags that start with `prefix` (e.g. `@catches-`).
    pub fn tagged<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tags.iter().filter_map(move |t| t.strip_prefix(prefix))
    }
}

/// The repository's `features/` folder.
pub fn features_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("features")
}

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            feature_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "feature") {
            out.push(p);
        }
    }
}

/// Every scenario under `features`, in file and line order.
pub fn scenarios(features: &Path) -> Vec<TaggedScenario> {
    let mut files = Vec::new();
    feature_files(features, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("feature file");
        let rel = file
            .strip_prefix(features)
            .expect("under features/")
            .to_string_lossy()
            .replace('\\', "/");
        let mut feature_tags: Vec<String> = Vec::new();
        let mut pending: Vec<String> = Vec::new();
        let mut in_feature = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with('@') {
                pending.extend(line.split_whitespace().map(str::to_owned));
                continue;
            }
            if line.starts_with("機能:") {
                feature_tags = std::mem::take(&mut pending);
                in_feature = true;
                continue;
            }
            let name = [
                "シナリオ:",
                "シナリオアウトライン:",
                "シナリオテンプレート:",
            ]
            .iter()
            .find_map(|k| line.strip_prefix(k));
            if let (true, Some(name)) = (in_feature, name) {
                out.push(TaggedScenario {
                    file: rel.clone(),
                    name: name.trim().to_owned(),
                    tags: feature_tags.iter().chain(pending.iter()).cloned().collect(),
                });
            }
            if !line.is_empty() && !line.starts_with('#') {
                pending.clear();
            }
        }
    }
    out
}

/// Compare the text between `begin` and `end` in the file at `path` with `expected`;
/// with `KOFU_BLESS` set, rewrite it instead. `hint` says how to bless.
pub fn generated_section(path: &Path, begin: &str, end: &str, expected: &str, hint: &str) {
    // Two sections of one file are rewritten by two tests: one at a time.
    static FILES: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = FILES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let text = std::fs::read_to_string(path).expect("generated file");
    let (Some(b), Some(e)) = (text.find(begin), text.find(end)) else {
        panic!("{} lacks the markers {begin} … {end}", path.display());
    };
    let current = &text[b + begin.len()..e];
    let expected = format!("\n{expected}");
    if current == expected {
        return;
    }
    if std::env::var_os("KOFU_BLESS").is_some() {
        let updated = format!("{}{begin}{expected}{}", &text[..b], &text[e..]);
        std::fs::write(path, updated).expect("rewrite the generated section");
        return;
    }
    pretty_assertions::assert_eq!(
        current,
        expected.as_str(),
        "{}: the generated section is stale: {hint}",
        path.display()
    );
}

/// A table cell of scenario labels: the first `shown`, then "…and N more".
pub fn table_cell(labels: &[String], shown: usize) -> String {
    let mut cell = labels
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join("<br>");
    if labels.len() > shown {
        cell.push_str(&format!("<br>…and {} more", labels.len() - shown));
    }
    cell
}
