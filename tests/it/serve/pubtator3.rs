//! The PubTator3-compatible endpoints: search's response shape and hit set, autocomplete,
//! publication export and relation partners.

use super::*;

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
    // The description counts the documents, in the singular for one.
    let n = pmids.len();
    let want = if n == 1 {
        "1 document".to_string()
    } else {
        format!("{n} documents")
    };
    assert_eq!(first["description"], want.as_str());
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
    let ids: Vec<&str> = j["PubTator3"]
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
        .map(|p| p.as_u64().unwrap().to_string())
        .collect();
    pmids.sort();
    let mut want = want_docs.clone();
    want.sort();
    assert_eq!(pmids, want);
    let neg = server.json("/pubtator3-api/relations?e1=gene:5133&type=negative_correlate");
    assert_eq!(neg[0]["target"], "@DISEASE_MESH:D015179");
    assert_eq!(neg[0]["publications"], 1);
    assert_eq!(neg[0]["pmids"], serde_json::json!([1003]));
    assert_eq!(
        server.json("/pubtator3-api/relations?e1=@GENE_673&e2=Species"),
        serde_json::json!([])
    );
    assert_eq!(
        server.json("/pubtator3-api/relations?e1=@GENE_673&type=treat"),
        serde_json::json!([])
    );
}

/// The JSON type of a value, for shape comparisons.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `real` is in `ours` with a value of the same JSON type (`null` in the real file
/// matches anything: PubTator3 writes null for what it lacks), except the keys in `skip`.
fn same_shape(ours: &Value, real: &Value, skip: &[&str], at: &str) {
    let (o, r) = (ours.as_object().unwrap(), real.as_object().unwrap());
    for (k, rv) in r {
        if skip.contains(&k.as_str()) {
            continue;
        }
        let ov = o
            .get(k)
            .unwrap_or_else(|| panic!("{at}: no key {k} in {ours}"));
        if !rv.is_null() {
            assert_eq!(kind(ov), kind(rv), "{at}.{k}: {ov} vs {rv}");
        }
    }
}

#[test]
fn serve_pubtator3_answers_have_the_real_pubtator3_shapes() {
    let Some(root) = shared_corpora("serve_pubtator3_answers_have_the_real_pubtator3_shapes")
    else {
        return;
    };
    let path = root.join("bioc/export_22663011.json");
    let real: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let real_doc = &real["PubTator3"][0];
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&path]);
    let server = Server::start(dir.path(), &[]);

    // Export: PubTator3's envelope and document keys (`relations_display`, PubTator3's
    // rendering of its relations, is not produced).
    let ours = server.json("/pubtator3-api/publications/export/biocjson?pmids=22663011");
    let top: Vec<&String> = ours.as_object().unwrap().keys().collect();
    assert_eq!(top, real.as_object().unwrap().keys().collect::<Vec<_>>());
    let doc = &ours["PubTator3"][0];
    same_shape(doc, real_doc, &["relations_display"], "document");
    same_shape(
        &doc["passages"][0],
        &real_doc["passages"][0],
        &[],
        "passage",
    );
    assert_eq!(doc["pmid"], real_doc["pmid"]);
    assert_eq!(doc["journal"], real_doc["journal"]);
    assert_eq!(doc["date"], real_doc["date"]);

    // Search: the metadata the index holds (read from the title infons of the real file).
    let infons = &real_doc["passages"][0]["infons"];
    let citation = infons["journal"].as_str().unwrap();
    let doi = citation
        .split("doi: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('.');
    let authors: Vec<&str> = infons["authors"].as_str().unwrap().split(", ").collect();
    let r = server.json("/pubtator3-api/search/?text=melanoma");
    let hit = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["_id"] == "22663011")
        .expect("the document is found")
        .clone();
    assert_eq!(hit["pmid"], real_doc["pmid"]);
    assert_eq!(hit["journal"], real_doc["journal"]);
    assert_eq!(hit["date"], real_doc["date"]);
    assert_eq!(hit["doi"], doi);
    assert_eq!(hit["authors"], serde_json::json!(authors));

    // One type for a PMID: relation evidence lists PMIDs as search results do.
    let rel = server.json("/pubtator3-api/relations?e1=@GENE_673");
    let pmids = rel[0]["pmids"].as_array().unwrap();
    assert!(!pmids.is_empty(), "{rel}");
    for p in pmids {
        assert_eq!(kind(p), kind(&hit["pmid"]), "{rel}");
    }
}

#[test]
fn autocomplete_ids_find_their_own_entity_when_genes_share_a_name() {
    // "BRAF35" is written for gene 10362 in documents 101 and 102 and for gene 15353 in 103: a
    // name resolves to every ID with at least half the top one's documents, so the name finds
    // both genes and each suggestion needs its ID form. "TNFX" is written for 7124 in 104-106
    // and for 21926 in 107: the name resolves to 7124 alone, whose suggestion keeps it.
    let plan = [
        ("101", "10362", "BRAF35"),
        ("102", "10362", "BRAF35"),
        ("103", "15353", "BRAF35"),
        ("104", "7124", "TNFX"),
        ("105", "7124", "TNFX"),
        ("106", "7124", "TNFX"),
        ("107", "21926", "TNFX"),
    ];
    let mut text = String::new();
    for (pmid, id, name) in plan {
        let end = name.len();
        text.push_str(&format!(
            "{pmid}|t|{name} in a cohort\n{pmid}|a|Text.\n{pmid}\t0\t{end}\t{name}\tGene\t{id}\n\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared-names.pubtator");
    std::fs::write(&file, text).unwrap();
    let index = dir.path().join("index");
    index_files(&index, &[&file]);
    let server = Server::start(&index, &[]);
    let mut ids = Vec::new();
    for query in ["braf35", "tnfx"] {
        let a = server.json(&format!(
            "/pubtator3-api/entity/autocomplete/?query={query}&concept=gene"
        ));
        for item in a.as_array().unwrap() {
            let id = item["db_id"].as_str().unwrap();
            let mut want: Vec<String> = plan
                .iter()
                .filter(|(_, g, _)| *g == id)
                .map(|(p, _, _)| p.to_string())
                .collect();
            want.sort();
            let (mut pmids, _) = pubtator3_pmids(&server, item["_id"].as_str().unwrap());
            pmids.sort();
            assert_eq!(pmids, want, "{item}");
            ids.push(item["_id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(
        ids,
        ["@GENE_10362", "@GENE_15353", "@GENE_TNFX", "@GENE_21926"]
    );
}
