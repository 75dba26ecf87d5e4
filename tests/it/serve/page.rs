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
