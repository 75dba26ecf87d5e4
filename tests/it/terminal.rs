//! Text output on a terminal (issue 20): lines wrapped to the terminal's width and not when
//! piped, fragments that open and close at word boundaries, `[ ]` marks without colour,
//! OSC 8 links to PubMed and NCBI Gene only where asked for. A terminal is a pseudo-terminal
//! from util-linux `script`, sized with `stty`.

use crate::util::{data, index_files, ptsearch, run};
use std::path::Path;

/// The text of `s` without ANSI CSI and OSC escape sequences.
fn visible(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(d) = chars.next() {
                    if d == '\x07' || (d == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `ptsearch --index INDEX ARGS` on a pseudo-terminal of `cols` columns, with `env` set;
/// its output with the terminal's `\r\n` as `\n`.
fn on_terminal(index: &Path, cols: usize, env: &[(&str, &str)], args: &[&str]) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let bin = assert_cmd::cargo::cargo_bin("ptsearch");
    let mut line = format!(
        "stty rows 50 cols {cols}; exec {} --index {}",
        quote(&bin.to_string_lossy()),
        quote(&index.to_string_lossy())
    );
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let mut c = std::process::Command::new("script");
    c.args(["-qec", &line, "/dev/null"])
        .env_remove("PTSEARCH_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_HYPERLINK");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("util-linux `script` runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("seed-31554797.pubtator")]);
    dir
}

const QUERY: [&str; 2] = ["search", "CAR-T exosomes toxicity"];

#[test]
fn lines_fill_the_terminal_width_and_piped_output_is_not_wrapped() {
    let d = fixture();
    let p = d.path();
    let piped = run({
        let mut c = ptsearch(p);
        c.args(QUERY);
        c
    })
    .1;
    assert!(!piped.contains('\x1b'), "{piped}");
    let widest = piped.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest > 100, "fragments are long lines when piped: {piped}");
    for cols in [50, 72] {
        let shown = on_terminal(p, cols, &[("NO_COLOR", "1")], &QUERY);
        assert!(!shown.contains('\x1b'), "NO_COLOR: no escapes: {shown}");
        assert!(shown.contains('['), "NO_COLOR keeps the [ ] marks: {shown}");
        for l in shown.lines() {
            assert!(l.chars().count() <= cols, "{cols} columns: {l:?}");
        }
        // The same words in the same order, only the line breaks differ (the terminal also
        // shows the hit count that went to stderr).
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let (shown, piped) = (words(&shown), words(&piped));
        assert_eq!(shown[..piped.len()], piped[..]);
        assert_eq!(shown[piped.len()..].join(" ")[..10], *"1 hit, sho");
    }
}

#[test]
fn links_and_colours_only_where_asked_for() {
    let d = fixture();
    let p = d.path();
    let pubmed = "\x1b]8;;https://pubmed.ncbi.nlm.nih.gov/31554797/\x1b\\";
    let linked = on_terminal(p, 60, &[("FORCE_HYPERLINK", "1")], &QUERY);
    assert!(linked.contains(pubmed), "{linked:?}");
    for l in linked.lines() {
        assert!(visible(l).chars().count() <= 60, "{l:?}");
    }
    let gene = on_terminal(p, 80, &[("FORCE_HYPERLINK", "1")], &["search", "gene:5133"]);
    assert!(
        gene.contains("\x1b]8;;https://www.ncbi.nlm.nih.gov/gene/5133\x1b\\"),
        "{gene:?}"
    );
    let unlinked = on_terminal(p, 60, &[("FORCE_HYPERLINK", "0")], &QUERY);
    assert!(!unlinked.contains("\x1b]8;"), "{unlinked:?}");
    assert!(
        unlinked.contains("\x1b["),
        "colour on a terminal: {unlinked:?}"
    );
    // NO_COLOR turns links off with the colours; piped output never has either.
    let plain = on_terminal(
        p,
        60,
        &[("FORCE_HYPERLINK", "1"), ("NO_COLOR", "1")],
        &QUERY,
    );
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let mut c = ptsearch(p);
    c.args(QUERY)
        .args(["--color", "always"])
        .env("FORCE_HYPERLINK", "1");
    let piped = run(c).1;
    assert!(
        piped.contains("\x1b[") && !piped.contains("\x1b]8;"),
        "{piped:?}"
    );
    // Query terms and every canonical entity type have styles apart from each other.
    let styles = [
        "\x1b[1;4m",
        "\x1b[35m",
        "\x1b[31m",
        "\x1b[32m",
        "\x1b[36m",
        "\x1b[34m",
        "\x1b[33m",
    ];
    let mut seen = styles.to_vec();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), styles.len());
    assert!(
        unlinked.contains(styles[0]),
        "query terms are bold underlined: {unlinked:?}"
    );
}

#[test]
fn fragments_open_and_close_at_word_boundaries() {
    let d = fixture();
    let mut c = ptsearch(d.path());
    c.args(QUERY).args(["--format", "json"]);
    let out = run(c).1;
    let hit: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let body: Vec<char> = hit["data"]["abstract"].as_str().unwrap().chars().collect();
    let fragments = hit["data"]["fragments"].as_array().unwrap();
    assert!(!fragments.is_empty());
    for f in fragments {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert!(
            s == 0 || body[s - 1].is_whitespace(),
            "opens inside a word: {f}"
        );
        assert!(
            !body[s].is_whitespace() && !body[e - 1].is_whitespace(),
            "{f}"
        );
        assert!(
            e == body.len() || body[e].is_whitespace(),
            "closes inside a word: {f}"
        );
        assert_eq!(
            f["text"].as_str().unwrap(),
            body[s..e].iter().collect::<String>()
        );
    }
}
