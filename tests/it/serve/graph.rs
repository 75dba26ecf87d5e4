//! `GET /api/v1/graph` answers what `ptsearch graph` writes for the same query, in every
//! format, streamed; bad parameters are JSON 400s.

use super::*;

#[test]
fn serve_graph_streams_what_the_cli_writes() {
    let dir = tempfile::tempdir().unwrap();
    index_files(
        dir.path(),
        &[&data("graph.pubtator"), &data("ranking.pubtator")],
    );
    let server = Server::start(dir.path(), &[]);
    for (q, extra) in [
        ("melanoma", ""),
        ("*", "&edges=relation&weight=npmi"),
        ("gene:673", "&nodes=Gene,Chemical&max_edges=1&min_docs=1"),
    ] {
        for format in ["graphml", "cyjs", "xgmml", "tsv"] {
            let r = server.get(&format!(
                "/api/v1/graph?q={}&format={format}{extra}",
                enc(q)
            ));
            assert_eq!(r.status, 200, "{q} {format}: {}", r.text());
            let mut args = vec!["graph", q, "--format", format];
            for kv in extra.split('&').filter(|s| !s.is_empty()) {
                let (k, v) = kv.split_once('=').unwrap();
                args.push(match k {
                    "edges" => "--edges",
                    "weight" => "--weight",
                    "nodes" => "--nodes",
                    "max_edges" => "--max-edges",
                    _ => "--min-docs",
                });
                args.push(v);
            }
            assert_eq!(r.text(), cli_stdout(dir.path(), &args), "{q} {format}");
        }
    }
    let r = server.get("/api/v1/graph?q=melanoma");
    assert!(r.header("content-type").starts_with("application/xml"));
    assert!(r.text().contains("<graphml"));
    // The server's cap on nodes is said in the file.
    let r = server.get("/api/v1/graph?q=*&format=jsonl&max_nodes=1");
    let last: Value = serde_json::from_str(r.text().lines().last().unwrap()).unwrap();
    assert_eq!(last["data"]["node_count"], 1);
    assert!(last["data"]["cuts"][0]
        .as_str()
        .unwrap()
        .contains("--max-nodes 1"));
    for (target, message) in [
        ("/api/v1/graph?q=*&format=dot", "unknown graph format 'dot'"),
        ("/api/v1/graph?q=*&weight=x", "unknown edge weight 'x'"),
        (
            "/api/v1/graph?q=*&max_nodes=999999",
            "max_nodes must be at most",
        ),
        ("/api/v1/graph", "'q' is required"),
        ("/api/v1/graph?q=(", "unclosed '('"),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 400, "{target}: {}", r.text());
        let message_got = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message_got.contains(message), "{target}: {message_got}");
    }
}
