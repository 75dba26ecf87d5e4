//! Tests of the BioC writers: what they write, and that our BioC readers read it back.

use super::*;
use crate::interop::{read_bioc_json, read_bioc_xml, Item};
use crate::pubtator::parse::{parse_document, Line};
use crate::pubtator::{Document, PassageKind, Span};

fn parse(text: &str) -> Document {
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| Line {
            number: i as u64 + 1,
            bytes: l.as_bytes(),
        })
        .collect();
    parse_document(&lines).document.unwrap()
}

fn xml(doc: &Document) -> String {
    let mut w = BiocXmlWriter::with_date(Vec::new(), "src & <x>", "20240102").unwrap();
    w.write_document(doc).unwrap();
    String::from_utf8(w.finish().unwrap()).unwrap()
}

fn json(doc: &Document) -> String {
    let mut w = BiocJsonWriter::with_date(Vec::new(), "src", "20240102").unwrap();
    w.write_document(doc).unwrap();
    w.write_document(doc).unwrap();
    String::from_utf8(w.finish().unwrap()).unwrap()
}

fn read(text: &str, json: bool) -> (Vec<Document>, Vec<String>) {
    let (mut docs, mut problems) = (Vec::new(), Vec::new());
    let mut on = |i| match i {
        Item::Document(d) => docs.push(*d),
        Item::Problem { message, .. } => problems.push(message),
        Item::Homologene(_) => {}
    };
    if json {
        read_bioc_json(text.as_bytes(), &mut on).unwrap();
    } else {
        read_bioc_xml(text.as_bytes(), &mut on).unwrap();
    }
    (docs, problems)
}

const DOC: &str = "7|t|PD1 & <cancer>.\n7|a|We study PD1 \"here\".\n7\t0\t3\tPD1\tGene\t5133\n7\t7\t13\tcancer\tDisease\tD009369\tx1\tx2\n7\t25\t28\tPD1\tGene\t5133\n7\t90\t95\tghost\tGene\n7\tAssociation\t5133\tD009369\tNovel\n7\tBind\t5133\t999\n";

#[test]
fn xml_and_json_round_trip_through_our_readers() {
    let doc = parse(DOC);
    let x = xml(&doc);
    assert!(x.starts_with("<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE collection SYSTEM \"BioC.dtd\">\n<collection><source>src &amp; &lt;x&gt;</source><date>20240102</date><key>ptsearch.key</key>\n"), "{x}");
    assert!(x.contains("<offset>16</offset>"), "{x}");
    assert!(
        x.contains("<infon key=\"ptsearch_extra_1\">x1</infon>"),
        "{x}"
    );
    assert!(
        x.contains(
            "<infon key=\"ptsearch_unresolved\">true</infon><location offset=\"90\" length=\"5\"/>"
        ),
        "{x}"
    );
    assert!(x.ends_with("</document>\n</collection>\n"));
    let (xd, xp) = read(&x, false);
    let (jd, jp) = read(&json(&doc), true);
    assert_eq!(xp, Vec::<String>::new());
    assert_eq!(jp, Vec::<String>::new());
    assert_eq!(jd.len(), 2);
    for back in [&xd[0], &jd[0], &jd[1]] {
        assert_eq!(back.id, "7");
        assert_eq!(back.passages.len(), 2);
        for (a, b) in back.passages.iter().zip(&doc.passages) {
            assert_eq!((&a.text, a.kind, a.block), (&b.text, b.kind, b.block));
        }
        assert_eq!(back.passages[0].section.as_deref(), Some("title"));
        // Annotations come back grouped by passage: the unresolved one sits in the title.
        let order: Vec<&str> = back
            .annotations
            .iter()
            .map(|a| a.mention.as_str())
            .collect();
        assert_eq!(order, ["PD1", "cancer", "ghost", "PD1"]);
        let orig = [0, 1, 3, 2].map(|i| &doc.annotations[i]);
        for (a, o) in back.annotations.iter().zip(orig) {
            assert_eq!((a.block, a.start, a.end), (o.block, o.start, o.end));
            assert_eq!(
                (&a.raw_type, &a.raw_id, a.span),
                (&o.raw_type, &o.raw_id, o.span)
            );
            assert!(a.extra.is_empty());
        }
        assert_eq!(back.relations, doc.relations);
    }
}

#[test]
fn relation_nodes_point_to_carrying_annotations() {
    let doc = parse(DOC);
    let x = xml(&doc);
    assert!(x.contains("<relation id=\"R0\"><infon key=\"type\">Association</infon><infon key=\"entity1\">5133</infon><infon key=\"entity2\">D009369</infon><infon key=\"novel\">Novel</infon><node refid=\"T0\" role=\"Arg1\"/><node refid=\"T1\" role=\"Arg2\"/></relation>"), "{x}");
    // 999 is carried by no annotation: only one node.
    assert!(
        x.contains(
            "<infon key=\"entity2\">999</infon><node refid=\"T0\" role=\"Arg1\"/></relation>"
        ),
        "{x}"
    );
    let j: serde_json::Value = serde_json::from_str(&json(&doc)).unwrap();
    assert_eq!(j["documents"][0]["relations"][0]["nodes"][1]["refid"], "T1");
    assert_eq!(j["documents"][0]["passages"][1]["offset"], 16);
    assert_eq!(j["key"], KEY);
}

#[test]
fn multi_record_documents_continue_offsets_and_lose_blocks() {
    let doc = parse("1|t|Intro\n1|a|\n1|t|Methods\n1|a|We used aspirin.\n1\t16\t23\taspirin\tChemical\tD001241\n");
    let x = xml(&doc);
    for off in [
        "<offset>0</offset>",
        "<offset>6</offset>",
        "<offset>7</offset>",
        "<offset>15</offset>",
    ] {
        assert!(x.contains(off), "{off} in {x}");
    }
    assert!(x.contains("<location offset=\"23\" length=\"7\"/>"), "{x}");
    let (d, _) = read(&x, false);
    let a = &d[0].annotations[0];
    assert_eq!(
        (a.block, a.start, a.end, a.span),
        (
            3,
            8,
            15,
            Some(Span {
                passage: 3,
                start: 8,
                end: 15
            })
        )
    );
    assert!(d[0].passages.iter().all(|p| p.kind == PassageKind::Title));
}

#[test]
fn characters_xml_cannot_hold_become_replacement_chars() {
    let mut doc = parse("2|t|a\u{1}b\rc\n2\t0\t1\ta\tGene\n");
    doc.passages[0].section = Some("INTRO".to_string());
    let x = xml(&doc);
    assert!(x.contains("<text>a\u{FFFD}b&#13;c</text>"), "{x}");
    assert!(
        x.contains("<infon key=\"type\">INTRO</infon><infon key=\"section_type\">INTRO</infon>"),
        "{x}"
    );
    let (d, _) = read(&x, false);
    assert_eq!(d[0].passages[0].text.chars().count(), 5);
    assert_eq!(d[0].passages[0].section.as_deref(), Some("INTRO"));
}

#[test]
fn documents_without_passages_keep_annotations_at_document_level() {
    let doc = Document {
        id: "9".to_string(),
        passages: Vec::new(),
        annotations: parse("9|t|x\n9\t0\t1\tx\tGene\t1\n").annotations,
        relations: Vec::new(),
        concepts: Vec::new(),
        ..Document::default()
    };
    let (d, _) = read(&xml(&doc), false);
    assert_eq!(d[0].annotations.len(), 1);
    let (d, _) = read(&json(&doc), true);
    assert_eq!(d[0].annotations.len(), 1);
}

#[test]
fn civil_dates() {
    assert_eq!(yyyymmdd(0), "19700101");
    assert_eq!(yyyymmdd(19_723), "20240101");
    assert_eq!(yyyymmdd(11_016), "20000229");
    assert_eq!(yyyymmdd(-1), "19691231");
}

#[test]
fn pubtator3_pmids_and_dates() {
    use super::{pmid_number, pubtator3_date};
    use crate::pubtator::Metadata;
    assert_eq!(pmid_number("22663011"), Some(22663011));
    assert_eq!(pmid_number("PMC123"), None);
    assert_eq!(pmid_number("+12"), None);
    assert_eq!(pmid_number(""), None);
    let m = |date: Option<&str>, year: Option<u16>| Metadata {
        date: date.map(str::to_string),
        year,
        ..Metadata::default()
    };
    assert_eq!(
        pubtator3_date(&m(Some("2012-07-12"), Some(2012))).as_deref(),
        Some("2012-07-12T00:00:00Z")
    );
    assert_eq!(
        pubtator3_date(&m(Some("2012-07"), None)).as_deref(),
        Some("2012-07")
    );
    assert_eq!(
        pubtator3_date(&m(None, Some(1999))).as_deref(),
        Some("1999")
    );
    assert_eq!(pubtator3_date(&m(None, None)), None);
}
