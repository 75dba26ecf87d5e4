//! The page's static assets, compiled into the binary (`include_str!`): no CDN, no web font,
//! nothing fetched at build or run time, so the page works offline.
//!
//! Where it sits in the flow: `layout.rs` links [`CSS_PATH`] and [`JS_PATH`]; the router in
//! `mod.rs` serves them with [`css`] and [`js`]. The stylesheet is `assets/page.css` followed
//! by the colour rules generated from `palette.rs`.

use super::palette;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::LazyLock;

/// URL of the stylesheet.
pub const CSS_PATH: &str = "/assets/page.css";
/// URL of the script.
pub const JS_PATH: &str = "/assets/page.js";

const CSS: &str = include_str!("assets/page.css");
const JS: &str = include_str!("assets/page.js");

static FULL_CSS: LazyLock<String> = LazyLock::new(|| format!("{CSS}\n{}", palette::css()));

/// Browsers revalidate assets on every load (they change with the binary).
const CACHE: &str = "no-cache";

/// `GET /assets/page.css`.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        FULL_CSS.as_str(),
    )
}

/// `GET /assets/page.js`.
pub async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        JS,
    )
}
