//! `ptsearch translate`: flags → [`TranslateOptions`], translate the query against the local
//! index when there is one, print the request body (stdout) and the notes (stderr).

use super::EXIT_OK;
use crate::search::translate::{to_quickwit, IndexView, TranslateOptions, TranslateSort};
use crate::PtIndex;
use std::io::Write;
use std::path::Path;

/// How the translation relates to ptsearch's answer (translate --help and the man page).
pub const TRANSLATE_NOTES: &str = "The request body goes to stdout (POST it to
/api/v1/ptsearch/search of a Quickwit index made with schema/quickwit-index.yaml and fed by
`ptsearch export --format quickwit-ndjson`); notes go to stderr. Names (gene:PD1, @GENE_PDCD1)
are resolved to IDs through the index (--index, ./ptsearch-index or PTSEARCH_INDEX) when it
exists; without one they are refused (exit 2), IDs need none. Hit sets are the same as
ptsearch's except where the tokenizers differ (IL-6 finds IL6 only in ptsearch); ranking and
facet counts across splits are approximate, and a note says so.";

/// Target search engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Quickwit's search REST API (query string, sort_by, aggs).
    Quickwit,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TranslateSortArg {
    /// Best first, ties by ID.
    Relevance,
    /// By document ID (numeric IDs by value).
    Id,
}

/// Arguments of `ptsearch translate`.
#[derive(Debug, clap::Args)]
#[command(after_help = TRANSLATE_NOTES)]
pub struct TranslateArgs {
    /// The query, in ptsearch's query language.
    #[arg(value_parser = super::argv::query_text)]
    pub query: String,
    /// The search engine to translate for.
    #[arg(long, value_enum, default_value_t = Target::Quickwit)]
    pub to: Target,
    /// Hits to ask for (`max_hits`).
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Hit order.
    #[arg(long, value_enum, default_value_t = TranslateSortArg::Relevance)]
    pub sort: TranslateSortArg,
    /// Add aggregations reproducing `search --facets` (documents per type, top entities).
    #[arg(long)]
    pub facets: bool,
    /// Top entities per type in the facet aggregations.
    #[arg(long, default_value_t = 10)]
    pub facet_top: usize,
}

/// Runs `ptsearch translate`.
pub fn run(index_dir: &Path, args: TranslateArgs) -> anyhow::Result<i32> {
    let index = if index_dir.exists() {
        Some(PtIndex::open(index_dir)?)
    } else {
        None
    };
    let searcher = index.as_ref().map(PtIndex::searcher).transpose()?;
    let vocab = index.as_ref().map(PtIndex::vocab);
    let view = match (&index, &searcher, &vocab) {
        (Some(ix), Some(s), Some(v)) => Some(IndexView {
            searcher: s,
            fields: &ix.fields,
            vocab: v,
        }),
        _ => None,
    };
    let options = TranslateOptions {
        limit: args.limit,
        sort: match args.sort {
            TranslateSortArg::Relevance => TranslateSort::Relevance,
            TranslateSortArg::Id => TranslateSort::Id,
        },
        facets: args.facets,
        facet_top: args.facet_top,
    };
    let Target::Quickwit = args.to;
    let translation = match to_quickwit(&args.query, view, &options) {
        Ok(t) => t,
        // A name to resolve: say where the index was looked for.
        Err(e) if view.is_none() && e.to_string().contains("needs the local index") => {
            return Err(anyhow::Error::new(e).context(format!(
                "cannot translate without an index (none at {})",
                index_dir.display()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    for note in &translation.notes {
        eprintln!("ptsearch: note: {note}");
    }
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &translation.request)?;
    writeln!(out)?;
    Ok(EXIT_OK)
}
