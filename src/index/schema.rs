//! The index schema ([`SCHEMA_VERSION`], field handles, term forms shared by the write and
//! read sides). The conversion of a parsed document into a tantivy document is
//! [`crate::index::document::to_tantivy`]; relation terms are in [`crate::index::relterms`]. The reviewed description
//! of every field lives in `schema/FIELDS.md`; `schema/schema.json` is the golden
//! serialization checked by a test.

use crate::index::tokenizer::BIO_TOKENIZER;
use tantivy::schema::{
    Facet, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    STORED, STRING,
};

/// Version of the on-disk layout; an index of another version is refused.
pub const SCHEMA_VERSION: u32 = 12;

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
    /// Canonical types of the document's annotations and concepts, once each (the counts per
    /// type are in `tally`).
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
    /// and per layer `d|NAME` (documents per source; the annotation and relation counts are in
    /// `tally`).
    pub source: Field,
    /// Facet column of the metadata: `year\0 2018`, `journal\0 N Engl J Med`, `pubtype\0 Review`,
    /// `source\0 biored/Train` (fast only, like `facet`).
    pub meta: Field,
    /// The whole parsed document in the binary record encoding (`pubtator::codec`), for
    /// display and export.
    pub doc: Field,
    /// Sequence number of the commit that first indexed the document (fast only;
    /// [`crate::index::marks`]).
    pub first_commit: Field,
    /// Sequence number of the last commit that wrote the document (fast only).
    pub last_commit: Field,
    /// Per-document counts of annotations per type and of annotations and relations per
    /// source (fast only; [`crate::index::tally`]).
    pub tally: Field,
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

/// A keyword field with positions: `entity` values sit at the number of their sentence.
fn positioned_keyword() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(crate::index::tokenizer::POSITIONED_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
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
    b.add_text_field("entity", positioned_keyword());
    b.add_text_field("entity_title", keyword(true, false));
    b.add_text_field("type", keyword(false, false));
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
    b.add_u64_field("first_commit", NumericOptions::default().set_fast());
    b.add_u64_field("last_commit", NumericOptions::default().set_fast());
    b.add_u64_field(
        crate::index::tally::TALLY,
        NumericOptions::default().set_fast(),
    );
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
            first_commit: f("first_commit")?,
            last_commit: f("last_commit")?,
            tally: f(crate::index::tally::TALLY)?,
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

/// The facet kinds of the `meta` column, in display order.
pub const META_FACETS: [&str; 4] = ["year", "journal", "pubtype", "source"];

/// The `meta` column value of one facet: `kind\0value`.
pub fn meta_facet(kind: &str, value: &str) -> String {
    Facet::from_path([kind, value]).encoded_str().to_string()
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
