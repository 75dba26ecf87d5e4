//! `ptsearch entity ID`: one entity as the index knows it ([`entity_profiles`]): display name,
//! mention forms, document and relation counts, top co-mentioned and related entities.

use super::explore::ListFormat;
use super::{EXIT_NO_MATCH, EXIT_OK};
use crate::output::json;
use crate::search::entity::entity_profiles;
use crate::search::tree::{entity_tree, TreeNode};
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
        writeln!(
            out,
            "{} {}  {}{}",
            p.entity_type,
            p.id,
            p.name.as_deref().unwrap_or("(no mention)"),
            p.full_name
                .as_deref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default()
        )?;
        writeln!(
            out,
            "  {} documents, {} with a relation line; query: {}:{}",
            p.documents,
            p.relation_documents,
            p.entity_type.to_lowercase(),
            p.id
        )?;
        let forms: Vec<String> = p
            .mentions
            .iter()
            .map(|(m, n)| format!("{m} ({n})"))
            .collect();
        writeln!(out, "  written as: {}", forms.join(", "))?;
        if p.co_mentioned.iter().any(|f| !f.top.is_empty()) {
            writeln!(out, "  co-mentioned (documents):")?;
            for f in p.co_mentioned.iter().filter(|f| !f.top.is_empty()) {
                let top: Vec<String> = f
                    .top
                    .iter()
                    .map(|e| {
                        let name = e.mention.as_deref().unwrap_or("");
                        format!(
                            "{}:{} {name} ({})",
                            f.entity_type.to_lowercase(),
                            e.id,
                            e.documents
                        )
                    })
                    .collect();
                writeln!(out, "    {:<10} {}", f.entity_type, top.join(", "))?;
            }
        }
        if !p.related.is_empty() {
            writeln!(out, "  related (documents):")?;
            for r in &p.related {
                writeln!(
                    out,
                    "    {:<22} {}:{} {} ({})",
                    r.rel_type,
                    r.target.entity_type.to_lowercase(),
                    r.target.id,
                    r.name.as_deref().unwrap_or(""),
                    r.documents
                )?;
            }
        }
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
    let line = |n: &TreeNode| {
        format!(
            "{} {}  [{}]  {} documents, {} with narrower; query: disease:{} or chemical:{}",
            n.id,
            n.name,
            n.trees.join(", "),
            n.documents,
            n.with_narrower,
            n.id,
            n.id
        )
    };
    writeln!(out, "{}", line(&view.node))?;
    writeln!(out, "  parents:")?;
    for p in &view.parents {
        writeln!(out, "    {}", line(p))?;
    }
    writeln!(out, "  children:")?;
    for c in &view.children {
        writeln!(out, "    {}", line(c))?;
    }
    Ok(EXIT_OK)
}
