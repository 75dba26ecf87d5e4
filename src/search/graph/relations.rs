//! Relation edges for [`super::build_graph`]: two chosen entities are joined when a relation
//! line of a hit relates them. Read from the directed `rel_partner` terms (one term range per
//! chosen entity, written at ingest by [`crate::index::relterms`]) with their postings kept
//! to the hits, so no stored document is read; a relation is stored in both directions, and
//! documents are counted once per pair (and once per pair and relation type).

use super::count::SegmentHits;
use crate::error::{Error, Result};
use crate::index::relterms::{parse_partner_term, partner_prefix};
use crate::index::PtIndex;
use std::collections::{BTreeMap, HashMap};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

/// Per pair of node indices (see [`super::count::pair_key`]): per relation type, the hits
/// stating it (sorted, distinct).
pub(crate) type RelationDocs = HashMap<u64, BTreeMap<String, Vec<DocAddress>>>;

/// Above this many chosen entities, relation edges come from one sequential pass over each
/// segment's whole `rel_partner` dictionary instead of one term range per entity (a range
/// seek costs about as much as reading a few hundred terms in order). The BC5CDR test of
/// `tests/it/graph` takes both paths (`*`: 1,328 entities; `hypertension`: 145).
const RANGES_UP_TO: usize = 1000;

/// The relation documents among the hits between the chosen nodes, given as
/// `(type, id)` → node index.
pub(crate) fn relation_docs(
    searcher: &Searcher,
    index: &PtIndex,
    hits: &[SegmentHits],
    nodes: &HashMap<(String, String), u32>,
) -> Result<RelationDocs> {
    let mut out: RelationDocs = HashMap::new();
    for seg in hits {
        if seg.docs.is_empty() {
            continue;
        }
        let reader = searcher.segment_reader(seg.segment);
        let mut hit = vec![false; reader.max_doc() as usize];
        for &d in &seg.docs {
            if let Some(h) = hit.get_mut(d as usize) {
                *h = true;
            }
        }
        let inverted = reader.inverted_index(index.fields.rel_partner)?;
        let mut take = |key: &[u8], info: &tantivy::postings::TermInfo| -> Result<()> {
            let Some((rel_type, from, to)) =
                std::str::from_utf8(key).ok().and_then(parse_partner_term)
            else {
                return Ok(());
            };
            let (Some(&source), Some(&target)) = (
                nodes.get(&(from.entity_type, from.id)),
                nodes.get(&(to.entity_type, to.id)),
            ) else {
                return Ok(());
            };
            if source == target {
                return Ok(());
            }
            let mut postings = inverted
                .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                .map_err(|e| Error::io("relation partner postings", e))?;
            let mut docs = Vec::new();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if hit.get(doc as usize).copied().unwrap_or(false) {
                    docs.push(DocAddress::new(seg.segment, doc));
                }
                doc = postings.advance();
            }
            if !docs.is_empty() {
                out.entry(super::count::pair_key(source, target))
                    .or_default()
                    .entry(rel_type.to_string())
                    .or_default()
                    .extend(docs);
            }
            Ok(())
        };
        let stream_err = |e| Error::io("relation partner terms", e);
        if nodes.len() > RANGES_UP_TO {
            let mut terms = inverted.terms().stream().map_err(stream_err)?;
            while terms.advance() {
                take(terms.key(), terms.value())?;
            }
            continue;
        }
        for (entity_type, id) in nodes.keys() {
            let prefix = partner_prefix(entity_type, &id.to_lowercase());
            let mut end = prefix.as_bytes().to_vec();
            if let Some(last) = end.last_mut() {
                *last += 1; // the prefix ends with the separator \0
            }
            let mut terms = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(&end)
                .into_stream()
                .map_err(stream_err)?;
            while terms.advance() {
                take(terms.key(), terms.value())?;
            }
        }
    }
    for by_type in out.values_mut() {
        for docs in by_type.values_mut() {
            docs.sort_unstable();
            docs.dedup();
        }
    }
    Ok(out)
}
