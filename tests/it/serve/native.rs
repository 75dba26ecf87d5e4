//! The native API `/api/v1/`: search, errors, documents, entities, stats, health, export and
//! a concurrent index run, each checked against the CLI's answer for the same request.

use super::*;

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
        ("/api/v1/search?q=a&sort=newest", 400),
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

#[test]
fn serve_relations_and_entity_answer_like_the_cli() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    for (entity, extra) in [
        ("gene:673", ""),
        ("@GENE_BRAF", "&type=Association"),
        ("gene:673", "&partner_type=Disease"),
    ] {
        let mut args = vec!["relations", entity, "--format", "json", "-n", "20"];
        if let Some(t) = extra.strip_prefix("&type=") {
            args.extend(["--type", t]);
        }
        if let Some(t) = extra.strip_prefix("&partner_type=") {
            args.extend(["--partner-type", t]);
        }
        let cli: Vec<Value> = cli_stdout(index.path(), &args)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|l| l["type"] == "partner")
            .map(|l| l["data"].clone())
            .collect();
        assert!(!cli.is_empty(), "{entity}{extra}: the fixtures relate it");
        let got = server.json(&format!("/api/v1/relations?entity={}{extra}", enc(entity)));
        // The server lists up to 100 evidence IDs, the CLI 5: compare the rest.
        let strip = |rows: &[Value]| -> Vec<Value> {
            rows.iter()
                .map(|r| {
                    let mut r = r.clone();
                    r.as_object_mut().unwrap().remove("ids");
                    r
                })
                .collect()
        };
        assert_eq!(
            strip(got.as_array().unwrap()),
            strip(&cli),
            "{entity}{extra}"
        );
    }
    let cli: Value = serde_json::from_str(
        cli_stdout(index.path(), &["entity", "673", "--format", "json"])
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let got = server.json("/api/v1/entity?id=673");
    assert_eq!(got[0], cli);
    assert_eq!(cli["name"], "BRAF");
}

#[test]
fn serve_relations_take_pubtator3_verbs_like_rel() {
    // From the fixture file: the Negative_Correlation lines of gene 5133 (PD-1), by document.
    let text = std::fs::read_to_string(data("ranking.pubtator")).unwrap();
    let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 4 && cols[1] == "Negative_Correlation" {
            for (a, b) in [(cols[2], cols[3]), (cols[3], cols[2])] {
                if a == "5133" {
                    want.entry(b.to_string())
                        .or_default()
                        .insert(cols[0].to_string());
                }
            }
        }
    }
    assert!(!want.is_empty());
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    // `treat` is Negative_Correlation (PubTator3's verb, as `rel:` reads it).
    let native = server.json("/api/v1/relations?entity=gene:5133&type=treat");
    let got: BTreeMap<String, BTreeSet<String>> = native
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["type"], "Negative_Correlation", "{r}");
            let ids = r["ids"].as_array().unwrap().iter();
            (
                r["target"]["id"].as_str().unwrap().to_string(),
                ids.map(|i| i.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        native,
        server.json("/api/v1/relations?entity=gene:5133&type=Negative_Correlation")
    );
    let p3 = server.json("/pubtator3-api/relations?e1=@GENE_5133&type=treat");
    let targets: BTreeSet<String> = p3
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = want.keys().map(|k| format!("@DISEASE_{k}")).collect();
    assert_eq!(targets, expected, "{p3}");
}

/// The notes of `ptsearch search --format json` (the summary's `warnings`).
fn cli_warnings(index: &Path, q: &str) -> Value {
    let out = cli_stdout(index, &["search", q, "--format", "json"]);
    let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "summary");
    last["data"]["warnings"].clone()
}

#[test]
fn serve_and_cli_explain_empty_answers_alike() {
    // From the fixture files: the document IDs, and an ID annotated as a Disease only.
    let mut ids = BTreeSet::new();
    let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in fixtures() {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if let Some((id, _)) = line.split_once("|t|") {
                ids.insert(id.to_string());
            }
            if cols.len() >= 6 && cols[1].parse::<u64>().is_ok() {
                types
                    .entry(cols[5].to_string())
                    .or_default()
                    .insert(cols[4].to_string());
            }
        }
    }
    let absent = (1..)
        .map(|n| n.to_string())
        .find(|n| !ids.contains(n))
        .unwrap();
    let disease = types
        .iter()
        .find(|(id, t)| id.starts_with("MESH:") && t.len() == 1 && t.contains("Disease"))
        .map(|(id, _)| id.clone())
        .expect("a Disease ID");
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    for (q, note) in [
        (
            format!("pmid:{absent}"),
            format!("no document has ID '{absent}'"),
        ),
        (
            "year:1800".to_string(),
            "no document is from year 1800".to_string(),
        ),
        (
            format!("chemical:{disease}"),
            format!("try disease:{disease}"),
        ),
    ] {
        let cli = cli_warnings(index.path(), &q);
        let http = server.json(&format!("/api/v1/search?q={}", enc(&q)));
        assert_eq!(http["total_hits"], 0, "{q}");
        assert_eq!(http["warnings"], cli, "{q}");
        let text = cli.to_string();
        assert!(text.contains(&note), "{q}: {text}");
    }
}
