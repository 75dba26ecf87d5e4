//! Progress display during ingest: an indicatif bar on a terminal (bytes of total, docs/s,
//! ETA), a plain line every few seconds otherwise, nothing with `--quiet`.

use crate::ingest::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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

/// Runs `work` while a reporter thread shows `progress`.
pub fn with_progress<T>(
    mode: Mode,
    total_bytes: Option<u64>,
    progress: &Progress,
    work: impl FnOnce() -> T,
) -> T {
    /// Stops the reporter even when `work` unwinds (a scope waits for its threads).
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        if mode != Mode::Quiet {
            s.spawn(|| report(mode, total_bytes, progress, &done));
        }
        let _stop = Stop(&done);
        work()
    })
}

fn report(mode: Mode, total: Option<u64>, progress: &Progress, done: &AtomicBool) {
    let started = Instant::now();
    let bar = (mode == Mode::Bar).then(|| {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = if total.is_some() {
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta}) {msg}"
        } else {
            "{spinner} [{elapsed_precise}] {bytes} {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar
    });
    let mut last_line = Instant::now();
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        let bytes = progress.bytes.load(Ordering::Relaxed);
        let docs = progress.documents.load(Ordering::Relaxed);
        let rate = docs as f64 / started.elapsed().as_secs_f64().max(1e-3);
        match &bar {
            Some(bar) => {
                bar.set_position(bytes);
                bar.set_message(format!("{docs} docs, {rate:.0} docs/s"));
            }
            None if last_line.elapsed() >= Duration::from_secs(5) => {
                last_line = Instant::now();
                let of = total
                    .map(|t| format!(" of {:.1} MB", t as f64 / 1e6))
                    .unwrap_or_default();
                eprintln!(
                    "ptsearch: {docs} documents, {:.1} MB{of} read, {rate:.0} docs/s",
                    bytes as f64 / 1e6
                );
            }
            None => {}
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
