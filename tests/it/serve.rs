//! `ptsearch serve` end to end: the real binary on a free port over an index of the fixtures,
//! driven with a small HTTP/1.1 client on `std::net::TcpStream`. Every endpoint is checked,
//! including errors, against the CLI's answers for the same queries; PubTator3 shapes; the
//! XSS fixture; Host refusal; limits; the OpenAPI document; a PubTator3-style Python client.

use crate::util::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// A server process and an HTTP/1.1 client.

/// A running `ptsearch serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("ptsearch"))
            .env_remove("PTSEARCH_INDEX")
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ptsearch serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        let addr = first
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        Server { child, addr }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[], b"")
    }

    fn json(&self, target: &str) -> Value {
        let r = self.get(target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{target}: {}",
            r.header("content-type")
        );
        serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{target}: {e}: {}", r.text()))
    }

    fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut req = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        let has_length = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
        if !has_length && (!body.is_empty() || method == "POST") {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        // The server may answer (413) before reading a large body and close.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Response::parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response (chunked bodies decoded).
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            panic!("truncated chunked body");
        };
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        b = &b[eol + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

/// Percent-encodes a query parameter value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

fn fixtures() -> Vec<PathBuf> {
    vec![
        data("ranking.pubtator"),
        data("seed-31554797.pubtator"),
        data("export/hard_cases.pubtator"),
        data("serve/xss.pubtator"),
    ]
}

fn fixture_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = fixtures();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    index_files(dir.path(), &refs);
    dir
}

fn cli_stdout(index: &Path, args: &[&str]) -> String {
    let mut c = ptsearch(index);
    c.args(args);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "{args:?} failed ({code}): {err}");
    out
}

const QUERIES: [&str; 6] = [
    "melanoma",
    "gene:673",
    "BRAF melanoma",
    "rel:Association|gene:673|Disease",
    "@GENE_BRAF",
    "\"skin cancer\" OR gene:5133",
];

// ---------------------------------------------------------------------------------------------
// Native API.

#[test]
fn serve_search_answers_like_the_cli() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    for q in QUERIES {
        for facets in [false, true] {
            let mut args = vec!["-n", "50", q];
            let mut target = format!("/api/v1/search?q={}&limit=50", enc(q));
            if facets {
                args.push("--facets");
                target.push_str("&facets=true");
            }
            let cli = search_json(index.path(), &args);
            let hits: Vec<&Value> = cli
                .iter()
                .filter(|l| l["type"] == "hit")
                .map(|l| &l["data"])
                .collect();
            let summary = &cli.last().unwrap()["data"];
            let got = server.json(&target);
            assert_eq!(
                got["hits"].as_array().unwrap().iter().collect::<Vec<_>>(),
                hits,
                "{q}"
            );
            for k in [
                "query",
                "total_hits",
                "returned",
                "offset",
                "facets",
                "resolutions",
            ] {
                assert_eq!(got[k], summary[k], "{q}: {k}");
            }
            assert!(got["elapsed_ms"].is_number());
        }
    }
    // Paging and ID order.
    let all = server.json("/api/v1/search?q=*&limit=1000&sort=id");
    let ids: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let page = server.json("/api/v1/search?q=*&limit=2&offset=2&sort=id");
    let page_ids: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, ids[2..4]);
    assert_eq!(page["offset"], 2);
    // facet_type alone implies facets.
    let f = server.json("/api/v1/search?q=melanoma&facet_type=Gene");
    assert_eq!(f["facets"].as_array().unwrap().len(), 1);
}

#[test]
fn serve_errors_are_json_with_status_and_position() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    // A bad query: the CLI's message and position.
    for q in ["(melanoma", "a AND", "gene:", "type:Nonsense"] {
        let r = server.get(&format!("/api/v1/search?q={}", enc(q)));
        assert_eq!(r.status, 400, "{q}: {}", r.text());
        let e = r.json();
        let mut c = ptsearch(index.path());
        c.args(["search", q]);
        let (code, _, err) = run(c);
        assert_eq!(code, 2);
        let pos = e["error"]["position"].as_u64().expect("position");
        assert!(
            err.contains(&format!(
                "invalid query at position {pos}: {}",
                e["error"]["message"].as_str().unwrap()
            )),
            "{q}: {err} vs {e}"
        );
    }
    for (target, status) in [
        ("/api/v1/search", 400),
        ("/api/v1/search?q=", 400),
        ("/api/v1/search?q=a&limit=5000", 400),
        ("/api/v1/search?q=a&limit=-1", 400),
        ("/api/v1/search?q=a&limit=99999999999999999999999999", 400),
        ("/api/v1/search?q=a&offset=100000000", 400),
        ("/api/v1/search?q=a&facet_top=100000000", 400),
        ("/api/v1/search?q=a&sort=date", 400),
        ("/api/v1/search?q=a&facets=maybe", 400),
        ("/api/v1/documents/999999", 404),
        ("/api/v1/documents/1001?format=docx", 400),
        ("/api/v1/entities", 400),
        ("/api/v1/entities?prefix=a&limit=100000", 400),
        ("/api/v1/export?format=docx", 400),
        ("/api/v1/export?q=(", 400),
        ("/api/v1/nothing", 404),
        ("/nothing", 404),
        ("/pubtator3-api/search/", 400),
        ("/pubtator3-api/search/?text=a&page=100000000", 400),
        ("/pubtator3-api/publications/export/docx?pmids=1001", 404),
        ("/pubtator3-api/publications/export/pubtator", 400),
        ("/pubtator3-api/relations", 400),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, status, "{target}: {}", r.text());
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{target}"
        );
        assert!(r.json()["error"]["message"].is_string(), "{target}");
    }
    // A query longer than the query language's limit, inside the URI limit: 400.
    let long = "a".repeat(17_000);
    let r = server.get(&format!("/api/v1/search?q={}", enc(&long)));
    assert_eq!(r.status, 400, "{}", r.text());
    // Longer than the URI limit: 414, before any work.
    let r = server.get(&format!("/api/v1/search?q={}", "a".repeat(40_000)));
    assert_eq!(r.status, 414, "{}", r.text());
    assert!(r.json()["error"]["message"].is_string());
    // A body over the limit: 413 from its declared length, before it is read.
    let r = server.request(
        "POST",
        "/pubtator3-api/publications/export/pubtator",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", "2097152"),
        ],
        b"",
    );
    assert_eq!(r.status, 413, "{}", r.text());
    // Wrong method.
    let r = server.request("POST", "/api/v1/search?q=a", &[], b"");
    assert_eq!(r.status, 405);
    assert!(r.json()["error"]["message"].is_string());
}

#[test]
fn serve_documents_entities_stats_and_health_match_the_cli() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    for id in ["1001", "31554797", "101", "9001"] {
        let cli: Value =
            serde_json::from_str(&cli_stdout(index.path(), &["show", id, "--format", "json"]))
                .unwrap();
        assert_eq!(server.json(&format!("/api/v1/documents/{id}")), cli, "{id}");
        for format in ["pubtator", "biocjson", "jsonl"] {
            let r = server.get(&format!("/api/v1/documents/{id}?format={format}"));
            assert_eq!(r.status, 200);
            let cli = cli_stdout(index.path(), &["show", id, "--format", format]);
            if format == "biocjson" {
                let (mut a, mut b) = (r.json(), serde_json::from_str::<Value>(&cli).unwrap());
                // The collection's source and date differ by design.
                for v in [&mut a, &mut b] {
                    v["source"] = Value::Null;
                    v["date"] = Value::Null;
                }
                assert_eq!(a, b, "{id} {format}");
            } else {
                assert_eq!(r.text(), cli, "{id} {format}");
            }
        }
        let r = server.get(&format!("/api/v1/documents/{id}?format=biocxml"));
        assert!(r.header("content-type").starts_with("application/xml"));
        assert!(r.text().contains(&format!("<id>{id}</id>")), "{}", r.text());
    }
    for (prefix, t) in [
        ("bra", None),
        ("mela", Some("Disease")),
        ("pd", Some("gene")),
    ] {
        let mut args = vec!["entities", prefix, "--format", "json"];
        let mut target = format!("/api/v1/entities?prefix={prefix}");
        if let Some(t) = t {
            args.extend(["--type", t]);
            target.push_str(&format!("&type={t}"));
        }
        let cli: Vec<Value> = cli_stdout(index.path(), &args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(server.json(&target), Value::Array(cli), "{prefix}");
    }
    let mut stats = server.json("/api/v1/stats");
    let mut cli = crate::util::stats(index.path());
    stats["bytes_on_disk"] = Value::Null;
    cli["bytes_on_disk"] = Value::Null;
    assert_eq!(stats, cli);
    let health = server.json("/api/v1/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], cli["documents"]);
}

#[test]
fn serve_export_streams_what_the_cli_exports() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    for (q, format) in [
        ("melanoma", "pubtator"),
        ("*", "pubtator"),
        ("gene:673", "jsonl"),
        ("*", "quickwit-ndjson"),
    ] {
        let r = server.get(&format!("/api/v1/export?q={}&format={format}", enc(q)));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("transfer-encoding"), "chunked");
        let cli = cli_stdout(index.path(), &["export", q, "--format", format]);
        assert_eq!(r.text(), cli, "{q} {format}");
    }
    // No q: every document.
    let all = server.get("/api/v1/export");
    assert_eq!(all.text(), cli_stdout(index.path(), &["export"]));
    let xml = server
        .get("/api/v1/export?q=gene:673&format=biocxml")
        .text();
    assert!(xml.trim_end().ends_with("</collection>"), "{xml}");
}

#[test]
fn serve_sees_commits_of_a_concurrent_index_run() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let before = server.json("/api/v1/health")["documents"].as_u64().unwrap();
    index_files(index.path(), &[&data("tokenizer.pubtator")]);
    let want = crate::util::stats(index.path())["documents"]
        .as_u64()
        .unwrap();
    assert!(want > before);
    let started = Instant::now();
    loop {
        let now = server.json("/api/v1/health")["documents"].as_u64().unwrap();
        if now == want {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still {now} documents, want {want}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

// ---------------------------------------------------------------------------------------------
// PubTator3 compatibility.

/// Every PMID of a PubTator3 search, page by page.
fn pubtator3_pmids(server: &Server, text: &str) -> (Vec<String>, Value) {
    let mut out = Vec::new();
    let first = server.json(&format!("/pubtator3-api/search/?text={}", enc(text)));
    let pages = first["total_pages"].as_u64().unwrap();
    for page in 1..=pages {
        let p = server.json(&format!(
            "/pubtator3-api/search/?text={}&page={page}",
            enc(text)
        ));
        assert_eq!(p["current"], page);
        for r in p["results"].as_array().unwrap() {
            out.push(r["_id"].as_str().unwrap().to_string());
        }
    }
    (out, first)
}

#[test]
fn serve_pubtator3_search_has_pubtator3s_shape_and_the_cli_s_hits() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    for q in QUERIES.iter().copied().chain(["*"]) {
        let (pmids, first) = pubtator3_pmids(&server, q);
        assert_eq!(pmids, search_ids(index.path(), q), "{q}");
        for k in [
            "results",
            "count",
            "total_pages",
            "current",
            "page_size",
            "facets",
        ] {
            assert!(first.get(k).is_some(), "{q}: no {k} in {first}");
        }
        assert_eq!(first["page_size"], 10);
        assert_eq!(first["count"].as_u64().unwrap() as usize, pmids.len());
        assert_eq!(
            first["total_pages"].as_u64().unwrap() as usize,
            pmids.len().div_ceil(10)
        );
    }
    // Query words inside an annotated mention mark the mention; other annotations get
    // entity markup without <m>.
    let hl = |text: &str, id: &str| -> String {
        let r = server.json(&format!("/pubtator3-api/search/?text={}", enc(text)));
        let hit = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["_id"] == id)
            .unwrap_or_else(|| panic!("{id} not found for {text}"))
            .clone();
        if id.chars().all(|c| c.is_ascii_digit()) {
            assert_eq!(hit["pmid"], id.parse::<u64>().unwrap());
        }
        hit["text_hl"].as_str().unwrap().to_string()
    };
    let h = hl("BRAF melanoma", "1001");
    assert!(h.contains("@GENE_673 @@@<m>BRAF</m>@@@"), "{h}");
    assert!(
        h.contains("@DISEASE_MESH:D008545 @@@<m>melanoma</m>@@@"),
        "{h}"
    );
    // An entity query marks the entity only.
    let h = hl("gene:673", "1001");
    assert!(h.contains("@GENE_673 @@@<m>BRAF</m>@@@"), "{h}");
    assert!(h.contains("@DISEASE_MESH:D008545 @@@melanoma@@@"), "{h}");
    let h = hl("sequenced", "1001");
    assert!(h.contains(" We <m>sequenced</m> BRAF in"), "{h}");
    // Without the trailing slash too.
    assert_eq!(
        server.json("/pubtator3-api/search?text=melanoma"),
        server.json("/pubtator3-api/search/?text=melanoma")
    );
}

#[test]
fn serve_pubtator3_autocomplete_export_and_relations() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let a = server.json("/pubtator3-api/entity/autocomplete/?query=bra&concept=gene&limit=5");
    let first = &a[0];
    assert_eq!(first["_id"], "@GENE_BRAF");
    assert_eq!(first["db_id"], "673");
    assert_eq!(first["biotype"], "gene");
    assert_eq!(first["db"], "ncbi_gene");
    // Its _id searches like PubTator3's.
    let (pmids, _) = pubtator3_pmids(&server, first["_id"].as_str().unwrap());
    assert_eq!(pmids, search_ids(index.path(), "gene:673"));
    let d = server.json("/pubtator3-api/entity/autocomplete/?query=melan&concept=disease");
    assert_eq!(
        d[0]["_id"].as_str().unwrap().to_lowercase(),
        "@disease_melanoma"
    );
    assert_eq!(d[0]["db"], "ncbi_mesh");
    assert_eq!(d[0]["db_id"], "D008545");

    // Export by PMIDs: in the order asked, unknown ones skipped, no 100-ID cap.
    let mut expected = String::new();
    for id in ["1002", "1001"] {
        expected.push_str(&cli_stdout(
            index.path(),
            &["show", id, "--format", "pubtator"],
        ));
    }
    let r = server.get("/pubtator3-api/publications/export/pubtator?pmids=1002,1001,424242,1002");
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), expected);
    let r = server.get("/pubtator3-api/publications/export/pubtator?pmids=1002,1001&full=true");
    assert_eq!(r.text(), expected);
    let many: Vec<String> = (0..500)
        .map(|n| (5_000_000 + n).to_string())
        .chain(["1002".into(), "1001".into()])
        .collect();
    let r = server.get(&format!(
        "/pubtator3-api/publications/export/pubtator?pmids={}",
        many.join(",")
    ));
    assert_eq!(r.text(), expected);
    let body = serde_json::json!({"pmids": [1002, "1001"]}).to_string();
    let r = server.request(
        "POST",
        "/pubtator3-api/publications/export/pubtator",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.text(), expected);
    let r = server.request(
        "POST",
        "/pubtator3-api/publications/export/pubtator",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"pmids=1002%2C1001",
    );
    assert_eq!(r.text(), expected);
    let j = server
        .get("/pubtator3-api/publications/export/biocjson?pmids=1001,1002")
        .json();
    let ids: Vec<&str> = j["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1001", "1002"]);
    let x = server
        .get("/pubtator3-api/publications/export/biocxml?pmids=1001")
        .text();
    assert!(x.contains("<id>1001</id>"));

    // Relations: exact document counts of the fixture's relation lines.
    let rel = server.json("/pubtator3-api/relations?e1=@GENE_673");
    let rows: Vec<(String, String, String, u64)> = rel
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap().to_string(),
                r["source"].as_str().unwrap().to_string(),
                r["target"].as_str().unwrap().to_string(),
                r["publications"].as_u64().unwrap(),
            )
        })
        .collect();
    let want_docs = search_ids(
        index.path(),
        "rel:Association|gene:673|disease:MESH:D008545",
    );
    assert!(
        rows.contains(&(
            "associate".into(),
            "@GENE_673".into(),
            "@DISEASE_MESH:D008545".into(),
            want_docs.len() as u64
        )),
        "{rows:?}"
    );
    let by_name = server.json("/pubtator3-api/relations?e1=@GENE_BRAF&type=associate&e2=Disease");
    assert_eq!(by_name[0]["target"], "@DISEASE_MESH:D008545");
    let mut pmids: Vec<String> = by_name[0]["pmids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    pmids.sort();
    let mut want = want_docs.clone();
    want.sort();
    assert_eq!(pmids, want);
    let neg = server.json("/pubtator3-api/relations?e1=gene:5133&type=negative_correlate");
    assert_eq!(neg[0]["target"], "@DISEASE_MESH:D015179");
    assert_eq!(neg[0]["publications"], 1);
    assert_eq!(neg[0]["pmids"], serde_json::json!(["1003"]));
    assert_eq!(
        server.json("/pubtator3-api/relations?e1=@GENE_673&e2=Species"),
        serde_json::json!([])
    );
    assert_eq!(
        server.json("/pubtator3-api/relations?e1=@GENE_673&type=treat"),
        serde_json::json!([])
    );
}

// ---------------------------------------------------------------------------------------------
// Safety.

#[test]
fn serve_escapes_stored_markup_in_every_non_json_answer() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let danger = ["<script", "\"onmouseover=", "<b>"];
    // XML: escaped; no tag holds stored text.
    for target in [
        "/api/v1/documents/9001?format=biocxml",
        "/api/v1/export?q=pmid:9001&format=biocxml",
        "/pubtator3-api/publications/export/biocxml?pmids=9001",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        let text = r.text();
        assert!(text.contains("&lt;script&gt;"), "{target}: {text}");
        assert!(
            !text.contains("<script") && !text.contains("<b>"),
            "{target}: {text}"
        );
        for tag in text.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(!tag.contains("onmouseover"), "{target}: <{tag}>");
        }
    }
    // The search page (HTML): stored text is escaped in text and attribute values alike; the
    // only script is the page's own.
    for target in ["/?q=melanoma", "/?q=onmouseover", "/doc/9001"] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        assert!(
            r.header("content-type").starts_with("text/html"),
            "{target}"
        );
        let text = r.text();
        assert!(text.contains("&lt;script&gt;alert(1)"), "{target}: {text}");
        assert!(
            !text.contains("<script>") && !text.contains("<b>"),
            "{target}"
        );
        for tag in text.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(!tag.contains(" onmouseover"), "{target}: <{tag}>");
            assert!(
                !tag.starts_with("script") || tag.contains("src=\"/assets/page.js\""),
                "{target}: <{tag}>"
            );
        }
    }
    // Markup inside JSON (text_hl, autocomplete's match): escaped; only <m> is markup.
    let r = server.json("/pubtator3-api/search/?text=onmouseover");
    let hl = r["results"][0]["text_hl"].as_str().unwrap();
    assert!(hl.contains("&lt;script&gt;"), "{hl}");
    assert!(hl.contains("&quot;<m>onmouseover</m>="), "{hl}");
    for d in danger {
        assert!(!hl.contains(d), "{d} in {hl}");
    }
    // Plain-text formats cannot escape without changing the data: they are served as
    // text/plain or NDJSON that browsers must not sniff or run.
    for target in [
        "/api/v1/documents/9001?format=pubtator",
        "/api/v1/export?q=pmid:9001",
        "/pubtator3-api/publications/export/pubtator?pmids=9001",
        "/api/v1/export?q=pmid:9001&format=jsonl",
    ] {
        let r = server.get(target);
        let ct = r.header("content-type");
        assert!(
            ct.starts_with("text/plain") || ct.starts_with("application/x-ndjson"),
            "{target}: {ct}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{target}");
        assert!(r
            .header("content-security-policy")
            .contains("default-src 'none'"));
        assert!(r.header("content-security-policy").contains("sandbox"));
    }
    // Every answer, errors included, carries the headers.
    for target in ["/api/v1/health", "/nothing", "/api/v1/search?q=("] {
        assert_eq!(
            server.get(target).header("x-content-type-options"),
            "nosniff"
        );
    }
}

#[test]
fn serve_refuses_unexpected_host_headers_and_has_cors_only_when_asked() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "localhost.evil.example",
    ] {
        let r = server.request("GET", "/api/v1/health", &[("Host", host)], b"");
        assert_eq!(r.status, 403, "{host}");
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Host"));
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".into(),
    ] {
        let r = server.request("GET", "/api/v1/health", &[("Host", &host)], b"");
        assert_eq!(r.status, 200, "{host}");
    }
    let r = server.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "http://example.org")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), "");
    drop(server);
    let server = Server::start(index.path(), &["--cors", "http://localhost:3000"]);
    let r = server.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "http://localhost:3000")],
        b"",
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        "http://localhost:3000"
    );
    let r = server.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "http://example.org")],
        b"",
    );
    // Another origin: the header names only the configured one, so browsers refuse.
    assert_ne!(
        r.header("access-control-allow-origin"),
        "http://example.org"
    );
    assert_ne!(r.header("access-control-allow-origin"), "*");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let index = fixture_index();
    let mut server = Server::start(index.path(), &[]);
    assert_eq!(server.get("/api/v1/health").status, 200);
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            assert!(s.success(), "{s:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------------
// OpenAPI and the PubTator3-style client.

/// A value for a required parameter.
fn sample(name: &str) -> &'static str {
    match name {
        "q" | "text" => "melanoma",
        "prefix" | "query" => "bra",
        "pmids" => "1001,1002",
        "e1" => "@GENE_673",
        _ => "1",
    }
}

#[test]
fn serve_openapi_documents_every_route_and_every_documented_path_answers() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let doc = server.json("/api/v1/openapi.json");
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    let implemented: BTreeSet<&str> = ptsearch::serve::routes::PATHS.iter().copied().collect();
    assert_eq!(documented, implemented);
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let mut target = path.replace("{id}", "1001").replace("{format}", "pubtator");
            let mut query: BTreeMap<String, String> = BTreeMap::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "query" && p["required"] == true {
                    let name = p["name"].as_str().unwrap();
                    query.insert(name.into(), enc(sample(name)));
                }
            }
            if !query.is_empty() {
                let qs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                target.push('?');
                target.push_str(&qs.join("&"));
            }
            let r = if method == "post" {
                server.request(
                    "POST",
                    &target,
                    &[("Content-Type", "application/json")],
                    br#"{"pmids":[1001]}"#,
                )
            } else {
                server.get(&target)
            };
            assert_eq!(r.status, 200, "{method} {target}: {}", r.text());
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{path}");
            let declared: Vec<&String> = responses["200"]["content"]
                .as_object()
                .map(|c| c.keys().collect())
                .unwrap_or_default();
            let ct = r.header("content-type");
            assert!(
                declared.iter().any(|d| ct.starts_with(d.as_str())),
                "{method} {target}: {ct} not in {declared:?}"
            );
            // JSON answers carry the documented required properties.
            let schema = responses["200"]["content"]["application/json"]["schema"].as_object();
            if let Some(schema) = schema.filter(|_| ct.starts_with("application/json")) {
                let schema = resolve(&doc, schema);
                let body = r.json();
                let (obj, schema) = if schema["type"] == "array" {
                    match body.get(0) {
                        Some(first) => (
                            first.clone(),
                            resolve(&doc, schema["items"].as_object().unwrap()),
                        ),
                        None => continue,
                    }
                } else {
                    (body, schema)
                };
                for k in schema["required"].as_array().into_iter().flatten() {
                    let k = k.as_str().unwrap();
                    assert!(obj.get(k).is_some(), "{target}: no '{k}' in {obj}");
                }
            }
        }
    }
}

fn resolve(doc: &Value, schema: &serde_json::Map<String, Value>) -> Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            doc["components"]["schemas"][name].clone()
        }
        None => Value::Object(schema.clone()),
    }
}

#[test]
fn serve_pubtator3_python_client_gets_the_cli_s_pmids() {
    let python = Command::new("python3").arg("--version").output();
    if python.is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 is required under CI"
        );
        eprintln!("SKIPPED serve_pubtator3_python_client_gets_the_cli_s_pmids: no python3");
        return;
    }
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let script = root().join("scripts/pubtator3-client.py");
    for q in ["melanoma", "@GENE_BRAF", "cancer OR immune"] {
        let out = Command::new("python3")
            .arg(&script)
            .args(["--base-url", &format!("{}/pubtator3-api", server.base())])
            .args(["search", q])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        let cli: Vec<String> = search_json(index.path(), &["--all", q])
            .iter()
            .filter(|l| l["type"] == "hit")
            .map(|l| l["data"]["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!cli.is_empty(), "{q}");
        assert_eq!(got, cli, "{q}");
    }
    // Its export command fetches the same documents as the CLI shows.
    let out = Command::new("python3")
        .arg(&script)
        .args(["--base-url", &format!("{}/pubtator3-api", server.base())])
        .args(["export", "--format", "pubtator", "1001", "1002"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut want = cli_stdout(index.path(), &["show", "1001", "--format", "pubtator"]);
    want.push_str(&cli_stdout(
        index.path(),
        &["show", "1002", "--format", "pubtator"],
    ));
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}
