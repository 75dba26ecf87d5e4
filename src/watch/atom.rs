//! The Atom 1.0 feed (RFC 4287) of one watch: one entry per new document, with its title, its
//! PubMed link, when it was indexed and the watch's entities found in it. Every text is
//! escaped; the feed is built from [`WatchNews`] alone (`ptsearch serve` answers it at
//! `/api/v1/watches/NAME/feed.atom`).

use super::{NewsDoc, WatchNews};
use quick_xml::escape::escape;
use std::fmt::Write;

/// The MIME type of the feed.
pub const ATOM_MIME: &str = "application/atom+xml; charset=utf-8";

/// The PubMed page of a numeric ID that is a PMID, else a tag URI naming the document.
fn entry_id(id: &str, pmid: bool) -> String {
    if let Some(url) = crate::pubtator::ids::pubmed_url(id).filter(|_| pmid) {
        url
    } else {
        let mut out = String::from("tag:ptsearch,2026:document:");
        for b in id.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
        out
    }
}

fn summary(d: &NewsDoc) -> String {
    let mut parts: Vec<String> = d
        .entities
        .iter()
        .map(|e| format!("{} ({}:{}) ×{}", e.text, e.entity_type, e.id, e.mentions))
        .collect();
    if !d.date.is_empty() {
        parts.insert(0, format!("published {}", d.date));
    }
    parts.join("; ")
}

/// Renders the feed; `updated` (ISO 8601) stands for entries whose indexing time is unknown
/// and for the feed when it has no entry.
pub fn atom_feed(news: &WatchNews, updated: &str) -> String {
    let feed_updated = news
        .new
        .iter()
        .map(|d| d.indexed_at.as_str())
        .filter(|t| !t.is_empty())
        .max()
        .unwrap_or(updated);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let name = escape(news.watch.as_str());
    let _ = writeln!(x, "  <id>tag:ptsearch,2026:watch:{name}</id>");
    let _ = writeln!(
        x,
        "  <title>ptsearch watch {name}: {}</title>",
        escape(news.query.as_str())
    );
    let _ = writeln!(x, "  <updated>{}</updated>", escape(feed_updated));
    x.push_str("  <author><name>ptsearch</name></author>\n");
    x.push_str("  <generator>ptsearch</generator>\n");
    for d in &news.new {
        let id = entry_id(&d.id, !d.local_id);
        let when = if d.indexed_at.is_empty() {
            updated
        } else {
            d.indexed_at.as_str()
        };
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <id>{}</id>", escape(id.as_str()));
        let _ = writeln!(x, "    <title>{}</title>", escape(d.title.as_str()));
        if id.starts_with("https://") {
            let _ = writeln!(
                x,
                "    <link rel=\"alternate\" href=\"{}\"/>",
                escape(id.as_str())
            );
        }
        let _ = writeln!(x, "    <updated>{}</updated>", escape(when));
        let _ = writeln!(x, "    <summary>{}</summary>", escape(summary(d).as_str()));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::FoundEntity;

    #[test]
    fn feeds_escape_every_text_and_link_pubmed() {
        let news = WatchNews {
            watch: "w".into(),
            query: "a <b> & \"c\"".into(),
            since_commit: 0,
            until_commit: 1,
            new: vec![NewsDoc {
                id: "123".into(),
                title: "<script>alert(1)</script> & more".into(),
                score: 1.0,
                date: "2020".into(),
                indexed_at: "2026-12-01T00:00:00Z".into(),
                changed_at: String::new(),
                entities: vec![FoundEntity {
                    entity_type: "Gene".into(),
                    id: "673".into(),
                    mentions: 2,
                    text: "BRAF<".into(),
                }],
                local_id: false,
            }],
            updated: Vec::new(),
            warnings: Vec::new(),
        };
        let x = atom_feed(&news, "2026-12-02T00:00:00Z");
        assert!(!x.contains("<script>"));
        assert!(x.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert!(x.contains("https://pubmed.ncbi.nlm.nih.gov/123/"));
        assert!(x.contains("BRAF&lt; (Gene:673) ×2"));
        assert!(x.contains("<updated>2026-12-01T00:00:00Z</updated>"));
        assert_eq!(
            entry_id("PMC1 x", true),
            "tag:ptsearch,2026:document:PMC1%20x"
        );
        assert_eq!(entry_id("12", false), "tag:ptsearch,2026:document:12");
    }
}
