//! Quickwit NDJSON: one JSON object per document, accepted by the doc mapping in
//! `schema/quickwit-index.yaml` (mode `strict`), for corpora that outgrow one machine.
//!
//! The fields mirror the index schema ([`crate::index::schema`]) with the same terms, so that our
//! query syntax maps onto Quickwit's term for term (see the comment block of the YAML):
//!
//! | field | type | value |
//! |---|---|---|
//! | `id` | `text`, raw, fast | the document ID |
//! | `pmid` | `u64`, fast, optional | the ID as a number when it is all digits (sort by ID) |
//! | `title` | `text` | the first passage |
//! | `abstract` | `text` | every later non-empty passage, joined by `\n` ([`Document::body`]) |
//! | `mention` | `array<text>` | every non-blank mention, one value per annotation |
//! | `entity` | `array<text>`, raw, freqs | `type:id` and bare `id`, lower case, every ID form ([`entity_term`]), once per mention: the term frequency is the mention count |
//! | `entity_type` | `array<text>`, raw, fast | canonical types (`Gene`) of every annotation and bulk concept, with an ID or not (per-type facet counts, as `type:X`) |
//! | `relation` | `array<text>`, raw | `key\|a\|b` relation terms, order-free, as in the `relation` field |
//! | `entities_by_type` | `array<text>`, raw, fast | `Type/ID` per distinct entity (our `facet` field) |
//! | `entity_gene`, `entity_disease`, `entity_chemical`, `entity_species`, `entity_variant`, `entity_cellline` | `array<text>`, raw, fast | the IDs (as in `entities_by_type`) of that canonical type: per-type terms aggregations need no value list ([`TYPE_FIELDS`]) |
//! | `entity_other` | `array<text>`, raw, fast | `Type/ID` of every entity of another (kept) type |
//! | `annotations` | `array<json>`, stored only | the annotations as parsed |
//! | `section` | `array<text>`, raw | distinct passage sections, trimmed, lower case (as `section`) |
//! | `resource` | `array<text>`, raw | resources of the PubTator3 bulk concepts, lower case |
//! | `concepts` | `array<json>`, stored only | the PubTator3 bulk concepts (no offsets) |
//! | `year` | `u64`, fast, optional | publication year |
//! | `journal`, `author`, `pubtype`, `mesh`, `source` | `array<text>`, raw | the terms of our fields of the same names ([`crate::index::schema`]): lower case; journals and authors as [`search_key`]s |
//!
//! Bulk concepts also add their `mention`, `entity`, `entity_type` and `entities_by_type` values.
//! Variant annotations add their identities, `gene:N` for their gene links and one
//! `entities_by_type` value per variant, as in our index (`index::variant_terms`).
//!
//! Every field but the optional ones ([`OPTIONAL_FIELDS`]) is written for every document (empty
//! strings and arrays included); `pmid` and `year` are left out when unknown (Quickwit's strict
//! mode rejects undeclared fields, not missing ones). A non-numeric ID (`PMC123`) has no `pmid`:
//! sorted by `pmid`, such documents come after every numeric one, in no set order.

use crate::index::relterms::{relation_arg_forms, relation_term};
use crate::index::schema::{entity_term, id_sort_key};
use crate::index::variant_terms::{document_variants, is_variant_annotation, VariantTerms};
use crate::pubtator::ids::{
    canonical_type, id_parts, relation_key, split_ids, taxon_suffix, CANONICAL_TYPES,
};
use crate::pubtator::meta::{author_last_name, search_key};
use crate::pubtator::{Annotation, Document};
pub use crate::search::translate::{type_field, TYPE_FIELDS};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

/// The fields [`write_quickwit_ndjson`] writes, in order; `schema/quickwit-index.yaml`
/// declares exactly these.
pub const FIELDS: [&str; 26] = [
    "id",
    "pmid",
    "title",
    "abstract",
    "mention",
    "entity",
    "entity_type",
    "relation",
    "entities_by_type",
    "entity_gene",
    "entity_disease",
    "entity_chemical",
    "entity_species",
    "entity_variant",
    "entity_cellline",
    "entity_other",
    "annotations",
    "section",
    "resource",
    "concepts",
    "year",
    "journal",
    "author",
    "pubtype",
    "mesh",
    "source",
];

/// The [`FIELDS`] left out of a line when the document has no value for them.
pub const OPTIONAL_FIELDS: [&str; 2] = ["pmid", "year"];

#[derive(Serialize)]
struct QuickwitDoc<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pmid: Option<u64>,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: String,
    mention: Vec<&'a str>,
    entity: Vec<String>,
    entity_type: BTreeSet<&'a str>,
    relation: BTreeSet<String>,
    entities_by_type: BTreeSet<String>,
    entity_gene: BTreeSet<String>,
    entity_disease: BTreeSet<String>,
    entity_chemical: BTreeSet<String>,
    entity_species: BTreeSet<String>,
    entity_variant: BTreeSet<String>,
    entity_cellline: BTreeSet<String>,
    entity_other: BTreeSet<String>,
    annotations: Vec<QuickwitAnnotation<'a>>,
    section: BTreeSet<String>,
    resource: BTreeSet<String>,
    concepts: Vec<crate::search::ConceptView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    journal: BTreeSet<String>,
    author: BTreeSet<String>,
    pubtype: BTreeSet<String>,
    mesh: BTreeSet<String>,
    source: BTreeSet<String>,
}

/// One annotation in the `annotations` field: the columns as written and the resolved span.
#[derive(Serialize)]
struct QuickwitAnnotation<'a> {
    block: u32,
    start: u64,
    end: u64,
    mention: &'a str,
    raw_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_id: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    extra: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<QuickwitSpan>,
}

#[derive(Serialize)]
struct QuickwitSpan {
    passage: u32,
    start: u32,
    end: u32,
}

impl<'a> From<&'a Annotation> for QuickwitAnnotation<'a> {
    fn from(a: &'a Annotation) -> Self {
        QuickwitAnnotation {
            block: a.block,
            start: a.start,
            end: a.end,
            mention: &a.mention,
            raw_type: &a.raw_type,
            raw_id: a.raw_id.as_deref(),
            extra: &a.extra,
            span: a.span.map(|s| QuickwitSpan {
                passage: s.passage,
                start: s.start,
                end: s.end,
            }),
        }
    }
}

/// The entity values of one document, gathered from its annotations and bulk concepts.
#[derive(Default)]
struct Entities<'a> {
    entity: Vec<String>,
    entity_type: BTreeSet<&'a str>,
    entities_by_type: BTreeSet<String>,
    mention: Vec<&'a str>,
    taxa: Vec<String>,
    resource: BTreeSet<String>,
    /// ID (any form, lower case) → canonical type, for the typed relation forms.
    id_types: HashMap<String, String>,
}

impl<'a> Entities<'a> {
    fn of(doc: &'a Document) -> Entities<'a> {
        let mut e = Entities::default();
        e.annotations(doc);
        e.concepts(doc);
        e.resource.remove("");
        e.entity.extend(std::mem::take(&mut e.taxa));
        e.entity.sort_unstable();
        e
    }

    fn typed(&mut self, id: &str, ctype: &str) {
        self.id_types
            .entry(id.to_lowercase())
            .or_insert_with(|| ctype.to_string());
    }

    /// Once per mention (annotation) or bulk concept, like our `entity` field: the term
    /// frequency is the number of mentions, which BM25 ranks by.
    fn add_ids(&mut self, ctype: &'a str, ids: Vec<String>, variant: Option<&VariantTerms>) {
        self.entity_type.insert(ctype);
        if let Some(v) = variant {
            // A variant: its identities and gene links, one shown value (as our index).
            for id in &ids {
                self.typed(id, ctype);
            }
            for form in &v.identities {
                self.entity.push(entity_term(Some(ctype), form));
                self.entity.push(entity_term(None, form));
                self.typed(form, ctype);
            }
            for gene in &v.genes {
                self.entity.push(entity_term(Some("Gene"), gene));
                self.entity.push(entity_term(None, gene));
            }
            for shown in &v.shown {
                self.entities_by_type.insert(format!("{ctype}/{shown}"));
            }
            return;
        }
        for id in ids {
            self.typed(&id, ctype);
            let parts = id_parts(&id);
            for form in std::iter::once(&id).chain(&parts) {
                self.entity.push(entity_term(Some(ctype), form));
                self.entity.push(entity_term(None, form));
            }
            for part in &parts {
                self.typed(part, ctype);
            }
            self.entities_by_type.insert(format!("{ctype}/{id}"));
        }
    }

    fn annotations(&mut self, doc: &'a Document) {
        let columns: Vec<&str> = doc
            .annotations
            .iter()
            .map(|a| {
                (
                    canonical_type(&a.raw_type),
                    a.raw_id.as_deref().unwrap_or(""),
                )
            })
            .filter(|(t, raw)| is_variant_annotation(t, raw))
            .map(|(_, raw)| raw)
            .collect();
        let mut variants = document_variants(&columns).into_iter();
        for a in &doc.annotations {
            if !a.mention.trim().is_empty() {
                self.mention.push(a.mention.as_str());
            }
            let raw_id = a.raw_id.as_deref().unwrap_or("");
            let ctype = canonical_type(&a.raw_type);
            let variant = is_variant_annotation(ctype, raw_id)
                .then(|| variants.next())
                .flatten()
                .map(|v| v.with_mentions([a.mention.as_str()]));
            self.add_ids(ctype, split_ids(raw_id), variant.as_ref());
            // GNormPlus' `54702(Tax:10116)`: the taxon is searchable as `species:10116`, as
            // in our index (not a facet value).
            if raw_id.contains('(') {
                for taxon in raw_id.split([',', ';', '|']).filter_map(taxon_suffix) {
                    self.taxa.push(entity_term(Some("Species"), taxon));
                    self.taxa.push(entity_term(None, taxon));
                }
            }
        }
    }

    fn concepts(&mut self, doc: &'a Document) {
        for c in &doc.concepts {
            self.mention.extend(
                c.mentions
                    .iter()
                    .map(|m| m.trim())
                    .filter(|m| !m.is_empty()),
            );
            self.resource
                .extend(c.resources.iter().map(|r| r.trim().to_lowercase()));
            let ctype = canonical_type(&c.raw_type);
            if c.ids.is_empty() {
                // An unnormalized concept still gives its document the type (as our `type`).
                self.add_ids(ctype, Vec::new(), None);
            }
            for id in &c.ids {
                let variant = is_variant_annotation(ctype, id)
                    .then(|| document_variants(&[id.as_str()]).pop())
                    .flatten()
                    .map(|v| v.with_mentions(c.mentions.iter().map(String::as_str)));
                self.add_ids(ctype, vec![id.clone()], variant.as_ref());
            }
        }
    }

    /// The per-type field values (in [`TYPE_FIELDS`] order), from the `Type/ID` values.
    fn by_type(&self) -> [BTreeSet<String>; 7] {
        let mut by_type: [BTreeSet<String>; 7] = Default::default();
        for v in &self.entities_by_type {
            let Some((t, id)) = v.split_once('/') else {
                continue;
            };
            match CANONICAL_TYPES.iter().position(|c| *c == t) {
                Some(i) => by_type[i].insert(id.to_string()),
                None => by_type[CANONICAL_TYPES.len()].insert(v.clone()),
            };
        }
        by_type
    }
}

/// The relation terms of `doc` (typed and `any`), with argument types from `id_types`.
fn relation_terms(doc: &Document, id_types: &HashMap<String, String>) -> BTreeSet<String> {
    let mut relation = BTreeSet::new();
    for r in &doc.relations {
        let key = relation_key(&r.rel_type);
        let forms: Vec<Vec<String>> = r
            .args
            .iter()
            .enumerate()
            .map(|(n, raw)| {
                let mut ids = split_ids(raw);
                if ids.is_empty() && !raw.trim().is_empty() {
                    ids.push(raw.trim().to_string());
                }
                let named = r.arg_types.get(n).map(|t| canonical_type(t));
                ids.iter()
                    .flat_map(|id| {
                        let t = id_types.get(&id.to_lowercase()).map(String::as_str);
                        relation_arg_forms(id, t.or(named))
                    })
                    .collect()
            })
            .collect();
        for a in &forms[0] {
            for b in &forms[1] {
                relation.insert(relation_term(&key, a, b));
                relation.insert(relation_term("any", a, b));
            }
        }
    }
    relation
}

fn quickwit_doc<'a>(doc: &'a Document) -> QuickwitDoc<'a> {
    let entities = Entities::of(doc);
    let relation = relation_terms(doc, &entities.id_types);
    let section: BTreeSet<String> = doc
        .passages
        .iter()
        .filter_map(|p| p.section.as_deref())
        .map(|s| s.trim().to_lowercase())
        .collect();
    let [entity_gene, entity_disease, entity_chemical, entity_species, entity_variant, entity_cellline, entity_other] =
        entities.by_type();
    let meta = Meta::of(doc);
    let pmid = Some(id_sort_key(&doc.id)).filter(|&n| n != u64::MAX);
    QuickwitDoc {
        id: &doc.id,
        pmid,
        title: doc.title(),
        abstract_text: doc.body(),
        mention: entities.mention,
        entity: entities.entity,
        entity_type: entities.entity_type,
        relation,
        entities_by_type: entities.entities_by_type,
        entity_gene,
        entity_disease,
        entity_chemical,
        entity_species,
        entity_variant,
        entity_cellline,
        entity_other,
        annotations: doc
            .annotations
            .iter()
            .map(QuickwitAnnotation::from)
            .collect(),
        section,
        resource: entities.resource,
        concepts: doc
            .concepts
            .iter()
            .map(crate::search::ConceptView::from)
            .collect(),
        year: doc.meta.year,
        journal: meta.journal,
        author: meta.author,
        pubtype: meta.pubtype,
        mesh: meta.mesh,
        source: meta.source,
    }
}

/// The metadata fields: the terms of our fields of the same names, lower case.
struct Meta {
    journal: BTreeSet<String>,
    author: BTreeSet<String>,
    pubtype: BTreeSet<String>,
    mesh: BTreeSet<String>,
    source: BTreeSet<String>,
}

impl Meta {
    fn of(doc: &Document) -> Meta {
        let m = &doc.meta;
        let lower = |s: &str| s.trim().to_lowercase();
        let set = |values: Vec<String>| -> BTreeSet<String> {
            values.into_iter().filter(|v| !v.is_empty()).collect()
        };
        Meta {
            journal: set([m.journal.as_deref(), m.journal_title.as_deref()]
                .into_iter()
                .flatten()
                .map(search_key)
                .collect()),
            author: set(m
                .authors
                .iter()
                .flat_map(|a| [search_key(a), search_key(author_last_name(a))])
                .collect()),
            pubtype: set(m.pubtypes.iter().map(|p| lower(p)).collect()),
            mesh: set(m
                .mesh
                .iter()
                .flat_map(|h| [lower(&h.ui), lower(&h.name)])
                .collect()),
            source: set(doc.layers.iter().map(|l| l.source.to_lowercase()).collect()),
        }
    }
}

/// Writes one document as one line of Quickwit NDJSON (the [`FIELDS`], then `\n`).
pub fn write_quickwit_ndjson<W: Write>(out: &mut W, doc: &Document) -> io::Result<()> {
    let mut line = serde_json::to_vec(&quickwit_doc(doc))?;
    line.push(b'\n');
    out.write_all(&line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::parse::{parse_document, Line};

    fn parse(text: &str) -> Document {
        let lines: Vec<Line<'_>> = text
            .lines()
            .enumerate()
            .map(|(i, l)| Line {
                number: i as u64 + 1,
                bytes: l.as_bytes(),
            })
            .collect();
        parse_document(&lines).document.unwrap()
    }

    #[test]
    fn one_line_with_every_field_and_our_terms() {
        let doc = parse("5|t|PD1 in cancer.\n5|a|We study PD1.\n5\t0\t3\tPD1\tGeneOrGeneProduct\t5133\n5\t7\t13\tcancer\tDisease\tD009369\n5\tAssociation\t5133\tD009369\tNovel");
        let mut out = Vec::new();
        write_quickwit_ndjson(&mut out, &doc).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.ends_with('\n'));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        // ID 5 is numeric: `pmid` is written; no year is known: `year` is not.
        let mut want: Vec<&str> = FIELDS.iter().copied().filter(|f| *f != "year").collect();
        want.sort_unstable();
        assert_eq!(v["pmid"], 5);
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want);
        let has = |field: &str, value: &str| {
            v[field]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x.as_str() == Some(value))
        };
        assert!(has("entity", "gene:5133") && has("entity", "5133"));
        assert!(has("entity_type", "Gene") && has("entity_type", "Disease"));
        assert!(has("entity", "disease:mesh:d009369"));
        assert!(has("entity_type", "Gene"));
        assert!(has("entities_by_type", "Disease/MESH:D009369"));
        assert_eq!(v["entity_gene"], serde_json::json!(["5133"]));
        assert_eq!(v["entity_disease"], serde_json::json!(["MESH:D009369"]));
        assert_eq!(v["entity_other"], serde_json::json!([]));
        assert!(has("relation", "association|i:5133|i:mesh:d009369"));
        assert!(has("relation", "any|i:5133|t:disease"));
        assert!(has("relation", "any|t:disease|t:gene"));
        assert_eq!(v["abstract"], "We study PD1.");
        assert_eq!(v["annotations"][0]["raw_type"], "GeneOrGeneProduct");
        assert_eq!(v["annotations"][0]["span"]["end"], 3);
        assert_eq!(v["section"], serde_json::json!([]));
    }

    #[test]
    fn per_type_fields_hold_the_ids_of_their_type_and_other_types_go_to_entity_other() {
        let doc = parse("6|t|X and PD1.\n6\t0\t1\tX\tNonStandardRef\tabc123\n6\t6\t9\tPD1\tGene\t5133\n6\t6\t9\tPD1\tGene\t5133");
        let mut out = Vec::new();
        write_quickwit_ndjson(&mut out, &doc).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["entity_other"],
            serde_json::json!(["NonStandardRef/abc123"])
        );
        assert_eq!(v["entity_gene"], serde_json::json!(["5133"]));
        for f in TYPE_FIELDS {
            assert!(v[f].is_array(), "{f} is written");
        }
        assert_eq!(type_field("Gene"), "entity_gene");
        assert_eq!(type_field("CellLine"), "entity_cellline");
        assert_eq!(type_field("NonStandardRef"), "entity_other");
    }

    #[test]
    fn entity_terms_repeat_once_per_mention() {
        // PD1 three times (once in the title), cancer once, an unnormalized annotation, a
        // GNormPlus taxon and a non-numeric ID.
        let doc = parse("PMC9|t|PD1 and PD1.\nPMC9|a|PD1 in cancer x.\nPMC9\t0\t3\tPD1\tGene\t5133\nPMC9\t8\t11\tPD1\tGene\t5133\nPMC9\t13\t16\tPD1\tGene\t5133(Tax:10116)\nPMC9\t20\t26\tcancer\tDisease\tD009369\nPMC9\t27\t28\tx\tChemical\t-");
        let mut out = Vec::new();
        write_quickwit_ndjson(&mut out, &doc).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let count = |value: &str| {
            v["entity"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x.as_str() == Some(value))
                .count()
        };
        assert_eq!(count("gene:5133"), 3);
        assert_eq!(count("5133"), 3);
        assert_eq!(count("disease:mesh:d009369"), 1);
        assert_eq!(count("species:10116"), 1);
        assert_eq!(
            v["entity_type"],
            serde_json::json!(["Chemical", "Disease", "Gene"])
        );
        // The Chemical annotation has no ID and still counts for Chemical, as `type:Chemical`.
        assert!(v.get("pmid").is_none(), "a non-numeric ID has no pmid");
        assert!(v.get("year").is_none());
    }
}
