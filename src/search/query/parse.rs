//! Parser for the ptsearch user query language.
//!
//! The language is modelled on PubMed / Elasticsearch `query_string`:
//!
//! ```text
//! query    := or_expr EOF
//! or_expr  := and_expr ( "OR" and_expr )*
//! and_expr := unary ( ["AND"] unary )*        // AND is the default operator
//! unary    := ("NOT" | "-" | "!") unary | primary [boost]
//! primary  := [FIELD ":"] "(" or_expr ")" | clause
//! clause   := "*" | "@" ENTITY | [FIELD ":"] VALUE | [FIELD ":"] PHRASE [TAG] [slop]
//! slop     := "~" NUMBER                      // a phrase's proximity: "a b"~3
//! boost    := "^" NUMBER                      // attached directly: word^2, "a b"^1.5, (a b)^3
//! ```
//!
//! * `AND`, `OR` and `NOT` are operators only in uppercase and as standalone
//!   words; `&&`, `||` and `!` are accepted as synonyms. Lowercase `and` / `or`
//!   are ordinary words.
//! * A `-` or `!` at the start of a token negates what directly follows it (`-word`,
//!   `-(a b)`, `-"a b"`, `-gene:5133`, `!word`); inside a word it is literal (`PD-L1`).
//! * `"a b"~N` (or PubMed's `"a b"[tiab:~N]`) lets the phrase's words move N positions
//!   ([`Clause::Term::slop`]); a fuzzy word (`word~1`) is an error at its `~`.
//! * `(` opens a group only at the start of a token; `)` always ends the
//!   current word or value.
//! * `FIELD:VALUE`: the field is the part of a bare token before its first `:`
//!   when that part is an ASCII identifier (letter first, then letters, digits
//!   or `_`). The value runs to the next whitespace or `)` and may contain
//!   further colons (`disease:MESH:D009369`) and bracketed parts
//!   (`gene:54702(Tax:10116)`), or is a quoted string. Field names are *not*
//!   validated here; the caller does that using [`Field::pos`].
//! * `FIELD:=VALUE` marks the value literal ([`Field::literal`]): `disease:=D009369` is that
//!   ID only, not the narrower concepts a vocabulary expands it to (PubMed's `[mh:noexp]`).
//! * `FIELD:(...)` is a field group: the field applies to every term inside
//!   written without a field (`title:(cancer OR tumor)`, `-gene:(673 5133)`).
//! * `sentence:(...)` (alias `sent:(...)`) is a sentence group ([`Node::Sentence`]): its
//!   clauses must match within one sentence.
//! * In `rel:` / `relations:` values, spaces around `|` are allowed
//!   (`rel:Association | gene:673 | Disease` is one value).
//! * `@ENTITY` (PubTator3 shorthand such as `@GENE_PDCD1`) becomes [`Clause::At`].
//! * A bare token ends in a boost only if its last `^` is followed by a number
//!   (`[0-9]+(\.[0-9]+)?`). A malformed suffix where a number belongs (`a^`,
//!   `a^-1`, `a^0`, `a^1.`, `a^x`) is an error; a `^` followed by other
//!   characters (`a^b-c`) is part of the word.
//!
//! All positions (in errors and in the AST) are 0-based **character** indices
//! into the query, not byte offsets. The parser never panics, runs in time
//! linear in the input, and rejects nesting (groups plus negations) deeper than
//! [`MAX_DEPTH`].

pub use super::ast::{Clause, Field, Node, ParseError, MAX_DEPTH, SENTENCE_FIELDS};
use super::lex::{lex, Tok, Token};

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

/// Gives `field` to every term of `node` written without one (`title:(a OR b)`).
fn with_field(node: Node, field: &Field) -> Node {
    match node {
        Node::And(v) => Node::And(v.into_iter().map(|n| with_field(n, field)).collect()),
        Node::Or(v) => Node::Or(v.into_iter().map(|n| with_field(n, field)).collect()),
        Node::Not(n) => Node::Not(Box::new(with_field(*n, field))),
        Node::Boost(n, b) => Node::Boost(Box::new(with_field(*n, field)), b),
        Node::Sentence(n, pos) => Node::Sentence(Box::new(with_field(*n, field)), pos),
        Node::Clause(Clause::Term {
            field: None,
            text,
            quoted,
            slop,
            pos,
        }) => Node::Clause(Clause::Term {
            field: Some(field.clone()),
            text,
            quoted,
            slop,
            pos,
        }),
        other => other,
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
                Some(Tok::LParen | Tok::Not(_) | Tok::Clause(..) | Tok::FieldGroup(_)) => {
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
            // The lexer emits the group's `(` right after the field.
            Tok::FieldGroup(field)
                if SENTENCE_FIELDS
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(&field.name)) =>
            {
                Ok(Node::Sentence(
                    Box::new(self.parse_primary(ctx)?),
                    field.pos,
                ))
            }
            Tok::FieldGroup(field) => Ok(with_field(self.parse_primary(ctx)?, &field)),
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
#[path = "parse_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "parse_group_tests.rs"]
mod group_tests;

#[cfg(test)]
mod literal_tests {
    use super::*;

    fn only_clause(q: &str) -> (Field, String, usize) {
        match parse(q).unwrap() {
            Node::Clause(Clause::Term {
                field: Some(f),
                text,
                pos,
                ..
            }) => (f, text, pos),
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn equals_after_the_colon_marks_the_value_literal() {
        let (f, text, pos) = only_clause("disease:=D009369");
        assert!(f.literal);
        assert_eq!(
            (f.name.as_str(), text.as_str(), pos),
            ("disease", "D009369", 9)
        );
        let (f, text, _) = only_clause("disease:D009369");
        assert!(!f.literal);
        assert_eq!(text, "D009369");
        let (f, text, _) = only_clause("mh:=\"Neoplasms\"");
        assert!(f.literal);
        assert_eq!(text, "Neoplasms");
    }

    #[test]
    fn a_lone_or_inner_equals_sign_is_part_of_the_value() {
        let (f, text, _) = only_clause("disease:=");
        assert!(!f.literal, "a lone '=' is the value itself");
        assert_eq!(text, "=");
        let (f, text, _) = only_clause("x:a=b");
        assert!(!f.literal);
        assert_eq!(text, "a=b");
        let (f, text, _) = only_clause("x:==1");
        assert!(f.literal);
        assert_eq!(text, "=1");
        // In a group the mark applies to nothing: the field group keeps its terms as written.
        let Node::And(v) = parse("a disease:=D1 b").unwrap() else {
            panic!()
        };
        assert_eq!(v.len(), 3);
    }
}
