//! `ptsearch entity ID`: one entity as the index knows it ([`entity_profiles`]): display name,
//! mention forms, document and relation counts, top co-mentioned and related entities.

use super::explore::ListFormat;
use super::{EXIT_NO_MATCH, EXIT_OK};
use crate::output::json;
use crate::output::report::{write_entity_profile, write_entity_tree};
use crate::search::entity::entity_profiles;
use crate::search::tree::entity_tree;
use crate::PtIndex;
use std::io::Write;
use std::path::Path;

/// Arguments of `ptsearch entity`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch entity 673                  an ID under every type that has it (Gene 673: BRAF)
  ptsearch entity gene:BRAF            a name, resolved like a query
  ptsearch entity MESH:D009369 --top 10 --format json
  ptsearch entity D009369 --tree       MeSH parents and children with document counts

The display name is the most used mention form that is not a generic word (a form that 3 or
more IDs of the type are also written as, like `patients` or `tumor`).")]
pub struct EntityArgs {
    /// The entity: an ID (`673`, `MESH:D009369`), `type:ID`, `type:Name` or `@TYPE_Name`.
    pub entity: String,
    /// Co-mentioned entities per type and related entities to list.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Show the MeSH tree around the entity instead: parents and children with their document
    /// counts (needs a MeSH vocabulary, see `ptsearch vocab`).
    #[arg(long)]
    pub tree: bool,
}

/// Runs `ptsearch entity`.
pub fn run(index_dir: &Path, args: EntityArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    if args.tree {
        return tree(&index, &args);
    }
    let profiles = entity_profiles(&index, &args.entity, args.top)?;
    let mut out = std::io::stdout().lock();
    for p in &profiles {
        if args.format == ListFormat::Json {
            json::write_value(&mut out, p)?;
            continue;
        }
        write_entity_profile(&mut out, p)?;
    }
    out.flush()?;
    if profiles.is_empty() {
        eprintln!(
            "ptsearch: no document is annotated with {} (try `ptsearch entities {}`)",
            args.entity, args.entity
        );
        return Ok(EXIT_NO_MATCH);
    }
    Ok(EXIT_OK)
}

/// `entity ID --tree`: the descriptor, its parents and children, with documents annotated
/// with each and with each or anything under it.
fn tree(index: &PtIndex, args: &EntityArgs) -> anyhow::Result<i32> {
    let view = entity_tree(index, &args.entity)?;
    let mut out = std::io::stdout().lock();
    if args.format == ListFormat::Json {
        json::write_value(&mut out, &view)?;
        return Ok(EXIT_OK);
    }
    write_entity_tree(&mut out, &view)?;
    Ok(EXIT_OK)
}
