//! Watches and related articles over HTTP: the list, a watch's news (as the CLI's `news
//! --peek`), its Atom feed (parsed with an XML parser: well formed, Atom namespace, one entry
//! per new document with id, title, PubMed link, updated and summary, markup escaped) and
//! `documents/{id}/similar` (as the CLI's `similar`, never the document itself).

use super::*;
use quick_xml::events::Event;

/// The entries of an Atom feed: (id, title, link, updated, summary) each; panics on XML that
/// is not well formed or not Atom.
fn parse_atom(xml: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut entries, mut path): (Vec<BTreeMap<String, String>>, Vec<String>) = (vec![], vec![]);
    let mut feed_fields = BTreeSet::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"link" => {
                let href = e
                    .try_get_attribute("href")
                    .unwrap()
                    .map(|a| a.unescape_value().unwrap().into_owned())
                    .unwrap_or_default();
                entries.last_mut().unwrap().insert("link".into(), href);
            }
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if name == "feed" {
                    let ns = e.try_get_attribute("xmlns").unwrap().unwrap();
                    assert_eq!(ns.value.as_ref(), b"http://www.w3.org/2005/Atom");
                }
                assert_ne!(name, "script", "markup leaked into the feed");
                if name == "entry" {
                    entries.push(BTreeMap::new());
                }
                if path.len() == 1 {
                    feed_fields.insert(name.clone());
                }
                path.push(name);
            }
            Event::Text(t) => {
                let text = t.unescape().unwrap().into_owned();
                if path.len() == 3 && path[1] == "entry" {
                    entries.last_mut().unwrap().insert(path[2].clone(), text);
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for f in ["id", "title", "updated", "author"] {
        assert!(feed_fields.contains(f), "feed lacks <{f}>");
    }
    entries
}

#[test]
fn watches_news_feeds_and_similar_over_http() {
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&data("ranking.pubtator")]);
    let before: BTreeSet<String> = search_ids(dir.path(), "*").into_iter().collect();
    for (name, q) in [("braf", "gene:673"), ("all", "*")] {
        let mut c = ptsearch(dir.path());
        c.args(["watch", "add", name, q]);
        assert_eq!(run(c).0, 0);
    }
    index_files(
        dir.path(),
        &[&data("seed-31554797.pubtator"), &data("serve/xss.pubtator")],
    );
    let braf_now: BTreeSet<String> = search_ids(dir.path(), "gene:673").into_iter().collect();
    let fresh: BTreeSet<String> = braf_now.difference(&before).cloned().collect();
    assert!(fresh.contains("9001"), "the XSS fixture is news");
    let cli: Value = serde_json::from_str(
        cli_stdout(dir.path(), &["news", "braf", "--peek", "--format", "json"]).trim(),
    )
    .unwrap();
    let server = Server::start(dir.path(), &[]);

    let listed = server.json("/api/v1/watches");
    assert_eq!(listed[0]["name"], "braf");
    assert_eq!(listed[0]["news"], fresh.len());
    let news = server.json("/api/v1/watches/braf/news");
    assert_eq!(news["new"], cli["new"]);
    assert_eq!(news["watch"], "braf");

    let feed = server.get("/api/v1/watches/braf/feed.atom");
    assert_eq!(feed.status, 200);
    assert!(feed
        .header("content-type")
        .starts_with("application/atom+xml"));
    let entries = parse_atom(&feed.text());
    let ids: BTreeSet<String> = entries
        .iter()
        .map(|e| {
            for k in ["id", "title", "link", "updated", "summary"] {
                assert!(e.contains_key(k), "entry lacks <{k}>: {e:?}");
            }
            assert_eq!(e["id"], e["link"]);
            assert!(e["summary"].contains("(Gene:673)"), "{e:?}");
            e["link"]
                .strip_prefix("https://pubmed.ncbi.nlm.nih.gov/")
                .and_then(|s| s.strip_suffix('/'))
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, fresh);
    let xss = entries.iter().find(|e| e["id"].contains("/9001/")).unwrap();
    assert!(xss["title"].starts_with("<script>alert(1)</script> BRAF"));
    // The server never moves the marks.
    let again: Value = serde_json::from_str(
        cli_stdout(dir.path(), &["news", "braf", "--peek", "--format", "json"]).trim(),
    )
    .unwrap();
    assert_eq!(again["new"], cli["new"]);
    let r = server.get("/api/v1/watches/nope/feed.atom");
    assert_eq!(r.status, 404, "{}", r.text());

    // Related articles: the CLI's answer, never the document itself.
    let similar = server.json("/api/v1/documents/31554797/similar?limit=5");
    let hits: Vec<&str> = similar["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(!hits.is_empty() && !hits.contains(&"31554797"), "{hits:?}");
    let cli = cli_stdout(
        dir.path(),
        &["similar", "31554797", "-n", "5", "--format", "tsv"],
    );
    let cli_ids: Vec<&str> = cli
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    assert_eq!(hits, cli_ids);
    assert_eq!(server.get("/api/v1/documents/404404/similar").status, 404);

    // The page: a "Similar articles" panel on the document view, and the watches view.
    let doc = server.get("/doc/31554797").text();
    let panel = &doc[doc.find("id=\"similar\"").expect("similar panel")..];
    for id in &cli_ids {
        assert!(
            panel.contains(&format!("href=\"/doc/{id}\"")),
            "{id} not in the panel"
        );
    }
    let page = server.get("/watches");
    assert_eq!(page.status, 200);
    let page = page.text();
    assert!(page.contains("/api/v1/watches/braf/feed.atom"));
    for id in &fresh {
        assert!(
            page.contains(&format!("href=\"/doc/{id}\"")),
            "{id} not on /watches"
        );
    }
    assert!(!page.contains("<script>alert"), "stored text not escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
