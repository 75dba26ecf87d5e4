//! Tests of the stored-record codec: round trips, older versions, corrupt records.

use super::*;
use crate::pubtator::DocReader;

fn fixture_documents() -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut docs = Vec::new();
    for name in [
        "ranking.pubtator",
        "utf8_offsets.pubtator",
        "passages_same_id.pubtator",
        "seed-31554797.pubtator",
        "title_only.pubtator",
        "crlf.pubtator",
    ] {
        let Ok(file) = std::fs::File::open(format!("{dir}/{name}")) else {
            continue;
        };
        let mut reader = DocReader::new(std::io::BufReader::new(file));
        while let Some(lines) = reader.next_doc().unwrap() {
            docs.extend(crate::pubtator::parse_document(&lines.lines()).document);
        }
    }
    docs
}

fn rich_document() -> Document {
    Document {
        id: "PMC1—ü".into(),
        passages: vec![
            Passage {
                kind: PassageKind::Title,
                block: 0,
                text: "BRAF p.V600E in α-synuclein \"quoted\"\n".into(),
                section: None,
            },
            Passage {
                kind: PassageKind::Abstract,
                block: 3,
                text: String::new(),
                section: Some("methods".into()),
            },
        ],
        annotations: vec![Annotation {
            block: 0,
            start: u64::MAX,
            end: 1 << 40,
            mention: "BRAF".into(),
            raw_type: "Gene".into(),
            raw_id: Some(String::new()),
            extra: vec!["x".into(), String::new()],
            span: Some(Span {
                passage: 0,
                start: 0,
                end: u32::MAX,
            }),
            more: vec![Span {
                passage: 0,
                start: 7,
                end: 9,
            }],
        }],
        relations: vec![Relation {
            rel_type: "Association".into(),
            args: ["673".into(), "MESH:D009369".into()],
            novelty: Some("Novel".into()),
            arg_types: vec!["Gene".into(), "Disease".into()],
        }],
        concepts: vec![Concept {
            raw_type: "Chemical".into(),
            ids: vec!["MESH:D000001".into()],
            mentions: vec!["a".into(), "b".into()],
            resources: vec![],
        }],
        meta: Metadata {
            journal: Some("N Engl J Med".into()),
            journal_title: None,
            year: Some(2018),
            date: Some("2018-05-17".into()),
            authors: vec!["O'Byrne PM".into(), "Ü X".into()],
            pubtypes: vec!["Review".into()],
            mesh: vec![MeshHeading {
                ui: "D009369".into(),
                name: "Neoplasms".into(),
                major: true,
            }],
            doi: Some("10.1/x".into()),
            pmcid: None,
        },
        layers: vec![
            Layer {
                source: "biored/Train".into(),
                annotations: 1,
                relations: 0,
            },
            Layer {
                source: "x".into(),
                annotations: 0,
                relations: 1,
            },
        ],
    }
}

#[test]
fn every_fixture_document_round_trips() {
    let docs = fixture_documents();
    assert!(docs.len() > 10, "fixtures found: {}", docs.len());
    for doc in docs.into_iter().chain([rich_document()]) {
        let bytes = encode(&doc);
        assert!(bytes.len() <= encoded_size_hint(&doc) + 64);
        assert_eq!(decode(&bytes).unwrap(), doc);
    }
}

#[test]
fn version_1_records_still_decode() {
    let mut doc = rich_document();
    doc.layers.clear();
    // Version 1 (and 2) records know no further locations.
    doc.annotations[0].more.clear();
    doc.meta = Metadata::default();
    let mut bytes = encode(&doc);
    // Version 2 appends an empty layer count and an empty-metadata flag, version 4 an empty
    // sentence count.
    assert_eq!(bytes[bytes.len() - 3..], [0, 0, 0]);
    bytes.truncate(bytes.len() - 3);
    bytes[0] = 1;
    assert_eq!(decode(&bytes).unwrap(), doc);
}

#[test]
fn sentences_round_trip_and_are_absent_when_not_written() {
    let doc = rich_document();
    let sentences = crate::pubtator::sentences::of_document(&doc);
    let mut bytes = Vec::new();
    encode_with(&doc, Some(&sentences), &mut bytes);
    let (back, read) = decode_with_sentences(&bytes).unwrap();
    assert_eq!(back, doc);
    assert_eq!(read.as_ref(), Some(&sentences));
    assert_eq!(decode_with_sentences(&encode(&doc)).unwrap().1, None);
    let given = crate::pubtator::sentences::Sentences {
        starts: vec![vec![], vec![3, 40, 41]],
    };
    let mut bytes = Vec::new();
    encode_with(&doc, Some(&given), &mut bytes);
    assert_eq!(decode_with_sentences(&bytes).unwrap().1, Some(given));
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len]).is_err(), "prefix of {len} bytes");
    }
}

#[test]
fn the_encoding_is_smaller_than_json() {
    let docs = fixture_documents();
    let binary: usize = docs.iter().map(|d| encode(d).len()).sum();
    let json: usize = docs
        .iter()
        .map(|d| serde_json::to_vec(d).unwrap().len())
        .sum();
    assert!(binary * 10 < json * 9, "binary {binary} json {json}");
}

#[test]
fn truncated_or_corrupt_records_are_errors() {
    let bytes = encode(&rich_document());
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len]).is_err(), "prefix of {len} bytes");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(decode(&longer).unwrap_err().message, "trailing bytes");
    let mut version = bytes.clone();
    version[0] = b'{';
    assert!(decode(&version).is_err());
    // Layers that do not cover the annotations are refused.
    let mut doc = rich_document();
    doc.layers[0].annotations = 2;
    assert!(decode(&encode(&doc)).is_err());
    // Flipping any single byte never panics.
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0xff;
        let _ = decode(&b);
    }
}
