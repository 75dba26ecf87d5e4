//! The `entity` field's tokenizer, registered under [`POSITIONED_TOKENIZER`]: its one text
//! value per document lists the terms with the position each must have (the number of the
//! mention's sentence, see `index::document`), and the tokenizer hands them to tantivy as
//! they are: no lower-casing, no splitting.
//!
//! The value is `position␟term␞position␟term…` (U+001F between a position and its term, U+001E
//! between entries), positions ascending ([`encode`]). A text value is kept by tantivy as a
//! plain string until it is indexed, where a pre-tokenized value is written to JSON and read
//! back (6% of all ingest instructions with sentence positions on every `entity` term).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the tokenizer is registered.
pub const POSITIONED_TOKENIZER: &str = "positioned";

const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// The text of `values` (sorted by position first: tantivy needs increasing positions per
/// term); terms holding a separator character are left out (no ID reader keeps control
/// characters, so none does).
pub fn encode(values: &mut [(u32, String)]) -> String {
    values.sort_by_key(|(p, _)| *p);
    let mut out = String::with_capacity(values.iter().map(|(_, t)| t.len() + 8).sum());
    for (position, term) in values.iter() {
        if term.contains([UNIT, RECORD]) {
            continue;
        }
        if !out.is_empty() {
            out.push(RECORD);
        }
        out.push_str(itoa_u32(*position, &mut [0u8; 10]));
        out.push(UNIT);
        out.push_str(term);
    }
    out
}

/// The (position, term) entries of a text written by [`encode`]; a malformed entry reads as
/// position 0.
pub fn decode(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.split(RECORD)
        .filter(|e| !e.is_empty())
        .map(|e| match e.split_once(UNIT) {
            Some((p, t)) => (p.parse().unwrap_or(0), t),
            None => (0, e),
        })
}

/// Decimal digits of `n` in `buf`.
fn itoa_u32(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// The tokenizer. See the module docs.
#[derive(Clone, Default)]
pub struct PositionedTokenizer {
    token: Token,
}

/// Token stream over the entries of one value.
pub struct PositionedTokenStream<'a> {
    rest: &'a str,
    token: &'a mut Token,
}

impl Tokenizer for PositionedTokenizer {
    type TokenStream<'a> = PositionedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PositionedTokenStream<'a> {
        self.token.text.clear();
        PositionedTokenStream {
            rest: text,
            token: &mut self.token,
        }
    }
}

impl TokenStream for PositionedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while !self.rest.is_empty() {
            let (entry, rest) = self.rest.split_once(RECORD).unwrap_or((self.rest, ""));
            self.rest = rest;
            let (position, term) = match entry.split_once(UNIT) {
                Some((p, t)) => (p.parse().unwrap_or(0), t),
                None => (0, entry),
            };
            if term.is_empty() {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(term);
            self.token.position = position;
            self.token.position_length = 1;
            self.token.offset_from = 0;
            self.token.offset_to = 0;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tokens_are_the_terms_at_their_positions() {
        let mut values = vec![
            (16_777_216, "species:9606".to_string()),
            (3, "disease:mesh:d009369".to_string()),
            (0, "gene:5133".to_string()),
            (3, "variant:p|sub|v|600|e".to_string()),
        ];
        let text = encode(&mut values);
        let mut tokenizer = PositionedTokenizer::default();
        let mut stream = tokenizer.token_stream(&text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.position, t.text.clone()));
        }
        assert_eq!(
            got,
            vec![
                (0, "gene:5133".to_string()),
                (3, "disease:mesh:d009369".to_string()),
                (3, "variant:p|sub|v|600|e".to_string()),
                (16_777_216, "species:9606".to_string()),
            ]
        );
        let decoded: Vec<(u32, &str)> = decode(&text).collect();
        assert_eq!(decoded.len(), 4);
        assert_eq!(decoded[3], (16_777_216, "species:9606"));
    }

    #[test]
    fn empty_and_separator_bearing_values_give_no_token() {
        let mut values = vec![(1, "a\u{1e}b".to_string())];
        assert_eq!(encode(&mut values), "");
        let mut tokenizer = PositionedTokenizer::default();
        assert!(!tokenizer.token_stream("").advance());
    }
}
