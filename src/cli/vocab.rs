//! `ptsearch vocab add FILE...`, `vocab list`, `vocab remove KIND`: the index's vocabularies
//! (flags → [`crate::vocab`]).

use super::explore::ListFormat;
use super::EXIT_OK;
use crate::names::parse_named;
use crate::vocab::{AddOptions, AddProgress, VocabInfo, VocabKind};
use crate::PtIndex;
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Arguments of `ptsearch vocab`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch vocab add desc2025.xml supp2025.xml             MeSH descriptors and supplementary records
  ptsearch vocab add gene_info.gz --taxon 9606,10090       NCBI genes of human and mouse
  ptsearch vocab add gene_orthologs.gz --taxon 9606,10090
  ptsearch vocab list
  ptsearch vocab remove mesh-supp

Files are read in the formats NLM and NCBI distribute them (plain or gzip; the kind is read
from the content). A file replaces the vocabulary of its kind; no document is re-indexed.
With MeSH, `disease:D009369` also finds every narrower descriptor and their supplementary
records; `disease:=D009369` finds that ID only.")]
pub struct VocabArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: VocabAction,
}

/// `vocab` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum VocabAction {
    /// Load vocabulary files (MeSH desc/supp XML, NCBI gene_info, gene_orthologs).
    Add {
        /// The files (plain or gzip).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Keep only these NCBI taxa from gene_info and gene_orthologs (comma-separated).
        #[arg(long, value_delimiter = ',')]
        taxon: Vec<u64>,
        /// No progress lines.
        #[arg(long, short)]
        quiet: bool,
    },
    /// The vocabularies of the index: kind, file, version or date, records.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Remove the vocabulary of a kind (mesh-desc, mesh-supp, gene-info, gene-orthologs).
    Remove {
        /// The kind.
        kind: String,
    },
}

/// Runs `ptsearch vocab`.
pub fn run(index_dir: &Path, args: VocabArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    match args.action {
        VocabAction::Add {
            files,
            taxon,
            quiet,
        } => {
            let options = AddOptions { taxa: taxon };
            for file in files {
                let started = Instant::now();
                let mut last = Instant::now();
                let shown = file.display().to_string();
                let mut progress = |p: AddProgress| {
                    if !quiet && last.elapsed() >= Duration::from_secs(5) {
                        last = Instant::now();
                        eprintln!(
                            "{shown}: {} MB of {} MB, {} records",
                            p.bytes >> 20,
                            p.total >> 20,
                            p.records
                        );
                    }
                };
                let info = index
                    .vocab_add(&file, &options, &mut progress)
                    .with_context(|| format!("cannot add vocabulary {shown}"))?;
                if !quiet {
                    eprintln!(
                        "added {} from {} ({} records, version {}) in {:.1} s",
                        info.kind,
                        info.file,
                        info.records,
                        shown_version(&info),
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
        VocabAction::List { format } => {
            let list = crate::vocab::list(&index.path)?;
            let mut out = std::io::stdout().lock();
            match format {
                ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?,
                ListFormat::Text => {
                    writeln!(out, "kind\tfile\tversion\trecords")?;
                    for v in &list {
                        writeln!(
                            out,
                            "{}\t{}\t{}\t{}",
                            v.kind,
                            v.file,
                            shown_version(v),
                            v.records
                        )?;
                    }
                    if list.is_empty() {
                        eprintln!("no vocabulary (add one with `ptsearch vocab add FILE`)");
                    }
                }
            }
        }
        VocabAction::Remove { kind } => {
            let kind: VocabKind = parse_named(&kind)?;
            if crate::vocab::remove(&index.path, kind)? {
                eprintln!("removed {}", kind.name());
            } else {
                eprintln!("no {} vocabulary to remove", kind.name());
            }
        }
    }
    Ok(EXIT_OK)
}

fn shown_version(v: &VocabInfo) -> &str {
    if v.version.is_empty() {
        "-"
    } else {
        &v.version
    }
}
