//! Streaming BioC JSON reader.
//!
//! The top level may be a collection `{"documents": [...]}`, a PubTator3 API export
//! `{"PubTator3": [...]}`, a bare array of documents, arrays of arrays (LitCovid's bulk file:
//! `[[notices...], [documents...]]`), a single document object, or several of these one after
//! the other (one document per line). Arrays and the `documents` member are visited element by
//! element with serde's `DeserializeSeed`, so only one document is in memory at a time.
//! Objects that have no BioC member at all (license notices) are skipped silently.
//!
//! Infon values may be any JSON: numbers and booleans are written as text, arrays joined with
//! `,`, `null` skipped; an object (PubTator3's `role1`/`role2` entity records) becomes
//! `Type|identifier` in relations and its identifier elsewhere.

use super::bioc::{convert, RawAnn, RawDoc, RawPassage, RawRel};
use super::{BiocStats, InteropError, Item, LineCounter};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::io::BufRead;
use std::rc::Rc;

/// Reads BioC JSON, calling `on_item` with each document or problem in input order.
///
/// Returns `Err` only for I/O errors and malformed JSON; every document before the error has
/// been delivered.
pub fn read_bioc_json<R: BufRead>(r: R, on_item: &mut dyn FnMut(Item)) -> Result<(), InteropError> {
    read_bioc_json_with_stats(r, on_item, &mut BiocStats::default())
}

/// [`read_bioc_json`] that also adds offset-resolution counts to `stats`.
pub fn read_bioc_json_with_stats<R: BufRead>(
    r: R,
    on_item: &mut dyn FnMut(Item),
    stats: &mut BiocStats,
) -> Result<(), InteropError> {
    let (mut rdr, lines) = LineCounter::new(r);
    if rdr.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        rdr.consume(3);
    }
    let mut ctx = Ctx {
        on_item,
        stats,
        lines: Rc::clone(&lines),
    };
    while skip_whitespace(&mut rdr)? {
        let mut de = serde_json::Deserializer::from_reader(&mut rdr);
        if let Err(e) = Any(&mut ctx).deserialize(&mut de) {
            if e.is_io() {
                return Err(InteropError::Io(e.into()));
            }
            let msg = e.to_string();
            let message = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
            return Err(InteropError::Json {
                line: lines.get() + 1,
                message: message.to_string(),
            });
        }
    }
    Ok(())
}

/// Skips JSON whitespace; false at the end of the input.
fn skip_whitespace<R: BufRead>(r: &mut R) -> std::io::Result<bool> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let n = buf
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
        let more = n < buf.len();
        r.consume(n);
        if more {
            return Ok(true);
        }
    }
}

struct Ctx<'f> {
    on_item: &'f mut dyn FnMut(Item),
    stats: &'f mut BiocStats,
    lines: Rc<Cell<u64>>,
}

/// Seed and visitor for any value: arrays are walked, objects are collections or documents.
struct Any<'c, 'f>(&'c mut Ctx<'f>);

impl<'de> DeserializeSeed<'de> for Any<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Members that mark an object as BioC (a collection or a document).
const BIOC_KEYS: [&str; 7] = [
    "documents",
    "PubTator3",
    "id",
    "_id",
    "passages",
    "relations",
    "annotations",
];

impl<'de> Visitor<'de> for Any<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a BioC collection, document or array of them")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let ctx = self.0;
        while seq.next_element_seed(Any(&mut *ctx))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        let line = ctx.lines.get() + 1;
        let mut fields = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "documents" || key == "PubTator3" {
                map.next_value_seed(Any(&mut *ctx))?;
                streamed = true;
            } else {
                let v: Value = map.next_value()?;
                fields.insert(key, v);
            }
        }
        if !streamed && BIOC_KEYS.iter().any(|k| fields.contains_key(*k)) {
            convert(raw_document(&fields, line), ctx.stats, ctx.on_item);
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An infon value as text; `relation` makes entity objects `Type|identifier`.
fn infon_value(v: &Value, relation: bool) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(|x| infon_value(x, false)).collect();
            (!parts.is_empty()).then(|| parts.join(","))
        }
        Value::Object(o) => {
            let id = ["identifier", "normalized_id", "id"]
                .iter()
                .find_map(|k| o.get(*k).and_then(|x| infon_value(x, false)))?;
            if relation {
                let ty = o
                    .get("type")
                    .and_then(|x| infon_value(x, false))
                    .unwrap_or_default();
                Some(format!("{ty}|{id}"))
            } else {
                Some(id)
            }
        }
    }
}

fn infons(o: &Map<String, Value>, relation: bool) -> Vec<(String, String)> {
    match o.get("infons") {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), infon_value(v, relation)?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A string or number as text (IDs are written both ways).
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer written as a number (possibly `12.0`) or a string.
fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn objects<'v>(
    o: &'v Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'v Map<String, Value>> {
    o.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

fn annotation(a: &Map<String, Value>, line: u64, problems: &mut Vec<(u64, String)>) -> RawAnn {
    let id = text(a.get("id"));
    let mut locations = Vec::new();
    for loc in objects(a, "locations") {
        match (
            loc.get("offset").and_then(integer),
            loc.get("length").and_then(integer),
        ) {
            (Some(o), Some(l)) => locations.push((o, l)),
            _ => problems.push((
                line,
                format!(
                    "annotation {}: bad location {loc:?} ignored",
                    id.as_deref().unwrap_or("?")
                ),
            )),
        }
    }
    RawAnn {
        infons: infons(a, false),
        text: text(a.get("text")).unwrap_or_default(),
        id,
        locations,
        line,
    }
}

fn relation(r: &Map<String, Value>, line: u64) -> RawRel {
    RawRel {
        id: text(r.get("id")),
        infons: infons(r, true),
        nodes: objects(r, "nodes")
            .map(|n| {
                (
                    text(n.get("refid")).unwrap_or_default(),
                    text(n.get("role")).unwrap_or_default(),
                )
            })
            .collect(),
        line,
    }
}

/// The BioC content of one document object.
fn raw_document(o: &Map<String, Value>, line: u64) -> RawDoc {
    let mut doc = RawDoc {
        id: text(o.get("id"))
            .filter(|s| !s.trim().is_empty())
            .or_else(|| text(o.get("_id")).map(|s| s.split('|').next().unwrap_or("").to_string()))
            .or_else(|| text(o.get("pmid"))),
        line,
        infons: infons(o, false),
        ..RawDoc::default()
    };
    let mut relations: Vec<&Map<String, Value>> = objects(o, "relations").collect();
    for p in objects(o, "passages") {
        let offset = p.get("offset").and_then(integer);
        if p.get("offset").is_some_and(|v| !v.is_null()) && offset.is_none() {
            doc.problems.push((
                line,
                format!("bad passage offset {:?} ignored", p.get("offset")),
            ));
        }
        let mut passage = RawPassage {
            offset,
            text: text(p.get("text")),
            infons: infons(p, false),
            ..RawPassage::default()
        };
        for a in objects(p, "annotations") {
            passage
                .annotations
                .push(annotation(a, line, &mut doc.problems));
        }
        relations.extend(objects(p, "relations"));
        for s in objects(p, "sentences") {
            let s_text = text(s.get("text")).unwrap_or_default();
            passage
                .sentences
                .push((s.get("offset").and_then(integer), s_text));
            for a in objects(s, "annotations") {
                passage
                    .annotations
                    .push(annotation(a, line, &mut doc.problems));
            }
            relations.extend(objects(s, "relations"));
        }
        doc.passages.push(passage);
    }
    for a in objects(o, "annotations") {
        let a = annotation(a, line, &mut doc.problems);
        doc.annotations.push(a);
    }
    for r in relations {
        let r = relation(r, line);
        if let Some(id) = &r.id {
            doc.relation_ids.push(id.clone());
        }
        doc.relations.push(r);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::{Document, Span};

    type Out = (Vec<Document>, Vec<(u64, String)>, Result<(), InteropError>);

    fn read(json: &str) -> Out {
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        let r = read_bioc_json(json.as_bytes(), &mut |i| match i {
            Item::Document(d) => docs.push(*d),
            Item::Problem { line, message } => problems.push((line, message)),
            Item::Homologene(_) => {}
        });
        (docs, problems, r)
    }

    const DOC: &str = r#"{"id": 42, "passages": [
 {"offset": 0, "infons": {"type": "title"}, "text": "BRAF in melanoma.", "annotations": [
   {"id": "1", "infons": {"identifier": null, "normalized_id": 673, "type": "Gene", "valid": true}, "text": "BRAF", "locations": [{"offset": 0, "length": 4}]}]},
 {"offset": 18, "infons": {"type": "abstract"}, "text": "Trametinib works.", "annotations": [
   {"id": "2", "infons": {"identifier": "MESH:C560077", "type": "Chemical", "normalized": ["C560077", 5]}, "text": "Trametinib", "locations": [{"offset": "18", "length": 10}]}]}],
 "relations": [{"id": "R1", "infons": {"type": "treat", "score": "0.9",
   "role1": {"identifier": "MESH:C560077", "type": "Chemical"}, "role2": {"normalized_id": 673, "type": "Gene"}}, "nodes": [{"refid": "0", "role": "2,1"}]}]}"#;

    #[test]
    fn non_string_infons_and_role_objects() {
        let (docs, problems, r) = read(DOC);
        assert!(r.is_ok() && problems.is_empty(), "{problems:?} {r:?}");
        let d = &docs[0];
        assert_eq!(d.id, "42");
        assert_eq!(d.annotations[0].raw_id.as_deref(), Some("673"));
        assert_eq!(d.annotations[1].raw_id.as_deref(), Some("MESH:C560077"));
        assert_eq!((d.annotations[1].start, d.annotations[1].end), (18, 28));
        assert_eq!(
            d.annotations[1].span,
            Some(Span {
                passage: 1,
                start: 0,
                end: 10
            })
        );
        assert_eq!(
            d.relations[0].args,
            ["MESH:C560077".to_string(), "673".to_string()]
        );
    }

    #[test]
    fn every_top_level_shape_streams_documents() {
        let one = r#"{"id":"1","passages":[{"offset":0,"text":"a"}]}"#;
        let shapes = [
            format!(r#"{{"source":"x","documents":[{one},{one}],"key":"k"}}"#),
            format!(r#"{{"PubTator3":[{one},{one}]}}"#),
            format!("[{one},{one}]"),
            format!(r#"[[{{"NOTICE":"public domain"}}],[{one},{one}]]"#),
            format!("{one}\n{one}\n"),
            format!("\u{feff}{one}\r\n\r\n{one}"),
        ];
        for s in &shapes {
            let (docs, problems, r) = read(s);
            assert!(r.is_ok(), "{s}: {r:?}");
            assert_eq!((docs.len(), problems.len()), (2, 0), "{s}");
        }
    }

    #[test]
    fn document_level_annotations_sentences_and_node_relations() {
        let json = r#"{"documents":[{"id":"7","passages":[{"offset":5,"text":"","sentences":[
  {"offset":5,"text":"TP53 binds MDM2.","annotations":[
    {"id":"a","infons":{"type":"Gene","Identifier":"7157"},"text":"TP53","locations":[{"offset":5,"length":4}]}],
   "relations":[{"id":"r1","infons":{"type":"Bind","Novel":"Novel"},"nodes":[{"refid":"a"},{"refid":"b"}]}]}]}],
  "annotations":[{"id":"b","infons":{"type":"Gene","NCBI Gene":"4193"},"text":"MDM2","locations":[{"offset":16,"length":4}]}],
  "relations":[{"id":"r2","infons":{"type":"X"},"nodes":[{"refid":"r1"},{"refid":"a"}]}]}]}"#;
        let (docs, problems, _) = read(json);
        let d = &docs[0];
        assert_eq!(d.passages[0].text, "TP53 binds MDM2.");
        assert_eq!(
            d.annotations[1].span,
            Some(Span {
                passage: 0,
                start: 11,
                end: 15
            })
        );
        assert_eq!(d.relations.len(), 1);
        assert_eq!(
            d.relations[0].args,
            ["7157".to_string(), "4193".to_string()]
        );
        assert_eq!(d.relations[0].novelty.as_deref(), Some("Novel"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].1.contains("r2"));
    }

    #[test]
    fn malformed_json_is_an_error_after_earlier_documents() {
        let one = r#"{"id":"1","passages":[]}"#;
        let (docs, _, r) = read(&format!("[{one},\n{one},\n{{\"id\": ]"));
        assert_eq!(docs.len(), 2);
        assert!(
            matches!(r, Err(InteropError::Json { line: 3, .. })),
            "{r:?}"
        );
        for s in [
            "",
            " ",
            "[",
            "{",
            "]",
            "nul",
            "[1,\"x\",null,true]",
            "{\"id\":\"a b\"}",
            "{\"passages\":[{\"offset\":{}}]}",
        ] {
            let _ = read(s);
        }
    }
}
