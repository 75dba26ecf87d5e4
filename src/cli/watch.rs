//! `ptsearch watch add|list|rm`, `ptsearch news` and `ptsearch similar`: saved queries and what
//! is new for them (flags → [`crate::watch`]), and related articles (flags →
//! [`crate::search::similar`]).

use super::explore::ListFormat;
use super::format::{search_formats, OutputFormat};
use super::{ColorChoice, EXIT_NO_MATCH, EXIT_OK};
use crate::output::{DocumentSink, HitFormat, HitPrinter};
use crate::watch::{self, NewsDoc, NewsRequest, WatchNews};
use crate::PtIndex;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Arguments of `ptsearch watch`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch watch add braf-melanoma 'gene:673 melanoma'
  ptsearch watch list
  ptsearch watch rm braf-melanoma

A watch's news are the documents matching its query that a later `ptsearch index` run added
(see `ptsearch news`). Watches live in the index directory (watches.json).")]
pub struct WatchArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: WatchAction,
}

/// `watch` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum WatchAction {
    /// Save a query under a name; its news start after the index's last commit.
    Add {
        /// The name (letters, digits, '-', '_', '.').
        name: String,
        /// The query; several arguments are joined with spaces.
        #[arg(required = true, num_args = 1.., value_name = "QUERY", value_parser = super::argv::query_text)]
        query: Vec<String>,
    },
    /// List the watches.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Remove a watch.
    Rm {
        /// Its name.
        name: String,
    },
}

/// Runs `ptsearch watch`.
pub fn run_watch(index_dir: &Path, args: WatchArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    match args.action {
        WatchAction::Add { name, query } => {
            let w = watch::add(&index, &name, &query.join(" "))?;
            eprintln!("added watch '{}': {}", w.name, w.query);
        }
        WatchAction::Rm { name } => {
            let w = watch::remove(&index, &name)?;
            eprintln!("removed watch '{}': {}", w.name, w.query);
        }
        WatchAction::List { format } => {
            let watches = watch::list(&index)?;
            let mut out = std::io::stdout().lock();
            match format {
                ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&watches)?)?,
                ListFormat::Text => {
                    for w in &watches {
                        writeln!(out, "{}\t{}", w.name, w.query)?;
                    }
                }
            }
        }
    }
    Ok(EXIT_OK)
}

/// Arguments of `ptsearch news`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch index pubmed25n1301.xml.gz && ptsearch news
  ptsearch news braf-melanoma --peek --format json
  ptsearch news --since 2026-12-01 --updated

Exit status: 0 when some watch has news, 1 when none has.")]
pub struct NewsArgs {
    /// Only this watch.
    pub name: Option<String>,
    /// Show the news but leave the marks (the next `news` shows them again).
    #[arg(long)]
    pub peek: bool,
    /// Ignore the marks: documents first indexed on or after this day (YYYY-MM-DD, UTC);
    /// leaves the marks.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Also list documents indexed before that only got a new annotation layer.
    #[arg(long)]
    pub updated: bool,
    /// Documents to print per watch (all when not given).
    #[arg(short = 'n', long)]
    pub limit: Option<usize>,
    /// Output format: text, or json (one object per watch, JSON Lines).
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Runs `ptsearch news`.
pub fn run_news(index_dir: &Path, args: NewsArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let since = args.since.as_deref().map(watch::parse_day).transpose()?;
    let request = NewsRequest {
        name: args.name,
        peek: args.peek,
        since,
        updated: args.updated,
        limit: args.limit,
    };
    let all = watch::news(&index, &request)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut any = false;
    for n in &all {
        for w in &n.warnings {
            eprintln!("ptsearch: warning: {}: {w}", n.watch);
        }
        any |= !n.new.is_empty() || !n.updated.is_empty();
        match args.format {
            ListFormat::Json => writeln!(out, "{}", serde_json::to_string(n)?)?,
            ListFormat::Text => write_news(&mut out, n, args.updated)?,
        }
    }
    out.flush()?;
    if all.is_empty() {
        eprintln!("ptsearch: no watches (add one with `ptsearch watch add NAME QUERY`)");
    }
    Ok(if any { EXIT_OK } else { EXIT_NO_MATCH })
}

fn write_news(out: &mut impl Write, n: &WatchNews, updated: bool) -> std::io::Result<()> {
    if n.new.is_empty() && (!updated || n.updated.is_empty()) {
        return writeln!(out, "{}: no news ({})", n.watch, n.query);
    }
    writeln!(out, "{}: {} new ({})", n.watch, n.new.len(), n.query)?;
    write_docs(out, &n.new)?;
    if updated {
        writeln!(out, "{}: {} updated", n.watch, n.updated.len())?;
        write_docs(out, &n.updated)?;
    }
    Ok(())
}

fn write_docs(out: &mut impl Write, docs: &[NewsDoc]) -> std::io::Result<()> {
    for (i, d) in docs.iter().enumerate() {
        let entities: Vec<String> = d
            .entities
            .iter()
            .map(|e| format!("{} {}:{}", e.text, e.entity_type, e.id))
            .collect();
        let date = if d.date.is_empty() {
            String::new()
        } else {
            format!(" ({})", d.date)
        };
        writeln!(out, "  {}. {}{date}  {}", i + 1, d.id, d.title)?;
        if !entities.is_empty() {
            writeln!(out, "     {}", entities.join(", "))?;
        }
    }
    Ok(())
}

/// Arguments of `ptsearch similar`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch similar 31554797
  ptsearch similar 31554797 -n 20 --format json

Related articles, after PubMed's \"Similar articles\": the document's title words (counted
twice), abstract words and entity IDs, each weighted by its rarity in the index; the document
itself is never listed.")]
pub struct SimilarArgs {
    /// Document ID (PMID).
    pub id: String,
    /// Articles to print.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_parser = search_formats(), default_value = "text")]
    pub format: OutputFormat,
    /// When to colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Runs `ptsearch similar`.
pub fn run_similar(index_dir: &Path, args: SimilarArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let Some(result) = crate::search::similar::similar(&index, &args.id, args.limit)? else {
        eprintln!("ptsearch: no document with ID '{}'", args.id);
        return Ok(EXIT_NO_MATCH);
    };
    let out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        OutputFormat::Documents(format) => {
            let mut sink =
                DocumentSink::begin(out, format, &format!("ptsearch similar {}", args.id))?;
            for hit in &result.hits {
                sink.write(&hit.document)?;
            }
            sink.finish()?;
        }
        hit_format => {
            let format = match hit_format {
                OutputFormat::Json => HitFormat::Json,
                OutputFormat::Tsv => HitFormat::Tsv,
                _ => HitFormat::Text(args.color.style_for(&index)),
            };
            let mut printer = HitPrinter::begin(out, format)?;
            for hit in &result.hits {
                printer.hit(hit)?;
            }
            printer.finish(&result.summary)?;
        }
    }
    Ok(if result.hits.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_OK
    })
}
