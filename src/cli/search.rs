//! `ptsearch search`: flags → [`SearchRequest`], run, print hits in the chosen format.

use super::format::{search_formats, EntityTypeName, NamedValue, OutputFormat};
use super::{ColorChoice, EXIT_NO_MATCH, EXIT_OK};
use crate::output::tsv::Column;
use crate::output::{text, DocumentSink, HitFormat, HitPrinter, TextStyle};
use crate::search::facets::FacetRequest;
use crate::search::facets::{FacetScope, FacetSort};
use crate::search::tree::MAX_FACET_LEVEL;
use crate::search::{ranked, Order, Ranked, SearchRequest};
use crate::PtIndex;
use std::io::BufWriter;
use std::path::Path;

/// The query language in brief (search --help and the man page).
pub const QUERY_SYNTAX: &str = "Query syntax (AND is the default operator):
  BRAF melanoma            words in title, abstract or mentions (title weighs more)
  \"immune checkpoint\"      a phrase           title:cancer  abstract:x  mention:x
  a OR b, NOT x, -x, ( )   boolean logic       word^2        boost a clause
  gene:5133  disease:D009369  chemical:MESH:D008012  species:9606  variant:rs113488022
  cellline:CVCL_0030  id:X (any type)  type:Gene (any gene)  pmid:31554797
  gene:PD1  @GENE_PDCD1    names are resolved to IDs via the index's mention dictionary
  rel:Association|gene:5133|Disease   relations (TYPE or ANY; ID, type:ID, Type or *)
  year:2018  year:2015..2020  journal:\"N Engl J Med\"  author:Smith  author:\"Smith J\"
  pubtype:Review  mh:D009369  mh:Neoplasms  source:biored/Train   metadata and provenance
  *                        every document";

/// Arguments of `ptsearch search`.
#[derive(Debug, clap::Args)]
#[command(after_help = QUERY_SYNTAX)]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces (`ptsearch search BRAF melanoma`
    /// is the query `BRAF melanoma`). Quote it when it holds shell characters (`|`, `(`, `"`).
    #[arg(required = true, num_args = 1.., value_name = "QUERY", value_parser = super::argv::query_text)]
    pub query: Vec<String>,
    /// Hits to print.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print every hit, ranked (overrides --limit).
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_parser = search_formats(), default_value = "text")]
    pub format: OutputFormat,
    /// The columns of `--format tsv`, comma-separated, in order: rank, id (or pmid), score,
    /// title, entities, year, journal, authors, abstract [default: rank,id,score,title,entities].
    #[arg(long, value_name = "LIST", value_parser = super::format::tsv_columns)]
    pub columns: Option<super::format::TsvColumns>,
    /// Count entity types and top entities over all hits.
    #[arg(long)]
    pub facets: bool,
    /// Top entities per type in facets.
    #[arg(long, default_value_t = 10)]
    pub facet_top: usize,
    /// Order of the facet values: count (most documents first), lift (most over-represented
    /// in the results against the whole index first; values in fewer than 2 hits last) or
    /// significance (G-test log-likelihood ratio against the rest of the index, highest
    /// first; each value's G and p-value are in the JSON output).
    #[arg(long, value_parser = NamedValue::<FacetSort>::new(), default_value = "count")]
    pub facet_sort: FacetSort,
    /// Also count Disease and Chemical facet values at their MeSH tree ancestors of depth N
    /// (1 = C04 Neoplasms, ...; needs a MeSH vocabulary, see `ptsearch vocab`; implies --facets).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_FACET_LEVEL as u64))]
    pub facet_level: Option<u64>,
    /// Only facet these types (repeatable).
    #[arg(long, value_parser = EntityTypeName)]
    pub facet_type: Vec<String>,
    /// What entity facets count: `document` (every matching document's entities) or
    /// `sentence` (entities in a sentence that mentions a queried entity).
    #[arg(long, value_parser = NamedValue::<FacetScope>::new(), default_value = "document")]
    pub facet_scope: FacetScope,
    /// Hit order: relevance (ties by ID), date (newest first, ties by ID) or id.
    #[arg(long, value_parser = NamedValue::<Order>::new(), default_value = "relevance")]
    pub sort: Order,
    /// When to colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show each hit's evidence sentences (the sentences holding the most query matches;
    /// JSON always carries them as `evidence`).
    #[arg(long)]
    pub evidence: bool,
}

/// Runs `ptsearch search`.
pub fn run(index_dir: &Path, args: SearchArgs) -> anyhow::Result<i32> {
    if args.columns.is_some() && args.format != OutputFormat::Tsv {
        anyhow::bail!("--columns applies to --format tsv only");
    }
    let index = PtIndex::open(index_dir)?;
    let want_facets = args.facets
        || !args.facet_type.is_empty()
        || args.facet_sort.wants_facets()
        || args.facet_scope == FacetScope::Sentence
        || args.facet_level.is_some();
    let request = SearchRequest {
        query: args.query.join(" "),
        offset: args.offset,
        limit: if args.all { None } else { Some(args.limit) },
        facets: want_facets.then(|| FacetRequest {
            top: args.facet_top,
            types: args.facet_type.clone(),
            sort: args.facet_sort,
            scope: args.facet_scope,
            level: args.facet_level.map(|n| n as usize),
        }),
        order: args.sort,
        highlights: true,
    };
    let results = ranked(&index, &request)?;
    if args.format == OutputFormat::Text {
        report_resolutions(&results);
    }
    for w in &results.summary.warnings {
        eprintln!("ptsearch: warning: {w}");
    }
    let out = BufWriter::new(std::io::stdout().lock());
    let facets_to_stderr = match args.format {
        OutputFormat::Documents(format) => {
            let source = format!("ptsearch search {}", args.query.join(" "));
            let mut sink = DocumentSink::begin(out, format, &source)?;
            for doc in results.documents() {
                sink.write(&doc?)?;
            }
            sink.finish()?;
            true
        }
        hit_format => {
            let format = match hit_format {
                OutputFormat::Json => HitFormat::Json,
                OutputFormat::Tsv => HitFormat::Tsv,
                _ => HitFormat::Text(TextStyle {
                    evidence: args.evidence,
                    ..args.color.style_for(&index)
                }),
            };
            let columns = args
                .columns
                .clone()
                .map_or(Column::DEFAULT.to_vec(), |c| c.0);
            let tsv = format == HitFormat::Tsv;
            let mut printer = HitPrinter::begin_with(out, format, &columns)?;
            for hit in results.hits() {
                printer.hit(&hit?)?;
            }
            printer.finish(&results.summary)?;
            tsv
        }
    };
    if facets_to_stderr {
        if let Some(f) = &results.summary.facets {
            text::write_facets(&mut std::io::stderr(), f, false)?;
        }
        if let Some(f) = &results.summary.tree_facets {
            text::write_tree_facets(&mut std::io::stderr(), f, false)?;
        }
        if let Some(f) = &results.summary.metadata_facets {
            text::write_meta_facets(&mut std::io::stderr(), f, false)?;
        }
    }
    if args.format == OutputFormat::Text {
        report_count(&results);
    }
    Ok(if results.summary.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NO_MATCH
    })
}

/// The resolved IDs one stderr line names (a name prefix may resolve to a hundred).
const SHOWN_RESOLVED: usize = 8;

/// `'gene:PD1' resolved to Gene:5133 (19 docs)` lines on stderr.
fn report_resolutions(results: &Ranked) {
    for r in &results.summary.resolutions {
        let ids: Vec<String> = r
            .resolved
            .iter()
            .map(|e| match e.id_documents {
                Some(all) => format!(
                    "{}:{} (the name in {} document{}; the ID in {all})",
                    e.entity_type,
                    e.id,
                    e.documents,
                    if e.documents == 1 { "" } else { "s" }
                ),
                None => format!("{}:{} ({} docs)", e.entity_type, e.id, e.documents),
            })
            .collect();
        if let Some(x) = &r.expansion {
            eprintln!("ptsearch: '{}' expanded: {x}", r.input);
            continue;
        }
        let shown = match ids.len() {
            0 => "no annotated entity of that name".to_string(),
            n if n > SHOWN_RESOLVED => format!(
                "{} and {} more (`--format json` lists them all)",
                ids[..SHOWN_RESOLVED].join(", "),
                n - SHOWN_RESOLVED
            ),
            _ => ids.join(", "),
        };
        eprintln!("ptsearch: '{}' resolved to {shown}", r.input);
    }
}

/// `12 hits, showing 1-10 (3.2 ms)` on stderr.
fn report_count(results: &Ranked) {
    let shown = if results.is_empty() {
        String::new()
    } else {
        format!(
            ", showing {}-{}",
            results.first_rank(),
            results.first_rank() + results.len() - 1
        )
    };
    let n = results.summary.total_hits;
    eprintln!(
        "{n} {}{shown} ({:.1} ms)",
        if n == 1 { "hit" } else { "hits" },
        results.summary.elapsed_ms
    );
}
