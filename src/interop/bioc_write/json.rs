//! The BioC JSON writer: serializes the shared layout ([`super::layout`]) of each document as
//! one element of a collection's `documents` array.

use super::layout::{layout, Infons, OutAnnotation, OutDocument, OutPassage, OutRelation};
use super::{pmid_number, pubtator3_date, today, KEY};
use crate::pubtator::Document;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;
use std::io::{self, Write};

/// Streams one BioC JSON collection, a document at a time.
///
/// Call [`finish`](Self::finish) to close the collection; dropping the writer leaves it open.
pub struct BiocJsonWriter<W: Write> {
    out: W,
    first: bool,
    buf: Vec<u8>,
    /// PubTator3's envelope and document keys ([`BiocJsonWriter::pubtator3`]).
    pubtator3: bool,
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
            pubtator3: false,
        })
    }

    /// A writer in the shape of PubTator3's `publications/export/biocjson`: the documents in
    /// `{"PubTator3": [...]}` (no collection header), each with PubTator3's keys beside
    /// BioC's: `_id` (`ID|PMCID`), `pmid` (a number when the ID is all digits, as PubTator3
    /// writes it; the ID string otherwise), `pmcid`, `meta` (empty), `date`
    /// (`2012-07-12T00:00:00Z` when the day is known, else the date as known, or null),
    /// `journal` (the abbreviation, or null) and `authors` (a list).
    pub fn pubtator3(mut out: W) -> io::Result<Self> {
        out.write_all(b"{\"PubTator3\":[")?;
        Ok(BiocJsonWriter {
            out,
            first: true,
            buf: Vec::new(),
            pubtator3: true,
        })
    }

    /// Writes one document object (on its own line).
    pub fn write_document(&mut self, doc: &Document) -> io::Result<()> {
        self.buf.clear();
        self.buf
            .extend_from_slice(if self.first { b"\n" } else { b",\n" });
        if self.pubtator3 {
            serde_json::to_writer(&mut self.buf, &Pubtator3Document(doc, layout(doc)))?;
        } else {
            serde_json::to_writer(&mut self.buf, &layout(doc))?;
        }
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
        let locations: Vec<Location> = std::iter::once(self.location)
            .chain(self.more.iter().copied())
            .map(|(o, l)| Location(o, l))
            .collect();
        st.serialize_field("locations", &locations)?;
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

/// A document with PubTator3's keys (see [`BiocJsonWriter::pubtator3`]).
struct Pubtator3Document<'a>(&'a Document, OutDocument<'a>);

impl Serialize for Pubtator3Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (doc, out) = (self.0, &self.1);
        let meta = &doc.meta;
        let pmcid = meta.pmcid.as_deref();
        let mut st = s.serialize_map(None)?;
        st.serialize_entry("_id", &format!("{}|{}", doc.id, pmcid.unwrap_or("None")))?;
        st.serialize_entry("id", out.id)?;
        st.serialize_entry("infons", &JsonInfons(&out.infons))?;
        st.serialize_entry("passages", &out.passages)?;
        if !out.annotations.is_empty() {
            st.serialize_entry("annotations", &out.annotations)?;
        }
        st.serialize_entry("relations", &out.relations)?;
        match pmid_number(&doc.id) {
            Some(n) => st.serialize_entry("pmid", &n)?,
            None => st.serialize_entry("pmid", &doc.id)?,
        }
        st.serialize_entry("pmcid", &pmcid)?;
        st.serialize_entry("meta", &serde_json::Map::new())?;
        st.serialize_entry("date", &pubtator3_date(meta))?;
        st.serialize_entry("journal", &meta.journal)?;
        st.serialize_entry("authors", &meta.authors)?;
        st.end()
    }
}
