//! The features and fixtures built into the binary (同梱の試験データ), so that an
//! installed `kofu` runs from any folder without the source tree.
//!
//! Which folders a command reads ([`folder`]): the one given (`--features DIR`,
//! `--fixtures DIR`); else, when [`CHECKOUT_ENV`] names a checkout, its `features/` and
//! `fixtures/`; else the built-in copy, named by the path [`MARKER`]. A run unpacks a
//! built-in copy once into its own `scratch/` folder ([`unpack`]): cucumber reads
//! feature files from disk, and nothing is ever written into the checkout. The other
//! commands unpack into a temporary folder of their own.
//!
//! `build.rs` makes cargo rebuild the binary whenever a file under `features/` or
//! `fixtures/` changes, and a unit test compares the built-in copies with the folders
//! on disk, so the binary never carries stale scenarios.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

/// The feature files (`features/`) as built into the binary.
pub static FEATURES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/features");

/// The fixtures (`fixtures/`) as built into the binary.
pub static FIXTURES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures");

/// The path that stands for a built-in copy in [`crate::run::RunOptions`]: the run
/// replaces it with the copy it unpacks.
pub const MARKER: &str = "<built-in>";

/// Environment variable naming a checkout whose `features/` and `fixtures/` are used
/// instead of the built-in copies (e.g. `KOFU_CHECKOUT=. kofu run` in the checkout).
pub const CHECKOUT_ENV: &str = "KOFU_CHECKOUT";

/// One of the two trees built into the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tree {
    /// `features/`.
    Features,
    /// `fixtures/`.
    Fixtures,
}

impl Tree {
    /// The folder name in the checkout.
    pub fn name(self) -> &'static str {
        match self {
            Tree::Features => "features",
            Tree::Fixtures => "fixtures",
        }
    }

    /// The built-in copy.
    pub fn dir(self) -> &'static Dir<'static> {
        match self {
            Tree::Features => &FEATURES,
            Tree::Fixtures => &FIXTURES,
        }
    }
}

/// The folder of `tree` a command reads: `given`, else `$KOFU_CHECKOUT/<name>`, else
/// the built-in copy ([`MARKER`]).
pub fn folder(tree: Tree, given: Option<PathBuf>) -> PathBuf {
    if let Some(given) = given {
        return given;
    }
    match std::env::var_os(CHECKOUT_ENV) {
        Some(checkout) if !checkout.is_empty() => PathBuf::from(checkout).join(tree.name()),
        _ => PathBuf::from(MARKER),
    }
}

/// Whether `path` stands for the built-in copy.
pub fn is_built_in(path: &Path) -> bool {
    path == Path::new(MARKER)
}

/// The folder on disk for `path`: `path` itself, or for the built-in copy of `tree`
/// that copy unpacked into `scratch/<name>` (once: an existing folder is reused).
pub fn unpack(tree: Tree, path: &Path, scratch: &Path) -> std::io::Result<PathBuf> {
    if !is_built_in(path) {
        return Ok(path.to_owned());
    }
    let into = scratch.join(tree.name());
    if !into.is_dir() {
        std::fs::create_dir_all(&into)?;
        tree.dir().extract(&into)?;
    }
    Ok(into)
}

/// [`unpack`] for a run's features and fixtures folders.
pub fn unpack_both(
    features: &Path,
    fixtures: &Path,
    scratch: &Path,
) -> std::io::Result<(PathBuf, PathBuf)> {
    Ok((
        unpack(Tree::Features, features, scratch)?,
        unpack(Tree::Fixtures, fixtures, scratch)?,
    ))
}

/// The contents of a built-in file of `tree`, by its path relative to the tree.
pub fn file(tree: Tree, relative: &str) -> Option<&'static [u8]> {
    tree.dir().get_file(relative).map(|f| f.contents())
}

/// Every file of a built-in tree with its path relative to the tree, sorted.
pub fn files(tree: Tree) -> Vec<(String, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for file in dir.files() {
            out.push((file.path().to_string_lossy().into_owned(), file.contents()));
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(tree.dir(), &mut out);
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_disk(tree: Tree) -> Vec<(String, Vec<u8>)> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).expect("folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let relative = path.strip_prefix(root).expect("under the root");
                    let bytes = std::fs::read(&path).expect("file");
                    out.push((relative.to_string_lossy().into_owned(), bytes));
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(tree.name());
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        out
    }

    #[test]
    fn the_built_in_trees_hold_the_files_on_disk() {
        for tree in [Tree::Features, Tree::Fixtures] {
            let built_in: Vec<(String, Vec<u8>)> = files(tree)
                .into_iter()
                .map(|(p, b)| (p, b.to_vec()))
                .collect();
            let disk = on_disk(tree);
            let names =
                |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
            assert_eq!(names(&built_in), names(&disk), "{}", tree.name());
            for ((path, a), (_, b)) in built_in.iter().zip(&disk) {
                assert!(
                    a == b,
                    "{}/{path} differs from the built-in copy",
                    tree.name()
                );
            }
        }
    }

    #[test]
    fn unpacking_writes_the_tree_once_and_leaves_given_folders_alone() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let given = Path::new("/some/features");
        assert_eq!(
            unpack(Tree::Features, given, scratch.path()).expect("given"),
            given
        );
        let marker = Path::new(MARKER);
        let dir = unpack(Tree::Fixtures, marker, scratch.path()).expect("unpacked");
        assert_eq!(dir, scratch.path().join("fixtures"));
        assert!(dir.join("residents/register.toml").is_file());
        assert_eq!(
            unpack(Tree::Fixtures, marker, scratch.path()).expect("again"),
            dir
        );
        assert_eq!(
            file(Tree::Fixtures, "residents/register.toml"),
            Some(
                std::fs::read(dir.join("residents/register.toml"))
                    .expect("file")
                    .as_slice()
            )
        );
    }

    #[test]
    fn a_given_folder_wins() {
        let given = PathBuf::from("mine");
        assert_eq!(folder(Tree::Features, Some(given.clone())), given);
    }
}
