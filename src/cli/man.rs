//! `ptsearch man`: the manual as roff, from the same clap definitions as `--help`. One page by
//! default (every command with its options, the query syntax and examples, no reference to a
//! page that is not generated); `--dir DIR` also writes one page per command
//! (`ptsearch-search.1`, ...), which the main page then names in SEE ALSO.

use super::search::QUERY_SYNTAX;
use super::{Cli, EXAMPLES, EXIT_OK};
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `ptsearch man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ptsearch man | man -l -\n  ptsearch man --dir /usr/local/share/man/man1"
)]
pub struct ManArgs {
    /// Write ptsearch.1 and one page per command into DIR instead of printing one page.
    #[arg(long, value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

/// Escapes text for roff: backslashes, and a leading `.` or `'` that would read as a request.
fn roff_text(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// A section of preformatted lines (no filling, so examples never wrap mid-word).
fn verbatim(out: &mut Vec<u8>, heading: &str, text: &str) -> std::io::Result<()> {
    writeln!(out, ".SH \"{heading}\"\n.nf")?;
    for line in text.lines() {
        writeln!(out, "{}", roff_text(line))?;
    }
    writeln!(out, ".fi")
}

/// The main page: title, name, synopsis, description, options, commands (each with its own
/// options), query syntax, examples and, when per-command pages exist, SEE ALSO.
pub fn main_page(with_command_pages: bool) -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.trim_start_matches("Usage: ").to_string();
        writeln!(
            out,
            ".TP\n.B {}",
            roff_text(&format!("ptsearch {}", sub.get_name()))
        )?;
        if let Some(about) = sub.get_about() {
            writeln!(out, "{}", roff_text(&about.to_string()))?;
        }
        writeln!(out, ".br\nUsage: {}", roff_text(&usage))?;
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let name = match (arg.get_short(), arg.get_long()) {
                (Some(s), Some(l)) => format!("\\-{s}, \\-\\-{}", roff_text(l)),
                (None, Some(l)) => format!("\\-\\-{}", roff_text(l)),
                (Some(s), None) => format!("\\-{s}"),
                (None, None) => roff_text(&arg.get_id().to_string().to_uppercase()),
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            writeln!(out, ".br\n\\ \\ {name}: {}", roff_text(&help))?;
        }
    }
    verbatim(&mut out, "QUERY SYNTAX", QUERY_SYNTAX)?;
    verbatim(&mut out, "EXAMPLES", EXAMPLES)?;
    if with_command_pages {
        let pages: Vec<String> = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| format!("\\fBptsearch\\-{}\\fR(1)", s.get_name()))
            .collect();
        writeln!(out, ".SH \"SEE ALSO\"\n{}", pages.join(", "))?;
    }
    Ok(out)
}

/// Runs `ptsearch man`.
pub fn run(args: ManArgs) -> anyhow::Result<i32> {
    match args.dir {
        None => std::io::stdout().write_all(&main_page(false)?)?,
        Some(dir) => {
            std::fs::create_dir_all(&dir)?;
            let mut cmd = Cli::command().disable_help_subcommand(true);
            cmd.build();
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let name = format!("ptsearch-{}", sub.get_name());
                let page = clap_mangen::Man::new(sub.clone().display_name(name.clone()))
                    .title(name.clone());
                let mut out = Vec::new();
                page.render_title(&mut out)?;
                page.render_name_section(&mut out)?;
                page.render_synopsis_section(&mut out)?;
                page.render_description_section(&mut out)?;
                page.render_options_section(&mut out)?;
                if let Some(extra) = sub.get_after_help() {
                    verbatim(&mut out, "NOTES", &extra.to_string())?;
                }
                writeln!(out, ".SH \"SEE ALSO\"\n\\fBptsearch\\fR(1)")?;
                std::fs::write(dir.join(format!("{name}.1")), out)?;
            }
            std::fs::write(dir.join("ptsearch.1"), main_page(true)?)?;
        }
    }
    Ok(EXIT_OK)
}
