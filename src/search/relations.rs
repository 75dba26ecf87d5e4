//! Relation partners of one entity: which entities a given entity is related to, by which
//! relation type, in how many documents. Read side, beside [`crate::search::search`]: the
//! entity is resolved with the query language (`rel:"ANY|E|*"` names its IDs), then the
//! `rel_partner` terms of those IDs (one term range per ID, written at ingest by
//! [`crate::index::relterms`]) are read with their postings: each term is one (relation type,
//! source, partner), its live postings the documents that state it. Counts are exact document
//! counts of the user's own index, and no stored document is read (evidence IDs come from the
//! `id` column). Used by `ptsearch relations`, the HTTP server's relation endpoints and Python.

use crate::error::{Error, Result};
use crate::index::relterms::{parse_partner_term, partner_prefix, Side};
use crate::index::schema::id_sort_key;
use crate::index::PtIndex;
use crate::pubtator::ids::relation_key;
use crate::search::facets::{index_types, resolve_among};
use crate::search::query::{compile, relation_type_keys, EntityTarget};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use tantivy::collector::DocSetCollector;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, TERMINATED};

/// What to look for: the relations of `entity`, optionally of one type and with partners of
/// one entity type.
#[derive(Debug, Clone, Default)]
pub struct RelationQuery {
    /// The entity, as a `rel:` argument of the query language: `gene:673`, `673`,
    /// `disease:MESH:D008545`, a name (`gene:BRAF`) or PubTator3 shorthand (`@GENE_BRAF`).
    pub entity: String,
    /// Relation type (`Association`, `treat`, ... as `rel:` accepts it); `None` or `ANY` for
    /// every type.
    pub rel_type: Option<String>,
    /// Entity type of the partners (`Chemical`, `disease`, ...); `None` for every type.
    pub partner_type: Option<String>,
    /// Document IDs to keep per (type, source, target) triple; the count is always exact.
    pub max_documents: usize,
    /// Only documents that also match this query (any query of the language).
    pub query: Option<String>,
    /// Look up the display name of the first this many partners only (`None`: every one);
    /// a front end that shows the top rows names just those.
    pub named: Option<usize>,
}

/// A typed entity ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypedId {
    /// Canonical type (empty when neither the document nor the relation line names one).
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The ID as written in the relation line.
    pub id: String,
}

/// One relation partner: `source` (the queried entity) is related to `target` by `rel_type`
/// in `documents` documents.
#[derive(Debug, Clone, Serialize)]
pub struct RelationPartner {
    /// The relation type as written in the data.
    #[serde(rename = "type")]
    pub rel_type: String,
    /// The queried entity (one of the IDs it resolved to).
    pub source: TypedId,
    /// The partner.
    pub target: TypedId,
    /// The partner's display name: its most used mention form in the index, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Documents stating the relation.
    pub documents: usize,
    /// The first of those documents' IDs, in document-ID order (at most `max_documents`).
    pub ids: Vec<String>,
    /// A sentence that mentions both (when asked, see
    /// [`crate::search::relation_evidence`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<crate::search::relation_evidence::PairSentence>,
}

/// The relation partners of `q.entity`, most documents first (ties by type, then target).
pub fn relation_partners(index: &PtIndex, q: &RelationQuery) -> Result<Vec<RelationPartner>> {
    Ok(relation_partners_noted(index, q)?.0)
}

/// [`relation_partners`] with the notes for the user that reading the relation type gave
/// (`rel:`'s own: a PubTator3 verb searched as the index's types of the same meaning, or a
/// type the index does not have, with the list of its types).
pub fn relation_partners_noted(
    index: &PtIndex,
    q: &RelationQuery,
) -> Result<(Vec<RelationPartner>, Vec<String>)> {
    let entity = q.entity.trim();
    if entity.is_empty() {
        return Err(Error::query(
            entity,
            0,
            "an entity is required (e.g. gene:673)",
        ));
    }
    let rel = q
        .rel_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("ANY");
    // The queried entity's own IDs: what the query language resolves it to.
    let searcher = index.searcher()?;
    let held = index_types(&searcher, &index.fields)?;
    let partner_type = match q.partner_type.as_deref().map(str::trim) {
        None | Some("") | Some("*") => None,
        Some(t) => Some(resolve_among(&held, t)?),
    };
    // A `|` inside the entity (tmVar IDs such as `p|SUB|V|600|E`) cannot go into a `rel:`
    // argument: such an entity is looked up as a clause of its own, and its documents are
    // those annotated with it that have any relation (the relation lines decide below).
    let piped = entity.contains('|');
    let lookup = if piped {
        entity.to_string()
    } else {
        rel_query("ANY", entity, "*")
    };
    let targets: Vec<(Option<String>, String)> = compile(&lookup, &searcher, &index.fields)?
        .entities
        .into_iter()
        .filter_map(|t| match t {
            EntityTarget::Id { entity_type, id } => Some((entity_type, id)),
            EntityTarget::Type(_) => None,
        })
        .collect();
    if targets.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // Documents that must also match the extra query (all when there is none).
    let filter: Option<HashSet<DocAddress>> =
        match q.query.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            Some(extra) => {
                let compiled = compile(extra, &searcher, &index.fields)?;
                Some(searcher.search(&*compiled.query, &DocSetCollector)?)
            }
            None => None,
        };
    // The relation keys the type stands for, read as `rel:` reads it (`treat` is
    // `Negative_Correlation` in an index of BioRED types).
    let (want_keys, notes) = if rel.eq_ignore_ascii_case("any") {
        (None, Vec::new())
    } else {
        let (keys, notes) = relation_type_keys(rel, &searcher, &index.fields)?;
        (Some(keys), notes)
    };
    // The term ranges of the queried IDs: a typed ID is one range, an untyped one a range per
    // type of the index (and for arguments of no known type).
    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    for (t, id) in &targets {
        match t {
            Some(t) => prefixes.insert(partner_prefix(t, id)),
            None => {
                for t in held.iter().map(String::as_str).chain([""]) {
                    prefixes.insert(partner_prefix(t, id));
                }
                true
            }
        };
    }
    let filter = PartnerFilter {
        want_keys: want_keys.as_ref(),
        partner_type: partner_type.as_deref(),
        docs: filter.as_ref(),
    };
    let by = partner_documents(&searcher, index, &prefixes, &filter)?;
    let mut out = count_partners(&searcher, by, q.max_documents)?;
    out.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then_with(|| a.rel_type.cmp(&b.rel_type))
            .then_with(|| a.target.cmp(&b.target))
            .then_with(|| a.source.cmp(&b.source))
    });
    let mut names: HashMap<TypedId, Option<String>> = HashMap::new();
    for p in out.iter_mut().take(q.named.unwrap_or(usize::MAX)) {
        if !names.contains_key(&p.target) {
            let name = display_name(&searcher, &index.fields, &p.target)?;
            names.insert(p.target.clone(), name);
        }
        p.name = names.get(&p.target).cloned().flatten();
    }
    Ok((out, notes))
}

/// Documents grouped by (relation type, queried ID, partner).
type PartnerDocs = BTreeMap<(String, TypedId, TypedId), Vec<DocAddress>>;

/// What a partner term must satisfy to count.
struct PartnerFilter<'a> {
    /// Relation keys the asked type stands for (`None`: any).
    want_keys: Option<&'a Vec<String>>,
    /// The partner's type (`None`: any).
    partner_type: Option<&'a str>,
    /// Documents that also match the extra query (`None`: all).
    docs: Option<&'a HashSet<DocAddress>>,
}

/// The live documents of every `rel_partner` term under `prefixes` that passes `filter`.
fn partner_documents(
    searcher: &tantivy::Searcher,
    index: &PtIndex,
    prefixes: &BTreeSet<String>,
    filter: &PartnerFilter<'_>,
) -> Result<PartnerDocs> {
    let mut by: BTreeMap<(String, TypedId, TypedId), Vec<DocAddress>> = BTreeMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(index.fields.rel_partner)?;
        let alive = segment.alive_bitset();
        for prefix in prefixes {
            let mut end = prefix.as_bytes().to_vec();
            if let Some(last) = end.last_mut() {
                *last += 1; // the prefix ends with the separator \0: \x01 bounds the range
            }
            let mut terms = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(&end)
                .into_stream()
                .map_err(|e| Error::io("relation partner terms", e))?;
            while terms.advance() {
                let Some((rel_type, source, target)) = std::str::from_utf8(terms.key())
                    .ok()
                    .and_then(parse_partner_term)
                else {
                    continue;
                };
                if filter
                    .want_keys
                    .is_some_and(|keys| !keys.contains(&relation_key(rel_type)))
                    || filter.partner_type.is_some_and(|t| t != target.entity_type)
                {
                    continue;
                }
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(|e| Error::io("relation partner postings", e))?;
                let mut docs = Vec::new();
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let address = DocAddress::new(ord as u32, doc);
                    if alive.is_none_or(|a| a.is_alive(doc))
                        && filter.docs.is_none_or(|f| f.contains(&address))
                    {
                        docs.push(address);
                    }
                    doc = postings.advance();
                }
                if !docs.is_empty() {
                    let key = (rel_type.to_string(), typed(source), typed(target));
                    by.entry(key).or_default().extend(docs);
                }
            }
        }
    }
    Ok(by)
}

/// One partner per group, with its document count and its first `max_documents` IDs in
/// document-ID order (unordered).
fn count_partners(
    searcher: &tantivy::Searcher,
    by: PartnerDocs,
    max_documents: usize,
) -> Result<Vec<RelationPartner>> {
    let ids = IdReader::new(searcher)?;
    let mut counted: BTreeMap<(String, TypedId, TypedId), (usize, Vec<String>)> = BTreeMap::new();
    for (key, docs) in by {
        // Document-ID order from the numeric sort key; only the IDs kept are decoded, and
        // the non-numeric ones (one shared key) by text.
        let mut keyed: Vec<(u64, DocAddress)> = docs.iter().map(|d| (ids.num(*d), *d)).collect();
        keyed.sort_unstable();
        let n = keyed.len();
        let numeric = keyed.partition_point(|(k, _)| *k < u64::MAX);
        let mut kept = keyed[..numeric.min(max_documents)]
            .iter()
            .map(|(_, d)| ids.id(*d))
            .collect::<Result<Vec<String>>>()?;
        if kept.len() < max_documents && numeric < n {
            let mut rest = keyed[numeric..]
                .iter()
                .map(|(_, d)| ids.id(*d))
                .collect::<Result<Vec<String>>>()?;
            rest.sort_by(|a, b| id_sort_key(a).cmp(&id_sort_key(b)).then_with(|| a.cmp(b)));
            kept.extend(rest.into_iter().take(max_documents - kept.len()));
        }
        counted.insert(key, (n, kept));
    }
    Ok(counted
        .into_iter()
        .map(
            |((rel_type, source, target), (documents, ids))| RelationPartner {
                rel_type,
                source,
                target,
                name: None,
                documents,
                ids,
                evidence: None,
            },
        )
        .collect())
}

/// The most used mention form of an entity (see [`crate::search::dictionary::display_name`]).
fn display_name(
    searcher: &tantivy::Searcher,
    fields: &crate::index::schema::Fields,
    e: &TypedId,
) -> Result<Option<String>> {
    if e.entity_type.is_empty() {
        return Ok(None);
    }
    Ok(crate::search::dictionary::display_name(
        searcher,
        fields,
        &e.entity_type,
        &e.id,
    )?)
}

/// `rel:"TYPE|E1|E2"`, quoted so that arguments may hold spaces.
fn rel_query(rel: &str, a: &str, b: &str) -> String {
    let value = format!("{rel}|{a}|{b}");
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("rel:\"{escaped}\"")
}

fn typed(s: Side) -> TypedId {
    TypedId {
        entity_type: s.entity_type,
        id: s.id,
    }
}

/// The document IDs of addresses, from the `id` fast column (no stored document is read).
struct IdReader {
    columns: Vec<Option<tantivy::columnar::StrColumn>>,
    numbers: Vec<Option<tantivy::columnar::Column<u64>>>,
}

impl IdReader {
    fn new(searcher: &tantivy::Searcher) -> Result<IdReader> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().str("id"))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let numbers = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("id_num").ok())
            .collect();
        Ok(IdReader { columns, numbers })
    }

    /// The numeric sort key of the document's ID (`u64::MAX` for non-numeric IDs).
    fn num(&self, address: DocAddress) -> u64 {
        self.numbers
            .get(address.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|c| c.first(address.doc_id))
            .unwrap_or(u64::MAX)
    }

    fn id(&self, address: DocAddress) -> Result<String> {
        let mut out = String::new();
        let column = self
            .columns
            .get(address.segment_ord as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| Error::Corrupt("a segment without its id column".into()))?;
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            column
                .ord_to_str(ord, &mut out)
                .map_err(|e| Error::io("id column", e))?;
        }
        Ok(out)
    }
}
