//! `ptsearch show`, `ptsearch entities` and `ptsearch stats`: looking around an index.

use super::format::{show_formats, EntityTypeName, OutputFormat};
use super::{ColorChoice, EXIT_NO_MATCH, EXIT_OK};
use crate::index::find_document;
use crate::index::stats::index_stats;
use crate::output::{json, text, DocumentSink};
use crate::PtIndex;
use std::io::Write;
use std::path::Path;

/// Arguments of `ptsearch show`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  ptsearch show 31554797 --format pubtator")]
pub struct ShowArgs {
    /// Document ID (PMID).
    pub id: String,
    /// Output format.
    #[arg(long, value_parser = show_formats(), default_value = "text")]
    pub format: OutputFormat,
    /// When to colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Runs `ptsearch show`.
pub fn show(index_dir: &Path, args: ShowArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let Some(doc) = find_document(&index, &args.id)? else {
        eprintln!("ptsearch: no document with ID '{}'", args.id);
        return Ok(EXIT_NO_MATCH);
    };
    let style = args.color.style_for(&index);
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Documents(format) => {
            let mut sink = DocumentSink::begin(out, format, "ptsearch show")?;
            sink.write(&doc)?;
            let _ = sink.finish()?;
        }
        OutputFormat::Json => json::write_value(&mut out, &json::ShownDocument::of(&doc))?,
        _ => text::write_document(&mut out, &doc, &style)?,
    }
    std::io::stdout().flush()?;
    Ok(EXIT_OK)
}

/// Arguments of `ptsearch entities`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ptsearch entities pd-l\n  ptsearch entities melanoma --type Disease --format json"
)]
pub struct EntitiesArgs {
    /// The beginning of a mention (case and punctuation are ignored).
    pub text: String,
    /// Only this entity type.
    #[arg(long = "type", value_parser = EntityTypeName)]
    pub entity_type: Option<String>,
    /// Suggestions to print.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Formats of `entities` and `stats`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
}

/// Runs `ptsearch entities`.
pub fn entities(index_dir: &Path, args: EntitiesArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let found = crate::search::entity::suggest(
        &index,
        &args.text,
        args.entity_type.as_deref(),
        args.limit,
    )?;
    let mut out = std::io::stdout().lock();
    for s in &found {
        match args.format {
            ListFormat::Json => json::write_value(&mut out, s)?,
            ListFormat::Text => {
                let forms: Vec<String> = s
                    .mentions
                    .iter()
                    .map(|(m, n)| format!("{m} ({n})"))
                    .collect();
                writeln!(
                    out,
                    "{:<9} {:<22} {:>7} docs  {}",
                    s.entity.entity_type,
                    s.entity.id,
                    s.entity.documents,
                    forms.join(", ")
                )?;
            }
        }
    }
    out.flush()?;
    if found.is_empty() {
        let of_type = args
            .entity_type
            .as_deref()
            .map(|t| format!(" of type {t}"))
            .unwrap_or_default();
        eprintln!(
            "ptsearch: no entity{of_type} of the index has a name or ID starting with '{}'",
            args.text.trim()
        );
    }
    Ok(if found.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_OK
    })
}

/// Arguments of `ptsearch stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Runs `ptsearch stats`.
pub fn stats(index_dir: &Path, args: StatsArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let s = index_stats(&index)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?,
        ListFormat::Text => {
            crate::output::report::write_stats(&mut out, &index_dir.display().to_string(), &s)?
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Arguments of `ptsearch check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Instead of checking, list the annotations kept without a span (their text is not in
    /// the document): document ID, offsets as written, mention, type and ID, tab-separated.
    #[arg(long)]
    pub unresolved: bool,
}

/// Lists every stored annotation without a span, in document-ID order.
fn list_unresolved(index: &PtIndex, format: ListFormat) -> anyhow::Result<i32> {
    let found = crate::search::ranked(index, &crate::search::SearchRequest::export("*"))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if format == ListFormat::Text {
        writeln!(out, "id\tstart\tend\tmention\ttype\tidentifier")?;
    }
    let clean = crate::output::tsv::field;
    let mut n = 0u64;
    for doc in found.documents() {
        let doc = doc?;
        for a in doc.annotations.iter().filter(|a| a.span.is_none()) {
            n += 1;
            match format {
                ListFormat::Json => json::write_value(
                    &mut out,
                    &serde_json::json!({
                        "id": doc.id, "start": a.start, "end": a.end, "mention": a.mention,
                        "type": a.raw_type, "identifier": a.raw_id,
                    }),
                )?,
                ListFormat::Text => writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    clean(&doc.id),
                    a.start,
                    a.end,
                    clean(&a.mention),
                    clean(&a.raw_type),
                    clean(a.raw_id.as_deref().unwrap_or(""))
                )?,
            }
        }
    }
    out.flush()?;
    Ok(if n > 0 { EXIT_OK } else { EXIT_NO_MATCH })
}

/// Runs `ptsearch check`: exit 0 when the index is sound, 1 when a problem was found; with
/// `--unresolved`, lists the annotations without a span instead.
pub fn check(index_dir: &Path, args: CheckArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    if args.unresolved {
        return list_unresolved(&index, args.format);
    }
    let report = crate::index::check::check_index(&index)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        ListFormat::Text => crate::output::report::write_check(&mut out, &report)?,
    }
    out.flush()?;
    Ok(if report.ok() { EXIT_OK } else { EXIT_NO_MATCH })
}
