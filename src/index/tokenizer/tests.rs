//! Unit tests of the analyzer: agreement with a straightforward reference analyzer, and
//! the matching behaviour users rely on.

use super::normalize::{fold_latin, greek, is_joiner, normalize_chars};
use super::*;

fn toks(text: &str) -> Vec<(String, usize)> {
    let mut t = BioTokenizer::default();
    let mut s = t.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push((s.token().text.clone(), s.token().position));
    }
    out
}

/// Every field of every token: (text, from, to, position, position_length).
type Full = Vec<(String, usize, usize, usize, usize)>;

fn full_tokens(text: &str) -> Full {
    let mut t = BioTokenizer::default();
    let mut s = t.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        let k = s.token();
        out.push((
            k.text.clone(),
            k.offset_from,
            k.offset_to,
            k.position,
            k.position_length,
        ));
    }
    out
}

/// The straightforward char-by-char analyzer the fast one must agree with: words are
/// found by decoding every char, every part is normalized on its own and the concatenation
/// is normalized again from the text.
fn reference_tokens(text: &str) -> Full {
    let mut words: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut part_start: Option<usize> = None;
    let mut pending_joiner = false;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            part_start.get_or_insert(i);
            pending_joiner = false;
        } else {
            if let Some(s) = part_start.take() {
                parts.push((s, i));
            }
            if is_joiner(c) && !parts.is_empty() && !pending_joiner {
                pending_joiner = true;
            } else {
                pending_joiner = false;
                if !parts.is_empty() {
                    words.push(std::mem::take(&mut parts));
                }
            }
        }
    }
    if let Some(s) = part_start {
        parts.push((s, text.len()));
    }
    if !parts.is_empty() {
        words.push(parts);
    }
    let norm = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            for l in c.to_lowercase() {
                match greek(l) {
                    Some(name) => out.push_str(name),
                    None => out.push(fold_latin(l)),
                }
            }
        }
        out
    };
    let mut out = Vec::new();
    let mut position = 0;
    for parts in words {
        let start = position;
        let joined: String = parts.iter().map(|&(s, e)| norm(&text[s..e])).collect();
        let every_part_kept = parts
            .iter()
            .all(|&(s, e)| norm(&text[s..e]).len() <= MAX_TOKEN_BYTES);
        if parts.len() == 1 {
            if joined.len() <= MAX_TOKEN_BYTES {
                out.push((joined, parts[0].0, parts[0].1, position, 1));
                position += 1;
            }
            continue;
        }
        for (k, &(s, e)) in parts.iter().enumerate() {
            let t = norm(&text[s..e]);
            if t.len() <= MAX_TOKEN_BYTES {
                out.push((t, s, e, position, 1));
                position += 1;
            }
            if k == 0 && every_part_kept && joined.len() <= MAX_TOKEN_BYTES {
                let (from, to) = (parts[0].0, parts[parts.len() - 1].1);
                out.push((joined.clone(), from, to, start, 1));
            }
        }
    }
    out
}

/// The reference form of [`name_key`]: every letter or digit, normalized.
fn reference_name_key(mention: &str) -> String {
    let mut out = String::new();
    for c in mention.chars().filter(|c| c.is_alphanumeric()) {
        let mut buf = [0u8; 4];
        normalize_chars(c.encode_utf8(&mut buf), &mut out);
    }
    out
}

const TRICKY: &[&str] = &[
    "",
    " ",
    "-",
    "PD-L1",
    "anti PD-L1 therapy",
    "p.V600E",
    "c.1799T>A (p.V600E) and BRAF/MEK",
    "IL-6/IL-6R, TNF-α and β-catenin",
    "TNFα Sjögren ÉCOLE naïve façade Ørsted",
    "COVID-19--like x- -y a..b a-.b",
    "a‐b a‑b a–b a—b",
    "ΑΒΓ Σίσυφος ς µg μg",
    "İstanbul ß ǅ ﬁ",
    "日本語 テキスト 中文-2",
    "x\u{00A0}y\u{200B}z\u{feff}w\u{0301}e\u{0301}",
    "𝛼 and 𝛼-TNF 𝟙𝟚",
    "١٢٣-٤ ½-3 Ⅻ",
    "emoji 🧬-DNA 😀x",
    "tabs\tand\nnewlines\r\nhere",
    "'quoted' +plus+ a:b:c a_b_c a'b",
    "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999 short",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b ok",
    "αααααααααααααααααααααααααααααααααααααααα-b ok",
    "ab-cd-ef-gh-ij-kl-mn-op-qr-st-uv-wx-yz-ab-cd-ef-gh-ij-kl-mn-op-qr-st-uv-wx-yz-ab-cd-ef",
    "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
];

#[test]
fn tokens_equal_the_reference_on_tricky_inputs() {
    for text in TRICKY {
        assert_eq!(full_tokens(text), reference_tokens(text), "{text:?}");
        assert_eq!(name_key(text), reference_name_key(text), "{text:?}");
    }
    // One tokenizer reused over texts of different shapes keeps no state between them.
    let mut t = BioTokenizer::default();
    for text in TRICKY.iter().chain(TRICKY.iter().rev()) {
        let mut s = t.token_stream(text);
        let mut got = Vec::new();
        while s.advance() {
            let k = s.token();
            got.push((
                k.text.clone(),
                k.offset_from,
                k.offset_to,
                k.position,
                k.position_length,
            ));
        }
        assert_eq!(got, reference_tokens(text), "{text:?}");
    }
}

proptest::proptest! {
    #[test]
    fn tokens_equal_the_reference_on_any_text(text in proptest::prelude::any::<String>()) {
        proptest::prop_assert_eq!(full_tokens(&text), reference_tokens(&text));
        proptest::prop_assert_eq!(name_key(&text), reference_name_key(&text));
    }

    #[test]
    fn tokens_equal_the_reference_on_word_like_text(
        text in "[A-Za-z0-9αβγΣςµÀ-ÿİß \\-./_'+>:‐‑–—,;()\u{00A0}\u{0301}𝛼]{0,120}"
    ) {
        proptest::prop_assert_eq!(full_tokens(&text), reference_tokens(&text));
        proptest::prop_assert_eq!(name_key(&text), reference_name_key(&text));
    }
}

#[test]
fn joined_words_index_parts_at_consecutive_positions_and_the_concatenation_at_the_first() {
    assert_eq!(
        toks("anti PD-L1 therapy"),
        [
            ("anti".into(), 0),
            ("pd".into(), 1),
            ("pdl1".into(), 1),
            ("l1".into(), 2),
            ("therapy".into(), 3)
        ]
    );
    assert_eq!(
        full_tokens("breast/ovarian cancer"),
        [
            ("breast".into(), 0, 6, 0, 1),
            ("breastovarian".into(), 0, 14, 0, 1),
            ("ovarian".into(), 7, 14, 1, 1),
            ("cancer".into(), 15, 21, 2, 1),
        ]
    );
}

/// Whether a phrase query for `typed` finds `text`: one of its forms, as a run of tokens at
/// consecutive positions (each from the tokens at that position).
fn phrase_finds(text: &str, typed: &str) -> bool {
    let tokens = toks(text);
    let at = |p: usize, w: &str| tokens.iter().any(|(t, q)| *q == p && t == w);
    let last = tokens.iter().map(|t| t.1).max().unwrap_or(0);
    phrase_forms(typed)
        .iter()
        .any(|form| (0..=last).any(|p| form.iter().enumerate().all(|(k, w)| at(p + k, w))))
}

#[test]
fn phrases_find_joined_and_spaced_spellings_alike() {
    for (text, typed) in [
        ("wild-type mice", "wild type"),
        ("wild type mice", "wild type"),
        ("wild-type mice", "wild-type mice"),
        ("wild type mice", "wild-type mice"),
        (
            "in non-small cell lung cancer",
            "non small cell lung cancer",
        ),
        (
            "in non-small cell lung cancer",
            "non-small cell lung cancer",
        ),
        ("a tumor-suppressor gene", "tumor suppressor gene"),
        ("PDL1 expression", "PD-L1 expression"),
        ("PD-L1 expression", "PD-L1 expression"),
        ("PD L1 expression", "PD-L1 expression"),
        ("anti-TNF-α therapy", "anti TNF alpha therapy"),
        ("breast cancer", "breast cancer"),
        ("breast/ovarian cancer", "ovarian cancer"),
        ("breast/ovarian cancer", "breast/ovarian cancer"),
    ] {
        assert!(phrase_finds(text, typed), "{typed:?} should find {text:?}");
    }
    for (text, typed) in [
        ("breast/ovarian cancer", "breast cancer"),
        ("non-small cell", "non cell"),
        ("wild-type", "type wild"),
        ("wildtype mice", "wild type mice"),
    ] {
        assert!(
            !phrase_finds(text, typed),
            "{typed:?} should not find {text:?}"
        );
    }
}

#[test]
fn phrase_forms_are_the_parts_then_the_concatenations() {
    assert_eq!(
        phrase_forms("PD-L1 expression"),
        [vec!["pd", "l1", "expression"], vec!["pdl1", "expression"]]
    );
    assert_eq!(phrase_forms("wild type"), [vec!["wild", "type"]]);
    assert_eq!(phrase_forms("IL-6"), [vec!["il", "6"], vec!["il6"]]);
    assert!(phrase_forms(" - ").is_empty());
}

#[test]
fn queries_match_the_way_people_type_biomedical_names() {
    let indexed = |text: &str| toks(text).into_iter().map(|t| t.0).collect::<Vec<_>>();
    for (text, typed) in [
        ("PD-L1", "PD-L1"),
        ("PD-L1", "pdl1"),
        ("IL-6", "IL6"),
        ("IL6", "IL-6"),
        ("TNF-alpha", "TNF-α"),
        ("TNF-α", "TNF-alpha"),
        ("TNFα", "tnf-alpha"),
        ("p.V600E", "p.V600E"),
        ("COVID-19", "covid-19"),
        ("COVID-19", "covid19"),
        ("β-catenin", "beta-catenin"),
        ("Sjögren", "sjogren"),
    ] {
        let q = query_tokens(typed);
        assert_eq!(q.len(), 1, "{typed}");
        assert!(indexed(text).contains(&q[0]), "{typed} should find {text}");
    }
    assert!(toks("COVID-19").iter().any(|t| t.0 == "covid"));
}

#[test]
fn sentence_punctuation_is_not_a_joiner() {
    assert_eq!(
        query_tokens("cells. Then (IL-6), x-"),
        ["cells", "then", "il6", "x"]
    );
}

#[test]
fn name_keys_ignore_punctuation_and_case() {
    assert_eq!(name_key("PD-1"), name_key("pd 1"));
    assert_eq!(name_key("TNF-α"), "tnfalpha");
}
