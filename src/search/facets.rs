//! Exact facet counts over a whole result set: documents per entity type and the top entities
//! of each type, each with the mention most documents use for it (so `5133` shows as `PD1`).

use crate::error::{Error, Result};
use crate::index::schema::{Fields, META_FACETS};
use crate::index::terms::{facet_reader, scan_prefix};
use crate::pubtator::ids::{canonical_type_name, CANONICAL_TYPES};
use crate::search::dictionary::mentions_and_names;
use serde::Serialize;

use tantivy::fastfield::FacetReader;
use tantivy::query::Query;
use tantivy::Searcher;

/// Order of the values inside each type facet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetSort {
    /// Most matching documents first.
    #[default]
    Count,
    /// Highest lift first (values in fewer than [`LIFT_MIN_DOCUMENTS`](crate::search::lift::LIFT_MIN_DOCUMENTS) hits last).
    Lift,
    /// Most significantly over-represented first: the signed G-test statistic of
    /// [`crate::search::significance::g_test`] (values under-represented in the results last).
    Significance,
}

impl FacetSort {
    /// Whether the order needs the facets counted (every order but count, which only orders
    /// facets asked for otherwise).
    pub fn wants_facets(self) -> bool {
        self != FacetSort::Count
    }
}

/// What an entity facet counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetScope {
    /// The entities of every matching document.
    #[default]
    Document,
    /// The entities mentioned in a sentence that also mentions a queried entity (see
    /// [`crate::search::sentence_facets`]).
    Sentence,
}

/// Which facets to count.
#[derive(Debug, Clone, Default)]
pub struct FacetRequest {
    /// Top entities per type.
    pub top: usize,
    /// Only these types (canonical or kept names); all when empty.
    pub types: Vec<String>,
    /// Order of the values inside each type.
    pub sort: FacetSort,
    /// What the entity facets count.
    pub scope: FacetScope,
    /// Also count Disease and Chemical IDs at their MeSH tree ancestors of this depth
    /// ([`crate::search::tree`]; needs a MeSH vocabulary).
    pub level: Option<usize>,
}

/// One entity in a facet.
#[derive(Debug, Clone, Serialize)]
pub struct FacetEntity {
    /// Canonical ID.
    pub id: String,
    /// Matching documents annotated with it.
    pub documents: u64,
    /// The mention most documents use for it.
    pub mention: Option<String>,
    /// Its display name, as networks, `entity` and `relations` show it
    /// ([`crate::search::dictionary::display_name`]: a model organism's scientific name, else
    /// its most used specific mention form); `None` where only the mention is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its lift: share of the result set over share of the index (see
    /// [`crate::search::lift`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lift: Option<f64>,
    /// Its log-likelihood ratio G against the rest of the index, negative when
    /// under-represented (see [`crate::search::significance`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub significance: Option<f64>,
    /// The p-value of `significance` (χ² with one degree of freedom).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    /// The query itself names this entity.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub queried: bool,
}

impl FacetEntity {
    /// What to call it: its display name, else its most used mention.
    pub fn label(&self) -> Option<&str> {
        self.name.as_deref().or(self.mention.as_deref())
    }
}

/// Counts for one entity type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeFacet {
    /// The type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Matching documents with at least one normalized entity of this type.
    pub documents: u64,
    /// The top entities.
    pub top: Vec<FacetEntity>,
}

/// Facets of a result set, types in canonical order then by name.
pub type Facets = Vec<TypeFacet>;

/// Per-segment facet counts: documents per facet ordinal and per type.
pub(crate) struct SegmentFacets {
    /// `None` when no document of the segment has an entity.
    reader: Option<FacetReader>,
    /// `[start, end)` ordinal range of each requested type's facets in this segment.
    ranges: Vec<(u64, u64)>,
    /// Per requested type, the ordinal of its `Type\0` marker (one per document that has the
    /// type, see `index::document`) in the `facet` column; `None` for the `meta` column,
    /// whose kinds have no marker, and for a type the segment does not have.
    markers: Option<Vec<Option<u64>>>,
    by_ord: Vec<u32>,
    by_type: Vec<u64>,
}

/// Entities of one type with their document counts, sorted by ID (byte order).
pub(crate) type EntityCounts = Vec<(String, u64)>;

impl tantivy::collector::SegmentCollector for SegmentFacets {
    /// Documents per type, and per type the counted entities sorted by ID.
    type Fruit = (Vec<u64>, Vec<EntityCounts>);

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        let Some(reader) = &self.reader else { return };
        if self.markers.is_some() {
            // Documents per type are the counts of the type markers: one increment per value.
            for ord in reader.facet_ords(doc) {
                if let Some(slot) = self.by_ord.get_mut(ord as usize) {
                    *slot += 1;
                }
            }
            return;
        }
        let mut seen = 0u64;
        for ord in reader.facet_ords(doc) {
            if let Some(slot) = self.by_ord.get_mut(ord as usize) {
                *slot += 1;
            }
            if let Some(t) = self.ranges.iter().position(|(a, b)| ord >= *a && ord < *b) {
                if t < 64 && seen & (1 << t) == 0 {
                    seen |= 1 << t;
                    self.by_type[t] += 1;
                }
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        if let Some(markers) = &self.markers {
            for (t, m) in markers.iter().enumerate() {
                self.by_type[t] = m.map_or(0, |o| u64::from(self.by_ord[o as usize]));
            }
        }
        // Decode only the counted ordinals of the requested types, in order, with one
        // sequential pass over the dictionary (random `ord_to_term` calls re-decode a block
        // each). The dictionary is sorted, so each type's entities come out sorted by ID.
        let type_of = |ord: u64| self.ranges.iter().position(|(a, b)| ord >= *a && ord < *b);
        let mut spans = self.ranges.clone();
        spans.sort_unstable();
        let ords: Vec<u64> = spans
            .iter()
            .flat_map(|&(a, b)| a..b)
            .filter(|&o| self.by_ord.get(o as usize).is_some_and(|n| *n > 0))
            .collect();
        let mut entities: Vec<EntityCounts> = vec![Vec::new(); self.ranges.len()];
        let Some(reader) = &self.reader else {
            return (self.by_type, entities);
        };
        let mut next = ords.iter();
        let _ = reader.facet_dict().sorted_ords_to_term_cb(&ords, |bytes| {
            let Some(&ord) = next.next() else { return };
            let Some(t) = type_of(ord) else { return };
            // `Type\0ID`: the range already names the type.
            let mut parts = bytes.split(|b| *b == 0);
            // `Type\0` alone marks the type (counted in `by_type`), not an entity.
            if let (Some(_), Some(id), None) = (parts.next(), parts.next(), parts.next()) {
                if id.is_empty() {
                    return;
                }
                let n = u64::from(self.by_ord[ord as usize]);
                entities[t].push((String::from_utf8_lossy(id).into_owned(), n));
            }
        });
        (self.by_type, entities)
    }
}

/// Merges two ID-sorted count lists, adding the counts of equal IDs.
fn merge_sorted(a: EntityCounts, b: EntityCounts) -> EntityCounts {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let mut a = a.into_iter().peekable();
    let mut b = b.into_iter().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        match order {
            std::cmp::Ordering::Less => out.extend(a.next()),
            std::cmp::Ordering::Greater => out.extend(b.next()),
            std::cmp::Ordering::Equal => {
                if let (Some((id, x)), Some((_, y))) = (a.next(), b.next()) {
                    out.push((id, x + y));
                }
            }
        }
    }
    out
}

/// Counts, in one pass over the hits, the documents per entity type and per entity. It can
/// run alone ([`collect_facets`]) or beside the ranking in the search's own pass over the
/// hits ([`crate::search::search`]), which saves running the query a second time.
pub(crate) struct FacetCounter {
    types: Vec<String>,
    /// The fast column counted: `facet` (entities) or `meta` (metadata, see
    /// [`META_FACETS`]).
    column: &'static str,
}

/// Documents per value of one metadata facet (`year`, `journal`, `pubtype`, `source`).
#[derive(Debug, Clone, Serialize)]
pub struct MetaFacet {
    /// The facet: `year`, `journal`, `pubtype` or `source`.
    pub field: String,
    /// Matching documents with a value.
    pub documents: u64,
    /// Values with their document counts: years in order (newest first), others by count
    /// (ties by value).
    pub values: Vec<(String, u64)>,
}

/// What [`FacetCounter`] collects: documents per type, and per type the entities with their
/// counts sorted by ID.
pub(crate) type FacetCounts = (Vec<u64>, Vec<EntityCounts>);

/// Where a type goes in facet order: canonical types first, in their usual order.
pub(crate) fn type_order(t: &str) -> usize {
    CANONICAL_TYPES
        .iter()
        .position(|c| *c == t)
        .unwrap_or(CANONICAL_TYPES.len())
}

impl FacetCounter {
    /// The counter for `request`: the index's types it asks for (all when it names none),
    /// canonical types first in their usual order, then the others by name. `None` when no
    /// type is left (nothing to count).
    pub(crate) fn for_request(
        searcher: &Searcher,
        fields: &Fields,
        request: &FacetRequest,
    ) -> Result<Option<FacetCounter>> {
        let mut types = index_types(searcher, fields)?;
        if !request.types.is_empty() {
            let wanted = request
                .types
                .iter()
                .map(|t| resolve_among(&types, t))
                .collect::<Result<Vec<_>>>()?;
            types.retain(|t| wanted.contains(t));
        }
        Ok((!types.is_empty()).then_some(FacetCounter {
            types,
            column: "facet",
        }))
    }

    /// The counter of the metadata facets.
    pub(crate) fn for_metadata() -> FacetCounter {
        FacetCounter {
            types: META_FACETS.iter().map(|s| s.to_string()).collect(),
            column: "meta",
        }
    }

    /// Turns metadata counts into facets: every year (newest first), the `top` other values.
    pub(crate) fn finish_metadata(self, top: usize, counts: FacetCounts) -> Vec<MetaFacet> {
        let (by_type, per_type) = counts;
        let mut out = Vec::new();
        for ((field, documents), all) in self.types.into_iter().zip(by_type).zip(per_type) {
            if documents == 0 {
                continue;
            }
            let values = if field == "year" {
                let mut all = all;
                all.sort_by(|a, b| b.0.cmp(&a.0));
                all
            } else {
                top_entities(all, top.max(1))
            };
            out.push(MetaFacet {
                field,
                documents,
                values,
            });
        }
        out
    }

    /// Turns the counts into facets: per type with matching documents, the top entities
    /// (ties by ID) with the mention most documents use for each and its display name.
    pub(crate) fn finish(
        self,
        searcher: &Searcher,
        fields: &Fields,
        request: &FacetRequest,
        counts: FacetCounts,
    ) -> Result<Facets> {
        let (by_type, per_type) = counts;
        let mut out = Vec::new();
        for ((t, documents), all) in self.types.into_iter().zip(by_type).zip(per_type) {
            if documents == 0 {
                continue;
            }
            // Ties at the cut are broken by ID, deterministically.
            let all = top_entities(all, request.top);
            // Mentions and display names in one batch per type, as the network and entity
            // views name them.
            let keys: Vec<(&str, &str)> = all
                .iter()
                .map(|(id, _)| (t.as_str(), id.as_str()))
                .collect();
            let named = mentions_and_names(searcher, fields, &keys)?;
            let top: Vec<FacetEntity> = all
                .iter()
                .zip(named)
                .map(|((id, n), (mention, name))| FacetEntity {
                    id: id.clone(),
                    documents: *n,
                    mention,
                    name,
                    lift: None,
                    significance: None,
                    p_value: None,
                    queried: false,
                })
                .collect();
            out.push(TypeFacet {
                entity_type: t,
                documents,
                top,
            });
        }
        Ok(out)
    }
}

impl tantivy::collector::Collector for FacetCounter {
    type Fruit = (Vec<u64>, Vec<EntityCounts>);
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _ord: u32,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let reader = if self.column == "facet" {
            facet_reader(segment)?
        } else {
            segment
                .fast_fields()
                .str(self.column)?
                .map(FacetReader::new)
        };
        let num = reader.as_ref().map_or(0, |r| r.num_facets() as u64);
        // The first ordinal at or after `key`, and whether `key` itself is a value.
        let lower_bound = |key: &[u8]| -> tantivy::Result<(u64, bool)> {
            let Some(r) = &reader else {
                return Ok((0, false));
            };
            Ok(match r.facet_dict().term_ord_or_next(key)? {
                tantivy::columnar::TermOrdHit::Exact(o) => (o.min(num), o < num),
                tantivy::columnar::TermOrdHit::Next(o) => (o.min(num), false),
            })
        };
        let mut ranges = Vec::with_capacity(self.types.len());
        let mut markers = Vec::with_capacity(self.types.len());
        for t in &self.types {
            let mut start = t.as_bytes().to_vec();
            start.push(0);
            let mut end = t.as_bytes().to_vec();
            end.push(1);
            let (first, is_marker) = lower_bound(&start)?;
            ranges.push((first, lower_bound(&end)?.0));
            markers.push(is_marker.then_some(first));
        }
        Ok(SegmentFacets {
            by_ord: vec![0; num as usize],
            by_type: vec![0; self.types.len()],
            ranges,
            markers: (self.column == "facet").then_some(markers),
            reader,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Vec<u64>, Vec<EntityCounts>)>,
    ) -> tantivy::Result<Self::Fruit> {
        // Each segment's lists are sorted by ID: a linear merge, no hashing of every entity.
        let mut by_type = vec![0u64; self.types.len()];
        let mut entities: Vec<EntityCounts> = vec![Vec::new(); self.types.len()];
        for (types, ents) in fruits {
            for (total, n) in by_type.iter_mut().zip(types) {
                *total += n;
            }
            for (merged, list) in entities.iter_mut().zip(ents) {
                *merged = merge_sorted(std::mem::take(merged), list);
            }
        }
        Ok((by_type, entities))
    }
}

/// The entity types the index holds, canonical types first (in their usual order), then kept
/// names such as `OTHER` by name; from the small `type` term dictionary.
pub fn index_types(searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
    let mut types: Vec<String> = scan_prefix(searcher, fields.entity_type, b"", 256, false)?
        .into_keys()
        .filter_map(|k| String::from_utf8(k).ok())
        .collect();
    types.sort_by(|a, b| type_order(a).cmp(&type_order(b)).then_with(|| a.cmp(b)));
    Ok(types)
}

/// A user-given entity type name (any case, or an alias such as `cell_line`) in the spelling
/// the index uses. A canonical type the index lacks comes back canonical (it has no
/// documents); any other name is [`Error::UnknownValue`] listing the valid names: the
/// canonical types and the kept types of this index.
pub fn resolve_type(searcher: &Searcher, fields: &Fields, name: &str) -> Result<String> {
    resolve_among(&index_types(searcher, fields)?, name)
}

/// [`resolve_type`] against the index's types `held` (read once by the caller).
pub(crate) fn resolve_among(held: &[String], name: &str) -> Result<String> {
    if let Some(t) = held.iter().find(|t| t.eq_ignore_ascii_case(name)) {
        return Ok(t.clone());
    }
    if let Some(c) = canonical_type_name(name) {
        return Ok(c.to_string());
    }
    let mut valid: Vec<String> = CANONICAL_TYPES.iter().map(|c| c.to_string()).collect();
    for t in held {
        if !valid.contains(t) {
            valid.push(t.clone());
        }
    }
    Err(Error::UnknownValue {
        what: "entity type",
        value: name.to_string(),
        valid,
    })
}

/// The `top` entities by documents (ties by ID), best first.
fn top_entities(mut all: EntityCounts, top: usize) -> EntityCounts {
    let rank = |a: &(String, u64), b: &(String, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    if top == 0 {
        return Vec::new();
    }
    if all.len() > top {
        all.select_nth_unstable_by(top - 1, rank);
        all.truncate(top);
    }
    all.sort_unstable_by(rank);
    all
}

/// Counts facets for every document matching `query`.
pub fn collect_facets(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    request: &FacetRequest,
) -> Result<Facets> {
    let Some(counter) = FacetCounter::for_request(searcher, fields, request)? else {
        return Ok(Vec::new());
    };
    let counts = searcher.search(query, &counter)?;
    counter.finish(searcher, fields, request, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(v: &[(&str, u64)]) -> EntityCounts {
        v.iter().map(|(id, n)| (id.to_string(), *n)).collect()
    }

    #[test]
    fn merging_segments_adds_counts_of_equal_ids_and_keeps_id_order() {
        let a = counts(&[("1", 2), ("10", 1), ("5", 4)]);
        let b = counts(&[("10", 3), ("2", 1), ("5", 1), ("9", 7)]);
        assert_eq!(
            merge_sorted(a, b),
            counts(&[("1", 2), ("10", 4), ("2", 1), ("5", 5), ("9", 7)])
        );
        assert_eq!(
            merge_sorted(Vec::new(), counts(&[("1", 1)])),
            counts(&[("1", 1)])
        );
    }

    #[test]
    fn top_entities_ranks_by_documents_then_id_at_the_cut() {
        let all = counts(&[("a", 3), ("b", 5), ("c", 3), ("d", 1), ("e", 3)]);
        assert_eq!(top_entities(all.clone(), 0), counts(&[]));
        assert_eq!(top_entities(all.clone(), 2), counts(&[("b", 5), ("a", 3)]));
        assert_eq!(
            top_entities(all.clone(), 3),
            counts(&[("b", 5), ("a", 3), ("c", 3)])
        );
        assert_eq!(top_entities(all, 9).len(), 5);
    }
}
