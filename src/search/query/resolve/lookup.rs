//! What resolving reads from the index and from the language's own tables: field and type
//! names, type aliases, the index's entity types and relation keys (read lazily from the term
//! dictionaries, once per query), the typed entity terms an ID has, names looked up in the
//! mention dictionary.

use super::{Corpus, Resolver};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::index::terms::{distinct_terms, doc_count};
use crate::index::tokenizer::name_key;
use crate::pubtator::ids::{canonical_type_name, relation_key, CANONICAL_TYPES};
use crate::search::dictionary::{keep_best, named_from, resolve_name, EntityRef};
use crate::search::query::compile::Resolution;
use std::collections::BTreeSet;
use tantivy::schema::Field;
use tantivy::Searcher;

/// Letters and digits a name prefix (`gene:BRC*`) needs before its `*`.
const MIN_NAME_PREFIX: usize = 3;

/// The most entities a name prefix (`gene:IL*`) searches.
const MAX_NAME_PREFIX_IDS: usize = 100;

/// Field names understood by the language (besides canonical types and kept types).
pub(super) const FIELDS: &[&str] = &[
    "title",
    "abstract",
    "mention",
    "text",
    "id",
    "type",
    "rel",
    "relations",
    "pmid",
    "section",
    "resource",
    "ortho",
];

/// ID namespaces that may be typed without a field (`MESH:D009369` ≡ `id:MESH:D009369`).
pub(super) const NAMESPACES: &[&str] = &[
    "mesh",
    "cvcl",
    "omim",
    "chebi",
    "hgvs",
    "tmvar",
    "rs#",
    "correspondinggene",
    "ncbigene",
    "ncbitaxon",
    "go",
    "hp",
    "do",
    "umls",
];

/// The canonical type a field or type name stands for (`drug` → `Chemical`).
pub(super) fn type_alias(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "mutation" | "snp" => Some("Variant"),
        "cell_line" | "cellline" => Some("CellLine"),
        "organism" | "taxon" => Some("Species"),
        "drug" => Some("Chemical"),
        _ => canonical_type_name(name),
    }
}

/// The distinct terms of a keyword field, mapped by `map` and deduplicated, read from the
/// term dictionaries (no postings) on first use and kept in `cell` for the rest of the query.
fn cached_terms<'c>(
    cell: &'c std::cell::OnceCell<Vec<String>>,
    searcher: &Searcher,
    field: Field,
    map: impl Fn(&str) -> String,
) -> Result<&'c [String]> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let found: BTreeSet<String> = distinct_terms(searcher, field, 10_000)?
        .into_iter()
        .filter_map(|k| String::from_utf8(k).ok())
        .map(|t| map(&t))
        .collect();
    Ok(cell.get_or_init(|| found.into_iter().collect()))
}

impl Resolver<'_> {
    /// The entity type names of the index (canonical and kept); none without an index.
    pub(crate) fn index_types(&self) -> Result<&[String]> {
        let Some(ix) = self.index else {
            return Ok(&[]);
        };
        cached_terms(
            &self.index_types,
            ix.searcher,
            ix.fields.entity_type,
            str::to_string,
        )
    }

    /// The relation keys of the index (`association`, `cid`, ...); none without an index.
    pub(crate) fn relation_keys(&self) -> Result<&[String]> {
        let Some(ix) = self.index else {
            return Ok(&[]);
        };
        cached_terms(
            &self.relation_keys,
            ix.searcher,
            ix.fields.relation_type,
            relation_key,
        )
    }

    /// The relation types of the index as written in the files (`Association`, `CID`, ...).
    pub(super) fn relation_type_names(&self) -> Result<Vec<String>> {
        let Some(ix) = self.index else {
            return Ok(Vec::new());
        };
        let found: BTreeSet<String> = distinct_terms(ix.searcher, ix.fields.relation_type, 10_000)?
            .into_iter()
            .filter_map(|k| String::from_utf8(k).ok())
            .collect();
        Ok(found.into_iter().collect())
    }

    /// The kept type named `name` (any case), if the index has one.
    pub(super) fn other_type(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .index_types()?
            .iter()
            .filter(|t| !CANONICAL_TYPES.contains(&t.as_str()))
            .find(|t| t.eq_ignore_ascii_case(name))
            .cloned())
    }

    /// The type a field or type name stands for: an alias of a canonical type, or a kept
    /// type of the index; `protein` is Gene unless the index keeps a Protein type of its own.
    pub(super) fn resolve_type(&self, name: &str) -> Result<Option<String>> {
        if let Some(t) = type_alias(name) {
            return Ok(Some(t.to_string()));
        }
        if let Some(t) = self.other_type(name)? {
            return Ok(Some(t));
        }
        Ok(name
            .eq_ignore_ascii_case("protein")
            .then(|| "Gene".to_string()))
    }

    /// The types an ID is searched under: the clause's, or every type of the index.
    pub(super) fn types_of(&self, entity_type: Option<&str>) -> Result<Vec<String>> {
        Ok(match entity_type {
            Some(t) => vec![t.to_string()],
            None => self.index_types()?.to_vec(),
        })
    }

    /// The entity terms in the index for `id` (lower case) under `entity_type`, or under
    /// every type of the index when the query names none (the index has typed terms only).
    pub(super) fn id_terms(&self, entity_type: Option<&str>, id: &str) -> Result<Vec<String>> {
        let Some(ix) = self.index else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for t in self.types_of(entity_type)? {
            // Type names differing only in case give the same (lower-case) term.
            let typed = entity_term(Some(&t), id);
            if !out.contains(&typed) && doc_count(ix.searcher, ix.fields.entity, &typed)? > 0 {
                out.push(typed);
            }
        }
        Ok(out)
    }

    /// A name looked up in the mention dictionary: the IDs with the most documents (and any
    /// with at least half as many). Searching the local index, each ID's count of documents
    /// under any name is added and a [`Resolution`] recorded; for another corpus, a note says
    /// what the name was read as.
    pub(super) fn resolve_name(
        &mut self,
        entity_type: Option<&str>,
        name: &str,
    ) -> Result<Vec<EntityRef>> {
        let Some(ix) = self.index else {
            return Ok(Vec::new());
        };
        let prefix = name
            .strip_suffix('*')
            .filter(|stem| name_key(stem).chars().count() >= MIN_NAME_PREFIX);
        let mut found = match prefix {
            // `gene:BRC*`: every entity with a name starting so (as Lucene's `field:pre*`),
            // the most documented first.
            Some(stem) => {
                let mut found: Vec<EntityRef> = named_from(
                    ix.searcher,
                    ix.fields,
                    stem,
                    entity_type,
                    MAX_NAME_PREFIX_IDS + 1,
                )?
                .into_iter()
                .map(|s| s.entity)
                .collect();
                if found.len() > MAX_NAME_PREFIX_IDS {
                    found.truncate(MAX_NAME_PREFIX_IDS);
                    self.note(format!(
                        "'{name}' names more than {MAX_NAME_PREFIX_IDS} entities: the \
                         {MAX_NAME_PREFIX_IDS} whose names start so in the most documents are \
                         searched"
                    ));
                }
                found
            }
            None => {
                let mut found = resolve_name(ix.searcher, ix.fields, entity_type, name)?;
                keep_best(&mut found);
                found
            }
        };
        if self.corpus == Corpus::Other {
            self.note_resolved(entity_type, name, &found);
            return Ok(found);
        }
        // The name's count is of documents that use this name; the ID's is of every name.
        for e in &mut found {
            let term = entity_term(Some(&e.entity_type), &e.id);
            e.id_documents = Some(doc_count(ix.searcher, ix.fields.entity, &term)?);
        }
        self.out.resolutions.push(Resolution {
            input: name.to_string(),
            entity_type: entity_type.map(str::to_string),
            resolved: found.clone(),
            expansion: None,
        });
        Ok(found)
    }

    /// The note on a name resolved for another corpus through the local index.
    fn note_resolved(&mut self, entity_type: Option<&str>, name: &str, found: &[EntityRef]) {
        let what = entity_type.map_or("entity".to_string(), str::to_lowercase);
        if found.is_empty() {
            self.note(format!(
                "approximate: {what} '{name}' is neither an ID nor an annotated name in the local \
                 index; translated as that ID, which the local index does not have"
            ));
        } else {
            let ids: Vec<String> = found
                .iter()
                .map(|e| format!("{} {}", e.entity_type, e.id))
                .collect();
            self.note(format!(
                "approximate: {what} '{name}' resolved through the local index to {} (the IDs \
                 most of its documents use for that name; the Quickwit corpus may use others)",
                ids.join(", ")
            ));
        }
    }
}
