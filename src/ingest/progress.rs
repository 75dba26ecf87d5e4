//! Progress of an ingest run as a library callback: [`with_ticks`] runs the work while a
//! reporter thread hands a [`Tick`] (bytes read, documents written, elapsed time) to the
//! caller's function at a fixed interval, and once more at the end. Front ends render the ticks
//! their own way (the CLI with an indicatif bar or plain lines, Python with lines on stderr);
//! none of them reaches into another for it.

use super::Progress;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// One progress snapshot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    /// Raw input bytes read so far.
    pub bytes: u64,
    /// Total input bytes, when every input's size is known.
    pub total_bytes: Option<u64>,
    /// Documents handed to the writer so far.
    pub documents: u64,
    /// Time since the run started.
    pub elapsed: Duration,
    /// The last tick: the work has returned.
    pub done: bool,
}

impl Tick {
    /// Documents per second so far.
    pub fn rate(&self) -> f64 {
        self.documents as f64 / self.elapsed.as_secs_f64().max(1e-3)
    }
}

/// The plain progress line every front end prints when it draws no bar
/// (`ptsearch: 1200 documents, 3.1 MB of 9.8 MB read, 640 docs/s`).
impl std::fmt::Display for Tick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ptsearch: {} documents, {:.1} MB",
            self.documents,
            self.bytes as f64 / 1e6
        )?;
        if let Some(n) = self.total_bytes {
            write!(f, " of {:.1} MB", n as f64 / 1e6)?;
        }
        write!(f, " read, {:.0} docs/s", self.rate())
    }
}

/// Runs `work` while a reporter thread calls `on_tick` every `every` with the counters of
/// `progress` (and once with `done` when `work` returns or unwinds).
pub fn with_ticks<T>(
    progress: &Progress,
    total_bytes: Option<u64>,
    every: Duration,
    mut on_tick: impl FnMut(Tick) + Send,
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
    let started = Instant::now();
    let tick = |done: bool| Tick {
        bytes: progress.bytes.load(Ordering::Relaxed),
        total_bytes,
        documents: progress.documents.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
        done,
    };
    std::thread::scope(|s| {
        s.spawn(|| {
            let step = Duration::from_millis(50).min(every);
            let mut last = Instant::now();
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(step);
                if last.elapsed() >= every {
                    last = Instant::now();
                    on_tick(tick(false));
                }
            }
            on_tick(tick(true));
        });
        let _stop = Stop(&done);
        work()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_report_the_counters_and_end_with_done() {
        let progress = Progress::default();
        let mut seen = Vec::new();
        let out = with_ticks(
            &progress,
            Some(10),
            Duration::from_millis(5),
            |t| seen.push(t),
            || {
                progress.documents.store(3, Ordering::Relaxed);
                progress.bytes.store(7, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(30));
                42
            },
        );
        assert_eq!(out, 42);
        let last = seen.last().copied().unwrap();
        assert!(last.done && seen.iter().filter(|t| t.done).count() == 1);
        assert_eq!(
            (last.documents, last.bytes, last.total_bytes),
            (3, 7, Some(10))
        );
    }
}
