//! The BioC data both readers fill (XML and JSON alike) and its conversion to a
//! [`Document`]: passages and blocks, offsets, identifier infons and relations. Pure; never
//! panics on any input.

use super::bioc_meta::infon;
use super::bioc_write::CONCEPT_INFON_PREFIX;
use super::placement::Placer;
use super::pubtator3_tsv::{parse_tsv_line, TsvKind, TsvRow};
use super::{BiocStats, Item};
use crate::pubtator::{Annotation, Concept, Document, Passage, PassageKind, Relation};
use std::collections::HashMap;

/// One BioC document as read, before conversion.
#[derive(Debug, Default)]
pub(crate) struct RawDoc {
    pub id: Option<String>,
    /// 1-based line where the document starts.
    pub line: u64,
    pub passages: Vec<RawPassage>,
    /// Document-level annotations (offsets are searched among all passages).
    pub annotations: Vec<RawAnn>,
    /// Relations of every level (document, passage, sentence).
    pub relations: Vec<RawRel>,
    /// Annotation and relation ids (any level), for node refids that point to relations.
    pub relation_ids: Vec<String>,
    /// Problems the reader found inside the document (bad numbers and the like).
    pub problems: Vec<(u64, String)>,
    /// Document infons (bulk concepts written by ptsearch).
    pub infons: Vec<(String, String)>,
}

/// One BioC passage as read.
#[derive(Debug, Default)]
pub(crate) struct RawPassage {
    pub offset: Option<i64>,
    pub text: Option<String>,
    pub infons: Vec<(String, String)>,
    /// Sentences (offset, text), used when the passage itself has no text.
    pub sentences: Vec<(Option<i64>, String)>,
    /// Annotations of the passage and of its sentences.
    pub annotations: Vec<RawAnn>,
}

/// One BioC annotation as read; `locations` are (offset, length) as written.
#[derive(Debug, Default)]
pub(crate) struct RawAnn {
    pub id: Option<String>,
    pub infons: Vec<(String, String)>,
    pub locations: Vec<(i64, i64)>,
    pub text: String,
    pub line: u64,
}

/// One BioC relation as read; `nodes` are (refid, role).
#[derive(Debug, Default)]
pub(crate) struct RawRel {
    pub id: Option<String>,
    pub infons: Vec<(String, String)>,
    pub nodes: Vec<(String, String)>,
    pub line: u64,
}

/// Infon names that carry an annotation's concept ID, in order of preference (compared
/// ignoring case, with `_` and spaces treated alike).
const ID_INFONS: [&str; 12] = [
    "identifier",
    "ncbi gene",
    "ncbi taxonomy",
    "mesh",
    "cellosaurus",
    "omim",
    "chebi",
    "tmvar",
    "normalized_id",
    "normalizedid",
    "concept_id",
    "id",
];

/// The concept ID of an annotation, from the first identifier-like infon.
pub(crate) fn concept_id(infons: &[(String, String)]) -> Option<String> {
    ID_INFONS
        .iter()
        .find_map(|name| infon(infons, name))
        .map(one_line)
}

/// The (HomoloGene group, gene) pair of a gene annotation whose `ncbi_homologene` infon and
/// identifier are both single numbers (PubTator3 writes both for genes it normalized).
fn homologene_pair(infons: &[(String, String)], raw_type: &str) -> Option<(u64, u64)> {
    if crate::pubtator::ids::canonical_type(raw_type) != "Gene" {
        return None;
    }
    let group = infon(infons, "ncbi_homologene")?.trim().parse().ok()?;
    let gene = concept_id(infons)?.trim().parse().ok()?;
    Some((group, gene))
}

/// Newlines, carriage returns and tabs become spaces: same char count, one PubTator line.
pub(crate) fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r', '\t']) {
        s.replace(['\n', '\r', '\t'], " ")
    } else {
        s.to_string()
    }
}

/// Text of a passage without its own text: sentences placed at their offsets, gaps filled
/// with spaces (overlapping sentences are appended directly).
fn text_from_sentences(passage_offset: i64, sentences: &[(Option<i64>, String)]) -> String {
    let mut out = String::new();
    let mut len: i64 = 0;
    for (off, text) in sentences {
        if let Some(off) = off {
            let want = off.saturating_sub(passage_offset);
            // A gap is filled up to a sane size; a broken offset must not allocate gigabytes.
            let want = want.min(len.saturating_add(1 << 20));
            while len < want {
                out.push(' ');
                len += 1;
            }
        }
        out.push_str(text);
        len += text.chars().count() as i64;
    }
    out
}

/// Converts one read document; problems go to `on_item` before the document.
pub(crate) fn convert(raw: RawDoc, stats: &mut BiocStats, on_item: &mut dyn FnMut(Item)) {
    let RawDoc {
        id,
        line,
        passages: raw_passages,
        annotations: doc_annotations,
        relations,
        relation_ids,
        problems,
        infons,
    } = raw;
    let id = id.map(|s| s.trim().to_string()).unwrap_or_default();
    if id.is_empty() || id.contains(|c: char| c.is_whitespace() || c == '|') {
        on_item(Item::Problem {
            line,
            message: format!(
                "document with a missing or unusable id '{id}' (empty, whitespace or '|'); skipped"
            ),
        });
        return;
    }
    for (l, message) in problems {
        on_item(Item::Problem {
            line: l,
            message: format!("document {id}: {message}"),
        });
    }

    let meta = super::bioc_meta::metadata(
        &infons,
        raw_passages.first().map_or(&[][..], |p| &p.infons[..]),
    );
    let (passages, offsets, mut nested) = convert_passages(raw_passages);
    nested.extend(doc_annotations.into_iter().map(|a| (None, a)));

    // Annotation id → concept ID, for relation nodes.
    let ann_ids: HashMap<String, Option<String>> = nested
        .iter()
        .filter_map(|(_, a)| a.id.clone().map(|k| (k, concept_id(&a.infons))))
        .collect();

    let mut placer = Placer::new(&passages, &offsets);
    let mut annotations = Vec::new();
    let mut homologene = Vec::new();
    let concepts = bulk_concepts(&id, &infons, line, on_item);
    for (pi, ann) in nested {
        let aid = ann.id.as_deref().unwrap_or("?");
        let Some(raw_type) = infon(&ann.infons, "type").map(one_line) else {
            on_item(Item::Problem {
                line: ann.line,
                message: format!("document {id}: annotation {aid} has no type infon; dropped"),
            });
            continue;
        };
        if ann.locations.is_empty() {
            on_item(Item::Problem {
                line: ann.line,
                message: format!("document {id}: annotation {aid} has no location; dropped"),
            });
            continue;
        }
        homologene.extend(homologene_pair(&ann.infons, &raw_type));
        annotations.push(place_annotation(&mut placer, pi, &ann, raw_type, stats));
    }
    if !homologene.is_empty() {
        homologene.sort_unstable();
        homologene.dedup();
        on_item(Item::Homologene(homologene));
    }

    let mut rels = Vec::new();
    for rel in relations {
        match resolve_relation(&rel, &ann_ids, &relation_ids) {
            Ok(r) => rels.push(r),
            Err(why) => on_item(Item::Problem {
                line: rel.line,
                message: format!(
                    "document {id}: relation {}: {why}; dropped",
                    rel.id.as_deref().unwrap_or("?")
                ),
            }),
        }
    }
    stats.documents += 1;
    on_item(Item::Document(Box::new(Document {
        id,
        passages,
        annotations,
        relations: rels,
        concepts,
        meta,
        layers: Vec::new(),
    })));
}

/// Passages with their texts and document offsets, and every passage's annotations with the
/// passage they are nested in.
#[allow(clippy::type_complexity)]
fn convert_passages(
    raw: Vec<RawPassage>,
) -> (Vec<Passage>, Vec<i64>, Vec<(Option<usize>, RawAnn)>) {
    let n = raw.len();
    let mut passages = Vec::with_capacity(n);
    let mut offsets = Vec::with_capacity(n);
    let mut next_offset: i64 = 0;
    let mut nested = Vec::new();
    for (i, rp) in raw.into_iter().enumerate() {
        let offset = rp.offset.unwrap_or(next_offset);
        let text = match rp.text {
            Some(t) if !t.is_empty() || rp.sentences.is_empty() => t,
            _ => text_from_sentences(offset, &rp.sentences),
        };
        let text = one_line(&text);
        next_offset = offset.saturating_add(text.chars().count() as i64 + 1);
        let section = infon(&rp.infons, "section_type")
            .or_else(|| infon(&rp.infons, "type"))
            .map(one_line);
        let (kind, block) = match (n, i) {
            (2, 1) => (PassageKind::Abstract, 0),
            _ => (PassageKind::Title, i as u32),
        };
        passages.push(Passage {
            kind,
            block,
            text,
            section,
        });
        offsets.push(offset);
        nested.extend(rp.annotations.into_iter().map(|a| (Some(i), a)));
    }
    (passages, offsets, nested)
}

/// One typed annotation with locations, placed in the passages. Contiguous locations are one
/// span; a discontinuous mention is one annotation located at each of its pieces (the first
/// placed piece is its span and record offsets), with the whole mention text.
fn place_annotation(
    placer: &mut Placer<'_>,
    nested_in: Option<usize>,
    ann: &RawAnn,
    raw_type: String,
    stats: &mut BiocStats,
) -> Annotation {
    let mention = one_line(&ann.text);
    let locs = &ann.locations;
    let contiguous = locs
        .windows(2)
        .all(|w| w[1].0 >= w[0].0 && w[1].0 <= w[0].0.saturating_add(w[0].1));
    let ((block, start, end, span, mention), more) = if contiguous {
        let (first, last) = (locs[0], locs[locs.len() - 1]);
        let end = last
            .0
            .saturating_add(last.1)
            .max(first.0.saturating_add(first.1));
        let len = end.saturating_sub(first.0);
        let placed = placer.place(
            nested_in,
            first.0,
            len,
            Some(mention.as_str()),
            &mention,
            stats,
        );
        (placed, Vec::new())
    } else {
        stats.split_locations += locs.len() as u64 - 1;
        let mut placed: Vec<_> = locs
            .iter()
            .map(|&(o, l)| placer.place(nested_in, o, l, None, &mention, stats))
            .collect();
        let main = placed.iter().position(|p| p.3.is_some()).unwrap_or(0);
        let (block, start, end, span, _) = placed.remove(main);
        let more = match span {
            Some(_) => placed.into_iter().filter_map(|p| p.3).collect(),
            None => Vec::new(),
        };
        ((block, start, end, span, mention), more)
    };
    Annotation {
        block,
        start,
        end,
        mention,
        raw_type,
        raw_id: concept_id(&ann.infons),
        extra: Vec::new(),
        span,
        more,
    }
}

/// The PubTator3 bulk concepts our BioC writers store in document infons
/// ([`CONCEPT_INFON_PREFIX`]); an unreadable one is reported and dropped.
fn bulk_concepts(
    id: &str,
    infons: &[(String, String)],
    line: u64,
    on_item: &mut dyn FnMut(Item),
) -> Vec<Concept> {
    let mut out = Vec::new();
    for (key, value) in infons {
        if !key.starts_with(CONCEPT_INFON_PREFIX) {
            continue;
        }
        match parse_tsv_line(&format!("{id}\t{value}"), TsvKind::Entity) {
            Ok(TsvRow::Entity {
                entity_type,
                ids,
                mentions,
                resource,
                ..
            }) => out.push(Concept {
                raw_type: entity_type,
                ids,
                mentions,
                resources: resource,
            }),
            Ok(TsvRow::Relation { .. }) => {}
            Err(why) => on_item(Item::Problem {
                line,
                message: format!("document {id}: infon {key}: {why}; dropped"),
            }),
        }
    }
    out
}

/// The ID in a `role1`/`role2`-style value: what follows the first `|` (`Gene|5133` → `5133`).
fn after_type(v: &str) -> &str {
    v.split_once('|').map_or(v, |(_, id)| id).trim()
}

/// Resolves a relation's two arguments: `role1`/`role2` infons, then pairs of infons
/// (`entity1`/`entity2`, `Gene1`/`Gene2`, `Chemical`/`Disease`), then nodes (annotation refids,
/// a PubTator3 `role="12,7"` annotation pair, or refids that are IDs themselves).
fn resolve_relation(
    rel: &RawRel,
    ann_ids: &HashMap<String, Option<String>>,
    relation_ids: &[String],
) -> Result<Relation, String> {
    let rel_type = ["type", "relation_type", "relation"]
        .iter()
        .find_map(|k| infon(&rel.infons, k))
        .map(one_line)
        .ok_or_else(|| "no type infon".to_string())?;
    let novelty = ["novel", "novelty"]
        .iter()
        .find_map(|k| infon(&rel.infons, k))
        .map(one_line);
    let pair = |a: &str, b: &str| Some((infon(&rel.infons, a)?, infon(&rel.infons, b)?));
    // PubTator3's `role1`/`role2` name the argument types (`Gene|5133`).
    let arg_types: Vec<String> = pair("role1", "role2")
        .and_then(|(a, b)| Some([a.split_once('|')?.0, b.split_once('|')?.0]))
        .filter(|t| t.iter().all(|x| !x.trim().is_empty()))
        .map(|t| t.iter().map(|x| one_line(x.trim())).collect())
        .unwrap_or_default();
    let from_infons = pair("role1", "role2")
        .map(|(a, b)| (after_type(a), after_type(b)))
        .or_else(|| pair("entity1", "entity2"))
        .or_else(|| pair("gene1", "gene2"))
        .or_else(|| pair("arg1", "arg2"))
        .or_else(|| pair("chemical", "disease"));
    let args: Vec<String> = if let Some((a, b)) = from_infons {
        vec![a.to_string(), b.to_string()]
    } else {
        let node = |refid: &str| -> Result<String, String> {
            match ann_ids.get(refid) {
                Some(Some(cid)) => Ok(cid.clone()),
                Some(None) => Err(format!(
                    "node {refid} points to an annotation without identifier"
                )),
                None if relation_ids.iter().any(|r| r == refid) => {
                    Err(format!("node {refid} points to a relation"))
                }
                None => Ok(refid.trim().to_string()),
            }
        };
        match rel.nodes.as_slice() {
            [(_, role)]
                if role.split(',').count() == 2
                    && role.split(',').all(|r| ann_ids.contains_key(r.trim())) =>
            {
                role.split(',')
                    .map(|r| node(r.trim()))
                    .collect::<Result<_, _>>()?
            }
            [(a, _), (b, _)] => vec![node(a)?, node(b)?],
            nodes => return Err(format!("{} arguments, need 2", nodes.len())),
        }
    };
    match <[String; 2]>::try_from(args) {
        Ok(args) if args.iter().all(|a| !a.is_empty()) => Ok(Relation {
            rel_type,
            args: args.map(|a| one_line(&a)),
            novelty,
            arg_types,
        }),
        _ => Err("an empty argument".to_string()),
    }
}
