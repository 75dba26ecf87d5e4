//! Creating and opening an index directory: registers the tokenizers (tantivy stores them by
//! name only), checks the schema version recorded in `ptsearch.json`, and wraps the fields.

use crate::error::{Error, Result};
use crate::schema::{build_schema, Fields, SCHEMA_VERSION};
use crate::tokenizer::{BioTokenizer, BIO_TOKENIZER};
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
    /// One reader for the life of this handle (opening segment readers costs milliseconds).
    reader: std::sync::OnceLock<tantivy::IndexReader>,
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register(BIO_TOKENIZER, TextAnalyzer::from(BioTokenizer::default()));
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
            Index::create(dir, build_schema(), tantivy::IndexSettings::default())
        })
    }

    /// A searcher on the newest commit. The reader behind it is created once per handle, with
    /// manual reloading (no watcher thread): each call reloads it, which is cheap when nothing
    /// changed.
    pub fn searcher(&self) -> Result<tantivy::Searcher> {
        let reader = match self.reader.get() {
            Some(r) => {
                r.reload()?;
                r
            }
            None => {
                let r = self
                    .index
                    .reader_builder()
                    .reload_policy(tantivy::ReloadPolicy::Manual)
                    .try_into()?;
                self.reader.get_or_init(|| r)
            }
        };
        Ok(reader.searcher())
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
            reader: std::sync::OnceLock::new(),
        })
    }
}
