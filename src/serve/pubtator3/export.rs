//! PubTator3's `publications/export/{format}?pmids=` (GET, and POST with a form or JSON body
//! for lists that do not fit a URL): the listed documents from the index, streamed in the asked
//! format by the same document writers as `ptsearch export`. Part of the PubTator3-compatible
//! endpoints of `ptsearch serve`.

use crate::index::find_document;
use crate::output::{DocumentFormat, DocumentSink};
use crate::serve::error::{ApiError, ApiResult};
use crate::serve::limits::{flag, too_large};
use crate::serve::native::document_format;
use crate::serve::stream::{stream, Writer};
use crate::serve::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// Parameters of `publications/export/{format}`.
#[derive(Debug, Deserialize)]
pub struct ExportParams {
    pmids: Option<String>,
    full: Option<String>,
}

/// Splits a comma (or whitespace) list of IDs, dropping duplicates, in order.
fn id_list(raw: &str, max: usize) -> ApiResult<Vec<String>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in raw.split([',', ' ', '\n', '\t', '\r']).map(str::trim) {
        if id.is_empty() || !seen.insert(id) {
            continue;
        }
        if out.len() == max {
            return Err(ApiError::bad_request(format!(
                "at most {max} IDs per request"
            )));
        }
        out.push(id.to_string());
    }
    if out.is_empty() {
        return Err(ApiError::bad_request("the parameter 'pmids' is required"));
    }
    Ok(out)
}

/// The PMIDs of a POST body: JSON `{"pmids": [..]}` or a form `pmids=1,2`.
fn posted_ids(headers: &HeaderMap, body: &[u8]) -> ApiResult<String> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if is_json {
        let v: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("bad JSON body: {e}")))?;
        let list = v
            .get("pmids")
            .and_then(Value::as_array)
            .ok_or_else(|| ApiError::bad_request("the JSON body needs a 'pmids' array"))?;
        let ids: Vec<String> = list
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        return Ok(ids.join(","));
    }
    let ids: Vec<String> = form_urlencoded(body)
        .into_iter()
        .filter(|(k, _)| k == "pmids")
        .map(|(_, v)| v)
        .collect();
    Ok(ids.join(","))
}

/// Decodes `application/x-www-form-urlencoded` pairs (`+` is a space, `%XX` a byte).
fn form_urlencoded(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &[u8]) -> String {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = s
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let mut kv = pair.splitn(2, |&b| b == b'=');
            let k = decode(kv.next().unwrap_or(&[]));
            let v = decode(kv.next().unwrap_or(&[]));
            (k, v)
        })
        .collect()
}

/// The export format of the path; PubTator3 knows three.
fn export_format(name: &str) -> ApiResult<DocumentFormat> {
    match name {
        "pubtator" | "biocxml" | "biocjson" => document_format(Some(name), "pubtator"),
        other => Err(ApiError::not_found(format!(
            "unknown export format '{other}' (pubtator, biocxml or biocjson)"
        ))),
    }
}

/// `GET /pubtator3-api/publications/export/{format}?pmids=1,2&full=true`.
pub async fn export_get(
    State(state): State<Arc<AppState>>,
    format: Result<Path<String>, PathRejection>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> ApiResult<Response> {
    let Path(format) = format?;
    let Query(p) = params?;
    flag("full", p.full.as_deref())?;
    let format = export_format(&format)?;
    let ids = id_list(
        p.pmids.as_deref().unwrap_or(""),
        state.limits.max_export_ids,
    )?;
    export_ids(&state, format, ids).await
}

/// `POST /pubtator3-api/publications/export/{format}` with `{"pmids": [...]}` or a form.
pub async fn export_post(
    State(state): State<Arc<AppState>>,
    format: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let Path(format) = format?;
    if body.len() > state.limits.max_body_bytes {
        return Err(too_large(&state.limits));
    }
    let format = export_format(&format)?;
    let raw = posted_ids(&headers, &body)?;
    let ids = id_list(&raw, state.limits.max_export_ids)?;
    export_ids(&state, format, ids).await
}

/// Streams the documents of `ids` that the index holds, in the order asked (unknown IDs are
/// skipped, as PubTator3 does).
async fn export_ids(
    state: &AppState,
    format: DocumentFormat,
    ids: Vec<String>,
) -> ApiResult<Response> {
    let index = state.index.clone();
    // As PubTator3: no file name (its clients read the body).
    stream(state, format.mime_type(), None, move || {
        let write: Writer = Box::new(move |out| {
            let mut sink =
                DocumentSink::begin_pubtator3(out, format, "PubTator3-compatible export")?;
            for id in &ids {
                if let Some(doc) = find_document(&index, id).map_err(std::io::Error::other)? {
                    sink.write(&doc)?;
                }
            }
            sink.finish().map(drop)
        });
        Ok(write)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_dedupe_and_cap() {
        assert_eq!(id_list("1, 2,1,,3", 10).unwrap(), ["1", "2", "3"]);
        assert!(id_list("1,2,3", 2).is_err());
        assert!(id_list(" , ", 2).is_err());
    }
}
