//! `--format` values: the hit formats of `search` (text, json, tsv) and `show` (text, json),
//! plus every [`DocumentFormat`] the library knows, so a new document format appears in
//! every subcommand, its help and its completions without touching the CLI.

use crate::names::{parse_named, Named};
use crate::output::DocumentFormat;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// What `search` and `show` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Readable text (coloured on a terminal).
    Text,
    /// JSON (Lines, for `search`).
    Json,
    /// Tab-separated values with a header (`search` only).
    Tsv,
    /// Whole documents.
    Documents(DocumentFormat),
}

fn document_values() -> impl Iterator<Item = PossibleValue> {
    DocumentFormat::ALL
        .into_iter()
        .map(|f| PossibleValue::new(f.name()).help(f.description()))
}

fn parse(name: &str) -> OutputFormat {
    match name {
        "text" => OutputFormat::Text,
        "json" => OutputFormat::Json,
        "tsv" => OutputFormat::Tsv,
        // PossibleValuesParser only lets listed names through.
        other => OutputFormat::Documents(other.parse().unwrap_or(DocumentFormat::Pubtator)),
    }
}

/// `search --format`: text, json, tsv or a document format.
pub fn search_formats() -> impl TypedValueParser<Value = OutputFormat> {
    let hits = [
        PossibleValue::new("text").help("readable blocks (coloured on a terminal)"),
        PossibleValue::new("json").help("JSON Lines: hit lines then a summary line"),
        PossibleValue::new("tsv").help("tab-separated, with a header"),
    ];
    PossibleValuesParser::new(hits.into_iter().chain(document_values())).map(|s| parse(&s))
}

/// `show --format`: text, json or a document format.
pub fn show_formats() -> impl TypedValueParser<Value = OutputFormat> {
    let own = [
        PossibleValue::new("text").help("readable text"),
        PossibleValue::new("json").help("one JSON object: the document and its annotation spans"),
    ];
    PossibleValuesParser::new(own.into_iter().chain(document_values())).map(|s| parse(&s))
}

/// A `--columns` value: TSV columns in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsvColumns(pub Vec<crate::output::tsv::Column>);

/// `--columns`: a TSV column list ([`crate::output::tsv::parse_columns`]).
pub fn tsv_columns(text: &str) -> Result<TsvColumns, String> {
    crate::output::tsv::parse_columns(text).map(TsvColumns)
}

/// A flag whose values are a library option with names ([`Named`]): the library parses (so an
/// unknown value gets the message every front end gives) and the names are the possible values
/// of `--help` and shell completion.
#[derive(Clone)]
pub struct NamedValue<T>(std::marker::PhantomData<T>);

impl<T> NamedValue<T> {
    /// The parser.
    pub fn new() -> Self {
        NamedValue(std::marker::PhantomData)
    }
}

impl<T: Named + Send + Sync + Clone> TypedValueParser for NamedValue<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let s = clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)?;
        parse_named::<T>(&s).map_err(|e| {
            let flag = arg.map(|a| a.get_id().to_string()).unwrap_or_default();
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("--{}: {e}\n", flag.replace('_', "-")),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::names().into_iter().map(PossibleValue::new)))
    }
}

/// `--type` / `--facet-type`: any type name (kept types such as `OTHER` are valid too), with
/// the canonical types offered to shell completion and listed in `--help`.
#[derive(Debug, Clone, Copy)]
pub struct EntityTypeName;

impl TypedValueParser for EntityTypeName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            crate::pubtator::ids::CANONICAL_TYPES
                .into_iter()
                .map(PossibleValue::new),
        ))
    }
}
