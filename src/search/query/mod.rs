//! The query language: [`parse()`](parse::parse) turns the user's string into an AST
//! ([`ast`], positions in chars) through the lexer (`lex`); `resolve` reads each clause once
//! (entity names and spellings to IDs through the index's mention dictionary and
//! vocabularies, relation types to relation keys, prefixes to words); [`compile()`](compile::compile)
//! lowers the resolved query to a tantivy query and records what to highlight, and
//! [`crate::search::translate`] lowers it to a Quickwit request.

pub mod ast;
pub mod compile;
mod lex;
pub mod metadata;
pub mod parse;
pub(crate) mod resolve;
pub mod sentence;
mod tags;

pub use compile::{compile, compile_with, CompiledQuery, EntityTarget, RelationTarget, Resolution};
pub use resolve::relation_type_keys;

/// The clause `field:value` written so that the query language reads it back as one value
/// (`gene:673`, `journal:"N Engl J Med"`): the paste-ready form of a facet value. The field is
/// lower-cased; a value with spaces, quotes, brackets or backslashes is quoted.
pub fn clause(field: &str, value: &str) -> String {
    let field = field.to_lowercase();
    if value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '\\'))
    {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{field}:\"{escaped}\"")
    } else {
        format!("{field}:{value}")
    }
}
