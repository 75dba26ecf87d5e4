//! Helpers shared by the integration tests.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture in tests/data.
pub fn data(name: &str) -> PathBuf {
    root().join("tests/data").join(name)
}

// Tests that need the shared corpora or Python ask here: under `CI=true` a missing prerequisite
// fails the test, otherwise it is skipped with a line on the real stderr (see the module).
#[path = "../../src/test_support.rs"]
mod test_support;
#[allow(unused_imports)]
pub use test_support::{missing, python_with_bioc, shared_corpora, shared_path};

/// The binary with `--index` set.
pub fn ptsearch(index: &Path) -> Command {
    let mut c = Command::cargo_bin("ptsearch").expect("binary built");
    c.env_remove("PTSEARCH_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(index);
    c
}

/// Indexes `inputs` into `index` (quietly) and asserts success.
pub fn index_files(index: &Path, inputs: &[&Path]) {
    let mut c = ptsearch(index);
    c.arg("index").arg("--quiet");
    for i in inputs {
        c.arg(i);
    }
    c.assert().success();
}

/// Runs `ptsearch index ARGS INPUTS` into `index`, asserts success and returns its stdout and
/// stderr (the summary).
pub fn index_with(index: &Path, args: &[&str], inputs: &[&Path]) -> String {
    let mut c = ptsearch(index);
    c.arg("index").args(args);
    for i in inputs {
        c.arg(i);
    }
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "index failed: {err}");
    format!("{out}{err}")
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(mut c: Command) -> (i32, String, String) {
    let out = c.output().expect("command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `stats --format json` as a JSON value.
pub fn stats(index: &Path) -> serde_json::Value {
    let mut c = ptsearch(index);
    c.args(["stats", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "stats failed: {err}");
    serde_json::from_str(&out).expect("stats JSON")
}

/// The IDs returned by `search --all --format tsv -- QUERY`, in rank order (`--`: a query may
/// start with `-`).
pub fn search_ids(index: &Path, query: &str) -> Vec<String> {
    let mut c = ptsearch(index);
    c.args(["search", "--all", "--format", "tsv", "--", query]);
    let (code, out, err) = run(c);
    assert!(
        code == 0 || code == 1,
        "search {query:?} failed ({code}): {err}"
    );
    out.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
        .collect()
}

/// The JSON lines of `search --format json`.
pub fn search_json(index: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut c = ptsearch(index);
    c.arg("search").arg("--format").arg("json").args(args);
    let (code, out, err) = run(c);
    assert!(
        code == 0 || code == 1,
        "search {args:?} failed ({code}): {err}"
    );
    out.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// A corpus of `n` documents made by renumbering the fixture documents (IDs from 1000000).
pub fn synthetic_corpus(n: usize) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for name in [
        "ranking.pubtator",
        "tokenizer.pubtator",
        "seed-31554797.pubtator",
        "utf8_offsets.pubtator",
    ] {
        let text = std::fs::read_to_string(data(name)).unwrap();
        blocks.extend(
            text.split("\n\n")
                .filter(|b| !b.trim().is_empty())
                .map(str::to_string),
        );
    }
    let mut out = String::new();
    for i in 0..n {
        let block = &blocks[i % blocks.len()];
        let id = 1_000_000 + i;
        for line in block.lines() {
            let rest = line.find(['|', '\t']).map_or("", |p| &line[p..]);
            out.push_str(&format!("{id}{rest}\n"));
        }
        out.push('\n');
    }
    out
}

/// Asserts that a JSON span's `text` is its field's text (`title` or `abstract` of the same hit
/// data `h`) cut at `start..end` in characters.
pub fn assert_span_is_exact(h: &serde_json::Value, s: &serde_json::Value) {
    let field: Vec<char> = h[s["field"].as_str().unwrap()]
        .as_str()
        .unwrap()
        .chars()
        .collect();
    let (a, b) = (
        s["start"].as_u64().unwrap() as usize,
        s["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        field[a..b].iter().collect::<String>(),
        s["text"].as_str().unwrap()
    );
}
