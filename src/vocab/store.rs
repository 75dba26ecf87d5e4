//! How vocabularies sit on disk, beside the index's segments: one file per kind in the index
//! directory's `vocab/` folder, a header line (JSON: kind, source file, version, records) and a
//! body line (JSON), written to a temporary file, synced and renamed over the old one, so a
//! crash leaves the old vocabulary or the new one, never half of either. Also the opening of a
//! distribution file (plain or gzip, by its first bytes) and the detection of its kind.

use super::VocabKind;
use crate::error::{Error, Result};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Folder of the index directory that holds the vocabularies.
pub const VOCAB_DIR: &str = "vocab";

/// What `vocab list` shows of one stored vocabulary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VocabInfo {
    /// Its kind, by canonical name (`mesh-desc`, ...).
    pub kind: String,
    /// The file it was loaded from (its name, without the folder).
    pub file: String,
    /// The version or date it carries (latest record date; empty when the format has none).
    pub version: String,
    /// Records kept.
    pub records: u64,
    /// When it was added (seconds since 1970, UTC).
    pub added: u64,
}

/// Path of the stored vocabulary of `kind` in the index directory `index_dir`.
pub fn stored_path(index_dir: &Path, kind: VocabKind) -> PathBuf {
    index_dir
        .join(VOCAB_DIR)
        .join(format!("{}.json", kind.file_stem()))
}

/// Writes `info` and `body` as the vocabulary of `kind`, replacing the old one atomically.
pub fn write<T: Serialize>(
    index_dir: &Path,
    kind: VocabKind,
    info: &VocabInfo,
    body: &T,
) -> Result<()> {
    let dir = index_dir.join(VOCAB_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let path = stored_path(index_dir, kind);
    let tmp = dir.join(format!(".{}.json.tmp", kind.file_stem()));
    let io = |e| Error::io(tmp.display().to_string(), e);
    let file = File::create(&tmp).map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let json = |e: serde_json::Error| Error::Corrupt(format!("{}: {e}", tmp.display()));
    serde_json::to_writer(&mut out, info).map_err(json)?;
    out.write_all(b"\n").map_err(io)?;
    serde_json::to_writer(&mut out, body).map_err(json)?;
    out.write_all(b"\n").map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display().to_string(), e))?;
    sync_dir(&dir);
    Ok(())
}

/// Makes a rename durable (best effort: not every platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The header of the stored vocabulary of `kind`, `None` when there is none.
pub fn read_info(index_dir: &Path, kind: VocabKind) -> Result<Option<VocabInfo>> {
    let path = stored_path(index_dir, kind);
    let Some(mut reader) = open_stored(&path)? else {
        return Ok(None);
    };
    read_header(&mut reader, &path).map(Some)
}

/// The header and body of the stored vocabulary of `kind`, `None` when there is none.
pub fn read<T: DeserializeOwned>(
    index_dir: &Path,
    kind: VocabKind,
) -> Result<Option<(VocabInfo, T)>> {
    let path = stored_path(index_dir, kind);
    let Some(mut reader) = open_stored(&path)? else {
        return Ok(None);
    };
    let info = read_header(&mut reader, &path)?;
    let mut line = Vec::new();
    reader
        .read_to_end(&mut line)
        .map_err(|e| Error::io(path.display().to_string(), e))?;
    let body = serde_json::from_slice(&line)
        .map_err(|e| Error::Corrupt(format!("{}: {e}", path.display())))?;
    Ok(Some((info, body)))
}

/// Removes the stored vocabulary of `kind`; false when there was none.
pub fn remove(index_dir: &Path, kind: VocabKind) -> Result<bool> {
    let path = stored_path(index_dir, kind);
    match std::fs::remove_file(&path) {
        Ok(()) => {
            sync_dir(&index_dir.join(VOCAB_DIR));
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path.display().to_string(), e)),
    }
}

fn open_stored(path: &Path) -> Result<Option<BufReader<File>>> {
    match File::open(path) {
        Ok(f) => Ok(Some(BufReader::with_capacity(1 << 20, f))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path.display().to_string(), e)),
    }
}

fn read_header(reader: &mut impl BufRead, path: &Path) -> Result<VocabInfo> {
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .map_err(|e| Error::io(path.display().to_string(), e))?;
    serde_json::from_str(&line).map_err(|e| Error::Corrupt(format!("{}: {e}", path.display())))
}

/// A stamp of the stored files (length, time, inode of each kind's file): a changed stamp
/// means a vocabulary was added, replaced or removed since it was taken.
pub fn stamp(index_dir: &Path) -> Vec<Option<(u64, Option<std::time::SystemTime>, u64)>> {
    VocabKind::ALL
        .iter()
        .map(|k| {
            let m = std::fs::metadata(stored_path(index_dir, *k)).ok()?;
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&m);
            #[cfg(not(unix))]
            let inode = 0;
            Some((m.len(), m.modified().ok(), inode))
        })
        .collect()
}

/// Counts the bytes read from a distribution file (for progress).
pub struct Counting<R> {
    inner: R,
    /// Compressed bytes read so far.
    pub read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a distribution file, decompressing gzip when its first bytes say so, and reads its
/// kind from the first decompressed bytes. `read` counts the raw bytes read.
pub fn open_source(
    path: &Path,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> Result<(VocabKind, Box<dyn BufRead + Send>)> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::io(name.clone(), e))?;
    let mut raw = BufReader::with_capacity(1 << 20, Counting { inner: file, read });
    let head = raw.fill_buf().map_err(|e| Error::io(name.clone(), e))?;
    let mut reader: Box<dyn BufRead + Send> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    let head = reader.fill_buf().map_err(|e| Error::io(name.clone(), e))?;
    let kind = detect(head).ok_or_else(|| {
        Error::Refused(format!(
            "{name}: not a vocabulary ptsearch reads (MeSH descriptor or supplementary XML, \
             NCBI gene_info or gene_orthologs, plain or gzip)"
        ))
    })?;
    Ok((kind, reader))
}

/// The kind of a distribution file from its first bytes.
pub fn detect(head: &[u8]) -> Option<VocabKind> {
    let text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    if text.contains("<DescriptorRecordSet") {
        return Some(VocabKind::MeshDescriptors);
    }
    if text.contains("<SupplementalRecordSet") {
        return Some(VocabKind::MeshSupplementary);
    }
    let first = text.lines().next().unwrap_or("");
    let cols: Vec<&str> = first.trim_end().split('\t').collect();
    match cols.as_slice() {
        ["#tax_id", "GeneID", "Symbol", ..] => Some(VocabKind::GeneInfo),
        ["#tax_id", "GeneID", "relationship", "Other_tax_id", "Other_GeneID", ..] => {
            Some(VocabKind::GeneOrthologs)
        }
        _ => None,
    }
}

/// Seconds since 1970 now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
