//! PubTator reader and parser, and the regression tests for the fuzzer crashes they had.

use super::*;

// ---------------------------------------------------------------------------------------------
// PubTator reader and parser.
// ---------------------------------------------------------------------------------------------

pub(super) fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| Fields::new(&build_schema()).unwrap())
}

/// One document read from a stream: its line numbers, the document, the problems.
type ReadDoc = (Vec<u64>, Option<Document>, Vec<Problem>);

fn read_all(data: &[u8]) -> Vec<ReadDoc> {
    let mut reader = DocReader::new(data);
    let mut out = Vec::new();
    while let Some(doc) = reader.next_doc().unwrap() {
        let lines = doc.lines();
        let parsed = parse_document(&lines);
        out.push((
            lines.iter().map(|l| l.number).collect(),
            parsed.document,
            parsed.problems,
        ));
    }
    out
}

fn written(doc: &Document) -> Vec<u8> {
    let mut buf = Vec::new();
    write_document(&mut buf, doc).unwrap();
    buf
}

/// Lines in `data` (a last line without `\n` counts).
fn line_count(data: &[u8]) -> u64 {
    let n = data.iter().filter(|&&b| b == b'\n').count() as u64;
    n + u64::from(!data.is_empty() && !data.ends_with(b"\n"))
}

/// The properties of the pubtator_parser fuzz target, for one input. Returns the number of
/// documents read without problems (so generators can be checked for producing some).
fn check_bytes(data: &[u8]) -> Result<usize, String> {
    let lines = line_count(data);
    let mut last = 0u64;
    let mut clean = 0;
    for (numbers, document, problems) in read_all(data) {
        if numbers.is_empty() {
            return Err("empty document from the reader".into());
        }
        // Non-decreasing: the pieces of a line split at lone CRs (classic Mac line ends) share
        // the number of their LF-terminated line.
        for &n in &numbers {
            if n < last.max(1) || n > lines {
                return Err(format!(
                    "line number {n} after {last}, input has {lines} lines"
                ));
            }
            last = n;
        }
        for p in &problems {
            if !numbers.contains(&p.line) {
                return Err(format!(
                    "problem {:?} at line {}, not a line of its document {numbers:?}",
                    p.error, p.line
                ));
            }
        }
        let Some(doc) = document else {
            if problems.is_empty() {
                return Err("block rejected without a problem".into());
            }
            continue;
        };
        let _ = to_tantivy(fields(), &doc);
        let text = written(&doc);
        if !problems.is_empty() {
            continue;
        }
        clean += 1;
        let again = read_all(&text);
        let shown = String::from_utf8_lossy(&text);
        match again.as_slice() {
            [(_, Some(redoc), reproblems)] if reproblems.is_empty() => {
                if redoc != &doc {
                    return Err(format!(
                        "round trip changed the document\nwritten:\n{shown}\nbefore: {doc:?}\nafter: {redoc:?}"
                    ));
                }
                if written(redoc) != text {
                    return Err(format!("writing is not stable:\n{shown}"));
                }
            }
            other => {
                return Err(format!(
                    "written document reads back as {other:?}\nwritten:\n{shown}"
                ))
            }
        }
    }
    Ok(clean)
}

const TYPES: &[&str] = &[
    "Gene",
    "Disease",
    "Chemical",
    "Species",
    "Mutation",
    "CellLine",
    "GeneOrGeneProduct",
    "OTHER",
];

/// Text without line breaks, tabs only where allowed, a mix of ASCII and multi-byte chars.
fn text(tabs: bool) -> impl Strategy<Value = String> {
    let chars: &[char] = if tabs {
        &[
            'a', 'b', 'P', 'D', '1', '-', ' ', '.', '|', 'α', 'é', '𝛼', '\t', '#', ':',
        ]
    } else {
        &[
            'a', 'b', 'P', 'D', '1', '-', ' ', '.', '|', 'α', 'é', '𝛼', '#', ':',
        ]
    };
    prop::collection::vec(prop::sample::select(chars), 0..40).prop_map(|v| v.into_iter().collect())
}

#[derive(Debug, Clone)]
struct GenAnnotation {
    start: u64,
    len: u64,
    mention: String,
    ty: &'static str,
    id: Option<String>,
    extra: Vec<String>,
}

#[derive(Debug, Clone)]
struct GenRecord {
    title: String,
    abstract_text: Option<String>,
    annotations: Vec<GenAnnotation>,
}

#[derive(Debug, Clone)]
struct GenDoc {
    id: &'static str,
    records: Vec<GenRecord>,
    relations: Vec<(String, String, String, Option<&'static str>)>,
}

fn annotation() -> impl Strategy<Value = GenAnnotation> {
    (
        0u64..80,
        0u64..15,
        text(false).prop_filter("no tabs", |t| !t.contains('\t')),
        prop::sample::select(TYPES),
        prop::option::of("[0-9A-Za-z:|;,.-]{0,12}"),
        prop::collection::vec("[a-z|]{0,4}", 0..3),
    )
        .prop_map(|(start, len, mention, ty, id, extra)| GenAnnotation {
            start,
            len,
            mention,
            ty,
            // Extra columns need the ID column before them.
            extra: if id.is_some() { extra } else { Vec::new() },
            id,
        })
}

fn record() -> impl Strategy<Value = GenRecord> {
    (
        text(true),
        prop::option::of(text(true)),
        prop::collection::vec(annotation(), 0..4),
    )
        .prop_map(|(title, abstract_text, annotations)| GenRecord {
            title,
            abstract_text,
            annotations,
        })
}

fn document() -> impl Strategy<Value = GenDoc> {
    (
        prop::sample::select(&["1", "2", "10", "31554797", "PMC7.a"][..]),
        prop::collection::vec(record(), 1..3),
        prop::collection::vec(
            (
                "[A-Z][a-z_]{0,12}",
                "[0-9A-Z:]{1,8}",
                "[0-9A-Z:]{1,8}",
                prop::option::of(prop::sample::select(&["Novel", "No"][..])),
            ),
            0..3,
        ),
    )
        .prop_map(|(id, records, relations)| GenDoc {
            id,
            records,
            relations,
        })
}

/// The PubTator text of a generated document, and how many annotation and relation lines.
fn render(doc: &GenDoc) -> (String, usize, usize) {
    let mut out = String::new();
    let mut anns = 0;
    for r in &doc.records {
        out.push_str(&format!("{}|t|{}\n", doc.id, r.title));
        if let Some(a) = &r.abstract_text {
            out.push_str(&format!("{}|a|{}\n", doc.id, a));
        }
        for a in &r.annotations {
            anns += 1;
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}",
                doc.id,
                a.start,
                a.start + a.len,
                a.mention,
                a.ty
            ));
            if let Some(id) = &a.id {
                out.push_str(&format!("\t{id}"));
            }
            for x in &a.extra {
                out.push_str(&format!("\t{x}"));
            }
            out.push('\n');
        }
    }
    for (t, a, b, n) in &doc.relations {
        out.push_str(&format!("{}\t{t}\t{a}\t{b}", doc.id));
        if let Some(n) = n {
            out.push_str(&format!("\t{n}"));
        }
        out.push('\n');
    }
    out.push('\n');
    (out, anns, doc.relations.len())
}

/// A mutation of the rendered bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, &'static [u8]),
    Delete(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

const INSERTS: &[&[u8]] = &[
    b"\t",
    b"|",
    b"\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xff",
    b"\xce",
    b"0",
    b"-1",
    b"#",
    b" ",
    b"|t|",
    b"|a|",
    b"99999999999999999999999",
    b"\n\n",
    b"\t\t",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(INSERTS)).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<usize>(), 1usize..6).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

fn apply(data: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::Insert(i, s) => {
            let i = i % (data.len() + 1);
            data.splice(i..i, s.iter().copied());
        }
        Mutation::Delete(i, n) => {
            if !data.is_empty() {
                let i = i % data.len();
                let end = (i + n).min(data.len());
                data.drain(i..end);
            }
        }
        Mutation::DuplicateLine(i) | Mutation::SwapLines(i, _) => {
            let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let a = i % lines.len();
            if let Mutation::SwapLines(_, j) = *m {
                let b = j % lines.len();
                lines.swap(a, b);
            } else {
                let dup = lines[a].clone();
                lines.insert(a, dup);
            }
            *data = lines.join(&b'\n');
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn reader_and_parser_hold_on_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_bytes(&data).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn reader_and_parser_hold_on_line_shaped_bytes(
        lines in prop::collection::vec(
            prop::collection::vec(prop::sample::select(&b"1|ta\t0 5\r\n#\xef\xbb\xbf\xff\0-x"[..]), 0..24),
            0..24,
        )
    ) {
        let data = lines.join(&b'\n');
        check_bytes(&data).map_err(TestCaseError::fail)?;
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Generated documents, unmutated: read as one document each, without problems, with every
    /// annotation and relation line kept, and round-tripping.
    #[test]
    fn generated_documents_parse_cleanly_and_round_trip(docs in prop::collection::vec(document(), 1..4)) {
        // Consecutive documents with the same ID merge into one: give each its own ID.
        let mut text = String::new();
        let mut want = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for d in &docs {
            if !seen.insert(d.id) {
                continue;
            }
            let (t, anns, rels) = render(d);
            text.push_str(&t);
            want.push((d.id, d.records.len(), anns, rels));
        }
        let got = read_all(text.as_bytes());
        prop_assert_eq!(got.len(), want.len(), "{}", text);
        for ((_, doc, problems), (id, records, anns, rels)) in got.iter().zip(&want) {
            prop_assert!(problems.is_empty(), "{:?}\n{}", problems, text);
            let doc = doc.as_ref().unwrap();
            prop_assert_eq!(doc.id.as_str(), *id);
            let titles = doc.passages.iter().filter(|p| p.kind == ptsearch::pubtator::PassageKind::Title).count();
            prop_assert_eq!(titles, *records);
            prop_assert_eq!(doc.annotations.len(), *anns);
            prop_assert_eq!(doc.relations.len(), *rels);
            // Every resolved span lies inside its passage.
            for a in &doc.annotations {
                if let Some(s) = a.span {
                    let p = &doc.passages[s.passage as usize];
                    prop_assert!(s.start <= s.end && s.end as usize <= p.text.chars().count(), "{:?} in {:?}", s, p.text);
                }
            }
        }
        prop_assert_eq!(check_bytes(text.as_bytes()).map_err(TestCaseError::fail)?, want.len());
    }

    /// Generated documents with random byte mutations: the reader and parser properties hold.
    #[test]
    fn mutated_documents_hold(
        docs in prop::collection::vec(document(), 1..4),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut data: Vec<u8> = docs.iter().flat_map(|d| render(d).0.into_bytes()).collect();
        for m in &mutations {
            apply(&mut data, m);
        }
        check_bytes(&data).map_err(TestCaseError::fail)?;
    }
}

/// A bad line's problem carries the right line number in a multi-document stream.
#[test]
fn problems_name_the_physical_line() {
    let data = b"# header\n1|t|a\n1\t5\t2\tx\tGene\n\n\n2|t|b\n2\tx\t1\tb\tGene\t1\n2|z|q\n";
    let docs = read_all(data);
    let problems: Vec<(u64, &LineError)> = docs
        .iter()
        .flat_map(|(_, _, p)| p.iter().map(|p| (p.line, &p.error)))
        .collect();
    assert_eq!(
        problems,
        [
            (3, &LineError::StartAfterEnd),
            (7, &LineError::BadOffset("start")),
            (8, &LineError::UnknownPassageCode("z".into())),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Regression tests: fuzzer crashes and the bugs behind them.
// ---------------------------------------------------------------------------------------------

/// fuzz/artifacts/pubtator_parser/crash-8ccbd2d9318a0128f381786a26c1c59a2de4221d (seeded from
/// tests/data/malformed/cols_id_and_tab.pubtator): `200\t` (one tab, two columns) made
/// `parse_document` index `cols[2]` out of bounds.
#[test]
fn regression_two_column_tab_line_does_not_panic() {
    let crash = b"100|t|Good document before\n100|a|Kept before the bad part.\n\n200|t|Two kinase domains\n200|a|The second document.\n200\t\n\n300|t|Good document after\n300|a|Kept after the bad part.\n";
    check_bytes(crash).unwrap();
    for line in [&b"1\t"[..], b"1\tx", b"1\tAssociation", b"1\t5"] {
        let data = [&b"1|t|title\n"[..], line, b"\n"].concat();
        let docs = read_all(&data);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].2.len(), 1, "{:?}", String::from_utf8_lossy(&data));
        assert_eq!(docs[0].2[0].line, 2);
        check_bytes(&data).unwrap();
    }
}

/// fuzz/artifacts/pubtator_parser/crash-5655154f66e7a141f3361fbf8f0f5f0e1c36d8f8: a UTF-8 BOM at
/// the start of a line other than the first (two files concatenated) became part of the
/// document ID (`\u{feff}200`); written back at the start of a file, the BOM is stripped and
/// the ID changes. An ID must never start with a BOM.
#[test]
fn regression_bom_inside_a_stream_is_not_part_of_the_id() {
    let crash: &[u8] = b"100|t|Good document before\n100\x06\x01|KeptdocumentBefore\n100|a|Kept before the bad part.\n\n\xef\xbb\xbf200|t|Two kinase domai before the bkd part~.\n\n200|t|Two kinase domains\n";
    let mut failures = Vec::new();
    for data in [
        crash,
        b"1|t|a\n\n\xef\xbb\xbf2|t|b\n",
        b"\xef\xbb\xbf\xef\xbb\xbf3|t|c\n",
    ] {
        for (_, doc, _) in read_all(data) {
            if let Some(doc) = doc {
                if doc.id.starts_with('\u{feff}') {
                    failures.push(format!(
                        "ID {:?} from {:?}",
                        doc.id,
                        String::from_utf8_lossy(data)
                    ));
                }
            }
        }
        if let Err(e) = check_bytes(data) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Found by reasoning about the round-trip property while writing the fuzz target (then
/// confirmed by it): `DocReader` strips one trailing `\r` and `parse_document` strips another,
/// so a line ending in `\r\r\r` keeps one `\r` at the end of its text. The writer writes it
/// back as `text\r\n`, which reads back without it: the export of an indexed document does not
/// re-index to the same document. Texts must not end in a CR (or the writer must preserve it).
#[test]
fn regression_text_ending_in_cr_round_trips() {
    for data in [
        &b"1|t|title\r\r\r\n"[..],
        b"1|t|title\n1|a|abstract\r\r\r\n",
        b"1|t|title\n1\t0\t5\ttitle\tGene\t5133\r\r\r\n",
        b"1|t|title\r\r\r",
    ] {
        check_bytes(data).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(data)));
    }
}
