//! Safety of `ptsearch serve`: stored markup escaped in every non-JSON answer, unexpected Host
//! headers refused, CORS only when asked, graceful stop on SIGTERM.

use super::*;

// ---------------------------------------------------------------------------------------------
// Safety.

#[test]
fn serve_escapes_stored_markup_in_every_non_json_answer() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let danger = ["<script", "\"onmouseover=", "<b>"];
    // XML: escaped; no tag holds stored text.
    for target in [
        "/api/v1/documents/9001?format=biocxml",
        "/api/v1/export?q=pmid:9001&format=biocxml",
        "/pubtator3-api/publications/export/biocxml?pmids=9001",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        let text = r.text();
        assert!(text.contains("&lt;script&gt;"), "{target}: {text}");
        assert!(
            !text.contains("<script") && !text.contains("<b>"),
            "{target}: {text}"
        );
        for tag in text.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(!tag.contains("onmouseover"), "{target}: <{tag}>");
        }
    }
    // The search page (HTML): stored text is escaped in text and attribute values alike; the
    // only script is the page's own.
    for target in ["/?q=melanoma", "/?q=onmouseover", "/doc/9001"] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        assert!(
            r.header("content-type").starts_with("text/html"),
            "{target}"
        );
        let text = r.text();
        assert!(text.contains("&lt;script&gt;alert(1)"), "{target}: {text}");
        assert!(
            !text.contains("<script>") && !text.contains("<b>"),
            "{target}"
        );
        for tag in text.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap();
            assert!(!tag.contains(" onmouseover"), "{target}: <{tag}>");
            assert!(
                !tag.starts_with("script") || tag.contains("src=\"/assets/page.js\""),
                "{target}: <{tag}>"
            );
        }
    }
    // Markup inside JSON (text_hl, autocomplete's match): escaped; only <m> is markup.
    let r = server.json("/pubtator3-api/search/?text=onmouseover");
    let hl = r["results"][0]["text_hl"].as_str().unwrap();
    assert!(hl.contains("&lt;script&gt;"), "{hl}");
    assert!(hl.contains("&quot;<m>onmouseover</m>="), "{hl}");
    for d in danger {
        assert!(!hl.contains(d), "{d} in {hl}");
    }
    // Plain-text formats cannot escape without changing the data: they are served as
    // text/plain or NDJSON that browsers must not sniff or run.
    for target in [
        "/api/v1/documents/9001?format=pubtator",
        "/api/v1/export?q=pmid:9001",
        "/pubtator3-api/publications/export/pubtator?pmids=9001",
        "/api/v1/export?q=pmid:9001&format=jsonl",
    ] {
        let r = server.get(target);
        let ct = r.header("content-type");
        assert!(
            ct.starts_with("text/plain") || ct.starts_with("application/x-ndjson"),
            "{target}: {ct}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{target}");
        assert!(r
            .header("content-security-policy")
            .contains("default-src 'none'"));
        assert!(r.header("content-security-policy").contains("sandbox"));
    }
    // Every answer, errors included, carries the headers.
    for target in ["/api/v1/health", "/nothing", "/api/v1/search?q=("] {
        assert_eq!(
            server.get(target).header("x-content-type-options"),
            "nosniff"
        );
    }
}

#[test]
fn serve_refuses_unexpected_host_headers_and_has_cors_only_when_asked() {
    let index = fixture_index();
    let server = Server::start(index.path(), &[]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "localhost.evil.example",
    ] {
        let r = server.request("GET", "/api/v1/health", &[("Host", host)], b"");
        assert_eq!(r.status, 403, "{host}");
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Host"));
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".into(),
    ] {
        let r = server.request("GET", "/api/v1/health", &[("Host", &host)], b"");
        assert_eq!(r.status, 200, "{host}");
    }
    let r = server.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "http://example.org")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), "");
    drop(server);
    let server = Server::start(index.path(), &["--cors", "http://localhost:3000"]);
    let r = server.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "http://localhost:3000")],
        b"",
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        "http://localhost:3000"
    );
    let r = server.request(
        "GET",
        "/api/v1/health",
        &[("Origin", "http://example.org")],
        b"",
    );
    // Another origin: the header names only the configured one, so browsers refuse.
    assert_ne!(
        r.header("access-control-allow-origin"),
        "http://example.org"
    );
    assert_ne!(r.header("access-control-allow-origin"), "*");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let index = fixture_index();
    let mut server = Server::start(index.path(), &[]);
    assert_eq!(server.get("/api/v1/health").status, 200);
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            assert!(s.success(), "{s:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `--port N` listens on loopback at port N (the address of `--addr`, whose default is
/// loopback): a port a listener was just given by the system, then freed.
#[test]
fn serve_port_listens_on_loopback_at_that_port() {
    let index = fixture_index();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ptsearch"))
        .env_remove("PTSEARCH_INDEX")
        .arg("--index")
        .arg(index.path())
        .args(["serve", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ptsearch serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        first.trim(),
        format!("listening on http://127.0.0.1:{port}")
    );
}
