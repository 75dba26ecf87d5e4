//! The query lexer: characters → tokens (operators, parentheses, clauses with their boosts).
//! The first step of [`parse`](super::parse::parse); see there for the grammar.

use super::ast::{Clause, Field, ParseError};
use super::tags;

#[derive(Debug)]
pub(crate) enum Tok {
    LParen,
    RParen(Option<f32>),
    And(&'static str),
    Or(&'static str),
    Not(&'static str),
    Clause(Clause, Option<f32>),
    /// `field:(`: the field applies to every unfielded term of the group that follows (the
    /// lexer always emits the group's `(` next).
    FieldGroup(Field),
}

#[derive(Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) pos: usize,
}

fn collect(chars: &[char], start: usize, end: usize) -> String {
    chars
        .get(start..end)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// Index of the first whitespace or `)` at or after `start`.
fn word_end(chars: &[char], start: usize) -> usize {
    let mut j = start;
    while chars
        .get(j)
        .is_some_and(|c| !c.is_whitespace() && *c != ')')
    {
        j += 1;
    }
    j
}

pub(crate) fn lex(chars: &[char]) -> Result<Vec<Token>, ParseError> {
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                toks.push(Token {
                    tok: Tok::LParen,
                    pos: i,
                });
                i += 1;
            }
            ')' => {
                let (boost, next) = lex_boost_after(chars, i + 1)?;
                toks.push(Token {
                    tok: Tok::RParen(boost),
                    pos: i,
                });
                i = next;
            }
            '-' => match chars.get(i + 1) {
                Some(&n) if !n.is_whitespace() && n != ')' => {
                    toks.push(Token {
                        tok: Tok::Not("-"),
                        pos: i,
                    });
                    i += 1;
                }
                _ => {
                    return Err(ParseError::new(
                        i,
                        "'-' must be directly followed by the term to exclude",
                    ))
                }
            },
            // Lucene's `!cancer`: NOT, like `-` (a lone `!` is the word-form operator).
            '!' if chars
                .get(i + 1)
                .is_some_and(|&n| !n.is_whitespace() && n != ')' && n != '!') =>
            {
                toks.push(Token {
                    tok: Tok::Not("!"),
                    pos: i,
                });
                i += 1;
            }
            '"' => {
                let (text, next) = lex_quoted(chars, i)?;
                if text.trim().is_empty() {
                    return Err(ParseError::new(i, "empty phrase"));
                }
                // `"breast cancer"[tiab]`: a PubMed field tag right after the phrase.
                // `"breast cancer"[tiab:~3]`: with PubMed's proximity.
                let (field, tag_slop, next) = match tags::after_quote(chars, next)? {
                    Some(t) => (t.field.map(|name| tag_field(name, i)), t.slop, t.end),
                    None => (None, 0, next),
                };
                let (slop, next) = lex_slop_after(chars, next)?;
                let slop = slop.max(tag_slop);
                let (boost, next) = lex_boost_after(chars, next)?;
                let clause = Clause::Term {
                    field,
                    text,
                    quoted: true,
                    slop,
                    pos: i,
                };
                toks.push(Token {
                    tok: Tok::Clause(clause, boost),
                    pos: i,
                });
                i = next;
            }
            _ => i = lex_bare(chars, i, &mut toks)?,
        }
    }
    Ok(toks)
}

/// The error at a fuzzy word's `~`.
const FUZZY: &str = "fuzzy words (Lucene's 'word~1') are not supported: write the spellings \
                     with OR, or a wildcard (tumo?r, canc*); '~N' after a quoted phrase is its \
                     proximity (\"breast cancer\"~3)";

/// Where a word's Lucene fuzzy suffix starts (`canser~`, `canser~1`): a `~` after a letter,
/// ending the word or followed by digits only.
fn fuzzy_tilde(word: &str) -> Option<usize> {
    let (head, tail) = word.rsplit_once('~')?;
    let fuzzy = head.chars().any(char::is_alphabetic)
        && !head.ends_with('~')
        && tail.chars().all(|c| c.is_ascii_digit() || c == '.');
    fuzzy.then(|| head.chars().count())
}

/// Lexes a quoted string whose opening `"` is at `start`. Returns the
/// unescaped text and the index after the closing quote.
fn lex_quoted(chars: &[char], start: usize) -> Result<(String, usize), ParseError> {
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => {
                return Err(ParseError::new(
                    start,
                    "unterminated quoted phrase (missing closing '\"')",
                ))
            }
            Some('"') => return Ok((text, i + 1)),
            Some('\\') => match chars.get(i + 1) {
                Some(&e @ ('"' | '\\')) => {
                    text.push(e);
                    i += 2;
                }
                _ => {
                    text.push('\\');
                    i += 1;
                }
            },
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

/// Lexes an optional `~N` starting at `i` (after a phrase's closing `"`): its proximity.
fn lex_slop_after(chars: &[char], i: usize) -> Result<(u32, usize), ParseError> {
    if chars.get(i) != Some(&'~') {
        return Ok((0, i));
    }
    let mut end = i + 1;
    while chars.get(end).is_some_and(char::is_ascii_digit) {
        end += 1;
    }
    match collect(chars, i + 1, end).parse::<u32>() {
        Ok(n) if n <= MAX_SLOP => Ok((n, end)),
        _ => Err(ParseError::new(
            i,
            format!(
                "'~' after a phrase needs how many positions its words may move, 0 to \
                 {MAX_SLOP} (\"breast cancer\"~3)"
            ),
        )),
    }
}

/// The largest phrase proximity (`"a b"~N`) accepted.
const MAX_SLOP: u32 = 100;

/// Lexes an optional `^NUMBER` starting at `i` (after a `"` or `)`).
fn lex_boost_after(chars: &[char], i: usize) -> Result<(Option<f32>, usize), ParseError> {
    if chars.get(i) != Some(&'^') {
        return Ok((None, i));
    }
    let end = word_end(chars, i + 1);
    let boost = parse_boost(&collect(chars, i + 1, end), i)?;
    Ok((Some(boost), end))
}

/// Validates a boost number; errors point at the `^` (`caret_pos`).
fn parse_boost(s: &str, caret_pos: usize) -> Result<f32, ParseError> {
    if s.is_empty() {
        return Err(ParseError::new(caret_pos, "missing boost value after '^'"));
    }
    if !is_boost_number(s) {
        return Err(ParseError::new(
            caret_pos,
            "invalid boost: expected a positive number such as ^2 or ^1.5",
        ));
    }
    match s.parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(ParseError::new(
            caret_pos,
            "boost must be a finite number greater than 0",
        )),
    }
}

/// `[0-9]+(\.[0-9]+)?`
fn is_boost_number(s: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(s),
    }
}

/// Splits an optional boost off the bare value `chars[start..end]`.
/// Returns the end of the text proper and the boost.
fn split_boost(
    chars: &[char],
    start: usize,
    end: usize,
) -> Result<(usize, Option<f32>), ParseError> {
    let value = chars.get(start..end).unwrap_or(&[]);
    let Some(rel) = value.iter().rposition(|&c| c == '^') else {
        return Ok((end, None));
    };
    if rel == 0 {
        // `^` at the very start of a value is literal.
        return Ok((end, None));
    }
    let suffix: String = value.get(rel + 1..).unwrap_or(&[]).iter().collect();
    // A number, or a word where a number belongs (`cancer^x`): an attempt at a boost.
    let numeric_looking = match suffix.chars().next() {
        None => true,
        Some(c) => {
            c.is_ascii_digit()
                || matches!(c, '-' | '+' | '.')
                || suffix.chars().all(|c| c.is_ascii_alphanumeric())
        }
    };
    if !numeric_looking {
        return Ok((end, None));
    }
    let caret_pos = start + rel;
    let boost = parse_boost(&suffix, caret_pos)?;
    Ok((caret_pos, Some(boost)))
}

/// Lexes a token that starts with neither whitespace, `(`, `)`, `-` nor `"`.
/// Returns the index after the token.
fn lex_bare(chars: &[char], start: usize, toks: &mut Vec<Token>) -> Result<usize, ParseError> {
    // FIELD ":" VALUE ?
    let mut j = start;
    while chars
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
    {
        j += 1;
    }
    let letter_first = chars.get(start).is_some_and(|c| c.is_ascii_alphabetic());
    if letter_first && chars.get(j) == Some(&':') {
        let mut field = Field {
            name: collect(chars, start, j),
            pos: start,
            literal: false,
        };
        // `field:=value`: the literal value (no vocabulary expansion); a lone `=` stays a value.
        let mut vstart = j + 1;
        if chars.get(vstart) == Some(&'=')
            && chars
                .get(vstart + 1)
                .is_some_and(|c| !c.is_whitespace() && *c != ')' && *c != '(')
        {
            field.literal = true;
            vstart += 1;
        }
        return lex_field_value(chars, field, vstart, toks);
    }

    let mut end = word_end(chars, start);
    // `melanoma[MeSH Terms]`: a PubMed tag with a space ends the word at its `]`.
    let tagged = tags::spaced_tag_end(chars, start, end);
    if tagged != end {
        end = word_end(chars, tagged);
    }
    let raw = collect(chars, start, end);
    let op = match raw.as_str() {
        "AND" => Some(Tok::And("AND")),
        "&&" => Some(Tok::And("&&")),
        "OR" => Some(Tok::Or("OR")),
        "||" => Some(Tok::Or("||")),
        "NOT" => Some(Tok::Not("NOT")),
        "!" => Some(Tok::Not("!")),
        _ => None,
    };
    if let Some(tok) = op {
        toks.push(Token { tok, pos: start });
        return Ok(end);
    }

    let clause_and_boost = if chars.get(start) == Some(&'@') {
        let (text_end, boost) = split_boost(chars, start + 1, end)?;
        let text = collect(chars, start + 1, text_end);
        if text.is_empty() {
            return Err(ParseError::new(
                start,
                "'@' must be followed by an entity identifier such as @GENE_PDCD1",
            ));
        }
        if let Some((kind, "")) = text.split_once('_') {
            return Err(ParseError::new(
                start,
                format!("'@{kind}_' needs a name or ID after the type, such as @{kind}_BRAF"),
            ));
        }
        (Clause::At { text, pos: start }, boost)
    } else {
        let (text_end, boost) = split_boost(chars, start, end)?;
        let text = collect(chars, start, text_end);
        if let Some(at) = fuzzy_tilde(&text) {
            return Err(ParseError::new(start + at, FUZZY));
        }
        let clause = if text == "*" {
            Clause::All { pos: start }
        } else if let Some(tagged) = tags::bare(&text, start)? {
            // `cancer[ti]`: a PubMed field tag ending the word.
            Clause::Term {
                field: tagged.field.map(|name| tag_field(name, start)),
                text: tagged.value,
                quoted: false,
                slop: 0,
                pos: start,
            }
        } else {
            Clause::Term {
                field: None,
                text,
                quoted: false,
                slop: 0,
                pos: start,
            }
        };
        (clause, boost)
    };
    let (clause, boost) = clause_and_boost;
    toks.push(Token {
        tok: Tok::Clause(clause, boost),
        pos: start,
    });
    Ok(end)
}

/// Lexes the value of `field:` starting at `vstart` (just after the colon).
fn lex_field_value(
    chars: &[char],
    field: Field,
    vstart: usize,
    toks: &mut Vec<Token>,
) -> Result<usize, ParseError> {
    let token_pos = field.pos;
    match chars.get(vstart) {
        None => Err(missing_value(&field, vstart)),
        Some(&c) if c.is_whitespace() || c == ')' => Err(missing_value(&field, vstart)),
        Some('(') => {
            toks.push(Token {
                tok: Tok::FieldGroup(field),
                pos: token_pos,
            });
            Ok(vstart)
        }
        Some('"') => {
            let (text, next) = lex_quoted(chars, vstart)?;
            if text.trim().is_empty() {
                return Err(missing_value(&field, vstart));
            }
            let (slop, next) = lex_slop_after(chars, next)?;
            let (boost, next) = lex_boost_after(chars, next)?;
            let clause = Clause::Term {
                field: Some(field),
                text,
                quoted: true,
                slop,
                pos: vstart,
            };
            toks.push(Token {
                tok: Tok::Clause(clause, boost),
                pos: token_pos,
            });
            Ok(next)
        }
        Some(_) => {
            let mut end = range_end(chars, vstart).unwrap_or_else(|| value_end(chars, vstart));
            let relation = is_relation_field(&field.name);
            if relation {
                end = relation_end(chars, end);
            }
            let (text_end, boost) = split_boost(chars, vstart, end)?;
            let mut text = collect(chars, vstart, text_end);
            if relation {
                text.retain(|c| !c.is_whitespace());
            }
            let text_field = ["title", "abstract", "mention", "text"]
                .iter()
                .any(|f| field.name.eq_ignore_ascii_case(f));
            if let Some(at) = fuzzy_tilde(&text).filter(|_| text_field) {
                return Err(ParseError::new(vstart + at, FUZZY));
            }
            let clause = Clause::Term {
                field: Some(field),
                text,
                quoted: false,
                slop: 0,
                pos: vstart,
            };
            toks.push(Token {
                tok: Tok::Clause(clause, boost),
                pos: token_pos,
            });
            Ok(end)
        }
    }
}

/// Index after a Lucene range value starting at `start` (`[2010 TO 2015]`, `{2010 TO *}`):
/// the value runs through its closing `]` or `}`, spaces and all, when the brackets hold
/// `A TO B`. `None` for any other value.
fn range_end(chars: &[char], start: usize) -> Option<usize> {
    if !matches!(chars.get(start), Some('[' | '{')) {
        return None;
    }
    let close = (start + 1..chars.len()).find(|&j| matches!(chars[j], ']' | '}'))?;
    let inner = collect(chars, start + 1, close);
    let words: Vec<&str> = inner.split_whitespace().collect();
    (words.len() == 3 && words[1] == "TO").then_some(close + 1)
}

/// True for the relation fields, whose value may have spaces around its `|`.
pub(crate) fn is_relation_field(name: &str) -> bool {
    name.eq_ignore_ascii_case("rel") || name.eq_ignore_ascii_case("relations")
}

/// Index after an unquoted field value starting at `start`: like [`word_end`], except that a
/// `(` inside the value opens a bracket its matching `)` closes, so `gene:54702(Tax:10116)`
/// is one value.
fn value_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0usize;
    let mut j = start;
    while let Some(&c) = chars.get(j) {
        if c.is_whitespace() || (c == ')' && depth == 0) {
            break;
        }
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    j
}

/// Extends a relation value ending at `end` over `|`-separated arguments written with spaces
/// around the `|` (`rel:Association | gene:673 | Disease`).
fn relation_end(chars: &[char], mut end: usize) -> usize {
    loop {
        let mut k = end;
        while chars.get(k).is_some_and(|c| c.is_whitespace()) {
            k += 1;
        }
        let after_bar = end > 0 && chars.get(end - 1) == Some(&'|');
        let next = chars.get(k).copied();
        let continues = match next {
            Some('|') => true,
            Some(c) => after_bar && k > end && c != ')' && c != '(' && c != '"',
            None => false,
        };
        if !continues {
            return end;
        }
        end = value_end(chars, k).max(k + 1);
    }
}

/// The field a PubMed tag stands for, placed at the start of its value.
fn tag_field(name: &str, pos: usize) -> Field {
    Field {
        name: name.to_string(),
        pos,
        literal: false,
    }
}

fn missing_value(field: &Field, pos: usize) -> ParseError {
    ParseError::new(pos, format!("missing value after '{}:'", field.name))
}
