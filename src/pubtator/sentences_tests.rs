//! Tests of the sentence splitter on hand-checked text with the tricky cases of biomedical
//! abstracts.

use super::*;

/// The sentences of `text` as strings.
fn sentences(text: &str, spans: &[(u32, u32)]) -> Vec<String> {
    let s = Sentences {
        starts: vec![split_text(text, spans)],
    };
    let chars: Vec<char> = text.chars().collect();
    s.list([text])
        .iter()
        .map(|x| chars[x.start as usize..x.end as usize].iter().collect())
        .collect()
}

#[test]
fn splits_plain_sentences() {
    assert_eq!(
        sentences("BRAF is mutated. It drives melanoma! Why? Unknown.", &[]),
        [
            "BRAF is mutated.",
            "It drives melanoma!",
            "Why?",
            "Unknown."
        ]
    );
}

#[test]
fn keeps_abbreviations_decimals_and_variants() {
    let text = "Smith et al. Reported it, e.g. in Fig. 2 and vs. Controls (approx. 2.5 fold; \
                p < 0.05). The p.V600E and c.677C>T variants of E. coli were seen (i.e. Twice).";
    assert_eq!(
        sentences(text, &[]),
        [
            "Smith et al. Reported it, e.g. in Fig. 2 and vs. Controls (approx. 2.5 fold; p < 0.05).",
            "The p.V600E and c.677C>T variants of E. coli were seen (i.e. Twice)."
        ]
    );
}

#[test]
fn brackets_and_quotes() {
    let text = "It was \"done.\" Then (a. B) happened. [Ok.] Next.";
    assert_eq!(
        sentences(text, &[]),
        [
            "It was \"done.\"",
            "Then (a. B) happened.",
            "[Ok.]",
            "Next."
        ]
    );
}

#[test]
fn never_cuts_an_annotation() {
    // "Dr. No" style: an annotation over "St. John's wort" keeps the sentence whole even where
    // the rules would split.
    let text = "We used Hyp. Perforatum extract. It worked.";
    assert_eq!(
        sentences(text, &[]),
        ["We used Hyp.", "Perforatum extract.", "It worked."]
    );
    assert_eq!(
        sentences(text, &[(8, 23)]),
        ["We used Hyp. Perforatum extract.", "It worked."]
    );
}

#[test]
fn line_breaks_end_sentences_and_lowercase_continues() {
    assert_eq!(
        sentences("Results\nWe found x. and y. Done", &[]),
        ["Results", "We found x. and y.", "Done"]
    );
}

#[test]
fn titles_are_one_sentence_and_numbers_run_over_passages() {
    let s = split(
        [
            ("A title. With dots.", true),
            ("One. Two. Three.", false),
            ("", false),
        ],
        &[],
    );
    assert_eq!(s.starts, vec![vec![], vec![5, 10], vec![]]);
    assert_eq!(s.count(), 5);
    assert_eq!(s.passage_firsts(), vec![0, 1, 4]);
    assert_eq!(s.number_at(1, 0), 1);
    assert_eq!(s.number_at(1, 7), 2);
    assert_eq!(s.number_at(1, 10), 3);
    assert_eq!(s.number_at(2, 0), 4);
    let listed = s.list(["A title. With dots.", "One. Two. Three.", ""]);
    assert_eq!(listed.len(), 5);
    assert_eq!(
        (listed[2].passage, listed[2].start, listed[2].end),
        (1, 5, 9)
    );
}

#[test]
fn non_ascii_offsets_are_chars() {
    let text = "Größe ist α. Β-Zellen wachsen.";
    let starts = split_text(text, &[]);
    assert_eq!(starts, vec![13]);
    assert_eq!(sentences(text, &[]), ["Größe ist α.", "Β-Zellen wachsen."]);
}

#[test]
fn initials_in_author_lists_but_not_a_closing_letter() {
    assert_eq!(
        sentences("By Cole, M. A., Abd Jamil, A. H. and Ruhl, R. Reduced. Seen in Group P. Then vitamin D. Ok.", &[]),
        ["By Cole, M. A., Abd Jamil, A. H. and Ruhl, R. Reduced.", "Seen in Group P.", "Then vitamin D.", "Ok."]
    );
}

#[test]
fn an_unbalanced_bracket_far_back_does_not_hold_sentences() {
    let text = format!("A (b {} c. Next one. Last.", "x ".repeat(150));
    assert_eq!(sentences(&text, &[]).len(), 3);
}

#[test]
fn acronyms_that_spell_abbreviations_end_sentences() {
    assert_eq!(
        sentences(
            "Seen with CF. We saw WT. Then cf. Ref 2 and Dec. 1 came.",
            &[]
        ),
        [
            "Seen with CF.",
            "We saw WT.",
            "Then cf. Ref 2 and Dec. 1 came."
        ]
    );
}
