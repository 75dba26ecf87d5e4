//! Prerequisites of tests that need something outside the repository: the shared corpora in
//! `../shared/corpora` or a Python with the `bioc` package.
//!
//! Used by the unit tests (`crate::test_support`) and, through `#[path]`, by the integration
//! tests in `tests/it`, so both report a missing prerequisite the same way:
//! * under `CI=true` (or `CI=1`) the test fails, naming what is missing: CI must not pass a test
//!   that did not run;
//! * otherwise the test is skipped with a `skipped: <test>: <reason>` line written straight to
//!   the process's stderr, which the test harness does not capture, so it shows without
//!   `--nocapture`.
//!
//! Environment overrides: `PTSEARCH_CORPORA` replaces the corpora directory (point it at a
//! missing directory to see the skip or the CI failure), `PTSEARCH_PYTHON` names the Python
//! interpreter that has `bioc` (`.ci/run` makes one in `target/bioc-venv`, which is also used
//! when present and the variable is unset).

#![allow(dead_code)] // each test crate uses a different part

use std::io::Write;
use std::path::{Path, PathBuf};

/// True when the tests run under CI (`CI=true` or `CI=1`): a missing prerequisite then fails.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Fails the test under CI, otherwise reports it as skipped on the real stderr. The caller
/// returns right after.
pub fn missing(test: &str, reason: &str) {
    if in_ci() {
        panic!(
            "{test}: {reason}. CI=true, so a missing prerequisite is a failure, not a skip \
             (.ci/run sets everything up; PTSEARCH_CORPORA / PTSEARCH_PYTHON override paths)"
        );
    }
    // Not `eprintln!`: the harness captures that. A direct write to the stderr handle is not.
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {reason}");
}

/// The repository root.
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpora directory: `$PTSEARCH_CORPORA`, else `../shared/corpora`.
pub fn corpora_dir() -> PathBuf {
    match std::env::var_os("PTSEARCH_CORPORA") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo().join("../shared/corpora"),
    }
}

/// The shared corpora directory, or `None` after [`missing`] when it is absent.
pub fn shared_corpora(test: &str) -> Option<PathBuf> {
    let dir = corpora_dir();
    if dir.is_dir() {
        Some(dir)
    } else {
        missing(
            test,
            &format!("the shared corpora directory {} is missing", dir.display()),
        );
        None
    }
}

/// `rel` inside the shared corpora (a file or directory), or `None` after [`missing`] when the
/// corpora or that path are absent.
pub fn shared_path(test: &str, rel: &str) -> Option<PathBuf> {
    let path = shared_corpora(test)?.join(rel);
    if path.exists() {
        Some(path)
    } else {
        missing(test, &format!("{} is missing", path.display()));
        None
    }
}

/// The Python interpreter for the `bioc` checks: `$PTSEARCH_PYTHON`, else the interpreter of
/// `target/bioc-venv` when it exists, else `python3`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("PTSEARCH_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = repo().join(if cfg!(windows) {
        "target/bioc-venv/Scripts/python.exe"
    } else {
        "target/bioc-venv/bin/python"
    });
    if venv.is_file() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// [`python`] when it runs and imports the `bioc` package, or `None` after [`missing`].
/// Nothing is installed here: `.ci/run` (or the README's steps) installs `bioc`.
pub fn python_with_bioc(test: &str) -> Option<PathBuf> {
    let python = python();
    let probe = std::process::Command::new(&python)
        .args([
            "-c",
            "import bioc, bioc.biocxml, bioc.biocjson; bioc.validate",
        ])
        .output();
    let reason = match probe {
        Ok(o) if o.status.success() => return Some(python),
        Ok(o) => format!(
            "{} cannot import the python `bioc` package ({}); run .ci/run once or set \
             PTSEARCH_PYTHON to a python that has it",
            python.display(),
            String::from_utf8_lossy(&o.stderr)
                .trim()
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(e) => format!(
            "python {} does not run ({e}); set PTSEARCH_PYTHON",
            python.display()
        ),
    };
    missing(test, &reason);
    None
}
