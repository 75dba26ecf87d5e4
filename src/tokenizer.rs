//! The text analyzer for titles, abstracts and mentions, registered under [`BIO_TOKENIZER`]
//! on every index open.
//!
//! Biomedical names join letters and digits with hyphens, dots and slashes (`PD-L1`, `IL-6`,
//! `p.V600E`, `COVID-19`, `TNF-α`) and people type them with or without the joiner. Each word
//! is lower-cased, Greek letters are spelled out (`α` → `alpha`), Latin accents folded, and a
//! joined word is indexed as its parts *and* their concatenation, all at one position:
//! `PD-L1` → `pd`, `l1`, `pdl1`. Queries use the concatenation only ([`query_tokens`]), so
//! `PD-L1`, `pd-l1` and `PDL1` all find `PD-L1`, and `IL6` finds `IL-6`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the analyzer is registered.
pub const BIO_TOKENIZER: &str = "bio";

/// Longest token kept, in bytes; longer ones (sequences, garbage) are dropped.
const MAX_TOKEN_BYTES: usize = 80;

fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '/' | '_' | '\'' | '+' | '>' | ':' | '‐' | '‑' | '–'
    )
}

fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' | 'µ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "omicron",
        'π' => "pi",
        'ρ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        _ => return None,
    })
}

fn fold_latin(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

/// Appends the normalized form of one word part to `out`.
fn normalize_into(part: &str, out: &mut String) {
    if part.is_ascii() {
        // The common case: one copy, lower-cased in place.
        let from = out.len();
        out.push_str(part);
        out[from..].make_ascii_lowercase();
        return;
    }
    for c in part.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            match greek(l) {
                Some(name) => out.push_str(name),
                None => out.push(fold_latin(l)),
            }
        }
    }
}

/// Receives `(word_start, word_end, parts)` for each word.
type WordSink<'a> = dyn FnMut(usize, usize, &[(usize, usize)]) + 'a;

/// Calls `f(word_start, word_end, parts)` for every word of `text` (byte offsets), where
/// `parts` are the byte ranges of the alphanumeric runs inside the word.
fn for_each_word(text: &str, mut f: impl FnMut(usize, usize, &[(usize, usize)])) {
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut part_start: Option<usize> = None;
    let mut pending_joiner = false;
    let flush = |parts: &mut Vec<(usize, usize)>, f: &mut WordSink<'_>| {
        if let (Some(first), Some(last)) = (parts.first(), parts.last()) {
            f(first.0, last.1, parts);
        }
        parts.clear();
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if part_start.is_none() {
                part_start = Some(i);
            }
            pending_joiner = false;
        } else {
            if let Some(s) = part_start.take() {
                parts.push((s, i));
            }
            if is_joiner(c) && !parts.is_empty() && !pending_joiner {
                pending_joiner = true;
            } else {
                pending_joiner = false;
                flush(&mut parts, &mut f);
            }
        }
    }
    if let Some(s) = part_start {
        parts.push((s, text.len()));
    }
    flush(&mut parts, &mut f);
}

/// The analyzer. See the module docs.
///
/// Token buffers are reused from one text to the next (only the first `len` are live), so
/// tokenizing allocates only when a text has more tokens, or longer ones, than any before it.
#[derive(Clone, Default)]
pub struct BioTokenizer {
    tokens: Vec<Token>,
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

impl Tokenizer for BioTokenizer {
    type TokenStream<'a> = BioTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BioTokenStream<'a> {
        let tokens = &mut self.tokens;
        let mut len = 0usize;
        let mut position = 0usize;
        for_each_word(text, |from, to, parts| {
            let mut emitted = false;
            if parts.len() > 1 {
                for &(s, e) in parts {
                    let token = next_slot(tokens, len);
                    normalize_into(&text[s..e], &mut token.text);
                    if token.text.len() <= MAX_TOKEN_BYTES {
                        token.offset_from = s;
                        token.offset_to = e;
                        token.position = position;
                        token.position_length = 1;
                        len += 1;
                        emitted = true;
                    }
                }
            }
            let token = next_slot(tokens, len);
            for &(s, e) in parts {
                normalize_into(&text[s..e], &mut token.text);
            }
            if token.text.len() <= MAX_TOKEN_BYTES {
                token.offset_from = from;
                token.offset_to = to;
                token.position = position;
                token.position_length = 1;
                len += 1;
                emitted = true;
            }
            if emitted {
                position += 1;
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
    for_each_word(text, |_, _, parts| {
        let mut joined = String::new();
        for &(s, e) in parts {
            normalize_into(&text[s..e], &mut joined);
        }
        if joined.len() <= MAX_TOKEN_BYTES {
            out.push(joined);
        }
    });
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

/// Normalized lookup key of a mention for the name dictionary: letters and digits only,
/// lower-cased, Greek spelled out (`PD-1`, `PD1` and `pd 1` share the key `pd1`).
pub fn name_key(mention: &str) -> String {
    let mut out = String::with_capacity(mention.len());
    for c in mention.chars().filter(|c| c.is_alphanumeric()) {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut buf = [0u8; 4];
        normalize_into(c.encode_utf8(&mut buf), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn joined_words_index_parts_and_concatenation_at_one_position() {
        assert_eq!(
            toks("anti PD-L1 therapy"),
            [
                ("anti".into(), 0),
                ("pd".into(), 1),
                ("l1".into(), 1),
                ("pdl1".into(), 1),
                ("therapy".into(), 2)
            ]
        );
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
}
