//! Word scanning for the analyzer: where the words of a text are and which alphanumeric
//! parts (joined by `-`, `.`, `/`, ...) each one has, classified byte by byte for ASCII.

use super::normalize::{is_joiner, normalize_chars, push_ascii_lower};

/// Byte class flag: an ASCII letter or digit (part of a word).
pub(super) const ALNUM: u8 = 1;
/// Byte class flag: an ASCII upper-case letter (always with [`ALNUM`]).
pub(super) const UPPER: u8 = 2;
/// Byte class flag: an ASCII joiner (see [`is_joiner`]).
pub(super) const JOINER: u8 = 4;
/// Byte class flag: the first byte of a non-ASCII char, classified by decoding it.
pub(super) const NON_ASCII: u8 = 8;

/// The class flags of each byte, so ASCII text is classified without decoding chars (for
/// ASCII, `char::is_alphanumeric` is exactly `is_ascii_alphanumeric`). Other ASCII bytes have
/// no flag; continuation bytes are never looked up.
pub(super) const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if !c.is_ascii() {
            NON_ASCII
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else if is_joiner(c as char) {
            JOINER
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The char starting at byte `i` of `text` (a char boundary).
pub(super) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// How a part is normalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PartKind {
    /// ASCII without upper-case letters: copied as is.
    Lower,
    /// ASCII: copied and lower-cased.
    Ascii,
    /// With non-ASCII chars: normalized char by char.
    Unicode,
}

/// One alphanumeric run of a word: byte range and how to normalize it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Part {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: PartKind,
}

impl Part {
    /// Appends the normalized part to `out` (what [`normalize_into`] appends).
    pub(super) fn normalize_into(self, text: &str, out: &mut String) {
        let Some(s) = text.get(self.start..self.end) else {
            return; // unreachable: parts are cut at char boundaries
        };
        match self.kind {
            PartKind::Lower => out.push_str(s),
            PartKind::Ascii => push_ascii_lower(s, out),
            PartKind::Unicode => normalize_chars(s, out),
        }
    }
}

/// Calls `f(word_start, word_end, parts)` for every word of `text` (byte offsets), where
/// `parts` are the alphanumeric runs inside the word. `parts` is scratch space, reused.
///
/// A word is a run of parts joined by single joiners; anything else (a space, other
/// punctuation, two joiners in a row, a joiner before the first part) ends it.
pub(super) fn for_each_word(
    text: &str,
    parts: &mut Vec<Part>,
    mut f: impl FnMut(usize, usize, &[Part]),
) {
    parts.clear();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut pending_joiner = false;
    let mut i = 0;
    // One position past the end acts as a word-ending char, so the last word is flushed
    // through the same (single, inlined) call of `f`.
    while i <= n {
        let mut class = bytes.get(i).map_or(0, |&b| BYTE_CLASS[b as usize]);
        let mut len = 1;
        if class == NON_ASCII {
            let Some(c) = char_at(text, i) else {
                break; // unreachable: `i` is always a char boundary
            };
            class = if c.is_alphanumeric() {
                ALNUM | NON_ASCII
            } else if is_joiner(c) {
                JOINER
            } else {
                0
            };
            len = c.len_utf8();
        }
        if class & ALNUM != 0 {
            // A part: this char and every following letter or digit.
            let start = i;
            let mut seen = class;
            i += len;
            while let Some(&b) = bytes.get(i) {
                let c = BYTE_CLASS[b as usize];
                if c & ALNUM != 0 {
                    seen |= c;
                    i += 1;
                } else if c == NON_ASCII {
                    match char_at(text, i) {
                        Some(ch) if ch.is_alphanumeric() => {
                            seen |= NON_ASCII;
                            i += ch.len_utf8();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            let kind = if seen & NON_ASCII != 0 {
                PartKind::Unicode
            } else if seen & UPPER != 0 {
                PartKind::Ascii
            } else {
                PartKind::Lower
            };
            parts.push(Part {
                start,
                end: i,
                kind,
            });
            pending_joiner = false;
            continue;
        }
        if class == JOINER && !parts.is_empty() && !pending_joiner {
            pending_joiner = true;
        } else {
            pending_joiner = false;
            if let (Some(first), Some(last)) = (parts.first(), parts.last()) {
                f(first.start, last.end, parts);
                parts.clear();
            }
        }
        i += len;
    }
}
