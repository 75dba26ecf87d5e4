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
    buf: Vec<u8>,
    line_no: u64,
    offset: u64,
    pending: DocLines,
    /// True when the previous non-comment line was blank (a record ended).
    after_blank: bool,
    done: bool,
    /// Documents finished but not yet returned (one physical line can finish several when
    /// it holds CR-separated lines).
    ready: std::collections::VecDeque<DocLines>,
}

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
            buf: Vec::with_capacity(1 << 16),
            line_no: start.line,
            offset: start.offset,
            pending: DocLines::default(),
            after_blank: true,
            done: false,
            ready: std::collections::VecDeque::new(),
        }
    }

    /// The next document's lines, `Ok(None)` at the end. I/O errors are returned as such.
    pub fn next_doc(&mut self) -> io::Result<Option<DocLines>> {
        loop {
            if let Some(doc) = self.ready.pop_front() {
                return Ok(Some(doc));
            }
            if self.done {
                return Ok(None);
            }
            self.buf.clear();
            let before = Position {
                offset: self.offset,
                line: self.line_no,
            };
            let n = self.input.read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                self.done = true;
                let mut doc = std::mem::take(&mut self.pending);
                doc.end = before;
                if !doc.is_empty() {
                    self.ready.push_back(doc);
                }
                continue;
            }
            self.offset += n as u64;
            self.line_no += 1;
            let buf = std::mem::take(&mut self.buf);
            let mut line: &[u8] = &buf;
            line = line.strip_suffix(b"\n").unwrap_or(line);
            // Texts never end in CR (CRLF, and stray CRs before it, are line endings); a CR
            // inside a line is a classic-Mac line ending: each piece is a line of its own.
            while let Some(rest) = line.strip_suffix(b"\r") {
                line = rest;
            }
            for piece in line.split(|b| *b == b'\r') {
                self.take_line(piece, before);
            }
            self.buf = buf;
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
            let mut doc = std::mem::take(&mut self.pending);
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

    #[test]
    fn title_less_block_is_its_own_document() {
        let d = docs(b"1|t|a\n\n3\t0\t1\tx\tGene\t1\n\n2|t|c\n");
        assert_eq!(d.len(), 3);
        assert_eq!(d[1][0].0, 3);
    }
}
