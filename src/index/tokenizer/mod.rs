//! The text analyzer for titles, abstracts and mentions, registered under [`BIO_TOKENIZER`]
//! on every index open.
//!
//! Biomedical names join letters and digits with hyphens, dots and slashes (`PD-L1`, `IL-6`,
//! `p.V600E`, `COVID-19`, `TNF-α`) and people type them with or without the joiner. Each word
//! is lower-cased, Greek letters are spelled out (`α` → `alpha`), Latin accents folded, and a
//! joined word is indexed as its parts at consecutive positions, as if written with spaces,
//! plus their concatenation at the first part's position: `anti PD-L1 therapy` → `anti`@0,
//! `pd`@1, `pdl1`@1, `l1`@2, `therapy`@3. A query word uses the concatenation
//! ([`query_tokens`]), so `PD-L1`, `pd-l1` and `PDL1` all find `PD-L1`, and `IL6` finds
//! `IL-6`; a phrase uses the parts ([`phrase_forms`]), so `"wild type"` finds `wild-type` and
//! `"breast cancer"` does not find `breast/ovarian cancer`.

mod normalize;
pub mod positioned;
mod words;

pub use normalize::name_key;
pub use positioned::{PositionedTokenizer, POSITIONED_TOKENIZER};
use words::{for_each_word, Part};

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the analyzer is registered.
pub const BIO_TOKENIZER: &str = "bio";

/// Longest token kept, in bytes; longer ones (sequences, garbage) are dropped.
const MAX_TOKEN_BYTES: usize = 80;

/// The analyzer. See the module docs.
///
/// Token buffers are reused from one text to the next (only the first `len` are live), so
/// tokenizing allocates only when a text has more tokens, or longer ones, than any before it.
#[derive(Clone, Default)]
pub struct BioTokenizer {
    tokens: Vec<Token>,
    /// Scratch space for the parts of one word.
    parts: Vec<Part>,
}

/// Token stream over a pre-computed token list.
pub struct BioTokenStream<'a> {
    tokens: &'a mut [Token],
    index: usize,
}

/// The next free token of `tokens` (reused when there is one), with its text cleared.
fn next_slot(tokens: &mut Vec<Token>, len: usize) -> &mut Token {
    if len == tokens.len() {
        tokens.push(Token::default());
    }
    let token = &mut tokens[len];
    token.text.clear();
    token
}

/// Sets the offsets and position of a token being emitted.
fn place(token: &mut Token, from: usize, to: usize, position: usize) {
    token.offset_from = from;
    token.offset_to = to;
    token.position = position;
    token.position_length = 1;
}

impl Tokenizer for BioTokenizer {
    type TokenStream<'a> = BioTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BioTokenStream<'a> {
        let tokens = &mut self.tokens;
        let mut len = 0usize;
        let mut position = 0usize;
        for_each_word(text, &mut self.parts, |from, to, parts| {
            if let [part] = parts {
                // One part: the word itself is the only token.
                let token = next_slot(tokens, len);
                part.normalize_into(text, &mut token.text);
                if token.text.len() <= MAX_TOKEN_BYTES {
                    place(token, from, to, position);
                    len += 1;
                    position += 1;
                }
                return;
            }
            // The first part, the concatenation at the same position, then each later part
            // at the next position. The concatenation is built from the normalized parts
            // (normalization works char by char, so it is the same as normalizing the whole
            // word); when a part is too long, so is the concatenation, and a part too long
            // to keep takes no position (as a word too long to keep).
            let start = position;
            let mut all_parts = true;
            let mut joined_at = None;
            for part in parts {
                let token = next_slot(tokens, len);
                part.normalize_into(text, &mut token.text);
                if token.text.len() > MAX_TOKEN_BYTES {
                    all_parts = false;
                    continue;
                }
                place(token, part.start, part.end, position);
                len += 1;
                position += 1;
                if joined_at.is_none() {
                    // Room for the concatenation right after the first kept part.
                    joined_at = Some(len);
                    next_slot(tokens, len);
                    len += 1;
                }
            }
            let Some(at) = joined_at else { return };
            let joined_len: usize = tokens[at - 1..len]
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != 1)
                .map(|(_, t)| t.text.len())
                .sum();
            if all_parts && joined_len <= MAX_TOKEN_BYTES {
                let (head, rest) = tokens.split_at_mut(at);
                if let Some((joined, tail)) = rest.split_first_mut() {
                    joined.text.clear();
                    joined.text.reserve(joined_len);
                    if let Some(first) = head.last() {
                        joined.text.push_str(&first.text);
                    }
                    for t in &tail[..len - at - 1] {
                        joined.text.push_str(&t.text);
                    }
                    place(joined, from, to, start);
                }
            } else {
                // No concatenation: close the gap it was given.
                tokens[at..len].rotate_left(1);
                len -= 1;
            }
        });
        BioTokenStream {
            tokens: &mut self.tokens[..len],
            index: usize::MAX,
        }
    }
}

impl TokenStream for BioTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

/// The query form of `text`: one term per word (the concatenation of its parts).
pub fn query_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for_each_word(text, &mut parts, |_, _, parts| {
        let mut joined = String::new();
        for part in parts {
            part.normalize_into(text, &mut joined);
        }
        if joined.len() <= MAX_TOKEN_BYTES {
            out.push(joined);
        }
    });
    out
}

/// The token sequences a phrase query on `text` searches for, each matched at consecutive
/// positions: first every word as its parts (as the index places them, so `"wild-type mice"`
/// and `"wild type mice"` both find `wild-type mice` and `wild type mice`), then, when `text`
/// has a joined word, every word as its concatenation (so `"PD-L1 expression"` also finds
/// `PDL1 expression`). A sequence of one token is a word, searched as a term. Empty when
/// `text` has nothing to search for.
pub fn phrase_forms(text: &str) -> Vec<Vec<String>> {
    let mut split = Vec::new();
    let mut joined_form = Vec::new();
    let mut every_word_joined = true;
    let mut parts = Vec::new();
    for_each_word(text, &mut parts, |_, _, parts| {
        let mut joined = String::new();
        let mut all_parts = true;
        for part in parts {
            let mut one = String::new();
            part.normalize_into(text, &mut one);
            joined.push_str(&one);
            if one.len() <= MAX_TOKEN_BYTES {
                split.push(one);
            } else {
                all_parts = false;
            }
        }
        if all_parts && joined.len() <= MAX_TOKEN_BYTES {
            joined_form.push(joined);
        } else {
            // The index has no concatenation of this word: no whole-word form of the phrase.
            every_word_joined = false;
        }
    });
    let mut out = Vec::new();
    if !split.is_empty() {
        out.push(split);
    }
    if every_word_joined && !joined_form.is_empty() && !out.contains(&joined_form) {
        out.push(joined_form);
    }
    out
}

/// Every indexed token of `text` with its byte range, for highlighting.
pub fn index_tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut tok = BioTokenizer::default();
    let mut stream = tok.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.offset_from, t.offset_to, t.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests;
