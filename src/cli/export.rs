//! `ptsearch export [QUERY]`: every document (or every hit of QUERY) in document-ID order, in
//! any output format, streamed one document at a time (memory: about 40 bytes per exported
//! document for the ordering, never the documents themselves).

use super::EXIT_OK;
use crate::index::load_document;
use crate::output::{bioc, jsonl, quickwit};
use crate::pubtator::write::write_document;
use crate::search::collect::RankedCollector;
use crate::search::query::compile;
use crate::PtIndex;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Export formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// PubTator text (re-indexable; round-trips byte for byte).
    Pubtator,
    /// One JSON object per document.
    Jsonl,
    /// A BioC XML collection.
    Biocxml,
    /// A BioC JSON collection.
    Biocjson,
    /// NDJSON for the Quickwit mapping in schema/quickwit-index.yaml.
    QuickwitNdjson,
}

/// Arguments of `ptsearch export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ptsearch export --format biocxml > all.xml\n  ptsearch export 'gene:5133' --format pubtator > pd1.pubtator\n  ptsearch export --format quickwit-ndjson | quickwit index ingest --index ptsearch"
)]
pub struct ExportArgs {
    /// Only the documents matching this query (default: every document).
    pub query: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Pubtator)]
    pub format: ExportFormat,
}

/// Runs `ptsearch export`.
pub fn run(index_dir: &Path, args: ExportArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let searcher = index.searcher()?;
    let query_text = args.query.as_deref().unwrap_or("*");
    let compiled = compile(query_text, &searcher, &index.fields)?;
    let mut hits = searcher.search(&*compiled.query, &RankedCollector::new(usize::MAX))?;
    hits.sort_by(|a, b| {
        a.id_num
            .cmp(&b.id_num)
            .then_with(|| a.id_text.cmp(&b.id_text))
    });
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let source = format!("ptsearch export of {}", index_dir.display());
    match args.format {
        ExportFormat::Biocxml => {
            let mut w = bioc::BiocXmlWriter::new(out, &source)?;
            for h in &hits {
                w.write_document(&load_document(&searcher, index.fields.doc, h.address)?)?;
            }
            w.finish()?.flush()?;
        }
        ExportFormat::Biocjson => {
            let mut w = bioc::BiocJsonWriter::new(out, &source)?;
            for h in &hits {
                w.write_document(&load_document(&searcher, index.fields.doc, h.address)?)?;
            }
            w.finish()?.flush()?;
        }
        format => {
            for h in &hits {
                let doc = load_document(&searcher, index.fields.doc, h.address)?;
                match format {
                    ExportFormat::Jsonl => jsonl::write_document(&mut out, &doc)?,
                    ExportFormat::QuickwitNdjson => {
                        quickwit::write_quickwit_ndjson(&mut out, &doc)?
                    }
                    _ => write_document(&mut out, &doc)?,
                }
            }
            out.flush()?;
        }
    }
    Ok(EXIT_OK)
}
