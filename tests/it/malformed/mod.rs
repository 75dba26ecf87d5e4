//! R4: the malformed-input corpus, through the real binary.
//!
//! Every case file in `tests/data/malformed` (plus the cases generated here: a 50 MB line,
//! gzip and zstd variants, random bytes, stdin, a directory, a flood of bad lines) is indexed
//! with `ptsearch index` (without `--quiet`, so every bad line is printed) and checked:
//! * the run finishes (a timeout catches hangs) with exit status 0 and no "panicked";
//! * the `path:line: reason` diagnostics are exactly the expected ones: the 1-based line numbers
//!   were worked out by hand when the case was written, and no other line is reported;
//! * a whole input that is not PubTator, or that cannot be read to the end, gets its message;
//! * the indexed documents are exactly the expected IDs, each searchable with `pmid:`;
//! * case-specific checks (annotation counts, words searchable or not, exported text).
//!
//! Most case files hold a good document `100` (lines 1-2), a blank line, the bad part from
//! line 4 (usually document `200`: title on line 4, abstract on line 5, the bad line on 6),
//! then a blank line and a good document `300`.

mod cases;
mod generated;
mod regressions;

use crate::util::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest any single command may take (the 50 MB case takes about a second).
const TIMEOUT: Duration = Duration::from_secs(180);

/// The IDs around the bad part of most cases.
const AROUND: &[&str] = &["100", "200", "300"];
/// Most cases without document 200 (it was rejected).
const WITHOUT_200: &[&str] = &["100", "300"];

/// What running a command gave.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `c` with a timeout; a timeout (hang), a crash or a panic is an error naming `what`.
fn run_limited(mut c: assert_cmd::Command, what: &str) -> Result<Ran, String> {
    c.timeout(TIMEOUT);
    let out = c
        .output()
        .map_err(|e| format!("{what}: could not run: {e}"))?;
    let ran = Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    if out.status.code().is_none() {
        return Err(format!(
            "{what}: killed by a signal ({}): timed out after {TIMEOUT:?} (hang?) or crashed\nstderr:\n{:.4000}",
            out.status, ran.stderr
        ));
    }
    if ran.stderr.contains("panicked") {
        return Err(format!("{what}: panicked:\n{}", ran.stderr));
    }
    Ok(ran)
}

/// `ptsearch index INPUT...` (not quiet: every bad line is printed), checked for exit 0.
fn index_inputs(index: &Path, inputs: &[&Path], stdin: Option<Vec<u8>>) -> Result<Ran, String> {
    let mut c = ptsearch(index);
    c.arg("index").args(inputs);
    if let Some(bytes) = stdin {
        c.arg("-").write_stdin(bytes);
    }
    let ran = run_limited(c, "index")?;
    if ran.code != 0 {
        return Err(format!("index exited with {}:\n{}", ran.code, ran.stderr));
    }
    Ok(ran)
}

/// The `source:line: reason` diagnostics on stderr for one source name.
fn diagnostics(stderr: &str, source: &str) -> Vec<(u64, String)> {
    let prefix = format!("{source}:");
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(&prefix)?;
            let (num, reason) = rest.split_once(": ")?;
            Some((num.parse().ok()?, reason.to_string()))
        })
        .collect()
}

/// Compares diagnostics with the expected `(line, reason substring)` pairs, as multisets.
fn compare_diagnostics(got: &[(u64, String)], want: &[(u64, &str)]) -> Result<(), String> {
    let mut left: Vec<&(u64, String)> = got.iter().collect();
    let mut missing = Vec::new();
    for (line, reason) in want {
        match left
            .iter()
            .position(|(l, r)| l == line && r.contains(reason))
        {
            Some(i) => {
                left.remove(i);
            }
            None => missing.push(format!("{line}: ...{reason}...")),
        }
    }
    if missing.is_empty() && left.is_empty() {
        return Ok(());
    }
    Err(format!(
        "diagnostics differ\n  missing: {missing:?}\n  unexpected: {left:?}\n  all reported: {got:?}"
    ))
}

/// Every indexed ID (`search *`), sorted, and the `documents` count of `stats`.
fn indexed_ids(index: &Path) -> Result<(BTreeSet<String>, u64), String> {
    let mut c = ptsearch(index);
    c.args(["search", "--all", "--format", "tsv", "*"]);
    let ran = run_limited(c, "search *")?;
    if ran.code != 0 && ran.code != 1 {
        return Err(format!("search * exited with {}: {}", ran.code, ran.stderr));
    }
    let ids = ran
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
        .collect();
    let mut c = ptsearch(index);
    c.args(["stats", "--format", "json"]);
    let ran = run_limited(c, "stats")?;
    let v: serde_json::Value = serde_json::from_str(&ran.stdout)
        .map_err(|e| format!("stats JSON: {e}: {}", ran.stdout))?;
    Ok((ids, v["documents"].as_u64().unwrap_or(u64::MAX)))
}

/// IDs returned by a search (any exit status but an error).
fn ids_for(index: &Path, query: &str) -> Result<Vec<String>, String> {
    let mut c = ptsearch(index);
    c.args(["search", "--all", "--format", "tsv", query]);
    let ran = run_limited(c, &format!("search {query:.60}"))?;
    if ran.code != 0 && ran.code != 1 {
        return Err(format!(
            "search {query:.60} exited with {}: {}",
            ran.code, ran.stderr
        ));
    }
    Ok(ran
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
        .collect())
}

/// Checks that exactly `want` are indexed, and that each is found by `pmid:`.
fn check_ids(index: &Path, want: &[&str]) -> Result<(), String> {
    let want_set: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
    let (ids, documents) = indexed_ids(index)?;
    if ids != want_set {
        return Err(format!(
            "indexed IDs {ids:.300?}, expected {want_set:.300?}"
        ));
    }
    if documents != want.len() as u64 {
        return Err(format!(
            "stats says {documents} documents, expected {}",
            want.len()
        ));
    }
    if !want.is_empty() {
        let q: Vec<String> = want.iter().map(|id| format!("pmid:{id}")).collect();
        let mut found = ids_for(index, &q.join(" OR "))?;
        found.sort();
        let mut expected: Vec<String> = want_set.into_iter().collect();
        expected.sort();
        if found != expected {
            return Err(format!(
                "pmid: search found {found:.300?}, expected {expected:.300?}"
            ));
        }
    }
    Ok(())
}

/// `stats --format json`, for case checks.
fn stats_of(index: &Path) -> Result<serde_json::Value, String> {
    let mut c = ptsearch(index);
    c.args(["stats", "--format", "json"]);
    let ran = run_limited(c, "stats")?;
    serde_json::from_str(&ran.stdout).map_err(|e| format!("stats JSON: {e}"))
}

fn expect_gene_annotations(index: &Path, n: u64) -> Result<(), String> {
    let got = stats_of(index)?["annotations"]["Gene"]
        .as_u64()
        .unwrap_or(0);
    if got == n {
        Ok(())
    } else {
        Err(format!("{got} Gene annotations, expected {n}"))
    }
}

fn expect_search(index: &Path, query: &str, want: &[&str]) -> Result<(), String> {
    let got = ids_for(index, query)?;
    if got == want {
        Ok(())
    } else {
        Err(format!("search {query:?} gave {got:?}, expected {want:?}"))
    }
}

/// `show ID --format json`.
fn show_json(index: &Path, id: &str) -> Result<serde_json::Value, String> {
    let mut c = ptsearch(index);
    c.args(["show", id, "--format", "json"]);
    let ran = run_limited(c, "show")?;
    if ran.code != 0 {
        return Err(format!(
            "show {id} exited with {}: {}",
            ran.code, ran.stderr
        ));
    }
    serde_json::from_str(&ran.stdout).map_err(|e| format!("show JSON: {e}"))
}

/// `show ID --format pubtator`.
fn show_pubtator(index: &Path, id: &str) -> Result<String, String> {
    let mut c = ptsearch(index);
    c.args(["show", id, "--format", "pubtator"]);
    let ran = run_limited(c, "show")?;
    if ran.code != 0 {
        return Err(format!(
            "show {id} exited with {}: {}",
            ran.code, ran.stderr
        ));
    }
    Ok(ran.stdout)
}

/// Every span of `show ID --format json` is the character slice of its field.
fn expect_consistent_spans(index: &Path, id: &str) -> Result<(), String> {
    let v = show_json(index, id)?;
    let title: Vec<char> = v["title"].as_str().unwrap_or("").chars().collect();
    let abs: Vec<char> = v["abstract"].as_str().unwrap_or("").chars().collect();
    for s in v["spans"].as_array().into_iter().flatten() {
        let text = if s["field"] == "title" { &title } else { &abs };
        let (a, b) = (
            s["start"].as_u64().unwrap_or(u64::MAX) as usize,
            s["end"].as_u64().unwrap_or(u64::MAX) as usize,
        );
        let slice: Option<String> = text.get(a..b).map(|c| c.iter().collect());
        if slice.as_deref() != s["text"].as_str() {
            return Err(format!("span {s} does not match its field text"));
        }
    }
    Ok(())
}

/// The exported block of `id` equals the lines of the case file that hold it.
fn expect_export_equals_lines(
    index: &Path,
    id: &str,
    file: &[u8],
    lines: std::ops::RangeInclusive<usize>,
) -> Result<(), String> {
    let text = String::from_utf8_lossy(file);
    let want: Vec<&str> = text
        .split('\n')
        .enumerate()
        .filter(|(i, _)| lines.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect();
    let out = show_pubtator(index, id)?;
    let got: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "export of {id}:\n{got:#?}\nexpected lines {lines:?}:\n{want:#?}"
        ))
    }
}

/// A case-specific check on the index, given the case file's bytes.
type Extra = fn(&Path, &[u8]) -> Result<(), String>;

/// One case: a file in tests/data/malformed and what indexing it must give.
struct Case {
    file: &'static str,
    /// Expected diagnostics: (1-based line, substring of the reason). `""` leaves the reason
    /// unpinned where several wordings would be right.
    diagnostics: &'static [(u64, &'static str)],
    /// Exactly the IDs that must be indexed.
    ids: &'static [&'static str],
    /// A whole-input message expected on stderr (not PubTator, read error), if any.
    input_message: Option<&'static str>,
    extra: Option<Extra>,
}

const fn case(
    file: &'static str,
    diagnostics: &'static [(u64, &'static str)],
    ids: &'static [&'static str],
) -> Case {
    Case {
        file,
        diagnostics,
        ids,
        input_message: None,
        extra: None,
    }
}

const fn with(
    file: &'static str,
    diagnostics: &'static [(u64, &'static str)],
    ids: &'static [&'static str],
    extra: Extra,
) -> Case {
    Case {
        file,
        diagnostics,
        ids,
        input_message: None,
        extra: Some(extra),
    }
}

const fn not_pubtator(file: &'static str) -> Case {
    Case {
        file,
        diagnostics: &[],
        ids: &[],
        input_message: Some("not PubTator"),
        extra: None,
    }
}

fn malformed(name: &str) -> PathBuf {
    data("malformed").join(name)
}

/// Runs the whole check for one input (a file of the corpus or a generated one).
fn check_input(
    input: &Path,
    source: &str,
    diagnostics_want: &[(u64, &str)],
    ids: &[&str],
    input_message: Option<&str>,
    extra: Option<Extra>,
) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let index = dir.path().join("idx");
    let ran = index_inputs(&index, &[input], None)?;
    compare_diagnostics(&diagnostics(&ran.stderr, source), diagnostics_want)
        .map_err(|e| format!("{e}\nstderr:\n{:.4000}", ran.stderr))?;
    match input_message {
        Some(m) => {
            if !ran
                .stderr
                .lines()
                .any(|l| l.contains(source) && l.contains(m))
            {
                return Err(format!(
                    "no '{source}... {m}' message on stderr:\n{}",
                    ran.stderr
                ));
            }
        }
        None => {
            if let Some(l) = ran
                .stderr
                .lines()
                .find(|l| l.contains("input error") || l.contains("not PubTator"))
            {
                return Err(format!("unexpected input message: {l}"));
            }
        }
    }
    check_ids(&index, ids)?;
    if let Some(f) = extra {
        let bytes = std::fs::read(input).map_err(|e| e.to_string())?;
        f(&index, &bytes)?;
    }
    Ok(())
}

/// Checks every case, then fails once listing every failing case.
fn run_cases(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let path = malformed(c.file);
        assert!(path.is_file(), "case file {} is missing", path.display());
        let source = path.display().to_string();
        if let Err(e) = check_input(
            &path,
            &source,
            c.diagnostics,
            c.ids,
            c.input_message,
            c.extra,
        ) {
            failures.push(format!("case {}: {e}", c.file));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Writes `bytes` to `name` in `dir`.
fn write_input(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn ok(name: &str, r: Result<(), String>) {
    if let Err(e) = r {
        panic!("case {name}: {e}");
    }
}
