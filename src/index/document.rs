//! The conversion of a parsed [`Document`] into the tantivy document that indexes it, the
//! last step of the prepare stage of ingest (`ingest::prepare`) before the writer hands documents to
//! tantivy. The fields are those of [`crate::index::schema`] (described in `schema/FIELDS.md`).
//!
//! Values are added field by field in the schema's field order: tantivy groups a document's
//! values by field with a stable sort, which then finds one ordered run instead of sorting.

use crate::index::relterms::add_relations;
use crate::index::schema::{entity_term, id_sort_key, meta_facet, Fields, KEY_SEP};
use crate::index::tally::{self, Counter};
use crate::index::tokenizer::{name_key, positioned};
use crate::index::variant_terms::{document_variants, is_variant_annotation, VariantTerms};
use crate::pubtator::ids::{canonical_type, id_parts, split_ids, taxon_suffix, CANONICAL_TYPES};
use crate::pubtator::meta::{author_last_name, search_key};
use crate::pubtator::sentences::of_document;
use crate::pubtator::{Annotation, Document, Span};
use std::collections::HashMap;
use tantivy::schema::{Facet, Field};
use tantivy::TantivyDocument;

/// The `entity` position of a term no sentence holds (a concept, an annotation without a
/// span): past any document's sentences, so it never shares one with another term.
pub const DOC_LEVEL: u32 = 1 << 24;

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

/// The entity terms of each ID of the mentions and concepts of one document, and each ID
/// form's type (for the typed relation forms). `entity` values are added as they come;
/// `entity_title` values wait in `title` (that field comes after `entity`).
struct EntityTerms<'a> {
    /// The `entity` values with their positions (the sentence of the mention, or
    /// [`DOC_LEVEL`]); added at once, in position order, after the mentions.
    entity: Vec<(u32, String)>,
    /// The position of the values being added.
    position: u32,
    /// Reused buffer for `type:id`.
    term: String,
    /// Reused buffer for the lower-case ID form.
    lform: String,
    /// The `entity_title` values, in order.
    title: Vec<String>,
    /// ID form (lower case) → canonical type of its first mention.
    id_types: HashMap<String, &'a str>,
}

impl<'a> EntityTerms<'a> {
    /// `type:id` for the ID and each of its parts (tmVar), in `entity` and, for title
    /// mentions, `entity_title`.
    fn add(&mut self, ctype: &'a str, ltype: &str, id: &str, in_title: bool) {
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
                    self.title.push(self.lform.clone());
                }
                self.entity.push((self.position, self.lform.clone()));
            }
            if !self.id_types.contains_key(self.lform.as_str()) {
                self.id_types.insert(self.lform.clone(), ctype);
            }
            self.term.clear();
            self.term.push_str(ltype);
            self.term.push(':');
            self.term.push_str(&self.lform);
            if in_title {
                self.title.push(self.term.clone());
            }
            self.entity.push((self.position, self.term.clone()));
        }
    }
}

impl<'a> EntityTerms<'a> {
    /// The terms of one variant annotation: `type:identity` for each identity (rsIDs, normal
    /// forms, HGVS, the shown form) and `gene:N` for each gene link, in `entity` and, for title
    /// mentions, `entity_title`. Its ID columns as split for relations (`raw_ids`) name its type.
    fn add_variant(
        &mut self,
        ctype: &'a str,
        ltype: &str,
        v: &VariantTerms,
        raw_ids: &[String],
        in_title: bool,
    ) {
        let typed = v.identities.iter().map(|i| (ltype, i.as_str()));
        let genes = v.genes.iter().map(|g| ("gene", g.as_str()));
        for (t, form) in typed.chain(genes) {
            lowercase_into(form, &mut self.lform);
            if t == ltype && !self.id_types.contains_key(self.lform.as_str()) {
                self.id_types.insert(self.lform.clone(), ctype);
            }
            self.term.clear();
            self.term.push_str(t);
            self.term.push(':');
            self.term.push_str(&self.lform);
            if in_title {
                self.title.push(self.term.clone());
            }
            self.entity.push((self.position, self.term.clone()));
        }
        for id in raw_ids {
            lowercase_into(id, &mut self.lform);
            if !self.id_types.contains_key(self.lform.as_str()) {
                self.id_types.insert(self.lform.clone(), ctype);
            }
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

    // The annotations that count, with their canonical types.
    let kept = counted_annotations(doc);
    for (a, _) in &kept {
        if !a.mention.trim().is_empty() {
            td.add_text(fields.mention, &a.mention);
        }
    }
    for c in &doc.concepts {
        for m in c
            .mentions
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
        {
            td.add_text(fields.mention, m);
        }
    }

    // Every (type, ID, mention) of the annotations and concepts; the facet pairs and the
    // dictionary triples borrow from it and are deduplicated after one sort (much cheaper
    // than a set insert per annotation).
    let mut items: Vec<(&str, String, Option<&str>)> = Vec::new();
    let mut ltypes: Vec<(&str, String)> = Vec::new();
    let sentences = of_document(doc);
    let mut terms = EntityTerms {
        entity: Vec::with_capacity(2 * kept.len()),
        position: DOC_LEVEL,
        term: String::new(),
        lform: String::new(),
        title: Vec::new(),
        id_types: HashMap::new(),
    };
    let mut held_types: Vec<&str> = Vec::new();
    // The variant annotations' ID columns, read together (one group is one variant).
    // The test runs once per annotation (a type comparison, then a scan of the ID column).
    let is_variant: Vec<bool> = kept
        .iter()
        .map(|(a, ctype)| is_variant_annotation(ctype, a.raw_id.as_deref().unwrap_or("")))
        .collect();
    let variant_columns: Vec<&str> = kept
        .iter()
        .zip(&is_variant)
        .filter(|(_, v)| **v)
        .map(|((a, _), _)| a.raw_id.as_deref().unwrap_or(""))
        .collect();
    let mut variants = document_variants(&variant_columns).into_iter();
    for ((a, ctype), &variant_annotation) in kept.iter().zip(&is_variant) {
        let ltype = lower_type(&mut ltypes, ctype);
        if !held_types.contains(ctype) {
            held_types.push(ctype);
        }
        let mention = a.mention.trim();
        let in_title = a.span.is_some_and(|s| s.passage == 0);
        terms.position = a
            .span
            .map_or(DOC_LEVEL, |s| sentences.number_at(s.passage, s.start));
        let raw_id = a.raw_id.as_deref().unwrap_or("");
        if variant_annotation {
            if let Some(v) = variants.next() {
                let v = v.with_mentions([mention]);
                terms.add_variant(ctype, ltype, &v, &split_ids(raw_id), in_title);
                for shown in v.shown {
                    items.push((ctype, shown, Some(mention).filter(|m| !m.is_empty())));
                }
            }
            continue;
        }
        for id in split_ids(raw_id) {
            terms.add(ctype, ltype, &id, in_title);
            items.push((ctype, id, Some(mention).filter(|m| !m.is_empty())));
        }
        // GNormPlus' `54702(Tax:10116)`: the gene's species is searchable as `species:10116`.
        if raw_id.contains('(') {
            for taxon in raw_id.split([',', ';', '|']).filter_map(taxon_suffix) {
                let t = entity_term(Some("Species"), taxon);
                terms.entity.push((terms.position, t));
            }
        }
    }
    terms.position = DOC_LEVEL;
    for c in &doc.concepts {
        let ctype = canonical_type(&c.raw_type);
        let ltype = lower_type(&mut ltypes, ctype);
        if !held_types.contains(&ctype) {
            held_types.push(ctype);
        }
        let mentions = c
            .mentions
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty());
        // Concept IDs are stored split and normalized (see `Concept::ids`).
        for id in &c.ids {
            if is_variant_annotation(ctype, id) {
                // A bulk variant concept (`tmVar:p|SUB|V|600|E;HGVS:p.V600E;...`): one variant,
                // as an annotation's (a concept has no group to share).
                for v in document_variants(&[id.as_str()]) {
                    let v = v.with_mentions(mentions.clone());
                    terms.add_variant(ctype, ltype, &v, std::slice::from_ref(id), false);
                    for shown in v.shown {
                        items.push((ctype, shown.clone(), None));
                        items.extend(mentions.clone().map(|m| (ctype, shown.clone(), Some(m))));
                    }
                }
                continue;
            }
            terms.add(ctype, ltype, id, false);
            items.push((ctype, id.clone(), None));
            items.extend(mentions.clone().map(|m| (ctype, id.clone(), Some(m))));
        }
    }
    add_positioned(&mut td, fields.entity, std::mem::take(&mut terms.entity));
    for t in std::mem::take(&mut terms.title) {
        td.add_text(fields.entity_title, t);
    }
    // One sort of the items gives both the facet pairs and the dictionary triples in order.
    items.sort_unstable();
    held_types.sort_unstable();
    for t in &held_types {
        td.add_text(fields.entity_type, *t);
    }
    add_facets(fields, &held_types, &items, &mut td);
    add_relations(fields, doc, &terms.id_types, &mut td);
    add_dictionary(fields, &items, &mut td);
    add_sections_and_concepts(fields, doc, &mut td);
    add_metadata(fields, doc, &mut td);
    add_tally(fields, doc, &kept, &held_types, &mut td);
    let mut record = Vec::with_capacity(crate::pubtator::codec::encoded_size_hint(doc));
    crate::pubtator::codec::encode_with(doc, Some(&sentences), &mut record);
    td.add_bytes(fields.doc, &record);
    td
}

/// Adds `values` to `field` as one value of the positioned tokenizer
/// ([`crate::index::tokenizer::positioned`]): each term at its position.
fn add_positioned(td: &mut TantivyDocument, field: Field, mut values: Vec<(u32, String)>) {
    if values.is_empty() {
        return;
    }
    td.add_text(field, positioned::encode(&mut values));
}

/// The annotations of `doc` that count, with their canonical types: annotations several
/// sources give with the same span, type and ID count once (repeats inside one source count as
/// the source wrote them).
fn counted_annotations(doc: &Document) -> Vec<(&Annotation, &str)> {
    let mut kept = Vec::with_capacity(doc.annotations.len());
    let mut given: HashMap<(Option<Span>, &str, &str), usize> = HashMap::new();
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
        kept.push((a, ctype));
    }
    kept
}

/// Adds `dict_id` (`Type␟ID␟mention`) and `dict_name` (`name key␟Type␟ID`) per distinct
/// (type, ID, mention) of `items` (sorted).
fn add_dictionary(
    fields: &Fields,
    items: &[(&str, String, Option<&str>)],
    td: &mut TantivyDocument,
) {
    let mut dict: Vec<(&str, &str, &str)> = items
        .iter()
        .filter_map(|(t, id, m)| m.map(|m| (*t, id.as_str(), m)))
        .collect();
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
            let mut n = String::with_capacity(name.len() + t.len() + id.len() + 2);
            n.push_str(&name);
            n.push(KEY_SEP);
            n.push_str(t);
            n.push(KEY_SEP);
            n.push_str(id);
            names.push(n);
        }
    }
    names.sort_unstable();
    names.dedup();
    for n in names {
        td.add_text(fields.dict_name, n);
    }
}

/// Adds `section` (distinct passage types), `resource` and `concept_type` (of the concepts).
fn add_sections_and_concepts(fields: &Fields, doc: &Document, td: &mut TantivyDocument) {
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
    let mut resources: Vec<String> = doc
        .concepts
        .iter()
        .flat_map(|c| c.resources.iter().map(|r| r.trim().to_lowercase()))
        .collect();
    resources.sort_unstable();
    resources.dedup();
    for r in resources.into_iter().filter(|r| !r.is_empty()) {
        td.add_text(fields.resource, r);
    }
    for c in &doc.concepts {
        td.add_text(fields.concept_type, canonical_type(&c.raw_type));
    }
}

/// Adds the `facet` column values: per type of `types` (sorted, distinct) a `Type\0` marker
/// (a type's facet count is then the number of `type:X` hits), then its distinct IDs from
/// `items` (sorted by type and ID).
fn add_facets(
    fields: &Fields,
    types: &[&str],
    items: &[(&str, String, Option<&str>)],
    td: &mut TantivyDocument,
) {
    let mut rest = items;
    for t in types {
        let mut marker = String::with_capacity(t.len() + 1);
        marker.push_str(t);
        marker.push('\0');
        td.add_text(fields.facet, marker);
        let n = rest.iter().take_while(|(it, _, _)| it == t).count();
        let (mine, after) = rest.split_at(n);
        rest = after;
        let mut last: Option<&str> = None;
        for (_, id, _) in mine {
            if last != Some(id.as_str()) && !id.is_empty() {
                td.add_text(
                    fields.facet,
                    Facet::from_path([*t, id.as_str()]).encoded_str(),
                );
            }
            last = Some(id.as_str());
        }
    }
}

/// Adds the `tally` counts: kept annotations per type (`types`: those of `kept`, sorted, and of
/// the concepts), annotations and relations per source.
fn add_tally(
    fields: &Fields,
    doc: &Document,
    kept: &[(&Annotation, &str)],
    types: &[&str],
    td: &mut TantivyDocument,
) {
    let mut add = |v: u64| td.add_u64(fields.tally, v);
    for t in types {
        let n = kept.iter().filter(|(_, k)| k == t).count() as u64;
        tally::values(Counter::TypeAnnotations, t, n, &mut add);
    }
    for l in &doc.layers {
        tally::values(
            Counter::SourceAnnotations,
            &l.source,
            u64::from(l.annotations),
            &mut add,
        );
        tally::values(
            Counter::SourceRelations,
            &l.source,
            u64::from(l.relations),
            &mut add,
        );
    }
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
        .map(search_key)
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
        authors.push(search_key(a));
        authors.push(search_key(author_last_name(a)));
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
    for l in &doc.layers {
        td.add_text(fields.source, l.source.to_lowercase());
        facets.push(meta_facet("source", &l.source));
        // Documents per source (`stats`, `sources rename`); the annotation and relation
        // counts go to `tally`.
        td.add_text(fields.source, format!("d|{}", l.source));
    }
    facets.sort_unstable();
    facets.dedup();
    for f in facets {
        td.add_text(fields.meta, f);
    }
}
