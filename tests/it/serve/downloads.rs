//! TSV with chosen columns (`search --format tsv --columns`, `export --format tsv`, HTTP
//! `format=tsv&columns=`) answers alike on the CLI and over HTTP, and downloads carry a file
//! name (`Content-Disposition: attachment; filename="ptsearch-<query>.<ext>"`).

use super::*;

const COLUMNS: &str = "pmid,title,year,journal,authors,abstract,score";

/// The BioC fixtures with metadata (year, journal, authors) and several passages.
fn metadata_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    index_files(
        dir.path(),
        &[
            &data("interop/citations.bioc.xml"),
            &data("interop/full_text_sections.bioc.xml"),
        ],
    );
    dir
}

/// The fields of one TSV line as Python's csv module reads them (quoted fields may hold tabs,
/// line breaks and doubled quotes): the records of `text`.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, '\t') => row.push(std::mem::take(&mut cell)),
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                out.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    out
}

#[test]
fn tsv_columns_answer_alike_on_the_cli_and_over_http() {
    let dir = metadata_index();
    let index = dir.path();
    let cli = cli_stdout(
        index,
        &[
            "search",
            "*",
            "-n",
            "100",
            "--format",
            "tsv",
            "--columns",
            COLUMNS,
        ],
    );
    let rows = records(&cli);
    assert_eq!(
        rows[0],
        ["id", "title", "year", "journal", "authors", "abstract", "score"]
    );
    assert!(rows.iter().all(|r| r.len() == 7), "{rows:?}");
    let by_id = |id: &str| rows.iter().find(|r| r[0] == id).cloned().unwrap();
    // From the fixture: the year, the authors joined by "; ", the abstract passage.
    let first = by_id("900001");
    assert_eq!(first[1], "Hypertrophic chondrocytes in culture");
    assert_eq!(first[2], "1992");
    assert_eq!(first[4], "Müller T; Smith J");
    assert_eq!(first[5], "Chondrocytes were grown in suspension culture.");
    // The journal as the JSON hit carries it.
    let json = search_json_hit(index, "pmid:900001");
    assert_eq!(first[3], json["journal"].as_str().unwrap());
    assert!(!first[3].is_empty());
    // Several passages: one field holding line breaks, quoted, read back whole.
    let pmc = by_id("PMC42");
    assert_eq!(
        pmc[5],
        "Aspirin lowers risk.\nStroke is common.\nWe gave aspirin daily."
    );
    assert!(cli.contains("\"Aspirin lowers risk.\nStroke"), "{cli}");
    // The same over HTTP, as a download.
    let server = Server::start(index, &[]);
    let r = server.get(&format!(
        "/api/v1/search?q=*&limit=100&format=tsv&columns={}",
        enc(COLUMNS)
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .header("content-type")
        .starts_with("text/tab-separated-values"));
    assert_eq!(
        r.header("content-disposition"),
        "attachment; filename=\"ptsearch-all.tsv\""
    );
    assert_eq!(r.text(), cli);
    // Without columns: the default header on both doors.
    let plain = cli_stdout(index, &["search", "*", "--format", "tsv"]);
    assert!(
        plain.starts_with("rank\tid\tscore\ttitle\tentities\n"),
        "{plain}"
    );
    assert_eq!(server.get("/api/v1/search?q=*&format=tsv").text(), plain);
    // export --format tsv: documents in ID order, the same columns but no rank or score.
    let cols = "pmid,title,year,journal,authors,abstract";
    let export = cli_stdout(index, &["export", "--format", "tsv", "--columns", cols]);
    let e = records(&export);
    assert_eq!(e.len(), 1 + 5, "{export}");
    assert_eq!(
        e[0],
        ["id", "title", "year", "journal", "authors", "abstract"]
    );
    assert_eq!(
        e[1][..3],
        ["900001", "Hypertrophic chondrocytes in culture", "1992"]
    );
    let r = server.get(&format!("/api/v1/export?format=tsv&columns={}", enc(cols)));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), export);
    assert_eq!(
        cli_stdout(index, &["export", "--format", "tsv"])
            .lines()
            .next(),
        Some("id\ttitle")
    );
    // The same refusals with the same words.
    for (args, target, message) in [
        (
            vec!["search", "*", "--format", "tsv", "--columns", "pmid,doi"],
            "/api/v1/search?q=*&format=tsv&columns=pmid,doi",
            "unknown TSV column 'doi'; valid: rank, id, score, title, entities, year, journal, authors, abstract (pmid = id)",
        ),
        (
            vec!["export", "--format", "tsv", "--columns", "pmid,score"],
            "/api/v1/export?format=tsv&columns=pmid,score",
            "an export has no 'score' column",
        ),
    ] {
        let mut c = ptsearch(index);
        c.args(&args);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(message), "{err}");
        let r = server.get(target);
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.text().contains(message), "{}", r.text());
    }
}

fn search_json_hit(index: &Path, query: &str) -> Value {
    let out = cli_stdout(index, &["search", query, "--format", "json"]);
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    first["data"].clone()
}

#[test]
fn exports_and_document_formats_download_under_a_file_name() {
    let dir = fixture_index();
    let server = Server::start(dir.path(), &[]);
    for (target, name) in [
        (
            "/api/v1/export?q=gene:673&format=jsonl",
            "ptsearch-gene-673.jsonl",
        ),
        (
            "/api/v1/export?q=BRAF%20melanoma",
            "ptsearch-braf-melanoma.pubtator",
        ),
        ("/api/v1/export?format=biocxml", "ptsearch-all.xml"),
        (
            "/api/v1/documents/31554797?format=biocjson",
            "ptsearch-31554797.json",
        ),
        (
            "/api/v1/graph?q=melanoma&format=cyjs",
            "ptsearch-melanoma-network.cyjs",
        ),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        assert_eq!(
            r.header("content-disposition"),
            format!("attachment; filename=\"{name}\""),
            "{target}"
        );
    }
    // A JSON answer is not a download.
    let r = server.get("/api/v1/documents/31554797");
    assert_eq!(r.header("content-disposition"), "");
}
