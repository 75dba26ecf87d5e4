//! BioC XML and BioC JSON writers: [`BiocXmlWriter`] and [`BiocJsonWriter`] stream one
//! `<collection>` (or `{"documents": [...]}`) with one BioC document per [`Document`], holding
//! only the document being written in memory.
//!
//! # Mapping
//!
//! Both formats share one layout, chosen so that [`crate::interop::read_bioc_xml`] and
//! [`crate::interop::read_bioc_json`] read a document that came from PubTator back into an
//! equal [`Document`], except for what BioC (or our reader) cannot carry; see *Losses*.
//!
//! * **Document**: `id`; document infons only for bulk concepts (below).
//! * **Passages**: one per [`Passage`](crate::pubtator::Passage), in order. Infon `type` is
//!   the section when one is set, else `title`/`abstract` from the passage kind; infon
//!   `section_type` is the section when one is set. `offset` is the document-level char
//!   offset, PubTator's convention continued over every record: the first passage at 0, each
//!   next one at the previous offset + the previous text's length in chars + 1 (so a
//!   title+abstract record puts the abstract at `len(title) + 1`).
//! * **Annotations** (`id="T<i>"`, `i` = index in [`Document::annotations`]): infons `type`
//!   (the type column as written), `identifier` (the ID column, when there is one) and
//!   `ptsearch_extra_<n>` (the n-th column after the ID, 1-based); one `location` with the
//!   document-level char offset and char length; `text` = the mention column.
//!   * with a resolved span: inside the passage of the span, located at the span;
//!   * without a span: located at the record-local offsets of the file (made
//!     document-level), inside the passage of their record that holds them whole;
//!   * without a span whose offsets fall in no passage of their record: inside the first
//!     passage with the offsets exactly as in the file and the infon
//!     `ptsearch_unresolved`=`true` ([`UNRESOLVED_INFON`]);
//!   * a document without passages (never from PubTator) keeps them at document level.
//! * **Bulk concepts** (from PubTator3 bulk files, without offsets): document infons
//!   `ptsearch_concept_<n>` holding the bulk row (`Type\tIDs\tMentions\tResources`,
//!   [`CONCEPT_INFON_PREFIX`]): BioC annotations need a location, so that tools such as
//!   `bioc.validate` accept the file.
//! * **Relations** (`id="R<i>"`, document level): infons `type` (as written), `entity1` and
//!   `entity2` (the two argument columns verbatim, BioRED's convention) and `novel` (BioRED's
//!   fifth column, when present). For each argument that an annotation of the document
//!   carries (its ID column equals the argument, or shares one of its split IDs) a
//!   `<node refid="T<i>" role="Arg1"/>` (`Arg2`) points to the first such annotation, so that
//!   BioC tools can follow nodes; relations from PubTator3 bulk rows also get PubTator3's
//!   `role1`/`role2` infons (`Gene|5133`); arguments no annotation carries get no node (BioC allows
//!   any number of nodes). Our readers take `entity1`/`entity2` before nodes, so the
//!   arguments come back verbatim either way.
//!
//! # Losses
//!
//! Re-read with our readers, a document from PubTator differs only in:
//!
//! * **Record structure**: BioC has no records. A document of exactly two passages comes
//!   back as one title+abstract record (block 0); any other document as one record per
//!   passage, every passage of kind title. So multi-record documents (full texts split into
//!   several `ID|t|`/`ID|a|` records) lose their `block`s and passage kinds, and a
//!   two-record title-only document becomes title+abstract.
//! * **Sections**: a passage without a section comes back with section `title` or
//!   `abstract` (read from the `type` infon).
//! * **Raw offsets**: `start`/`end` come back recomputed from the location (record-local for
//!   the shapes above), so offsets that the parser had to repair (bytes, UTF-16 units, shifted)
//!   come back corrected; annotations of multi-record documents come back with offsets local
//!   to their passage.
//! * **Inexact spans**: a span found by the parser's loose rule (mention and text differ in
//!   case or punctuation) is not kept: the reader gives spans to exact text matches only (it
//!   may use the nearest exact occurrence). Annotations without a span may likewise gain one.
//! * **Extra columns**: written as `ptsearch_extra_<n>` infons, not read back (`extra` is
//!   empty).
//! * **Whitespace**: types, IDs, relation types, arguments and novelty are trimmed; an empty
//!   ID column becomes no ID; tabs, CR and LF in texts and mentions become spaces.
//! * **Order**: annotations come back grouped by passage (input order within a passage).
//! * **XML only**: characters XML 1.0 cannot hold at all (control characters other than tab,
//!   LF and CR; U+FFFE, U+FFFF) are written as U+FFFD, one char for one, so offsets hold.
//!
//! The collection date is today's (UTC), or the day of `SOURCE_DATE_EPOCH` when that is set,
//! for reproducible exports; [`BiocXmlWriter::with_date`] and [`BiocJsonWriter::with_date`]
//! take it explicitly.

use crate::pubtator::ids::split_ids;
use crate::pubtator::{Document, PassageKind};
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

/// The collection `key` written by both writers.
pub const KEY: &str = "ptsearch.key";

/// Infon set to `true` on an annotation whose file offsets fall in no passage of its record.
pub const UNRESOLVED_INFON: &str = "ptsearch_unresolved";

/// Prefix of the document infons holding the PubTator3 bulk concepts (`ptsearch_concept_1`,
/// ...), each in the bulk entity row layout without the PMID: `Type\tIDs\tMentions\tResources`
/// (IDs joined by `;`, `-` when unnormalized; mentions and resources joined by `|`). Our
/// readers read them back as concepts; other BioC tools see ordinary infons.
pub const CONCEPT_INFON_PREFIX: &str = "ptsearch_concept_";

/// Prefix of the infons holding the columns after the ID (`ptsearch_extra_1`, ...).
pub const EXTRA_INFON_PREFIX: &str = "ptsearch_extra_";

/// Writes a BioC XML collection, one document at a time.
///
/// Call [`finish`](Self::finish) to close the collection; dropping the writer leaves it open.
pub struct BiocXmlWriter<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> BiocXmlWriter<W> {
    /// Writes the XML declaration, the DOCTYPE and the collection header (`source`, today's
    /// `date` as `YYYYMMDD`, `key` [`KEY`]).
    pub fn new(out: W, source: &str) -> io::Result<Self> {
        Self::with_date(out, source, &today())
    }

    /// Like [`new`](Self::new) with an explicit collection date.
    pub fn with_date(mut out: W, source: &str, date: &str) -> io::Result<Self> {
        let mut head = String::from(
            "<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE collection SYSTEM \"BioC.dtd\">\n<collection><source>",
        );
        xml_text(&mut head, source);
        head.push_str("</source><date>");
        xml_text(&mut head, date);
        head.push_str("</date><key>");
        head.push_str(KEY);
        head.push_str("</key>\n");
        out.write_all(head.as_bytes())?;
        Ok(BiocXmlWriter {
            out,
            buf: String::new(),
        })
    }

    /// Writes one `<document>` (on one line).
    pub fn write_document(&mut self, doc: &Document) -> io::Result<()> {
        self.buf.clear();
        render_xml(&layout(doc), &mut self.buf);
        self.buf.push('\n');
        self.out.write_all(self.buf.as_bytes())
    }

    /// Closes the collection, flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"</collection>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes a BioC JSON collection, one document at a time:
/// `{"source":..,"date":..,"key":..,"infons":{},"documents":[doc,\ndoc,...]}`.
///
/// Call [`finish`](Self::finish) to close the collection; dropping the writer leaves it open.
pub struct BiocJsonWriter<W: Write> {
    out: W,
    first: bool,
    buf: Vec<u8>,
}

impl<W: Write> BiocJsonWriter<W> {
    /// Writes the collection header (`source`, today's `date` as `YYYYMMDD`, `key` [`KEY`],
    /// empty `infons`) and opens the `documents` array.
    pub fn new(out: W, source: &str) -> io::Result<Self> {
        Self::with_date(out, source, &today())
    }

    /// Like [`new`](Self::new) with an explicit collection date.
    pub fn with_date(mut out: W, source: &str, date: &str) -> io::Result<Self> {
        let mut head = Vec::new();
        head.extend_from_slice(b"{\"source\":");
        serde_json::to_writer(&mut head, source)?;
        head.extend_from_slice(b",\"date\":");
        serde_json::to_writer(&mut head, date)?;
        head.extend_from_slice(b",\"key\":");
        serde_json::to_writer(&mut head, KEY)?;
        head.extend_from_slice(b",\"infons\":{},\"documents\":[");
        out.write_all(&head)?;
        Ok(BiocJsonWriter {
            out,
            first: true,
            buf: Vec::new(),
        })
    }

    /// Writes one document object (on its own line).
    pub fn write_document(&mut self, doc: &Document) -> io::Result<()> {
        self.buf.clear();
        self.buf
            .extend_from_slice(if self.first { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut self.buf, &layout(doc))?;
        self.first = false;
        self.out.write_all(&self.buf)
    }

    /// Closes the `documents` array and the collection, flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

// ---------------------------------------------------------------------------------------------
// The layout shared by both formats.

type Infons<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

struct OutAnnotation<'a> {
    id: String,
    infons: Infons<'a>,
    location: (u64, u64),
    text: Cow<'a, str>,
}

struct OutPassage<'a> {
    infons: Infons<'a>,
    offset: u64,
    text: &'a str,
    annotations: Vec<OutAnnotation<'a>>,
}

struct OutRelation<'a> {
    id: String,
    infons: Infons<'a>,
    /// (refid, role).
    nodes: Vec<(String, &'static str)>,
}

struct OutDocument<'a> {
    id: &'a str,
    /// The bulk concepts ([`CONCEPT_INFON_PREFIX`]).
    infons: Infons<'a>,
    passages: Vec<OutPassage<'a>>,
    /// Only for documents without passages.
    annotations: Vec<OutAnnotation<'a>>,
    relations: Vec<OutRelation<'a>>,
}

/// Offsets are written as numbers every BioC reader parses (ours reads `i64`).
fn clamp(n: u64) -> u64 {
    n.min(i64::MAX as u64)
}

fn layout(doc: &Document) -> OutDocument<'_> {
    // Document-level offsets and char lengths of every passage.
    let lens: Vec<u64> = doc
        .passages
        .iter()
        .map(|p| p.text.chars().count() as u64)
        .collect();
    let mut offsets = Vec::with_capacity(lens.len());
    let mut next = 0u64;
    for len in &lens {
        offsets.push(next);
        next = next.saturating_add(*len).saturating_add(1);
    }
    let mut passages: Vec<OutPassage<'_>> = doc
        .passages
        .iter()
        .zip(&offsets)
        .map(|(p, &offset)| {
            let kind = match p.kind {
                PassageKind::Title => "title",
                PassageKind::Abstract => "abstract",
            };
            let mut infons: Infons<'_> = Vec::new();
            match &p.section {
                Some(s) => {
                    infons.push((Cow::Borrowed("type"), s.as_str().into()));
                    infons.push((Cow::Borrowed("section_type"), s.as_str().into()));
                }
                None => infons.push((Cow::Borrowed("type"), kind.into())),
            }
            OutPassage {
                infons,
                offset: clamp(offset),
                text: &p.text,
                annotations: Vec::new(),
            }
        })
        .collect();

    let mut doc_level = Vec::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        let mut infons: Infons<'_> = vec![(Cow::Borrowed("type"), a.raw_type.as_str().into())];
        if let Some(id) = &a.raw_id {
            infons.push((Cow::Borrowed("identifier"), id.as_str().into()));
        }
        for (n, x) in a.extra.iter().enumerate() {
            infons.push((
                Cow::Owned(format!("{EXTRA_INFON_PREFIX}{}", n + 1)),
                x.into(),
            ));
        }
        let spanned = a.span.and_then(|s| {
            let p = s.passage as usize;
            (p < passages.len() && s.start <= s.end).then(|| {
                (
                    p,
                    offsets[p].saturating_add(u64::from(s.start)),
                    u64::from(s.end - s.start),
                )
            })
        });
        let length = a.end.saturating_sub(a.start);
        let placed = spanned.or_else(|| {
            // Record-local offsets made document-level, in a passage of the record.
            let first = doc.passages.iter().position(|p| p.block == a.block)?;
            let start = offsets[first].saturating_add(a.start);
            let end = start.saturating_add(length);
            doc.passages
                .iter()
                .enumerate()
                .find(|(j, p)| {
                    p.block == a.block
                        && offsets[*j] <= start
                        && end <= offsets[*j].saturating_add(lens[*j])
                })
                .map(|(j, _)| (j, start, length))
        });
        let (target, offset, length) = match placed {
            Some(x) => x,
            None => {
                if !passages.is_empty() {
                    infons.push((Cow::Borrowed(UNRESOLVED_INFON), "true".into()));
                }
                (0, a.start, length)
            }
        };
        let out = OutAnnotation {
            id: format!("T{i}"),
            infons,
            location: (clamp(offset), clamp(length)),
            text: a.mention.as_str().into(),
        };
        match passages.get_mut(target) {
            Some(p) => p.annotations.push(out),
            None => doc_level.push(out),
        }
    }

    // PubTator3 bulk concepts: document infons in the bulk row layout.
    let infons: Infons<'_> = doc
        .concepts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let value = format!(
                "{}\t{}\t{}\t{}",
                c.raw_type,
                if c.ids.is_empty() {
                    "-".to_string()
                } else {
                    c.ids.join(";")
                },
                c.mentions.join("|"),
                c.resources.join("|")
            );
            (
                Cow::Owned(format!("{CONCEPT_INFON_PREFIX}{}", i + 1)),
                Cow::Owned(value),
            )
        })
        .collect();

    // Relation nodes: the first annotation carrying each argument.
    let mut by_raw: HashMap<&str, usize> = HashMap::new();
    let mut by_split: HashMap<String, usize> = HashMap::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        if let Some(id) = a.raw_id.as_deref() {
            by_raw.entry(id.trim()).or_insert(i);
            for s in split_ids(id) {
                by_split.entry(s).or_insert(i);
            }
        }
    }
    let carrier = |arg: &str| -> Option<usize> {
        by_raw
            .get(arg.trim())
            .copied()
            .or_else(|| split_ids(arg).iter().find_map(|s| by_split.get(s).copied()))
    };
    let relations = doc
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut infons: Infons<'_> = vec![
                (Cow::Borrowed("type"), r.rel_type.as_str().into()),
                (Cow::Borrowed("entity1"), r.args[0].as_str().into()),
                (Cow::Borrowed("entity2"), r.args[1].as_str().into()),
            ];
            if let Some(n) = &r.novelty {
                infons.push((Cow::Borrowed("novel"), n.as_str().into()));
            }
            if let [t1, t2] = r.arg_types.as_slice() {
                // PubTator3's typed roles, for relations from its bulk files.
                infons.push((Cow::Borrowed("role1"), format!("{t1}|{}", r.args[0]).into()));
                infons.push((Cow::Borrowed("role2"), format!("{t2}|{}", r.args[1]).into()));
            }
            let nodes = r
                .args
                .iter()
                .zip(["Arg1", "Arg2"])
                .filter_map(|(arg, role)| carrier(arg).map(|t| (format!("T{t}"), role)))
                .collect();
            OutRelation {
                id: format!("R{i}"),
                infons,
                nodes,
            }
        })
        .collect();

    OutDocument {
        id: &doc.id,
        infons,
        passages,
        annotations: doc_level,
        relations,
    }
}

// ---------------------------------------------------------------------------------------------
// XML.

/// True for chars XML 1.0 allows (Rust chars are never surrogates).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Escapes character data: `&`, `<`, `>`; CR as `&#13;` (XML would turn a raw one into LF).
fn xml_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Escapes an attribute value (double-quoted): also `"` and whitespace that attribute
/// normalization would turn into spaces.
fn xml_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c => xml_text(out, c.encode_utf8(&mut [0; 4])),
        }
    }
}

fn xml_infons(out: &mut String, infons: &Infons<'_>) {
    for (k, v) in infons {
        out.push_str("<infon key=\"");
        xml_attr(out, k);
        out.push_str("\">");
        xml_text(out, v);
        out.push_str("</infon>");
    }
}

fn xml_annotation(out: &mut String, a: &OutAnnotation<'_>) {
    out.push_str("<annotation id=\"");
    xml_attr(out, &a.id);
    out.push_str("\">");
    xml_infons(out, &a.infons);
    let (offset, length) = a.location;
    out.push_str(&format!(
        "<location offset=\"{offset}\" length=\"{length}\"/><text>"
    ));
    xml_text(out, &a.text);
    out.push_str("</text></annotation>");
}

fn render_xml(d: &OutDocument<'_>, out: &mut String) {
    out.push_str("<document><id>");
    xml_text(out, d.id);
    out.push_str("</id>");
    xml_infons(out, &d.infons);
    for p in &d.passages {
        out.push_str("<passage>");
        xml_infons(out, &p.infons);
        out.push_str(&format!("<offset>{}</offset><text>", p.offset));
        xml_text(out, p.text);
        out.push_str("</text>");
        for a in &p.annotations {
            xml_annotation(out, a);
        }
        out.push_str("</passage>");
    }
    for a in &d.annotations {
        xml_annotation(out, a);
    }
    for r in &d.relations {
        out.push_str("<relation id=\"");
        xml_attr(out, &r.id);
        out.push_str("\">");
        xml_infons(out, &r.infons);
        for (refid, role) in &r.nodes {
            out.push_str("<node refid=\"");
            xml_attr(out, refid);
            out.push_str("\" role=\"");
            xml_attr(out, role);
            out.push_str("\"/>");
        }
        out.push_str("</relation>");
    }
    out.push_str("</document>");
}

// ---------------------------------------------------------------------------------------------
// JSON: the key layout of the python `bioc` package (every key its loader requires).

struct JsonInfons<'s, 'a>(&'s Infons<'a>);

impl Serialize for JsonInfons<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

struct Empty;

impl Serialize for Empty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_seq(Some(0))
            .and_then(serde::ser::SerializeSeq::end)
    }
}

struct Location(u64, u64);

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("location", 2)?;
        st.serialize_field("offset", &self.0)?;
        st.serialize_field("length", &self.1)?;
        st.end()
    }
}

impl Serialize for OutAnnotation<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("annotation", 4)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("infons", &JsonInfons(&self.infons))?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("locations", &[Location(self.location.0, self.location.1)])?;
        st.end()
    }
}

impl Serialize for OutPassage<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("passage", 6)?;
        st.serialize_field("offset", &self.offset)?;
        st.serialize_field("infons", &JsonInfons(&self.infons))?;
        st.serialize_field("text", self.text)?;
        st.serialize_field("sentences", &Empty)?;
        st.serialize_field("annotations", &self.annotations)?;
        st.serialize_field("relations", &Empty)?;
        st.end()
    }
}

struct Node<'s>(&'s str, &'s str);

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("node", 2)?;
        st.serialize_field("refid", self.0)?;
        st.serialize_field("role", self.1)?;
        st.end()
    }
}

impl Serialize for OutRelation<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let nodes: Vec<Node<'_>> = self.nodes.iter().map(|(r, role)| Node(r, role)).collect();
        let mut st = s.serialize_struct("relation", 3)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("infons", &JsonInfons(&self.infons))?;
        st.serialize_field("nodes", &nodes)?;
        st.end()
    }
}

impl Serialize for OutDocument<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("document", 5)?;
        st.serialize_field("id", self.id)?;
        st.serialize_field("infons", &JsonInfons(&self.infons))?;
        st.serialize_field("passages", &self.passages)?;
        st.serialize_field("annotations", &self.annotations)?;
        st.serialize_field("relations", &self.relations)?;
        st.end()
    }
}

// ---------------------------------------------------------------------------------------------
// The collection date.

/// `YYYYMMDD` of today (UTC), or of `SOURCE_DATE_EPOCH` (seconds) when set.
fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    yyyymmdd(secs.div_euclid(86_400))
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn yyyymmdd(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::{read_bioc_json, read_bioc_xml, Item};
    use crate::pubtator::parse::{parse_document, Line};
    use crate::pubtator::Span;

    fn parse(text: &str) -> Document {
        let lines: Vec<Line<'_>> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| Line {
                number: i as u64 + 1,
                bytes: l.as_bytes(),
            })
            .collect();
        parse_document(&lines).document.unwrap()
    }

    fn xml(doc: &Document) -> String {
        let mut w = BiocXmlWriter::with_date(Vec::new(), "src & <x>", "20240102").unwrap();
        w.write_document(doc).unwrap();
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    fn json(doc: &Document) -> String {
        let mut w = BiocJsonWriter::with_date(Vec::new(), "src", "20240102").unwrap();
        w.write_document(doc).unwrap();
        w.write_document(doc).unwrap();
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    fn read(text: &str, json: bool) -> (Vec<Document>, Vec<String>) {
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        let mut on = |i| match i {
            Item::Document(d) => docs.push(d),
            Item::Problem { message, .. } => problems.push(message),
        };
        if json {
            read_bioc_json(text.as_bytes(), &mut on).unwrap();
        } else {
            read_bioc_xml(text.as_bytes(), &mut on).unwrap();
        }
        (docs, problems)
    }

    const DOC: &str = "7|t|PD1 & <cancer>.\n7|a|We study PD1 \"here\".\n7\t0\t3\tPD1\tGene\t5133\n7\t7\t13\tcancer\tDisease\tD009369\tx1\tx2\n7\t25\t28\tPD1\tGene\t5133\n7\t90\t95\tghost\tGene\n7\tAssociation\t5133\tD009369\tNovel\n7\tBind\t5133\t999\n";

    #[test]
    fn xml_and_json_round_trip_through_our_readers() {
        let doc = parse(DOC);
        let x = xml(&doc);
        assert!(x.starts_with("<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE collection SYSTEM \"BioC.dtd\">\n<collection><source>src &amp; &lt;x&gt;</source><date>20240102</date><key>ptsearch.key</key>\n"), "{x}");
        assert!(x.contains("<offset>16</offset>"), "{x}");
        assert!(
            x.contains("<infon key=\"ptsearch_extra_1\">x1</infon>"),
            "{x}"
        );
        assert!(x.contains("<infon key=\"ptsearch_unresolved\">true</infon><location offset=\"90\" length=\"5\"/>"), "{x}");
        assert!(x.ends_with("</document>\n</collection>\n"));
        let (xd, xp) = read(&x, false);
        let (jd, jp) = read(&json(&doc), true);
        assert_eq!(xp, Vec::<String>::new());
        assert_eq!(jp, Vec::<String>::new());
        assert_eq!(jd.len(), 2);
        for back in [&xd[0], &jd[0], &jd[1]] {
            assert_eq!(back.id, "7");
            assert_eq!(back.passages.len(), 2);
            for (a, b) in back.passages.iter().zip(&doc.passages) {
                assert_eq!((&a.text, a.kind, a.block), (&b.text, b.kind, b.block));
            }
            assert_eq!(back.passages[0].section.as_deref(), Some("title"));
            // Annotations come back grouped by passage: the unresolved one sits in the title.
            let order: Vec<&str> = back
                .annotations
                .iter()
                .map(|a| a.mention.as_str())
                .collect();
            assert_eq!(order, ["PD1", "cancer", "ghost", "PD1"]);
            let orig = [0, 1, 3, 2].map(|i| &doc.annotations[i]);
            for (a, o) in back.annotations.iter().zip(orig) {
                assert_eq!((a.block, a.start, a.end), (o.block, o.start, o.end));
                assert_eq!(
                    (&a.raw_type, &a.raw_id, a.span),
                    (&o.raw_type, &o.raw_id, o.span)
                );
                assert!(a.extra.is_empty());
            }
            assert_eq!(back.relations, doc.relations);
        }
    }

    #[test]
    fn relation_nodes_point_to_carrying_annotations() {
        let doc = parse(DOC);
        let x = xml(&doc);
        assert!(x.contains("<relation id=\"R0\"><infon key=\"type\">Association</infon><infon key=\"entity1\">5133</infon><infon key=\"entity2\">D009369</infon><infon key=\"novel\">Novel</infon><node refid=\"T0\" role=\"Arg1\"/><node refid=\"T1\" role=\"Arg2\"/></relation>"), "{x}");
        // 999 is carried by no annotation: only one node.
        assert!(
            x.contains(
                "<infon key=\"entity2\">999</infon><node refid=\"T0\" role=\"Arg1\"/></relation>"
            ),
            "{x}"
        );
        let j: serde_json::Value = serde_json::from_str(&json(&doc)).unwrap();
        assert_eq!(j["documents"][0]["relations"][0]["nodes"][1]["refid"], "T1");
        assert_eq!(j["documents"][0]["passages"][1]["offset"], 16);
        assert_eq!(j["key"], KEY);
    }

    #[test]
    fn multi_record_documents_continue_offsets_and_lose_blocks() {
        let doc = parse("1|t|Intro\n1|a|\n1|t|Methods\n1|a|We used aspirin.\n1\t16\t23\taspirin\tChemical\tD001241\n");
        let x = xml(&doc);
        for off in [
            "<offset>0</offset>",
            "<offset>6</offset>",
            "<offset>7</offset>",
            "<offset>15</offset>",
        ] {
            assert!(x.contains(off), "{off} in {x}");
        }
        assert!(x.contains("<location offset=\"23\" length=\"7\"/>"), "{x}");
        let (d, _) = read(&x, false);
        let a = &d[0].annotations[0];
        assert_eq!(
            (a.block, a.start, a.end, a.span),
            (
                3,
                8,
                15,
                Some(Span {
                    passage: 3,
                    start: 8,
                    end: 15
                })
            )
        );
        assert!(d[0].passages.iter().all(|p| p.kind == PassageKind::Title));
    }

    #[test]
    fn characters_xml_cannot_hold_become_replacement_chars() {
        let mut doc = parse("2|t|a\u{1}b\rc\n2\t0\t1\ta\tGene\n");
        doc.passages[0].section = Some("INTRO".to_string());
        let x = xml(&doc);
        assert!(x.contains("<text>a\u{FFFD}b&#13;c</text>"), "{x}");
        assert!(
            x.contains(
                "<infon key=\"type\">INTRO</infon><infon key=\"section_type\">INTRO</infon>"
            ),
            "{x}"
        );
        let (d, _) = read(&x, false);
        assert_eq!(d[0].passages[0].text.chars().count(), 5);
        assert_eq!(d[0].passages[0].section.as_deref(), Some("INTRO"));
    }

    #[test]
    fn documents_without_passages_keep_annotations_at_document_level() {
        let doc = Document {
            id: "9".to_string(),
            passages: Vec::new(),
            annotations: parse("9|t|x\n9\t0\t1\tx\tGene\t1\n").annotations,
            relations: Vec::new(),
            concepts: Vec::new(),
            ..Document::default()
        };
        let (d, _) = read(&xml(&doc), false);
        assert_eq!(d[0].annotations.len(), 1);
        let (d, _) = read(&json(&doc), true);
        assert_eq!(d[0].annotations.len(), 1);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(yyyymmdd(0), "19700101");
        assert_eq!(yyyymmdd(19_723), "20240101");
        assert_eq!(yyyymmdd(11_016), "20000229");
        assert_eq!(yyyymmdd(-1), "19691231");
    }
}
