//! Streaming BioC XML reader: quick-xml events → one [`RawDoc`] at a time → [`Document`].
//!
//! Only the current `<document>` is held in memory, so multi-gigabyte BioCXML files stream.
//! Element names are matched without namespace prefixes; unknown elements are skipped.
//! Entity references other than the five XML ones and character references are kept as
//! written (no DTD is read); invalid UTF-8 is replaced and reported. Line ends in text are
//! normalized to `\n` as XML requires.
//!
//! [`Document`]: crate::pubtator::Document

use super::bioc::{convert, RawAnn, RawDoc, RawPassage, RawRel};
use super::xml_text::{for_each_event, unescape, XmlEvent};
use super::{BiocStats, InteropError, Item};
use quick_xml::events::BytesStart;
use std::io::BufRead;

/// Reads BioC XML, calling `on_item` with each document or problem in input order.
///
/// Returns `Err` only for I/O errors and XML that is not well-formed (including input that
/// ends inside a document); every document before the error has been delivered.
pub fn read_bioc_xml<R: BufRead>(r: R, on_item: &mut dyn FnMut(Item)) -> Result<(), InteropError> {
    read_bioc_xml_with_stats(r, on_item, &mut BiocStats::default())
}

/// [`read_bioc_xml`] that also adds offset-resolution counts to `stats`.
pub fn read_bioc_xml_with_stats<R: BufRead>(
    r: R,
    on_item: &mut dyn FnMut(Item),
    stats: &mut BiocStats,
) -> Result<(), InteropError> {
    let mut st = State::default();
    let end = for_each_event(r, |event, line| match event {
        XmlEvent::Start(e, empty) => st.start(e, line, empty, stats, on_item),
        XmlEvent::End => st.end(stats, on_item),
        XmlEvent::Text(t, cdata) => st.text(t, cdata, line),
    })?;
    match st.doc {
        Some(d) => Err(InteropError::Xml {
            line: end,
            message: format!(
                "input ends inside document '{}' (started on line {})",
                d.id.unwrap_or_default(),
                d.line
            ),
        }),
        None => Ok(()),
    }
}

/// What an open element is, so that its end event knows what to finish.
#[derive(Debug, Clone, PartialEq)]
enum Tag {
    Document,
    Passage,
    Sentence,
    Annotation,
    Relation,
    Id,
    Offset,
    Text,
    Infon(String),
    Other,
}

#[derive(Default)]
struct State {
    stack: Vec<Tag>,
    doc: Option<RawDoc>,
    passage: Option<RawPassage>,
    sentence: Option<(Option<i64>, String)>,
    ann: Option<RawAnn>,
    rel: Option<RawRel>,
    /// Text of the open leaf element (`id`, `offset`, `text`, `infon`).
    leaf: String,
}

/// Attribute `name` of an element, unescaped leniently.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| unescape(&a.value, false).0)
}

fn number(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

impl State {
    fn problem(&mut self, line: u64, message: String) {
        if let Some(d) = &mut self.doc {
            d.problems.push((line, message));
        }
    }

    fn start(
        &mut self,
        e: &BytesStart<'_>,
        line: u64,
        empty: bool,
        stats: &mut BiocStats,
        on_item: &mut dyn FnMut(Item),
    ) {
        let in_doc = self.doc.is_some();
        let tag = match e.local_name().as_ref() {
            b"document" if !in_doc => {
                self.doc = Some(RawDoc {
                    line,
                    ..RawDoc::default()
                });
                Tag::Document
            }
            b"passage" if in_doc && self.passage.is_none() => {
                self.passage = Some(RawPassage::default());
                Tag::Passage
            }
            b"sentence" if self.passage.is_some() && self.sentence.is_none() => {
                self.sentence = Some((None, String::new()));
                Tag::Sentence
            }
            b"annotation" if in_doc && self.ann.is_none() && self.rel.is_none() => {
                self.ann = Some(RawAnn {
                    id: attr(e, b"id"),
                    line,
                    ..RawAnn::default()
                });
                Tag::Annotation
            }
            b"relation" if in_doc && self.ann.is_none() && self.rel.is_none() => {
                self.rel = Some(RawRel {
                    id: attr(e, b"id"),
                    line,
                    ..RawRel::default()
                });
                Tag::Relation
            }
            b"location" => {
                if let Some(a) = &mut self.ann {
                    let (o, l) = (attr(e, b"offset"), attr(e, b"length"));
                    match (o.as_deref().and_then(number), l.as_deref().and_then(number)) {
                        (Some(o), Some(l)) => a.locations.push((o, l)),
                        _ => {
                            let msg = format!(
                                "annotation {}: bad location offset={o:?} length={l:?} ignored",
                                a.id.as_deref().unwrap_or("?")
                            );
                            self.problem(line, msg);
                        }
                    }
                }
                Tag::Other
            }
            b"node" => {
                if let Some(r) = &mut self.rel {
                    r.nodes.push((
                        attr(e, b"refid").unwrap_or_default(),
                        attr(e, b"role").unwrap_or_default(),
                    ));
                }
                Tag::Other
            }
            b"id" if in_doc => Tag::Id,
            b"offset" if in_doc => Tag::Offset,
            b"text" if in_doc => Tag::Text,
            b"infon" if in_doc => Tag::Infon(attr(e, b"key").unwrap_or_default()),
            _ => Tag::Other,
        };
        if tag != Tag::Other {
            self.leaf.clear();
        }
        self.stack.push(tag);
        if empty {
            self.end(stats, on_item);
        }
    }

    fn text(&mut self, raw: &[u8], cdata: bool, line: u64) {
        // Text of unknown elements inside a leaf (`<text>a<i>b</i></text>`) belongs to it.
        if !matches!(
            self.stack.iter().rev().find(|t| **t != Tag::Other),
            Some(Tag::Id | Tag::Offset | Tag::Text | Tag::Infon(_))
        ) {
            return;
        }
        let (s, lossy) = unescape(raw, cdata);
        if lossy {
            self.problem(line, "invalid UTF-8 replaced by U+FFFD".to_string());
        }
        self.leaf.push_str(&s);
    }

    fn end(&mut self, stats: &mut BiocStats, on_item: &mut dyn FnMut(Item)) {
        let Some(tag) = self.stack.pop() else { return };
        let leaf = match tag {
            Tag::Other => String::new(),
            _ => std::mem::take(&mut self.leaf),
        };
        match tag {
            Tag::Document => {
                if let Some(d) = self.doc.take() {
                    convert(d, stats, on_item);
                }
                self.passage = None;
                self.sentence = None;
                self.ann = None;
                self.rel = None;
            }
            Tag::Passage => {
                if let (Some(p), Some(d)) = (self.passage.take(), &mut self.doc) {
                    d.passages.push(p);
                }
            }
            Tag::Sentence => {
                if let (Some(s), Some(p)) = (self.sentence.take(), &mut self.passage) {
                    p.sentences.push(s);
                }
            }
            Tag::Annotation => {
                if let Some(a) = self.ann.take() {
                    match (&mut self.passage, &mut self.doc) {
                        (Some(p), _) => p.annotations.push(a),
                        (None, Some(d)) => d.annotations.push(a),
                        _ => {}
                    }
                }
            }
            Tag::Relation => {
                if let (Some(r), Some(d)) = (self.rel.take(), &mut self.doc) {
                    if let Some(id) = &r.id {
                        d.relation_ids.push(id.clone());
                    }
                    d.relations.push(r);
                }
            }
            Tag::Id => {
                if let Some(d) = &mut self.doc {
                    if self.passage.is_none() && self.ann.is_none() && self.rel.is_none() {
                        d.id = Some(leaf);
                    }
                }
            }
            Tag::Offset => {
                let value = number(&leaf);
                if value.is_none() {
                    let line = self.doc.as_ref().map_or(0, |d| d.line);
                    self.problem(line, format!("bad <offset> '{}' ignored", leaf.trim()));
                }
                if let Some(s) = &mut self.sentence {
                    s.0 = value;
                } else if let Some(p) = &mut self.passage {
                    p.offset = value;
                }
            }
            Tag::Text => {
                if let Some(a) = &mut self.ann {
                    a.text = leaf;
                } else if let Some(s) = &mut self.sentence {
                    s.1 = leaf;
                } else if let Some(p) = &mut self.passage {
                    p.text = Some(leaf);
                }
            }
            Tag::Infon(key) => {
                let pair = (key, leaf);
                if let Some(r) = &mut self.rel {
                    r.infons.push(pair);
                } else if let Some(a) = &mut self.ann {
                    a.infons.push(pair);
                } else if let (None, Some(p)) = (&self.sentence, &mut self.passage) {
                    p.infons.push(pair);
                } else if let (None, None, Some(d)) = (&self.sentence, &self.passage, &mut self.doc)
                {
                    d.infons.push(pair);
                }
            }
            Tag::Other => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::{Document, PassageKind, Span};

    type Out = (Vec<Document>, Vec<(u64, String)>, Result<(), InteropError>);

    fn read(xml: &str) -> Out {
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        let r = read_bioc_xml(xml.as_bytes(), &mut |i| match i {
            Item::Document(d) => docs.push(*d),
            Item::Problem { line, message } => problems.push((line, message)),
            Item::Homologene(_) => {}
        });
        (docs, problems, r)
    }

    const TITLE_ABSTRACT: &str = r#"<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE collection SYSTEM "BioC.dtd">
<collection><source>PubTator</source><date/><key>BioC.key</key>
<document><id> 123 </id>
<passage><infon key="type">title</infon><offset>0</offset><text>PD1 in cancer.</text>
<annotation id="1"><infon key="identifier">5133</infon><infon key="type">Gene</infon><location offset="0" length="3"/><text>PD1</text></annotation></passage>
<passage><infon key="type">abstract</infon><offset>15</offset><text>We study PD1 &amp; PD-L1.</text>
<annotation id="2"><infon key="type">Gene</infon><infon key="NCBI Gene">29126</infon><location offset="30" length="5" /><text>PD-L1</text></annotation>
<relation id="R1"><infon key="type">Bind</infon><node refid="1" role="a"/><node refid="2" role="b"/></relation>
</passage></document></collection>"#;

    #[test]
    fn title_and_abstract_become_one_record() {
        let (docs, problems, r) = read(TITLE_ABSTRACT);
        assert!(r.is_ok() && problems.is_empty(), "{problems:?}");
        let d = &docs[0];
        assert_eq!(d.id, "123");
        assert_eq!(d.passages[1].text, "We study PD1 & PD-L1.");
        assert_eq!(
            (d.passages[0].kind, d.passages[1].kind, d.passages[1].block),
            (PassageKind::Title, PassageKind::Abstract, 0)
        );
        assert_eq!(d.passages[0].section.as_deref(), Some("title"));
        let a = &d.annotations[1];
        assert_eq!(
            (a.start, a.end, a.raw_id.as_deref()),
            (30, 35, Some("29126"))
        );
        assert_eq!(
            a.span,
            Some(Span {
                passage: 1,
                start: 15,
                end: 20
            })
        );
        assert_eq!(
            d.relations[0].args,
            ["5133".to_string(), "29126".to_string()]
        );
    }

    #[test]
    fn full_text_passages_are_records_with_sections() {
        let xml = r#"<collection><document><id>9</id>
<passage><infon key="section_type">TITLE</infon><infon key="type">front</infon><offset>0</offset><text>T</text></passage>
<passage><infon key="section_type">ABSTRACT</infon><offset>2</offset><text>Abs.</text></passage>
<passage><infon key="type">paragraph</infon><offset>7</offset><text>Use TNF.</text>
<annotation id="3"><infon key="type">Gene</infon><infon key="identifier">7124</infon><location offset="11" length="3"/><text>TNF</text></annotation></passage>
</document></collection>"#;
        let (docs, _, r) = read(xml);
        assert!(r.is_ok());
        let d = &docs[0];
        let secs: Vec<_> = d.passages.iter().map(|p| p.section.as_deref()).collect();
        assert_eq!(secs, [Some("TITLE"), Some("ABSTRACT"), Some("paragraph")]);
        assert!(d.passages.iter().all(|p| p.kind == PassageKind::Title));
        let a = &d.annotations[0];
        assert_eq!((a.block, a.start, a.end), (2, 4, 7));
    }

    #[test]
    fn sentences_without_passage_text_are_joined_at_their_offsets() {
        let xml = r#"<collection><document><id>4</id><passage><offset>10</offset>
<sentence><offset>10</offset><text>One.</text></sentence>
<sentence><offset>16</offset><text>Two TNF.</text>
<annotation id="a"><infon key="type">Gene</infon><location offset="20" length="3"/><text>TNF</text></annotation></sentence>
</passage></document></collection>"#;
        let (docs, _, _) = read(xml);
        assert_eq!(docs[0].passages[0].text, "One.  Two TNF.");
        assert_eq!(
            docs[0].annotations[0].span,
            Some(Span {
                passage: 0,
                start: 10,
                end: 13
            })
        );
        assert_eq!(docs[0].annotations[0].raw_id, None);
    }

    #[test]
    fn discontinuous_locations_are_one_annotation_and_contiguous_ones_merge() {
        let xml = r#"<collection><document><id>5</id><passage><offset>0</offset><text>caspase-8 and -10 here</text>
<annotation id="x"><infon key="type">Gene</infon><location offset="0" length="7"/><location offset="14" length="3"/><text>caspase-10</text></annotation>
<annotation id="y"><infon key="type">Gene</infon><location offset="0" length="7"/><location offset="7" length="2"/><text>caspase-8</text></annotation>
</passage></document></collection>"#;
        let (docs, _, _) = read(xml);
        let m: Vec<(&str, u64, u64)> = docs[0]
            .annotations
            .iter()
            .map(|a| (a.mention.as_str(), a.start, a.end))
            .collect();
        assert_eq!(m, [("caspase-10", 0, 7), ("caspase-8", 0, 9)]);
        let more: Vec<(u32, u32)> = docs[0].annotations[0]
            .more
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        assert_eq!(more, [(14, 17)]);
    }

    #[test]
    fn offsets_past_the_text_and_missing_types_are_reported_not_fatal() {
        let xml = r#"<collection><document><id>6</id><passage><offset>0</offset><text>short</text>
<annotation id="1"><infon key="type">Gene</infon><location offset="90" length="4"/><text>gone</text></annotation>
<annotation id="2"><location offset="0" length="5"/><text>short</text></annotation>
<annotation id="3"><infon key="type">Gene</infon><location offset="x" length="5"/><text>short</text></annotation>
</passage><relation id="R"><infon key="type">T</infon><node refid="1" role="only"/></relation></document></collection>"#;
        let (docs, problems, r) = read(xml);
        assert!(r.is_ok());
        assert_eq!(docs[0].annotations.len(), 1);
        assert_eq!(docs[0].annotations[0].span, None);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems
            .iter()
            .all(|(l, m)| *l >= 1 && m.contains("document 6")));
    }

    #[test]
    fn malformed_xml_is_an_error_after_earlier_documents() {
        let xml =
            "<collection><document><id>1</id></document>\n<document><id>2</id><passage></document>";
        let (docs, _, r) = read(xml);
        assert_eq!(docs.len(), 1);
        assert!(matches!(r, Err(InteropError::Xml { line: 2, .. })), "{r:?}");
        let (docs, _, r) = read("<collection><document><id>1</id><passage>");
        assert!(docs.is_empty() && r.is_err());
    }

    #[test]
    fn entities_cdata_and_bad_bytes() {
        let (docs, problems, _) = read("<collection><document><id>7</id><passage><text>\u{e9}<![CDATA[<b>]]></text></passage></document></collection>");
        assert_eq!(docs[0].passages[0].text, "é<b>");
        assert!(problems.is_empty());
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        for s in [
            "",
            "<",
            "<collection><document>",
            "<a><b></a>",
            "<document><id>&#0;</id></document>",
            "\u{feff}<x/>",
        ] {
            let _ = read(s);
        }
    }
}
