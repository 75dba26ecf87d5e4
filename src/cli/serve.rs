//! `ptsearch serve`: flags → [`ServeOptions`], then the server runs until SIGINT/SIGTERM.

use super::EXIT_OK;
use crate::serve::{cores, Limits, ServeOptions};
use std::net::SocketAddr;
use std::path::Path;

/// Arguments of `ptsearch serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch serve                                   http://127.0.0.1:8080, this machine only
  ptsearch serve --port 9000                       http://127.0.0.1:9000, this machine only
  ptsearch serve --addr 127.0.0.1:0                a free port (printed on the first line)
  curl 'http://127.0.0.1:8080/api/v1/search?q=gene:673&limit=5'
  curl 'http://127.0.0.1:8080/pubtator3-api/search/?text=@GENE_BRAF&page=1'

The first line on stdout is `listening on http://ADDR`. The server is read-only; commits of a
concurrent `ptsearch index` run are visible to the next request. Endpoints: /api/v1/openapi.json.")]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default; any other address is reachable by others
    /// and has no authentication (a warning is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The port to listen on, at the address of `--addr` (loopback by default): `--port 9000`
    /// is `--addr 127.0.0.1:9000`.
    #[arg(long)]
    pub port: Option<u16>,
    /// Allow browsers on this origin (e.g. http://localhost:3000, or `*`) to read answers
    /// (CORS). Off by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Searches run at once (default: the number of cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs `ptsearch serve`.
pub fn run(index_dir: &Path, args: ServeArgs) -> anyhow::Result<i32> {
    let mut limits = Limits::for_cores(cores());
    if let Some(n) = args.threads {
        limits.search_slots = n.max(1);
    }
    crate::serve::run(ServeOptions {
        index: index_dir.to_path_buf(),
        addr: match args.port {
            Some(port) => SocketAddr::new(args.addr.ip(), port),
            None => args.addr,
        },
        cors: args.cors,
        limits,
    })?;
    Ok(EXIT_OK)
}
