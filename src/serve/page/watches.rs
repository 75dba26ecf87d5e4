//! The watches view at `/watches`: each watch (saved query) with the documents its next
//! `ptsearch news` reports (the server only peeks; it never moves a mark), a link to its
//! Atom feed and to its query's results.
//!
//! Where it sits in the flow: the `/watches` handler (`mod.rs`) runs `watch::news` with
//! `peek` on the blocking pool and renders this inside the layout shell.

use super::params::encode;
use crate::watch::WatchNews;
use maud::{html, Markup};

/// Documents shown per watch.
pub const SHOWN: usize = 20;

/// The watches view's content.
pub fn page(news: &[WatchNews]) -> Markup {
    html! {
        main #watches {
            h1 { "Watches" }
            @if news.is_empty() {
                p.muted { "No watches yet. Add one with " code { "ptsearch watch add NAME QUERY" } "." }
            }
            @for n in news {
                section.watch data-watch=(n.watch) {
                    h2 { (n.watch) }
                    p {
                        a href={ "/?q=" (encode(&n.query)) } { code { (n.query) } }
                        " · " a.feed href={ "/api/v1/watches/" (encode(&n.watch)) "/feed.atom" } { "Atom feed" }
                    }
                    @if n.new.is_empty() { p.muted { "No news since the last " code { "ptsearch news" } "." } } @else {
                        p { (n.new.len()) " new since the last " code { "ptsearch news" } ":" }
                        ol.news {
                            @for d in &n.new {
                                li {
                                    a href={ "/doc/" (encode(&d.id).replace('+', "%20")) } { (d.title) }
                                    " " span.muted { "(" (d.id) @if !d.date.is_empty() { ", " (d.date) } ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
