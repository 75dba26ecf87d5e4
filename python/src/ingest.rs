//! `ptsearch.index(paths, index_path, ...)`: builds or updates an index with the CLI's options,
//! progress lines (from the library's ingest ticks) and summary (on stderr), with the GIL released for the whole run.

use crate::errors::{bad_arg, to_py};
use crate::topy;
use ptsearch::index::commit::DocIds;
use ptsearch::ingest::progress::{with_ticks, Tick};
use ptsearch::ingest::{self, expand_named, Diagnostic, IngestFlags, Progress, TextChoice};
use ptsearch::interop::FormatChoice;
use ptsearch::PtIndex;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::time::Duration;

/// Indexes `paths` (files, directories, `-` for stdin) into `index_path`, creating it when
/// absent; returns the summary (the object of `index --json`).
#[pyfunction]
#[pyo3(signature = (paths, index_path, *, threads=None, memory_mb=512, strict=false, quiet=false, max_warnings=1000, commit_every=1_000_000, commit_interval=120, resume=true, format="auto", source=None, replace=false, text="auto", metadata_only=false, ids=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn index(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    index_path: PathBuf,
    threads: Option<usize>,
    memory_mb: usize,
    strict: bool,
    quiet: bool,
    max_warnings: u64,
    commit_every: u64,
    commit_interval: u64,
    resume: bool,
    format: &str,
    source: Option<String>,
    replace: bool,
    text: &str,
    metadata_only: bool,
    ids: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let ids = ids
        .map(str::parse::<DocIds>)
        .transpose()
        .map_err(|e: ptsearch::Error| bad_arg(e.to_string()))?;
    let text: TextChoice = text
        .parse()
        .map_err(|e: ptsearch::Error| bad_arg(e.to_string()))?;
    let named = expand_named(&paths).map_err(|e| to_py(py, e))?;
    let options = IngestFlags {
        threads,
        memory_mb,
        strict,
        commit_every,
        commit_interval_secs: commit_interval,
        resume,
        format: format
            .parse::<FormatChoice>()
            .map_err(|e| bad_arg(e.to_string()))?,
        source,
        replace,
        text,
        metadata_only,
        ids,
    }
    .options(&named);
    let sources: Vec<_> = named.into_iter().map(|(s, _)| s).collect();
    let summary = py
        .detach(|| -> ptsearch::Result<_> {
            let index = PtIndex::open_or_create(&index_path)?;
            let total: Option<u64> = sources.iter().map(|s| s.size()).sum();
            let progress = Progress::default();
            let mut warned = 0u64;
            let mut on_problem = |d: Diagnostic<'_>| {
                warned += 1;
                if !quiet && warned <= max_warnings {
                    eprintln!("{}:{}: {}", d.source, d.problem.line, d.problem.error);
                } else if !quiet && warned == max_warnings + 1 {
                    eprintln!(
                        "ptsearch: more bad lines; further warnings suppressed (see the summary)"
                    );
                }
            };
            // A line on stderr every 5 s (a notebook shows it under the cell), as the CLI does
            // when stderr is not a terminal.
            let show = |t: Tick| {
                if !quiet && !t.done {
                    eprintln!("{t}");
                }
            };
            let summary = with_ticks(&progress, total, Duration::from_secs(5), show, || {
                ingest::run(&index, &sources, &options, &progress, &mut on_problem)
            })?;
            eprintln!("{summary}");
            Ok(summary)
        })
        .map_err(|e| to_py(py, e))?;
    Ok(topy::to_py(py, &summary)?.unbind())
}
