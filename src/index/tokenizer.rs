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

const fn is_joiner(c: char) -> bool {
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
        push_ascii_lower(part, out);
        return;
    }
    normalize_chars(part, out);
}

/// Appends an ASCII `part` lower-cased: one copy, lower-cased in place.
fn push_ascii_lower(part: &str, out: &mut String) {
    let from = out.len();
    out.push_str(part);
    out[from..].make_ascii_lowercase();
}

/// The char-by-char form of [`normalize_into`], for parts with non-ASCII chars.
fn normalize_chars(part: &str, out: &mut String) {
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

/// Byte class flag: an ASCII letter or digit (part of a word).
const ALNUM: u8 = 1;
/// Byte class flag: an ASCII upper-case letter (always with [`ALNUM`]).
const UPPER: u8 = 2;
/// Byte class flag: an ASCII joiner (see [`is_joiner`]).
const JOINER: u8 = 4;
/// Byte class flag: the first byte of a non-ASCII char, classified by decoding it.
const NON_ASCII: u8 = 8;

/// The class flags of each byte, so ASCII text is classified without decoding chars (for
/// ASCII, `char::is_alphanumeric` is exactly `is_ascii_alphanumeric`). Other ASCII bytes have
/// no flag; continuation bytes are never looked up.
const BYTE_CLASS: [u8; 256] = {
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
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// How a part is normalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PartKind {
    /// ASCII without upper-case letters: copied as is.
    Lower,
    /// ASCII: copied and lower-cased.
    Ascii,
    /// With non-ASCII chars: normalized char by char.
    Unicode,
}

/// One alphanumeric run of a word: byte range and how to normalize it.
#[derive(Clone, Copy, Debug)]
struct Part {
    start: usize,
    end: usize,
    kind: PartKind,
}

impl Part {
    /// Appends the normalized part to `out` (what [`normalize_into`] appends).
    fn normalize_into(self, text: &str, out: &mut String) {
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
fn for_each_word(text: &str, parts: &mut Vec<Part>, mut f: impl FnMut(usize, usize, &[Part])) {
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
            // Each part, then their concatenation. The concatenation is built from the
            // normalized parts (normalization works char by char, so it is the same as
            // normalizing the whole word); when a part is too long, so is the concatenation.
            let first = len;
            let mut all_parts = true;
            for part in parts {
                let token = next_slot(tokens, len);
                part.normalize_into(text, &mut token.text);
                if token.text.len() <= MAX_TOKEN_BYTES {
                    place(token, part.start, part.end, position);
                    len += 1;
                } else {
                    all_parts = false;
                }
            }
            let joined_len: usize = tokens[first..len].iter().map(|t| t.text.len()).sum();
            if all_parts && joined_len <= MAX_TOKEN_BYTES {
                next_slot(tokens, len);
                let (done, rest) = tokens.split_at_mut(len);
                if let Some(joined) = rest.first_mut() {
                    joined.text.reserve(joined_len);
                    for t in &done[first..] {
                        joined.text.push_str(&t.text);
                    }
                    place(joined, from, to, position);
                    len += 1;
                }
            }
            if len > first {
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
    if mention.is_ascii() {
        out.extend(
            mention
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return out;
    }
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
            let before = out.len();
            if parts.len() > 1 {
                for &(s, e) in &parts {
                    let t = norm(&text[s..e]);
                    if t.len() <= MAX_TOKEN_BYTES {
                        out.push((t, s, e, position, 1));
                    }
                }
            }
            let joined: String = parts.iter().map(|&(s, e)| norm(&text[s..e])).collect();
            if joined.len() <= MAX_TOKEN_BYTES {
                out.push((joined, parts[0].0, parts[parts.len() - 1].1, position, 1));
            }
            if out.len() > before {
                position += 1;
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
