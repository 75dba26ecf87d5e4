//! Input sources: files, directories (recursive) and stdin, decompressed by magic bytes
//! (gzip with every member, zstd) and counted for the progress bar.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Source {
    /// Name used in messages (`file:line: reason`).
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".to_string(),
        }
    }

    /// Size on disk, when known.
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Stdin => None,
        }
    }
}

/// Expands the command-line inputs: `-` is stdin, directories are walked recursively (files in
/// name order, hidden files skipped). A missing path is an error.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    Ok(expand_named(inputs)?.into_iter().map(|(s, _)| s).collect())
}

/// [`expand_inputs`] with each input's source (layer) name: its path below the directory
/// argument it was found in, or its file name for a file argument, without compression and
/// format extensions when that keeps the names of the run distinct (`biored/Train`,
/// `CDR_TrainingSet`; `x.pubtator` and `x.txt` keep theirs); `stdin` for `-`. Two different
/// files of one run never share a name: clashing names keep their extensions, then take
/// more of their parent folders. A name is never an absolute path.
pub fn expand_named(inputs: &[PathBuf]) -> Result<Vec<(Source, String)>> {
    // (source, path components that may name it, components its base name uses)
    let mut out: Vec<(Source, Vec<String>, usize)> = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push((Source::Stdin, vec!["stdin".to_string()], 1));
            continue;
        }
        let meta =
            std::fs::metadata(input).map_err(|e| Error::io(input.display().to_string(), e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files)?;
            for f in files {
                if let Source::File(p) = &f {
                    let rel = components(p.strip_prefix(input).unwrap_or(p)).len();
                    let comps = components(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
                    out.push((f.clone(), comps, rel.max(1)));
                }
            }
        } else {
            let comps = components(&std::fs::canonicalize(input).unwrap_or_else(|_| input.clone()));
            out.push((Source::File(input.clone()), comps, 1));
        }
    }
    let names = distinct_names(
        &out.iter()
            .map(|(_, c, k)| (c.as_slice(), *k))
            .collect::<Vec<_>>(),
    );
    Ok(out.into_iter().map(|(s, _, _)| s).zip(names).collect())
}

/// The normal components of a path (no root, no `.`/`..`).
fn components(p: &Path) -> Vec<String> {
    p.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// Names for paths given as `(components, how many trailing components the base name uses)`:
/// the trailing components without format extensions; where two different paths clash, the
/// clashing names first keep their extensions, then take one more parent folder (without
/// extensions again), and so on. Equal paths (one file given twice) share their name.
fn distinct_names(paths: &[(&[String], usize)]) -> Vec<String> {
    let name = |comps: &[String], k: usize, strip: bool| -> String {
        let k = k.min(comps.len());
        let tail = &comps[comps.len() - k..];
        let joined = tail.join("/");
        if strip {
            source_name(Path::new(&joined))
        } else if joined.is_empty() {
            "stdin".to_string()
        } else {
            joined
        }
    };
    let mut level: Vec<(usize, bool)> = paths.iter().map(|&(_, k)| (k, true)).collect();
    let mut names: Vec<String> = paths
        .iter()
        .zip(&level)
        .map(|(&(c, _), &(k, st))| name(c, k, st))
        .collect();
    loop {
        let mut clashing = Vec::new();
        for i in 0..paths.len() {
            let clash = (0..paths.len())
                .any(|j| j != i && names[j] == names[i] && paths[j].0 != paths[i].0);
            if clash {
                clashing.push(i);
            }
        }
        let mut moved = false;
        for i in clashing {
            let (k, strip) = level[i];
            let next = if strip { (k, false) } else { (k + 1, true) };
            if next.0 <= paths[i].0.len() {
                level[i] = next;
                names[i] = name(paths[i].0, next.0, next.1);
                moved = true;
            }
        }
        if !moved {
            return names;
        }
    }
}

/// Extensions dropped from source names (compared ignoring case).
const DROPPED_EXTENSIONS: [&str; 12] = [
    "gz", "zst", "zstd", "pubtator", "txt", "xml", "json", "bioc", "tsv", "jsonl", "tar", "tgz",
];

/// `a/b/Train.PubTator.gz` → `a/b/Train` (`/` separators on every platform).
pub fn source_name(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let Some(last) = parts.last_mut() {
        while let Some((stem, ext)) = last.rsplit_once('.') {
            if stem.is_empty()
                || !DROPPED_EXTENSIONS
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(ext))
            {
                break;
            }
            *last = stem.to_string();
        }
    }
    let name = parts.join("/");
    if name.is_empty() {
        "stdin".to_string()
    } else {
        name
    }
}

fn walk(dir: &Path, out: &mut Vec<Source>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.is_file() {
            out.push(Source::File(p));
        }
    }
    Ok(())
}

/// The format of `source` detected from its first bytes (after decompression), as ingest
/// would read it; `None` when no supported format matches.
pub fn detect_format(source: &Source) -> Result<Option<crate::interop::InputFormat>> {
    let mut r = open(source, Arc::new(AtomicU64::new(0)))?;
    let head = r.fill_buf().map_err(|e| Error::io(source.name(), e))?;
    Ok(crate::interop::detect(head))
}

/// Counts the bytes read from the underlying (possibly compressed) input.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

const BUF: usize = 1 << 20;

/// Opens a source for reading, decompressing gzip or zstd when its first bytes say so.
/// `counter` is advanced by the raw bytes read.
pub fn open(source: &Source, counter: Arc<AtomicU64>) -> Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = match source {
        Source::File(p) => {
            Box::new(File::open(p).map_err(|e| Error::io(p.display().to_string(), e))?)
        }
        Source::Stdin => Box::new(io::stdin()),
    };
    let mut reader = BufReader::with_capacity(
        BUF,
        Counting {
            inner: raw,
            counter,
        },
    );
    let head = reader.fill_buf().map_err(|e| Error::io(source.name(), e))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            BUF,
            flate2::bufread::MultiGzDecoder::new(reader),
        )))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let dec = zstd::stream::read::Decoder::with_buffer(reader)
            .map_err(|e| Error::io(source.name(), e))?;
        Ok(Box::new(BufReader::with_capacity(BUF, dec)))
    } else {
        Ok(Box::new(reader))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.bin");
        std::fs::write(&p, bytes).unwrap();
        let counter = Arc::new(AtomicU64::new(0));
        let mut s = String::new();
        open(&Source::File(p), counter.clone())
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(counter.load(Ordering::Relaxed), bytes.len() as u64);
        s
    }

    #[test]
    fn source_names_drop_format_and_compression_extensions() {
        assert_eq!(
            source_name(Path::new("biored/Train.PubTator")),
            "biored/Train"
        );
        assert_eq!(source_name(Path::new("x.xml.BioC.XML")), "x");
        assert_eq!(
            source_name(Path::new("pubmed25n0001.xml.gz")),
            "pubmed25n0001"
        );
        assert_eq!(source_name(Path::new(".gz")), ".gz");
        let dir = tempfile::tempdir().unwrap();
        for sub in ["a", "b"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("T.txt"), "1|t|x\n").unwrap();
        }
        let named = expand_named(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["a/T", "b/T"]);
        let files = [dir.path().join("a/T.txt"), dir.path().join("b/T.txt")];
        let named = expand_named(&files).unwrap();
        let names: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            ["a/T", "b/T"],
            "parent folders, never an absolute path"
        );
        // Names that differ only by their extension keep it.
        std::fs::write(dir.path().join("a/T.pubtator"), "1|t|x\n").unwrap();
        let named = expand_named(&[dir.path().join("a")]).unwrap();
        let names: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["T.pubtator", "T.txt"]);
        // One file given twice is one source.
        let twice = expand_named(&[files[0].clone(), files[0].clone()]).unwrap();
        assert_eq!(twice[0].1, twice[1].1);
    }

    #[test]
    fn detects_gzip_with_several_members_and_zstd_by_content() {
        let mut gz = Vec::new();
        for part in ["1|t|a\n\n", "2|t|b\n"] {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part.as_bytes()).unwrap();
            gz.extend(e.finish().unwrap());
        }
        assert_eq!(read_all(&gz), "1|t|a\n\n2|t|b\n");
        let zs = zstd::encode_all(&b"3|t|c\n"[..], 1).unwrap();
        assert_eq!(read_all(&zs), "3|t|c\n");
        assert_eq!(read_all(b"4|t|d\n"), "4|t|d\n");
    }
}
