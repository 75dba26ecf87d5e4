//! Progress display of `ptsearch index`: renders the library's ingest ticks
//! ([`crate::ingest::progress`]) as an indicatif bar on a terminal (bytes of total, docs/s,
//! ETA), a plain line every few seconds otherwise, nothing with `--quiet`.

use crate::ingest::progress::with_ticks;
use crate::ingest::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// How to report progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing.
    Quiet,
    /// indicatif bar.
    Bar,
    /// A line every few seconds.
    Lines,
}

impl Mode {
    /// Bar on a terminal, lines otherwise, unless quiet.
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// Runs `work` while `progress` is shown as `mode` says.
pub fn with_progress<T>(
    mode: Mode,
    total_bytes: Option<u64>,
    progress: &Progress,
    work: impl FnOnce() -> T,
) -> T {
    match mode {
        Mode::Quiet => work(),
        Mode::Lines => with_ticks(
            progress,
            total_bytes,
            Duration::from_secs(5),
            |t| {
                if !t.done {
                    eprintln!("{t}");
                }
            },
            work,
        ),
        Mode::Bar => {
            let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
            let template = if total_bytes.is_some() {
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta}) {msg}"
            } else {
                "{spinner} [{elapsed_precise}] {bytes} {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            with_ticks(
                progress,
                total_bytes,
                Duration::from_millis(100),
                |t| {
                    if t.done {
                        bar.finish_and_clear();
                    } else {
                        bar.set_position(t.bytes);
                        bar.set_message(format!("{} docs, {:.0} docs/s", t.documents, t.rate()));
                    }
                },
                work,
            )
        }
    }
}
