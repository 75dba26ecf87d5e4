//! The query language: [`parse()`](parse::parse) turns the user's string into an AST
//! ([`ast`], positions in chars) through the lexer (`lex`); [`compile()`](compile::compile)
//! turns the AST into a tantivy query, resolving entity names through the index's mention
//! dictionary and recording what to highlight.

pub mod ast;
pub mod compile;
mod lex;
pub mod metadata;
pub mod parse;
pub mod sentence;

pub use compile::{
    compile, compile_with, relation_type_keys, CompiledQuery, EntityTarget, RelationTarget,
    Resolution,
};

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
