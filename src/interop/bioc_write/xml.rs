//! The BioC XML writer: renders the shared layout ([`super::layout`]) of each document as one
//! `<document>` line of a `<collection>`.

use super::layout::{layout, Infons, OutAnnotation, OutDocument};
use super::{today, KEY};
use crate::pubtator::Document;
use std::io::{self, Write};

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
    for (offset, length) in std::iter::once(a.location).chain(a.more.iter().copied()) {
        out.push_str(&format!(
            "<location offset=\"{offset}\" length=\"{length}\"/>"
        ));
    }
    out.push_str("<text>");
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
