//! The query language: [`parse()`](parse::parse) turns the user's string into an AST
//! ([`ast`], positions in chars) through the lexer (`lex`); [`compile()`](compile::compile)
//! turns the AST into a tantivy query, resolving entity names through the index's mention
//! dictionary and recording what to highlight.

pub mod ast;
pub mod compile;
mod lex;
pub mod metadata;
pub mod parse;

pub use compile::{compile, CompiledQuery, EntityTarget, Resolution};
