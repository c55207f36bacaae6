//! The bundle's archive: a plain (uncompressed) tar in one canonical form, so that the
//! verifier can tell any changed byte, headers and padding included. Every entry is a
//! regular file with mode 0644, owner 0:0 and mtime 0, in a fixed order
//! (`MANIFEST.json`, `MANIFEST.sig`, then every other path in byte order), written by
//! the `tar` crate's GNU headers. Compression is left out on purpose: a compressed
//! stream has bytes (header fields, final padding bits) that change nothing once
//! decoded, and no byte of a bundle may go unchecked.

use std::io::{Read as _, Write};

use super::{CertifyError, MANIFEST, SIGNATURE};

/// Largest bundle `kofu verify` reads (bytes): it reads the whole archive.
pub const MAX_BUNDLE_BYTES: u64 = 1 << 30;
/// Most entries a bundle may hold.
pub const MAX_ENTRIES: usize = 200_000;

/// One file of the bundle: its path inside the archive (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative path, `/`-separated, no `.` or `..` component.
    pub path: String,
    /// Content.
    pub data: Vec<u8>,
}

/// Sort entries into the canonical order: the manifest, its signature, then by path.
pub fn canonical_order(entries: &mut [Entry]) {
    entries.sort_by(|a, b| rank(&a.path).cmp(&rank(&b.path)));
}

/// The entries in canonical order, borrowed.
fn in_canonical_order(entries: &[Entry]) -> Vec<&Entry> {
    let mut order: Vec<&Entry> = entries.iter().collect();
    order.sort_by(|a, b| rank(&a.path).cmp(&rank(&b.path)));
    order
}

fn rank(path: &str) -> (u8, &str) {
    match path {
        MANIFEST => (0, path),
        SIGNATURE => (1, path),
        _ => (2, path),
    }
}

/// Write `entries` (already in canonical order) as the canonical tar.
pub fn write<'a, W: Write>(
    out: W,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> std::io::Result<W> {
    let mut builder = tar::Builder::new(out);
    builder.mode(tar::HeaderMode::Deterministic);
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(entry.data.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        builder.append_data(&mut header, &entry.path, entry.data.as_slice())?;
    }
    builder.into_inner()
}

/// Read a bundle's bytes: its entries, in archive order. Fails on anything but regular
/// files with safe relative paths, on a duplicate path, or on an archive that is not in
/// the canonical form [`write`] gives its entries (a changed header, padding or
/// trailing byte).
pub fn read(bytes: &[u8]) -> Result<Vec<Entry>, CertifyError> {
    let broken = |detail: String| CertifyError::Archive(detail);
    let mut archive = tar::Archive::new(bytes);
    let mut entries = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for entry in archive
        .entries()
        .map_err(|e| broken(format!("not a tar archive: {e}")))?
    {
        let mut entry = entry.map_err(|e| broken(format!("unreadable entry: {e}")))?;
        if entries.len() >= MAX_ENTRIES {
            return Err(broken(format!("more than {MAX_ENTRIES} entries")));
        }
        let path = String::from_utf8(entry.path_bytes().into_owned())
            .map_err(|_| broken("an entry's path is not UTF-8".into()))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(broken(format!("`{path}` is not a regular file")));
        }
        if !safe_path(&path) {
            return Err(broken(format!("`{path}` is not a safe relative path")));
        }
        if !seen.insert(path.clone()) {
            return Err(broken(format!("`{path}` appears twice")));
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| broken(format!("`{path}`: {e}")))?;
        entries.push(Entry { path, data });
    }
    let rewritten = write(
        Vec::with_capacity(bytes.len()),
        in_canonical_order(&entries),
    )
    .map_err(|e| broken(format!("cannot rewrite the archive: {e}")))?;
    if rewritten != bytes {
        let at = rewritten
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(rewritten.len().min(bytes.len()));
        return Err(broken(format!(
            "the archive is not in kofu's canonical form: it differs at byte {at} (a header, padding, order or trailing byte changed)"
        )));
    }
    Ok(entries)
}

/// A relative `/`-separated path of plain components.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Entry> {
        let mut entries = vec![
            Entry {
                path: "run/evidence/a/very/long/path/that/needs/more/than/one/hundred/bytes/of/name/to/be/stored/in/a/tar/header.json".into(),
                data: b"{}".to_vec(),
            },
            Entry {
                path: MANIFEST.into(),
                data: b"manifest".to_vec(),
            },
        ];
        canonical_order(&mut entries);
        entries
    }

    #[test]
    fn a_written_archive_reads_back() {
        let bytes = write(Vec::new(), &sample()).unwrap();
        assert_eq!(read(&bytes).unwrap(), sample());
    }

    #[test]
    fn every_changed_byte_is_caught() {
        let bytes = write(Vec::new(), &sample()).unwrap();
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0x01;
            if let Ok(entries) = read(&changed) {
                assert_ne!(entries, sample(), "byte {at} changed nothing");
            }
        }
    }
}
