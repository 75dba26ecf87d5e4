//! `ptsearch serve` end to end: the real binary on a free port over an index of the fixtures,
//! driven with a small HTTP/1.1 client on `std::net::TcpStream`. Every endpoint is checked,
//! including errors, against the CLI's answers for the same queries; PubTator3 shapes; the
//! XSS fixture; Host refusal; limits; the OpenAPI document; a PubTator3-style Python client.

use crate::util::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// A server process and an HTTP/1.1 client.

/// A running `ptsearch serve`, killed on drop.
pub(crate) struct Server {
    child: Child,
    addr: String,
}

impl Server {
    pub(crate) fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("ptsearch"))
            .env_remove("PTSEARCH_INDEX")
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ptsearch serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        let addr = first
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        Server { child, addr }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[], b"")
    }

    pub(crate) fn json(&self, target: &str) -> Value {
        let r = self.get(target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{target}: {}",
            r.header("content-type")
        );
        serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{target}: {e}: {}", r.text()))
    }

    fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut req = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        let has_length = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
        if !has_length && (!body.is_empty() || method == "POST") {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        // The server may answer (413) before reading a large body and close.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Response::parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response (chunked bodies decoded).
pub(crate) struct Response {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            panic!("truncated chunked body");
        };
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        b = &b[eol + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

/// Percent-encodes a query parameter value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

fn fixtures() -> Vec<PathBuf> {
    vec![
        data("ranking.pubtator"),
        data("seed-31554797.pubtator"),
        data("export/hard_cases.pubtator"),
        data("serve/xss.pubtator"),
    ]
}

fn fixture_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = fixtures();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    index_files(dir.path(), &refs);
    dir
}

fn cli_stdout(index: &Path, args: &[&str]) -> String {
    let mut c = ptsearch(index);
    c.args(args);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "{args:?} failed ({code}): {err}");
    out
}

const QUERIES: [&str; 6] = [
    "melanoma",
    "gene:673",
    "BRAF melanoma",
    "rel:Association|gene:673|Disease",
    "@GENE_BRAF",
    "\"skin cancer\" OR gene:5133",
];

mod doors;
mod downloads;
mod graph;
mod native;
mod openapi;
mod page;
mod pubtator3;
mod safety;
mod watches;
