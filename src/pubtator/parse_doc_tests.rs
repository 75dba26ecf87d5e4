//! Tests of the PubTator document parser: line kinds, offsets, problems and their lines.

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
    let p = parse("47728491017|t|Jurkat cells\n47728491017\t0\t6\tJurkat\tp|SUB|P|29|S\tRSID:1");
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
