//! A kill -9 during ingest leaves no false news: the first-indexed mark is committed with the
//! data, so `news` right after the kill reports exactly the new documents the index shows,
//! and after the resumed run the rest, each document once.

use super::{news, watch_add};
use crate::util::{data, index_files, ptsearch, run, search_ids, synthetic_corpus};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn spawn_index(index: &std::path::Path, input: &std::path::Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("ptsearch"))
        .arg("--index")
        .arg(index)
        .args(["index", "--quiet", "--threads", "1", "--memory", "50"])
        .args(["--commit-every", "100"])
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn kill_9_during_ingest_leaves_no_false_news() {
    let work = tempfile::tempdir().unwrap();
    let n = 1200;
    let input = work.path().join("corpus.pubtator");
    std::fs::write(&input, synthetic_corpus(n)).unwrap();
    let want: BTreeSet<String> = (0..n).map(|i| (1_000_000 + i).to_string()).collect();
    // How long a whole run takes, to kill inside it.
    let probe = work.path().join("probe");
    let t = Instant::now();
    spawn_index(&probe, &input).wait().unwrap();
    let full_ms = t.elapsed().as_millis() as u64;
    let mut hit_running = 0;
    for round in 0..4u64 {
        let index = work.path().join(format!("run{round}"));
        index_files(&index, &[&data("ranking.pubtator")]);
        let base: BTreeSet<String> = search_ids(&index, "*").into_iter().collect();
        watch_add(&index, "all", "*");
        let mut child = spawn_index(&index, &input);
        std::thread::sleep(Duration::from_millis(full_ms * (round + 1) / 6 + 30));
        if child.try_wait().unwrap().is_none() {
            hit_running += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Right after the kill: the news are exactly the new documents the index shows.
        let visible: BTreeSet<String> = search_ids(&index, "*").into_iter().collect();
        let (_, first, _) = news(&index, &[]);
        let first: BTreeSet<String> = first["all"].iter().cloned().collect();
        let expect: BTreeSet<String> = visible.difference(&base).cloned().collect();
        assert_eq!(first, expect, "round {round}: news after the kill");
        // Resume; the second news holds the rest, no document twice.
        let mut c = ptsearch(&index);
        c.args([
            "index",
            "--quiet",
            "--threads",
            "1",
            "--commit-every",
            "100",
        ])
        .arg(&input);
        assert_eq!(run(c).0, 0, "round {round}: resume failed");
        let (_, second, _) = news(&index, &[]);
        let second: BTreeSet<String> = second["all"].iter().cloned().collect();
        assert!(first.is_disjoint(&second), "round {round}: reported twice");
        let all: BTreeSet<String> = first.union(&second).cloned().collect();
        assert_eq!(all, want, "round {round}: news lost or invented");
    }
    eprintln!("kill -9 rounds that hit a running ingest: {hit_running} of 4");
    assert!(
        hit_running >= 2,
        "only {hit_running} of 4 kills hit a running ingest"
    );
}
