//! Sentence boundaries of a document's passages, computed at ingest (`index::document`) and
//! kept in the stored record (`codec`), read back for `sentence:(…)` checks, evidence
//! sentences and the sentence-level counts of the read side.
//!
//! A rule set that knows biomedical text: a sentence ends after `.`, `?` or `!` (and any
//! closing quotes or brackets) followed by white space and a character that can start a
//! sentence (not a lower-case letter). It does not end after a known abbreviation (`et al.`,
//! `e.g.`, `i.e.`, `vs.`, `Fig.`, `approx.`, …), dotted letters (`U.S.`), before a
//! lower-case word (`E. coli`), inside
//! an open bracket, nor inside an annotation's span. Decimals, p-values and variant notation
//! (`2.5`, `p < 0.05`, `p.V600E`, `c.677C>T`) have no white space after their dots and never
//! split. A line break ends a sentence. A title is one sentence.
//!
//! Sentences are numbered from 0 over the whole document in passage order; every passage has at
//! least one (an empty passage has one empty sentence), so numbers never shift between the
//! index (the `entity` field's positions) and the stored record.

use super::record::{Document, PassageKind};

/// Words that end with a dot without ending a sentence (compared case-insensitively, without
/// their dot).
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "ca", "cf", "co", "corp", "cv", "dept", "dr", "eg", "eq", "eqs", "fig", "figs",
    "ie", "inc", "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "nr", "pp", "prof", "ref", "refs",
    "sp", "spp", "sr", "st", "subsp", "suppl", "tab", "var", "ver", "viz", "vol", "vs", "wt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// How far back an open bracket still keeps a sentence from ending, in chars.
const MAX_BRACKET_CHARS: usize = 200;

/// The sentence starts of each passage, in chars: a passage's first sentence starts at 0 and
/// is not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentences {
    /// Per passage, the char offsets where its second, third, … sentences start.
    pub starts: Vec<Vec<u32>>,
}

/// One sentence of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Number in the document (0-based, over every passage).
    pub number: u32,
    /// Passage index.
    pub passage: u32,
    /// Sentence number inside the passage (0-based).
    pub in_passage: u32,
    /// Start in chars of the passage text.
    pub start: u32,
    /// End (exclusive) in chars, trailing white space excluded.
    pub end: u32,
}

impl Sentence {
    /// The sentence's text, cut from `doc`'s passage.
    pub fn text(&self, doc: &Document) -> String {
        doc.passages
            .get(self.passage as usize)
            .map(|p| {
                p.text
                    .chars()
                    .skip(self.start as usize)
                    .take((self.end - self.start) as usize)
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Sentences {
    /// Number of sentences of the document.
    pub fn count(&self) -> u32 {
        self.starts.iter().map(|s| s.len() as u32 + 1).sum()
    }

    /// The number of the first sentence of each passage.
    pub fn passage_firsts(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.starts.len());
        let mut n = 0u32;
        for s in &self.starts {
            out.push(n);
            n += s.len() as u32 + 1;
        }
        out
    }

    /// The number of the sentence holding char `at` of passage `passage` (the last sentence of
    /// the document for a passage it does not have).
    pub fn number_at(&self, passage: u32, at: u32) -> u32 {
        let mut n = 0u32;
        for (p, s) in self.starts.iter().enumerate() {
            if p as u32 == passage {
                return n + s.partition_point(|&b| b <= at) as u32;
            }
            n += s.len() as u32 + 1;
        }
        n.saturating_sub(1)
    }

    /// Every sentence, with its span in `passages` (texts in passage order).
    pub fn list<'t>(&self, passages: impl IntoIterator<Item = &'t str>) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut number = 0u32;
        for (p, text) in passages.into_iter().enumerate() {
            let chars: Vec<char> = text.chars().collect();
            let starts = self.starts.get(p).map(Vec::as_slice).unwrap_or(&[]);
            let mut bounds = Vec::with_capacity(starts.len() + 2);
            bounds.push(0u32);
            bounds.extend(starts.iter().copied());
            bounds.push(chars.len() as u32);
            for (i, w) in bounds.windows(2).enumerate() {
                let start = w[0].min(chars.len() as u32);
                let mut end = w[1].clamp(start, chars.len() as u32);
                while end > start && chars[end as usize - 1].is_whitespace() {
                    end -= 1;
                }
                out.push(Sentence {
                    number,
                    passage: p as u32,
                    in_passage: i as u32,
                    start,
                    end,
                });
                number += 1;
            }
        }
        out
    }
}

/// The sentences of a document: titles are one sentence, no sentence cuts an annotation's
/// span (each location of a discontinuous mention counts).
pub fn of_document(doc: &Document) -> Sentences {
    let spans: Vec<(u32, u32, u32)> = doc
        .annotations
        .iter()
        .flat_map(|a| a.span.iter().chain(&a.more))
        .map(|s| (s.passage, s.start, s.end))
        .collect();
    split(
        doc.passages
            .iter()
            .map(|p| (p.text.as_str(), p.kind == PassageKind::Title)),
        &spans,
    )
}

/// The sentences of passages: `passages` gives each passage's text and whether it is a title
/// (one sentence); `spans` the annotation spans as (passage, start, end) in chars.
pub fn split<'t>(
    passages: impl IntoIterator<Item = (&'t str, bool)>,
    spans: &[(u32, u32, u32)],
) -> Sentences {
    let mut starts = Vec::new();
    for (p, (text, title)) in passages.into_iter().enumerate() {
        if title {
            starts.push(Vec::new());
            continue;
        }
        let mut inside: Vec<(u32, u32)> = spans
            .iter()
            .filter(|(sp, _, _)| *sp as usize == p)
            .map(|&(_, s, e)| (s, e))
            .collect();
        inside.sort_unstable();
        starts.push(split_text(text, &inside));
    }
    Sentences { starts }
}

/// The sentence starts of one text (chars, 0 not listed); `spans` (sorted) are never cut.
pub fn split_text(text: &str, spans: &[(u32, u32)]) -> Vec<u32> {
    // Most abstracts are ASCII: their bytes are their chars, with no copy to decode.
    if text.is_ascii() {
        split_units(text.as_bytes(), spans)
    } else {
        split_units(&text.chars().collect::<Vec<char>>(), spans)
    }
}

/// The ASCII chars [`split_units`] looks at: brackets, newlines and sentence terminators.
/// Any other char (including every non-ASCII one) neither ends a sentence nor opens or closes
/// a bracket.
const SPLIT_CHARS: [bool; 128] = {
    let mut t = [false; 128];
    let mut k = 0;
    let chars = *b"([{)]}\n\r.?!";
    while k < chars.len() {
        t[chars[k] as usize] = true;
        k += 1;
    }
    t
};

/// [`split_text`] over the text's chars, as `char`s or, for ASCII text, as bytes.
fn split_units<U: Copy + Into<char>>(units: &[U], spans: &[(u32, u32)]) -> Vec<u32> {
    let at = |i: usize| -> char { units[i].into() };
    let len = units.len();
    let mut out = Vec::new();
    // Where the brackets still open were opened.
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0usize;
    while i < len {
        let c = at(i);
        // Letters, digits and spaces (nearly every char) are skipped with one table lookup.
        if !SPLIT_CHARS.get(c as usize).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        match c {
            '(' | '[' | '{' => open.push(i),
            ')' | ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
        let newline = c == '\n' || c == '\r';
        if !(newline || matches!(c, '.' | '?' | '!')) {
            i += 1;
            continue;
        }
        // The end of the terminator: repeated marks, then closing quotes and brackets.
        let mut j = i + 1;
        while j < len && matches!(at(j), '.' | '?' | '!') {
            j += 1;
        }
        while j < len && matches!(at(j), '"' | '\'' | '”' | '’' | ')' | ']') {
            if matches!(at(j), ')' | ']') {
                open.pop();
            }
            j += 1;
        }
        let mut k = j;
        while k < len && at(k).is_whitespace() {
            k += 1;
        }
        // A bracket opened a short way back holds its sentence together; one left open
        // further back (an unbalanced bracket) does not.
        let bracketed = open.last().is_some_and(|&o| i - o < MAX_BRACKET_CHARS);
        let ends = k < len
            && (k > j || newline)
            && (newline
                || (can_start(at(k))
                    && !bracketed
                    && !(c == '.' && abbreviation_before(units, i))));
        if ends && !cuts_span(spans, k as u32) {
            out.push(k as u32);
            open.clear();
        }
        i = j.max(i + 1);
    }
    out
}

/// One upper-case letter (`M` of `M.`).
fn is_initial(word: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

/// Whether a sentence can start with `c`: anything but a lower-case letter and closing
/// punctuation.
fn can_start(c: char) -> bool {
    !(c.is_lowercase() || matches!(c, ',' | ';' | ':' | ')' | ']' | '}' | '%'))
}

/// Whether the word before the dot at `dot` is an abbreviation (a genus such as `E. coli`
/// needs no rule: a lower-case word follows).
fn abbreviation_before<U: Copy + Into<char>>(units: &[U], dot: usize) -> bool {
    let at = |i: usize| -> char { units[i].into() };
    let mut s = dot;
    while s > 0 && !at(s - 1).is_whitespace() && !matches!(at(s - 1), '(' | '[' | '"') {
        s -= 1;
    }
    let word: String = units[s..dot].iter().map(|&u| u.into()).collect();
    if word.is_empty() {
        return false;
    }
    // An initial in a list of names (`Cole, M. A., Abd Jamil, A. H.`): one upper-case letter
    // after a comma or after another initial.
    if is_initial(&word) {
        let before: String = units[..s]
            .iter()
            .rev()
            .map(|&u| -> char { u.into() })
            .skip_while(|c| c.is_whitespace())
            .take(3)
            .collect();
        let mut before = before.chars();
        match (before.next(), before.next(), before.next()) {
            (Some(','), _, _) => return true,
            (Some('.'), Some(l), p)
                if l.is_uppercase() && p.is_none_or(|p| !p.is_alphanumeric()) =>
            {
                return true
            }
            _ => {}
        }
    }
    // An acronym (`CF.`, `WT.`, `NO.`) is a word, not an abbreviation.
    if word.chars().count() > 1 && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let lower = word.to_lowercase();
    // `e.g.`, `i.e.`, `U.S.`: dotted letters.
    if lower.contains('.')
        && lower
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
    {
        return true;
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Whether a sentence starting at `at` would cut one of `spans` (sorted by start).
fn cuts_span(spans: &[(u32, u32)], at: u32) -> bool {
    spans
        .iter()
        .take_while(|(s, _)| *s < at)
        .any(|&(s, e)| s < at && at < e)
}

#[cfg(test)]
#[path = "sentences_tests.rs"]
mod tests;
