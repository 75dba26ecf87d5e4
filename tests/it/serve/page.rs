//! The search page's HTML: the start page says what the index holds (with example queries
//! that find what they claim), a page without hits offers no facet order and no export, and
//! the legend's toggles on a document view stay on that document.

use super::*;

/// The values of `attr="…"` in `html`, in order.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!("{attr}=\"");
    html.split(pat.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn the_start_page_says_what_the_index_holds_with_examples_that_find_documents() {
    let dir = fixture_index();
    let server = Server::start(dir.path(), &[]);
    let stats = server.json("/api/v1/stats");
    let r = server.get("/");
    assert_eq!(r.status, 200);
    let html = r.text();
    let documents = stats["documents"].as_u64().unwrap();
    assert!(
        html.contains(&format!("<strong id=\"documents\">{documents}</strong>")),
        "{html}"
    );
    // Every annotation type with its count.
    let counts: Vec<&str> = attrs(&html, "data-count");
    let annotations = stats["annotations"].as_object().unwrap();
    assert!(!annotations.is_empty());
    for (t, n) in annotations {
        assert!(
            html.contains(&format!(
                "data-type=\"{t}\" data-count=\"{}\"",
                n.as_u64().unwrap()
            )),
            "{t}"
        );
    }
    assert!(counts.len() == annotations.len());
    // The sources (annotation layers).
    for name in stats["per_source"].as_object().unwrap().keys() {
        assert!(html.contains(&format!("data-source=\"{name}\"")), "{name}");
    }
    // Examples: each finds the documents it says.
    let parts: Vec<&str> = html.split("class=\"example\"").skip(1).collect();
    assert!(parts.len() >= 2, "{html}");
    for part in parts {
        let claimed: u64 = attrs(part, "data-documents")[0].parse().unwrap();
        let query = part
            .split("<code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .unwrap();
        let found = server.json(&format!("/api/v1/search?q={}&limit=0", enc(query)));
        assert_eq!(found["total_hits"].as_u64(), Some(claimed), "{query}");
        assert!(claimed > 0, "{query}");
    }
}

#[test]
fn a_page_without_hits_offers_no_facet_order_and_no_export() {
    let dir = fixture_index();
    let server = Server::start(dir.path(), &[]);
    let hits = server.get("/?q=melanoma").text();
    assert!(hits.contains("class=\"fsort\""), "{hits}");
    assert!(hits.contains("id=\"export\""), "{hits}");
    let none = server.get("/?q=nosuchwordanywhere").text();
    assert!(none.contains("id=\"nohits\""), "{none}");
    assert!(!none.contains("class=\"fsort\""), "{none}");
    assert!(!none.contains("id=\"export\""), "{none}");
    assert!(!none.contains("/api/v1/export"), "{none}");
}

#[test]
fn legend_toggles_on_a_document_stay_on_the_document() {
    let dir = fixture_index();
    let server = Server::start(dir.path(), &[]);
    let html = server.get("/doc/31554797?from=%2F%3Fq%3Dbraf").text();
    let legend = html
        .split("id=\"legend\"")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .unwrap();
    let hrefs = attrs(legend, "href");
    assert_eq!(hrefs.len(), 6, "{legend}");
    for h in &hrefs {
        assert!(h.starts_with("/doc/31554797?hide="), "{h}");
        assert!(h.ends_with("&amp;from=%2F%3Fq%3Dbraf"), "{h}");
    }
    // Following one hides that type's colours on the same document, and the toggle turns it
    // back on.
    let gene = hrefs
        .iter()
        .find(|h| h.contains("hide=Gene"))
        .unwrap()
        .replace("&amp;", "&");
    let hidden = server.get(&gene).text();
    assert!(hidden.contains("data-id=\"31554797\""), "{hidden}");
    assert!(hidden.contains("hide-Gene"), "{hidden}");
    let legend = hidden
        .split("id=\"legend\"")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .unwrap();
    assert!(
        legend.contains("href=\"/doc/31554797?from=%2F%3Fq%3Dbraf\""),
        "{legend}"
    );
}

/// The relation lines of `pmid` in a PubTator file whose type is `rel_type`, as
/// `TYPE: A – B` keys (arguments in file order).
fn relation_lines(file: &Path, pmid: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 4 && c[0] == pmid && !c[1].chars().all(|ch| ch.is_ascii_digit()))
                .then(|| (c[1], c[2], c[3]))
        })
        .filter(|(t, _, _)| keep(t))
        .map(|(t, a, b)| format!("{t}: {a} – {b}"))
        .collect()
}

#[test]
fn a_hit_lists_the_relations_its_rel_clause_matched_on_every_door() {
    let dir = fixture_index();
    let seed = data("seed-31554797.pubtator");
    // The seed has Negative_Correlation lines (gene–disease) and an Association line
    // (disease–gene): a clause on Negative_Correlation between any gene and any disease
    // matched the first kind only, although every argument is a queried type.
    let want = relation_lines(&seed, "31554797", |t| t == "Negative_Correlation");
    let all = relation_lines(&seed, "31554797", |_| true);
    assert!(want.len() >= 2 && all.len() > want.len(), "{all:?}");
    let q = "rel:Negative_Correlation|Gene|Disease pmid:31554797";
    let hits = search_json(dir.path(), &[q]);
    let hit = hits.iter().find(|v| v["type"] == "hit").expect("a hit");
    let got: Vec<String> = hit["data"]["relations"]
        .as_array()
        .expect("matched relations")
        .iter()
        .map(|r| {
            format!(
                "{}: {} – {}",
                r["type"].as_str().unwrap(),
                r["args"][0].as_str().unwrap(),
                r["args"][1].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got, want);
    // The page shows the same lines, named.
    let server = Server::start(dir.path(), &[]);
    let html = server
        .get(&format!("/?q={}", q.replace('|', "%7C").replace(' ', "+")))
        .text();
    let shown: Vec<&str> = html
        .split("<span class=\"relation\">")
        .skip(1)
        .filter_map(|s| s.split("</span>").next())
        .collect();
    assert_eq!(shown.len(), want.len(), "{html}");
    assert!(
        shown
            .iter()
            .all(|s| s.starts_with("Negative_Correlation: ")),
        "{shown:?}"
    );
    // Without a rel: clause, lines between the queried entities are shown as before.
    let hits = search_json(dir.path(), &["gene:9970 disease:D009369"]);
    let hit = hits.iter().find(|v| v["type"] == "hit").expect("a hit");
    let n = hit["data"]["relations"].as_array().map_or(0, Vec::len);
    assert_eq!(n, 1, "{hit}");
}

/// The first document ID of a PubTator file.
fn first_id(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let line = text.lines().find(|l| l.contains("|t|")).unwrap();
    line.split('|').next().unwrap().to_string()
}

#[test]
fn documents_of_a_source_with_local_ids_are_never_linked_to_pubmed() {
    let dir = tempfile::tempdir().unwrap();
    let (gold, seed) = (data("ranking.pubtator"), data("seed-31554797.pubtator"));
    index_with(
        dir.path(),
        &["--quiet", "--ids", "local", "--source", "gold"],
        &[&gold],
    );
    index_with(dir.path(), &["--quiet"], &[&seed]);
    let (local, pmid) = (first_id(&gold), first_id(&seed));
    let pubmed = |id: &str| format!("https://pubmed.ncbi.nlm.nih.gov/{id}/");
    let listed = cli_stdout(dir.path(), &["sources", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&listed).unwrap();
    let ids_of = |name: &str| {
        rows.iter()
            .find(|r| r["source"] == name)
            .map(|r| r["ids"].clone())
    };
    assert_eq!(ids_of("gold"), Some(Value::from("local")), "{listed}");
    assert_eq!(
        ids_of("seed-31554797"),
        Some(Value::from("pmid")),
        "{listed}"
    );
    let server = Server::start(dir.path(), &[]);
    let html = server.get(&format!("/?q=pmid:{local}")).text();
    assert!(html.contains(&format!("ID {local}")), "{html}");
    assert!(!html.contains(&pubmed(&local)), "{html}");
    assert!(!server
        .get(&format!("/doc/{local}"))
        .text()
        .contains(&pubmed(&local)));
    let html = server.get(&format!("/?q=pmid:{pmid}")).text();
    assert!(html.contains(&pubmed(&pmid)), "{html}");
    assert!(server
        .get(&format!("/doc/{pmid}"))
        .text()
        .contains(&pubmed(&pmid)));
    drop(server);
    // The declaration stays with the source name until a run says otherwise.
    index_with(dir.path(), &["--quiet", "--source", "gold"], &[&gold]);
    assert!(cli_stdout(dir.path(), &["sources"]).contains("gold\t"));
    let listed = cli_stdout(dir.path(), &["sources"]);
    let row = listed.lines().find(|l| l.starts_with("gold\t")).unwrap();
    assert!(row.ends_with("\tlocal"), "{listed}");
    index_with(
        dir.path(),
        &["--quiet", "--ids", "pmid", "--source", "gold"],
        &[&gold],
    );
    let listed = cli_stdout(dir.path(), &["sources"]);
    let row = listed.lines().find(|l| l.starts_with("gold\t")).unwrap();
    assert!(row.ends_with("\tpmid"), "{listed}");
    // A wrong kind is refused with the valid names.
    let mut c = ptsearch(dir.path());
    c.args(["index", "--ids", "ordinal"]).arg(&gold);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pmid") && err.contains("local"), "{err}");
}
