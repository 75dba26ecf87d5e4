//! The index's own dictionary of annotated mentions, kept in two keyword fields written at
//! ingest (see `schema.rs`): by ID (`Type␟ID␟mention`) to print `5133` as `PD1`, and by
//! name (`namekey␟Type␟ID`) to resolve `gene:PD1` or `@GENE_PDCD1` to the IDs most documents
//! use for that name, for autocomplete, and to suggest the closest names for an unknown one.

use crate::index::schema::{entity_term, Fields, KEY_SEP};
use crate::index::terms::{doc_count, scan_prefix, TermScanner, DEFAULT_SCAN_LIMIT};
use crate::index::tokenizer::name_key;
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use tantivy::Searcher;

/// An entity and how many documents use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRef {
    /// Canonical type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Canonical ID.
    pub id: String,
    /// Live documents annotated with it (under the looked-up name, for resolutions).
    pub documents: u64,
    /// For a resolution: live documents annotated with the ID under any name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_documents: Option<u64>,
}

fn split_key(key: &[u8]) -> Option<Vec<String>> {
    let s = std::str::from_utf8(key).ok()?;
    Some(s.split(KEY_SEP).map(str::to_string).collect())
}

/// The mention forms used for an entity, most documents first: `(mention, documents)`.
pub fn mention_forms(
    searcher: &Searcher,
    fields: &Fields,
    entity_type: &str,
    id: &str,
    limit: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    forms_in(
        &TermScanner::new(searcher, fields.dict_id)?,
        entity_type,
        id,
        limit,
    )
}

fn forms_in(
    by_id: &TermScanner<'_>,
    entity_type: &str,
    id: &str,
    limit: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    let prefix = format!("{entity_type}{KEY_SEP}{id}{KEY_SEP}");
    let terms = by_id.scan(prefix.as_bytes(), DEFAULT_SCAN_LIMIT, false)?;
    let mut forms: Vec<(String, u64)> = terms
        .into_iter()
        .filter_map(|(k, c)| {
            Some((
                String::from_utf8(k.get(prefix.len()..)?.to_vec()).ok()?,
                c.docs,
            ))
        })
        .collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    forms.truncate(limit);
    Ok(forms)
}

/// A mention form linked to at least this many different IDs of one type is a generic word
/// (`patients`, `tumor`, `protein`), not a name, for [`display_name`].
pub const GENERIC_FORM_IDS: usize = 3;

/// NCBI Taxonomy's scientific names of the organisms papers mostly name with generic words
/// (`patients`, `mice`, `rats`): their display names.
pub const MODEL_ORGANISMS: [(&str, &str); 15] = [
    ("9606", "Homo sapiens"),
    ("10090", "Mus musculus"),
    ("10116", "Rattus norvegicus"),
    ("7955", "Danio rerio"),
    ("7227", "Drosophila melanogaster"),
    ("6239", "Caenorhabditis elegans"),
    ("4932", "Saccharomyces cerevisiae"),
    ("562", "Escherichia coli"),
    ("9913", "Bos taurus"),
    ("9823", "Sus scrofa"),
    ("9031", "Gallus gallus"),
    ("9615", "Canis lupus familiaris"),
    ("9544", "Macaca mulatta"),
    ("2697049", "SARS-CoV-2"),
    ("11676", "HIV-1"),
];

/// The display name of an entity: for the model organisms of [`MODEL_ORGANISMS`] their
/// scientific name; otherwise its most used mention form, skipping generic forms while a
/// specific form exists among its 10 most used; `None` when the index has no mention of it.
/// A form is generic for an entity when [`GENERIC_FORM_IDS`] or more IDs of the type are
/// also written so, unless the entity holds more than half of the form's documents: `EGFR`
/// names human EGFR although the mouse and rat genes are written so too, `protein` names no
/// gene.
pub fn display_name(
    searcher: &Searcher,
    fields: &Fields,
    entity_type: &str,
    id: &str,
) -> tantivy::Result<Option<String>> {
    Ok(display_names(searcher, fields, &[(entity_type, id)])?
        .pop()
        .flatten())
}

/// How a form is shared among the IDs of a type, for [`display_name`].
enum Sharing {
    /// Fewer than [`GENERIC_FORM_IDS`] IDs: specific to each.
    Specific,
    /// Many IDs; the one holding more than half of its documents, if any.
    Shared(Option<String>),
}

impl Sharing {
    /// Whether the form is generic for entity `id`.
    fn generic_for(&self, id: &str) -> bool {
        match self {
            Sharing::Specific => false,
            Sharing::Shared(owner) => owner.as_deref() != Some(id),
        }
    }
}

/// How the form with name key `key` is shared among the IDs of `entity_type`: a short scan
/// that stops at [`GENERIC_FORM_IDS`], and a whole one only for a form that many IDs share.
fn sharing(by_name: &TermScanner<'_>, key: &str, entity_type: &str) -> tantivy::Result<Sharing> {
    let prefix = format!("{key}{KEY_SEP}{entity_type}{KEY_SEP}");
    if key.is_empty()
        || by_name.distinct_live(prefix.as_bytes(), GENERIC_FORM_IDS)? < GENERIC_FORM_IDS
    {
        return Ok(Sharing::Specific);
    }
    let terms = by_name.scan(prefix.as_bytes(), DEFAULT_SCAN_LIMIT, false)?;
    let total: u64 = terms.values().map(|c| c.docs).sum();
    let top = terms
        .iter()
        .filter_map(|(k, c)| Some((std::str::from_utf8(k.get(prefix.len()..)?).ok()?, c.docs)))
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)));
    Ok(Sharing::Shared(
        top.filter(|(_, n)| n * 2 > total)
            .map(|(id, _)| id.to_string()),
    ))
}

/// [`display_name`] of many entities, in their order: each segment's two dictionaries are
/// opened once, and how a form is shared is read once per batch.
pub fn display_names(
    searcher: &Searcher,
    fields: &Fields,
    entities: &[(&str, &str)],
) -> tantivy::Result<Vec<Option<String>>> {
    Ok(names_and_forms(searcher, fields, entities, false)?
        .into_iter()
        .map(|(_, name)| name)
        .collect())
}

/// [`display_names`] with each entity's most used mention form first, from the same scan:
/// `(mention, name)` per entity (facets show both).
pub fn mentions_and_names(
    searcher: &Searcher,
    fields: &Fields,
    entities: &[(&str, &str)],
) -> tantivy::Result<Vec<(Option<String>, Option<String>)>> {
    names_and_forms(searcher, fields, entities, true)
}

/// The shared walk of [`display_names`] and [`mentions_and_names`]; a model organism's forms
/// are read only when `with_mention`.
fn names_and_forms(
    searcher: &Searcher,
    fields: &Fields,
    entities: &[(&str, &str)],
    with_mention: bool,
) -> tantivy::Result<Vec<(Option<String>, Option<String>)>> {
    let by_id = TermScanner::new(searcher, fields.dict_id)?;
    let by_name = TermScanner::new(searcher, fields.dict_name)?;
    let mut shared: HashMap<(String, &str), Sharing> = HashMap::new();
    let mut out = Vec::with_capacity(entities.len());
    for &(entity_type, id) in entities {
        let model = MODEL_ORGANISMS
            .iter()
            .find(|(taxon, _)| entity_type == "Species" && *taxon == id);
        if let (Some((_, name)), false) = (model, with_mention) {
            out.push((None, Some(name.to_string())));
            continue;
        }
        let forms = forms_in(&by_id, entity_type, id, 10)?;
        let mention = forms.first().map(|(form, _)| form.clone());
        if let Some((_, name)) = model {
            out.push((mention, Some(name.to_string())));
            continue;
        }
        let mut chosen = None;
        for (form, _) in &forms {
            let how = match shared.entry((name_key(form), entity_type)) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) => {
                    let s = sharing(&by_name, &v.key().0, entity_type)?;
                    v.insert(s)
                }
            };
            if !how.generic_for(id) {
                chosen = Some(form.clone());
                break;
            }
        }
        out.push((mention.clone(), chosen.or(mention)));
    }
    Ok(out)
}

/// The entities annotated with a mention whose name key equals that of `name`, optionally of
/// one type, most documents first.
pub fn resolve_name(
    searcher: &Searcher,
    fields: &Fields,
    entity_type: Option<&str>,
    name: &str,
) -> tantivy::Result<Vec<EntityRef>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let prefix = match entity_type {
        Some(t) => format!("{key}{KEY_SEP}{t}{KEY_SEP}"),
        None => format!("{key}{KEY_SEP}"),
    };
    let terms = scan_prefix(
        searcher,
        fields.dict_name,
        prefix.as_bytes(),
        DEFAULT_SCAN_LIMIT,
        false,
    )?;
    let mut out: Vec<EntityRef> = terms
        .into_iter()
        .filter_map(|(k, c)| {
            let parts = split_key(&k)?;
            Some(EntityRef {
                entity_type: parts.get(1)?.clone(),
                id: parts.get(2)?.clone(),
                documents: c.docs,
                id_documents: None,
            })
        })
        .collect();
    out.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// Keeps the IDs a name resolves to: those with the most documents (and any with at least
/// half as many), at most 5. `found` is sorted by documents, most first.
pub fn keep_best(found: &mut Vec<EntityRef>) {
    if let Some(top) = found.first().map(|e| e.documents) {
        found.retain(|e| e.documents * 2 >= top);
        found.truncate(5);
    }
}

/// One autocomplete suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The entity; `documents` counts every document annotated with it.
    #[serde(flatten)]
    pub entity: EntityRef,
    /// True when a mention equals the text (ignoring case and punctuation).
    pub exact: bool,
    /// Most used mention forms with their document counts.
    pub mentions: Vec<(String, u64)>,
}

/// How many times an exact name's documents count in [`autocomplete`]'s order: a name equal
/// to the text wins over longer names used in up to ten times as many documents, but one stray
/// exact mention ("Parkinson" once for parkinsonism) does not outrank the entity most documents
/// write with a name starting with the text ("Parkinson's disease").
pub const EXACT_WEIGHT: u64 = 10;

/// Entities with a mention that starts with (or equals) `text`, and the entities whose ID is
/// `text`: ID matches first, then by weight — the documents in which one mention starting with
/// the text names the entity (its most used matching name key), an exact name's documents
/// counted [`EXACT_WEIGHT`] times — then by all the entity's documents. Each suggestion
/// carries its most used mention forms.
pub fn autocomplete(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
    entity_type: Option<&str>,
    limit: usize,
) -> tantivy::Result<Vec<Suggestion>> {
    let mut out = named_from(searcher, fields, text, entity_type, limit)?;
    for s in &mut out {
        s.mentions = mention_forms(searcher, fields, &s.entity.entity_type, &s.entity.id, 5)?;
    }
    Ok(out)
}

/// [`autocomplete`]'s entities in its order, without their mention forms (empty): what a name
/// prefix (`gene:BRC*`) searches.
pub fn named_from(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
    entity_type: Option<&str>,
    limit: usize,
) -> tantivy::Result<Vec<Suggestion>> {
    let key = name_key(text);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let terms = scan_prefix(
        searcher,
        fields.dict_name,
        key.as_bytes(),
        DEFAULT_SCAN_LIMIT,
        false,
    )?;
    // (type, ID) → (a mention equals the text, weight: most documents of one matching name
    // key, an exact one's counted EXACT_WEIGHT times).
    let mut found: BTreeMap<(String, String), (bool, u64)> = BTreeMap::new();
    for (k, c) in &terms {
        let Some(parts) = split_key(k) else { continue };
        let (Some(name), Some(t), Some(id)) = (parts.first(), parts.get(1), parts.get(2)) else {
            continue;
        };
        if entity_type.is_some_and(|want| !want.eq_ignore_ascii_case(t)) {
            continue;
        }
        let e = found.entry((t.clone(), id.clone())).or_insert((false, 0));
        let exact = name == &key;
        e.0 |= exact;
        e.1 = e.1.max(if exact {
            c.docs.saturating_mul(EXACT_WEIGHT)
        } else {
            c.docs
        });
    }
    // The text as an ID: an entity with exactly that ID comes first.
    let as_id = crate::pubtator::ids::normalize_id(text);
    let mut by_id: Vec<Suggestion> = Vec::new();
    for t in crate::pubtator::ids::CANONICAL_TYPES {
        if entity_type.is_some_and(|want| !want.eq_ignore_ascii_case(t)) || as_id.is_empty() {
            continue;
        }
        let documents = doc_count(searcher, fields.entity, &entity_term(Some(t), &as_id))?;
        if documents > 0 {
            found.remove(&(t.to_string(), as_id.clone()));
            by_id.push(Suggestion {
                entity: EntityRef {
                    entity_type: t.to_string(),
                    id: as_id.clone(),
                    documents,
                    id_documents: None,
                },
                exact: true,
                mentions: Vec::new(),
            });
        }
    }
    let mut out = Vec::new();
    let mut weight: Vec<u64> = Vec::new();
    for ((t, id), (exact, w)) in found {
        let documents = doc_count(searcher, fields.entity, &entity_term(Some(&t), &id))?;
        out.push(Suggestion {
            entity: EntityRef {
                entity_type: t,
                id,
                documents,
                id_documents: None,
            },
            exact,
            mentions: Vec::new(),
        });
        weight.push(w);
    }
    // By weight (matching documents, an exact name's ×EXACT_WEIGHT), then by all documents.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&out[i], &out[j]);
        weight[j]
            .cmp(&weight[i])
            .then(b.entity.documents.cmp(&a.entity.documents))
            .then(b.exact.cmp(&a.exact))
            .then_with(|| a.entity.id.cmp(&b.entity.id))
    });
    let mut slots: Vec<Option<Suggestion>> = out.into_iter().map(Some).collect();
    let mut out: Vec<Suggestion> = by_id;
    out.extend(order.into_iter().filter_map(|i| slots[i].take()));
    out.truncate(limit);
    Ok(out)
}

/// The edit (Levenshtein) distance between `a` and `b` in chars when it is at most `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|d| *d <= max)
}

/// Name key → (type, ID) → documents (per-segment document frequencies, summed) of the
/// dictionary names within `max_edits` edits of the name key `key` (`key` itself excluded), of
/// one type when given: [`similar_names`]'s candidates.
pub fn near_names(
    searcher: &Searcher,
    fields: &Fields,
    entity_type: Option<&str>,
    key: &str,
    max_edits: usize,
) -> tantivy::Result<NearNames> {
    let mut found = NearNames::new();
    // Only the terms whose name key is within the bound: the FST is walked with an
    // edit-distance automaton, so the branches that cannot match are never read.
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.dict_name)?;
        let mut stream = inverted
            .terms()
            .search(crate::search::near_names::NearKey::new(key, max_edits))
            .into_stream()?;
        while stream.advance() {
            let Some(parts) = split_key(stream.key()) else {
                continue;
            };
            let (Some(n), Some(t), Some(id)) = (parts.first(), parts.get(1), parts.get(2)) else {
                continue;
            };
            if n == key || entity_type.is_some_and(|want| !want.eq_ignore_ascii_case(t)) {
                continue;
            }
            *found
                .entry(n.clone())
                .or_default()
                .entry((t.clone(), id.clone()))
                .or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Ok(found)
}

/// Name key → (type, ID) → documents.
pub type NearNames = BTreeMap<String, BTreeMap<(String, String), u64>>;

/// Names of the dictionary within `max_edits` edits of `name` (compared by name key, an
/// exact match excluded; found by walking the dictionary with
/// [`NearKey`](crate::search::near_names::NearKey), not by reading every term), of one type when given, most documents first: for each name, the
/// mention form most documents use and the entity most documents mean by it.
pub fn similar_names(
    searcher: &Searcher,
    fields: &Fields,
    entity_type: Option<&str>,
    name: &str,
    max_edits: usize,
    limit: usize,
) -> tantivy::Result<Vec<(String, EntityRef)>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let found = near_names(searcher, fields, entity_type, &key, max_edits)?;
    let mut best: Vec<(String, EntityRef)> = found
        .into_iter()
        .filter_map(|(n, entities)| {
            let ((t, id), documents) = entities
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
            Some((
                n,
                EntityRef {
                    entity_type: t,
                    id,
                    documents,
                    id_documents: None,
                },
            ))
        })
        .collect();
    best.sort_by(|a, b| {
        b.1.documents
            .cmp(&a.1.documents)
            .then_with(|| a.0.cmp(&b.0))
    });
    best.truncate(limit);
    let mut out = Vec::new();
    for (n, e) in best {
        let shown = mention_forms(searcher, fields, &e.entity_type, &e.id, 20)?
            .into_iter()
            .map(|(m, _)| m)
            .find(|m| name_key(m) == n)
            .unwrap_or(n);
        out.push((shown, e));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_is_bounded() {
        assert_eq!(edit_distance("braf", "braf", 2), Some(0));
        assert_eq!(edit_distance("brfa", "braf", 2), Some(2));
        assert_eq!(edit_distance("titel", "title", 2), Some(2));
        assert_eq!(edit_distance("gene", "genes", 2), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 2), None);
        assert_eq!(edit_distance("a", "abcd", 2), None);
        assert_eq!(edit_distance("", "ab", 2), Some(2));
        assert_eq!(edit_distance("αβ", "αγ", 1), Some(1));
    }
}
