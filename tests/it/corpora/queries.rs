//! Stats, entity queries and relation queries against the oracle.

use super::*;

// ----- 1. stats -----

#[test]
fn stats_match_independent_counts_per_corpus() {
    let Some(root) = shared_corpora("stats_match_independent_counts_per_corpus") else {
        return;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !NOT_PUBTATOR.iter().any(|n| p.ends_with(n)))
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 8,
        "expected the PubTator corpora, found {dirs:?}"
    );
    let mut diffs = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let oracle = Oracle::load(std::slice::from_ref(dir));
        let index = tempfile::tempdir().unwrap();
        index_files(index.path(), &[dir.as_path()]);
        let first = stats(index.path());
        let mut corpus_diffs = Vec::new();
        let documents = first["documents"].as_u64().expect("documents");
        if documents != oracle.docs.len() as u64 {
            corpus_diffs.push(format!(
                "documents: ptsearch {documents}, oracle {}",
                oracle.docs.len()
            ));
        }
        let (low, high) = oracle.annotation_counts();
        compare_bounds(
            "annotations",
            &first["annotations"],
            (&low, &high),
            &mut corpus_diffs,
        );
        compare_counts(
            "relations",
            &first["relations"],
            &oracle.relation_counts(),
            &mut corpus_diffs,
        );
        let mut distinct: BTreeMap<String, u64> = BTreeMap::new();
        for (t, _) in oracle.entity_docs(false).keys() {
            *distinct.entry(t.clone()).or_default() += 1;
        }
        let mut got_distinct = first["distinct_ids"].clone();
        got_distinct
            .as_object_mut()
            .expect("distinct_ids")
            .remove("Variant");
        compare_counts(
            "distinct_ids (without Variant)",
            &got_distinct,
            &distinct,
            &mut corpus_diffs,
        );

        index_files(index.path(), &[dir.as_path()]);
        let second = stats(index.path());
        for key in ["documents", "annotations", "relations", "distinct_ids"] {
            if first[key] != second[key] {
                corpus_diffs.push(format!(
                    "re-indexing changed {key}: {} → {}",
                    first[key], second[key]
                ));
            }
        }
        eprintln!(
            "{name}: {documents} documents, {} annotations, {} relations",
            first["annotations"], first["relations"]
        );
        diffs.extend(corpus_diffs.into_iter().map(|d| format!("{name}: {d}")));
    }
    assert_no_failures("stats", dirs.len(), &diffs);
}

// ----- 2. entity queries -----

#[test]
fn entity_queries_match_annotation_oracle() {
    let Some(root) = shared_corpora("entity_queries_match_annotation_oracle") else {
        return;
    };
    let inputs: Vec<PathBuf> = [
        "biored",
        "bc5cdr",
        "ncbi_disease",
        "aioner/NLMgene_Test.PubTator",
        "aioner/NLMgene_Train.PubTator",
        "bioconcepts2pubtator_sample",
        "aioner/BioID_Test_revision.PubTator",
        "aioner/BioID_Train_revision.PubTator",
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

    let exact = oracle.entity_docs(false);
    let folded = oracle.entity_docs(true);
    let docs_of = |t: &str, id: &str| folded[&(t.to_string(), id.to_lowercase())].clone();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |query: String, expected: &BTreeSet<String>, failures: &mut Vec<String>| {
        check_query(idx, &query, expected, failures);
        checked += 1;
    };

    // (query prefix, [(ID as written in the files, expected documents)]) per type.
    let mut per_type: Vec<(String, IdDocs)> = Vec::new();
    for t in ID_TYPES {
        let ids: IdDocs = exact
            .keys()
            .filter(|(et, _)| et == t)
            .map(|(_, id)| (id.clone(), docs_of(t, id)))
            .collect();
        assert!(!ids.is_empty(), "no {t} IDs in the oracle");
        per_type.push((t.to_lowercase(), spread(&ids, 60)));
    }
    let rs: IdDocs = oracle.rs_docs(true).into_iter().collect();
    per_type.push(("variant".to_string(), spread(&rs, 60)));

    // Single-ID queries for the first IDs of each type, OR-batches of 8 for the rest.
    for (prefix, ids) in &per_type {
        let (single, batched) = ids.split_at(ids.len().min(10));
        for (id, docs) in single {
            check(format!("{prefix}:{}", query_value(id)), docs, &mut failures);
        }
        for batch in batched.chunks(8) {
            let query: Vec<String> = batch
                .iter()
                .map(|(id, _)| format!("{prefix}:{}", query_value(id)))
                .collect();
            let union: BTreeSet<String> =
                batch.iter().flat_map(|(_, d)| d.iter().cloned()).collect();
            check(query.join(" OR "), &union, &mut failures);
        }
    }

    // `id:X` is the union over every type; include IDs that occur under several types.
    let mut by_id: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut types_of: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, id), docs) in &folded {
        by_id.entry(id).or_default().extend(docs.iter().cloned());
    }
    for (_, id) in exact.keys() {
        *types_of.entry(id).or_default() += 1;
    }
    let shared: Vec<&str> = types_of
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| *id)
        .collect();
    let mut untyped: Vec<String> = spread(&shared, 10)
        .into_iter()
        .map(str::to_string)
        .collect();
    for (_, ids) in per_type.iter().filter(|(p, _)| p != "variant") {
        untyped.extend(ids.iter().take(3).map(|(id, _)| id.clone()));
    }
    for id in &untyped {
        check(
            format!("id:{}", query_value(id)),
            &by_id[id.to_lowercase().as_str()],
            &mut failures,
        );
    }

    // A bare MeSH ID means MESH:…, and CVCL_x means CVCL:x.
    for (t, prefix) in [
        ("Disease", "MESH:D"),
        ("Chemical", "MESH:C"),
        ("CellLine", "CVCL:"),
    ] {
        let ids: Vec<&String> = exact
            .keys()
            .filter(|(et, id)| et == t && id.starts_with(prefix))
            .map(|(_, id)| id)
            .collect();
        assert!(!ids.is_empty(), "no {t} IDs starting with {prefix}");
        for id in spread(&ids, 5) {
            let other = match id.strip_prefix("MESH:") {
                Some(bare) => bare.to_string(),
                None => id.replacen("CVCL:", "CVCL_", 1),
            };
            let expected = docs_of(t, id);
            check(
                format!("{}:{id}", t.to_lowercase()),
                &expected,
                &mut failures,
            );
            check(
                format!("{}:{other}", t.to_lowercase()),
                &expected,
                &mut failures,
            );
        }
    }
    assert_no_failures("entity queries", checked, &failures);
}

// ----- 3. relation queries -----

#[test]
fn relation_queries_match_relation_lines() {
    let Some(root) = shared_corpora("relation_queries_match_relation_lines") else {
        return;
    };
    let inputs = vec![corpus(&root, "biored"), corpus(&root, "bc5cdr")];
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(index.path(), &[inputs[0].as_path(), inputs[1].as_path()]);
    let idx = index.path();

    // Relation lines whose arguments are one plain ID each, 25 per corpus.
    let simple = |r: &Relation| {
        r.args
            .iter()
            .all(|a| a.len() == 1 && a[0].chars().all(|c| c.is_ascii_alphanumeric() || c == ':'))
    };
    let mut chosen: Vec<&Relation> = Vec::new();
    for name in ["biored", "bc5cdr"] {
        let candidates: Vec<&Relation> = oracle
            .docs
            .values()
            .filter(|d| d.corpus() == name)
            .flat_map(|d| d.relations.iter().filter(|r| simple(r)))
            .collect();
        assert!(candidates.len() > 100, "too few relation lines in {name}");
        chosen.extend(spread(&candidates, 25));
    }

    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, r) in chosen.iter().enumerate() {
        let (a, b) = (&r.args[0][0], &r.args[1][0]);
        let key = r.written.to_lowercase();
        let same_type = oracle.relation_docs(|x| x.written.to_lowercase() == key && x.links(a, b));
        let any_type = oracle.relation_docs(|x| x.links(a, b));
        // Vary the spelling: the type in upper case every other time, and the reversed query
        // with the IDs as written in the file (bare MeSH IDs).
        let written_type = if i % 2 == 0 {
            r.written.clone()
        } else {
            r.written.to_uppercase()
        };
        let queries = [
            (format!("rel:{written_type}|{a}|{b}"), &same_type),
            (
                format!("rel:{written_type}|{}|{}", r.raw[1], r.raw[0]),
                &same_type,
            ),
            (format!("rel:ANY|{a}|{b}"), &any_type),
        ];
        for (query, expected) in queries {
            check_query(idx, &query, expected, &mut failures);
            checked += 1;
        }
    }
    for (written, _) in oracle.relation_counts() {
        let key = written.to_lowercase();
        let expected = oracle.relation_docs(|x| x.written.to_lowercase() == key);
        check_query(idx, &format!("rel:{written}"), &expected, &mut failures);
        checked += 1;
    }
    assert_no_failures("relation queries", checked, &failures);
}
