//! `ptsearch export [QUERY]`: every document (or every hit of QUERY) in document-ID order, in
//! any output format, streamed one document at a time (memory: about 40 bytes per exported
//! document for the ordering, never the documents themselves).

use super::format::{NamedValue, TsvColumns};
use super::EXIT_OK;
use crate::output::ExportFormat;
use crate::output::{tsv, DocumentSink, HitFormat, HitPrinter};
use crate::search::{ranked, SearchRequest};
use crate::PtIndex;
use std::io::BufWriter;
use std::path::Path;

/// Arguments of `ptsearch export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ptsearch export --format biocxml > all.xml\n  ptsearch export 'gene:5133' --format pubtator > pd1.pubtator\n  ptsearch export 'gene:5133' --format tsv --columns pmid,title,year,journal,authors,abstract > pd1.tsv\n  ptsearch export --format quickwit-ndjson | quickwit index ingest --index ptsearch"
)]
pub struct ExportArgs {
    /// Only the documents matching this query (default: every document); several arguments
    /// are joined with spaces.
    #[arg(value_name = "QUERY", value_parser = super::argv::query_text)]
    pub query: Vec<String>,
    /// Output format.
    #[arg(long, value_parser = NamedValue::<ExportFormat>::new(), default_value = "pubtator")]
    pub format: ExportFormat,
    /// The columns of `--format tsv`, comma-separated, in order: id (or pmid), title, year,
    /// journal, authors, abstract [default: id,title].
    #[arg(long, value_name = "LIST", value_parser = super::format::tsv_columns)]
    pub columns: Option<TsvColumns>,
}

/// Runs `ptsearch export`.
pub fn run(index_dir: &Path, args: ExportArgs) -> anyhow::Result<i32> {
    let columns = match args.format {
        ExportFormat::Tsv => {
            Some(tsv::export_columns(args.columns.map(|c| c.0)).map_err(anyhow::Error::msg)?)
        }
        _ if args.columns.is_some() => anyhow::bail!("--columns applies to --format tsv only"),
        _ => None,
    };
    let index = PtIndex::open(index_dir)?;
    let query = match args.query.join(" ") {
        q if q.trim().is_empty() => "*".to_string(),
        q => q,
    };
    let request = SearchRequest::export(&query);
    let results = ranked(&index, &request)?;
    for w in &results.summary.warnings {
        eprintln!("ptsearch: warning: {w}");
    }
    let out = BufWriter::new(std::io::stdout().lock());
    if let Some(columns) = columns {
        let mut printer = HitPrinter::begin_with(out, HitFormat::Tsv, &columns)?;
        for hit in results.hits() {
            printer.hit(&hit?)?;
        }
        printer.finish(&results.summary)?;
        return Ok(EXIT_OK);
    }
    let ExportFormat::Documents(format) = args.format else {
        anyhow::bail!("export writes tsv or a document format");
    };
    let source = format!("ptsearch export of {}", index_dir.display());
    let mut sink = DocumentSink::begin(out, format, &source)?;
    for doc in results.documents() {
        sink.write(&doc?)?;
    }
    sink.finish()?;
    Ok(EXIT_OK)
}
