//! The page's state, all of it in the URL: `/?q=QUERY&page=N&sort=relevance|date|id&fsort=count|lift|significance
//! &hide=Gene,Disease`, and the query edits behind facet clicks and filter chips.
//!
//! Where it sits in the flow: the handlers (`mod.rs`) deserialize [`PageParams`] from the query
//! string, the renderers build every link with [`View::href`] so that reloading or
//! bookmarking any view gives it back, and facet values / chips add or remove `type:ID`
//! clauses in the query text itself ([`with_clause`], [`chips`]), so the query box always shows
//! what is searched.

use crate::pubtator::ids::canonical_type_name;
use crate::search::query::parse::{parse, Clause, Node};
use crate::search::Order;
use serde::Deserialize;

/// Hits per page unless `per` says otherwise.
pub const DEFAULT_PER_PAGE: usize = 20;
/// Largest page size.
pub const MAX_PER_PAGE: usize = 100;
/// Deepest hit a page may start at (deeper pages are clamped; exports have no limit).
pub const MAX_OFFSET: usize = 100_000;

/// The query string of `/`, as sent (every field optional and forgiving).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageParams {
    /// The query.
    #[serde(default)]
    pub q: Option<String>,
    /// 1-based page number.
    #[serde(default)]
    pub page: Option<String>,
    /// Hits per page.
    #[serde(default)]
    pub per: Option<String>,
    /// Hit order: `relevance` (default) or `id`.
    #[serde(default)]
    pub sort: Option<String>,
    /// Facet order: `count` (default) or `lift`.
    #[serde(default)]
    pub fsort: Option<String>,
    /// Entity types whose colours are toggled off, comma-separated.
    #[serde(default)]
    pub hide: Option<String>,
    /// Facet scope: `document` (default) or `sentence`.
    #[serde(default)]
    pub fscope: Option<String>,
    /// MeSH tree level of the tree facet panel (needs a MeSH vocabulary).
    #[serde(default)]
    pub facet_level: Option<String>,
}

pub use crate::search::facets::{FacetScope, FacetSort};

/// [`PageParams`] checked and normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The query (trimmed; empty for the start page).
    pub q: String,
    /// 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per: usize,
    /// Hit order.
    pub sort: Order,
    /// Facet order.
    pub fsort: FacetSort,
    /// Facet scope.
    pub fscope: FacetScope,
    /// Canonical types toggled off.
    pub hide: Vec<&'static str>,
    /// Tree facet level (1..=13), when shown.
    pub level: Option<usize>,
    /// On the document view: its path (`/doc/ID`, encoded) and the results URL it came from, so
    /// that the legend's toggles stay on the document ([`View::toggle_href`]).
    pub doc: Option<(String, Option<String>)>,
}

impl PageParams {
    /// Normalizes the parameters; nonsense falls back to defaults instead of failing.
    pub fn view(&self) -> View {
        let num = |s: &Option<String>| s.as_deref().and_then(|v| v.trim().parse::<usize>().ok());
        let per = num(&self.per)
            .filter(|p| *p > 0)
            .unwrap_or(DEFAULT_PER_PAGE)
            .min(MAX_PER_PAGE);
        let max_page = MAX_OFFSET / per + 1;
        let page = num(&self.page)
            .filter(|p| *p > 0)
            .unwrap_or(1)
            .min(max_page);
        let sort = match self.sort.as_deref() {
            Some("id") => Order::Id,
            Some("date") => Order::Date,
            _ => Order::Relevance,
        };
        let fsort = self
            .fsort
            .as_deref()
            .and_then(|s| s.parse::<FacetSort>().ok())
            .unwrap_or(FacetSort::Count);
        let fscope = match self.fscope.as_deref() {
            Some("sentence") => FacetScope::Sentence,
            _ => FacetScope::Document,
        };
        let mut hide: Vec<&'static str> = self
            .hide
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|t| canonical_type_name(t.trim()))
            .collect();
        hide.sort_unstable();
        hide.dedup();
        let level = num(&self.facet_level)
            .filter(|l| (1..=crate::search::tree::MAX_FACET_LEVEL).contains(l));
        View {
            q: self.q.as_deref().unwrap_or("").trim().to_string(),
            page,
            per,
            sort,
            fsort,
            fscope,
            hide,
            level,
            doc: None,
        }
    }
}

/// Percent-encodes a query-string value (everything but unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl View {
    /// Offset of the first hit of the page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.per
    }

    /// The URL of this view (parameters at their default are left out).
    pub fn href(&self) -> String {
        let mut parts = vec![format!("q={}", encode(&self.q))];
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if self.per != DEFAULT_PER_PAGE {
            parts.push(format!("per={}", self.per));
        }
        match self.sort {
            Order::Id => parts.push("sort=id".into()),
            Order::Date => parts.push("sort=date".into()),
            Order::Relevance => {}
        }
        if self.fsort != FacetSort::Count {
            parts.push(format!("fsort={}", self.fsort));
        }
        if self.fscope == FacetScope::Sentence {
            parts.push("fscope=sentence".into());
        }
        if !self.hide.is_empty() {
            parts.push(format!("hide={}", self.hide.join(",")));
        }
        if let Some(l) = self.level {
            parts.push(format!("facet_level={l}"));
        }
        format!("/?{}", parts.join("&"))
    }

    /// This view with another query, back on page 1.
    pub fn with_query(&self, q: String) -> View {
        View {
            q,
            page: 1,
            ..self.clone()
        }
    }

    /// This view on another page.
    pub fn with_page(&self, page: usize) -> View {
        View {
            page,
            ..self.clone()
        }
    }

    /// Where a legend toggle of `entity_type` leads: this view with the type's colours
    /// switched — the same document on the document view, else the same results.
    pub fn toggle_href(&self, entity_type: &'static str) -> String {
        let v = self.toggled(entity_type);
        let Some((path, from)) = &v.doc else {
            return v.href();
        };
        let mut parts: Vec<String> = Vec::new();
        if !v.hide.is_empty() {
            parts.push(format!("hide={}", v.hide.join(",")));
        }
        if let Some(f) = from {
            parts.push(format!("from={}", encode(f)));
        }
        if parts.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }

    /// This view with a type's colours toggled.
    pub fn toggled(&self, entity_type: &'static str) -> View {
        let mut v = self.clone();
        if let Some(i) = v.hide.iter().position(|t| *t == entity_type) {
            v.hide.remove(i);
        } else {
            v.hide.push(entity_type);
            v.hide.sort_unstable();
        }
        v
    }
}

/// The query clause selecting one entity: `gene:2064`, `disease:MESH:D009369` (the library's
/// paste-ready form, [`crate::search::query::clause`]).
pub fn clause(entity_type: &str, id: &str) -> String {
    crate::search::query::clause(entity_type, id)
}

/// An active entity filter of the query: a top-level `type:ID` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    /// Canonical type.
    pub entity_type: &'static str,
    /// The ID as written.
    pub id: String,
    /// The clause as written in the query.
    pub text: String,
    /// The query without the clause.
    pub without: String,
}

/// The query with `clause` added (AND), unless it is already there as a top-level clause.
pub fn with_clause(q: &str, clause: &str) -> String {
    if chips(q).iter().any(|c| c.text == clause) {
        return q.to_string();
    }
    let q = q.trim();
    if q.is_empty() || q == "*" {
        return clause.to_string();
    }
    // Parenthesize a top-level OR so that the clause narrows the whole query.
    match parse(q) {
        Ok(Node::Or(_)) => format!("({q}) {clause}"),
        _ => format!("{q} {clause}"),
    }
}

/// The top-level `type:ID` clauses of `q` (those ANDed with the rest of the query), each with
/// the query that removing it leaves. An unparsable query has none.
pub fn chips(q: &str) -> Vec<Chip> {
    let Ok(node) = parse(q) else {
        return Vec::new();
    };
    let children = match node {
        Node::And(children) => children,
        other => vec![other],
    };
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    for child in children {
        let Node::Clause(Clause::Term {
            field: Some(field),
            text,
            quoted,
            pos,
            ..
        }) = child
        else {
            continue;
        };
        let Some(entity_type) = canonical_type_name(&field.name) else {
            continue;
        };
        let end = clause_end(&chars, pos, quoted);
        let (Some(written), Some(before), Some(after)) = (
            chars.get(field.pos..end),
            chars.get(..field.pos),
            chars.get(end..),
        ) else {
            continue;
        };
        let before: String = before.iter().collect();
        let after: String = after.iter().collect();
        let without = format!("{} {}", before.trim_end(), after.trim_start())
            .trim()
            .to_string();
        out.push(Chip {
            entity_type,
            id: text,
            text: written.iter().collect(),
            without,
        });
    }
    out
}

/// Where a field value starting at char `pos` ends (exclusive).
fn clause_end(chars: &[char], pos: usize, quoted: bool) -> usize {
    let mut j = pos;
    if quoted {
        j += 1;
        while let Some(&c) = chars.get(j) {
            j += 1;
            match c {
                '\\' => j += 1,
                '"' => break,
                _ => {}
            }
        }
        j.min(chars.len())
    } else {
        while chars
            .get(j)
            .is_some_and(|c| !c.is_whitespace() && *c != ')')
        {
            j += 1;
        }
        j
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> PageParams {
        PageParams {
            q: Some(q.into()),
            ..Default::default()
        }
    }

    #[test]
    fn nonsense_parameters_fall_back_to_defaults() {
        let p = PageParams {
            q: Some("  braf ".into()),
            page: Some("-3".into()),
            per: Some("100000".into()),
            sort: Some("<x>".into()),
            fsort: Some("lift".into()),
            hide: Some("gene,nope,Gene,disease".into()),
            fscope: Some("sentence".into()),
            facet_level: None,
        };
        let v = p.view();
        assert_eq!(v.fscope, FacetScope::Sentence);
        assert!(v.href().contains("fscope=sentence"));
        let too_deep = PageParams {
            facet_level: Some("99".into()),
            ..Default::default()
        };
        assert_eq!(
            too_deep.view().level,
            None,
            "a level deeper than MeSH goes is no level"
        );
        assert_eq!(v.q, "braf");
        assert_eq!(v.page, 1);
        assert_eq!(v.per, MAX_PER_PAGE);
        assert_eq!(v.sort, Order::Relevance);
        assert_eq!(v.fsort, FacetSort::Lift);
        assert_eq!(v.hide, vec!["Disease", "Gene"]);
        let deep = PageParams {
            page: Some("99999999999".into()),
            ..params("x")
        };
        assert_eq!(deep.view().offset(), MAX_OFFSET);
    }

    #[test]
    fn hrefs_round_trip_and_encode() {
        let v = params("gene:673 \"a&b\"")
            .view()
            .with_page(3)
            .toggled("Gene");
        assert_eq!(v.href(), "/?q=gene%3A673+%22a%26b%22&page=3&hide=Gene");
        assert_eq!(v.with_query("x".into()).page, 1);
    }

    #[test]
    fn clauses_are_added_once_and_chips_remove_them() {
        let q = with_clause("melanoma", &clause("Gene", "673"));
        assert_eq!(q, "melanoma gene:673");
        assert_eq!(with_clause(&q, "gene:673"), q);
        assert_eq!(with_clause("a OR b", "gene:1"), "(a OR b) gene:1");
        assert_eq!(with_clause("", "gene:1"), "gene:1");
        let q = with_clause(&q, &clause("Disease", "MESH:D008545"));
        let c = chips(&q);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].entity_type, "Gene");
        assert_eq!(c[0].without, "melanoma disease:MESH:D008545");
        assert_eq!(c[1].id, "MESH:D008545");
        assert_eq!(c[1].without, "melanoma gene:673");
    }

    #[test]
    fn chips_skip_nested_negated_and_broken_queries() {
        assert!(chips("(gene:1 OR gene:2)").is_empty());
        assert!(chips("-gene:1 x").is_empty());
        assert!(chips("gene:1 (").is_empty());
        assert!(chips("title:x").is_empty());
        let quoted = clause("Gene", "a \"b\"");
        assert_eq!(quoted, "gene:\"a \\\"b\\\"\"");
        let c = chips(&format!("x {quoted} y"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].text, quoted);
        assert_eq!(c[0].without, "x y");
        let c = chips("é gene:β1");
        assert_eq!(c[0].without, "é");
    }
}
