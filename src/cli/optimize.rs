//! `ptsearch optimize`: merges the index's segments down to a number (flags → the library's
//! [`optimize`]), then a summary line or JSON.

use super::explore::ListFormat;
use super::EXIT_OK;
use crate::ingest::optimize::optimize;
use crate::output::json;
use crate::PtIndex;
use std::path::Path;

/// Arguments of `ptsearch optimize`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch optimize                 # one segment: the fastest searches, rewrites every document
  ptsearch optimize --segments 8    # at most 8 segments of about equal size

`ptsearch index` writes each document once and never merges full segments, so a large build
ends with one segment per ~100k-200k documents (see `ptsearch stats`). Merging rewrites the
documents of the merged segments (about 1M documents a minute per core) and drops deleted
ones; searches keep working meanwhile.")]
pub struct OptimizeArgs {
    /// Merge down to at most this many segments.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub segments: u64,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Runs `ptsearch optimize`.
pub fn run(index_dir: &Path, args: OptimizeArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let target = usize::try_from(args.segments).unwrap_or(usize::MAX);
    let s = optimize(&index, target)?;
    match args.format {
        ListFormat::Json => json::write_value(&mut std::io::stdout().lock(), &s)?,
        ListFormat::Text if s.segments_before == s.segments_after => println!(
            "{}, {}: nothing to merge",
            crate::names::counted(s.segments_after as u64, "segment"),
            crate::names::counted(s.documents as u64, "document")
        ),
        ListFormat::Text => println!(
            "merged {} segments into {} ({} documents rewritten, {} deleted dropped) in {:.1}s",
            s.segments_before,
            s.segments_after,
            s.documents_rewritten,
            s.deleted_dropped,
            s.elapsed.as_secs_f64()
        ),
    }
    Ok(EXIT_OK)
}
