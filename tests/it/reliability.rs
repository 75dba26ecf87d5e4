//! Crash safety and concurrency: kill -9 during ingest then resume, a second writer, readers
//! during ingest, `check`, broken pipes and hostile queries.

use crate::util::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("ptsearch")
}

fn spawn_index(index: &Path, input: &Path, extra: &[&str]) -> Child {
    Command::new(binary())
        .arg("--index")
        .arg(index)
        .args(["index", "--quiet", "--threads", "1", "--memory", "50"])
        .args(extra)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn top10(index: &Path, query: &str) -> Vec<String> {
    search_ids(index, query).into_iter().take(10).collect()
}

fn check_json(index: &Path) -> serde_json::Value {
    let mut c = ptsearch(index);
    c.args(["check", "--format", "json"]);
    let (_, out, err) = run(c);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("check output: {e}: {out} {err}"))
}

/// A tiny deterministic PRNG (xorshift), so the kill moments are reproducible.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn kill_9_at_random_moments_then_resume_loses_and_duplicates_nothing() {
    let work = tempfile::tempdir().unwrap();
    let n = 1500;
    let input = work.path().join("corpus.pubtator");
    std::fs::write(&input, synthetic_corpus(n)).unwrap();
    let commit = ["--commit-every", "100"];
    let clean = work.path().join("clean");
    let t = Instant::now();
    spawn_index(&clean, &input, &commit).wait().unwrap();
    let clean_ms = t.elapsed().as_millis() as u64;
    let queries = ["cancer", "gene:5133", "gene:5133 disease:D015179", "*"];
    let want: Vec<Vec<String>> = queries.iter().map(|q| top10(&clean, q)).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut killed_mid_run = 0;
    for round in 0..20 {
        let index = work.path().join(format!("run{round}"));
        let mut child = spawn_index(&index, &input, &commit);
        std::thread::sleep(Duration::from_millis(20 + rng.below(clean_ms)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Resume: the same command again.
        let status = spawn_index(&index, &input, &commit).wait().unwrap();
        assert!(status.success(), "round {round}: resume failed");
        let st = stats(&index);
        assert_eq!(
            st["documents"], n as u64,
            "round {round}: documents lost or duplicated"
        );
        let report = check_json(&index);
        assert_eq!(
            report["problems"].as_array().unwrap().len(),
            0,
            "round {round}: {report}"
        );
        assert_eq!(report["orphan_bytes"], 0, "round {round}: {report}");
        for (q, w) in queries.iter().zip(&want) {
            assert_eq!(
                &top10(&index, q),
                w,
                "round {round}: top-10 of {q} differs from a clean build"
            );
        }
    }
    eprintln!("kill -9 rounds: {killed_mid_run} of 20 hit a running ingest");
    assert!(
        killed_mid_run >= 5,
        "only {killed_mid_run} of 20 kills hit a running ingest"
    );
}

#[test]
fn a_second_writer_fails_fast_readers_keep_working_and_a_killed_writer_frees_the_lock() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_files(&index, &[&data("ranking.pubtator")]);
    // A writer that never finishes: it reads stdin, which stays open.
    let mut first = Command::new(binary())
        .arg("--index")
        .arg(&index)
        .args(["index", "--quiet", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let t = Instant::now();
    let mut second = ptsearch(&index);
    second
        .args(["index", "--quiet"])
        .arg(data("tokenizer.pubtator"));
    let (code, _, err) = run(second);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "second writer took {:?}",
        t.elapsed()
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("locked by another writer"), "{err}");
    // Readers see the last commit while the writer runs.
    assert_eq!(stats(&index)["documents"], 7);
    assert_eq!(search_ids(&index, "aspirin"), ["1007"]);
    // kill -9 the writer, then retry at once.
    first.kill().unwrap();
    first.wait().unwrap();
    index_files(&index, &[&data("tokenizer.pubtator")]);
    assert_eq!(stats(&index)["documents"], 13);
    assert_eq!(check_json(&index)["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn check_reports_a_sound_index_and_a_corrupted_file() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_files(
        &index,
        &[&data("seed-31554797.pubtator"), &data("ranking.pubtator")],
    );
    let mut c = ptsearch(&index);
    c.arg("check");
    let (code, out, _) = run(c);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("index OK"));
    // Flip a byte in the middle of the document store.
    let store = std::fs::read_dir(&index)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut bytes = std::fs::read(&store).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&store, bytes).unwrap();
    let mut c = ptsearch(&index);
    c.arg("check");
    let (code, out, err) = run(c);
    assert_ne!(code, 0, "{out}{err}");
    assert!(
        out.contains("problem") || err.contains("error"),
        "{out}{err}"
    );
}

#[test]
fn a_broken_pipe_exits_quietly_with_status_0() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    let input = work.path().join("c.pubtator");
    std::fs::write(&input, synthetic_corpus(2000)).unwrap();
    index_files(&index, &[&input]);
    let script = format!(
        "set -o pipefail; '{}' --index '{}' search --all --format json '*' | head -1 > /dev/null",
        binary().display(),
        index.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "status {:?}, stderr {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn hostile_queries_never_panic() {
    let d = tempfile::tempdir().unwrap();
    index_files(d.path(), &[&data("ranking.pubtator")]);
    let long = "a ".repeat(5000);
    let deep = "(".repeat(200) + "a" + &")".repeat(200);
    let huge = "x".repeat(20_000);
    for q in [
        "\u{1}",
        "\"",
        "\\",
        "((((",
        "))))",
        "rel:|||",
        "rel:ANY|@|@",
        "gene:\"\"",
        "@",
        "@_",
        "a^99999999999999999999",
        "-",
        "NOT NOT NOT a",
        "*:*",
        "title:*",
        "𝛼𝛽",
        "rel:x|y|z|w",
        long.as_str(),
        deep.as_str(),
        huge.as_str(),
    ] {
        let mut c = ptsearch(d.path());
        c.args(["search", q]).timeout(Duration::from_secs(10));
        let (code, _, err) = run(c);
        assert!([0, 1, 2].contains(&code), "{q:?}: exit {code}: {err}");
        assert!(!err.contains("panicked"), "{q:?}: {err}");
    }
}

#[test]
fn concurrent_searches_during_ingest_see_only_growing_commits() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("corpus.pubtator");
    std::fs::write(&input, synthetic_corpus(2000)).unwrap();
    let index = work.path().join("idx");
    index_files(&index, &[&data("ranking.pubtator")]);
    let mut writer = spawn_index(&index, &input, &["--commit-every", "100"]);
    let done = std::sync::atomic::AtomicBool::new(false);
    let results: Vec<(usize, usize)> = std::thread::scope(|s| {
        let loops: Vec<_> = (0..4)
            .map(|i| {
                let (index, done) = (&index, &done);
                s.spawn(move || {
                    let (mut reads, mut errors, mut last) = (0usize, 0usize, 0u64);
                    while !done.load(std::sync::atomic::Ordering::Relaxed) {
                        let mut c = ptsearch(index);
                        if i % 2 == 0 {
                            c.args(["stats", "--format", "json"]);
                        } else {
                            c.args([
                                "search",
                                "--format",
                                "json",
                                "-n",
                                "3",
                                "--facets",
                                "cancer OR *",
                            ]);
                        }
                        let (code, out, _) = run(c);
                        if code != 0 {
                            errors += 1;
                            continue;
                        }
                        let n = if i % 2 == 0 {
                            serde_json::from_str::<serde_json::Value>(&out).unwrap()["documents"]
                                .as_u64()
                                .unwrap()
                        } else {
                            let last_line = out.lines().last().unwrap();
                            let v: serde_json::Value = serde_json::from_str(last_line).unwrap();
                            v["data"]["total_hits"].as_u64().unwrap()
                        };
                        assert!(n >= last, "document count went from {last} to {n}");
                        last = n;
                        reads += 1;
                    }
                    (reads, errors)
                })
            })
            .collect();
        assert!(writer.wait().unwrap().success());
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        loops.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (reads, errors) in results {
        assert_eq!(errors, 0);
        assert!(reads > 0);
    }
    assert_eq!(stats(&index)["documents"], 2007);
}

#[test]
fn one_or_two_threads_give_the_same_documents_and_rankings() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("corpus.pubtator");
    std::fs::write(&input, synthetic_corpus(600)).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let index = work.path().join(format!("t{threads}"));
        let mut c = ptsearch(&index);
        c.args(["index", "--quiet", "--threads", threads])
            .arg(&input);
        c.assert().success();
        let mut c = ptsearch(&index);
        c.args(["search", "--all", "--format", "pubtator", "*"]);
        let (_, docs, _) = run(c);
        let tops: Vec<Vec<String>> = ["cancer", "gene:5133 colorectal", "rel:ANY|*|Disease"]
            .iter()
            .map(|q| top10(&index, q))
            .collect();
        outputs.push((docs, tops));
    }
    assert_eq!(outputs[0].0, outputs[1].0, "stored documents differ");
    assert_eq!(outputs[0].1, outputs[1].1, "top-10 differ");
}

/// Every document of the index as exported JSON Lines (annotation and relation sources
/// included), in document-ID order.
fn export_jsonl(index: &Path) -> String {
    let mut c = ptsearch(index);
    c.args(["export", "--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn a_killed_run_of_a_second_source_resumes_to_the_same_layers() {
    let work = tempfile::tempdir().unwrap();
    let n = 1200;
    let a = synthetic_corpus(n);
    // The same documents from another source: the same texts, other annotation IDs.
    let b: String = a
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let numeric = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
            if cols.len() >= 6 && numeric(cols[1]) && numeric(cols[2]) {
                let mut cols = cols.clone();
                let id = format!("B{}", cols[5]);
                cols[5] = &id;
                format!("{}\n", cols.join("\t"))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let (fa, fb) = (
        work.path().join("a.pubtator"),
        work.path().join("b.pubtator"),
    );
    std::fs::write(&fa, &a).unwrap();
    std::fs::write(&fb, &b).unwrap();
    let commit = ["--commit-every", "100"];
    let clean = work.path().join("clean");
    spawn_index(&clean, &fa, &commit).wait().unwrap();
    let t = Instant::now();
    spawn_index(&clean, &fb, &commit).wait().unwrap();
    let b_ms = t.elapsed().as_millis() as u64;
    let want = export_jsonl(&clean);
    assert!(want.contains("\"source\":\"b\"") && want.contains("\"source\":\"a\""));
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut killed_mid_run = 0;
    for round in 0..8 {
        let index = work.path().join(format!("run{round}"));
        spawn_index(&index, &fa, &commit).wait().unwrap();
        let mut child = spawn_index(&index, &fb, &commit);
        std::thread::sleep(Duration::from_millis(10 + rng.below(b_ms)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let status = spawn_index(&index, &fb, &commit).wait().unwrap();
        assert!(status.success(), "round {round}: resume failed");
        assert!(
            export_jsonl(&index) == want,
            "round {round}: the resumed layers differ from an uninterrupted run"
        );
    }
    eprintln!("layered kill -9 rounds: {killed_mid_run} of 8 hit a running ingest");
    assert!(
        killed_mid_run >= 2,
        "only {killed_mid_run} of 8 kills hit a running ingest"
    );
}
