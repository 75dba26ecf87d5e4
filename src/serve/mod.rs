//! `ptsearch serve`: a read-only local HTTP API over one index, the front end for HTTP clients
//! beside the CLI. A request passes [`routes`] (route table and middleware), [`limits`] (size,
//! `Host` and time bounds; the bounded blocking pool searches run on), then a handler of the
//! native API ([`native`], the library's serialized types) or of the PubTator3-compatible
//! endpoints ([`pubtator3`]); exports stream through [`stream`]; failures answer through
//! [`error`]; the search page ([`page`]) is merged into the same router at `/`. Every handler
//! is a thin adapter over the library's read-side API: no search logic lives here.
//!
//! **Freshness.** Every request takes [`PtIndex::searcher`], which reloads the reader when the
//! index's `meta.json` changed, so the commits of a concurrent `ptsearch index` run are seen by
//! the first request after they land (no restart; a commit is found by its new `meta.json`
//! stamp at once, or within 2 s when the file's time has not visibly changed).

pub mod answers;
pub mod download;
pub mod error;
pub mod graph;
pub mod limits;
pub mod native;
pub mod page;
pub mod pubtator3;
pub mod routes;
pub mod stream;
pub mod watches;

pub use limits::Limits;

use crate::PtIndex;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long in-flight requests may take to finish after SIGINT/SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index directory.
    pub index: PathBuf,
    /// Address to bind (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// The origin allowed by CORS (`*` for any); CORS is off when `None`.
    pub cors: Option<String>,
    /// Limits; [`Limits::for_cores`] of this machine by default.
    pub limits: Limits,
}

/// What every handler shares.
pub struct AppState {
    /// The index, opened once.
    pub index: Arc<PtIndex>,
    /// Request bounds.
    pub limits: Limits,
    /// One permit per concurrent search (the blocking pool's size).
    pub searches: Arc<Semaphore>,
    /// One permit per concurrent export stream.
    pub exports: Arc<Semaphore>,
    /// Bound to a loopback address: check `Host` headers.
    pub loopback: bool,
}

/// The number of cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Opens the index, binds, prints `listening on http://ADDR` on stdout (and a warning on
/// stderr when the address is not loopback), and serves until SIGINT or SIGTERM; in-flight
/// requests then get 30 s to finish.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    let index = Arc::new(PtIndex::open(&options.index)?);
    // Open the reader now: the first request should not pay for it, and a broken index
    // should fail here.
    index.searcher()?;
    let limits = options.limits.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores().max(2))
        .max_blocking_threads(limits.search_slots + limits.export_slots + 2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(index, options))
}

async fn serve(index: Arc<PtIndex>, options: ServeOptions) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.addr))?;
    let local = listener.local_addr()?;
    let loopback = local.ip().is_loopback();
    let limits = options.limits;
    let state = Arc::new(AppState {
        index,
        searches: Arc::new(Semaphore::new(limits.search_slots)),
        exports: Arc::new(Semaphore::new(limits.export_slots)),
        limits,
        loopback,
    });
    let app = routes::router(state, options.cors.as_deref())?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{local}")?;
        out.flush()?;
    }
    if !loopback {
        eprintln!(
            "ptsearch: warning: listening on {local}, which is not a loopback address: \
             anyone who can reach it can read the whole index (there is no authentication)"
        );
    }
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal().await;
        eprintln!("ptsearch: shutting down (in-flight requests finish)");
        let _ = stop_tx.send(true);
    });
    let grace = async move {
        let _ = stop_rx.wait_for(|stop| *stop).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        r = server => r?,
        () = grace => eprintln!("ptsearch: requests still running after {SHUTDOWN_GRACE:?}; exiting"),
    }
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
