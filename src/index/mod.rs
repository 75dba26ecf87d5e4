//! Creating and opening an index directory: registers the tokenizers (tantivy stores them by
//! name only), checks the schema version recorded in `ptsearch.json`, and wraps the fields.

pub mod check;
pub mod commit;
pub mod document;
pub mod document_values;
mod lookup;
pub mod marks;
pub mod relterms;
pub mod schema;
pub mod stats;
pub mod tally;
pub mod terms;
pub mod tokenizer;
pub(crate) mod variant_terms;

pub use lookup::{
    find_document, find_in, find_with_sentences, load_document, load_with_sentences, IdColumns,
};

use crate::error::{Error, Result};
use crate::index::schema::{build_schema, Fields, SCHEMA_VERSION};
use crate::index::tokenizer::{
    BioTokenizer, PositionedTokenizer, BIO_TOKENIZER, POSITIONED_TOKENIZER,
};
use crate::vocab::Vocab;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::directory::MmapDirectory;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

/// Name of the file that marks a ptsearch index and records its schema version.
pub const MARKER_FILE: &str = "ptsearch.json";

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    schema_version: u32,
    created_by: String,
}

/// An open index with its field handles.
pub struct PtIndex {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Where it lives.
    pub path: PathBuf,
    /// One reader for the life of this handle (opening segment readers costs milliseconds),
    /// created on first use, with the `meta.json` it was last loaded for.
    reader: std::sync::Mutex<Option<ReaderState>>,
    /// Per-segment ID columns for ranking, kept across searches.
    pub(crate) id_columns: IdColumns,
    /// The vocabularies, with the stamp of their files when opened: reopened (and read
    /// again, lazily) when one was added, replaced or removed.
    vocab: std::sync::Mutex<Option<(VocabStamp, std::sync::Arc<Vocab>)>>,
}

type VocabStamp = Vec<Option<(u64, Option<std::time::SystemTime>, u64)>>;

/// Name of tantivy's commit point in the index directory.
const META_FILE: &str = "meta.json";

/// A commit point shorter-lived than this is compared by content, not by file stamp alone:
/// file times can be as coarse as a kernel tick, and a fast second commit could reuse the
/// first one's inode and length.
const STAMP_SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// Identity of the `meta.json` a reader was reloaded for. tantivy writes the file atomically
/// (a new file renamed over the old), so every commit changes its inode and time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MetaStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl MetaStamp {
    fn of(path: &Path) -> Option<MetaStamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let inode = 0;
        Some(MetaStamp {
            len: m.len(),
            modified: m.modified().ok(),
            inode,
        })
    }

    /// Old enough that an equal stamp means an unchanged file.
    fn settled(&self) -> bool {
        self.modified
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STAMP_SETTLE)
    }
}

/// The reader of a handle and what it was last loaded for: `meta.json`'s stamp and bytes
/// (`None` when they could not be read, which forces a reload next time).
struct ReaderState {
    reader: tantivy::IndexReader,
    stamp: Option<MetaStamp>,
    bytes: Option<Vec<u8>>,
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register(BIO_TOKENIZER, TextAnalyzer::from(BioTokenizer::default()));
    index.tokenizers().register(
        POSITIONED_TOKENIZER,
        TextAnalyzer::from(PositionedTokenizer::default()),
    );
}

/// Settings of a new index. The docstore (the stored binary record of every document, more than
/// half of the index with lz4) is compressed with zstd level 1: 14% smaller indexes for 4% more
/// ingest instructions (level 3 saves 1% more for 10% more instructions). The 16 KiB block size
/// stays tantivy's default, so loading one hit still decompresses a single small block.
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(1),
        }),
        ..tantivy::IndexSettings::default()
    }
}

fn check_marker(path: &Path) -> Result<()> {
    let marker_path = path.join(MARKER_FILE);
    let text =
        std::fs::read_to_string(&marker_path).map_err(|_| Error::NoIndex(path.to_path_buf()))?;
    let marker: Marker = serde_json::from_str(&text)
        .map_err(|e| Error::Corrupt(format!("{}: {e}", marker_path.display())))?;
    if marker.schema_version != SCHEMA_VERSION {
        return Err(Error::SchemaVersion {
            path: path.to_path_buf(),
            found: marker.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(())
}

impl PtIndex {
    /// Opens an existing index for reading or writing.
    pub fn open(path: &Path) -> Result<PtIndex> {
        if !path.join("meta.json").exists() {
            return Err(Error::NoIndex(path.to_path_buf()));
        }
        check_marker(path)?;
        PtIndex::wrap(path, Index::open)
    }

    /// Opens the index at `path`, creating it (and the directory) when absent.
    pub fn open_or_create(path: &Path) -> Result<PtIndex> {
        if path.join("meta.json").exists() {
            return PtIndex::open(path);
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(path.display().to_string(), e))?;
        let marker = Marker {
            schema_version: SCHEMA_VERSION,
            created_by: format!("ptsearch {}", env!("CARGO_PKG_VERSION")),
        };
        let json =
            serde_json::to_string_pretty(&marker).map_err(|e| Error::Corrupt(e.to_string()))?;
        std::fs::write(path.join(MARKER_FILE), json)
            .map_err(|e| Error::io(path.join(MARKER_FILE).display().to_string(), e))?;
        PtIndex::wrap(path, |dir| {
            Index::create(dir, build_schema(), index_settings())
        })
    }

    /// A searcher on the newest commit. The reader behind it is created once per handle, with
    /// manual reloading (no watcher thread). It is reloaded only when `meta.json` changed: a
    /// reload reads and parses the file and reopens every segment reader, which also empties
    /// their caches (term dictionaries, fast-field columns), and cost more than the whole
    /// search of an entity ID (about 60 µs on the 100k bench index). An unchanged file is
    /// recognised by its stamp (inode, length, time) once settled, by its content before.
    pub fn searcher(&self) -> Result<tantivy::Searcher> {
        let path = self.path.join(META_FILE);
        // The stamp is taken before the bytes are read and the bytes before the reader loads,
        // so a commit racing with this call can only cause an extra reload later, never a
        // stale searcher.
        let stamp = MetaStamp::of(&path);
        let mut state = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(st) = state.as_mut() {
            if st.stamp.is_some()
                && st.stamp == stamp
                && stamp.as_ref().is_some_and(MetaStamp::settled)
            {
                return Ok(st.reader.searcher());
            }
            let bytes = std::fs::read(&path).ok();
            if bytes.is_none() || bytes != st.bytes {
                st.reader.reload()?;
            }
            st.stamp = stamp;
            st.bytes = bytes;
            return Ok(st.reader.searcher());
        }
        let bytes = std::fs::read(&path).ok();
        let reader: tantivy::IndexReader = self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        *state = Some(ReaderState {
            reader,
            stamp,
            bytes,
        });
        Ok(searcher)
    }

    /// The vocabularies of the index ([`crate::vocab`]), shared by searches: each kind is read
    /// from disk on first use; a vocabulary added, replaced or removed since (by this process
    /// or another) is seen on the next call (a few `stat`s decide).
    pub fn vocab(&self) -> std::sync::Arc<Vocab> {
        let stamp = crate::vocab::store::stamp(&self.path);
        let mut slot = self.vocab.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, v)) = slot.as_ref() {
            if *s == stamp {
                return v.clone();
            }
        }
        let v = std::sync::Arc::new(Vocab::open(&self.path));
        *slot = Some((stamp, v.clone()));
        v
    }

    /// Loads a vocabulary file into this index ([`crate::vocab::add`]).
    pub fn vocab_add(
        &self,
        file: &Path,
        options: &crate::vocab::AddOptions,
        progress: &mut dyn FnMut(crate::vocab::AddProgress),
    ) -> Result<crate::vocab::VocabInfo> {
        crate::vocab::add(&self.path, file, options, progress)
    }

    /// Opens the directory, lets `make` open or create the tantivy index in it, registers
    /// the tokenizers and looks the fields up.
    fn wrap(
        path: &Path,
        make: impl FnOnce(MmapDirectory) -> tantivy::Result<Index>,
    ) -> Result<PtIndex> {
        let dir = MmapDirectory::open(path)
            .map_err(|e| Error::Corrupt(format!("{}: {e}", path.display())))?;
        let index = make(dir)?;
        register(&index);
        let fields = Fields::new(&index.schema())?;
        Ok(PtIndex {
            index,
            fields,
            path: path.to_path_buf(),
            reader: std::sync::Mutex::new(None),
            id_columns: IdColumns::default(),
            vocab: std::sync::Mutex::new(None),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add_and_commit(index: &PtIndex, id: &str) {
        let mut writer: tantivy::IndexWriter = index.index.writer(15_000_000).unwrap();
        let mut doc = tantivy::TantivyDocument::new();
        doc.add_text(index.fields.id, id);
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
    }

    #[test]
    fn searcher_sees_every_commit_even_within_the_same_clock_tick() {
        let dir = tempfile::tempdir().unwrap();
        let index = PtIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.searcher().unwrap().num_docs(), 0);
        for n in 1..=5 {
            add_and_commit(&index, &n.to_string());
            assert_eq!(index.searcher().unwrap().num_docs(), n);
        }
    }

    #[test]
    fn searcher_sees_commits_made_through_another_handle() {
        let dir = tempfile::tempdir().unwrap();
        let reader = PtIndex::open_or_create(dir.path()).unwrap();
        let writer = PtIndex::open(dir.path()).unwrap();
        assert_eq!(reader.searcher().unwrap().num_docs(), 0);
        add_and_commit(&writer, "1");
        assert_eq!(reader.searcher().unwrap().num_docs(), 1);
        assert_eq!(reader.searcher().unwrap().num_docs(), 1);
    }
}
