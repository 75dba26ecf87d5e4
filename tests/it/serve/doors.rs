//! The front doors share one vocabulary: the same bad option value gets the same message from
//! the CLI and the HTTP API (Python's `ValueError` is checked in `python/tests`), and facet order
//! is reachable over HTTP with the CLI's answer.

use super::*;

#[test]
fn the_same_bad_option_value_gets_the_same_message_from_cli_and_http() {
    let dir = fixture_index();
    let server = Server::start(dir.path(), &[]);
    for (flag, param, value, message) in [
        (
            "--sort",
            "sort",
            "newest",
            "unknown sort order 'newest'; valid: relevance, date, id",
        ),
        (
            "--facet-sort",
            "facet_sort",
            "x",
            "unknown facet order 'x'; valid: count, lift, significance",
        ),
    ] {
        let mut c = ptsearch(dir.path());
        c.args(["search", "cancer", flag, value]);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(message), "CLI {flag}: {err}");
        let r = server.get(&format!("/api/v1/search?q=cancer&{param}={value}"));
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.text().contains(message), "HTTP {param}: {}", r.text());
    }
    for (flag, param, value, message) in [
        (
            "--edges",
            "edges",
            "cites",
            "unknown edge kind 'cites'; valid: comention, sentence, relation",
        ),
        (
            "--weight",
            "weight",
            "pmi",
            "unknown edge weight 'pmi'; valid: docs, npmi",
        ),
        (
            "--format",
            "format",
            "dot",
            "unknown graph format 'dot'; valid: graphml, cyjs, xgmml, tsv, jsonl",
        ),
    ] {
        let mut c = ptsearch(dir.path());
        c.args(["graph", "cancer", flag, value]);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(message), "CLI graph {flag}: {err}");
        let r = server.get(&format!("/api/v1/graph?q=cancer&{param}={value}"));
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(
            r.text().contains(message),
            "HTTP graph {param}: {}",
            r.text()
        );
    }
    // An export format: the CLI's export and the HTTP export accept the same names.
    let message = "unknown export format 'dot'; valid: tsv, pubtator, jsonl, biocxml, biocjson, quickwit-ndjson";
    let mut c = ptsearch(dir.path());
    c.args(["export", "--format", "dot"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(message), "CLI export: {err}");
    let r = server.get("/api/v1/export?format=dot");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains(message), "HTTP export: {}", r.text());
    for alias in ["bioc-xml", "BIOCXML"] {
        let r = server.get(&format!("/api/v1/export?q=cancer&format={alias}"));
        assert_eq!(r.status, 200, "{alias}: {}", r.text());
        assert!(r.text().contains("<collection>"), "{alias}");
    }
    let mut c = ptsearch(dir.path());
    c.args(["index", "--format", "csv", "x"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown input format 'csv'; valid: auto, pubtator, bioc-xml, bioc-json, pubmed-xml, tar"),
        "{err}"
    );
    // Facet order over HTTP answers what the CLI answers.
    for order in ["lift", "significance"] {
        let cli = cli_stdout(
            dir.path(),
            &[
                "search",
                "melanoma",
                "--facet-sort",
                order,
                "--format",
                "json",
                "--limit",
                "0",
            ],
        );
        let cli_summary: Value = serde_json::from_str(cli.lines().last().unwrap()).unwrap();
        let http = server.json(&format!(
            "/api/v1/search?q=melanoma&facet_sort={order}&limit=0"
        ));
        assert_eq!(http["facets"], cli_summary["data"]["facets"], "{order}");
        assert!(http["facets"].as_array().is_some_and(|f| !f.is_empty()));
    }
}

#[test]
fn sentences_over_http_are_the_cli_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    crate::util::index_files(&ix, &[&crate::util::data("sentences.pubtator")]);
    let server = Server::start(&ix, &[]);
    let q = "gene:673 disease:D008545";
    let cli = cli_stdout(&ix, &["sentences", "--format", "json", "-n", "5", q]);
    let rows: Vec<Value> = cli
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "sentence")
        .map(|v| v["data"].clone())
        .collect();
    let http = server.json("/api/v1/sentences?q=gene:673%20disease:D008545&limit=5");
    assert_eq!(http["sentences"].as_array().unwrap(), &rows);
    assert_eq!(rows.len(), 5);
    assert_eq!(http["summary"]["total_documents"], 5);
    let r = server.get("/api/v1/sentences?q=sentence:(");
    assert_eq!(r.status, 400, "{}", r.text());
    let r = server.get("/api/v1/sentences");
    assert_eq!(r.status, 400, "{}", r.text());
    // Hits carry their evidence over HTTP as on the CLI.
    let hits = server.json("/api/v1/search?q=sentence:(gene:673%20disease:D008545)");
    let ev = &hits["hits"][0]["evidence"][0];
    assert!(ev["text"].as_str().unwrap().contains("BRAF"), "{ev}");
}

#[test]
fn an_undecodable_path_is_a_json_error() {
    let dir = fixture_index();
    let server = Server::start(dir.path(), &[]);
    for target in [
        "/api/v1/documents/%FF",
        "/pubtator3-api/publications/export/%FF?pmids=1",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 400, "{target}: {}", r.text());
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{target}"
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("bad path"));
    }
}
