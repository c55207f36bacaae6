//! The shape of every crate's modules: no import cycle, and no module over 400 lines
//! without a stated reason.
//!
//! # Import cycles
//!
//! Each crate of the workspace (`src/`, `profile/src/`, `fixture-model/src/`,
//! `mock-center/src/`, `reference-server/src/`) is read from its root file, following
//! `mod name;` to `name.rs` or `name/mod.rs`. Each file is split into Rust tokens
//! (comments, strings and character literals dropped), which is all the check needs and
//! keeps it free of a parser dependency. Every path in a module's code
//! that names a module of the same crate is a dependency: `use crate::…`,
//! `use super::…`, `use self::…`, a `use` or a path through a child module (`use
//! error::AppError`, `kiosk::Kiosk::new()`), inside macro calls too
//! (`tracing::warn!(error = %crate::client::error_chain(&e))`). Two things are not:
//! `mod` declarations, and `pub use` re-exports (a re-export is a module's interface,
//! not something its code depends on).
//!
//! The graph is checked at every level of the module tree: the top-level modules of
//! the crate against each other, then the children of each directory module against
//! each other. A dependency counts at the level of the closest module that holds both
//! ends, and a node stands for its whole subtree: `steps::center → terminal` is the
//! top-level edge `steps → terminal`, and `steps::menu → steps::kiosk` is an edge among
//! the children of `steps`. A parent's own file (`lib.rs`, `mod.rs`) is not a node: it
//! declares and re-exports its children, and the items it defines are shared by them,
//! as the crate root's `Config` is. Inline modules (`mod tests { … }`) belong to the
//! file that holds them.
//!
//! Every elementary cycle fails the test, named as a path from its smallest module
//! (`kofu: steps → terminal → world → steps`), with the uses that make each of its edges.
//! `tests/module_graph.allow` lists cycles known and accepted for now, each with its
//! reason; an entry that matches no cycle any more fails too, so the list only shrinks.
//!
//! # Module size
//!
//! A module file over 400 lines needs a `//!` line saying why, with the words
//! `Longer than 400 lines because`. `tests/module_size.allow` lists files that are
//! over the limit for now, each with its reason; an entry for a file that is no longer
//! over the limit, or that states its reason, fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lines a module may have without stating why.
const MAX_LINES: usize = 400;
/// The phrase that states why a module is longer.
const LONGER_BECAUSE: &str = "Longer than 400 lines because";

/// The crates checked: name and root file, relative to the workspace.
const CRATES: &[(&str, &str)] = &[
    ("kofu", "src/lib.rs"),
    ("kofu (bin)", "src/main.rs"),
    ("kofu-profile", "profile/src/lib.rs"),
    ("kofu-fixtures", "fixture-model/src/lib.rs"),
    ("kofu-mock-center", "mock-center/src/lib.rs"),
    ("kofu-reference-server", "reference-server/src/lib.rs"),
];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One module file of a crate.
struct ModuleFile {
    /// Module path from the crate root (`["steps", "center"]`); empty for the root.
    path: Vec<String>,
    /// The file, relative to the workspace.
    file: String,
    /// The file's text.
    text: String,
    /// Paths the module's code names in the crate, absolute from the crate root.
    uses: Vec<Vec<String>>,
}

/// A crate's modules, by module path.
struct Crate {
    name: &'static str,
    modules: BTreeMap<Vec<String>, ModuleFile>,
}

impl Crate {
    fn read(name: &'static str, root: &str) -> Self {
        let mut modules = BTreeMap::new();
        let root_file = workspace().join(root);
        read_module(&root_file, Vec::new(), true, &mut modules);
        let mut krate = Self { name, modules };
        krate.resolve();
        krate
    }

    /// Children of a module, by name.
    fn children(&self, parent: &[String]) -> BTreeSet<String> {
        self.modules
            .keys()
            .filter(|p| p.len() == parent.len() + 1 && p.starts_with(parent))
            .map(|p| p[parent.len()].clone())
            .collect()
    }

    /// Turn each module's raw paths into absolute module paths, dropping the ones that
    /// leave the crate.
    fn resolve(&mut self) {
        let keys: Vec<Vec<String>> = self.modules.keys().cloned().collect();
        for key in keys {
            let raw = std::mem::take(&mut self.modules.get_mut(&key).unwrap().uses);
            let mut resolved = Vec::new();
            for path in raw {
                // The first element is the inline module depth, then the segments.
                let (scope, segments) = split_scope(&key, &path);
                if let Some(abs) = self.absolute(&scope, &segments) {
                    resolved.push(abs);
                }
            }
            self.modules.get_mut(&key).unwrap().uses = resolved;
        }
    }

    /// The absolute path of `segments` named in module `scope`, if it is in the crate.
    fn absolute(&self, scope: &[String], segments: &[String]) -> Option<Vec<String>> {
        let mut current: Vec<String> = scope.to_vec();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                current.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    current.pop()?;
                    rest = &rest[1..];
                }
            }
            Some(first) => {
                // A path through a child module of the file's module.
                let file_module = self.file_module(scope);
                if !self.children(&file_module).contains(first) {
                    return None;
                }
                current = file_module;
            }
            None => return None,
        }
        current.extend(rest.iter().cloned());
        Some(current)
    }

    /// The file module that holds `scope` (itself, or the file of an inline module).
    fn file_module(&self, scope: &[String]) -> Vec<String> {
        let mut p = scope.to_vec();
        while !self.modules.contains_key(&p) {
            p.pop();
        }
        p
    }

    /// The dependency graph among the children of `parent`, with the uses that make
    /// each edge.
    fn level(&self, parent: &[String]) -> Graph {
        let children = self.children(parent);
        let node = |path: &[String]| -> Option<String> {
            match path.get(parent.len()) {
                Some(child) if path.starts_with(parent) && children.contains(child) => {
                    Some(display(&join(parent, child)))
                }
                _ => None,
            }
        };
        let mut graph = Graph::default();
        for (path, module) in &self.modules {
            let Some(from) = node(path) else { continue };
            for used in &module.uses {
                let Some(to) = node(used) else { continue };
                if from != to {
                    graph
                        .entry((from.clone(), to.clone()))
                        .or_default()
                        .insert(format!("{} uses {}", display(path), display(used)));
                }
            }
        }
        graph
    }

    /// Every module that has children, the root first.
    fn parents(&self) -> Vec<Vec<String>> {
        self.modules
            .keys()
            .filter(|p| !self.children(p).is_empty())
            .cloned()
            .collect()
    }
}

/// Edges `(from, to)` with the uses that make them.
type Graph = BTreeMap<(String, String), BTreeSet<String>>;

fn join(parent: &[String], child: &str) -> Vec<String> {
    let mut p = parent.to_vec();
    p.push(child.to_owned());
    p
}

fn display(path: &[String]) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

/// Split a recorded path into the scope it was named in (the file module plus inline
/// modules) and its segments.
fn split_scope(file_module: &[String], recorded: &[String]) -> (Vec<String>, Vec<String>) {
    let inline: usize = recorded[0].parse().unwrap();
    let mut scope = file_module.to_vec();
    scope.extend(recorded[1..=inline].iter().cloned());
    (scope, recorded[inline + 1..].to_vec())
}

fn read_module(
    file: &Path,
    path: Vec<String>,
    owns_dir: bool,
    modules: &mut BTreeMap<Vec<String>, ModuleFile>,
) {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let collector = Collector::read(&tokens(&text));
    // `name.rs` owns `name/`; `mod.rs`, `lib.rs` and `main.rs` own their folder.
    let dir = if owns_dir {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    };
    for child in &collector.file_children {
        let flat = dir.join(format!("{child}.rs"));
        let nested = dir.join(child).join("mod.rs");
        let (child_file, child_owns) = if flat.exists() {
            (flat, false)
        } else if nested.exists() {
            (nested, true)
        } else {
            panic!("{}: no file for `mod {child};`", file.display());
        };
        read_module(&child_file, join(&path, child), child_owns, modules);
    }
    let relative = file
        .strip_prefix(workspace())
        .unwrap_or(file)
        .display()
        .to_string();
    modules.insert(
        path.clone(),
        ModuleFile {
            path,
            file: relative,
            text,
            uses: collector.paths,
        },
    );
}

/// A Rust token, as far as the check needs: a word, `::`, or one other character.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    PathSep,
    Punct(char),
}

/// The tokens of a file, without comments, strings and character literals.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && {
                let mut j = i + if c == 'b' { 2 } else { 1 };
                while chars.get(j) == Some(&'#') {
                    j += 1;
                }
                chars.get(j) == Some(&'"')
            }
            && (i == 0 || !word_char(chars[i - 1]))
        {
            // A raw string: r"…", r#"…"#, br"…".
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while chars[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{3000}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && word_char(chars[i]) {
                    i += 1;
                }
            }
        } else if word_char(c) {
            let start = i;
            while i < chars.len() && word_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Token::Word(word.trim_start_matches("r#").to_owned()));
        } else if c == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// The `mod name;` declarations of a file and every path its code names that may be in
/// the crate. Each path is recorded as `[inline depth, inline module names…,
/// segments…]`.
#[derive(Default)]
struct Collector {
    file_children: Vec<String>,
    paths: Vec<Vec<String>>,
}

fn word(t: Option<&Token>) -> Option<&str> {
    match t {
        Some(Token::Word(w)) => Some(w),
        _ => None,
    }
}

impl Collector {
    fn read(tokens: &[Token]) -> Self {
        let mut collector = Self::default();
        // Inline modules open: name and the brace depth inside them.
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0usize;
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Punct('{') => depth += 1,
                Token::Punct('}') => {
                    if inline.last().is_some_and(|(_, d)| *d == depth) {
                        inline.pop();
                    }
                    depth = depth.saturating_sub(1);
                }
                Token::Word(w) if w == "mod" => {
                    if let Some(name) = word(tokens.get(i + 1)) {
                        match tokens.get(i + 2) {
                            Some(Token::Punct(';')) if inline.is_empty() => {
                                collector.file_children.push(name.to_owned());
                            }
                            Some(Token::Punct('{')) => {
                                inline.push((name.to_owned(), depth + 1));
                            }
                            _ => {}
                        }
                        i += 2;
                        continue;
                    }
                }
                Token::Word(w) if w == "use" => {
                    let end = tokens[i..]
                        .iter()
                        .position(|t| *t == Token::Punct(';'))
                        .map_or(tokens.len(), |p| i + p);
                    if !is_reexport(&tokens[..i]) {
                        let names: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
                        let mut trees = Vec::new();
                        use_tree(&tokens[i + 1..end], &mut Vec::new(), &mut trees);
                        for tree in trees {
                            collector.record(&names, tree);
                        }
                    }
                    i = end;
                    continue;
                }
                Token::Word(first) if tokens.get(i + 1) == Some(&Token::PathSep) => {
                    let after_sep = i > 0 && tokens[i - 1] == Token::PathSep;
                    let mut path = vec![first.clone()];
                    let mut j = i + 1;
                    while tokens.get(j) == Some(&Token::PathSep)
                        && let Some(next) = word(tokens.get(j + 1))
                    {
                        path.push(next.to_owned());
                        j += 2;
                    }
                    if !after_sep {
                        let names: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
                        collector.record(&names, path);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        collector
    }

    fn record(&mut self, inline: &[String], segments: Vec<String>) {
        if segments.is_empty() {
            return;
        }
        let mut recorded = vec![inline.len().to_string()];
        recorded.extend(inline.iter().cloned());
        recorded.extend(segments);
        self.paths.push(recorded);
    }
}

/// Whether the `use` that follows these tokens is a re-export: `pub use`,
/// `pub(crate) use`, `pub(super) use`.
fn is_reexport(before: &[Token]) -> bool {
    let mut k = before.len();
    if k > 0 && before[k - 1] == Token::Punct(')') {
        while k > 0 && before[k - 1] != Token::Punct('(') {
            k -= 1;
        }
        k = k.saturating_sub(1);
    }
    k > 0 && word(before.get(k - 1)) == Some("pub")
}

/// The paths of a `use` tree (`a::{b, c::d as e, f::*}`), each leaf one path; a glob
/// or `self` names its prefix.
fn use_tree(tokens: &[Token], prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut i = 0;
    let start_len = prefix.len();
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word(w) if w == "as" => i += 1,
            Token::Word(w) if w == "self" && tokens.get(i + 1) != Some(&Token::PathSep) => {
                out.push(prefix.clone());
            }
            Token::Word(w) => {
                prefix.push(w.clone());
                if tokens.get(i + 1) != Some(&Token::PathSep) {
                    out.push(prefix.clone());
                    prefix.truncate(start_len);
                }
            }
            Token::PathSep => {}
            Token::Punct('*') => {
                out.push(prefix.clone());
                prefix.truncate(start_len);
            }
            Token::Punct('{') => {
                // The group runs to its matching brace.
                let mut depth = 0;
                let mut end = i;
                for (k, t) in tokens.iter().enumerate().skip(i) {
                    match t {
                        Token::Punct('{') => depth += 1,
                        Token::Punct('}') => {
                            depth -= 1;
                            if depth == 0 {
                                end = k;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                for item in split_top(&tokens[i + 1..end]) {
                    use_tree(item, prefix, out);
                }
                prefix.truncate(start_len);
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    prefix.truncate(start_len);
}

/// Items of a `use` group, split at its top-level commas.
fn split_top(tokens: &[Token]) -> Vec<&[Token]> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (k, t) in tokens.iter().enumerate() {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                items.push(&tokens[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&tokens[start..]);
    items
}

/// Every elementary cycle of a graph, each starting at its smallest node.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in graph.keys() {
        next.entry(from).or_default().push(to);
    }
    let mut found = Vec::new();
    for &start in next.keys() {
        let mut stack = vec![start];
        walk(start, start, &next, &mut stack, &mut found);
    }
    found
}

fn walk<'a>(
    start: &'a str,
    at: &'a str,
    next: &BTreeMap<&'a str, Vec<&'a str>>,
    stack: &mut Vec<&'a str>,
    found: &mut Vec<Vec<String>>,
) {
    for &to in next.get(at).map(Vec::as_slice).unwrap_or_default() {
        if to == start {
            let mut cycle: Vec<String> = stack.iter().map(|s| (*s).to_owned()).collect();
            cycle.push(start.to_owned());
            found.push(cycle);
        } else if to > start && !stack.contains(&to) {
            stack.push(to);
            walk(start, to, next, stack, found);
            stack.pop();
        }
    }
}

/// An allow-list: entries with their reasons. Each line is `entry  # reason`; blank
/// lines and lines starting with `#` are comments.
fn allow_list(name: &str) -> BTreeMap<String, String> {
    let path = workspace().join("tests").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut entries = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (entry, reason) = line
            .split_once('#')
            .map(|(e, r)| (e.trim(), r.trim()))
            .unwrap_or((line, ""));
        assert!(
            !reason.is_empty(),
            "tests/{name}:{}: `{entry}` gives no reason after `#`",
            n + 1
        );
        entries.insert(entry.to_owned(), reason.to_owned());
    }
    entries
}

fn crates() -> Vec<Crate> {
    CRATES
        .iter()
        .map(|(name, root)| Crate::read(name, root))
        .collect()
}

#[test]
fn no_import_cycles() {
    let allowed = allow_list("module_graph.allow");
    let mut unmatched: BTreeSet<&String> = allowed.keys().collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for krate in crates() {
        for parent in krate.parents() {
            let graph = krate.level(&parent);
            checked += 1;
            for cycle in cycles(&graph) {
                let name = format!("{}: {}", krate.name, cycle.join(" → "));
                if unmatched.remove(&name) || allowed.contains_key(&name) {
                    continue;
                }
                let mut why = String::new();
                for edge in cycle.windows(2) {
                    let uses = &graph[&(edge[0].clone(), edge[1].clone())];
                    let shown: Vec<&str> = uses.iter().take(3).map(String::as_str).collect();
                    let more = uses.len().saturating_sub(shown.len());
                    why.push_str(&format!(
                        "\n    {} → {}: {}{}",
                        edge[0],
                        edge[1],
                        shown.join("; "),
                        if more > 0 {
                            format!(" (and {more} more)")
                        } else {
                            String::new()
                        }
                    ));
                }
                failures.push(format!("import cycle {name}{why}"));
            }
        }
    }
    assert!(checked > 5, "too few module levels read: {checked}");
    for stale in unmatched {
        failures.push(format!(
            "tests/module_graph.allow: `{stale}` matches no cycle any more; remove it"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn long_modules_say_why() {
    let allowed = allow_list("module_size.allow");
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for krate in crates() {
        for module in krate.modules.values() {
            seen.insert(module.file.clone());
            let lines = module.text.lines().count();
            let says_why = module
                .text
                .lines()
                .any(|l| l.trim_start().starts_with("//!") && l.contains(LONGER_BECAUSE));
            let listed = allowed.contains_key(&module.file);
            match (lines > MAX_LINES && !says_why, listed) {
                (true, false) => failures.push(format!(
                    "{} ({}) has {lines} lines: split it by concern, or say why in a `//!` \
                     line starting `{LONGER_BECAUSE}`",
                    module.file,
                    display(&module.path),
                )),
                (false, true) => failures.push(format!(
                    "tests/module_size.allow: `{}` is no longer over {MAX_LINES} lines \
                     without a reason; remove it",
                    module.file
                )),
                _ => {}
            }
        }
    }
    for listed in allowed.keys() {
        if !seen.contains(listed) {
            failures.push(format!(
                "tests/module_size.allow: `{listed}` is not a module any more; remove it"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checker_finds_a_cycle_and_reads_macros() {
    let mut graph = Graph::default();
    for (a, b) in [
        ("world", "steps"),
        ("steps", "terminal"),
        ("terminal", "world"),
    ] {
        graph
            .entry((a.to_owned(), b.to_owned()))
            .or_default()
            .insert(String::new());
    }
    graph
        .entry(("steps".to_owned(), "world".to_owned()))
        .or_default()
        .insert(String::new());
    let found: Vec<String> = cycles(&graph).iter().map(|c| c.join(" → ")).collect();
    assert_eq!(
        found,
        ["steps → terminal → world → steps", "steps → world → steps",]
    );
    let read = Collector::read(&tokens(
        "use super::{a, b::{C, d as e}, f::*};\npub use g::H;\nmod i;\n\
         #[cfg(test)] mod tests { use super::*; fn t() { let c = 'x'; \"crate::no\"; \
         tracing::warn!(error = %crate::client::error_chain(&e)); } }\n\
         fn f<'a>(x: &'a str) { super::j::K::new(); }",
    ));
    let paths: Vec<String> = read.paths.iter().map(|p| p.join(" ")).collect();
    assert_eq!(read.file_children, ["i"]);
    assert_eq!(
        paths,
        [
            "0 super a",
            "0 super b C",
            "0 super b d",
            "0 super f",
            "1 tests super",
            "1 tests tracing warn",
            "1 tests crate client error_chain",
            "0 super j K new",
        ]
    );
}
