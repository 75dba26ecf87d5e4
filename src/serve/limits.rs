//! Bounds on every request, applied before and around the handlers: the guard middleware
//! (URI length → 414, declared body size → 413, `Host` check against DNS rebinding when bound
//! to loopback, security headers on every answer), the bounded pool searches run on (a permit
//! per core, a time limit → 503), and the parsing of numeric parameters against their caps.

use super::error::{ApiError, ApiResult};
use super::AppState;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Every limit of the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest accepted request target (path and query string), in bytes (414 beyond).
    pub max_uri_bytes: usize,
    /// Largest accepted request body, in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Largest page of hits (`limit`).
    pub max_limit: usize,
    /// Largest `offset` (deeper pages: use `export`, which has no page limit).
    pub max_offset: usize,
    /// Largest `facet_top` and entity-suggestion `limit`.
    pub max_facet_top: usize,
    /// Most suggestions an `entities` or `autocomplete` request returns.
    pub max_suggestions: usize,
    /// Longest autocomplete prefix or document ID, in bytes.
    pub max_short_text: usize,
    /// Most nodes of a network (`graph`'s `max_nodes` default and cap; edges: ten times it).
    pub max_graph_nodes: usize,
    /// Most IDs in one PubTator3 export request.
    pub max_export_ids: usize,
    /// Time a request may wait for a search slot plus run (503 beyond). A streamed export is
    /// limited until its first byte; after that it runs as long as the client reads.
    pub request_timeout: Duration,
    /// Searches run at once (the blocking pool's size); more wait for a slot.
    pub search_slots: usize,
    /// Exports streamed at once.
    pub export_slots: usize,
}

impl Limits {
    /// The defaults for a machine with `cores` cores.
    pub fn for_cores(cores: usize) -> Limits {
        Limits {
            max_uri_bytes: 32 * 1024,
            max_body_bytes: 1024 * 1024,
            max_limit: 1000,
            max_offset: 100_000,
            max_facet_top: 1000,
            max_suggestions: 100,
            max_short_text: 1024,
            max_graph_nodes: 2000,
            max_export_ids: 100_000,
            request_timeout: Duration::from_secs(30),
            search_slots: cores.max(1),
            export_slots: 2,
        }
    }
}

/// The guard in front of every route: rejects oversized requests and unexpected `Host`
/// headers, and adds the security headers to every answer.
pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let mut response = match check(&state, &req) {
        Err(e) => e.into_response(),
        Ok(()) => next.run(req).await,
    };
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The search page sets its own policy (its own script and stylesheet only).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
        );
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn check(state: &AppState, req: &Request) -> ApiResult<()> {
    let limits = &state.limits;
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > limits.max_uri_bytes {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "request target longer than {} bytes (send long ID lists with POST)",
                limits.max_uri_bytes
            ),
        ));
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return Err(too_large(limits));
    }
    if state.loopback {
        if let Some(host) = req.headers().get(header::HOST) {
            let ok = host.to_str().is_ok_and(loopback_host);
            if !ok {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "unexpected Host header: this server answers only localhost and loopback \
                     addresses (DNS rebinding protection)",
                ));
            }
        }
    }
    Ok(())
}

/// 413 with the limit.
pub fn too_large(limits: &Limits) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("request body larger than {} bytes", limits.max_body_bytes),
    )
}

/// True for `localhost`, `*.localhost` and loopback IP literals, with or without a port.
fn loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Runs `work` on the blocking pool once a search slot is free, within the request time
/// limit. Work that overruns keeps its slot until it ends, so the pool stays bounded.
pub async fn blocking<T, F>(state: &AppState, work: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> ApiResult<T> + Send + 'static,
{
    let started = Instant::now();
    let limit = state.limits.request_timeout;
    let permit = tokio::time::timeout(limit, state.searches.clone().acquire_owned())
        .await
        .map_err(|_| busy("no search slot became free"))?
        .map_err(|_| ApiError::internal("the server is shutting down"))?;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(limit.saturating_sub(started.elapsed()), task).await {
        Err(_) => Err(busy("the request ran out of time")),
        Ok(Err(e)) => Err(ApiError::internal(format!("search task failed: {e}"))),
        Ok(Ok(r)) => r,
    }
}

/// 503 with the time limit in the message.
pub fn busy(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("{what} within the request time limit; try again"),
    )
}

/// A whole-number parameter: `default` when absent, 400 when malformed or above `max`.
pub fn number(name: &str, value: Option<&str>, default: usize, max: usize) -> ApiResult<usize> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    let n: usize = v
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number, not '{v}'")))?;
    if n > max {
        return Err(ApiError::bad_request(format!(
            "{name} must be at most {max} (got {n})"
        )));
    }
    Ok(n)
}

/// A named option's parameter (`sort`, `facet_sort`, `edges`, ...): `default` when absent or
/// empty, else the value as the shared vocabulary reads it (`crate::names`), the CLI's message
/// as a 400 when unknown.
pub fn named<T: std::str::FromStr<Err = crate::Error>>(
    value: Option<&str>,
    default: T,
) -> ApiResult<T> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|e: crate::Error| ApiError::bad_request(e.to_string())),
    }
}

/// A comma-separated list parameter (`facet_type=Gene,Chemical`), empty items dropped; at most
/// `max` items (`what` names them in the 400).
pub fn list(value: Option<&str>, max: usize, what: &str) -> ApiResult<Vec<String>> {
    let items: Vec<String> = value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if items.len() > max {
        return Err(ApiError::bad_request(format!("at most {max} {what}")));
    }
    Ok(items)
}

/// A yes/no parameter (`true`/`false`, `1`/`0`, `yes`/`no`; present and empty means yes).
pub fn flag(name: &str, value: Option<&str>) -> ApiResult<bool> {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(false),
        Some("" | "true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(v) => Err(ApiError::bad_request(format!(
            "{name} must be true or false, not '{v}'"
        ))),
    }
}

/// A short text parameter (a prefix, an ID): 400 when longer than the limit.
pub fn short<'a>(limits: &Limits, name: &str, value: &'a str) -> ApiResult<&'a str> {
    if value.len() > limits.max_short_text {
        return Err(ApiError::bad_request(format!(
            "{name} longer than {} bytes",
            limits.max_short_text
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.",
            "app.localhost:1",
            "127.0.0.1",
            "127.0.0.1:9",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "10.0.0.1",
            "[::2]:80",
            "",
        ] {
            assert!(!loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_are_capped() {
        assert_eq!(number("limit", None, 10, 100).unwrap(), 10);
        assert_eq!(number("limit", Some("7"), 10, 100).unwrap(), 7);
        assert!(number("limit", Some("101"), 10, 100).is_err());
        assert!(number("limit", Some("99999999999999999999999"), 10, 100).is_err());
        assert!(number("limit", Some("-1"), 10, 100).is_err());
    }
}
