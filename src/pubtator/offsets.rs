//! Offset repair: match an annotation's `start..end` against its record's text.
//!
//! PubTator offsets count Unicode scalar values over `title + " " + abstract`, but real files
//! also use UTF-8 bytes (GNormPlus) or UTF-16 code units, or are simply off. Rules are tried in
//! order and the first that matches wins; slicing never panics.

use serde::Serialize;

/// Which rule located an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetRule {
    /// Offsets are chars and the text matches exactly.
    Exact,
    /// Offsets are UTF-8 bytes.
    Utf8Bytes,
    /// Offsets are UTF-16 code units.
    Utf16,
    /// Char offsets whose text equals the mention ignoring case, punctuation and spaces.
    Loose,
    /// The mention occurs elsewhere; the occurrence nearest the given start is used.
    Nearest,
    /// Nothing matched: the annotation is kept without a span.
    Unresolved,
}

impl OffsetRule {
    /// All rules, in the order they are tried.
    pub const ALL: [OffsetRule; 6] = [
        OffsetRule::Exact,
        OffsetRule::Utf8Bytes,
        OffsetRule::Utf16,
        OffsetRule::Loose,
        OffsetRule::Nearest,
        OffsetRule::Unresolved,
    ];

    /// Stable name used in summaries.
    pub fn name(self) -> &'static str {
        match self {
            OffsetRule::Exact => "exact",
            OffsetRule::Utf8Bytes => "utf8_bytes",
            OffsetRule::Utf16 => "utf16",
            OffsetRule::Loose => "loose",
            OffsetRule::Nearest => "nearest",
            OffsetRule::Unresolved => "unresolved",
        }
    }
}

/// A record's text (`title + " " + abstract`) with the lookups offset repair needs.
pub struct RecordText<'a> {
    text: std::borrow::Cow<'a, str>,
    /// Byte offset of each char, plus the total length; empty when the text is ASCII.
    char_starts: Vec<usize>,
}

impl<'a> RecordText<'a> {
    /// Builds the combined text of one record.
    pub fn new(title: &'a str, abstract_text: Option<&str>) -> Self {
        let text = match abstract_text {
            Some(a) => {
                let mut joined = String::with_capacity(title.len() + 1 + a.len());
                joined.push_str(title);
                joined.push(' ');
                joined.push_str(a);
                std::borrow::Cow::Owned(joined)
            }
            None => std::borrow::Cow::Borrowed(title),
        };
        let char_starts = if text.is_ascii() {
            Vec::new()
        } else {
            let mut v = Vec::with_capacity(text.chars().count() + 1);
            v.extend(text.char_indices().map(|(i, _)| i));
            v.push(text.len());
            v
        };
        RecordText { text, char_starts }
    }

    fn char_len(&self) -> usize {
        if self.char_starts.is_empty() {
            self.text.len()
        } else {
            self.char_starts.len() - 1
        }
    }

    /// Byte range of the char range `s..e`, if in range.
    fn char_range(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        if s > e || e > self.char_len() {
            return None;
        }
        if self.char_starts.is_empty() {
            Some((s, e))
        } else {
            Some((self.char_starts[s], self.char_starts[e]))
        }
    }

    fn byte_to_char(&self, b: usize) -> usize {
        if self.char_starts.is_empty() {
            b
        } else {
            self.char_starts.partition_point(|&x| x < b)
        }
    }

    fn utf16_to_char(&self, unit: usize) -> Option<usize> {
        let mut acc = 0usize;
        for (i, c) in self.text.chars().enumerate() {
            if acc == unit {
                return Some(i);
            }
            if acc > unit {
                return None;
            }
            acc += c.len_utf16();
        }
        (acc == unit).then(|| self.char_len())
    }

    /// Locates a mention given the offsets from the file: `(char start, char end, rule)` in the
    /// combined text, or the `Unresolved` rule.
    pub fn locate(
        &self,
        start: u64,
        end: u64,
        mention: &str,
    ) -> (Option<(usize, usize)>, OffsetRule) {
        let (s, e) = (
            usize::try_from(start).unwrap_or(usize::MAX),
            usize::try_from(end).unwrap_or(usize::MAX),
        );
        let text = self.text.as_ref();
        if let Some((bs, be)) = self.char_range(s, e) {
            if &text[bs..be] == mention {
                return (Some((s, e)), OffsetRule::Exact);
            }
        }
        if !self.char_starts.is_empty() {
            if let Some(slice) = text.get(s..e.max(s)) {
                if slice == mention {
                    return (
                        Some((self.byte_to_char(s), self.byte_to_char(e))),
                        OffsetRule::Utf8Bytes,
                    );
                }
            }
            if let (Some(cs), Some(ce)) = (self.utf16_to_char(s), self.utf16_to_char(e)) {
                if let Some((bs, be)) = self.char_range(cs, ce) {
                    if &text[bs..be] == mention {
                        return (Some((cs, ce)), OffsetRule::Utf16);
                    }
                }
            }
        }
        if let Some((bs, be)) = self.char_range(s, e) {
            if loose_eq(&text[bs..be], mention) {
                return (Some((s, e)), OffsetRule::Loose);
            }
        }
        if !mention.is_empty() {
            // The nearest occurrence is the last one starting before the given start or the
            // first one at or after it: two searches, not a scan of every occurrence (a short
            // mention can occur hundreds of thousands of times in a full text).
            let pivot = self
                .char_range(s.min(self.char_len()), s.min(self.char_len()))
                .map_or(text.len(), |r| r.0);
            // Occurrences starting before the pivot may extend past it.
            let mut limit = (pivot + mention.len()).saturating_sub(1).min(text.len());
            while !text.is_char_boundary(limit) {
                limit += 1;
            }
            let before = text[..limit].rfind(mention);
            let after = text[pivot..].find(mention).map(|b| b + pivot);
            let best = [before, after]
                .into_iter()
                .flatten()
                .map(|b| self.byte_to_char(b))
                .min_by_key(|c| (c.abs_diff(s), *c));
            if let Some(c) = best {
                return (Some((c, c + mention.chars().count())), OffsetRule::Nearest);
            }
        }
        (None, OffsetRule::Unresolved)
    }
}

/// Equal after dropping everything but letters and digits and lower-casing; never for empty.
fn loose_eq(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let na = norm(a);
    !na.is_empty() && na == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_char_offsets_after_the_title_separator() {
        let t = RecordText::new("Title here.", Some("PD1 binds PD-L1."));
        assert_eq!(t.locate(12, 15, "PD1"), (Some((12, 15)), OffsetRule::Exact));
    }

    #[test]
    fn utf8_byte_offsets_are_recognized() {
        let t = RecordText::new("Rôle of Ge-1", None);
        // "Ge-1" starts at char 8, byte 9
        assert_eq!(
            t.locate(9, 13, "Ge-1"),
            (Some((8, 12)), OffsetRule::Utf8Bytes)
        );
    }

    #[test]
    fn utf16_offsets_are_recognized() {
        let t = RecordText::new("𝛼 and TNF", None);
        // '𝛼' is 2 UTF-16 units, 1 char; "TNF" at char 6, utf16 7
        assert_eq!(t.locate(7, 10, "TNF"), (Some((6, 9)), OffsetRule::Utf16));
    }

    #[test]
    fn shifted_offsets_find_the_nearest_occurrence() {
        let t = RecordText::new("BRAF V600E and BRAF V600E again", None);
        assert_eq!(
            t.locate(21, 26, "V600E"),
            (Some((20, 25)), OffsetRule::Nearest)
        );
    }

    #[test]
    fn whitespace_or_case_differences_are_loose_matches() {
        let t = RecordText::new("the \"TATA\" box here", None);
        assert_eq!(t.locate(4, 14, " TATA  box").1, OffsetRule::Loose);
    }

    #[test]
    fn out_of_range_and_mid_char_offsets_never_panic() {
        let t = RecordText::new("αβγ", Some("δ"));
        assert_eq!(t.locate(1, 99, "zz"), (None, OffsetRule::Unresolved));
        assert_eq!(t.locate(5, 2, "zz"), (None, OffsetRule::Unresolved));
        assert_eq!(t.locate(1, 2, "q").1, OffsetRule::Unresolved);
        assert_eq!(t.locate(u64::MAX, u64::MAX, "").1, OffsetRule::Unresolved);
    }
}
