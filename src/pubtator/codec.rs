//! The binary encoding of a [`Document`] kept in the index's docstore.
//!
//! Every stored record is read back whole (display, highlighting, export, bulk attach), so the
//! encoding favours a cheap, allocation-light write during ingest: numbers are LEB128 varints,
//! strings are length-prefixed UTF-8, optional values carry a presence flag. It is about 30%
//! smaller than the equivalent JSON before compression and several times faster to write
//! (no escaping scan over the text). The first byte is a format version: 1 (no layers or
//! metadata, still read), 2 (annotation layers and bibliographic metadata after the concepts,
//! still read) or 3 (a span flag of 2 adds the further locations of a discontinuous mention).
//!
//! Decoding never panics: a truncated or corrupt record is an error.

use super::record::{
    Annotation, Concept, Document, Layer, MeshHeading, Metadata, Passage, PassageKind, Relation,
    Span,
};
use super::sentences::Sentences;
use std::fmt;

/// Format version written as the first byte of every record.
const VERSION: u8 = 4;

/// Why a stored record could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset in the record where decoding stopped.
    pub offset: usize,
    /// What was wrong there.
    pub message: &'static str,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stored record: {} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for DecodeError {}

/// Appends the encoding of `doc` to `out`, without sentences.
pub fn encode_into(doc: &Document, out: &mut Vec<u8>) {
    encode_with(doc, None, out);
}

/// Appends the encoding of `doc` and, when given, its sentence starts to `out`.
pub fn encode_with(doc: &Document, sentences: Option<&Sentences>, out: &mut Vec<u8>) {
    out.push(VERSION);
    put_str(out, &doc.id);
    put_uint(out, doc.passages.len() as u64);
    for p in &doc.passages {
        out.push(match p.kind {
            PassageKind::Title => 0,
            PassageKind::Abstract => 1,
        });
        put_uint(out, u64::from(p.block));
        put_str(out, &p.text);
        put_opt_str(out, p.section.as_deref());
    }
    put_uint(out, doc.annotations.len() as u64);
    for a in &doc.annotations {
        put_uint(out, u64::from(a.block));
        put_uint(out, a.start);
        put_uint(out, a.end);
        put_str(out, &a.mention);
        put_str(out, &a.raw_type);
        put_opt_str(out, a.raw_id.as_deref());
        put_strs(out, &a.extra);
        match a.span {
            None => out.push(0),
            Some(s) => {
                out.push(if a.more.is_empty() { 1 } else { 2 });
                put_span(out, s);
                if !a.more.is_empty() {
                    put_uint(out, a.more.len() as u64);
                    for m in &a.more {
                        put_span(out, *m);
                    }
                }
            }
        }
    }
    put_uint(out, doc.relations.len() as u64);
    for r in &doc.relations {
        put_str(out, &r.rel_type);
        put_str(out, &r.args[0]);
        put_str(out, &r.args[1]);
        put_opt_str(out, r.novelty.as_deref());
        put_strs(out, &r.arg_types);
    }
    put_uint(out, doc.concepts.len() as u64);
    for c in &doc.concepts {
        put_str(out, &c.raw_type);
        put_strs(out, &c.ids);
        put_strs(out, &c.mentions);
        put_strs(out, &c.resources);
    }
    put_uint(out, doc.layers.len() as u64);
    for l in &doc.layers {
        put_str(out, &l.source);
        put_uint(out, u64::from(l.annotations));
        put_uint(out, u64::from(l.relations));
    }
    put_meta(out, &doc.meta);
    put_sentences(out, sentences);
}

/// The passage count (0 without sentences), then per passage its number of further sentence
/// starts and the starts as increasing deltas.
fn put_sentences(out: &mut Vec<u8>, sentences: Option<&Sentences>) {
    let Some(s) = sentences else {
        out.push(0);
        return;
    };
    put_uint(out, s.starts.len() as u64);
    for starts in &s.starts {
        put_uint(out, starts.len() as u64);
        let mut last = 0u32;
        for &b in starts {
            put_uint(out, u64::from(b.saturating_sub(last)));
            last = b;
        }
    }
}

fn put_span(out: &mut Vec<u8>, s: Span) {
    put_uint(out, u64::from(s.passage));
    put_uint(out, u64::from(s.start));
    put_uint(out, u64::from(s.end));
}

/// `0` for empty metadata, else `1` and every field.
fn put_meta(out: &mut Vec<u8>, m: &Metadata) {
    if m.is_empty() {
        out.push(0);
        return;
    }
    out.push(1);
    put_opt_str(out, m.journal.as_deref());
    put_opt_str(out, m.journal_title.as_deref());
    put_uint(out, m.year.map_or(0, |y| u64::from(y) + 1));
    put_opt_str(out, m.date.as_deref());
    put_strs(out, &m.authors);
    put_strs(out, &m.pubtypes);
    put_uint(out, m.mesh.len() as u64);
    for h in &m.mesh {
        put_str(out, &h.ui);
        put_str(out, &h.name);
        out.push(u8::from(h.major));
    }
    put_opt_str(out, m.doi.as_deref());
    put_opt_str(out, m.pmcid.as_deref());
}

/// The encoding of `doc`.
pub fn encode(doc: &Document) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded_size_hint(doc));
    encode_into(doc, &mut out);
    out
}

/// A capacity that usually holds the whole encoding without growing.
pub fn encoded_size_hint(doc: &Document) -> usize {
    32 + doc.id.len()
        + doc.passages.iter().map(|p| p.text.len() + 8).sum::<usize>()
        + doc
            .annotations
            .iter()
            .map(|a| {
                a.mention.len() + a.raw_type.len() + a.raw_id.as_deref().map_or(0, str::len) + 20
            })
            .sum::<usize>()
        + 48 * doc.relations.len()
        + 64 * doc.concepts.len()
        + doc
            .layers
            .iter()
            .map(|l| l.source.len() + 12)
            .sum::<usize>()
        + meta_size_hint(&doc.meta)
}

fn meta_size_hint(m: &Metadata) -> usize {
    if m.is_empty() {
        return 0;
    }
    let s = |o: &Option<String>| o.as_deref().map_or(1, |s| s.len() + 2);
    16 + s(&m.journal)
        + s(&m.journal_title)
        + s(&m.date)
        + s(&m.doi)
        + s(&m.pmcid)
        + m.authors.iter().map(|a| a.len() + 2).sum::<usize>()
        + m.pubtypes.iter().map(|a| a.len() + 2).sum::<usize>()
        + m.mesh
            .iter()
            .map(|h| h.ui.len() + h.name.len() + 5)
            .sum::<usize>()
}

/// Decodes a record written by [`encode_into`].
pub fn decode(bytes: &[u8]) -> Result<Document, DecodeError> {
    decode_with_sentences(bytes).map(|(doc, _)| doc)
}

/// Decodes a record and the sentence starts it holds (`None` before format 4 or when they were
/// not computed).
pub fn decode_with_sentences(bytes: &[u8]) -> Result<(Document, Option<Sentences>), DecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    let version = r.byte()?;
    if !(1..=VERSION).contains(&version) {
        return Err(r.error_at(0, "unknown format version"));
    }
    let id = r.string()?;
    let n = r.count()?;
    let mut passages = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = match r.byte()? {
            0 => PassageKind::Title,
            1 => PassageKind::Abstract,
            _ => return Err(r.error("unknown passage kind")),
        };
        passages.push(Passage {
            kind,
            block: r.u32()?,
            text: r.string()?,
            section: r.opt_string()?,
        });
    }
    let n = r.count()?;
    let mut annotations = Vec::with_capacity(n);
    for _ in 0..n {
        let (block, start, end) = (r.u32()?, r.uint()?, r.uint()?);
        let (mention, raw_type, raw_id, extra) =
            (r.string()?, r.string()?, r.opt_string()?, r.strings()?);
        let flag = r.byte()?;
        let span = match flag {
            0 => None,
            1 | 2 if flag == 1 || version >= 3 => Some(r.span()?),
            _ => return Err(r.error("bad span flag")),
        };
        let mut more = Vec::new();
        if flag == 2 {
            let n = r.count()?;
            for _ in 0..n {
                more.push(r.span()?);
            }
        }
        annotations.push(Annotation {
            block,
            start,
            end,
            mention,
            raw_type,
            raw_id,
            extra,
            span,
            more,
        });
    }
    let n = r.count()?;
    let mut relations = Vec::with_capacity(n);
    for _ in 0..n {
        relations.push(Relation {
            rel_type: r.string()?,
            args: [r.string()?, r.string()?],
            novelty: r.opt_string()?,
            arg_types: r.strings()?,
        });
    }
    let n = r.count()?;
    let mut concepts = Vec::with_capacity(n);
    for _ in 0..n {
        concepts.push(Concept {
            raw_type: r.string()?,
            ids: r.strings()?,
            mentions: r.strings()?,
            resources: r.strings()?,
        });
    }
    let (layers, meta) = if version == 1 {
        (Vec::new(), Metadata::default())
    } else {
        let layers = r.layers(annotations.len(), relations.len())?;
        (layers, r.meta()?)
    };
    let sentences = if version >= 4 { r.sentences()? } else { None };
    if r.pos != bytes.len() {
        return Err(r.error("trailing bytes"));
    }
    let doc = Document {
        id,
        passages,
        annotations,
        relations,
        concepts,
        meta,
        layers,
    };
    Ok((doc, sentences))
}

fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// `None` as 0, `Some(s)` as `len + 1` and the bytes.
fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            put_uint(out, s.len() as u64 + 1);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn put_strs(out: &mut Vec<u8>, v: &[String]) {
    put_uint(out, v.len() as u64);
    for s in v {
        put_str(out, s);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> DecodeError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, offset: usize, message: &'static str) -> DecodeError {
        DecodeError { offset, message }
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.error("truncated"))?;
        self.pos += 1;
        Ok(b)
    }

    fn uint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.error("varint too long"))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        u32::try_from(self.uint()?).map_err(|_| self.error("number out of range"))
    }

    /// A collection length, bounded by the bytes left (every element takes at least one).
    fn count(&mut self) -> Result<usize, DecodeError> {
        let n = self.uint()?;
        match usize::try_from(n) {
            Ok(n) if n <= self.bytes.len() - self.pos => Ok(n),
            _ => Err(self.error("length past the end")),
        }
    }

    fn take(&mut self, len: usize) -> Result<String, DecodeError> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| self.error("string past the end"))?;
        let s = std::str::from_utf8(&self.bytes[self.pos..end])
            .map_err(|_| self.error("invalid UTF-8"))?;
        self.pos = end;
        Ok(s.to_owned())
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let len = self.count()?;
        self.take(len)
    }

    fn opt_string(&mut self) -> Result<Option<String>, DecodeError> {
        match self.uint()? {
            0 => Ok(None),
            n => {
                let len = usize::try_from(n - 1).map_err(|_| self.error("length past the end"))?;
                self.take(len).map(Some)
            }
        }
    }

    fn strings(&mut self) -> Result<Vec<String>, DecodeError> {
        let n = self.count()?;
        (0..n).map(|_| self.string()).collect()
    }

    fn span(&mut self) -> Result<Span, DecodeError> {
        Ok(Span {
            passage: self.u32()?,
            start: self.u32()?,
            end: self.u32()?,
        })
    }

    /// Layers that cover exactly `annotations` annotations and `relations` relations.
    fn layers(&mut self, annotations: usize, relations: usize) -> Result<Vec<Layer>, DecodeError> {
        let n = self.count()?;
        let mut layers = Vec::with_capacity(n);
        let (mut a, mut r) = (0u64, 0u64);
        for _ in 0..n {
            let layer = Layer {
                source: self.string()?,
                annotations: self.u32()?,
                relations: self.u32()?,
            };
            a += u64::from(layer.annotations);
            r += u64::from(layer.relations);
            layers.push(layer);
        }
        if n > 0 && (a != annotations as u64 || r != relations as u64) {
            return Err(self.error("layers do not cover the annotations and relations"));
        }
        Ok(layers)
    }

    fn sentences(&mut self) -> Result<Option<Sentences>, DecodeError> {
        let n = self.count()?;
        if n == 0 {
            return Ok(None);
        }
        let mut starts = Vec::with_capacity(n);
        for _ in 0..n {
            let k = self.count()?;
            let mut v = Vec::with_capacity(k);
            let mut last = 0u32;
            for _ in 0..k {
                last = last
                    .checked_add(self.u32()?)
                    .ok_or_else(|| self.error("sentence start out of range"))?;
                v.push(last);
            }
            starts.push(v);
        }
        Ok(Some(Sentences { starts }))
    }

    fn meta(&mut self) -> Result<Metadata, DecodeError> {
        match self.byte()? {
            0 => return Ok(Metadata::default()),
            1 => {}
            _ => return Err(self.error("bad metadata flag")),
        }
        let journal = self.opt_string()?;
        let journal_title = self.opt_string()?;
        let year = match self.uint()? {
            0 => None,
            y => Some(u16::try_from(y - 1).map_err(|_| self.error("year out of range"))?),
        };
        let date = self.opt_string()?;
        let authors = self.strings()?;
        let pubtypes = self.strings()?;
        let n = self.count()?;
        let mut mesh = Vec::with_capacity(n);
        for _ in 0..n {
            mesh.push(MeshHeading {
                ui: self.string()?,
                name: self.string()?,
                major: match self.byte()? {
                    0 => false,
                    1 => true,
                    _ => return Err(self.error("bad major-topic flag")),
                },
            });
        }
        Ok(Metadata {
            journal,
            journal_title,
            year,
            date,
            authors,
            pubtypes,
            mesh,
            doi: self.opt_string()?,
            pmcid: self.opt_string()?,
        })
    }
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
