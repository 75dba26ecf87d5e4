//! Pure parsing: the lines of one document (one or more consecutive records with the same ID)
//! → a [`Document`] plus the problems found. No I/O; never panics on any input.

use super::offsets::{OffsetRule, RecordText};
use super::record::{Annotation, Document, Passage, PassageKind, Relation, Span};
use std::fmt;

/// One input line: its 1-based number in the file and its bytes (no line terminator).
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based line number in the source.
    pub number: u64,
    /// The raw bytes, without `\n` (a trailing `\r` is tolerated).
    pub bytes: &'a [u8],
}

/// Why a line (or a whole block) was dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// The line is not valid UTF-8.
    InvalidUtf8,
    /// The line contains a NUL byte.
    NulByte,
    /// Neither `ID|t|`, `ID|a|` nor a tab-separated line.
    Unrecognized,
    /// `ID|x|` with an unknown passage code.
    UnknownPassageCode(String),
    /// The document ID is empty or contains whitespace.
    BadDocumentId,
    /// The line carries the ID of another document.
    OtherDocument {
        /// ID on the line.
        found: String,
        /// ID of the document being read.
        expected: String,
    },
    /// An annotation line with fewer than 5 columns.
    TooFewColumns(usize),
    /// An offset column that is not a non-negative integer.
    BadOffset(&'static str),
    /// Start offset after end offset.
    StartAfterEnd,
    /// The type column is empty or holds an ID.
    BadType,
    /// A relation line without 4 or 5 columns.
    RelationColumns(usize),
    /// An abstract, annotation or relation line before any title line of its document.
    BeforeTitle,
    /// A second `|a|` line in one record.
    SecondAbstract,
    /// A block with no title line at all.
    NoTitle,
    /// A problem reported by the reader of another input format (BioC), in its own words.
    Format(String),
}

impl LineError {
    /// A short stable key for grouping in summaries.
    pub fn kind(&self) -> &'static str {
        match self {
            LineError::InvalidUtf8 => "invalid UTF-8",
            LineError::NulByte => "NUL byte",
            LineError::Unrecognized => "unrecognized line",
            LineError::UnknownPassageCode(_) => "unknown passage code",
            LineError::BadDocumentId => "bad document ID",
            LineError::OtherDocument { .. } => "ID of another document",
            LineError::TooFewColumns(_) => "too few columns",
            LineError::BadOffset(_) => "bad offset",
            LineError::StartAfterEnd => "start after end",
            LineError::BadType => "missing type column",
            LineError::RelationColumns(_) => "relation column count",
            LineError::BeforeTitle => "line before title",
            LineError::SecondAbstract => "second abstract line",
            LineError::NoTitle => "block without title line",
            LineError::Format(_) => "format problem",
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::InvalidUtf8 => write!(f, "invalid UTF-8"),
            LineError::NulByte => write!(f, "NUL byte in line"),
            LineError::Unrecognized => {
                write!(f, "unrecognized line (expected ID|t|, ID|a| or a tab-separated annotation or relation)")
            }
            LineError::UnknownPassageCode(c) => {
                write!(f, "unknown passage code '{c}' (expected t or a)")
            }
            LineError::BadDocumentId => {
                write!(f, "document ID is empty, contains whitespace or is longer than {MAX_ID_BYTES} bytes")
            }
            LineError::OtherDocument { found, expected } => {
                write!(
                    f,
                    "line has document ID '{found}' inside document '{expected}'"
                )
            }
            LineError::TooFewColumns(n) => {
                write!(f, "annotation line has {n} columns, needs at least 5")
            }
            LineError::BadOffset(which) => {
                write!(f, "{which} offset is not a non-negative integer")
            }
            LineError::StartAfterEnd => write!(f, "start offset is after end offset"),
            LineError::BadType => write!(f, "type column is empty or holds an ID"),
            LineError::RelationColumns(n) => {
                write!(f, "relation line has {n} columns, needs 4 or 5")
            }
            LineError::BeforeTitle => {
                write!(f, "line appears before the title line of its document")
            }
            LineError::SecondAbstract => write!(f, "second abstract line in one record"),
            LineError::NoTitle => write!(f, "block has no title line (ID|t|...); block rejected"),
            LineError::Format(message) => write!(f, "{message}"),
        }
    }
}

/// A dropped line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number.
    pub line: u64,
    /// The reason.
    pub error: LineError,
}

/// Offset-repair counts, indexed like [`OffsetRule::ALL`].
pub type RuleCounts = [u64; 6];

/// What parsing one document produced.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The document, unless the block was rejected.
    pub document: Option<Document>,
    /// Lines dropped (and the block rejection, if any).
    pub problems: Vec<Problem>,
    /// How many annotations each offset rule located.
    pub rules: RuleCounts,
}

/// The document ID a line starts with: bytes up to the first `|` or tab.
pub fn line_id(bytes: &[u8]) -> &[u8] {
    let end = memchr::memchr2(b'|', b'\t', bytes).unwrap_or(bytes.len());
    &bytes[..end]
}

/// True when the line is a title line `ID|t|...`.
pub fn is_title_line(bytes: &[u8]) -> bool {
    match memchr::memchr2(b'|', b'\t', bytes) {
        Some(i) if bytes[i] == b'|' => bytes.get(i + 1..i + 3) == Some(b"t|".as_slice()),
        _ => false,
    }
}

enum Kind<'a> {
    Title(&'a str),
    Abstract(&'a str),
    /// A tab-separated line; its columns are in the caller's buffer.
    Tabbed,
}

/// Classifies a line by its first `|` or tab. For a tab-separated line, `cols` receives its
/// columns (it is cleared first; a buffer reused from line to line).
fn classify<'a>(line: &'a str, cols: &mut Vec<&'a str>) -> Result<(&'a str, Kind<'a>), LineError> {
    let bytes = line.as_bytes();
    match memchr::memchr2(b'|', b'\t', bytes) {
        Some(p) if bytes[p] == b'|' => {
            let id = &line[..p];
            let rest = &line[p + 1..];
            if let Some(text) = rest.strip_prefix("t|") {
                Ok((id, Kind::Title(text)))
            } else if let Some(text) = rest.strip_prefix("a|") {
                Ok((id, Kind::Abstract(text)))
            } else {
                let code: String = rest.chars().take_while(|c| *c != '|').take(20).collect();
                if rest.contains('|') && !code.is_empty() && !code.contains(char::is_whitespace) {
                    Err(LineError::UnknownPassageCode(code))
                } else {
                    Err(LineError::Unrecognized)
                }
            }
        }
        Some(_) => {
            cols.clear();
            let mut start = 0;
            for tab in memchr::memchr_iter(b'\t', bytes) {
                cols.push(&line[start..tab]);
                start = tab + 1;
            }
            cols.push(&line[start..]);
            Ok((cols[0], Kind::Tabbed))
        }
        None => Err(LineError::Unrecognized),
    }
}

/// Longest accepted document ID, in bytes (far below tantivy's term limit, so every ID can be
/// looked up and upserted).
pub const MAX_ID_BYTES: usize = 512;

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_BYTES
        && !id.contains(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn parse_offset(s: &str, which: &'static str) -> Result<u64, LineError> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LineError::BadOffset(which));
    }
    t.parse().map_err(|_| LineError::BadOffset(which))
}

fn is_integer(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix('-').unwrap_or(t);
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

fn annotation(cols: &[&str], block: u32) -> Result<Annotation, LineError> {
    if cols.len() < 5 {
        return Err(LineError::TooFewColumns(cols.len()));
    }
    let start = parse_offset(cols[1], "start")?;
    let end = parse_offset(cols[2], "end")?;
    if start > end {
        return Err(LineError::StartAfterEnd);
    }
    let raw_type = cols[4];
    if raw_type.trim().is_empty() || raw_type.contains('|') {
        return Err(LineError::BadType);
    }
    Ok(Annotation {
        block,
        start,
        end,
        mention: cols[3].to_string(),
        raw_type: raw_type.to_string(),
        raw_id: cols.get(5).map(|s| s.to_string()),
        extra: cols.iter().skip(6).map(|s| s.to_string()).collect(),
        span: None,
        more: Vec::new(),
    })
}

/// The document being assembled from its lines.
#[derive(Default)]
struct Assembly {
    doc_id: Option<String>,
    passages: Vec<Passage>,
    /// Per record: (title passage index, abstract passage index).
    records: Vec<(usize, Option<usize>)>,
    annotations: Vec<Annotation>,
    relations: Vec<Relation>,
}

impl Assembly {
    /// Adds one classified line of document `id`; `cols` holds a tab-separated line's columns.
    fn add(&mut self, id: &str, kind: Kind<'_>, cols: &[&str]) -> Result<(), LineError> {
        // The document's own ID was validated on its first line.
        let known = self.doc_id.as_deref() == Some(id);
        if !known && !valid_id(id) {
            return Err(LineError::BadDocumentId);
        }
        match &self.doc_id {
            Some(d) if d != id => {
                return Err(LineError::OtherDocument {
                    found: id.to_string(),
                    expected: d.clone(),
                })
            }
            Some(_) => {}
            None if !matches!(kind, Kind::Title(_)) => return Err(LineError::BeforeTitle),
            None => self.doc_id = Some(id.to_string()),
        }
        let block = self.records.len().saturating_sub(1) as u32;
        match kind {
            Kind::Title(t) => {
                self.passages.push(Passage {
                    kind: PassageKind::Title,
                    block: self.records.len() as u32,
                    text: t.to_string(),
                    section: None,
                });
                self.records.push((self.passages.len() - 1, None));
            }
            Kind::Abstract(a) => match self.records.last_mut() {
                Some((_, abs @ None)) => {
                    self.passages.push(Passage {
                        kind: PassageKind::Abstract,
                        block,
                        text: a.to_string(),
                        section: None,
                    });
                    *abs = Some(self.passages.len() - 1);
                }
                _ => return Err(LineError::SecondAbstract),
            },
            Kind::Tabbed => self.tabbed(cols, block)?,
        }
        Ok(())
    }

    /// An annotation or relation line of record `block`.
    fn tabbed(&mut self, cols: &[&str], block: u32) -> Result<(), LineError> {
        // Relation arguments are often integers (gene IDs), so only the start column decides;
        // a bad start offset is recognized by the shape of the rest.
        let col = |i: usize| cols.get(i).copied().unwrap_or("");
        let looks_like_annotation = is_integer(col(1))
            || (is_integer(col(2))
                && (cols.len() >= 6
                    || (cols.len() == 5
                        && crate::pubtator::ids::canonical_type_name(col(4)).is_some())));
        if looks_like_annotation {
            self.annotations.push(annotation(cols, block)?);
        } else if cols.len() == 4 || cols.len() == 5 {
            self.relations.push(Relation {
                rel_type: cols[1].to_string(),
                args: [cols[2].to_string(), cols[3].to_string()],
                novelty: cols.get(4).map(|s| s.to_string()),
                arg_types: Vec::new(),
            });
        } else {
            return Err(LineError::RelationColumns(cols.len()));
        }
        Ok(())
    }

    /// Resolves every annotation's offsets against its record's text, counting the rules used.
    fn resolve_offsets(&mut self, rules: &mut RuleCounts) {
        // Per record: its combined text and its title's length in chars.
        let texts: Vec<(RecordText<'_>, usize)> = self
            .records
            .iter()
            .map(|(t, a)| {
                let title = self.passages[*t].text.as_str();
                let text = RecordText::new(title, a.map(|a| self.passages[a].text.as_str()));
                (text, title.chars().count())
            })
            .collect();
        for ann in &mut self.annotations {
            let Some((title_idx, abs_idx)) = self.records.get(ann.block as usize).copied() else {
                continue;
            };
            let Some((text, title_len)) = texts.get(ann.block as usize) else {
                continue; // unreachable: `records` and `texts` have the same length
            };
            let title_len = *title_len;
            let (found, mut rule) = text.locate(ann.start, ann.end, &ann.mention);
            if let Some((s, e)) = found {
                ann.span = if e <= title_len {
                    Some(Span {
                        passage: title_idx as u32,
                        start: s as u32,
                        end: e as u32,
                    })
                } else if let (Some(ai), true) = (abs_idx, s > title_len) {
                    Some(Span {
                        passage: ai as u32,
                        start: (s - title_len - 1) as u32,
                        end: (e - title_len - 1) as u32,
                    })
                } else {
                    rule = OffsetRule::Unresolved;
                    None
                };
            }
            let slot = OffsetRule::ALL.iter().position(|r| *r == rule).unwrap_or(5);
            rules[slot] += 1;
        }
    }
}

/// Parses the lines of one document. `lines` normally start with a title line; lines of
/// consecutive records with the same ID are all given together and become one document.
pub fn parse_document(lines: &[Line<'_>]) -> Parsed {
    let mut out = Parsed::default();
    let mut doc = Assembly::default();
    let first_line = lines.first().map(|l| l.number).unwrap_or(0);
    // Columns of the current tab-separated line (borrowed from `lines`, reused per line).
    let mut cols: Vec<&str> = Vec::with_capacity(8);
    for line in lines {
        let bytes = line.bytes.strip_suffix(b"\r").unwrap_or(line.bytes);
        let added = if memchr::memchr(0, bytes).is_some() {
            Err(LineError::NulByte)
        } else {
            match std::str::from_utf8(bytes) {
                Err(_) => Err(LineError::InvalidUtf8),
                Ok(text) => {
                    classify(text, &mut cols).and_then(|(id, kind)| doc.add(id, kind, &cols))
                }
            }
        };
        if let Err(error) = added {
            out.problems.push(Problem {
                line: line.number,
                error,
            });
        }
    }
    let Some(id) = doc.doc_id.take() else {
        // One rejection for the block instead of one complaint per line.
        out.problems.retain(|p| p.error != LineError::BeforeTitle);
        if !lines.is_empty() {
            out.problems.push(Problem {
                line: first_line,
                error: LineError::NoTitle,
            });
        }
        return out;
    };
    doc.resolve_offsets(&mut out.rules);
    out.document = Some(Document {
        id,
        passages: doc.passages,
        annotations: doc.annotations,
        relations: doc.relations,
        concepts: Vec::new(),
        ..Document::default()
    });
    out
}

#[cfg(test)]
#[path = "parse_doc_tests.rs"]
mod tests;
