//! Facets at sentence scope (`--facet-scope sentence`, LitVar's concept filters): for every
//! hit, the entities mentioned in a sentence that also mentions a queried entity, each counted
//! once per document. Exact over every hit; each hit's stored record is read (its sentence
//! starts and annotations), so it costs more than document-scope facets, which read a column.
//! Called by [`crate::search::ranked`] in place of the document-scope entity facets.

use crate::error::Result;
use crate::index::document_values::annotation_values;
use crate::index::load_with_sentences;
use crate::index::schema::Fields;
use crate::pubtator::ids::canonical_type;
use crate::search::facets::{FacetEntity, FacetRequest, Facets, TypeFacet};
use crate::search::highlight::annotation_matches;
use crate::search::query::CompiledQuery;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tantivy::collector::DocSetCollector;
use tantivy::Searcher;

/// Per (type, ID): documents, and mention → documents.
type Counts = BTreeMap<(String, String), (u64, HashMap<String, u64>)>;

/// The entity facets of the hits of `compiled` at sentence scope, in the order and shape of
/// document-scope facets (before `finish_facets`).
pub fn sentence_facets(
    searcher: &Searcher,
    fields: &Fields,
    compiled: &CompiledQuery,
    request: &FacetRequest,
    top: usize,
) -> Result<Facets> {
    let mut docs: Vec<_> = searcher
        .search(&*compiled.query, &DocSetCollector)?
        .into_iter()
        .collect();
    docs.sort();
    let wanted: BTreeSet<String> = request.types.iter().map(|t| t.to_lowercase()).collect();
    let mut counts: Counts = BTreeMap::new();
    let mut per_type: BTreeMap<String, u64> = BTreeMap::new();
    for address in docs {
        let (doc, sentences) = load_with_sentences(searcher, fields.doc, address)?;
        // The sentences that mention a queried entity.
        let mut anchored: BTreeSet<u32> = BTreeSet::new();
        for a in &doc.annotations {
            if annotation_matches(&compiled.entities, a) {
                for s in a.spans() {
                    anchored.insert(sentences.number_at(s.passage, s.start));
                }
            }
        }
        if anchored.is_empty() {
            continue;
        }
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        let mut mentions: Vec<((String, String), String)> = Vec::new();
        let values = annotation_values(&doc);
        for (a, vals) in doc.annotations.iter().zip(values) {
            let inside = a
                .spans()
                .any(|s| anchored.contains(&sentences.number_at(s.passage, s.start)));
            let ctype = canonical_type(&a.raw_type).to_string();
            if !inside || !(wanted.is_empty() || wanted.contains(&ctype.to_lowercase())) {
                continue;
            }
            for id in vals {
                let key = (ctype.clone(), id);
                mentions.push((key.clone(), a.mention.trim().to_string()));
                seen.insert(key);
            }
        }
        let types: BTreeSet<&String> = seen.iter().map(|(t, _)| t).collect();
        for t in types {
            *per_type.entry(t.clone()).or_default() += 1;
        }
        let mut counted_mentions: BTreeSet<((String, String), String)> = BTreeSet::new();
        for (key, m) in mentions {
            if counted_mentions.insert((key.clone(), m.clone())) {
                *counts.entry(key).or_default().1.entry(m).or_default() += 1;
            }
        }
        for key in seen {
            counts.entry(key).or_default().0 += 1;
        }
    }
    Ok(assemble(counts, per_type, top))
}

/// Facets from the counts: types in canonical order then by name, values by documents.
fn assemble(counts: Counts, per_type: BTreeMap<String, u64>, top: usize) -> Facets {
    let mut by_type: BTreeMap<String, Vec<FacetEntity>> = BTreeMap::new();
    for ((t, id), (documents, mentions)) in counts {
        let mention = mentions
            .into_iter()
            .filter(|(m, _)| !m.is_empty())
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(m, _)| m);
        by_type.entry(t).or_default().push(FacetEntity {
            id,
            documents,
            mention,
            name: None,
            lift: None,
            significance: None,
            p_value: None,
            queried: false,
        });
    }
    let order = |t: &str| {
        crate::pubtator::ids::CANONICAL_TYPES
            .iter()
            .position(|c| *c == t)
            .unwrap_or(usize::MAX)
    };
    let mut out: Facets = by_type
        .into_iter()
        .map(|(t, mut values)| {
            values.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.id.cmp(&b.id)));
            values.truncate(top);
            TypeFacet {
                documents: per_type.get(&t).copied().unwrap_or(0),
                entity_type: t,
                top: values,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        order(&a.entity_type)
            .cmp(&order(&b.entity_type))
            .then_with(|| a.entity_type.cmp(&b.entity_type))
    });
    out
}
