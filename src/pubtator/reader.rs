//! Streaming reader: cuts a byte stream into the line groups of one document each, without
//! ever holding more than one document in memory.
//!
//! A document starts at a title line `ID|t|`. Consecutive records with the same ID (full texts
//! split into passages) are kept together. Blank lines separate records; `#` lines are
//! comments; a UTF-8 BOM at the start is skipped.

use super::parse::{is_title_line, line_id, Line};
use std::io::{self, BufRead};

/// The lines of one document, in one buffer.
#[derive(Debug, Default, Clone)]
pub struct DocLines {
    data: Vec<u8>,
    /// (start, end, line number) of each line in `data`.
    spans: Vec<(usize, usize, u64)>,
    /// Where the next document starts: byte offset in the (decompressed) stream and the
    /// number of lines read before it. A checkpoint taken after this document resumes here.
    pub end: Position,
}

/// A position in an input stream between two documents.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// Bytes of the (decompressed) stream before the position.
    pub offset: u64,
    /// Lines before the position.
    pub line: u64,
}

impl DocLines {
    /// The lines, borrowed.
    pub fn lines(&self) -> Vec<Line<'_>> {
        self.spans
            .iter()
            .map(|&(s, e, number)| Line {
                number,
                bytes: &self.data[s..e],
            })
            .collect()
    }

    /// Bytes held.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    /// True when no line is held.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn push(&mut self, line: &[u8], number: u64) {
        let s = self.data.len();
        self.data.extend_from_slice(line);
        self.spans.push((s, self.data.len(), number));
    }

    fn first_id(&self) -> &[u8] {
        self.spans
            .first()
            .map(|&(s, e, _)| line_id(&self.data[s..e]))
            .unwrap_or(b"")
    }
}

/// Iterates the documents of a PubTator stream.
pub struct DocReader<R> {
    input: R,
    /// A line that spans more than one fill of the input's buffer, gathered piece by piece
    /// (lines that lie whole in the input's buffer are taken from it without a copy).
    buf: Vec<u8>,
    offset: u64,
    done: bool,
    cutter: Cutter,
}

/// Cuts logical lines into documents (the part of the reader that does not touch the input).
struct Cutter {
    line_no: u64,
    pending: DocLines,
    /// True when the previous non-comment line was blank (a record ended).
    after_blank: bool,
    /// Documents finished but not yet returned (one physical line can finish several when
    /// it holds CR-separated lines).
    ready: std::collections::VecDeque<DocLines>,
}

/// Largest buffer sizes carried over from one document to the next as a capacity hint (so a
/// huge full text does not make every later small document reserve as much).
const MAX_HINT_BYTES: usize = 1 << 16;
const MAX_HINT_LINES: usize = 1 << 10;

impl<R: BufRead> DocReader<R> {
    /// Wraps a buffered input.
    pub fn new(input: R) -> Self {
        Self::starting_at(input, Position::default())
    }

    /// Wraps an input that has already been advanced to `start` (a position between two
    /// documents, from a checkpoint), so line numbers and offsets continue from there.
    pub fn starting_at(input: R, start: Position) -> Self {
        DocReader {
            input,
            buf: Vec::new(),
            offset: start.offset,
            done: false,
            cutter: Cutter {
                line_no: start.line,
                pending: DocLines::default(),
                after_blank: true,
                ready: std::collections::VecDeque::new(),
            },
        }
    }

    /// The next document's lines, `Ok(None)` at the end. I/O errors are returned as such.
    pub fn next_doc(&mut self) -> io::Result<Option<DocLines>> {
        loop {
            if let Some(doc) = self.cutter.ready.pop_front() {
                return Ok(Some(doc));
            }
            if self.done {
                return Ok(None);
            }
            self.read_line()?;
        }
    }

    /// Reads one physical line (through its `\n`, or to the end of the input) and hands it to
    /// the cutter; at the end of the input, finishes the pending document.
    fn read_line(&mut self) -> io::Result<()> {
        let before = Position {
            offset: self.offset,
            line: self.cutter.line_no,
        };
        self.buf.clear();
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break; // end of input: `buf` holds the last line, if any
            }
            let Some(i) = memchr::memchr(b'\n', available) else {
                self.buf.extend_from_slice(available);
                let n = available.len();
                self.input.consume(n);
                continue;
            };
            let n = i + 1;
            if self.buf.is_empty() {
                // The whole line is in the input's buffer: no copy.
                self.offset += n as u64;
                self.cutter.physical_line(&available[..n], before);
            } else {
                self.buf.extend_from_slice(&available[..n]);
                self.offset += self.buf.len() as u64;
                self.cutter.physical_line(&self.buf, before);
            }
            self.input.consume(n);
            return Ok(());
        }
        if self.buf.is_empty() {
            self.done = true;
            let mut doc = std::mem::take(&mut self.cutter.pending);
            doc.end = before;
            if !doc.is_empty() {
                self.cutter.ready.push_back(doc);
            }
        } else {
            self.offset += self.buf.len() as u64;
            self.cutter.physical_line(&self.buf, before);
        }
        Ok(())
    }
}

impl Cutter {
    /// Takes one physical line (with its `\n`, if any) that started at `before`.
    fn physical_line(&mut self, line: &[u8], before: Position) {
        self.line_no += 1;
        let mut line = line.strip_suffix(b"\n").unwrap_or(line);
        // Texts never end in CR (CRLF, and stray CRs before it, are line endings); a CR
        // inside a line is a classic-Mac line ending: each piece is a line of its own.
        while let Some(rest) = line.strip_suffix(b"\r") {
            line = rest;
        }
        if memchr::memchr(b'\r', line).is_none() {
            self.take_line(line, before);
        } else {
            for piece in line.split(|b| *b == b'\r') {
                self.take_line(piece, before);
            }
        }
    }

    /// Adds one logical line to the pending document, moving a finished document to `ready`.
    fn take_line(&mut self, line: &[u8], before: Position) {
        // A BOM can start any line when files were concatenated (`cat a b`).
        let mut line = line;
        while let Some(rest) = line.strip_prefix(b"\xEF\xBB\xBF") {
            line = rest;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            self.after_blank = true;
            return;
        }
        if line.first() == Some(&b'#') {
            return;
        }
        // A new document starts at a title line with another ID, or at any line after a
        // blank line whose ID differs (so a title-less block is cut off and rejected).
        let starts_new = !self.pending.is_empty()
            && (is_title_line(line) || self.after_blank)
            && line_id(line) != self.pending.first_id();
        self.after_blank = false;
        if starts_new {
            // The next document is likely about as large as this one: reserve that much.
            let next = DocLines {
                data: Vec::with_capacity(self.pending.data.len().min(MAX_HINT_BYTES)),
                spans: Vec::with_capacity(self.pending.spans.len().min(MAX_HINT_LINES)),
                end: Position::default(),
            };
            let mut doc = std::mem::replace(&mut self.pending, next);
            doc.end = before;
            self.ready.push_back(doc);
        }
        self.pending.push(line, self.line_no);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(input: &[u8]) -> Vec<Vec<(u64, String)>> {
        let mut r = DocReader::new(input);
        let mut out = Vec::new();
        while let Some(d) = r.next_doc().unwrap() {
            out.push(
                d.lines()
                    .iter()
                    .map(|l| (l.number, String::from_utf8_lossy(l.bytes).into_owned()))
                    .collect(),
            );
        }
        out
    }

    #[test]
    fn blank_lines_bom_comments_and_no_final_newline() {
        let d = docs(
            b"\xEF\xBB\xBF##USE-MESH-VOCABULARY\n\n\n1|t|a\n1|a|b\n\n2|t|c\r\n2\t0\t1\tc\tGene\t1",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0],
            vec![(4, "1|t|a".to_string()), (5, "1|a|b".to_string())]
        );
        assert_eq!(d[1][1], (8, "2\t0\t1\tc\tGene\t1".to_string()));
    }

    #[test]
    fn consecutive_same_id_records_stay_together() {
        let d = docs(b"1|t|a\n1|a|\n\n1|t|b\n1|a|c\n\n2|t|d\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].len(), 4);
    }

    #[test]
    fn documents_without_blank_separator_are_split_at_title_lines() {
        let d = docs(b"1|t|a\n1|a|b\n2|t|c\n2|a|d\n");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn positions_let_a_reader_resume_between_documents() {
        let input = b"1|t|a\n1|a|b\n\n2|t|c\n2|a|d\n\n3|t|e\n";
        let mut r = DocReader::new(&input[..]);
        let first = r.next_doc().unwrap().unwrap();
        assert_eq!(
            first.end,
            Position {
                offset: 13,
                line: 3
            }
        );
        let mut resumed = DocReader::starting_at(&input[first.end.offset as usize..], first.end);
        let second = resumed.next_doc().unwrap().unwrap();
        assert_eq!(second.lines()[0].number, 4);
        assert_eq!(second.lines()[0].bytes, b"2|t|c");
        let third = resumed.next_doc().unwrap().unwrap();
        assert_eq!(
            third.end,
            Position {
                offset: input.len() as u64,
                line: 7
            }
        );
    }

    /// One document's lines (number, bytes) and end position.
    type Doc = (Vec<(u64, Vec<u8>)>, Position);

    fn docs_and_ends<R: BufRead>(r: R) -> Vec<Doc> {
        let mut r = DocReader::new(r);
        let mut out = Vec::new();
        while let Some(d) = r.next_doc().unwrap() {
            let lines = d
                .lines()
                .iter()
                .map(|l| (l.number, l.bytes.to_vec()))
                .collect();
            out.push((lines, d.end));
        }
        out
    }

    #[test]
    fn lines_across_input_buffer_refills_read_the_same() {
        let input: &[u8] = b"\xEF\xBB\xBF# comment\n1|t|a long title that spans many small buffers\r\n1|a|b\rc\r\r\n1\t0\t1\ta\tGene\t1\n\n\n2|t|x\n\xEF\xBB\xBF2|a|y\n3|t|z\n3\t0\t1\tz\tGene\t9";
        let whole = docs_and_ends(input);
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[0].0[1], (3, b"1|a|b".to_vec()));
        assert_eq!(whole[0].0[2], (3, b"c".to_vec()));
        assert_eq!(whole[1].0[1], (8, b"2|a|y".to_vec()));
        assert_eq!(
            whole.last().map(|d| d.1),
            Some(Position {
                offset: input.len() as u64,
                line: 10
            })
        );
        for capacity in 1..=20 {
            let small = std::io::BufReader::with_capacity(capacity, input);
            assert_eq!(docs_and_ends(small), whole, "buffer of {capacity} bytes");
        }
    }

    #[test]
    fn title_less_block_is_its_own_document() {
        let d = docs(b"1|t|a\n\n3\t0\t1\tx\tGene\t1\n\n2|t|c\n");
        assert_eq!(d.len(), 3);
        assert_eq!(d[1][0].0, 3);
    }
}
