//! Documents from several sources: annotation layers (nothing lost when corpora annotate the
//! same PMIDs), provenance (`source:`, per-source stats), PubMed XML input and metadata queries.
//!
//! Counts are taken from the input files by a small line reader of this file (not by the
//! library's parser): annotation lines have ≥ 5 tab-separated columns with integer offsets in
//! columns 2 and 3 and a type without `|`; relation lines have 4 or 5 columns and a
//! non-integer column 2; a document repeated whole inside one file counts once.

use crate::util::{
    data, index_with, ptsearch, run, search_ids, search_json, shared_corpora, stats,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Annotation and relation lines of a PubTator file, counted independently.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Lines {
    documents: u64,
    annotations: u64,
    relations: u64,
}

/// Annotation and relation lines of a file, with a document repeated whole inside the file
/// (the same run of lines under the same ID) counted once.
fn count_lines(path: &Path) -> Lines {
    let text = std::fs::read_to_string(path).expect("readable corpus");
    let is_int = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Runs of consecutive lines with the same document ID.
    let mut blocks: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            continue;
        }
        let id = match line.split_once('|') {
            Some((id, rest))
                if !id.contains('\t') && (rest.starts_with("t|") || rest.starts_with("a|")) =>
            {
                id
            }
            _ => line.split('\t').next().unwrap_or(""),
        };
        match blocks.last_mut() {
            Some((last, lines)) if last == id => lines.push(line),
            _ => blocks.push((id.to_string(), vec![line])),
        }
    }
    let mut n = Lines::default();
    let mut ids = std::collections::BTreeSet::new();
    let mut seen = std::collections::HashSet::new();
    for (id, lines) in &blocks {
        ids.insert(id.clone());
        if !seen.insert((id.clone(), lines.clone())) {
            continue;
        }
        for line in lines {
            let cols: Vec<&str> = line.split('\t').collect();
            // A type column holding a tmVar ID (`p|SUB|P|29|S`) is a malformed line.
            if cols.len() >= 5 && is_int(cols[1]) && is_int(cols[2]) && !cols[4].contains('|') {
                n.annotations += 1;
            } else if (cols.len() == 4 || cols.len() == 5) && !is_int(cols[1]) {
                n.relations += 1;
            }
        }
    }
    n.documents = ids.len() as u64;
    n
}

fn total(v: &Value) -> u64 {
    v.as_object()
        .map_or(0, |m| m.values().filter_map(Value::as_u64).sum())
}

/// Annotations and relations of every stored document, from a JSONL export.
fn stored_counts(index: &Path) -> (u64, u64) {
    let mut c = ptsearch(index);
    c.args(["export", "--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "export failed: {err}");
    let (mut a, mut r) = (0, 0);
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).expect("JSONL");
        a += v["annotations"].as_array().map_or(0, Vec::len) as u64;
        r += v["relations"].as_array().map_or(0, Vec::len) as u64;
    }
    (a, r)
}

#[test]
fn biored_then_ncbi_disease_keep_every_annotation_and_relation() {
    let Some(root) = shared_corpora("biored_then_ncbi_disease_keep_every_annotation_and_relation")
    else {
        return;
    };
    let biored = root.join("biored/Train.PubTator");
    let ncbi = root.join("ncbi_disease/NCBItrainset_corpus.txt");
    let (b, n) = (count_lines(&biored), count_lines(&ncbi));
    assert_eq!(b.relations, 4178, "the BioRED training file as documented");
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    index_with(&idx, &["--quiet"], &[&biored]);
    let summary = index_with(&idx, &[], &[&ncbi]);
    let s = stats(&idx);
    assert_eq!(total(&s["relations"]), b.relations + n.relations, "{s}");
    let per = &s["per_source"];
    assert_eq!(
        per["Train"]["annotations"].as_u64(),
        Some(b.annotations),
        "{per}"
    );
    assert_eq!(
        per["Train"]["relations"].as_u64(),
        Some(b.relations),
        "{per}"
    );
    assert_eq!(
        per["Train"]["documents"].as_u64(),
        Some(b.documents),
        "{per}"
    );
    let ncbi_name = "NCBItrainset_corpus";
    assert_eq!(
        per[ncbi_name]["annotations"].as_u64(),
        Some(n.annotations),
        "{per}"
    );
    assert_eq!(
        per[ncbi_name]["documents"].as_u64(),
        Some(n.documents),
        "{per}"
    );
    assert_eq!(
        stored_counts(&idx),
        (b.annotations + n.annotations, b.relations + n.relations)
    );
    assert!(s["multi_source_documents"].as_u64().unwrap_or(0) > 0, "{s}");
    assert!(summary.contains("got another source"), "{summary}");
    // Provenance in queries.
    let both = search_ids(&idx, "source:Train source:NCBItrainset_corpus");
    assert_eq!(
        both.len() as u64,
        s["multi_source_documents"].as_u64().unwrap()
    );
}

/// Every PubTator file under `dir` (content starts with a `ID|t|` line), in name order.
fn pubtator_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable corpora")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            pubtator_files(&p, out);
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if first
                .split_once('|')
                .is_some_and(|(id, rest)| !id.contains('\t') && rest.starts_with("t|"))
            {
                out.push(p);
            }
        }
    }
}

#[test]
fn indexing_every_pubtator_corpus_loses_no_annotation_or_relation() {
    let Some(root) = shared_corpora("indexing_every_pubtator_corpus_loses_no_annotation") else {
        return;
    };
    let mut files = Vec::new();
    pubtator_files(&root, &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let mut expected = Lines::default();
    for f in &files {
        let n = count_lines(f);
        expected.annotations += n.annotations;
        expected.relations += n.relations;
    }
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let summary = index_with(&idx, &["--quiet"], &refs);
    assert_eq!(
        stored_counts(&idx),
        (expected.annotations, expected.relations),
        "{summary}"
    );
    assert!(summary.contains("got another source"), "{summary}");

    // Facet counts mean what clicking them gives: every annotated type has its count, and it
    // is the number of `type:X` hits (types without IDs, such as OTHER or Cell, included).
    let lines = search_json(&idx, &["*", "--facets", "--facet-top", "0", "--limit", "0"]);
    let facets: BTreeMap<String, u64> = lines.last().unwrap()["data"]["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let t = f["type"].as_str().unwrap().to_string();
            (t, f["documents"].as_u64().unwrap())
        })
        .collect();
    let annotated: Vec<String> = stats(&idx)["annotations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        facets.keys().cloned().collect::<Vec<_>>(),
        annotated,
        "facet types = annotated types"
    );
    for (t, n) in &facets {
        let hits = search_json(&idx, &[&format!("type:{t}"), "--limit", "0"]);
        let total = hits.last().unwrap()["data"]["total_hits"].as_u64().unwrap();
        assert_eq!(*n, total, "{t}: facet count vs type:{t} hits");
    }
}

/// Stats without what legitimately changes between runs (disk size, segments, run records).
fn comparable(mut s: Value) -> Value {
    if let Some(m) = s.as_object_mut() {
        for k in ["bytes_on_disk", "segments", "sources"] {
            m.remove(k);
        }
    }
    s
}

#[test]
fn reindexing_an_input_changes_neither_stats_nor_hits() {
    let Some(root) = shared_corpora("reindexing_an_input_changes_neither_stats_nor_hits") else {
        return;
    };
    let biored = root.join("biored/Train.PubTator");
    let ncbi = root.join("ncbi_disease/NCBItrainset_corpus.txt");
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    index_with(&idx, &["--quiet"], &[&biored, &ncbi]);
    let queries = [
        "disease:D003920",
        "gene:7124",
        "cancer",
        "source:Train",
        "rel:ANY|*|*",
    ];
    // Hit sets, not orders: BM25 statistics count deleted documents until their segment is
    // merged, so an upsert may reorder near-equal scores.
    let hit_sets = || -> Vec<Vec<String>> {
        queries
            .iter()
            .map(|q| {
                let mut ids = search_ids(&idx, q);
                ids.sort();
                ids
            })
            .collect()
    };
    let before = hit_sets();
    let s1 = comparable(stats(&idx));
    for input in [&ncbi, &biored] {
        index_with(&idx, &["--quiet"], &[input]);
        assert_eq!(
            comparable(stats(&idx)),
            s1,
            "after re-indexing {}",
            input.display()
        );
        let after = hit_sets();
        assert_eq!(after, before, "after re-indexing {}", input.display());
    }
}

#[test]
fn every_pubmed_xml_sample_is_searchable_by_words_year_journal_and_author() {
    let Some(root) = shared_corpora("every_pubmed_xml_sample_is_searchable") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    index_with(&idx, &["--quiet"], &[&root.join("pubmed_xml")]);
    let mut c = ptsearch(&idx);
    c.args(["export", "--format", "jsonl"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    let docs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(docs.len() >= 5, "{} documents", docs.len());
    for d in &docs {
        let id = d["id"].as_str().unwrap();
        let word = d["title"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 4)
            .max_by_key(|w| w.len())
            .unwrap()
            .to_string();
        let year = d["year"].as_u64().expect("year");
        let journal = d["journal"].as_str().expect("journal");
        let mut q = format!("title:{word} year:{year} journal:\"{journal}\"");
        if let Some(a) = d["authors"].as_array().and_then(|a| a.first()) {
            let a = a.as_str().unwrap();
            let last = a.rsplit_once(' ').map_or(a, |(l, _)| l);
            q.push_str(&format!(" author:\"{a}\" author:\"{last}\""));
        }
        let range = format!("year:{}..{}", year - 1, year + 1);
        for query in [q.as_str(), range.as_str()] {
            let ids = search_ids(&idx, query);
            assert!(ids.iter().any(|x| x == id), "{query} misses {id}: {ids:?}");
        }
        let mut c = ptsearch(&idx);
        c.args(["show", id]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&format!("{journal} · {year}")), "{out}");
    }
    // Structured abstracts keep their labels; MeSH headings are searchable.
    let hits = search_json(&idx, &["mh:D001249 BACKGROUND"]);
    assert!(
        hits.iter().any(|h| h["data"]["id"] == "29768149"),
        "{hits:?}"
    );
}

#[test]
fn metadata_queries_sort_and_facets_on_a_generated_file() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let xml = dir.path().join("gen.xml");
    let status = std::process::Command::new(crate::util::root().join("scripts/gen-pubmed-xml"))
        .args(["--from"])
        .arg(data("ranking.pubtator"))
        .args(["--seed", "3", "--out"])
        .arg(&xml)
        .status();
    let Ok(status) = status else {
        crate::util::missing(
            "metadata_queries_sort_and_facets_on_a_generated_file",
            "python3 is not installed",
        );
        return;
    };
    assert!(status.success());
    index_with(&idx, &["--quiet"], &[&data("ranking.pubtator"), &xml]);
    let all = search_json(&idx, &["--all", "--sort", "date", "*"]);
    let years: Vec<u64> = all
        .iter()
        .filter(|l| l["type"] == "hit")
        .map(|h| {
            h["data"]["year"]
                .as_u64()
                .expect("every generated record has a year")
        })
        .collect();
    assert!(years.len() > 3);
    assert!(
        years.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {years:?}"
    );
    let y = years[years.len() / 2];
    let exact = search_ids(&idx, &format!("year:{y}"));
    let range = search_ids(&idx, &format!("year:{y}..{y}"));
    assert_eq!(exact, range);
    assert_eq!(
        exact.len(),
        years.iter().filter(|&&x| x == y).count(),
        "year:{y}"
    );
    // Metadata facets.
    let lines = search_json(&idx, &["--facets", "*"]);
    let summary = lines.iter().find(|l| l["type"] == "summary").unwrap();
    let facets: BTreeMap<String, Value> = summary["data"]["metadata_facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_string(), f.clone()))
        .collect();
    for f in ["year", "journal", "pubtype"] {
        assert!(facets.contains_key(f), "{f}: {facets:?}");
    }
    assert_eq!(facets["journal"]["documents"], facets["year"]["documents"]);
}

#[test]
fn pubmed_delete_citation_removes_those_documents() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let xml = dir.path().join("update.xml");
    let status = std::process::Command::new(crate::util::root().join("scripts/gen-pubmed-xml"))
        .args(["--from"])
        .arg(data("ranking.pubtator"))
        .args(["--seed", "5", "--delete", "2", "--out"])
        .arg(&xml)
        .status();
    let Ok(status) = status else {
        crate::util::missing(
            "pubmed_delete_citation_removes_those_documents",
            "python3 is not installed",
        );
        return;
    };
    assert!(status.success());
    // The deleted PMIDs, read from the file's DeleteCitation element.
    let text = std::fs::read_to_string(&xml).unwrap();
    let block = text
        .split("<DeleteCitation>")
        .nth(1)
        .and_then(|b| b.split("</DeleteCitation>").next())
        .expect("a DeleteCitation");
    let deleted: Vec<&str> = block
        .split("<PMID")
        .skip(1)
        .filter_map(|p| p.split_once('>').and_then(|(_, r)| r.split_once('<')))
        .map(|(pmid, _)| pmid)
        .collect();
    assert_eq!(deleted.len(), 2, "{block}");
    index_with(&idx, &["--quiet"], &[&data("ranking.pubtator")]);
    let before = search_ids(&idx, "*");
    assert!(deleted.iter().all(|d| before.iter().any(|b| b == d)));
    let summary = index_with(&idx, &[], &[&xml]);
    assert!(
        summary.contains("deleted: 2 (PubMed DeleteCitation)"),
        "{summary}"
    );
    let after = search_ids(&idx, "*");
    assert_eq!(after.len(), before.len() - 2);
    for d in &deleted {
        assert!(!after.iter().any(|a| a == d), "{d} still indexed");
    }
}
