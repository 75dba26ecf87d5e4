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

/// Hashes the `u64` pair keys with SplitMix64's finalizer: the pair maps take millions of
/// updates per network, where the standard SipHash was most of the counting time; the keys
/// come from the index, not from a request, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Documents per pair, and the first [`EVIDENCE`] of them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairCount {
    /// Hits holding the pair.
    pub documents: u32,
    /// The first of them in document-ID order: positions in [`ordered_hits`]' list.
    pub evidence: [u32; EVIDENCE],
}

/// Pair key → its count.
pub(crate) type PairMap = HashMap<u64, PairCount, std::hash::BuildHasherDefault<PairHasher>>;

/// Counts the distinct `pairs` of the hit at position `hit` of [`ordered_hits`]' list: hits
/// come in document-ID order, so the first [`EVIDENCE`] seen are a pair's evidence.
pub(crate) fn take_pairs(map: &mut PairMap, hit: u32, pairs: &[u64]) {
    for p in pairs {
        let c = map.entry(*p).or_insert(PairCount {
            documents: 0,
            evidence: [u32::MAX; EVIDENCE],
        });
        if let Some(slot) = c.evidence.get_mut(c.documents as usize) {
            *slot = hit;
        }
        c.documents += 1;
    }
}

/// Every hit in document-ID order ([`IdKeys::key`]: numeric ID, then where it is): the
/// order in which the counting passes walk them.
pub(crate) fn ordered_hits(searcher: &Searcher, hits: &[SegmentHits]) -> Vec<DocAddress> {
    let keys = IdKeys::new(searcher);
    let mut all: Vec<((u64, u32, u32), DocAddress)> = hits
        .iter()
        .flat_map(|s| s.docs.iter().map(|&d| DocAddress::new(s.segment, d)))
        .map(|a| (keys.key(a), a))
        .collect();
    all.sort_unstable_by_key(|(k, _)| *k);
    all.into_iter().map(|(_, a)| a).collect()
}

/// Walks the hits once in `order` ([`ordered_hits`]): each document's chosen entities
/// (`node_of_entity` maps an entity of `counts` to its node, `u32::MAX` when it is not one)
/// give its pairs, counted in `map`.
pub(crate) fn count_pairs(
    searcher: &Searcher,
    hits: &[SegmentHits],
    order: &[DocAddress],
    counts: &NodeCounts,
    node_of_entity: &[u32],
    map: &mut PairMap,
) -> Result<()> {
    // Per segment ordinal: its facet reader and (facet ordinal, node) of its chosen
    // entities, ascending (a binary search per value: no array as long as the dictionary).
    let mut segments: HashMap<u32, (FacetReader, Vec<(u64, u32)>)> = HashMap::new();
    for (seg, seg_ords) in hits.iter().zip(&counts.ords) {
        let Some(facets) = facet_reader(searcher.segment_reader(seg.segment))? else {
            continue;
        };
        let mut chosen: Vec<(u64, u32)> = seg_ords
            .iter()
            .filter_map(|&(ord, e)| {
                let n = *node_of_entity.get(e as usize)?;
                (n != u32::MAX).then_some((ord, n))
            })
            .collect();
        chosen.sort_unstable();
        segments.insert(seg.segment, (facets, chosen));
    }
    let mut groups: Vec<Vec<u32>> = vec![Vec::new()];
    let mut pairs: Vec<u64> = Vec::new();
    for (i, a) in order.iter().enumerate() {
        let Some((facets, chosen)) = segments.get(&a.segment_ord) else {
            continue;
        };
        let g = &mut groups[0];
        g.clear();
        g.extend(facets.facet_ords(a.doc_id).filter_map(|o| {
            chosen
                .binary_search_by_key(&o, |(ord, _)| *ord)
                .ok()
                .map(|at| chosen[at].1)
        }));
        if g.len() < 2 {
            continue;
        }
        doc_pairs(&groups, &mut pairs);
        take_pairs(map, i as u32, &pairs);
    }
    Ok(())
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
