//! Parser for the ptsearch user query language.
//!
//! The language is modelled on PubMed / Elasticsearch `query_string`:
//!
//! ```text
//! query    := or_expr EOF
//! or_expr  := and_expr ( "OR" and_expr )*
//! and_expr := unary ( ["AND"] unary )*        // AND is the default operator
//! unary    := ("NOT" | "-") unary | primary [boost]
//! primary  := "(" or_expr ")" | clause
//! clause   := "*" | "@" ENTITY | [FIELD ":"] VALUE
//! boost    := "^" NUMBER                      // attached directly: word^2, "a b"^1.5, (a b)^3
//! ```
//!
//! * `AND`, `OR` and `NOT` are operators only in uppercase and as standalone
//!   words; `&&`, `||` and `!` are accepted as synonyms. Lowercase `and` / `or`
//!   are ordinary words.
//! * A `-` at the start of a token negates what directly follows it (`-word`,
//!   `-(a b)`, `-"a b"`, `-gene:5133`); inside a word it is literal (`PD-L1`).
//! * `(` opens a group only at the start of a token; `)` always ends the
//!   current word or value.
//! * `FIELD:VALUE`: the field is the part of a bare token before its first `:`
//!   when that part is an ASCII identifier (letter first, then letters, digits
//!   or `_`). The value runs to the next whitespace or `)` and may contain
//!   further colons (`disease:MESH:D009369`), or is a quoted string. Field names
//!   are *not* validated here; the caller does that using [`Field::pos`].
//! * `@ENTITY` (PubTator3 shorthand such as `@GENE_PDCD1`) becomes [`Clause::At`].
//! * A bare token ends in a boost only if its last `^` is followed by a number
//!   (`[0-9]+(\.[0-9]+)?`). A numeric-looking but malformed suffix (`a^`,
//!   `a^-1`, `a^0`, `a^1.`) is an error; any other `^` is part of the word.
//!
//! All positions (in errors and in the AST) are 0-based **character** indices
//! into the query, not byte offsets. The parser never panics, runs in time
//! linear in the input, and rejects nesting (groups plus negations) deeper than
//! [`MAX_DEPTH`].

use std::fmt;

/// Maximum nesting depth of groups and negations (`(`, `NOT`, `-`) combined.
pub const MAX_DEPTH: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// All children must match. Chains are flattened: `a AND b c` is `And([a, b, c])`.
    And(Vec<Node>),
    /// At least one child must match. Chains are flattened.
    Or(Vec<Node>),
    /// The child must not match (`NOT x`, `-x`).
    Not(Box<Node>),
    /// The child with a relevance boost (`x^2`); the factor is finite and > 0.
    Boost(Box<Node>, f32),
    /// A leaf clause.
    Clause(Clause),
}

/// A leaf of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `*`: matches every document.
    All {
        /// Character position of the `*`.
        pos: usize,
    },
    /// A word or phrase, optionally restricted to a field.
    Term {
        /// The field prefix (`gene` in `gene:5133`), if any.
        field: Option<Field>,
        /// The value with quotes removed and escapes resolved.
        text: String,
        /// Whether the value was written as a quoted string.
        quoted: bool,
        /// Character position where the value starts (its opening quote if
        /// quoted). Without a field this is where the clause starts; with a
        /// field the clause starts at [`Field::pos`].
        pos: usize,
    },
    /// PubTator3 entity shorthand: `@GENE_PDCD1` has text `GENE_PDCD1`.
    At {
        /// The text after the `@`.
        text: String,
        /// Character position of the `@`.
        pos: usize,
    },
}

/// A field prefix as written by the user (not validated by the parser).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Field name in its original case, without the `:`.
    pub name: String,
    /// Character position of the first character of the name.
    pub pos: usize,
}

/// A syntax error with the character position where it was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 0-based character index into the query (may equal the query's length
    /// for errors at the end of input).
    pub position: usize,
    /// Human-readable description of the problem.
    pub message: String,
}

impl ParseError {
    fn new(position: usize, message: impl Into<String>) -> Self {
        ParseError {
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.position)
    }
}

impl std::error::Error for ParseError {}

pub use crate::error::caret;

/// Parses a user query into a [`Node`] tree.
///
/// Returns a [`ParseError`] for empty queries, unterminated quotes, unbalanced
/// parentheses, empty groups, operators missing an operand, empty field
/// values, a lone `@`, malformed boosts and nesting deeper than [`MAX_DEPTH`].
pub fn parse(query: &str) -> Result<Node, ParseError> {
    let chars: Vec<char> = query.chars().collect();
    let mut toks = lex(&chars)?;
    toks.reverse();
    let mut parser = Parser {
        toks,
        depth: 0,
        end: chars.len(),
    };
    let node = parser.parse_or(Ctx::Start)?;
    match parser.toks.pop() {
        None => Ok(node),
        // parse_or only stops early at a `)` it cannot match.
        Some(tok) => Err(ParseError::new(tok.pos, "unmatched ')'")),
    }
}

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Tok {
    LParen,
    RParen(Option<f32>),
    And(&'static str),
    Or(&'static str),
    Not(&'static str),
    Clause(Clause, Option<f32>),
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    pos: usize,
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

fn lex(chars: &[char]) -> Result<Vec<Token>, ParseError> {
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
            '"' => {
                let (text, next) = lex_quoted(chars, i)?;
                if text.trim().is_empty() {
                    return Err(ParseError::new(i, "empty phrase"));
                }
                let (boost, next) = lex_boost_after(chars, next)?;
                let clause = Clause::Term {
                    field: None,
                    text,
                    quoted: true,
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
    let numeric_looking = match suffix.chars().next() {
        None => true,
        Some(c) => c.is_ascii_digit() || matches!(c, '-' | '+' | '.'),
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
        let field = Field {
            name: collect(chars, start, j),
            pos: start,
        };
        return lex_field_value(chars, field, j + 1, toks);
    }

    let end = word_end(chars, start);
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
        (Clause::At { text, pos: start }, boost)
    } else {
        let (text_end, boost) = split_boost(chars, start, end)?;
        let text = collect(chars, start, text_end);
        let clause = if text == "*" {
            Clause::All { pos: start }
        } else {
            Clause::Term {
                field: None,
                text,
                quoted: false,
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
        Some('"') => {
            let (text, next) = lex_quoted(chars, vstart)?;
            if text.trim().is_empty() {
                return Err(missing_value(&field, vstart));
            }
            let (boost, next) = lex_boost_after(chars, next)?;
            let clause = Clause::Term {
                field: Some(field),
                text,
                quoted: true,
                pos: vstart,
            };
            toks.push(Token {
                tok: Tok::Clause(clause, boost),
                pos: token_pos,
            });
            Ok(next)
        }
        Some(_) => {
            let end = word_end(chars, vstart);
            let (text_end, boost) = split_boost(chars, vstart, end)?;
            let clause = Clause::Term {
                field: Some(field),
                text: collect(chars, vstart, text_end),
                quoted: false,
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

fn missing_value(field: &Field, pos: usize) -> ParseError {
    ParseError::new(pos, format!("missing value after '{}:'", field.name))
}

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

/// What precedes the operand being parsed (for error messages).
#[derive(Clone, Copy)]
enum Ctx {
    /// Start of the query.
    Start,
    /// Just after the `(` at this position.
    Group(usize),
    /// Just after this operator.
    After(&'static str),
}

struct Parser {
    /// Remaining tokens in reverse order (next token is last).
    toks: Vec<Token>,
    depth: usize,
    /// Length of the query in chars (position of end-of-input errors).
    end: usize,
}

fn boosted(node: Node, boost: Option<f32>) -> Node {
    match boost {
        Some(b) => Node::Boost(Box::new(node), b),
        None => node,
    }
}

fn collapse(mut items: Vec<Node>, wrap: fn(Vec<Node>) -> Node) -> Node {
    if items.len() == 1 {
        if let Some(only) = items.pop() {
            return only;
        }
    }
    wrap(items)
}

fn too_deep(pos: usize) -> ParseError {
    ParseError::new(
        pos,
        format!("query is nested too deeply (maximum depth is {MAX_DEPTH})"),
    )
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.last().map(|t| &t.tok)
    }

    fn parse_or(&mut self, ctx: Ctx) -> Result<Node, ParseError> {
        let mut items = vec![self.parse_and(ctx)?];
        while let Some(Tok::Or(op)) = self.peek() {
            let op = *op;
            self.toks.pop();
            items.push(self.parse_and(Ctx::After(op))?);
        }
        Ok(collapse(items, Node::Or))
    }

    fn parse_and(&mut self, ctx: Ctx) -> Result<Node, ParseError> {
        let mut items = vec![self.parse_unary(ctx)?];
        loop {
            match self.peek() {
                Some(Tok::And(op)) => {
                    let op = *op;
                    self.toks.pop();
                    items.push(self.parse_unary(Ctx::After(op))?);
                }
                // Juxtaposition: implicit AND.
                Some(Tok::LParen | Tok::Not(_) | Tok::Clause(..)) => {
                    items.push(self.parse_unary(Ctx::Start)?);
                }
                _ => break,
            }
        }
        Ok(collapse(items, Node::And))
    }

    fn parse_unary(&mut self, ctx: Ctx) -> Result<Node, ParseError> {
        // Negations are handled iteratively so that long chains cannot
        // overflow the stack; they still count towards MAX_DEPTH.
        let mut ctx = ctx;
        let mut nots = 0usize;
        while let Some(Token {
            tok: Tok::Not(op),
            pos,
        }) = self.toks.last()
        {
            let (op, pos) = (*op, *pos);
            if self.depth >= MAX_DEPTH {
                return Err(too_deep(pos));
            }
            self.toks.pop();
            self.depth += 1;
            nots += 1;
            ctx = Ctx::After(op);
        }
        let mut node = self.parse_primary(ctx)?;
        self.depth = self.depth.saturating_sub(nots);
        for _ in 0..nots {
            node = Node::Not(Box::new(node));
        }
        Ok(node)
    }

    fn parse_primary(&mut self, ctx: Ctx) -> Result<Node, ParseError> {
        let Some(Token { tok, pos }) = self.toks.pop() else {
            return Err(match ctx {
                Ctx::Start => ParseError::new(0, "empty query"),
                Ctx::Group(open) => ParseError::new(open, "unclosed '('"),
                Ctx::After(op) => {
                    ParseError::new(self.end, format!("missing operand after '{op}'"))
                }
            });
        };
        match tok {
            Tok::Clause(clause, boost) => Ok(boosted(Node::Clause(clause), boost)),
            Tok::LParen => {
                if self.depth >= MAX_DEPTH {
                    return Err(too_deep(pos));
                }
                self.depth += 1;
                let inner = self.parse_or(Ctx::Group(pos))?;
                self.depth = self.depth.saturating_sub(1);
                match self.toks.pop() {
                    Some(Token {
                        tok: Tok::RParen(boost),
                        ..
                    }) => Ok(boosted(inner, boost)),
                    _ => Err(ParseError::new(pos, "unclosed '('")),
                }
            }
            Tok::RParen(_) => Err(match ctx {
                Ctx::Start => ParseError::new(pos, "unmatched ')'"),
                Ctx::Group(open) => ParseError::new(open, "empty group '()'"),
                Ctx::After(op) => ParseError::new(pos, format!("missing operand after '{op}'")),
            }),
            Tok::And(found) | Tok::Or(found) | Tok::Not(found) => Err(match ctx {
                Ctx::After(op) => ParseError::new(pos, format!("missing operand after '{op}'")),
                _ => ParseError::new(pos, format!("missing operand before '{found}'")),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compact rendering of a tree without positions, for readable assertions.
    fn show(node: &Node) -> String {
        let join = |v: &[Node]| v.iter().map(show).collect::<Vec<_>>().join(", ");
        match node {
            Node::And(v) => format!("AND({})", join(v)),
            Node::Or(v) => format!("OR({})", join(v)),
            Node::Not(x) => format!("NOT({})", show(x)),
            Node::Boost(x, b) => format!("{}^{b}", show(x)),
            Node::Clause(Clause::All { .. }) => "*".to_string(),
            Node::Clause(Clause::At { text, .. }) => format!("@{text}"),
            Node::Clause(Clause::Term {
                field,
                text,
                quoted,
                ..
            }) => {
                let value = if *quoted {
                    format!("{text:?}")
                } else {
                    text.clone()
                };
                match field {
                    Some(f) => format!("{}:{value}", f.name),
                    None => value,
                }
            }
        }
    }

    fn p(query: &str) -> String {
        match parse(query) {
            Ok(node) => show(&node),
            Err(e) => panic!("{query:?} failed to parse: {e}"),
        }
    }

    /// (position, message) of the error for `query`.
    fn err(query: &str) -> (usize, String) {
        match parse(query) {
            Ok(node) => panic!("{query:?} parsed unexpectedly as {}", show(&node)),
            Err(e) => (e.position, e.message),
        }
    }

    fn err_pos(query: &str) -> usize {
        err(query).0
    }

    fn term(text: &str, pos: usize) -> Node {
        Node::Clause(Clause::Term {
            field: None,
            text: text.to_string(),
            quoted: false,
            pos,
        })
    }

    // ----- operators and precedence -----

    #[test]
    fn juxtaposition_is_and() {
        assert_eq!(p("a b c"), "AND(a, b, c)");
        assert_eq!(
            parse("a  b").unwrap(),
            Node::And(vec![term("a", 0), term("b", 3)])
        );
    }

    #[test]
    fn explicit_and_is_flattened() {
        assert_eq!(p("a AND b AND c"), "AND(a, b, c)");
        assert_eq!(p("a AND b c"), "AND(a, b, c)");
        assert_eq!(p("a && b"), "AND(a, b)");
    }

    #[test]
    fn or_is_flattened() {
        assert_eq!(p("a OR b OR c"), "OR(a, b, c)");
        assert_eq!(p("a || b"), "OR(a, b)");
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(p("a OR b c"), "OR(a, AND(b, c))");
        assert_eq!(p("a b OR c"), "OR(AND(a, b), c)");
        assert_eq!(p("a AND b OR c AND d"), "OR(AND(a, b), AND(c, d))");
    }

    #[test]
    fn single_element_collapses() {
        assert_eq!(parse("a").unwrap(), term("a", 0));
        assert_eq!(parse("  a  ").unwrap(), term("a", 2));
    }

    #[test]
    fn lowercase_operators_are_words() {
        assert_eq!(p("a and b or c not d"), "AND(a, and, b, or, c, not, d)");
        assert_eq!(p("And Or"), "AND(And, Or)");
    }

    // ----- negation -----

    #[test]
    fn not_and_minus() {
        assert_eq!(p("NOT a"), "NOT(a)");
        assert_eq!(p("-a"), "NOT(a)");
        assert_eq!(p("! a"), "NOT(a)");
        assert_eq!(p("NOT NOT a"), "NOT(NOT(a))");
        assert_eq!(p("--a"), "NOT(NOT(a))");
        assert_eq!(p("-(a OR b)"), "NOT(OR(a, b))");
        assert_eq!(p("-\"a b\""), "NOT(\"a b\")");
        assert_eq!(p("-gene:5133"), "NOT(gene:5133)");
        assert_eq!(p("-@GENE_X"), "NOT(@GENE_X)");
        assert_eq!(
            parse("-a").unwrap(),
            Node::Not(Box::new(term("a", 1))),
            "the term starts after the '-'"
        );
    }

    #[test]
    fn not_is_unary_and_joined_by_default_and() {
        assert_eq!(p("a NOT b"), "AND(a, NOT(b))");
        assert_eq!(p("a AND NOT b"), "AND(a, NOT(b))");
        assert_eq!(p("a -b"), "AND(a, NOT(b))");
        assert_eq!(p("NOT a b"), "AND(NOT(a), b)");
        assert_eq!(p("NOT a OR b"), "OR(NOT(a), b)");
    }

    #[test]
    fn hyphen_inside_word_is_literal() {
        assert_eq!(p("PD-L1 IL-6"), "AND(PD-L1, IL-6)");
        assert_eq!(p("a-"), "a-");
        assert_eq!(p("-PD-L1"), "NOT(PD-L1)");
    }

    // ----- groups -----

    #[test]
    fn parentheses() {
        assert_eq!(p("(a OR b) c"), "AND(OR(a, b), c)");
        assert_eq!(p("a (b OR c)"), "AND(a, OR(b, c))");
        assert_eq!(p("((a))"), "a");
        assert_eq!(p("a (b c)"), "AND(a, AND(b, c))");
        assert_eq!(p("(a)(b)"), "AND(a, b)");
        assert_eq!(p("( a OR b )"), "OR(a, b)");
    }

    #[test]
    fn open_paren_inside_word_is_literal() {
        assert_eq!(p("a(b"), "a(b");
    }

    #[test]
    fn close_paren_ends_field_value() {
        assert_eq!(p("(gene:5133)"), "gene:5133");
        assert_eq!(p("(a OR gene:5133) b"), "AND(OR(a, gene:5133), b)");
    }

    #[test]
    fn nesting_up_to_max_depth_is_allowed() {
        let q = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(p(&q), "a");
        let q = format!("{}a", "-".repeat(MAX_DEPTH));
        assert!(parse(&q).is_ok());
    }

    // ----- phrases -----

    #[test]
    fn phrases() {
        assert_eq!(p("\"breast cancer\""), "\"breast cancer\"");
        assert_eq!(
            parse("x \"a b\"").unwrap(),
            Node::And(vec![
                term("x", 0),
                Node::Clause(Clause::Term {
                    field: None,
                    text: "a b".into(),
                    quoted: true,
                    pos: 2,
                }),
            ])
        );
        // Operators and parentheses inside quotes are literal.
        assert_eq!(p("\"a OR (b\""), "\"a OR (b\"");
    }

    #[test]
    fn escaped_quotes_and_backslashes() {
        let node = parse(r#""say \"hi\" \\ ok""#).unwrap();
        let Node::Clause(Clause::Term { text, quoted, .. }) = node else {
            panic!("expected a term");
        };
        assert_eq!(text, r#"say "hi" \ ok"#);
        assert!(quoted);
        // Other backslashes are kept as written.
        let node = parse(r#""a\b""#).unwrap();
        assert!(matches!(node, Node::Clause(Clause::Term { ref text, .. }) if text == r"a\b"));
    }

    // ----- fields -----

    #[test]
    fn field_values_may_contain_colons_and_punctuation() {
        assert_eq!(p("disease:MESH:D009369"), "disease:MESH:D009369");
        assert_eq!(
            p("rel:Negative_Correlation|gene:5133|Disease"),
            "rel:Negative_Correlation|gene:5133|Disease"
        );
        assert_eq!(
            p("variant:tmVar:p|SUB|V|600|E;HGVS:p.V600E"),
            "variant:tmVar:p|SUB|V|600|E;HGVS:p.V600E"
        );
        assert_eq!(p("variant:c.1799T>A"), "variant:c.1799T>A");
        assert_eq!(p("chem:#1.5"), "chem:#1.5");
        assert_eq!(p("x:a(b"), "x:a(b");
    }

    #[test]
    fn field_positions_and_case() {
        assert_eq!(
            parse("x Gene:5133").unwrap(),
            Node::And(vec![
                term("x", 0),
                Node::Clause(Clause::Term {
                    field: Some(Field {
                        name: "Gene".into(),
                        pos: 2
                    }),
                    text: "5133".into(),
                    quoted: false,
                    pos: 7,
                }),
            ])
        );
    }

    #[test]
    fn quoted_field_value() {
        assert_eq!(
            parse("title:\"a (b) OR c\"").unwrap(),
            Node::Clause(Clause::Term {
                field: Some(Field {
                    name: "title".into(),
                    pos: 0
                }),
                text: "a (b) OR c".into(),
                quoted: true,
                pos: 6,
            })
        );
    }

    #[test]
    fn invalid_field_name_makes_a_plain_word() {
        assert_eq!(p("1:2"), "1:2");
        assert_eq!(p("_a:b"), "_a:b");
        assert_eq!(p("a-b:c"), "a-b:c");
        assert_eq!(p(":x"), ":x");
        assert_eq!(p("http://x"), "http://x");
        assert!(matches!(
            parse("http://x").unwrap(),
            Node::Clause(Clause::Term { field: Some(ref f), .. }) if f.name == "http"
        ));
        assert!(matches!(
            parse("1:2").unwrap(),
            Node::Clause(Clause::Term { field: None, .. })
        ));
    }

    // ----- special clauses -----

    #[test]
    fn at_entity_shorthand() {
        assert_eq!(
            parse("a @GENE_PDCD1").unwrap(),
            Node::And(vec![
                term("a", 0),
                Node::Clause(Clause::At {
                    text: "GENE_PDCD1".into(),
                    pos: 2
                }),
            ])
        );
        assert_eq!(p("@DISEASE_Neoplasms"), "@DISEASE_Neoplasms");
        assert_eq!(p("gene:@x"), "gene:@x");
    }

    #[test]
    fn star_matches_all() {
        assert_eq!(parse("*").unwrap(), Node::Clause(Clause::All { pos: 0 }));
        assert_eq!(p("* -a"), "AND(*, NOT(a))");
        assert_eq!(p("a*"), "a*");
        assert_eq!(p("gene:*"), "gene:*");
    }

    // ----- boosts -----

    #[test]
    fn boosts() {
        assert_eq!(p("word^2"), "word^2");
        assert_eq!(
            parse("word^2").unwrap(),
            Node::Boost(Box::new(term("word", 0)), 2.0)
        );
        assert_eq!(p("\"a b\"^1.5"), "\"a b\"^1.5");
        assert_eq!(p("(a b)^3"), "AND(a, b)^3");
        assert_eq!(p("gene:5133^2"), "gene:5133^2");
        assert_eq!(p("title:\"a b\"^2"), "title:\"a b\"^2");
        assert_eq!(p("@GENE_X^2"), "@GENE_X^2");
        assert_eq!(p("*^2"), "*^2");
        assert_eq!(p("a^2 b"), "AND(a^2, b)");
        assert_eq!(p("-a^2"), "NOT(a^2)");
        assert_eq!(p("(a^2)^3"), "a^2^3");
    }

    #[test]
    fn caret_that_is_not_a_boost_stays_in_the_word() {
        assert_eq!(p("a^x"), "a^x");
        assert_eq!(p("a^b^2"), "a^b^2");
        assert_eq!(parse("a^b^2").unwrap(), {
            Node::Boost(Box::new(term("a^b", 0)), 2.0)
        });
        assert_eq!(p("^2"), "^2");
    }

    // ----- unicode -----

    #[test]
    fn unicode_words_and_char_positions() {
        assert_eq!(p("TNF-α"), "TNF-α");
        assert_eq!(
            parse("α β").unwrap(),
            Node::And(vec![term("α", 0), term("β", 2)])
        );
        // ')' is char 6 but byte 7.
        assert_eq!(err("TNF-α )"), (6, "unmatched ')'".to_string()));
        assert_eq!(err_pos("αβγ AND"), 7);
    }

    // ----- errors, one per kind, with exact positions -----

    #[test]
    fn error_empty_query() {
        assert_eq!(err(""), (0, "empty query".to_string()));
        assert_eq!(err("  \t\n"), (0, "empty query".to_string()));
    }

    #[test]
    fn error_unterminated_quote() {
        assert_eq!(err_pos("a \"b c"), 2);
        assert_eq!(err_pos("gene:\"b"), 5);
        assert_eq!(err_pos("\"abc\\\""), 0);
        assert!(err("\"x").1.contains("unterminated"));
    }

    #[test]
    fn error_empty_phrase() {
        assert_eq!(err("a \"\""), (2, "empty phrase".to_string()));
        assert_eq!(err_pos("\"  \""), 0);
    }

    #[test]
    fn error_unclosed_paren() {
        assert_eq!(err("a (b"), (2, "unclosed '('".to_string()));
        assert_eq!(err_pos("(a (b)"), 0);
        assert_eq!(err_pos("("), 0);
    }

    #[test]
    fn error_unmatched_close_paren() {
        assert_eq!(err("a b)"), (3, "unmatched ')'".to_string()));
        assert_eq!(err_pos(")"), 0);
        assert_eq!(err_pos("(a))"), 3);
    }

    #[test]
    fn error_empty_group() {
        assert_eq!(err("a ()"), (2, "empty group '()'".to_string()));
        assert_eq!(err_pos("( )"), 0);
    }

    #[test]
    fn error_missing_operand() {
        assert_eq!(err("a AND"), (5, "missing operand after 'AND'".to_string()));
        assert_eq!(err("OR b"), (0, "missing operand before 'OR'".to_string()));
        assert_eq!(err("NOT"), (3, "missing operand after 'NOT'".to_string()));
        assert_eq!(
            err("a OR OR b"),
            (5, "missing operand after 'OR'".to_string())
        );
        assert_eq!(err_pos("(a OR)"), 5);
        assert_eq!(err_pos("(AND a)"), 1);
        assert_eq!(err_pos("a NOT"), 5);
        assert_eq!(err_pos("NOT OR a"), 4);
    }

    #[test]
    fn error_dangling_minus() {
        let (pos, msg) = err("-");
        assert_eq!(pos, 0);
        assert!(msg.contains("'-'"));
        assert_eq!(err_pos("a - b"), 2);
        assert_eq!(err_pos("(a -)"), 3);
        assert_eq!(err_pos("-AND b"), 1);
    }

    #[test]
    fn error_empty_field_value() {
        assert_eq!(err("gene:"), (5, "missing value after 'gene:'".to_string()));
        assert_eq!(err_pos("gene: 5133"), 5);
        assert_eq!(err_pos("(gene:)"), 6);
        assert_eq!(err_pos("x gene:\"\""), 7);
    }

    #[test]
    fn error_lone_at() {
        assert_eq!(err_pos("a @"), 2);
        assert_eq!(err_pos("@ b"), 0);
        assert_eq!(err_pos("(@)"), 1);
    }

    #[test]
    fn error_bad_boost() {
        assert_eq!(err("a^"), (1, "missing boost value after '^'".to_string()));
        assert_eq!(err_pos("a^-1"), 1);
        assert_eq!(err_pos("a^0"), 1);
        assert_eq!(err_pos("a^0.0"), 1);
        assert_eq!(err_pos("a^1."), 1);
        assert_eq!(err_pos("a^1.5.2"), 1);
        assert_eq!(err_pos("a^1e3"), 1);
        assert_eq!(err_pos("gene:5133^"), 9);
        assert_eq!(err_pos("\"a\"^x"), 3);
        assert_eq!(err_pos("(a)^"), 3);
        assert_eq!(err_pos("(a)^-2"), 3);
        assert_eq!(err_pos(&format!("a^{}", "9".repeat(60))), 1, "inf");
    }

    #[test]
    fn error_too_deep() {
        let q = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        let (pos, msg) = err(&q);
        assert_eq!(pos, MAX_DEPTH);
        assert!(msg.contains("nested too deeply"));
        assert_eq!(
            err_pos(&format!("{}a", "-".repeat(MAX_DEPTH + 1))),
            MAX_DEPTH
        );
        // Negations and groups count together: 64 groups plus one NOT.
        let q = format!("{}NOT a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(err_pos(&q), MAX_DEPTH);
    }

    // ----- error rendering -----

    #[test]
    fn display_and_caret() {
        let e = parse("a AND").unwrap_err();
        assert_eq!(e.to_string(), "missing operand after 'AND' at position 5");
        let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
        assert_eq!(boxed.to_string(), e.to_string());
        assert_eq!(caret("a AND", 5), "a AND\n     ^");
        assert_eq!(caret("α\tb", 2), "α b\n  ^");
        assert_eq!(caret("ab", 99), "ab\n  ^");
        assert_eq!(caret("", 0), "\n^");
    }

    // ----- robustness -----

    #[test]
    fn pathological_inputs_do_not_panic_or_hang() {
        let n = 200_000;
        assert!(parse(&"(".repeat(n)).is_err());
        assert!(parse(&")".repeat(n)).is_err());
        assert!(parse(&format!("{}a", "-".repeat(n))).is_err());
        assert!(parse(&format!("{}a", "NOT ".repeat(n))).is_err());
        assert!(parse(&"a ".repeat(n)).is_ok());
        assert!(parse(&"a OR ".repeat(n)).is_err());
        assert!(parse(&"x".repeat(n)).is_ok());
        assert!(
            parse(&"^".repeat(n)).is_err(),
            "trailing ^ is a missing boost"
        );
        assert!(parse(&format!("a^{}", "1".repeat(n))).is_err());
        assert!(parse(&"\"".repeat(n + 1)).is_err());
        assert!(parse(&"a:".repeat(n)).is_ok());
        assert!(parse("\0 a\0b \u{feff} \u{10ffff}").is_ok());
    }

    #[test]
    fn never_panics_on_random_input() {
        const ALPHABET: [char; 18] = [
            '(', ')', '"', '\\', ':', '^', '-', '@', '*', 'a', 'A', 'N', 'D', 'O', 'R', 'T', '|',
            ' ',
        ];
        let mut alphabet = ALPHABET.to_vec();
        alphabet.extend(['α', ' ', '1', '.']);
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut ok = 0;
        for _ in 0..5000 {
            let len = (next() % 24) as usize;
            let query: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            match parse(&query) {
                Ok(_) => ok += 1,
                Err(e) => {
                    assert!(
                        e.position <= query.chars().count(),
                        "{query:?}: position {} out of range",
                        e.position
                    );
                    let _ = caret(&query, e.position);
                }
            }
        }
        assert!(ok > 0, "some random queries should parse");
    }
}
