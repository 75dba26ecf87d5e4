//! Text alignment for re-anchoring: when a document's text changes (another source brings a
//! better or newer version, see [`super::layers`]), the annotations anchored on the old text
//! are carried to the new one through an alignment of the two texts, never by searching for
//! the mention string, so that each annotation lands on its own occurrence.
//!
//! Both texts are cut into tokens (runs of letters and digits, runs of whitespace, single
//! other characters) and diffed with the Patience algorithm (unique tokens anchor the
//! alignment, Myers' algorithm fills the gaps; no deadline, so the result only depends on the
//! two texts). Equal runs of tokens give a monotone map of character positions. A span maps
//! when its first and last characters both lie in equal runs and the new text between the
//! mapped ends equals the old text of the span; otherwise it does not map (the caller keeps
//! the annotation without a span and reports it). Pure; never panics.

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// A monotone partial map from character positions of an old text to a new one.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Equal runs `(old_start, new_start, len)` in chars, sorted by `old_start`.
    runs: Vec<(usize, usize, usize)>,
    old: Vec<char>,
    new: Vec<char>,
}

/// Token boundaries of `chars`: start index of each token, plus the total length.
fn token_starts(chars: &[char]) -> Vec<usize> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out = Vec::with_capacity(chars.len() / 3 + 2);
    let mut prev: Option<Class> = None;
    for (i, &c) in chars.iter().enumerate() {
        let k = class(c);
        if prev != Some(k) || k == Class::Other {
            out.push(i);
        }
        prev = Some(k);
    }
    out.push(chars.len());
    out
}

fn tokens<'a>(chars: &'a [char], starts: &[usize]) -> Vec<&'a [char]> {
    starts
        .windows(2)
        .map(|w| &chars[w[0]..w[1]])
        .collect::<Vec<_>>()
}

impl Alignment {
    /// Aligns `old` with `new`.
    pub fn new(old: &str, new: &str) -> Alignment {
        let old: Vec<char> = old.chars().collect();
        let new: Vec<char> = new.chars().collect();
        if old == new {
            let n = old.len();
            return Alignment {
                runs: vec![(0, 0, n)],
                old,
                new,
            };
        }
        let (os, ns) = (token_starts(&old), token_starts(&new));
        let (ot, nt) = (tokens(&old, &os), tokens(&new, &ns));
        let mut runs = Vec::new();
        for op in capture_diff_slices(Algorithm::Patience, &ot, &nt) {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            {
                let o = os[old_index];
                let n = ns[new_index];
                let l = os[old_index + len] - o;
                // Adjacent equal runs with the same shift are one run.
                match runs.last_mut() {
                    Some((po, pn, pl)) if *po + *pl == o && *pn + *pl == n => *pl += l,
                    _ => runs.push((o, n, l)),
                }
            }
        }
        Alignment { runs, old, new }
    }

    /// The new position of old char `pos`, when it lies in an equal run.
    fn map(&self, pos: usize) -> Option<usize> {
        let i = self.runs.partition_point(|&(o, _, _)| o <= pos);
        let &(o, n, l) = self.runs.get(i.checked_sub(1)?)?;
        (pos < o + l).then(|| n + (pos - o))
    }

    /// The new `start..end` (chars) of old `start..end`, when both ends map and the text
    /// between them is unchanged.
    pub fn map_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.old.len() {
            return None;
        }
        let s = self.map(start)?;
        let e = self.map(end - 1)? + 1;
        (e > s && e <= self.new.len() && self.new[s..e] == self.old[start..end]).then_some((s, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_words_map_to_their_own_occurrence() {
        let old = "Title We report ARSA loss. Then ARSA activity was low.";
        let new = "Title BACKGROUND: We report ARSA loss. RESULTS: Then ARSA activity was low.";
        let a = Alignment::new(old, new);
        let first = old.find("ARSA").unwrap();
        let second = old.rfind("ARSA").unwrap();
        let (s1, e1) = a.map_span(first, first + 4).unwrap();
        let (s2, e2) = a.map_span(second, second + 4).unwrap();
        assert_eq!(&new[s1..e1], "ARSA");
        assert_eq!(&new[s2..e2], "ARSA");
        assert_eq!(s1, new.find("ARSA").unwrap());
        assert_eq!(s2, new.rfind("ARSA").unwrap());
    }

    #[test]
    fn a_changed_mention_does_not_map_and_unicode_counts_chars() {
        let a = Alignment::new("Die Zellen wuchsen: BRAF.", "Die Zellen wuchsen: BRAFX.");
        assert_eq!(a.map_span(20, 24), None);
        let a = Alignment::new("α-synuclein in PD", "β: α-synuclein in PD");
        assert_eq!(a.map_span(0, 11), Some((3, 14)));
        assert_eq!(a.map_span(3, 2), None);
        assert_eq!(a.map_span(0, 99), None);
        let same = Alignment::new("x y", "x y");
        assert_eq!(same.map_span(0, 3), Some((0, 3)));
    }

    #[test]
    fn inserted_and_deleted_sentences_keep_the_rest() {
        let old = "A. TP53 binds MDM2. Gone sentence with TP53. MDM2 again.";
        let new = "A. New first. TP53 binds MDM2. MDM2 again.";
        let a = Alignment::new(old, new);
        let tp = old.find("TP53").unwrap();
        assert_eq!(a.map_span(tp, tp + 4), Some((14, 18)));
        let gone = old.rfind("TP53").unwrap();
        assert_eq!(a.map_span(gone, gone + 4), None);
        let last = old.rfind("MDM2").unwrap();
        let (s, _) = a.map_span(last, last + 4).unwrap();
        assert_eq!(s, new.rfind("MDM2").unwrap());
    }
}
