//! `ptsearch search`: flags → [`SearchRequest`], run, print hits in the chosen format.

use super::{ColorChoice, EXIT_NO_MATCH, EXIT_OK};
use crate::output::json::SummaryData;
use crate::output::{bioc, json, jsonl, text, tsv};
use crate::pubtator::write::write_document;
use crate::search::facets::FacetRequest;
use crate::search::highlight::highlight;
use crate::search::{search, SearchRequest};
use crate::PtIndex;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Output formats of `search`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum SearchFormat {
    /// Readable blocks (coloured on a terminal).
    Text,
    /// JSON Lines: hit lines then a summary line.
    Json,
    /// Tab-separated, with a header.
    Tsv,
    /// The matching documents as PubTator.
    Pubtator,
    /// The matching documents, one JSON object each (ranked).
    Jsonl,
    /// The matching documents as a BioC XML collection (ranked).
    Biocxml,
    /// The matching documents as a BioC JSON collection (ranked).
    Biocjson,
}

/// Arguments of `ptsearch search`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Query syntax (AND is the default operator):
  BRAF melanoma            words in title, abstract or mentions (title weighs more)
  \"immune checkpoint\"      a phrase           title:cancer  abstract:x  mention:x
  a OR b, NOT x, -x, ( )   boolean logic       word^2        boost a clause
  gene:5133  disease:D009369  chemical:MESH:D008012  species:9606  variant:rs113488022
  cellline:CVCL_0030  id:X (any type)  type:Gene (any gene)  pmid:31554797
  gene:PD1  @GENE_PDCD1    names are resolved to IDs via the index's mention dictionary
  rel:Association|gene:5133|Disease   relations (TYPE or ANY; ID, type:ID, Type or *)
  *                        every document")]
pub struct SearchArgs {
    /// The query.
    pub query: String,
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
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
    /// Count entity types and top entities over all hits.
    #[arg(long)]
    pub facets: bool,
    /// Top entities per type in facets.
    #[arg(long, default_value_t = 10)]
    pub facet_top: usize,
    /// Only facet these types (repeatable).
    #[arg(long)]
    pub facet_type: Vec<String>,
    /// When to colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Runs `ptsearch search`.
pub fn run(index_dir: &Path, args: SearchArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let want_facets = args.facets || !args.facet_type.is_empty();
    let request = SearchRequest {
        query: args.query.clone(),
        offset: args.offset,
        limit: if args.all { None } else { Some(args.limit) },
        facets: want_facets.then(|| FacetRequest {
            top: args.facet_top,
            types: args.facet_type.clone(),
        }),
    };
    let results = search(&index, &request)?;
    let color = args.color.enabled() && args.format == SearchFormat::Text;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.format == SearchFormat::Text {
        for r in &results.compiled.resolutions {
            let ids: Vec<String> = r
                .resolved
                .iter()
                .map(|e| format!("{}:{} ({} docs)", e.entity_type, e.id, e.documents))
                .collect();
            let shown = if ids.is_empty() {
                "no annotated entity of that name".to_string()
            } else {
                ids.join(", ")
            };
            eprintln!("ptsearch: '{}' resolved to {shown}", r.input);
        }
    }
    if args.format == SearchFormat::Tsv {
        tsv::write_header(&mut out)?;
    }
    match args.format {
        SearchFormat::Biocxml | SearchFormat::Biocjson => {
            let source = format!("ptsearch search {}", args.query);
            if args.format == SearchFormat::Biocxml {
                let mut w = bioc::BiocXmlWriter::new(&mut out, &source)?;
                for hit in &results.hits {
                    w.write_document(&results.load(hit)?)?;
                }
                w.finish()?;
            } else {
                let mut w = bioc::BiocJsonWriter::new(&mut out, &source)?;
                for hit in &results.hits {
                    w.write_document(&results.load(hit)?)?;
                }
                w.finish()?;
            }
        }
        _ => {
            for (i, hit) in results.hits.iter().enumerate() {
                let rank = results.first_rank + i;
                let doc = results.load(hit)?;
                match args.format {
                    SearchFormat::Pubtator => write_document(&mut out, &doc)?,
                    SearchFormat::Jsonl => jsonl::write_document(&mut out, &doc)?,
                    format => {
                        let hl = highlight(&doc, &results.compiled);
                        match format {
                            SearchFormat::Json => {
                                json::write_hit(&mut out, rank, hit.score, &doc, &hl)?
                            }
                            SearchFormat::Tsv => {
                                tsv::write_hit(&mut out, rank, hit.score, &doc, &hl)?
                            }
                            _ => text::write_hit(&mut out, rank, hit.score, &doc, &hl, color)?,
                        }
                    }
                }
            }
        }
    }
    let elapsed_ms = results.elapsed.as_secs_f64() * 1000.0;
    match args.format {
        SearchFormat::Json => {
            let summary = SummaryData {
                query: &args.query,
                total_hits: results.total_hits,
                returned: results.hits.len(),
                offset: args.offset,
                elapsed_ms,
                facets: results.facets.as_ref(),
                resolutions: &results.compiled.resolutions,
            };
            json::write_summary(&mut out, &summary)?;
        }
        SearchFormat::Text => {
            if let Some(f) = &results.facets {
                text::write_facets(&mut out, f, color)?;
            }
            let shown = if results.hits.is_empty() {
                String::new()
            } else {
                format!(
                    ", showing {}-{}",
                    results.first_rank,
                    results.first_rank + results.hits.len() - 1
                )
            };
            out.flush()?;
            eprintln!("{} hits{shown} ({elapsed_ms:.1} ms)", results.total_hits);
        }
        SearchFormat::Tsv
        | SearchFormat::Pubtator
        | SearchFormat::Jsonl
        | SearchFormat::Biocxml
        | SearchFormat::Biocjson => {
            if let Some(f) = &results.facets {
                out.flush()?;
                let mut err = std::io::stderr();
                text::write_facets(&mut err, f, false)?;
            }
        }
    }
    out.flush()?;
    Ok(if results.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NO_MATCH
    })
}
