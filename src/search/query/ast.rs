//! The query AST: what [`parse`](super::parse::parse) produces from the user's string and
//! [`compile`](super::compile::compile) turns into a tantivy query. Positions are 0-based
//! character indices into the query.

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
    /// `sentence:( … )` (alias `sent:`): everything inside must match within one sentence.
    Sentence(Box<Node>, usize),
    /// A leaf clause.
    Clause(Clause),
}

/// Field names of a sentence group (`sentence:(…)`, `sent:(…)`).
pub const SENTENCE_FIELDS: [&str; 2] = ["sentence", "sent"];

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
        /// A quoted phrase's proximity, `"a b"~3`: how many positions its words may move to
        /// match (Lucene's phrase slop); 0 for an exact phrase and for a word.
        slop: u32,
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
    /// `=` right after the colon (`disease:=D009369`): the value means itself only, not
    /// what a vocabulary expands it to (narrower MeSH descriptors, orthologs).
    pub literal: bool,
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
    pub(crate) fn new(position: usize, message: impl Into<String>) -> Self {
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
