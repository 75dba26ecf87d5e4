//! Sentence edges (`graph --edges sentence`): two entities are joined when one sentence
//! mentions both. Each hit's stored record gives its annotations and sentence starts; an
//! annotation's values are those of the `facet` column (`index::document_values`), so nodes
//! and edges speak of the same entities; a pair counts once per document.

use super::count::{doc_pairs, take_pairs, NodeCounts, PairMap};
use crate::error::Result;
use crate::index::document_values::annotation_values;
use crate::index::load_with_sentences;
use crate::index::schema::Fields;
use crate::pubtator::ids::canonical_type;
use std::collections::{BTreeMap, HashMap};
use tantivy::{DocAddress, Searcher};

/// Walks the hits once in `order` (`count::ordered_hits`): each document's sentences give
/// groups of chosen entities, whose pairs are counted in `map` (as `count::count_pairs` does
/// with one group per document).
pub(crate) fn count_sentence_pairs(
    searcher: &Searcher,
    fields: &Fields,
    order: &[DocAddress],
    counts: &NodeCounts,
    node_of_entity: &[u32],
    types: &[String],
    map: &mut PairMap,
) -> Result<()> {
    // (type, ID) → node, for the chosen entities.
    let mut node: HashMap<(&str, &str), u32> = HashMap::new();
    for (((t, id), _), &n) in counts.entities.iter().zip(node_of_entity) {
        if n != u32::MAX {
            if let Some(name) = types.get(*t) {
                node.insert((name.as_str(), id.as_str()), n);
            }
        }
    }
    let mut pairs = Vec::new();
    for (i, &address) in order.iter().enumerate() {
        let (document, sentences) = load_with_sentences(searcher, fields.doc, address)?;
        let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (a, values) in document
            .annotations
            .iter()
            .zip(annotation_values(&document))
        {
            let ctype = canonical_type(&a.raw_type);
            let chosen: Vec<u32> = values
                .iter()
                .filter_map(|v| node.get(&(ctype, v.as_str())).copied())
                .collect();
            if chosen.is_empty() {
                continue;
            }
            for s in a.spans() {
                groups
                    .entry(sentences.number_at(s.passage, s.start))
                    .or_default()
                    .extend(&chosen);
            }
        }
        let groups: Vec<Vec<u32>> = groups
            .into_values()
            .map(|mut g| {
                g.sort_unstable();
                g.dedup();
                g
            })
            .filter(|g| g.len() >= 2)
            .collect();
        if groups.is_empty() {
            continue;
        }
        doc_pairs(&groups, &mut pairs);
        take_pairs(map, i as u32, &pairs);
    }
    Ok(())
}
