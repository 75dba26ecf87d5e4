//! Human-readable output: one block per hit (rank, score, ID, title, fragments, the queried
//! entities found, `Journal · year` under the title), facet tables (a histogram of years), and
//! whole documents with their metadata for `show`.

use super::mark::{render, type_color, Mark, BOLD, DIM, RESET};
use super::style::{entity_url, link, wrap, TextStyle};
use crate::names::counted;
use crate::pubtator::ids::canonical_type;
use crate::pubtator::{Concept, DisplayField, Document};
use crate::search::facets::{Facets, MetaFacet};
use crate::search::highlight::{entity_spans, HighlightSpan};
use crate::search::query::clause;
use crate::search::Hit;
use std::collections::BTreeSet;
use std::io::{self, Write};

fn marks_in<'a>(
    spans: &'a [HighlightSpan],
    field: DisplayField,
    from: usize,
    to: usize,
) -> Vec<Mark<'a>> {
    spans
        .iter()
        .filter(|s| s.field == field && s.start >= from && s.end <= to)
        .map(|s| Mark {
            start: s.start - from,
            end: s.end - from,
            span: s,
            dim: false,
        })
        .collect()
}

/// The evidence sentences of a hit, each with its ID and its matches marked.
fn write_evidence<W: Write>(w: &mut W, hit: &Hit, style: &TextStyle) -> io::Result<()> {
    let (d, r) = if style.color { (DIM, RESET) } else { ("", "") };
    for e in &hit.evidence {
        let spans: Vec<HighlightSpan> = e
            .spans
            .iter()
            .map(|s| HighlightSpan {
                field: DisplayField::Abstract,
                start: s.start - e.start as usize,
                end: s.end - e.start as usize,
                text: s.text.clone(),
                kind: s.kind,
                entity_type: s.entity_type.clone(),
                entity_id: s.entity_id.clone(),
            })
            .collect();
        let mut marks = marks_in(&spans, DisplayField::Abstract, 0, usize::MAX);
        let text = render(&e.text, &mut marks, style.color).replace('\n', " ");
        let line = format!("{d}evidence {}:{r} {text}", e.id);
        writeln!(w, "{}", wrap(&line, INDENT, style.width))?;
    }
    Ok(())
}

/// Indent of the lines under a hit's rank.
const INDENT: &str = "   ";

/// Writes one hit.
pub fn write_hit<W: Write>(w: &mut W, hit: &Hit, style: &TextStyle) -> io::Result<()> {
    let (doc, hl, rank, score) = (&hit.document, &hit.highlights, hit.rank, hit.score);
    let color = style.color;
    let (b, r, d) = if color {
        (BOLD, RESET, DIM)
    } else {
        ("", "", "")
    };
    let id = link(&doc.id, style.pubmed_url(doc).as_deref(), style.links);
    writeln!(w, "{b}{rank}. {id}{r}  {d}score {score:.3}{r}")?;
    let line = |text: &str| wrap(text, INDENT, style.width);
    let title = doc.title();
    if doc.passages.is_empty() {
        writeln!(w, "{}", line(&format!("{d}{NO_TEXT}{r}")))?;
    } else {
        let mut marks = marks_in(&hl.spans, DisplayField::Title, 0, usize::MAX);
        writeln!(w, "{}", line(&render(title, &mut marks, color)))?;
    }
    if let Some(c) = citation(doc) {
        writeln!(w, "{}", line(&format!("{d}{c}{r}")))?;
    }
    let body_chars = if hl.fragments.is_empty() {
        0
    } else {
        doc.body().chars().count()
    };
    for f in &hl.fragments {
        let mut marks = marks_in(&hl.spans, DisplayField::Abstract, f.start, f.end);
        let text = render(&f.text, &mut marks, color).replace('\n', " ");
        // An ellipsis where the abstract goes on.
        let open = if f.start == 0 { "" } else { "…" };
        let close = if f.end >= body_chars { "" } else { "…" };
        writeln!(w, "{}", line(&format!("{d}{open}{r}{text}{d}{close}{r}")))?;
    }
    if style.evidence {
        write_evidence(w, hit, style)?;
    }
    let found = hit.entities();
    if !found.is_empty() {
        let parts: Vec<String> = found
            .iter()
            .map(|e| {
                let (c, r) = if color {
                    (type_color(&e.entity_type), RESET)
                } else {
                    ("", "")
                };
                let id = link(
                    &e.id,
                    entity_url(&e.entity_type, &e.id).as_deref(),
                    style.links,
                );
                format!(
                    "{c}{} {id}{r} \"{}\" ×{}",
                    e.entity_type, e.text, e.mentions
                )
            })
            .collect();
        writeln!(
            w,
            "{}",
            line(&format!("{d}entities:{r} {}", parts.join(", ")))
        )?;
    }
    let matched = hit.matched_relations();
    if !matched.is_empty() {
        const SHOWN: usize = 5;
        let mut parts: Vec<String> = matched
            .iter()
            .take(SHOWN)
            .map(|m| m.describe(doc))
            .collect();
        if matched.len() > SHOWN {
            parts.push(format!("... {} more", matched.len() - SHOWN));
        }
        writeln!(
            w,
            "{}",
            line(&format!("{d}relations:{r} {}", parts.join("; ")))
        )?;
    }
    if !doc.concepts.is_empty() {
        const SHOWN: usize = 6;
        let mut parts: Vec<String> = doc
            .concepts
            .iter()
            .take(SHOWN)
            .map(|c| concept_label(c, color))
            .collect();
        if doc.concepts.len() > SHOWN {
            parts.push(format!("+{} more", doc.concepts.len() - SHOWN));
        }
        writeln!(
            w,
            "{}",
            line(&format!("{d}bulk concepts:{r} {}", parts.join(", ")))
        )?;
    }
    writeln!(w)
}

/// `Journal · year` (or the one of them that is known).
pub fn citation(doc: &Document) -> Option<String> {
    let m = &doc.meta;
    match (m.journal.as_deref(), m.year) {
        (Some(j), Some(y)) => Some(format!("{j} · {y}")),
        (Some(j), None) => Some(j.to_string()),
        (None, Some(y)) => Some(y.to_string()),
        (None, None) => None,
    }
}

/// Writes the metadata facets: years as a histogram, the others as counts.
pub fn write_meta_facets<W: Write>(w: &mut W, facets: &[MetaFacet], color: bool) -> io::Result<()> {
    let (b, r) = if color { (BOLD, RESET) } else { ("", "") };
    for f in facets {
        writeln!(w, "{b}{}{r}: {}", f.field, counted(f.documents, "document"))?;
        let max = f.values.iter().map(|v| v.1).max().unwrap_or(1).max(1);
        for (value, n) in &f.values {
            if f.field == "year" {
                let bar = "█".repeat(((n * 40).div_ceil(max)) as usize);
                writeln!(w, "  {value:>6} {n:>8}  {bar}")?;
            } else {
                writeln!(w, "  {n:>8}  {}", clause(&f.field, value))?;
            }
        }
    }
    Ok(())
}

/// Tree facets (`--facet-level N`): per type, the ancestors with their documents and the
/// clause that searches each (exploded).
pub fn write_tree_facets<W: Write>(
    w: &mut W,
    facets: &[crate::search::tree::TreeFacet],
    color: bool,
) -> io::Result<()> {
    let (b, r) = if color { (BOLD, RESET) } else { ("", "") };
    for f in facets {
        writeln!(w, "{b}{} tree, level {}{r}:", f.entity_type, f.level)?;
        for v in &f.values {
            writeln!(w, "  {:>8}  {:<24}  {}", v.documents, v.clause, v.name)?;
        }
    }
    Ok(())
}

/// The metadata block of `show`: citation, authors, types, MeSH, identifiers, sources.
fn write_metadata<W: Write>(w: &mut W, doc: &Document) -> io::Result<()> {
    let m = &doc.meta;
    if let Some(c) = citation(doc) {
        match &m.date {
            Some(date) if m.year.is_some() => writeln!(w, "{c} ({date})")?,
            _ => writeln!(w, "{c}")?,
        }
    }
    if !m.authors.is_empty() {
        writeln!(w, "authors: {}", m.authors.join(", "))?;
    }
    if !m.pubtypes.is_empty() {
        writeln!(w, "publication types: {}", m.pubtypes.join(", "))?;
    }
    if !m.mesh.is_empty() {
        let mesh: Vec<String> = m
            .mesh
            .iter()
            .map(|h| format!("{}{} {}", if h.major { "*" } else { "" }, h.ui, h.name))
            .collect();
        writeln!(w, "MeSH: {}", mesh.join("; "))?;
    }
    if let Some(doi) = &m.doi {
        writeln!(w, "doi: {doi}")?;
    }
    if let Some(pmc) = &m.pmcid {
        writeln!(w, "pmcid: {pmc}")?;
    }
    if !doc.layers.is_empty() {
        let sources: Vec<&str> = doc.layers.iter().map(|l| l.source.as_str()).collect();
        writeln!(w, "sources: {}", sources.join(", "))?;
    }
    Ok(())
}

/// Shown instead of the title of an entity-only document.
const NO_TEXT: &str = "(no text indexed for this ID: PubTator3 bulk rows only)";

/// `Gene 1756;1757 "DMD", "dystrophin"` (coloured by type).
fn concept_label(c: &Concept, color: bool) -> String {
    let t = canonical_type(&c.raw_type);
    let (k, r) = if color {
        (type_color(t), RESET)
    } else {
        ("", "")
    };
    let ids = if c.ids.is_empty() {
        "-".to_string()
    } else {
        c.ids.join(";")
    };
    let mentions: Vec<String> = c.mentions.iter().map(|m| format!("\"{m}\"")).collect();
    format!("{k}{t} {ids}{r} {}", mentions.join(", "))
}

/// Writes facet counts.
pub fn write_facets<W: Write>(w: &mut W, facets: &Facets, color: bool) -> io::Result<()> {
    for t in facets {
        let (c, r) = if color {
            (type_color(&t.entity_type), RESET)
        } else {
            ("", "")
        };
        writeln!(
            w,
            "{c}{}{r}: {}",
            t.entity_type,
            counted(t.documents, "document")
        )?;
        for e in &t.top {
            let m = e.label().unwrap_or("");
            // The value as a clause to paste into the next query, its lift, and a mark on the
            // query's own entities.
            let lift = e.lift.map(|l| format!("×{l:.1}")).unwrap_or_default();
            let queried = if e.queried { "  (in the query)" } else { "" };
            writeln!(
                w,
                "  {:>8}  {:<30} {lift:<7} {m}{queried}",
                e.documents,
                clause(&t.entity_type, &e.id)
            )?;
        }
    }
    Ok(())
}

/// Writes a whole document with every annotation marked and its relations listed.
pub fn write_document<W: Write>(w: &mut W, doc: &Document, style: &TextStyle) -> io::Result<()> {
    let color = style.color;
    let (b, r) = if color { (BOLD, RESET) } else { ("", "") };
    let spans: Vec<HighlightSpan> = entity_spans(doc, &BTreeSet::new())
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let id = link(&doc.id, style.pubmed_url(doc).as_deref(), style.links);
    writeln!(w, "{b}{id}{r}")?;
    if doc.passages.is_empty() {
        writeln!(w, "{NO_TEXT}")?;
    }
    let mut marks = marks_in(&spans, DisplayField::Title, 0, usize::MAX);
    let title = render(doc.title(), &mut marks, color);
    writeln!(w, "{}", wrap(&format!("{b}{title}{r}"), "", style.width))?;
    write_metadata(w, doc)?;
    let body = doc.body();
    if !body.is_empty() {
        let mut marks = marks_in(&spans, DisplayField::Abstract, 0, usize::MAX);
        // Passages stay on lines of their own; each is filled to the width.
        for passage in render(&body, &mut marks, color).split('\n') {
            writeln!(w, "{}", wrap(passage, "", style.width))?;
        }
    }
    if !doc.annotations.is_empty() {
        writeln!(
            w,
            "\nannotations ({}; character offsets in the title or abstract, as in JSON; `file`: \
             offsets as written, the mention was not found in the text):",
            doc.annotations.len()
        )?;
        let fields = doc.passage_fields();
        let sources = crate::pubtator::layers::annotation_sources(doc);
        let layered = !doc.layers.is_empty();
        for (a, source) in doc.annotations.iter().zip(sources) {
            let t = canonical_type(&a.raw_type);
            let (c, r) = if color {
                (type_color(t), RESET)
            } else {
                ("", "")
            };
            let sub = if t != a.raw_type {
                format!(" ({})", a.raw_type)
            } else {
                String::new()
            };
            let at = match a.span.and_then(|s| {
                let (field, base) = fields.get(s.passage as usize).copied()?;
                Some((
                    field,
                    base as u64 + u64::from(s.start),
                    base as u64 + u64::from(s.end),
                ))
            }) {
                Some((field, s, e)) => format!("{:<8} {s:>5}-{e:<5}", field.name()),
                None => format!("{:<8} {:>5}-{:<5}", "file", a.start, a.end),
            };
            let source = if layered {
                format!("  [{source}]")
            } else {
                String::new()
            };
            writeln!(
                w,
                "  {at} {c}{t}{sub}{r}  {}  \"{}\"{source}",
                a.raw_id
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or("-"),
                a.mention
            )?;
        }
    }
    if !doc.concepts.is_empty() {
        writeln!(w, "\nbulk concepts ({}):", doc.concepts.len())?;
        for c in &doc.concepts {
            writeln!(
                w,
                "  {}  [{}]",
                concept_label(c, color),
                c.resources.join(", ")
            )?;
        }
    }
    if !doc.relations.is_empty() {
        writeln!(w, "\nrelations ({}):", doc.relations.len())?;
        for rel in &doc.relations {
            let novelty = rel
                .novelty
                .as_deref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default();
            writeln!(
                w,
                "  {}  {} — {}{novelty}",
                rel.rel_type, rel.args[0], rel.args[1]
            )?;
        }
    }
    Ok(())
}
