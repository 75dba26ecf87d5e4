//! Facet counts against the oracle's annotation lines.

use super::*;

/// The facets a query should produce: per type, the matching documents with an annotation of
/// that type (with or without an ID: what `type:X` finds) and the top `k` entities (count descending, then ID ascending). `Variant` entities other
/// than dbSNP IDs are not modelled, so the `Variant` top list is `None`.
type ExpectedFacets = BTreeMap<String, (u64, Option<Vec<(String, u64)>>)>;

fn expected_facets(oracle: &Oracle, matching: &BTreeSet<String>, k: usize) -> ExpectedFacets {
    let mut per_type: BTreeMap<String, BTreeSet<&String>> = BTreeMap::new();
    for (id, doc) in oracle.docs.iter().filter(|(id, _)| matching.contains(*id)) {
        for a in &doc.annotations {
            per_type.entry(a.ctype.clone()).or_default().insert(id);
        }
    }
    let mut tops: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for ((t, id), docs) in oracle.entity_docs(false) {
        let n = docs.intersection(matching).count() as u64;
        if n > 0 {
            tops.entry(t).or_default().push((id, n));
        }
    }
    per_type
        .into_iter()
        .map(|(t, docs)| {
            let top = (t != "Variant").then(|| {
                let mut top = tops.remove(&t).unwrap_or_default();
                top.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                top.truncate(k);
                top
            });
            (t, (docs.len() as u64, top))
        })
        .collect()
}

/// Compares the `facets` of a JSON search summary with the oracle's.
fn check_facets(
    label: &str,
    got: &Value,
    oracle: &Oracle,
    matching: &BTreeSet<String>,
    failures: &mut Vec<String>,
) {
    let want = expected_facets(oracle, matching, 20);
    let rs = oracle.rs_docs(true);
    let facets = got
        .as_array()
        .unwrap_or_else(|| panic!("{label}: no facets in {got}"));
    let got_types: Vec<&str> = facets
        .iter()
        .map(|f| f["type"].as_str().expect("type"))
        .collect();
    let want_types: BTreeSet<&str> = want.keys().map(String::as_str).collect();
    if got_types.iter().copied().collect::<BTreeSet<_>>() != want_types {
        failures.push(format!(
            "{label}: types {got_types:?}, oracle {want_types:?}"
        ));
    }
    for facet in facets {
        let t = facet["type"].as_str().unwrap();
        let Some((documents, top)) = want.get(t) else {
            continue;
        };
        if facet["documents"].as_u64() != Some(*documents) {
            failures.push(format!(
                "{label}: {t} documents {}, oracle {documents}",
                facet["documents"]
            ));
        }
        let got_top: Vec<(String, u64)> = facet["top"]
            .as_array()
            .expect("top")
            .iter()
            .map(|e| {
                (
                    e["id"].as_str().expect("id").to_string(),
                    e["documents"].as_u64().expect("documents"),
                )
            })
            .collect();
        if !got_top
            .windows(2)
            .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0))
        {
            failures.push(format!(
                "{label}: {t} top list not sorted by count then ID: {got_top:?}"
            ));
        }
        match top {
            Some(top) if &got_top != top => {
                failures.push(format!("{label}: {t} top {got_top:?}\n    oracle {top:?}"));
            }
            Some(_) => {}
            None => {
                // Variant: check the dbSNP entries only.
                for (id, n) in got_top.iter().filter(|(id, _)| rs.contains_key(id)) {
                    let want_n = rs[id].intersection(matching).count() as u64;
                    if *n != want_n {
                        failures.push(format!("{label}: {t} {id}: {n} documents, oracle {want_n}"));
                    }
                }
            }
        }
    }
}

#[test]
fn facet_counts_match_annotation_lines() {
    let Some(root) = shared_corpora("facet_counts_match_annotation_lines") else {
        return;
    };
    let inputs: Vec<PathBuf> = [
        "biored",
        "bc5cdr",
        "ncbi_disease",
        "bioconcepts2pubtator_sample",
        "pubtator3_netmedex",
    ]
    .iter()
    .map(|rel| corpus(&root, rel))
    .collect();
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(
        index.path(),
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );
    let idx = index.path();
    let facet_args = ["--facets", "--facet-top", "20", "--limit", "0"];
    let mut failures = Vec::new();

    let all: BTreeSet<String> = oracle.docs.keys().cloned().collect();
    let lines = search_json(idx, &[&facet_args[..], &["*"]].concat());
    assert_eq!(lines.len(), 1, "--limit 0 prints the summary only");
    assert_eq!(
        summary(&lines)["total_hits"].as_u64(),
        Some(all.len() as u64)
    );
    check_facets(
        "*",
        &summary(&lines)["facets"],
        &oracle,
        &all,
        &mut failures,
    );

    // The most frequent disease, and a type filter.
    let entities = oracle.entity_docs(false);
    let ((_, disease), matching) = entities
        .iter()
        .filter(|((t, _), _)| t == "Disease")
        .max_by_key(|((_, id), docs)| (docs.len(), std::cmp::Reverse(id.clone())))
        .expect("a disease");
    let query = format!("disease:{disease}");
    let lines = search_json(idx, &[&facet_args[..], &[&query]].concat());
    assert_eq!(
        summary(&lines)["total_hits"].as_u64(),
        Some(matching.len() as u64),
        "{query}"
    );
    check_facets(
        &query,
        &summary(&lines)["facets"],
        &oracle,
        matching,
        &mut failures,
    );

    let lines = search_json(
        idx,
        &[&facet_args[..], &["--facet-type", "Gene", &query]].concat(),
    );
    let facets = summary(&lines)["facets"]
        .as_array()
        .expect("facets")
        .clone();
    let types: Vec<&Value> = facets.iter().map(|f| &f["type"]).collect();
    if types != ["Gene"] {
        failures.push(format!("--facet-type Gene gave types {types:?}"));
    }
    assert_no_failures("facets", 3, &failures);
}
