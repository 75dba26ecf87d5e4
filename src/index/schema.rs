//! The index schema ([`SCHEMA_VERSION`], field handles) and the conversion of a parsed
//! [`Document`] into a tantivy document. The reviewed description of every field lives in
//! `schema/FIELDS.md`; `schema/schema.json` is the golden serialization checked by a test.

pub use crate::index::relterms::{relation_arg_forms, relation_term};
use crate::index::tokenizer::{name_key, BIO_TOKENIZER};
use crate::pubtator::ids::{canonical_type, id_parts, split_ids, taxon_suffix, CANONICAL_TYPES};
use crate::pubtator::meta::author_last_name;
use crate::pubtator::{Document, Span};
use std::collections::HashMap;
use tantivy::schema::{
    Facet, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    STORED, STRING,
};
use tantivy::TantivyDocument;

/// Version of the on-disk layout; an index of another version is refused.
pub const SCHEMA_VERSION: u32 = 8;

/// Separator inside dictionary keys (`Type␟ID␟mention`).
pub const KEY_SEP: char = '\u{1f}';

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document ID: exact, stored, fast.
    pub id: Field,
    /// Numeric sort key of the ID (the number for numeric IDs, `u64::MAX` otherwise).
    pub id_num: Field,
    /// Title text (first passage).
    pub title: Field,
    /// Abstract and further passages.
    pub abstract_text: Field,
    /// Text of every annotated mention.
    pub mention: Field,
    /// Entity IDs, one value per mention: `type:id`, lower-cased (an untyped query asks for
    /// the ID under every type of the index).
    pub entity: Field,
    /// Same terms as `entity`, for mentions in the title only (prominence boost).
    pub entity_title: Field,
    /// Canonical type of every annotation (one value per annotation).
    pub entity_type: Field,
    /// Facet path `Type\0ID` per distinct entity, and `Type\0` per type the document has
    /// (with IDs or not): a fast (columnar) string field only, read through tantivy's
    /// `FacetReader`; not in the inverted index.
    pub facet: Field,
    /// Relation terms `key|arg|arg` over every form of the arguments.
    pub relation: Field,
    /// Relation type as written, one value per relation (statistics).
    pub relation_type: Field,
    /// Directed relation partners, `SourceType\0source id\0type\0TargetType\0target id\0
    /// source id as written` ([`crate::index::relterms`]): the relation partners of an entity.
    pub rel_partner: Field,
    /// Dictionary by ID: `Type␟ID␟mention` per distinct (entity, mention).
    pub dict_id: Field,
    /// Dictionary by name: `namekey␟Type␟ID` per distinct (mention, entity).
    pub dict_name: Field,
    /// Section types of the passages (lower case; full texts from BioC).
    pub section: Field,
    /// Resources of the attached bulk concepts (`pubtator3`, `gene2pubmed`; lower case).
    pub resource: Field,
    /// Canonical type of every attached bulk concept (one value per concept). Concepts are
    /// also counted in `type`, so annotations per type = `type` − `concept_type`.
    pub concept_type: Field,
    /// Publication year (indexed and fast): `year:2018`, `year:2015..2020`.
    pub year: Field,
    /// Date sort key `yyyymmdd` (0 when unknown): `--sort date`.
    pub date: Field,
    /// Journal abbreviation and full title, lower case: `journal:"N Engl J Med"`.
    pub journal: Field,
    /// Each author as cited and their last name, lower case: `author:"Smith J"`, `author:Smith`.
    pub author: Field,
    /// Publication types, lower case: `pubtype:Review`.
    pub pubtype: Field,
    /// MeSH descriptor UIs and names, lower case: `mh:D009369`, `mh:Neoplasms`.
    pub mesh: Field,
    /// Source names of the document's annotation layers, lower case (`source:biored/Train`),
    /// and per layer `d|NAME` once, `a|NAME` per annotation, `r|NAME` per relation (statistics).
    pub source: Field,
    /// Facet column of the metadata: `year\0 2018`, `journal\0 N Engl J Med`, `pubtype\0 Review`,
    /// `source\0 biored/Train` (fast only, like `facet`).
    pub meta: Field,
    /// The whole parsed document in the binary record encoding (`pubtator::codec`), for
    /// display and export.
    pub doc: Field,
}

fn keyword(freqs: bool, norms: bool) -> TextOptions {
    let option = if freqs {
        IndexRecordOption::WithFreqs
    } else {
        IndexRecordOption::Basic
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(option)
            .set_fieldnorms(norms),
    )
}

fn text() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIO_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("id", STRING | STORED | FAST);
    b.add_u64_field("id_num", NumericOptions::default().set_fast());
    b.add_text_field("title", text());
    b.add_text_field("abstract", text());
    b.add_text_field("mention", text());
    b.add_text_field("entity", keyword(true, true));
    b.add_text_field("entity_title", keyword(true, false));
    b.add_text_field("type", keyword(true, false));
    b.add_text_field("facet", TextOptions::default().set_fast("raw"));
    b.add_text_field("relation", keyword(false, false));
    b.add_text_field("relation_type", keyword(true, false));
    b.add_text_field("rel_partner", keyword(false, false));
    b.add_text_field("dict_id", keyword(false, false));
    b.add_text_field("dict_name", keyword(false, false));
    b.add_text_field("section", keyword(false, false));
    b.add_text_field("resource", keyword(false, false));
    b.add_text_field("concept_type", keyword(true, false));
    b.add_u64_field("year", NumericOptions::default().set_indexed().set_fast());
    b.add_u64_field("date", NumericOptions::default().set_fast());
    b.add_text_field("journal", keyword(false, false));
    b.add_text_field("author", keyword(false, false));
    b.add_text_field("pubtype", keyword(false, false));
    b.add_text_field("mesh", keyword(false, false));
    b.add_text_field("source", keyword(true, false));
    b.add_text_field("meta", TextOptions::default().set_fast("raw"));
    b.add_bytes_field("doc", STORED);
    b.build()
}

impl Fields {
    /// Looks every field up in `schema`.
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            id_num: f("id_num")?,
            title: f("title")?,
            abstract_text: f("abstract")?,
            mention: f("mention")?,
            entity: f("entity")?,
            entity_title: f("entity_title")?,
            entity_type: f("type")?,
            facet: f("facet")?,
            relation: f("relation")?,
            relation_type: f("relation_type")?,
            rel_partner: f("rel_partner")?,
            dict_id: f("dict_id")?,
            dict_name: f("dict_name")?,
            section: f("section")?,
            resource: f("resource")?,
            concept_type: f("concept_type")?,
            year: f("year")?,
            date: f("date")?,
            journal: f("journal")?,
            author: f("author")?,
            pubtype: f("pubtype")?,
            mesh: f("mesh")?,
            source: f("source")?,
            meta: f("meta")?,
            doc: f("doc")?,
        })
    }
}

/// Sort key of a document ID: numeric IDs by value, others after them.
pub fn id_sort_key(id: &str) -> u64 {
    if !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()) {
        id.parse().unwrap_or(u64::MAX)
    } else {
        u64::MAX
    }
}

/// The entity term for an ID, optionally typed: `gene:5133` or `5133` (lower case).
pub fn entity_term(entity_type: Option<&str>, id: &str) -> String {
    match entity_type {
        Some(t) => format!("{}:{}", t.to_lowercase(), id.to_lowercase()),
        None => id.to_lowercase(),
    }
}

/// Lower-cases `s` into `out` (cleared first): a byte loop for ASCII, `str::to_lowercase`
/// otherwise.
fn lowercase_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// Adds the entity terms of each ID of the mentions and concepts of one document, and
/// remembers each ID form's type (for the typed relation forms).
struct EntityTerms<'a> {
    fields: &'a Fields,
    /// Reused buffer for `type:id`.
    term: String,
    /// Reused buffer for the lower-case ID form.
    lform: String,
    /// ID form (lower case) → canonical type of its first mention.
    id_types: HashMap<String, &'a str>,
}

impl<'a> EntityTerms<'a> {
    /// `type:id` for the ID and each of its parts (tmVar), in `entity` and, for title
    /// mentions, `entity_title`.
    fn add(
        &mut self,
        td: &mut TantivyDocument,
        ctype: &'a str,
        ltype: &str,
        id: &str,
        in_title: bool,
    ) {
        let parts = id_parts(id);
        for (n, form) in std::iter::once(id)
            .chain(parts.iter().map(String::as_str))
            .enumerate()
        {
            lowercase_into(form, &mut self.lform);
            // A variant's part that names another entity (`Gene:3043` inside a tmVar ID) also
            // counts as that entity: `gene:3043` finds the variants of the gene.
            if n > 0 && names_typed_entity(&self.lform) {
                if in_title {
                    td.add_text(self.fields.entity_title, &self.lform);
                }
                td.add_text(self.fields.entity, &self.lform);
            }
            if !self.id_types.contains_key(self.lform.as_str()) {
                self.id_types.insert(self.lform.clone(), ctype);
            }
            self.term.clear();
            self.term.push_str(ltype);
            self.term.push(':');
            self.term.push_str(&self.lform);
            if in_title {
                td.add_text(self.fields.entity_title, &self.term);
            }
            td.add_text(self.fields.entity, &self.term);
        }
    }
}

/// True for a lower-case ID form `type:id` whose prefix is a canonical type (`gene:3043`).
fn names_typed_entity(lform: &str) -> bool {
    lform.split_once(':').is_some_and(|(t, id)| {
        !id.is_empty() && CANONICAL_TYPES.iter().any(|c| c.eq_ignore_ascii_case(t))
    })
}

/// The lower-case form of a canonical type, computed once per document and type.
fn lower_type<'c, 't>(cache: &'c mut Vec<(&'t str, String)>, ctype: &'t str) -> &'c str {
    let i = match cache.iter().position(|(t, _)| *t == ctype) {
        Some(i) => i,
        None => {
            // The cache is per document and holds a handful of types.
            cache.push((ctype, ctype.to_lowercase()));
            cache.len() - 1
        }
    };
    &cache[i].1
}

/// A rough size of the tantivy document (text, stored record, keyword values), so its
/// buffer is allocated once.
fn size_hint(doc: &Document) -> usize {
    let text: usize = doc.passages.iter().map(|p| p.text.len()).sum();
    2 * text + 256 * doc.annotations.len() + 160 * doc.relations.len() + 256
}

/// Converts a parsed document into the tantivy document that indexes it.
pub fn to_tantivy(fields: &Fields, doc: &Document) -> TantivyDocument {
    let mut td = TantivyDocument::with_capacity(size_hint(doc));
    td.add_text(fields.id, &doc.id);
    td.add_u64(fields.id_num, id_sort_key(&doc.id));
    let mut passages = doc.passages.iter();
    if let Some(t) = passages.next() {
        td.add_text(fields.title, &t.text);
    }
    for p in passages.filter(|p| !p.text.is_empty()) {
        td.add_text(fields.abstract_text, &p.text);
    }
    let mut sections: Vec<String> = doc
        .passages
        .iter()
        .filter_map(|p| p.section.as_deref())
        .map(|s| s.trim().to_lowercase())
        .collect();
    sections.sort_unstable();
    sections.dedup();
    for s in sections {
        td.add_text(fields.section, s);
    }

    // Every (type, ID, mention) of the annotations and concepts; the facet pairs and the
    // dictionary triples borrow from it and are deduplicated after the loop (sorting a Vec
    // once is much cheaper than a set insert per annotation).
    let mut items: Vec<(&str, String, Option<&str>)> = Vec::new();
    let mut ltypes: Vec<(&str, String)> = Vec::new();
    let mut terms = EntityTerms {
        fields,
        term: String::new(),
        lform: String::new(),
        id_types: HashMap::new(),
    };
    // Annotations several sources give with the same span, type and ID count once (repeats
    // inside one source count as the source wrote them).
    let mut given: HashMap<(Option<Span>, &str, &str), usize> = HashMap::new();
    let mut held_types: Vec<&str> = Vec::new();
    let layer_of = layer_index(doc);
    for (i, a) in doc.annotations.iter().enumerate() {
        let ctype = canonical_type(&a.raw_type);
        if doc.layers.len() > 1 && a.span.is_some() {
            let layer = layer_of.get(i).copied().unwrap_or(0);
            let key = (a.span, ctype, a.raw_id.as_deref().unwrap_or(""));
            if *given.entry(key).or_insert(layer) != layer {
                continue;
            }
        }
        let ltype = lower_type(&mut ltypes, ctype);
        td.add_text(fields.entity_type, ctype);
        held_types.push(ctype);
        let mention = a.mention.trim();
        if !mention.is_empty() {
            td.add_text(fields.mention, &a.mention);
        }
        let in_title = a.span.is_some_and(|s| s.passage == 0);
        let raw_id = a.raw_id.as_deref().unwrap_or("");
        for id in split_ids(raw_id) {
            terms.add(&mut td, ctype, ltype, &id, in_title);
            items.push((ctype, id, Some(mention).filter(|m| !m.is_empty())));
        }
        // GNormPlus' `54702(Tax:10116)`: the gene's species is searchable as `species:10116`.
        if raw_id.contains('(') {
            for taxon in raw_id.split([',', ';', '|']).filter_map(taxon_suffix) {
                td.add_text(fields.entity, entity_term(Some("Species"), taxon));
            }
        }
    }
    let mut resources: Vec<String> = Vec::new();
    for c in &doc.concepts {
        let ctype = canonical_type(&c.raw_type);
        let ltype = lower_type(&mut ltypes, ctype);
        td.add_text(fields.entity_type, ctype);
        held_types.push(ctype);
        td.add_text(fields.concept_type, ctype);
        let mentions = c
            .mentions
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty());
        for m in mentions.clone() {
            td.add_text(fields.mention, m);
        }
        resources.extend(c.resources.iter().map(|r| r.trim().to_lowercase()));
        // Concept IDs are stored split and normalized (see `Concept::ids`).
        for id in &c.ids {
            terms.add(&mut td, ctype, ltype, id, false);
            items.push((ctype, id.clone(), None));
            items.extend(mentions.clone().map(|m| (ctype, id.clone(), Some(m))));
        }
    }
    resources.sort_unstable();
    resources.dedup();
    for r in resources.into_iter().filter(|r| !r.is_empty()) {
        td.add_text(fields.resource, r);
    }
    let mut facets: Vec<(&str, &str)> = items.iter().map(|(t, id, _)| (*t, id.as_str())).collect();
    // One `Type\0` (no ID) per type the document has, IDs or not: a type's facet count is
    // then the number of `type:X` hits.
    facets.extend(held_types.iter().map(|t| (*t, "")));
    facets.sort_unstable();
    facets.dedup();
    for (t, id) in &facets {
        if id.is_empty() {
            td.add_text(fields.facet, format!("{t}\0"));
        } else {
            td.add_text(fields.facet, Facet::from_path([*t, *id]).encoded_str());
        }
    }
    let mut dict: Vec<(&str, &str, &str)> = items
        .iter()
        .filter_map(|(t, id, m)| m.map(|m| (*t, id.as_str(), m)))
        .collect();
    dict.sort_unstable();
    dict.dedup();
    let mut names: Vec<String> = Vec::with_capacity(dict.len());
    let mut key = String::new();
    for (t, id, m) in &dict {
        key.clear();
        key.push_str(t);
        key.push(KEY_SEP);
        key.push_str(id);
        key.push(KEY_SEP);
        key.push_str(m);
        td.add_text(fields.dict_id, &key);
        let name = name_key(m);
        if !name.is_empty() {
            names.push(format!("{name}{KEY_SEP}{t}{KEY_SEP}{id}"));
        }
    }
    names.sort_unstable();
    names.dedup();
    for n in names {
        td.add_text(fields.dict_name, n);
    }

    crate::index::relterms::add_relations(fields, doc, &terms.id_types, &mut td);
    add_metadata(fields, doc, &mut td);
    td.add_bytes(fields.doc, &crate::pubtator::codec::encode(doc));
    td
}

/// The facet kinds of the `meta` column, in display order.
pub const META_FACETS: [&str; 4] = ["year", "journal", "pubtype", "source"];

/// The `meta` column value of one facet: `kind\0value`.
pub fn meta_facet(kind: &str, value: &str) -> String {
    Facet::from_path([kind, value]).encoded_str().to_string()
}

/// The layer index of each annotation of `doc` (0 past the counted ones).
fn layer_index(doc: &Document) -> Vec<usize> {
    let mut out = Vec::with_capacity(doc.annotations.len());
    for (i, l) in doc.layers.iter().enumerate() {
        out.extend(std::iter::repeat_n(i, l.annotations as usize));
    }
    out
}

/// Adds the metadata and source fields; nothing for a document without them.
fn add_metadata(fields: &Fields, doc: &Document, td: &mut TantivyDocument) {
    let m = &doc.meta;
    let mut facets: Vec<String> = Vec::new();
    if let Some(y) = m.year {
        td.add_u64(fields.year, u64::from(y));
        facets.push(meta_facet("year", &y.to_string()));
    }
    let date = m.date_key();
    if date > 0 {
        td.add_u64(fields.date, date);
    }
    let mut journals: Vec<String> = [m.journal.as_deref(), m.journal_title.as_deref()]
        .into_iter()
        .flatten()
        .map(|j| j.trim().to_lowercase())
        .filter(|j| !j.is_empty())
        .collect();
    journals.dedup();
    for j in journals {
        td.add_text(fields.journal, j);
    }
    if let Some(j) = &m.journal {
        facets.push(meta_facet("journal", j.trim()));
    }
    let mut authors: Vec<String> = Vec::with_capacity(2 * m.authors.len());
    for a in &m.authors {
        authors.push(a.trim().to_lowercase());
        authors.push(author_last_name(a).to_lowercase());
    }
    authors.sort_unstable();
    authors.dedup();
    for a in authors.into_iter().filter(|a| !a.is_empty()) {
        td.add_text(fields.author, a);
    }
    for p in &m.pubtypes {
        td.add_text(fields.pubtype, p.trim().to_lowercase());
        facets.push(meta_facet("pubtype", p.trim()));
    }
    for h in &m.mesh {
        td.add_text(fields.mesh, h.ui.trim().to_lowercase());
        td.add_text(fields.mesh, h.name.trim().to_lowercase());
    }
    let mut stat = String::new();
    for l in &doc.layers {
        td.add_text(fields.source, l.source.to_lowercase());
        facets.push(meta_facet("source", &l.source));
        // Statistics per source: `d|NAME` once, `a|NAME` once per annotation and `r|NAME`
        // once per relation.
        for (prefix, n) in [("d|", 1), ("a|", l.annotations), ("r|", l.relations)] {
            stat.clear();
            stat.push_str(prefix);
            stat.push_str(&l.source);
            for _ in 0..n {
                td.add_text(fields.source, &stat);
            }
        }
    }
    facets.sort_unstable();
    facets.dedup();
    for f in facets {
        td.add_text(fields.meta, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_matches_the_reviewed_golden_file() {
        let built = serde_json::to_value(build_schema()).unwrap();
        if std::env::var_os("PTSEARCH_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/schema.json");
            std::fs::write(path, serde_json::to_string_pretty(&built).unwrap() + "\n").unwrap();
            return;
        }
        let golden: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/schema.json"))
                .expect("schema/schema.json is valid JSON");
        assert_eq!(built, golden, "the schema changed: review schema/FIELDS.md, bump SCHEMA_VERSION, regenerate schema/schema.json");
    }

    #[test]
    fn numeric_ids_sort_before_others() {
        assert!(id_sort_key("31554797") < id_sort_key("PMC123"));
        assert_eq!(id_sort_key("99999999999999999999999"), u64::MAX);
    }
}
