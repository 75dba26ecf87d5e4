//! What the CLI tells a user outside search results: errors that name the path once, `stats`
//! with readable dates and skipped inputs set apart, a man page without dangling references.

use crate::util::{data, ptsearch, run};

#[test]
fn a_missing_input_is_named_once_with_the_os_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = ptsearch(&dir.path().join("idx"));
    c.args(["index", "corpus-that-is-not-here.txt"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "ptsearch: error: cannot open corpus-that-is-not-here.txt: No such file or directory"
    );
}

#[test]
fn stats_prints_iso_dates_and_sets_inputs_without_documents_apart() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(data("ranking.pubtator"), corpus.join("ranking.pubtator")).unwrap();
    std::fs::write(corpus.join("README"), "Not a corpus file.\n").unwrap();
    let index = dir.path().join("idx");
    let mut c = ptsearch(&index);
    c.arg("index").arg("--quiet").arg(&corpus);
    assert_eq!(run(c).0, 0);
    let (code, out, _) = run({
        let mut c = ptsearch(&index);
        c.arg("stats");
        c
    });
    assert_eq!(code, 0);
    let sources: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "sources:")
        .skip(1)
        .take_while(|l| !l.starts_with("annotation layers"))
        .collect();
    assert_eq!(sources.len(), 2, "{out}");
    // ranking.pubtator holds 7 documents (7 `|t|` lines).
    let expected_docs = std::fs::read_to_string(data("ranking.pubtator"))
        .unwrap()
        .lines()
        .filter(|l| l.contains("|t|"))
        .count();
    let read = sources[0];
    assert!(read.contains(&format!("{expected_docs} docs")), "{read}");
    let date = read
        .rsplit("(indexed ")
        .next()
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or_default();
    let shape: String = date
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    assert_eq!(shape, "dddd-dd-ddTdd:dd:ddZ", "{read}");
    assert!(
        sources[1].starts_with("skipped inputs (no documents): ") && sources[1].ends_with("README"),
        "{}",
        sources[1]
    );
}

fn bare() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("ptsearch").unwrap();
    c.env_remove("PTSEARCH_INDEX");
    c
}

#[test]
fn the_single_man_page_names_no_ungenerated_page_and_has_the_query_syntax() {
    let (code, page, _) = run({
        let mut c = bare();
        c.arg("man");
        c
    });
    assert_eq!(code, 0);
    // A reference to another page looks like `ptsearch\-search(1)` in roff.
    assert!(
        !page.contains("ptsearch\\-search(1)"),
        "dangling page reference"
    );
    assert!(!page.contains("(1)"), "no other page exists to refer to");
    assert!(page.contains(".SH \"QUERY SYNTAX\""));
    assert!(page.contains("rel:Association|gene:5133|Disease"));
    // Examples are not filled (so they never wrap mid-word).
    let examples = page.split(".SH \"EXAMPLES\"").nth(1).expect("examples");
    assert!(examples.trim_start().starts_with(".nf"));
}

#[test]
fn man_dir_writes_every_page_the_main_page_refers_to() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = run({
        let mut c = bare();
        c.arg("man").arg("--dir").arg(dir.path());
        c
    });
    assert_eq!(code, 0);
    let main = std::fs::read_to_string(dir.path().join("ptsearch.1")).unwrap();
    let see_also = main.split(".SH \"SEE ALSO\"").nth(1).expect("SEE ALSO");
    let mut referenced = 0;
    for part in see_also.split("\\fBptsearch\\-").skip(1) {
        let name = part.split("\\fR").next().unwrap();
        let page = dir.path().join(format!("ptsearch-{name}.1"));
        assert!(
            page.is_file(),
            "{} referenced but not written",
            page.display()
        );
        referenced += 1;
    }
    // index, search, show, entities, stats, check, export, completions, man at least.
    assert!(referenced >= 9, "{see_also}");
}

#[test]
fn bash_completion_offers_entity_types_and_formats() {
    let (code, script, _) = run({
        let mut c = bare();
        c.args(["completions", "bash"]);
        c
    });
    assert_eq!(code, 0);
    let after = |flag: &str| -> String {
        script
            .split(&format!("{flag})"))
            .nth(1)
            .and_then(|s| s.lines().nth(1))
            .unwrap_or_default()
            .to_string()
    };
    for flag in ["--facet-type", "--type"] {
        let line = after(flag);
        assert!(
            line.contains("Gene Disease Chemical Species Variant CellLine"),
            "{flag}: {line}"
        );
    }
    let formats: Vec<&str> = script
        .split("--format)")
        .skip(1)
        .filter_map(|s| s.lines().nth(1))
        .collect();
    assert!(
        formats
            .iter()
            .any(|l| l.contains("tsv") && l.contains("biocxml") && l.contains("quickwit-ndjson")),
        "{formats:?}"
    );
}

#[test]
fn query_warnings_reach_stderr_and_the_json_summary() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    crate::util::index_files(&index, &[&data("ranking.pubtator")]);
    let (_, out, _) = run({
        let mut c = ptsearch(&index);
        c.args(["search", "cancer +", "--format", "json"]);
        c
    });
    let summary: serde_json::Value = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["type"] == "summary")
        .expect("a summary line");
    let warnings = summary["data"]["warnings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("'+'"))),
        "{summary}"
    );
    let (_, _, err) = run({
        let mut c = ptsearch(&index);
        c.args(["search", "cancer +"]);
        c
    });
    assert!(err.contains("warning:") && err.contains("'+'"), "{err}");
}
