//! Exact counting for [`super::build_graph`], over every hit and from fast columns only: the
//! hits' documents per segment ([`hit_documents`]), documents per entity from the `facet`
//! column ([`count_nodes`]), and documents per pair of chosen entities ([`count_pairs`]).
//! A document gives its pairs through groups of co-occurring entities ([`doc_pairs`]): today
//! one group per document (co-mention); sentence groups slot in there once the index records
//! sentence boundaries, and a pair still counts once per document.

use crate::error::Result;
use crate::index::terms::facet_reader;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Searcher, SegmentOrdinal, SegmentReader};

/// The hits of one segment, in document order.
pub(crate) struct SegmentHits {
    /// The segment's ordinal in the searcher.
    pub segment: SegmentOrdinal,
    /// Its matching live documents, ascending.
    pub docs: Vec<DocId>,
}

/// Collects every matching document, per segment (no score, no stored document).
struct HitCollector;

/// Per-segment part of [`HitCollector`].
struct HitSegment(SegmentHits);

impl SegmentCollector for HitSegment {
    type Fruit = SegmentHits;
    fn collect(&mut self, doc: DocId, _score: tantivy::Score) {
        self.0.docs.push(doc);
    }
    fn harvest(self) -> SegmentHits {
        self.0
    }
}

impl Collector for HitCollector {
    type Fruit = Vec<SegmentHits>;
    type Child = HitSegment;
    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<HitSegment> {
        Ok(HitSegment(SegmentHits {
            segment,
            docs: Vec::new(),
        }))
    }
    fn requires_scoring(&self) -> bool {
        false
    }
    fn merge_fruits(&self, fruits: Vec<SegmentHits>) -> tantivy::Result<Vec<SegmentHits>> {
        Ok(fruits)
    }
}

/// Every document matching `query`, per segment.
pub(crate) fn hit_documents(searcher: &Searcher, query: &dyn Query) -> Result<Vec<SegmentHits>> {
    Ok(searcher.search(query, &HitCollector)?)
}

/// The `facet` column value of an entity: `Type\0ID` (see `index::document`).
pub(crate) fn facet_key(entity_type: &str, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(entity_type.len() + id.len() + 1);
    k.extend_from_slice(entity_type.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

/// `[start, end)` ordinals of each type's `Type\0…` values in a segment's facet dictionary,
/// with the ordinal of the type's own `Type\0` marker (not an entity) when present.
fn type_ranges(reader: &FacetReader, types: &[String]) -> Result<Vec<(u64, u64, Option<u64>)>> {
    let num = reader.num_facets() as u64;
    let bound = |key: &[u8]| -> Result<(u64, bool)> {
        Ok(
            match reader
                .facet_dict()
                .term_ord_or_next(key)
                .map_err(|e| crate::Error::io("facet dictionary", e))?
            {
                tantivy::columnar::TermOrdHit::Exact(o) => (o.min(num), o < num),
                tantivy::columnar::TermOrdHit::Next(o) => (o.min(num), false),
            },
        )
    };
    let mut out = Vec::with_capacity(types.len());
    for t in types {
        let (start, marker) = bound(&facet_key(t, ""))?;
        let mut end_key = t.as_bytes().to_vec();
        end_key.push(1);
        let (end, _) = bound(&end_key)?;
        out.push((start, end, marker.then_some(start)));
    }
    Ok(out)
}

/// What [`count_nodes`] found: every entity of the hits with its documents, and where each
/// is in every segment's facet dictionary (so later passes need no dictionary lookup).
pub(crate) struct NodeCounts {
    /// Every counted entity: (type index, ID) and its documents among the hits.
    pub entities: Vec<((usize, String), u64)>,
    /// Per segment of the hits (same order): (facet ordinal, entity index) of its entities.
    pub ords: Vec<Vec<(u64, u32)>>,
}

/// Documents per (type index, ID) over the hits, for the entities of `types`.
pub(crate) fn count_nodes(
    searcher: &Searcher,
    hits: &[SegmentHits],
    types: &[String],
) -> Result<NodeCounts> {
    let mut index: HashMap<(usize, String), u32> = HashMap::new();
    let mut out = NodeCounts {
        entities: Vec::new(),
        ords: Vec::with_capacity(hits.len()),
    };
    for seg in hits {
        let mut seg_ords: Vec<(u64, u32)> = Vec::new();
        let reader = searcher.segment_reader(seg.segment);
        let Some(facets) = facet_reader(reader)? else {
            out.ords.push(seg_ords);
            continue;
        };
        let ranges = type_ranges(&facets, types)?;
        // Type of each ordinal in the asked ranges (u16::MAX: not asked, or a marker).
        let mut type_of = vec![u16::MAX; facets.num_facets()];
        for (t, (a, b, marker)) in ranges.iter().enumerate() {
            for o in *a..*b {
                if Some(o) != *marker {
                    type_of[o as usize] = t as u16;
                }
            }
        }
        let mut by_ord = vec![0u32; facets.num_facets()];
        for &doc in &seg.docs {
            for ord in facets.facet_ords(doc) {
                if type_of.get(ord as usize).is_some_and(|t| *t != u16::MAX) {
                    by_ord[ord as usize] += 1;
                }
            }
        }
        let ords: Vec<u64> = (0u64..)
            .zip(&by_ord)
            .filter(|(_, n)| **n > 0)
            .map(|(o, _)| o)
            .collect();
        let mut next = ords.iter();
        facets
            .facet_dict()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                let Some(&ord) = next.next() else { return };
                let t = usize::from(type_of[ord as usize]);
                let id = bytes
                    .iter()
                    .position(|b| *b == 0)
                    .map_or(&[][..], |p| &bytes[p + 1..]);
                if id.is_empty() || id.contains(&0) {
                    return;
                }
                let key = (t, String::from_utf8_lossy(id).into_owned());
                let n = u64::from(by_ord[ord as usize]);
                let e = *index.entry(key).or_insert_with_key(|key| {
                    out.entities.push((key.clone(), 0));
                    (out.entities.len() - 1) as u32
                });
                out.entities[e as usize].1 += n;
                seg_ords.push((ord, e));
            })
            .map_err(|e| crate::Error::io("facet dictionary", e))?;
        out.ords.push(seg_ords);
    }
    Ok(out)
}

/// The key of the unordered pair of node indices `a != b`: the smaller index in the high half.
pub(crate) fn pair_key(a: u32, b: u32) -> u64 {
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    (u64::from(x) << 32) | u64::from(y)
}

/// The two node indices of a pair key.
pub(crate) fn pair_nodes(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// The distinct pairs one document gives: every pair of distinct entities inside one of its
/// `groups` (each group a set of node indices), each pair once however many groups hold it.
pub(crate) fn doc_pairs(groups: &[Vec<u32>], out: &mut Vec<u64>) {
    out.clear();
    for g in groups {
        for (i, &a) in g.iter().enumerate() {
            for &b in &g[i + 1..] {
                if a != b {
                    out.push(pair_key(a, b));
                }
            }
        }
    }
    if groups.len() > 1 {
        out.sort_unstable();
        out.dedup();
    }
}

/// What [`count_pairs`] does with each pair of a document.
pub(crate) enum PairSink<'a> {
    /// Counts documents per pair.
    Count(&'a mut HashMap<u64, u64>),
    /// Offers the document as evidence of the pairs in the map (edge index → its list).
    Evidence {
        /// Pair key → edge index.
        edges: &'a HashMap<u64, usize>,
        /// Per edge, its evidence so far.
        evidence: &'a mut [Evidence],
        /// The `id_num` sort keys, per segment.
        keys: &'a IdKeys,
    },
}

/// Walks the hits once: each document's groups of chosen entities (`node_of` maps an entity
/// of `counts` to its node, `u32::MAX` when it is not one) give its pairs, handed to `sink`.
pub(crate) fn count_pairs(
    searcher: &Searcher,
    hits: &[SegmentHits],
    counts: &NodeCounts,
    node_of_entity: &[u32],
    mut sink: PairSink<'_>,
) -> Result<()> {
    let mut groups: Vec<Vec<u32>> = vec![Vec::new()];
    let mut pairs: Vec<u64> = Vec::new();
    for (seg, seg_ords) in hits.iter().zip(&counts.ords) {
        let reader = searcher.segment_reader(seg.segment);
        let Some(facets) = facet_reader(reader)? else {
            continue;
        };
        // The chosen node of each of this segment's ordinals.
        let mut node_of = vec![u32::MAX; facets.num_facets()];
        for &(ord, e) in seg_ords {
            if let (Some(slot), Some(&n)) = (
                node_of.get_mut(ord as usize),
                node_of_entity.get(e as usize),
            ) {
                *slot = n;
            }
        }
        for &doc in &seg.docs {
            let g = &mut groups[0];
            g.clear();
            g.extend(
                facets
                    .facet_ords(doc)
                    .filter_map(|o| node_of.get(o as usize).copied())
                    .filter(|n| *n != u32::MAX),
            );
            if g.len() < 2 {
                continue;
            }
            doc_pairs(&groups, &mut pairs);
            sink.take(DocAddress::new(seg.segment, doc), &pairs);
        }
    }
    Ok(())
}

impl PairSink<'_> {
    /// Takes the distinct pairs of the document at `address`.
    pub(crate) fn take(&mut self, address: DocAddress, pairs: &[u64]) {
        match self {
            PairSink::Count(counts) => {
                for p in pairs {
                    *counts.entry(*p).or_default() += 1;
                }
            }
            PairSink::Evidence {
                edges,
                evidence,
                keys,
            } => {
                let key = keys.key(address);
                for p in pairs {
                    if let Some(&e) = edges.get(p) {
                        evidence[e].offer(key, address);
                    }
                }
            }
        }
    }
}

/// The `id_num` column of every segment: documents sort by it (then by address) for evidence.
pub(crate) struct IdKeys(Vec<Option<tantivy::columnar::Column<u64>>>);

impl IdKeys {
    /// The columns of `searcher`'s segments.
    pub(crate) fn new(searcher: &Searcher) -> IdKeys {
        IdKeys(
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().u64("id_num").ok())
                .collect(),
        )
    }

    /// The sort key of a document: its numeric ID (`u64::MAX` for other IDs), then where it is.
    pub(crate) fn key(&self, a: DocAddress) -> (u64, u32, u32) {
        let n = self
            .0
            .get(a.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|c| c.first(a.doc_id))
            .unwrap_or(u64::MAX);
        (n, a.segment_ord, a.doc_id)
    }
}

/// Evidence documents kept per edge.
pub const EVIDENCE: usize = 3;

/// The first [`EVIDENCE`] documents of an edge in document-ID order, kept while walking.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence(Vec<((u64, u32, u32), DocAddress)>);

impl Evidence {
    /// Keeps `address` if it sorts among the first [`EVIDENCE`].
    pub(crate) fn offer(&mut self, key: (u64, u32, u32), address: DocAddress) {
        if self.0.len() == EVIDENCE && self.0.last().is_some_and(|l| l.0 <= key) {
            return;
        }
        let at = self.0.partition_point(|(k, _)| *k < key);
        if self.0.get(at).is_some_and(|(k, _)| *k == key) {
            return;
        }
        self.0.insert(at, (key, address));
        self.0.truncate(EVIDENCE);
    }

    /// The kept documents, first ID first.
    pub(crate) fn addresses(&self) -> impl Iterator<Item = DocAddress> + '_ {
        self.0.iter().map(|(_, a)| *a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_counts_once_per_document_whatever_its_groups() {
        let mut out = Vec::new();
        doc_pairs(&[vec![0, 1, 2]], &mut out);
        let mut got: Vec<(u32, u32)> = out.iter().map(|k| pair_nodes(*k)).collect();
        got.sort_unstable();
        assert_eq!(got, vec![(0, 1), (0, 2), (1, 2)]);
        // Two sentences both naming 0 and 1 still give the pair once; 2 and 3 never meet.
        doc_pairs(&[vec![0, 1, 2], vec![1, 0, 3]], &mut out);
        let got: Vec<(u32, u32)> = out.iter().map(|k| pair_nodes(*k)).collect();
        assert_eq!(got, vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)]);
        assert_eq!(pair_key(5, 2), pair_key(2, 5));
    }

    #[test]
    fn evidence_keeps_the_first_ids() {
        let mut e = Evidence::default();
        for n in [9u64, 4, 7, 1, 4, 8] {
            e.offer((n, 0, n as u32), DocAddress::new(0, n as u32));
        }
        let docs: Vec<u32> = e.addresses().map(|a| a.doc_id).collect();
        assert_eq!(docs, vec![1, 4, 7]);
    }
}
