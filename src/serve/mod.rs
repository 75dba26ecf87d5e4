//! `ptsearch serve`: a local HTTP server for the search page.
//!
//! This is the page's minimal host: it binds, prints `listening on http://ADDR` first on stdout,
//! serves the page ([`page::router`]) and the subset of the JSON API the page calls
//! ([`api`]: entities, one document, export of a result set). The full server of the HTTP API
//! issue (limits, OpenAPI, PubTator3-compatible endpoints, graceful shutdown) replaces this
//! module and merges [`page::router`] into its own router.

pub mod api;
pub mod page;

use crate::PtIndex;
use anyhow::Context;
use std::path::Path;
use std::sync::Arc;

/// Opens the index, binds `addr` and serves until the process is stopped.
pub fn run(index_dir: &Path, addr: &str) -> anyhow::Result<()> {
    let index = Arc::new(PtIndex::open(index_dir)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        let local = listener.local_addr()?;
        if !local.ip().is_loopback() {
            eprintln!("warning: listening on {local}, which is not loopback; there is no authentication");
        }
        println!("listening on http://{local}");
        use std::io::Write;
        std::io::stdout().flush()?;
        let app = page::router(index.clone()).merge(api::router(index));
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")
    })
}
