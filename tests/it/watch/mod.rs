//! Watches and news, driven through the real binary: news after indexing new files equals the
//! matching documents of those files that the index did not hold (computed from the input
//! files by a small reader here), a second `news` is empty, re-indexing a known file (also
//! with `--replace`, or renaming a source) brings no news, a kill -9 during ingest leaves no
//! false news; `similar` (in `similar.rs`).

mod similar;

use crate::util::{index_files, ptsearch, run, shared_corpora};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The documents of PubTator files as the files say: ID → every (type, ID part) annotated.
pub fn read_pubtator(paths: &[&Path]) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut docs: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for p in paths {
        let text = std::fs::read_to_string(p).unwrap();
        for line in text.lines().map(|l| l.trim_end_matches('\r')) {
            if let Some((id, _)) = line.split_once("|t|") {
                docs.entry(id.to_string()).or_default();
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 6 && cols[1].parse::<u64>().is_ok() && cols[2].parse::<u64>().is_ok() {
                let set = docs.entry(cols[0].to_string()).or_default();
                for part in cols[5].split([',', ';', '|']) {
                    let part = part.trim().trim_start_matches("MESH:");
                    if !part.is_empty() {
                        set.insert((cols[4].to_string(), part.to_string()));
                    }
                }
            }
        }
    }
    docs
}

/// Document IDs per watch name.
pub type IdsByWatch = BTreeMap<String, Vec<String>>;

/// Runs `news ARGS --format json`: (exit code, watch name → new IDs, watch name → updated IDs).
pub fn news(index: &Path, args: &[&str]) -> (i32, IdsByWatch, IdsByWatch) {
    let mut c = ptsearch(index);
    c.arg("news").args(args).args(["--format", "json"]);
    let (code, out, err) = run(c);
    assert!(code == 0 || code == 1, "news failed ({code}): {err}");
    let (mut new, mut updated) = (BTreeMap::new(), BTreeMap::new());
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let ids = |k: &str| -> Vec<String> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].as_str().unwrap().to_string())
                .collect()
        };
        let name = v["watch"].as_str().unwrap().to_string();
        new.insert(name.clone(), ids("new"));
        updated.insert(name, ids("updated"));
    }
    (code, new, updated)
}

fn watch_add(index: &Path, name: &str, query: &str) {
    let mut c = ptsearch(index);
    c.args(["watch", "add", name, query]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "watch add failed: {err}");
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn news_are_the_matching_documents_the_index_did_not_hold() {
    let Some(root) = shared_corpora("news_are_the_matching_documents_the_index_did_not_hold")
    else {
        return;
    };
    let train = root.join("biored/Train.PubTator");
    let dev = root.join("biored/Dev.PubTator");
    let cdr = root.join("bc5cdr/CDR_TrainingSet.PubTator.txt");
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_files(&index, &[&train]);
    // Cisplatin: annotated in BioRED (ChemicalEntity) and in BC5CDR (Chemical).
    watch_add(&index, "all", "*");
    watch_add(&index, "cisplatin", "chemical:D002945");
    let (code, new, _) = news(&index, &[]);
    assert_eq!(code, 1, "right after watch add there is no news");
    assert!(new.values().all(Vec::is_empty));

    index_files(&index, &[&dev, &cdr]);
    let before = read_pubtator(&[&train]);
    let after = read_pubtator(&[&dev, &cdr]);
    let fresh: Vec<String> = after
        .keys()
        .filter(|id| !before.contains_key(*id))
        .cloned()
        .collect();
    let cis = |anns: &BTreeSet<(String, String)>| {
        anns.iter()
            .any(|(t, id)| t.starts_with("Chemical") && id == "D002945")
    };
    let fresh_cis: Vec<String> = fresh
        .iter()
        .filter(|id| cis(&after[*id]))
        .cloned()
        .collect();
    // Known documents that got a layer from the new files and match now.
    let updated_cis: Vec<String> = after
        .iter()
        .filter(|(id, anns)| before.contains_key(*id) && (cis(anns) || cis(&before[*id])))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        fresh_cis.len() >= 5 && !updated_cis.is_empty(),
        "fixture too small"
    );

    let (code, peeked, peeked_updated) = news(&index, &["--peek", "--updated"]);
    assert_eq!(code, 0);
    assert_eq!(sorted(peeked["all"].clone()), fresh);
    assert_eq!(sorted(peeked["cisplatin"].clone()), fresh_cis);
    assert_eq!(sorted(peeked_updated["cisplatin"].clone()), updated_cis);
    // --peek left the marks: the same news again, then they move.
    let (code, new, updated) = news(&index, &[]);
    assert_eq!(code, 0);
    assert_eq!(sorted(new["cisplatin"].clone()), fresh_cis);
    assert!(updated["cisplatin"].is_empty(), "--updated was not asked");
    let (code, new, _) = news(&index, &["--updated"]);
    assert_eq!(code, 1, "a second news is empty: {new:?}");
    assert!(new.values().all(Vec::is_empty));
    // One watch by name, and --since ignoring the marks.
    let (_, since, _) = news(&index, &["cisplatin", "--since", "1970-01-01"]);
    assert_eq!(since.len(), 1);
    assert_eq!(
        sorted(since["cisplatin"].clone()),
        sorted(
            before
                .iter()
                .chain(&after)
                .filter(|(_, a)| cis(a))
                .map(|(id, _)| id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        )
    );
    let (code, _, _) = news(&index, &["--since", "2999-01-01"]);
    assert_eq!(code, 1);

    // Known files again, merged or replaced, and a renamed source: nothing new.
    index_files(&index, &[&dev]);
    let (code, new, _) = news(&index, &[]);
    assert_eq!(code, 1, "re-indexing a known file: {new:?}");
    let mut c = ptsearch(&index);
    c.args(["index", "--quiet", "--replace"]).arg(&train);
    assert_eq!(run(c).0, 0);
    let mut c = ptsearch(&index);
    c.args(["sources", "rename", "Dev", "biored-dev"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let (code, new, updated) = news(&index, &["--updated"]);
    assert_eq!(
        code, 0,
        "--replace rewrote known documents: updated, not new"
    );
    assert!(new.values().all(Vec::is_empty), "{new:?}");
    assert!(!updated["all"].is_empty());
}

#[test]
fn watch_add_list_rm_and_their_errors() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_files(&index, &[&crate::util::data("ranking.pubtator")]);
    watch_add(&index, "pd1", "gene:5133");
    let mut c = ptsearch(&index);
    c.args(["watch", "add", "pd1", "cancer"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("exists already"), "{err}");
    let mut c = ptsearch(&index);
    c.args(["watch", "add", "bad/name", "cancer"]);
    assert!(run(c).2.contains("invalid watch name"));
    let mut c = ptsearch(&index);
    c.args(["watch", "add", "broken", "gene:("]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("invalid query"), "{err}");
    let mut c = ptsearch(&index);
    c.args(["watch", "list", "--format", "json"]);
    let listed: serde_json::Value = serde_json::from_str(&run(c).1).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["query"], "gene:5133");
    let mut c = ptsearch(&index);
    c.args(["watch", "rm", "nope"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("unknown watch 'nope'; valid: pd1"), "{err}");
    let mut c = ptsearch(&index);
    c.args(["watch", "rm", "pd1"]);
    assert_eq!(run(c).0, 0);
    let mut c = ptsearch(&index);
    c.args(["watch", "list"]);
    assert_eq!(run(c).1, "");
    // No temporary file is left behind.
    let stray: Vec<_> = std::fs::read_dir(&index)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty());
}

mod crash;
