//! The OpenAPI document lists every route and its documented paths answer; a PubTator3-style
//! Python client gets the CLI's PMIDs.

use super::*;

// ---------------------------------------------------------------------------------------------
// OpenAPI and the PubTator3-style client.

/// A value for a required parameter.
fn sample(name: &str) -> &'static str {
    match name {
        "q" | "text" => "melanoma",
        "prefix" | "query" => "bra",
        "pmids" => "1001,1002",
        "e1" => "@GENE_673",
        "entity" => "gene:5133",
        "id" => "5133",
        "descriptor" => "D009369",
        _ => "1",
    }
}

#[test]
fn serve_openapi_documents_every_route_and_every_documented_path_answers() {
    let index = fixture_index();
    // A watch for the `/api/v1/watches/{name}/...` paths.
    let mut c = ptsearch(index.path());
    c.args(["watch", "add", "w", "melanoma"]);
    assert_eq!(run(c).0, 0);
    // With the fixture MeSH, so that the vocabulary and tree paths answer too.
    let mut c = crate::util::ptsearch(index.path());
    c.args(["vocab", "add", "--quiet"])
        .arg(crate::util::data("vocab/desc2025.xml"));
    assert_eq!(crate::util::run(c).0, 0);
    let server = Server::start(index.path(), &[]);
    let doc = server.json("/api/v1/openapi.json");
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    let implemented: BTreeSet<&str> = ptsearch::serve::routes::PATHS.iter().copied().collect();
    assert_eq!(documented, implemented);
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let mut target = path
                .replace("{id}", "1001")
                .replace("{format}", "pubtator")
                .replace("{name}", "w");
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
