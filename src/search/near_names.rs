//! Did-you-mean candidates without reading the whole name dictionary: an FST automaton over
//! the `dict_name` terms (`namekey␟Type␟ID`) that follows only the name-key prefixes still
//! within `max` edits (Levenshtein, in chars, as [`crate::search::dictionary::edit_distance`])
//! of the looked-up key, and accepts a term when its whole name key is within `max` edits.
//! The term dictionary's FST is intersected with it, so a lookup visits the few branches that
//! can still match instead of every term.

use crate::index::schema::KEY_SEP;
use tantivy_fst::Automaton;

/// Name keys within `max` edits of `query`, followed by [`KEY_SEP`] and anything.
pub struct NearKey {
    query: Vec<char>,
    max: usize,
}

impl NearKey {
    /// The automaton for `query` (a name key) and at most `max` edits.
    pub fn new(query: &str, max: usize) -> NearKey {
        NearKey {
            query: query.chars().collect(),
            max,
        }
    }

    /// The next edit-distance row after reading `c`.
    fn step(&self, row: &[usize], c: char) -> Vec<usize> {
        let mut next = Vec::with_capacity(row.len());
        next.push(row[0] + 1);
        for (j, q) in self.query.iter().enumerate() {
            let sub = row[j] + usize::from(*q != c);
            let v = sub.min(row[j + 1] + 1).min(next[j] + 1);
            next.push(v);
        }
        next
    }
}

/// Where the walk is: inside the name key (the distance row of the chars read so far and the
/// bytes of a char not complete yet), past the separator of an accepted key, or dead.
#[derive(Clone, Debug)]
pub enum NearState {
    /// Reading the name key.
    Name {
        /// Distances from the chars read to each prefix of the query.
        row: Vec<usize>,
        /// Bytes of an incomplete UTF-8 char.
        pending: Vec<u8>,
    },
    /// The key ended within the bound: every continuation matches.
    Accepted,
    /// No continuation can match.
    Dead,
}

impl Automaton for NearKey {
    type State = NearState;

    fn start(&self) -> NearState {
        NearState::Name {
            row: (0..=self.query.len()).collect(),
            pending: Vec::new(),
        }
    }

    fn is_match(&self, state: &NearState) -> bool {
        matches!(state, NearState::Accepted)
    }

    fn can_match(&self, state: &NearState) -> bool {
        match state {
            NearState::Name { row, .. } => row.iter().min().is_some_and(|m| *m <= self.max),
            NearState::Accepted => true,
            NearState::Dead => false,
        }
    }

    fn will_always_match(&self, state: &NearState) -> bool {
        matches!(state, NearState::Accepted)
    }

    fn accept(&self, state: &NearState, byte: u8) -> NearState {
        let NearState::Name { row, pending } = state else {
            return state.clone();
        };
        if pending.is_empty() && u32::from(byte) == u32::from(KEY_SEP) {
            return match row.last() {
                Some(d) if *d <= self.max => NearState::Accepted,
                _ => NearState::Dead,
            };
        }
        if pending.is_empty() && byte.is_ascii() {
            return NearState::Name {
                row: self.step(row, char::from(byte)),
                pending: Vec::new(),
            };
        }
        let mut bytes = pending.clone();
        bytes.push(byte);
        match std::str::from_utf8(&bytes) {
            Ok(s) => match s.chars().next() {
                Some(c) => NearState::Name {
                    row: self.step(row, c),
                    pending: Vec::new(),
                },
                None => NearState::Dead,
            },
            // An incomplete char: wait for its next byte.
            Err(e) if e.error_len().is_none() => NearState::Name {
                row: row.clone(),
                pending: bytes,
            },
            Err(_) => NearState::Dead,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::dictionary::edit_distance;

    fn accepts(query: &str, max: usize, term: &str) -> bool {
        let a = NearKey::new(query, max);
        let mut s = a.start();
        for b in term.bytes() {
            if !a.can_match(&s) {
                return false;
            }
            s = a.accept(&s, b);
        }
        a.is_match(&s)
    }

    #[test]
    fn accepts_exactly_the_keys_within_the_bound() {
        let sep = KEY_SEP;
        let keys = [
            "parkinson",
            "parkinsn",
            "parkinsonism",
            "braf",
            "brfa",
            "",
            "ab",
            "αβ",
            "αγ",
            "β",
            "melanoma",
            "melanom",
            "xmelanomax",
        ];
        for q in keys {
            for k in keys {
                for max in 0..=2 {
                    let term = format!("{k}{sep}Disease{sep}MESH:D1");
                    assert_eq!(
                        accepts(q, max, &term),
                        edit_distance(q, k, max).is_some(),
                        "{q} ~ {k} within {max}"
                    );
                }
            }
        }
        // A key without the separator (a prefix of a longer term) is not a match.
        assert!(!accepts("braf", 2, "braf"));
    }
}
