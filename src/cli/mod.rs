//! The command line: clap definitions and one module per subcommand. Nothing outside `cli`
//! knows clap; each subcommand turns its flags into library options once.

pub mod argv;
mod entity;
mod explore;
mod export;
mod format;
mod graph;
mod index;
mod man;
mod optimize;
pub mod progress;
mod relations;
mod search;
mod sentences;
mod serve;
mod sources;
mod translate;
mod vocab;
mod watch;

use crate::output::TextStyle;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Exit status when something matched / the command succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit status when a search matched nothing (like grep).
pub const EXIT_NO_MATCH: i32 = 1;
/// Exit status on an error.
pub const EXIT_ERROR: i32 = 2;
/// Exit status when the index is locked by another writer.
pub const EXIT_LOCKED: i32 = 3;

pub(crate) const EXAMPLES: &str = "\
Examples:
  ptsearch index corpus.pubtator.gz more/           index files and directories (gzip/zstd ok)
  zcat dump.gz | ptsearch index -                   index from stdin
  ptsearch search 'gene:5133 disease:MESH:D009369'  papers with PD1 and neoplasms, best first
  ptsearch search 'rel:Association|gene:673|Disease' --facets
  ptsearch search '\"immune checkpoint\" -review' --format json | jq .data.id
  ptsearch show 31554797                            one document, annotations highlighted
  ptsearch entities pd --type Gene                  autocomplete entity names
  ptsearch stats --format json
  ptsearch similar 31554797                         related articles
  ptsearch watch add braf 'gene:673 melanoma'       save a query; `ptsearch news` reports what is new
  ptsearch graph melanoma --max-nodes 100 --format cyjs > melanoma.cyjs   co-mention network
  ptsearch translate --to quickwit 'gene:PD1 melanoma' --facets   the Quickwit request

The index lives in ./ptsearch-index unless --index or PTSEARCH_INDEX says otherwise.";

/// ptsearch: search PubTator biomedical literature by text, entity ID and relation.
#[derive(Debug, Parser)]
#[command(name = "ptsearch", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// The index directory.
    #[arg(
        long,
        global = true,
        env = "PTSEARCH_INDEX",
        default_value = "ptsearch-index"
    )]
    pub index: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }

    /// The text style for stdout: colours as chosen; on a terminal, lines wrapped to its width
    /// and OSC 8 hyperlinks when colour is on and the terminal is known to show them
    /// ([`hyperlinks_supported`]); piped output is neither wrapped nor linked.
    fn style(self) -> TextStyle {
        let color = self.enabled();
        let terminal = std::io::stdout().is_terminal();
        let width = terminal
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten();
        let env = |k: &str| std::env::var(k).ok();
        TextStyle {
            color,
            links: color && terminal && hyperlinks_supported(&env),
            width,
            evidence: false,
            local_ids: Default::default(),
        }
    }

    /// [`ColorChoice::style`] for documents of `index` (no PubMed links for the documents
    /// of sources whose IDs are declared local).
    fn style_for(self, index: &crate::PtIndex) -> TextStyle {
        TextStyle {
            local_ids: crate::index::commit::LocalIds::load(&index.index),
            ..self.style()
        }
    }
}

/// Whether the terminal shows OSC 8 hyperlinks, from its environment (`FORCE_HYPERLINK=1`
/// or `0` decides; else the terminals known to: VTE 0.50+ (GNOME Terminal, Tilix), iTerm2,
/// WezTerm, Windows Terminal, Konsole, kitty, foot, Alacritty, Ghostty, VS Code, DomTerm).
fn hyperlinks_supported(env: &dyn Fn(&str) -> Option<String>) -> bool {
    if let Some(force) = env("FORCE_HYPERLINK") {
        return !matches!(force.trim(), "" | "0" | "false");
    }
    if env("DOMTERM").is_some() || env("WT_SESSION").is_some() || env("KONSOLE_VERSION").is_some() {
        return true;
    }
    if env("VTE_VERSION").and_then(|v| v.parse::<u32>().ok()) >= Some(5000) {
        return true;
    }
    let program = env("TERM_PROGRAM").unwrap_or_default();
    let term = env("TERM").unwrap_or_default();
    matches!(
        program.as_str(),
        "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper" | "terminology"
    ) || matches!(
        term.as_str(),
        "xterm-kitty" | "alacritty" | "foot" | "xterm-ghostty" | "wezterm"
    )
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index PubTator files (plain, gzip or zstd; directories recursively; `-` for stdin).
    Index(index::IndexArgs),
    /// Search the index; ranked hits with highlighted terms and entity mentions.
    Search(search::SearchArgs),
    /// Show one document with all its annotations and relations.
    Show(explore::ShowArgs),
    /// Autocomplete entity names: IDs whose mentions start with TEXT.
    Entities(explore::EntitiesArgs),
    /// One entity: display name, mention forms, counts, co-mentioned and related entities.
    Entity(entity::EntityArgs),
    /// Relation partners of an entity: who is related to it, how, in how many documents.
    Relations(relations::RelationsArgs),
    /// The sentences of the matching documents that hold the query's matches, best first.
    Sentences(sentences::SentencesArgs),
    /// The network of a result set: co-mentioned or related entities (GraphML, cyjs, XGMML, ...).
    Graph(graph::GraphArgs),
    /// Index statistics (documents, annotations, IDs, relations, sources).
    Stats(explore::StatsArgs),
    /// The sources (annotation layers) of the index with their counts; rename one.
    Sources(sources::SourcesArgs),
    /// Verify the index: checksums, document count, unique IDs, stored annotations.
    Check(explore::CheckArgs),
    /// Write every document (or every hit of a query) in document-ID order.
    Export(export::ExportArgs),
    /// Merge the index's segments down to a number (fewer segments, faster searches).
    Optimize(optimize::OptimizeArgs),
    /// Save queries (watches) whose news `news` reports: add, list, rm.
    Watch(watch::WatchArgs),
    /// What is new for each watch since its last `news`: matching documents a later index run added.
    News(watch::NewsArgs),
    /// Related articles of one document (title words, abstract words, entity IDs).
    Similar(watch::SimilarArgs),
    /// Translate a query into a Quickwit search request (JSON body; notes on stderr).
    Translate(translate::TranslateArgs),
    /// Vocabularies (MeSH, NCBI Gene) that expand entity clauses: add, list, remove.
    Vocab(vocab::VocabArgs),
    /// Serve the index over HTTP: a JSON API and PubTator3-compatible endpoints (read-only).
    Serve(serve::ServeArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual (roff), or write one page per command with --dir.
    Man(man::ManArgs),
}

/// The command line of this process, parsed (a query that begins with `-` is read as a query:
/// [`argv`]).
pub fn parse() -> Cli {
    Cli::parse_from(argv::queries_apart(std::env::args_os().collect()))
}

/// Runs the parsed command line; returns the exit status.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Index(args) => index::run(&cli.index, args),
        Command::Search(args) => search::run(&cli.index, args),
        Command::Show(args) => explore::show(&cli.index, args),
        Command::Entities(args) => explore::entities(&cli.index, args),
        Command::Relations(args) => relations::run(&cli.index, args),
        Command::Sentences(args) => sentences::run(&cli.index, args),
        Command::Entity(args) => entity::run(&cli.index, args),
        Command::Graph(args) => graph::run(&cli.index, args),
        Command::Stats(args) => explore::stats(&cli.index, args),
        Command::Sources(args) => sources::run(&cli.index, args),
        Command::Check(args) => explore::check(&cli.index, args),
        Command::Export(args) => export::run(&cli.index, args),
        Command::Optimize(args) => optimize::run(&cli.index, args),
        Command::Serve(args) => serve::run(&cli.index, args),
        Command::Watch(args) => watch::run_watch(&cli.index, args),
        Command::News(args) => watch::run_news(&cli.index, args),
        Command::Similar(args) => watch::run_similar(&cli.index, args),
        Command::Translate(args) => translate::run(&cli.index, args),
        Command::Vocab(args) => vocab::run(&cli.index, args),
        Command::Completions { shell } => {
            // Generated into memory first: clap_complete panics on a write error, and a
            // closed pipe (`ptsearch completions bash | head`) must end quietly.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ptsearch", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script)?;
            Ok(EXIT_OK)
        }
        Command::Man(args) => man::run(args),
    }
}
