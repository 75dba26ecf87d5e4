//! Exact facet counts over a whole result set: documents per entity type and the top entities
//! of each type, each with the mention most documents use for it (so `5133` shows as `PD1`).

use crate::dictionary::mention_forms;
use crate::error::Result;
use crate::pubtator::ids::CANONICAL_TYPES;
use crate::schema::Fields;
use crate::terms::scan_prefix;
use serde::Serialize;
use tantivy::query::Query;
use tantivy::Searcher;

/// Which facets to count.
#[derive(Debug, Clone)]
pub struct FacetRequest {
    /// Top entities per type.
    pub top: usize,
    /// Only these types (canonical or kept names); all when empty.
    pub types: Vec<String>,
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
struct SegmentFacets {
    reader: tantivy::fastfield::FacetReader,
    /// `[start, end)` ordinal range of each requested type's facets in this segment.
    ranges: Vec<(u64, u64)>,
    by_ord: Vec<u32>,
    by_type: Vec<u64>,
}

impl tantivy::collector::SegmentCollector for SegmentFacets {
    type Fruit = (Vec<u64>, Vec<(String, String, u64)>);

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        let mut seen = 0u64;
        for ord in self.reader.facet_ords(doc) {
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

    fn harvest(self) -> Self::Fruit {
        // Decode only the counted ordinals, in order, with one sequential pass over the
        // dictionary (random `ord_to_term` calls re-decode a block each).
        let ords: Vec<u64> = self
            .by_ord
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(o, _)| o as u64)
            .collect();
        let mut entities = Vec::with_capacity(ords.len());
        let mut next = ords.iter();
        let _ = self
            .reader
            .facet_dict()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                let Some(&ord) = next.next() else { return };
                let mut parts = bytes.split(|b| *b == 0);
                if let (Some(t), Some(id), None) = (parts.next(), parts.next(), parts.next()) {
                    let n = u64::from(self.by_ord[ord as usize]);
                    entities.push((
                        String::from_utf8_lossy(t).into_owned(),
                        String::from_utf8_lossy(id).into_owned(),
                        n,
                    ));
                }
            });
        (self.by_type, entities)
    }
}

/// Counts, in one pass over the hits, the documents per entity type and per entity.
struct FacetCounter {
    types: Vec<String>,
}

impl tantivy::collector::Collector for FacetCounter {
    type Fruit = (Vec<u64>, std::collections::HashMap<(String, String), u64>);
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _ord: u32,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let reader = segment.facet_reader("facet")?;
        let num = reader.num_facets() as u64;
        let dict = reader.facet_dict();
        let lower_bound = |key: &[u8]| -> tantivy::Result<u64> {
            Ok(match dict.term_ord_or_next(key)? {
                tantivy::columnar::TermOrdHit::Exact(o)
                | tantivy::columnar::TermOrdHit::Next(o) => o.min(num),
            })
        };
        let mut ranges = Vec::with_capacity(self.types.len());
        for t in &self.types {
            let mut start = t.as_bytes().to_vec();
            start.push(0);
            let mut end = t.as_bytes().to_vec();
            end.push(1);
            ranges.push((lower_bound(&start)?, lower_bound(&end)?));
        }
        Ok(SegmentFacets {
            by_ord: vec![0; num as usize],
            by_type: vec![0; self.types.len()],
            ranges,
            reader,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Vec<u64>, Vec<(String, String, u64)>)>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut by_type = vec![0u64; self.types.len()];
        let mut entities: std::collections::HashMap<(String, String), u64> =
            std::collections::HashMap::new();
        for (types, ents) in fruits {
            for (total, n) in by_type.iter_mut().zip(types) {
                *total += n;
            }
            for (t, id, n) in ents {
                *entities.entry((t, id)).or_default() += n;
            }
        }
        Ok((by_type, entities))
    }
}

/// Counts facets for every document matching `query`.
pub fn collect_facets(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    request: &FacetRequest,
) -> Result<Facets> {
    // Candidate types come from the small `type` term dictionary.
    let mut types: Vec<String> = scan_prefix(searcher, fields.entity_type, b"", 64, false)?
        .into_keys()
        .filter_map(|k| String::from_utf8(k).ok())
        .filter(|t| {
            request.types.is_empty() || request.types.iter().any(|w| w.eq_ignore_ascii_case(t))
        })
        .collect();
    let order = |t: &str| {
        CANONICAL_TYPES
            .iter()
            .position(|c| *c == t)
            .unwrap_or(CANONICAL_TYPES.len())
    };
    types.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.cmp(b)));
    if types.is_empty() {
        return Ok(Vec::new());
    }
    let (by_type, entities) = searcher.search(
        query,
        &FacetCounter {
            types: types.clone(),
        },
    )?;
    let mut per_type: Vec<Vec<(String, u64)>> = vec![Vec::new(); types.len()];
    for ((t, id), n) in entities {
        if let Some(i) = types.iter().position(|x| *x == t) {
            per_type[i].push((id, n));
        }
    }
    let mut out = Vec::new();
    for ((t, documents), mut all) in types.into_iter().zip(by_type).zip(per_type) {
        if documents == 0 {
            continue;
        }
        // Sorted here, so ties at the cut are broken by ID deterministically.
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(request.top);
        let mut top = Vec::with_capacity(all.len());
        for (id, n) in all {
            let mention = mention_forms(searcher, fields, &t, &id, 1)?
                .into_iter()
                .next()
                .map(|m| m.0);
            top.push(FacetEntity {
                id,
                documents: n,
                mention,
            });
        }
        out.push(TypeFacet {
            entity_type: t,
            documents,
            top,
        });
    }
    Ok(out)
}
