//! Phrases across joined words: a phrase typed with spaces finds the hyphenated, slashed and
//! spaced spellings alike, and the parts of a joined word are not all at one position
//! (`"breast cancer"` does not find "breast/ovarian cancer"). Expectations come from the
//! fixture's text (tests/data/phrases.pubtator) and, on a shared corpus, from plain string
//! matching over the raw file.

use crate::util::{
    assert_span_is_exact, data, index_files, search_ids, search_json, shared_corpora,
};
use std::collections::{BTreeMap, BTreeSet};

fn fixture_index() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    index_files(d.path(), &[&data("phrases.pubtator")]);
    d
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn hits(index: &std::path::Path, query: &str) -> BTreeSet<String> {
    search_ids(index, query).into_iter().collect()
}

#[test]
fn phrases_find_joined_spellings_and_not_slashed_neighbours() {
    let d = fixture_index();
    let p = d.path();
    for (query, want) in [
        (r#""breast cancer""#, set(&["7002"])),
        (r#""ovarian cancer""#, set(&["7001"])),
        (r#""breast/ovarian cancer""#, set(&["7001"])),
        (r#""wild type""#, set(&["7003", "7004"])),
        (r#""wild-type""#, set(&["7003", "7004", "7005"])),
        ("wild-type", set(&["7003", "7005"])),
        ("wildtype", set(&["7003", "7005"])),
        (r#""tumor suppressor genes""#, set(&["7003"])),
        (r#""non small cell lung cancer""#, set(&["7006"])),
        (r#""non-small cell lung cancer""#, set(&["7006"])),
        (r#""PD-L1 expression""#, set(&["7006", "7007"])),
        (r#""PD L1 expression""#, set(&["7006"])),
        (r#""cell lung""#, set(&["7006"])),
    ] {
        assert_eq!(hits(p, query), want, "{query}");
    }
}

#[test]
fn phrase_highlights_cover_the_joined_word() {
    let d = fixture_index();
    let lines = search_json(d.path(), &[r#""wild type""#]);
    let (_, found) = lines.split_last().unwrap();
    let mut marked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for hit in found {
        let h = &hit["data"];
        for s in h["spans"].as_array().unwrap() {
            assert_span_is_exact(h, s);
            marked
                .entry(h["id"].as_str().unwrap().to_string())
                .or_default()
                .push(s["text"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(marked["7003"], ["Wild-type", "wild-type"]);
    assert_eq!(marked["7004"], ["Wild type", "wild type"]);
}

/// The document IDs of a PubTator file whose title or abstract contains `needle` (ASCII,
/// lower case) between non-alphanumeric chars, case-insensitively.
fn docs_containing(text: &str, needles: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let mut cols = line.splitn(3, '|');
        let (Some(id), Some(kind), Some(body)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        if kind != "t" && kind != "a" {
            continue;
        }
        let lower = body.to_lowercase();
        let bytes = lower.as_bytes();
        let found = needles.iter().any(|n| {
            lower.match_indices(n).any(|(i, _)| {
                let before = i.checked_sub(1).and_then(|j| bytes.get(j));
                let after = bytes.get(i + n.len());
                !before.is_some_and(u8::is_ascii_alphanumeric)
                    && !after.is_some_and(u8::is_ascii_alphanumeric)
            })
        });
        if found {
            out.insert(id.to_string());
        }
    }
    out
}

#[test]
fn wild_type_phrase_finds_every_document_with_either_spelling_on_a_real_corpus() {
    let Some(root) = shared_corpora("wild_type_phrase_finds_every_document") else {
        return;
    };
    let file = root.join("biored/Train.PubTator");
    let text = std::fs::read_to_string(&file).unwrap();
    let expected = docs_containing(&text, &["wild-type", "wild type"]);
    assert!(
        expected.len() >= 20,
        "the corpus should have many: {expected:?}"
    );
    let d = tempfile::tempdir().unwrap();
    index_files(d.path(), &[&file]);
    let got = hits(d.path(), r#""wild type""#);
    let missing: Vec<&String> = expected.difference(&got).collect();
    assert!(missing.is_empty(), "\"wild type\" misses {missing:?}");
    // The other way round: every hit has "wild" and "type" as neighbouring words.
    let loose = docs_containing(&text, &["wild-type", "wild type", "wild/type", "wild_type"]);
    let extra: Vec<&String> = got.difference(&loose).collect();
    assert!(extra.is_empty(), "\"wild type\" also finds {extra:?}");
}
