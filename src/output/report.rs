//! Text renderers of the read side's reports, beside the hit renderers of [`super::text`]:
//! index statistics ([`write_stats`]), the index check ([`write_check`]), entity profiles and
//! MeSH tree views ([`write_entity_profile`], [`write_entity_tree`]) and relation partners
//! ([`write_partners`], [`write_partners_tsv`]). The CLI prints them; any other door can.

use super::tsv::field as tsv;
use crate::index::check::CheckReport;
use crate::index::commit::iso8601_utc;
use crate::index::stats::IndexStats;
use crate::search::entity::EntityProfile;
use crate::search::relations::RelationPartner;
use crate::search::tree::{TreeNode, TreeView};
use std::io::{self, Write};

/// `ptsearch stats` as text: the index at `location`, its documents, annotations per type,
/// relations per type, inputs and per-source layers.
pub fn write_stats<W: Write>(out: &mut W, location: &str, s: &IndexStats) -> io::Result<()> {
    writeln!(out, "index:          {location}")?;
    writeln!(out, "schema version: {}", s.schema_version)?;
    writeln!(out, "documents:      {}", s.documents)?;
    writeln!(out, "segments:       {}", s.segments)?;
    writeln!(
        out,
        "size on disk:   {:.1} MB",
        s.bytes_on_disk as f64 / 1e6
    )?;
    writeln!(
        out,
        "annotations:    {}",
        s.annotations.values().sum::<u64>()
    )?;
    for (t, n) in &s.annotations {
        let ids = s.distinct_ids.get(t).copied().unwrap_or(0);
        writeln!(out, "  {t:<22} {n:>10}  ({ids} distinct IDs)")?;
    }
    if !s.concepts.is_empty() {
        let total: u64 = s.concepts.values().sum();
        writeln!(out, "bulk concepts:  {total}")?;
        for (t, n) in &s.concepts {
            writeln!(out, "  {t:<22} {n:>10}")?;
        }
    }
    writeln!(out, "relations:      {}", s.relations.values().sum::<u64>())?;
    for (t, n) in &s.relations {
        writeln!(out, "  {t:<22} {n:>10}")?;
    }
    writeln!(out, "sources:")?;
    let (read, empty): (Vec<_>, Vec<_>) = s.sources.iter().partition(|s| s.documents > 0);
    for src in read {
        let size = src
            .size
            .map(|b| format!("{:.1} MB", b as f64 / 1e6))
            .unwrap_or_else(|| "?".into());
        writeln!(
            out,
            "  {}  {size}  {} docs  (indexed {})",
            src.path,
            src.documents,
            iso8601_utc(src.indexed_at)
        )?;
    }
    if !empty.is_empty() {
        let names: Vec<&str> = empty.iter().map(|s| s.path.as_str()).collect();
        writeln!(out, "skipped inputs (no documents): {}", names.join(", "))?;
    }
    if !s.per_source.is_empty() {
        writeln!(
            out,
            "annotation layers ({} documents with more than one source):",
            s.multi_source_documents
        )?;
        for (name, c) in &s.per_source {
            let ids = if s.local_id_sources.contains(name) {
                "  (local IDs)"
            } else {
                ""
            };
            writeln!(
                out,
                "  {name:<30} {:>9} docs {:>10} annotations {:>9} relations{ids}",
                c.documents, c.annotations, c.relations
            )?;
        }
    }
    Ok(())
}

/// `ptsearch check` as text: what was checked, each problem, and the verdict.
pub fn write_check<W: Write>(out: &mut W, report: &CheckReport) -> io::Result<()> {
    writeln!(
        out,
        "{} segments, {} documents checked, {} annotation spans checked, {} orphan files ({} bytes)",
        report.segments,
        report.documents_checked,
        report.annotations_checked,
        report.orphan_files.len(),
        report.orphan_bytes
    )?;
    for p in &report.problems {
        writeln!(out, "problem: {p}")?;
    }
    let verdict = if report.ok() {
        "index OK"
    } else {
        "index has problems"
    };
    writeln!(out, "{verdict}")
}

/// One entity profile (`ptsearch entity`): name, documents, mention forms, co-mentioned and
/// related entities.
pub fn write_entity_profile<W: Write>(out: &mut W, p: &EntityProfile) -> io::Result<()> {
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
        "  {}, {} with a relation line; query: {}:{}",
        crate::names::counted(p.documents, "document"),
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
                    let name = e.label().unwrap_or("");
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
    Ok(())
}

/// A MeSH descriptor with its parents and children (`ptsearch entity ID --tree`).
pub fn write_entity_tree<W: Write>(out: &mut W, view: &TreeView) -> io::Result<()> {
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
    Ok(())
}

/// Relation partners as aligned text (`ptsearch relations`), with a line saying how many
/// rows of `total` were shown.
pub fn write_partners<W: Write>(
    out: &mut W,
    shown: &[RelationPartner],
    total: usize,
) -> io::Result<()> {
    for p in shown {
        let more = if p.documents > p.ids.len() {
            ", ..."
        } else {
            ""
        };
        writeln!(
            out,
            "{:<22} {:<9} {:<18} {:<28} {:>6} docs  {}{more}",
            p.rel_type,
            p.target.entity_type,
            p.target.id,
            p.name.as_deref().unwrap_or("-"),
            p.documents,
            p.ids.join(", ")
        )?;
        if let Some(e) = &p.evidence {
            writeln!(out, "    {}: {}", e.id, e.text)?;
        }
    }
    if total > shown.len() {
        writeln!(
            out,
            "({} of {total} rows; -n N or --all for more)",
            shown.len()
        )?;
    }
    Ok(())
}

/// Relation partners as TSV with a header, with the evidence sentence's columns when
/// `evidence`.
pub fn write_partners_tsv<W: Write>(
    out: &mut W,
    shown: &[RelationPartner],
    evidence: bool,
) -> io::Result<()> {
    writeln!(
        out,
        "relation\tentity_type\tentity_id\tpartner_type\tpartner_id\tpartner_name\tdocuments\tdocument_ids{}",
        if evidence { "\tevidence_id\tevidence" } else { "" }
    )?;
    for p in shown {
        write!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            tsv(&p.rel_type),
            tsv(&p.source.entity_type),
            tsv(&p.source.id),
            tsv(&p.target.entity_type),
            tsv(&p.target.id),
            tsv(p.name.as_deref().unwrap_or("")),
            p.documents,
            p.ids.join(",")
        )?;
        if evidence {
            let (id, text) = p
                .evidence
                .as_ref()
                .map_or(("", ""), |e| (e.id.as_str(), e.text.as_str()));
            write!(out, "\t{}\t{}", tsv(id), tsv(text))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
