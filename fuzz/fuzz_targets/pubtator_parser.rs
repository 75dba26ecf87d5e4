//! Fuzz target: the PubTator reader and parser over arbitrary bytes.
//!
//! Every document cut by `DocReader` is parsed, converted to a tantivy document and written back
//! as PubTator text. Properties checked (a violation aborts, which libFuzzer records as a crash):
//! * nothing panics;
//! * every parsed document survives the stored-record encoding (`codec`) unchanged;
//! * line numbers handed to the parser never decrease and lie within the input's line count; every
//!   problem names one of the document's own lines;
//! * a document parsed without any problem, written with `write_document`, reads back (through
//!   `DocReader` + `parse_document`) as exactly one document, without problems, equal to it, and
//!   writing that again gives the same bytes.
//!
//! Run: `cargo +nightly fuzz run pubtator_parser corpus/pubtator_parser ../tests/data ../tests/data/malformed -- -max_total_time=1800 -timeout=10 -dict=pubtator.dict`
//! (seeds: `tests/data/*.pubtator` and `tests/data/malformed/`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptsearch::pubtator::codec::{decode, encode};
use ptsearch::pubtator::write::write_document;
use ptsearch::pubtator::{parse_document, DocReader, Document, Problem};
use ptsearch::index::document::to_tantivy;
use ptsearch::index::schema::{build_schema, Fields};
use std::sync::OnceLock;

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| Fields::new(&build_schema()).expect("schema fields"))
}

/// Reads every document of `data`: (lines' numbers, parse result).
fn read_all(data: &[u8]) -> Vec<(Vec<u64>, Option<Document>, Vec<Problem>)> {
    let mut reader = DocReader::new(data);
    let mut out = Vec::new();
    // Reading from a slice cannot fail.
    while let Some(doc) = reader.next_doc().expect("reading a byte slice") {
        let lines = doc.lines();
        let numbers: Vec<u64> = lines.iter().map(|l| l.number).collect();
        let parsed = parse_document(&lines);
        out.push((numbers, parsed.document, parsed.problems));
    }
    out
}

fn written(doc: &Document) -> Vec<u8> {
    let mut buf = Vec::new();
    write_document(&mut buf, doc).expect("writing to a Vec");
    buf
}

fuzz_target!(|data: &[u8]| {
    // Lines in the input: a final line without '\n' counts too.
    let line_count = memchr_count(data) + u64::from(!data.is_empty() && !data.ends_with(b"\n"));
    let mut last_line = 0u64;
    for (numbers, document, problems) in read_all(data) {
        assert!(!numbers.is_empty(), "the reader returned an empty document");
        // Non-decreasing: pieces of a line split at lone CRs share its number.
        for &n in &numbers {
            assert!(
                n >= last_line.max(1) && n <= line_count,
                "line number {n} after {last_line} (input has {line_count} lines)"
            );
            last_line = n;
        }
        for p in &problems {
            assert!(
                numbers.contains(&p.line),
                "problem {:?} names line {} which is not one of the document's lines {numbers:?}",
                p.error,
                p.line
            );
        }
        let Some(doc) = document else {
            assert!(!problems.is_empty(), "a rejected block must say why");
            continue;
        };
        let _ = to_tantivy(fields(), &doc);
        assert_eq!(
            decode(&encode(&doc)).as_ref(),
            Ok(&doc),
            "the stored-record encoding changed the document"
        );
        let text = written(&doc);
        if !problems.is_empty() {
            continue;
        }
        let again = read_all(&text);
        assert_eq!(
            again.len(),
            1,
            "written document reads back as {} documents:\n{}",
            again.len(),
            String::from_utf8_lossy(&text)
        );
        let (_, redoc, reproblems) = &again[0];
        assert!(
            reproblems.is_empty(),
            "written document has problems {reproblems:?}:\n{}",
            String::from_utf8_lossy(&text)
        );
        assert_eq!(
            redoc.as_ref(),
            Some(&doc),
            "round trip changed the document:\n{}",
            String::from_utf8_lossy(&text)
        );
        assert_eq!(
            written(redoc.as_ref().unwrap()),
            text,
            "writing is not stable"
        );
    }
});

fn memchr_count(data: &[u8]) -> u64 {
    data.iter().filter(|&&b| b == b'\n').count() as u64
}
