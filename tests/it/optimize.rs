//! `ptsearch optimize` and the bulk merge policy (issue 18): small segments left by small runs
//! are merged eight at a time, `optimize` merges down to the asked number of segments without
//! changing a single answer, and the index stays sound and writable afterwards.

use crate::util::{data, index_files, ptsearch, run, search_ids, stats};
use std::path::Path;

fn segments(index: &Path) -> u64 {
    stats(index)["segments"].as_u64().unwrap()
}

/// Writes `n` one-document PubTator files (IDs 9001..) and returns their paths.
fn small_inputs(dir: &Path, n: usize) -> Vec<std::path::PathBuf> {
    (0..n)
        .map(|i| {
            let id = 9001 + i;
            let p = dir.join(format!("small-{i}.pubtator"));
            std::fs::write(
                &p,
                format!(
                    "{id}|t|BRAF in melanoma {i}\n{id}|a|Vemurafenib.\n{id}\t0\t4\tBRAF\tGene\t673\n\n"
                ),
            )
            .unwrap();
            p
        })
        .collect()
}

#[test]
fn small_runs_leave_small_segments_that_merge_eight_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let inputs = small_inputs(dir.path(), 9);
    for (i, input) in inputs.iter().enumerate() {
        index_files(&index, &[input]);
        let expected = if i < 7 { i as u64 + 1 } else { i as u64 - 6 };
        assert_eq!(segments(&index), expected, "after run {}", i + 1);
    }
    assert_eq!(search_ids(&index, "gene:673").len(), 9);
}

#[test]
fn optimize_merges_down_without_changing_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    for f in [
        "ranking.pubtator",
        "query_lang.pubtator",
        "seed-31554797.pubtator",
    ] {
        index_files(&index, &[&data(f)]);
    }
    // A document indexed again: its first copy is deleted, merging drops it.
    index_files(&index, &[&data("ranking.pubtator")]);
    // Each run leaves at least one segment (one per indexing thread that got documents).
    let n = segments(&index);
    assert!(n >= 4, "{n}");
    let before = stats(&index);
    let queries = [
        "BRAF melanoma",
        "gene:5133",
        "type:Disease",
        "rel:ANY|*|*",
        "*",
    ];
    let answers: Vec<Vec<String>> = queries.iter().map(|q| search_ids(&index, q)).collect();

    let mut c = ptsearch(&index);
    c.args(["optimize", "--segments", "2", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(s["segments_before"], n);
    assert_eq!(s["segments_after"], 2);
    assert_eq!(s["documents"], before["documents"]);
    assert_eq!(segments(&index), 2);

    let mut c = ptsearch(&index);
    c.arg("optimize");
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.starts_with("merged 2 segments into 1 ("), "{out}");
    assert_eq!(segments(&index), 1);
    let mut c = ptsearch(&index);
    c.arg("optimize");
    let (_, out, _) = run(c);
    assert!(out.contains("nothing to merge"), "{out}");

    // Same answers in the same order, same statistics but the segment count, sound index.
    for (q, a) in queries.iter().zip(&answers) {
        assert_eq!(&search_ids(&index, q), a, "{q}");
    }
    let mut after = stats(&index);
    let mut before = before;
    for s in [&mut before, &mut after] {
        let o = s.as_object_mut().unwrap();
        for volatile in ["segments", "bytes_on_disk"] {
            o.remove(volatile);
        }
    }
    assert_eq!(after, before);
    let mut c = ptsearch(&index);
    c.arg("check");
    assert_eq!(run(c).0, 0);
    // Still writable: a new run adds its documents.
    let extra = small_inputs(dir.path(), 1);
    index_files(&index, &[&extra[0]]);
    assert_eq!(search_ids(&index, "pmid:9001"), ["9001"]);
}

#[test]
fn optimize_rejects_zero_segments() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    index_files(&index, &[&data("ranking.pubtator")]);
    let mut c = ptsearch(&index);
    c.args(["optimize", "--segments", "0"]);
    assert_eq!(run(c).0, 2);
}
