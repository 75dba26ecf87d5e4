//! `ptsearch sources`: the sources (annotation layers) of an index with their counts, and
//! `sources rename OLD NEW` (flags → [`crate::index::stats`] and
//! [`crate::ingest::rename_source`]).

use super::explore::ListFormat;
use super::EXIT_OK;
use crate::index::stats::index_stats;
use crate::PtIndex;
use std::io::Write;
use std::path::Path;

/// Arguments of `ptsearch sources`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch sources                         # name, documents, annotations, relations, IDs
  ptsearch sources rename Train biored/Train

A source is the annotation layer one input gave (its path below the directory argument, or its
file name; `--source NAME` at index time). Indexing the same source again replaces its layer.")]
pub struct SourcesArgs {
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// What to do instead of listing.
    #[command(subcommand)]
    pub action: Option<SourcesAction>,
}

/// `sources` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SourcesAction {
    /// Rename a source in every document (one commit).
    Rename {
        /// The current name.
        old: String,
        /// The new name (not in use yet).
        new: String,
    },
}

/// Runs `ptsearch sources`.
pub fn run(index_dir: &Path, args: SourcesArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    if let Some(SourcesAction::Rename { old, new }) = args.action {
        let n = crate::ingest::rename_source(&index, &old, &new)?;
        eprintln!("renamed source '{old}' to '{new}' in {n} documents");
        return Ok(EXIT_OK);
    }
    let s = index_stats(&index)?;
    let ids = |name: &str| {
        if s.local_id_sources.iter().any(|l| l == name) {
            "local"
        } else {
            "pmid"
        }
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = s
                .per_source
                .iter()
                .map(|(name, c)| {
                    serde_json::json!({
                        "source": name,
                        "documents": c.documents,
                        "annotations": c.annotations,
                        "relations": c.relations,
                        "ids": ids(name),
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        }
        ListFormat::Text => {
            writeln!(out, "source\tdocuments\tannotations\trelations\tids")?;
            for (name, c) in &s.per_source {
                writeln!(
                    out,
                    "{name}\t{}\t{}\t{}\t{}",
                    c.documents,
                    c.annotations,
                    c.relations,
                    ids(name)
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}
