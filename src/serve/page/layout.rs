//! The page shell shared by every view: `<head>` (embedded stylesheet and script), the header
//! with the query box, its error message and the syntax help, and the colour legend with a
//! toggle per entity type.
//!
//! Where it sits in the flow: `results.rs` and `document.rs` render their main content and wrap
//! it with [`shell`]; the assets it links are served from the binary by `assets.rs`.

use super::assets::{CSS_PATH, JS_PATH};
use super::palette::{hide_class, type_class};
use super::params::View;
use crate::pubtator::ids::CANONICAL_TYPES;
use crate::search::Order;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// A query error to show next to the box: the message and the character position.
pub struct QueryError {
    /// What is wrong.
    pub message: String,
    /// Character position in the query.
    pub position: usize,
}

/// The whole page around `main`.
pub fn shell(title: &str, view: &View, error: Option<&QueryError>, main: Markup) -> Markup {
    let body_class: Vec<String> = view.hide.iter().filter_map(|t| hide_class(t)).collect();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · ptsearch" }
                link rel="stylesheet" href=(CSS_PATH);
                script src=(JS_PATH) defer {}
            }
            body class=(body_class.join(" ")) {
                header {
                    a.brand href="/" { "ptsearch" }
                    (search_form(view, error))
                }
                (legend(view))
                (main)
                footer.muted {
                    "Served by your local ptsearch index; nothing leaves this machine. "
                    "Keys: " kbd { "/" } " focuses the query box, "
                    kbd { "↑" } kbd { "↓" } " move in suggestions, "
                    kbd { "Enter" } " searches."
                }
            }
        }
    }
}

/// The query box with autocomplete, the error, and the syntax help.
fn search_form(view: &View, error: Option<&QueryError>) -> Markup {
    html! {
        form #search action="/" method="get" role="search" autocomplete="off" {
            div.qwrap {
                input #q type="search" name="q" value=(view.q) aria-label="Query"
                    placeholder="gene:673 melanoma, \"immune checkpoint\", rel:Association|gene:673|Disease"
                    role="combobox" aria-autocomplete="list" aria-expanded="false"
                    aria-controls="ac" spellcheck="false";
                ul #ac role="listbox" hidden {}
            }
            @if view.sort == Order::Id { input type="hidden" name="sort" value="id"; }
            @if view.sort == Order::Date { input type="hidden" name="sort" value="date"; }
            @if !view.hide.is_empty() { input type="hidden" name="hide" value=(view.hide.join(",")); }
            button type="submit" { "Search" }
            @if let Some(e) = error { (error_box(&view.q, e)) }
            (help())
        }
    }
}

/// The error with the query shown and the offending character marked.
fn error_box(q: &str, e: &QueryError) -> Markup {
    let before: String = q.chars().take(e.position).collect();
    let at: String = q.chars().skip(e.position).take(1).collect();
    let after: String = q.chars().skip(e.position + 1).collect();
    html! {
        div #qerror.error role="alert" {
            strong { "Query error" }
            " at position " (e.position) ": " span.msg { (e.message) }
            pre.caret {
                (before)
                span.at title="here" { @if at.is_empty() { (PreEscaped("&nbsp;")) } @else { (at) } }
                (after)
            }
        }
    }
}

/// The query language in brief, one click away.
fn help() -> Markup {
    let rows: [(&str, &str); 15] = [
        ("melanoma braf", "both words (AND is the default)"),
        ("\"immune checkpoint\"", "a phrase"),
        ("\"breast cancer\"~3", "its words within 3 moves"),
        (
            "a OR b, NOT a, -a, (a b)",
            "operators and groups (uppercase)",
        ),
        ("gene:673", "documents annotated with an entity, by ID"),
        (
            "gene:PD1, gene:BRC*",
            "…or by name (resolved to the IDs most documents use) or name prefix",
        ),
        ("disease:MESH:D009369", "IDs may contain colons"),
        ("@GENE_PDCD1", "PubTator3 entity shorthand"),
        ("title:braf, abstract:x", "words in one field"),
        (
            "cancer[ti], melanoma[mh], \"breast cancer\"[tiab]",
            "PubMed field tags",
        ),
        ("gene:*", "any entity of a type"),
        (
            "year:2015..2020, year:[2015 TO 2020], year:>2015",
            "publication years",
        ),
        ("melan*, tumo?r", "wildcards: any chars, one char"),
        (
            "rel:Association|gene:673|Disease",
            "a relation between two entities (or types)",
        ),
        ("braf^2", "boost a clause"),
    ];
    html! {
        details #help {
            summary { "Query syntax" }
            table {
                @for (ex, what) in rows { tr { td { code { (ex) } } td { (what) } } }
            }
        }
    }
}

/// Colour legend: one toggle per type (a link to the same view — results or document — with
/// the type switched).
fn legend(view: &View) -> Markup {
    html! {
        nav #legend aria-label="Entity colours" {
            span.muted { "Highlight: " }
            @for t in CANONICAL_TYPES {
                @let on = !view.hide.contains(&t);
                a.toggle.(type_class(t)) href=(view.toggle_href(t)) role="switch"
                    aria-checked=(if on { "true" } else { "false" }) data-type=(t) title={ "Show or hide " (t) " colours" } {
                    @if on { "● " } @else { "○ " } (t)
                }
            }
            span.toggle.term { mark.term { "query term" } }
        }
    }
}
