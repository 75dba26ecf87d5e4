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

/// Parses the lines of one document. `lines` normally start with a title line; lines of
/// consecutive records with the same ID are all given together and become one document.
pub fn parse_document(lines: &[Line<'_>]) -> Parsed {
    let mut out = Parsed::default();
    let mut doc_id: Option<String> = None;
    let mut passages: Vec<Passage> = Vec::new();
    // Per record: (title passage index, abstract passage index).
    let mut records: Vec<(usize, Option<usize>)> = Vec::new();
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut relations: Vec<Relation> = Vec::new();
    let first_line = lines.first().map(|l| l.number).unwrap_or(0);
    // Columns of the current tab-separated line (borrowed from `lines`, reused per line).
    let mut cols: Vec<&str> = Vec::with_capacity(8);

    for line in lines {
        let bytes = line.bytes.strip_suffix(b"\r").unwrap_or(line.bytes);
        let problem = |error| Problem {
            line: line.number,
            error,
        };
        if memchr::memchr(0, bytes).is_some() {
            out.problems.push(problem(LineError::NulByte));
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            out.problems.push(problem(LineError::InvalidUtf8));
            continue;
        };
        let (id, kind) = match classify(text, &mut cols) {
            Ok(x) => x,
            Err(e) => {
                out.problems.push(problem(e));
                continue;
            }
        };
        // The document's own ID was validated on its first line.
        let known = doc_id.as_deref() == Some(id);
        if !known && !valid_id(id) {
            out.problems.push(problem(LineError::BadDocumentId));
            continue;
        }
        match &doc_id {
            Some(d) if d != id => {
                out.problems.push(problem(LineError::OtherDocument {
                    found: id.to_string(),
                    expected: d.clone(),
                }));
                continue;
            }
            Some(_) => {}
            None => {
                if !matches!(kind, Kind::Title(_)) {
                    out.problems.push(problem(LineError::BeforeTitle));
                    continue;
                }
                doc_id = Some(id.to_string());
            }
        }
        let block = records.len().saturating_sub(1) as u32;
        match kind {
            Kind::Title(t) => {
                passages.push(Passage {
                    kind: PassageKind::Title,
                    block: records.len() as u32,
                    text: t.to_string(),
                    section: None,
                });
                records.push((passages.len() - 1, None));
            }
            Kind::Abstract(a) => match records.last_mut() {
                Some((_, abs @ None)) => {
                    passages.push(Passage {
                        kind: PassageKind::Abstract,
                        block,
                        text: a.to_string(),
                        section: None,
                    });
                    *abs = Some(passages.len() - 1);
                }
                _ => out.problems.push(problem(LineError::SecondAbstract)),
            },
            Kind::Tabbed => {
                // Relation arguments are often integers (gene IDs), so only the start column
                // decides; a bad start offset is recognized by the shape of the rest.
                let col = |i: usize| cols.get(i).copied().unwrap_or("");
                let looks_like_annotation = is_integer(col(1))
                    || (is_integer(col(2))
                        && (cols.len() >= 6
                            || (cols.len() == 5
                                && crate::pubtator::ids::canonical_type_name(col(4)).is_some())));
                if looks_like_annotation {
                    match annotation(&cols, block) {
                        Ok(a) => annotations.push(a),
                        Err(e) => out.problems.push(problem(e)),
                    }
                } else if cols.len() == 4 || cols.len() == 5 {
                    relations.push(Relation {
                        rel_type: cols[1].to_string(),
                        args: [cols[2].to_string(), cols[3].to_string()],
                        novelty: cols.get(4).map(|s| s.to_string()),
                        arg_types: Vec::new(),
                    });
                } else {
                    out.problems
                        .push(problem(LineError::RelationColumns(cols.len())));
                }
            }
        }
    }

    let Some(id) = doc_id else {
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

    // Resolve offsets record by record.
    // Per record: its combined text and its title's length in chars.
    let texts: Vec<(RecordText<'_>, usize)> = records
        .iter()
        .map(|(t, a)| {
            let title = passages[*t].text.as_str();
            let text = RecordText::new(title, a.map(|a| passages[a].text.as_str()));
            (text, title.chars().count())
        })
        .collect();
    for ann in &mut annotations {
        let Some((title_idx, abs_idx)) = records.get(ann.block as usize).copied() else {
            continue;
        };
        let Some((text, title_len)) = texts.get(ann.block as usize) else {
            continue; // unreachable: `records` and `texts` have the same length
        };
        let title_len = *title_len;
        let (found, rule) = text.locate(ann.start, ann.end, &ann.mention);
        let mut rule = rule;
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
        out.rules[slot] += 1;
    }
    out.document = Some(Document {
        id,
        passages,
        annotations,
        relations,
        concepts: Vec::new(),
        ..Document::default()
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        let lines: Vec<Line<'_>> = text
            .split('\n')
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| Line {
                number: i as u64 + 1,
                bytes: l.as_bytes(),
            })
            .collect();
        parse_document(&lines)
    }

    #[test]
    fn title_abstract_annotations_and_relations() {
        let p = parse(
            "1|t|PD1 in cancer.\n1|a|We study PD1.\n1\t0\t3\tPD1\tGene\t5133\n1\t7\t13\tcancer\tDisease\tD009369\n1\tAssociation\t5133\tD009369",
        );
        let d = p.document.unwrap();
        assert_eq!(d.id, "1");
        assert_eq!(d.passages.len(), 2);
        assert_eq!(d.annotations.len(), 2);
        assert_eq!(
            d.annotations[1].span,
            Some(Span {
                passage: 0,
                start: 7,
                end: 13
            })
        );
        assert_eq!(
            d.relations[0].args,
            ["5133".to_string(), "D009369".to_string()]
        );
        assert!(p.problems.is_empty());
        assert_eq!(p.rules[0], 2);
    }

    #[test]
    fn abstract_offsets_start_after_title_and_a_space() {
        let p = parse("7|t|Title.\n7|a|PD1 here\n7\t7\t10\tPD1\tGene\t5133");
        let d = p.document.unwrap();
        assert_eq!(
            d.annotations[0].span,
            Some(Span {
                passage: 1,
                start: 0,
                end: 3
            })
        );
    }

    #[test]
    fn crlf_and_tabs_inside_text() {
        let p = parse("9|t|A\ttabbed title\r\n9|a|x\r\n9\t0\t1\tA\tGene\t1\r");
        let d = p.document.unwrap();
        assert_eq!(d.title(), "A\ttabbed title");
        assert_eq!(d.annotations.len(), 1);
        assert_eq!(d.annotations[0].raw_id.as_deref(), Some("1"));
    }

    #[test]
    fn five_six_and_seven_column_mentions() {
        let p = parse("2|t|aspirin and ibuprofen\n2\t0\t7\taspirin\tChemical\n2\t12\t21\tibuprofen\tChemical\tD007052\n2\t0\t21\tx\tDisease\tD1|D2\tA|B\t");
        let d = p.document.unwrap();
        assert_eq!(d.annotations[0].raw_id, None);
        assert_eq!(d.annotations[1].raw_id.as_deref(), Some("D007052"));
        assert_eq!(
            d.annotations[2].extra,
            vec!["A|B".to_string(), String::new()]
        );
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_kept() {
        let p = parse("3|t|Title\n3\tx\t5\tT\tGene\t1\n3\t0\t2\n4\t0\t5\tTitle\tGene\t1\n3\t5\t0\tT\tGene\t1\n3\tOnly\tThree\n3\t0\t5\tTitle\tGene\t7");
        assert_eq!(p.document.as_ref().unwrap().annotations.len(), 1);
        let kinds: Vec<&str> = p.problems.iter().map(|p| p.error.kind()).collect();
        assert_eq!(
            kinds,
            [
                "bad offset",
                "too few columns",
                "ID of another document",
                "start after end",
                "relation column count"
            ]
        );
        assert_eq!(
            p.problems.iter().map(|p| p.line).collect::<Vec<_>>(),
            [2, 3, 4, 5, 6]
        );
    }

    #[test]
    fn two_column_lines_are_reported_not_a_panic() {
        let p = parse("11|t|Title\n11\tAssociation\n11\t5");
        assert!(p.document.is_some());
        assert_eq!(
            p.problems.iter().map(|p| p.line).collect::<Vec<_>>(),
            [2, 3]
        );
    }

    #[test]
    fn block_without_title_is_rejected() {
        let p = parse("5|a|abstract only\n5\t0\t3\tabs\tGene\t1");
        assert!(p.document.is_none());
        assert!(p.problems.iter().any(|p| p.error == LineError::NoTitle));
    }

    #[test]
    fn consecutive_records_become_passages_of_one_document() {
        let p = parse("6|t|Intro\n6|a|\n6\t0\t5\tIntro\tChemical\tD1\n6|t|Methods\n6|a|We used aspirin.\n6\t16\t23\taspirin\tChemical\tD001241");
        let d = p.document.unwrap();
        assert_eq!(d.passages.len(), 4);
        assert_eq!(d.annotations[1].block, 1);
        assert_eq!(
            d.annotations[1].span,
            Some(Span {
                passage: 3,
                start: 8,
                end: 15
            })
        );
    }

    #[test]
    fn invalid_utf8_and_nul_lines_are_dropped() {
        let lines = [
            Line {
                number: 1,
                bytes: b"8|t|ok",
            },
            Line {
                number: 2,
                bytes: b"8\t0\t2\t\xff\xfe\tGene\t1",
            },
            Line {
                number: 3,
                bytes: b"8\t0\t2\tok\0\tGene\t1",
            },
        ];
        let p = parse_document(&lines);
        assert!(p.document.is_some());
        assert_eq!(p.problems[0].error, LineError::InvalidUtf8);
        assert_eq!(p.problems[1].error, LineError::NulByte);
    }

    #[test]
    fn non_numeric_ids_and_type_in_id_slot() {
        let p =
            parse("47728491017|t|Jurkat cells\n47728491017\t0\t6\tJurkat\tp|SUB|P|29|S\tRSID:1");
        assert_eq!(p.document.unwrap().id, "47728491017");
        assert_eq!(p.problems[0].error, LineError::BadType);
    }

    #[test]
    fn whole_text_on_title_line_and_title_only() {
        let p = parse("10|t|Everything is here. PD1 too.\n10\t20\t23\tPD1\tGene\t5133");
        let d = p.document.unwrap();
        assert_eq!(d.passages.len(), 1);
        assert_eq!(
            d.annotations[0].span,
            Some(Span {
                passage: 0,
                start: 20,
                end: 23
            })
        );
    }
}
