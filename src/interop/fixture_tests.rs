//! Tests over the small fixtures in `tests/data/interop` (one idea per file), and the
//! PubTator export check shared with the sample tests.

use super::sample_tests::{read_file, Read};
use super::*;
use crate::pubtator::parse_document;
use std::path::Path;

/// Writes `doc` as PubTator, parses it back with the crate's parser and checks that nothing
/// is dropped and every span survives.
pub(super) fn assert_exports_cleanly(doc: &Document, what: &str) {
    if doc.passages.is_empty() {
        return; // nothing to write a title line from
    }
    let mut out = Vec::new();
    crate::pubtator::write::write_document(&mut out, doc).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<crate::pubtator::Line<'_>> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| crate::pubtator::Line {
            number: i as u64 + 1,
            bytes: l.as_bytes(),
        })
        .collect();
    let parsed = parse_document(&lines);
    assert!(
        parsed.problems.is_empty(),
        "{what} {}: {:?}\n{text}",
        doc.id,
        parsed.problems
    );
    let back = parsed.document.unwrap();
    assert_eq!(
        back.passages,
        doc.passages
            .iter()
            .map(|p| crate::pubtator::Passage {
                section: None,
                ..p.clone()
            })
            .collect::<Vec<_>>(),
        "{what}"
    );
    // A discontinuous mention is written as one line per piece.
    let pieces: Vec<(u64, u64, String)> = doc
        .annotations
        .iter()
        .flat_map(|a| crate::pubtator::write::pubtator_pieces(doc, a))
        .map(|(s, e, m)| (s, e, m.into_owned()))
        .collect();
    assert_eq!(back.annotations.len(), pieces.len(), "{what}");
    let mut at = 0;
    for a in &doc.annotations {
        let n = crate::pubtator::write::pubtator_pieces(doc, a).len();
        if a.span.is_some() && a.more.is_empty() {
            assert_eq!(a, &back.annotations[at], "{what} {}", doc.id);
        }
        for (k, b) in back.annotations[at..at + n].iter().enumerate() {
            assert_eq!(
                (b.start, b.end, b.mention.clone()),
                pieces[at + k],
                "{what}"
            );
        }
        at += n;
    }
    // PubTator relation lines carry no argument types (BioC roles do).
    assert_eq!(back.relations, untyped(&doc.relations), "{what}");
}

/// The relations without their argument types (which PubTator relation lines cannot carry).
pub(super) fn untyped(relations: &[crate::pubtator::Relation]) -> Vec<crate::pubtator::Relation> {
    relations
        .iter()
        .cloned()
        .map(|mut r| {
            r.arg_types.clear();
            r
        })
        .collect()
}

fn fixture(name: &str) -> Read {
    read_file(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/interop")
            .join(name),
    )
}

fn spans(r: &Read) -> Vec<(String, Option<crate::pubtator::Span>)> {
    r.docs
        .iter()
        .flat_map(|d| d.annotations.iter().map(|a| (a.mention.clone(), a.span)))
        .collect()
}

#[test]
fn fixtures_read_as_documented() {
    use crate::pubtator::Span;
    let sp = |passage, start, end| {
        Some(Span {
            passage,
            start,
            end,
        })
    };
    let r = fixture("title_abstract.bioc.xml");
    let d = &r.docs[0];
    assert_eq!(
        (d.id.as_str(), d.annotations[3].start, d.annotations[3].end),
        ("1001", 45, 49)
    );
    assert_eq!(
        d.relations[0].args,
        ["MESH:D000077594".to_string(), "5133".to_string()]
    );
    assert_eq!(d.relations[0].novelty.as_deref(), Some("Novel"));

    let r = fixture("full_text_sections.bioc.xml");
    let d = &r.docs[0];
    assert_eq!(
        d.passages.iter().map(|p| p.block).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    assert_eq!(d.passages[3].section.as_deref(), Some("METHODS"));
    assert_eq!((d.annotations[2].block, d.annotations[2].start), (3, 8));

    let r = fixture("sentences_only.bioc.xml");
    assert_eq!(
        r.docs[0].passages[0].text,
        "TP53 is mutated.  MDM2 binds it."
    );
    assert_eq!(
        r.docs[0].relations[0].args,
        ["4193".to_string(), "7157".to_string()]
    );

    let r = fixture("discontinuous.bioc.xml");
    // A discontinuous mention is one annotation located at each of its pieces.
    assert_eq!(
        spans(&r),
        [
            ("caspase-10".into(), sp(0, 0, 7)),
            ("caspase-8".into(), sp(0, 0, 9))
        ]
    );
    assert_eq!(
        r.docs[0].annotations[0].more,
        [Span {
            passage: 0,
            start: 14,
            end: 17
        }]
    );
    assert_eq!(r.stats.split_locations, 1);

    let r = fixture("utf16_offsets.bioc.xml");
    assert_eq!((spans(&r)[0].1, r.stats.rules[2]), (sp(0, 16, 19), 1));
    let r = fixture("byte_offsets.bioc.xml");
    assert_eq!((spans(&r)[0].1, r.stats.rules[1]), (sp(0, 8, 12), 1));
    let r = fixture("passage_relative.bioc.xml");
    assert_eq!((spans(&r)[0].1, r.stats.passage_relative), (sp(1, 0, 7), 1));
    assert_eq!(
        (
            r.docs[0].annotations[0].block,
            r.docs[0].annotations[0].start
        ),
        (0, 14)
    );

    let r = fixture("pubtator3_export.json");
    let d = &r.docs[0];
    assert_eq!(d.annotations[1].raw_id.as_deref(), Some("673"));
    assert_eq!(
        d.relations[0].args[1],
        "RS#:113488022;HGVS:p.V600E;CorrespondingGene:673"
    );

    let r = fixture("collection.bioc.json");
    assert_eq!(r.docs.len(), 2);
    assert_eq!(r.docs[0].annotations[0].raw_id.as_deref(), Some("7124"));
    assert!(r.docs[1].passages.is_empty());
    assert_eq!(fixture("documents_per_line.json").docs.len(), 2);

    for r in [
        &fixture("title_abstract.bioc.xml"),
        &fixture("full_text_sections.bioc.xml"),
        &fixture("pubtator3_export.json"),
    ] {
        r.docs
            .iter()
            .for_each(|d| assert_exports_cleanly(d, "fixture"));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }
}

#[test]
fn truncated_fixture_is_an_error_after_the_complete_document() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/interop/truncated.bioc.xml");
    let bytes = std::fs::read(path).unwrap();
    let mut ids = Vec::new();
    let r = read_bioc_xml(&bytes[..], &mut |i| {
        if let Item::Document(d) = i {
            ids.push(d.id);
        }
    });
    assert_eq!(ids, ["94"]);
    assert!(matches!(r, Err(InteropError::Xml { .. })));
}

#[test]
fn tsv_fixtures_parse() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/interop");
    for (name, kind, rows) in [
        ("entity2pubtator3.tsv", TsvKind::Entity, 3),
        ("relation2pubtator3.tsv", TsvKind::Relation, 2),
    ] {
        let text = std::fs::read_to_string(base.join(name)).unwrap();
        assert_eq!(
            detect(text.as_bytes()),
            Some(InputFormat::PubTator3Tsv { kind }),
            "{name}"
        );
        let parsed: Vec<TsvRow> = text
            .lines()
            .filter(|l| !is_tsv_header(l))
            .map(|l| parse_tsv_line(l, kind).unwrap())
            .collect();
        assert_eq!(parsed.len(), rows, "{name}");
    }
}
