//! `ptsearch index`: flags → [`IngestFlags`] → the run's options, then the pipeline with
//! progress and a summary.

use super::format::NamedValue;
use super::progress::{with_progress, Mode};
use super::EXIT_OK;
use crate::index::commit::DocIds;
use crate::ingest::{self, expand_named, Diagnostic, IngestFlags, Progress, Source, TextChoice};
use crate::interop::FormatChoice;
use crate::PtIndex;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// Arguments of `ptsearch index`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ptsearch index corpus.pubtator\n  ptsearch index --index /data/pt dumps/ --threads 2 --memory 1024\n  zcat bioconcepts2pubtator.gz | ptsearch index --source bioconcepts2pubtator -
  ptsearch index ../corpora/                      one annotation layer per file: biored/Train, ..."
)]
pub struct IndexArgs {
    /// Input files or directories; `-` reads stdin. Gzip and zstd are detected by content.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Indexing threads (default: available cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Indexing memory budget in MB.
    #[arg(long, default_value_t = 512)]
    pub memory: usize,
    /// Stop at the first bad line instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// No progress and no per-line warnings (the summary is still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Print at most this many bad-line warnings (all are counted).
    #[arg(long, default_value_t = 1000)]
    pub max_warnings: u64,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Commit a checkpoint after this many documents.
    #[arg(long, default_value_t = 1_000_000)]
    pub commit_every: u64,
    /// Commit a checkpoint after this many seconds.
    #[arg(long, default_value_t = 120)]
    pub commit_interval: u64,
    /// Re-read every input from the start even if an interrupted run over the same inputs
    /// left a checkpoint (by default the run resumes after it).
    #[arg(long)]
    pub no_resume: bool,
    /// Input format; by default each input's format is detected from its content.
    #[arg(long, value_parser = NamedValue::<FormatChoice>::new(), default_value = "auto")]
    pub format: FormatChoice,
    /// Name the annotation layer of every input of this run NAME (default: each input's path
    /// below its directory argument, or its file name, without format and compression
    /// extensions; `stdin` for `-`). Indexing a source again replaces its layer only.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// A document read again replaces the stored one whole, with every other source's
    /// annotations (by default each source keeps its own annotation layer); the summary counts
    /// the layers it dropped.
    #[arg(long)]
    pub replace: bool,
    /// Which text a document keeps when an input brings a different one: `auto` (an annotated
    /// text beats one without annotations, then a title with an abstract beats the whole text
    /// on one line, then the newer wins), `keep` (the stored text), `replace` (the incoming
    /// text). The losing text's annotations are carried onto the winner.
    #[arg(long, value_parser = NamedValue::<TextChoice>::new(), default_value = "auto")]
    pub text: TextChoice,
    /// Attach only the inputs' metadata (journal, year, authors, MeSH, ...) to documents the
    /// index holds: their texts and annotations stay; documents the index lacks are skipped.
    #[arg(long)]
    pub metadata_only: bool,
    /// What the inputs' document IDs are: `pmid` (PubMed IDs) or `local` (the corpus's own
    /// numbering, such as a gold standard's document ordinals: never linked to PubMed). Kept
    /// for the source name until a later run says otherwise.
    #[arg(long, value_name = "KIND", value_parser = NamedValue::<DocIds>::new())]
    pub ids: Option<DocIds>,
    /// Show each input with its detected format and source (layer) name; index nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `ptsearch index`.
pub fn run(index_dir: &Path, args: IndexArgs) -> anyhow::Result<i32> {
    let named = expand_named(&args.inputs)?;
    let options = IngestFlags {
        threads: args.threads,
        memory_mb: args.memory,
        strict: args.strict,
        commit_every: args.commit_every,
        commit_interval_secs: args.commit_interval,
        resume: !args.no_resume,
        format: args.format,
        source: args.source.clone(),
        replace: args.replace,
        text: args.text,
        metadata_only: args.metadata_only,
        ids: args.ids,
    }
    .options(&named);
    let sources: Vec<_> = named.into_iter().map(|(s, _)| s).collect();
    if args.dry_run {
        return dry_run(&sources, &options.source_names, args.format);
    }
    let index = PtIndex::open_or_create(index_dir)
        .with_context(|| format!("opening index {}", index_dir.display()))?;
    let total: Option<u64> = sources.iter().map(|s| s.size()).sum();
    let progress = Progress::default();
    let mut warned = 0u64;
    let quiet = args.quiet;
    let max = args.max_warnings;
    let mut on_problem = |d: Diagnostic<'_>| {
        warned += 1;
        if !quiet && warned <= max {
            eprintln!("{}:{}: {}", d.source, d.problem.line, d.problem.error);
        } else if !quiet && warned == max + 1 {
            eprintln!("ptsearch: more bad lines; further warnings suppressed (see the summary)");
        }
    };
    let summary = with_progress(Mode::detect(args.quiet), total, &progress, || {
        ingest::run(&index, &sources, &options, &progress, &mut on_problem)
    })
    .with_context(|| {
        format!(
            "indexing into {} (the index keeps its last commit)",
            index_dir.display()
        )
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        eprintln!("{summary}");
    }
    Ok(EXIT_OK)
}

/// `--dry-run`: one line per input (path, format, source name) on stdout.
fn dry_run(sources: &[Source], names: &[String], forced: FormatChoice) -> anyhow::Result<i32> {
    println!("input\tformat\tsource");
    for (s, name) in sources.iter().zip(names) {
        let format = if let Some(f) = forced.forced() {
            f.name().to_string()
        } else if *s == Source::Stdin {
            "detected when read".to_string()
        } else {
            ingest::source::detect_format(s)?.map_or("unsupported (skipped)".to_string(), |f| {
                f.name().to_string()
            })
        };
        println!("{}\t{format}\t{name}", s.name());
    }
    Ok(EXIT_OK)
}
