//! The BioC layout of a [`Document`], shared by the XML ([`super::xml`]) and JSON
//! ([`super::json`]) writers: passages with document-level offsets, annotations placed in
//! their passage, bulk concepts as document infons, relations with nodes (see the mapping in
//! [`super`]).

use super::{CONCEPT_INFON_PREFIX, EXTRA_INFON_PREFIX, UNRESOLVED_INFON};
use crate::pubtator::ids::split_ids;
use crate::pubtator::layers::{annotation_sources, relation_sources};
use crate::pubtator::{Annotation, Document, Metadata, PassageKind, Span};
use std::borrow::Cow;
use std::collections::HashMap;

/// Key/value pairs in order.
pub(super) type Infons<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

pub(super) struct OutAnnotation<'a> {
    pub id: String,
    pub infons: Infons<'a>,
    pub location: (u64, u64),
    /// Further locations of a discontinuous mention (document offsets, lengths).
    pub more: Vec<(u64, u64)>,
    pub text: Cow<'a, str>,
}

pub(super) struct OutPassage<'a> {
    pub infons: Infons<'a>,
    pub offset: u64,
    pub text: &'a str,
    pub annotations: Vec<OutAnnotation<'a>>,
}

pub(super) struct OutRelation<'a> {
    pub id: String,
    pub infons: Infons<'a>,
    /// (refid, role).
    pub nodes: Vec<(String, &'static str)>,
}

pub(super) struct OutDocument<'a> {
    pub id: &'a str,
    /// The bulk concepts ([`CONCEPT_INFON_PREFIX`]).
    pub infons: Infons<'a>,
    pub passages: Vec<OutPassage<'a>>,
    /// Only for documents without passages.
    pub annotations: Vec<OutAnnotation<'a>>,
    pub relations: Vec<OutRelation<'a>>,
}

/// Offsets are written as numbers every BioC reader parses (ours reads `i64`).
fn clamp(n: u64) -> u64 {
    n.min(i64::MAX as u64)
}

/// Document-level offsets and char lengths of every passage.
struct Geometry {
    offsets: Vec<u64>,
    lens: Vec<u64>,
}

impl Geometry {
    fn of(doc: &Document) -> Geometry {
        let lens: Vec<u64> = doc
            .passages
            .iter()
            .map(|p| p.text.chars().count() as u64)
            .collect();
        let mut offsets = Vec::with_capacity(lens.len());
        let mut next = 0u64;
        for len in &lens {
            offsets.push(next);
            next = next.saturating_add(*len).saturating_add(1);
        }
        Geometry { offsets, lens }
    }

    /// (passage, document offset, length) of a span, when its passage exists.
    fn place(&self, s: Span) -> Option<(usize, u64, u64)> {
        let p = s.passage as usize;
        (p < self.offsets.len() && s.start <= s.end).then(|| {
            (
                p,
                self.offsets[p].saturating_add(u64::from(s.start)),
                u64::from(s.end - s.start),
            )
        })
    }
}

pub(super) fn layout(doc: &Document) -> OutDocument<'_> {
    let geo = Geometry::of(doc);
    let mut passages = out_passages(doc, &geo);
    if let Some(first) = passages.first_mut() {
        first.infons.extend(metadata_infons(&doc.meta));
    }
    let mut doc_level = Vec::new();
    let sources = annotation_sources(doc);
    for (i, a) in doc.annotations.iter().enumerate() {
        let source = sources.get(i).copied().unwrap_or("");
        let (target, out) = out_annotation(doc, &geo, i, a, source);
        match passages.get_mut(target) {
            Some(p) => p.annotations.push(out),
            None => doc_level.push(out),
        }
    }
    OutDocument {
        id: &doc.id,
        infons: concept_infons(doc),
        passages,
        annotations: doc_level,
        relations: out_relations(doc),
    }
}

fn out_passages<'a>(doc: &'a Document, geo: &Geometry) -> Vec<OutPassage<'a>> {
    doc.passages
        .iter()
        .zip(&geo.offsets)
        .map(|(p, &offset)| {
            let kind = match p.kind {
                PassageKind::Title => "title",
                PassageKind::Abstract => "abstract",
            };
            let mut infons: Infons<'_> = Vec::new();
            match &p.section {
                Some(s) => {
                    infons.push((Cow::Borrowed("type"), s.as_str().into()));
                    infons.push((Cow::Borrowed("section_type"), s.as_str().into()));
                }
                None => infons.push((Cow::Borrowed("type"), kind.into())),
            }
            OutPassage {
                infons,
                offset: clamp(offset),
                text: &p.text,
                annotations: Vec::new(),
            }
        })
        .collect()
}

/// Annotation `i` of `doc` and the passage it goes in (past the last one: document level).
fn out_annotation<'a>(
    doc: &'a Document,
    geo: &Geometry,
    i: usize,
    a: &'a Annotation,
    source: &'a str,
) -> (usize, OutAnnotation<'a>) {
    let mut infons: Infons<'_> = vec![(Cow::Borrowed("type"), a.raw_type.as_str().into())];
    if let Some(id) = &a.raw_id {
        infons.push((Cow::Borrowed("identifier"), id.as_str().into()));
    }
    if !source.is_empty() {
        infons.push((Cow::Borrowed("source"), source.into()));
    }
    for (n, x) in a.extra.iter().enumerate() {
        infons.push((
            Cow::Owned(format!("{EXTRA_INFON_PREFIX}{}", n + 1)),
            x.into(),
        ));
    }
    let length = a.end.saturating_sub(a.start);
    let placed = a.span.and_then(|s| geo.place(s)).or_else(|| {
        // Record-local offsets made document-level, in a passage of the record.
        let first = doc.passages.iter().position(|p| p.block == a.block)?;
        let start = geo.offsets[first].saturating_add(a.start);
        let end = start.saturating_add(length);
        doc.passages
            .iter()
            .enumerate()
            .find(|(j, p)| {
                p.block == a.block
                    && geo.offsets[*j] <= start
                    && end <= geo.offsets[*j].saturating_add(geo.lens[*j])
            })
            .map(|(j, _)| (j, start, length))
    });
    let (target, offset, length) = match placed {
        Some(x) => x,
        None => {
            if !doc.passages.is_empty() {
                infons.push((Cow::Borrowed(UNRESOLVED_INFON), "true".into()));
            }
            (0, a.start, length)
        }
    };
    let out = OutAnnotation {
        id: format!("T{i}"),
        infons,
        location: (clamp(offset), clamp(length)),
        more: a
            .more
            .iter()
            .filter_map(|m| geo.place(*m))
            .map(|(_, at, len)| (clamp(at), clamp(len)))
            .collect(),
        text: a.mention.as_str().into(),
    };
    (target, out)
}

/// PubTator3 bulk concepts: document infons in the bulk row layout.
fn concept_infons(doc: &Document) -> Infons<'_> {
    doc.concepts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let value = format!(
                "{}\t{}\t{}\t{}",
                c.raw_type,
                if c.ids.is_empty() {
                    "-".to_string()
                } else {
                    c.ids.join(";")
                },
                c.mentions.join("|"),
                c.resources.join("|")
            );
            (
                Cow::Owned(format!("{CONCEPT_INFON_PREFIX}{}", i + 1)),
                Cow::Owned(value),
            )
        })
        .collect()
}

/// Relations with their nodes: the first annotation carrying each argument.
fn out_relations(doc: &Document) -> Vec<OutRelation<'_>> {
    let mut by_raw: HashMap<&str, usize> = HashMap::new();
    let mut by_split: HashMap<String, usize> = HashMap::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        if let Some(id) = a.raw_id.as_deref() {
            by_raw.entry(id.trim()).or_insert(i);
            for s in split_ids(id) {
                by_split.entry(s).or_insert(i);
            }
        }
    }
    let carrier = |arg: &str| -> Option<usize> {
        by_raw
            .get(arg.trim())
            .copied()
            .or_else(|| split_ids(arg).iter().find_map(|s| by_split.get(s).copied()))
    };
    let relation_sources = relation_sources(doc);
    doc.relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut infons: Infons<'_> = vec![
                (Cow::Borrowed("type"), r.rel_type.as_str().into()),
                (Cow::Borrowed("entity1"), r.args[0].as_str().into()),
                (Cow::Borrowed("entity2"), r.args[1].as_str().into()),
            ];
            if let Some(n) = &r.novelty {
                infons.push((Cow::Borrowed("novel"), n.as_str().into()));
            }
            if let Some(source) = relation_sources.get(i).filter(|s| !s.is_empty()) {
                infons.push((Cow::Borrowed("source"), (*source).into()));
            }
            if let [t1, t2] = r.arg_types.as_slice() {
                // PubTator3's typed roles, for relations from its bulk files.
                infons.push((Cow::Borrowed("role1"), format!("{t1}|{}", r.args[0]).into()));
                infons.push((Cow::Borrowed("role2"), format!("{t2}|{}", r.args[1]).into()));
            }
            let nodes = r
                .args
                .iter()
                .zip(["Arg1", "Arg2"])
                .filter_map(|(arg, role)| carrier(arg).map(|t| (format!("T{t}"), role)))
                .collect();
            OutRelation {
                id: format!("R{i}"),
                infons,
                nodes,
            }
        })
        .collect()
}

/// The bibliographic metadata as PubTator3 writes it on the title passage: `journal` (a
/// citation, `N Engl J Med. 2012 Jul 12.`, with ` doi: ...` after a date), `year`, `authors`
/// (`Smith J, Doe A`), plus `article-id_doi` and `article-id_pmc` (as PMC exports name them).
/// Our reader ([`crate::interop::read_bioc_xml`]) reads these back.
fn metadata_infons(m: &Metadata) -> Infons<'_> {
    let mut out: Infons<'_> = Vec::new();
    if let Some(j) = &m.journal {
        let mut citation = format!("{}.", j.trim().trim_end_matches('.'));
        if let Some(when) = citation_date(m) {
            citation.push(' ');
            citation.push_str(&when);
            citation.push('.');
            if let Some(doi) = &m.doi {
                citation.push_str(" doi: ");
                citation.push_str(doi);
                citation.push('.');
            }
        }
        out.push((Cow::Borrowed("journal"), Cow::Owned(citation)));
    }
    if let Some(y) = m.year {
        out.push((Cow::Borrowed("year"), Cow::Owned(y.to_string())));
    }
    if !m.authors.is_empty() {
        out.push((Cow::Borrowed("authors"), Cow::Owned(m.authors.join(", "))));
    }
    if let Some(doi) = &m.doi {
        out.push((Cow::Borrowed("article-id_doi"), doi.as_str().into()));
    }
    if let Some(pmc) = &m.pmcid {
        out.push((Cow::Borrowed("article-id_pmc"), pmc.as_str().into()));
    }
    out
}

/// The date of a citation (`2012 Jul 12`, `2012 Jul`, `2012`) from the metadata's date
/// (`2012-07-12`, `2012-07`, `2012`, or a `MedlineDate` as written) or year.
fn citation_date(m: &Metadata) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some(d) = m.date.as_deref() else {
        return m.year.map(|y| y.to_string());
    };
    let parts: Vec<&str> = d.split('-').collect();
    let numeric = parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !numeric || parts.len() > 3 || parts.first().is_none_or(|y| y.len() != 4) {
        return Some(d.to_string());
    }
    let month = parts
        .get(1)
        .and_then(|p| p.parse::<usize>().ok())
        .and_then(|n| MONTHS.get(n.checked_sub(1)?));
    let day = parts.get(2).and_then(|p| p.parse::<u8>().ok());
    Some(match (month, day) {
        (Some(mo), Some(day)) => format!("{} {mo} {day}", parts[0]),
        (Some(mo), None) => format!("{} {mo}", parts[0]),
        _ => parts[0].to_string(),
    })
}
