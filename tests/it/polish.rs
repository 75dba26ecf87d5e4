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

/// A corpus with one bad line, one annotation whose mention is not in the text, and two files
/// that are no corpus; the summary groups them and says what to do.
fn messy_corpus(dir: &std::path::Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.pubtator"),
        "1|t|BRAF in melanoma\n1|a|We study BRAF.\n\
         1\t0\t4\tBRAF\tGene\t673\n\
         1\t40\t47\tghostly\tGene\t999\n\
         1\t5\tzz\tword\tGene\t1\n\
         1\t8\t16\tmelanoma\tDisease\tD008545\n\n",
    )
    .unwrap();
    std::fs::write(corpus.join("README"), "Not a corpus file.\n").unwrap();
    std::fs::write(corpus.join("LICENSE"), "Public domain.\n").unwrap();
    corpus
}

#[test]
fn the_index_summary_groups_warnings_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = messy_corpus(dir.path());
    let index = dir.path().join("idx");
    let mut c = ptsearch(&index);
    c.arg("index").arg("--quiet").arg(&corpus);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    // One grouped line for the two non-corpus files, naming both.
    let skipped: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no supported format"))
        .collect();
    assert_eq!(skipped.len(), 1, "{err}");
    assert!(
        skipped[0].starts_with("skipped 2 inputs")
            && skipped[0].contains("README")
            && skipped[0].contains("LICENSE"),
        "{err}"
    );
    assert!(!err.contains("input error"), "{err}");
    // The bad line (line 5 of a.pubtator) is counted with its first location.
    assert!(
        err.contains("skipped lines or BioC items: 1 (the rest of each document was indexed"),
        "{err}"
    );
    let a = corpus.join("a.pubtator");
    assert!(
        err.contains(&format!("(first at {}:5)", a.display())),
        "{err}"
    );
    // The annotation with no text at its offsets, in words, with the command that lists it.
    assert!(err.contains("1 annotations kept without a span"), "{err}");
    assert!(err.contains("ptsearch check --unresolved"), "{err}");
    assert!(
        !err.contains("unresolved 1"),
        "internal counter names are gone: {err}"
    );
    // And that command lists it.
    let mut c = ptsearch(&index);
    c.args(["check", "--unresolved"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows, ["1\t40\t47\tghostly\tGene\t999"], "{out}");
}

#[test]
fn show_labels_character_offsets_like_json_and_json_uses_export_names() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let mut c = ptsearch(&index);
    c.arg("index")
        .arg("--quiet")
        .arg(data("utf8_offsets.pubtator"));
    assert_eq!(run(c).0, 0);
    let id = std::fs::read_to_string(data("utf8_offsets.pubtator"))
        .unwrap()
        .lines()
        .find_map(|l| l.split_once("|t|").map(|(id, _)| id.to_string()))
        .unwrap();
    let mut c = ptsearch(&index);
    c.args(["show", &id, "--format", "json"]);
    let (_, out, _) = run(c);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["passages", "annotations", "relations"] {
        assert!(v["document"][key].is_array(), "{key} in {out}");
    }
    assert!(v["document"].get("p").is_none(), "no internal keys: {out}");
    let mut c = ptsearch(&index);
    c.args(["show", &id, "--color", "never"]);
    let (_, text, _) = run(c);
    assert!(
        text.contains("character offsets in the title or abstract"),
        "{text}"
    );
    // Every JSON span appears in the text table with the same field and offsets.
    for s in v["spans"].as_array().unwrap() {
        let at = format!(
            "{:<8} {:>5}-{:<5}",
            s["field"].as_str().unwrap(),
            s["start"].as_u64().unwrap(),
            s["end"].as_u64().unwrap()
        );
        assert!(text.contains(&at), "{at:?} not in\n{text}");
    }
}
