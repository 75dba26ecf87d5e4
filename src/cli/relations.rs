//! `ptsearch relations ENTITY`: flags → [`RelationQuery`], then the library's exact relation
//! partners ([`relation_partners`]) printed as a table, JSON Lines or TSV.

use super::{EXIT_NO_MATCH, EXIT_OK};
use crate::output::json;
use crate::output::report::{write_partners, write_partners_tsv};
use crate::search::relation_evidence::add_evidence;
use crate::search::relations::{relation_partners_noted, RelationPartner, RelationQuery};
use crate::PtIndex;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Evidence document IDs shown per row without `--all`.
const SHOWN_IDS: usize = 5;

/// Arguments of `ptsearch relations`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch relations gene:673                          every partner of BRAF, most documents first
  ptsearch relations @DISEASE_Nephrotoxicity --partner-type Chemical
  ptsearch relations gene:BRAF --type Association --query 'year:2015..2020'
  ptsearch relations MESH:D009369 --format tsv --all > partners.tsv

A row is (relation type, partner): the partner's type, ID and display name, the number of
documents whose relation lines state it, and the first evidence document IDs (--all: every one).
Counts are exact document counts over the relation lines of the index.")]
pub struct RelationsArgs {
    /// The entity, in any query form: gene:673, gene:BRAF, @GENE_BRAF, MESH:D009369, 673.
    pub entity: String,
    /// Only this relation type (as `rel:` takes it; PubTator3 verbs such as `treat` work).
    #[arg(long = "type", value_name = "REL")]
    pub rel_type: Option<String>,
    /// Only partners of this entity type.
    #[arg(long, value_name = "TYPE", value_parser = super::format::EntityTypeName)]
    pub partner_type: Option<String>,
    /// Only relations stated in documents that match this query.
    #[arg(long, value_name = "Q", value_parser = super::argv::query_text)]
    pub query: Option<String>,
    /// Rows to print.
    #[arg(short = 'n', long, default_value_t = 20)]
    pub limit: usize,
    /// Every row, with every evidence document ID.
    #[arg(long)]
    pub all: bool,
    /// Add to each row a sentence that mentions both entities (from its evidence documents).
    #[arg(long)]
    pub evidence: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RelationsFormat::Text)]
    pub format: RelationsFormat,
}

/// Formats of `relations`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum RelationsFormat {
    /// A table.
    Text,
    /// JSON Lines: `{"type":"partner","data":...}` rows, then a summary.
    Json,
    /// Tab-separated with a header.
    Tsv,
}

/// The summary line of the JSON output.
#[derive(Serialize)]
struct Summary<'a> {
    entity: &'a str,
    total_partners: usize,
    returned: usize,
    elapsed_ms: f64,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// Runs `ptsearch relations`.
pub fn run(index_dir: &Path, args: RelationsArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let index = PtIndex::open(index_dir)?;
    let q = RelationQuery {
        entity: args.entity.clone(),
        rel_type: args.rel_type.clone(),
        partner_type: args.partner_type.clone(),
        max_documents: if args.all { usize::MAX } else { SHOWN_IDS },
        query: args.query.clone(),
        named: (!args.all).then_some(args.limit),
    };
    let (mut partners, notes) = relation_partners_noted(&index, &q)?;
    if args.evidence {
        let n = if args.all {
            partners.len()
        } else {
            partners.len().min(args.limit)
        };
        add_evidence(&index, &mut partners[..n])?;
    }
    let shown: &[RelationPartner] = if args.all {
        &partners
    } else {
        &partners[..partners.len().min(args.limit)]
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        RelationsFormat::Json => {
            for p in shown {
                json::write_value(&mut out, &serde_json::json!({"type": "partner", "data": p}))?;
            }
            let summary = Summary {
                entity: &args.entity,
                total_partners: partners.len(),
                returned: shown.len(),
                elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
                warnings: &notes,
            };
            json::write_value(
                &mut out,
                &serde_json::json!({"type": "summary", "data": summary}),
            )?;
        }
        RelationsFormat::Tsv => write_partners_tsv(&mut out, shown, args.evidence)?,
        RelationsFormat::Text => write_partners(&mut out, shown, partners.len())?,
    }
    out.flush()?;
    if args.format != RelationsFormat::Json {
        for n in &notes {
            eprintln!("ptsearch: warning: {n}");
        }
    }
    if partners.is_empty() && args.format == RelationsFormat::Text {
        eprintln!(
            "ptsearch: no relation line of the index involves {}",
            args.entity
        );
    }
    Ok(if partners.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_OK
    })
}
