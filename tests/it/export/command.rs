//! `ptsearch export` end to end (the shared steps are `export_all` in the parent module).

use super::*;

#[test]
fn export_command_writes_bioc_and_quickwit_of_fixtures() {
    let (_dir, _, docs) = export_all(&clean_fixtures());
    assert!(
        docs.iter().any(|d| d.passages.len() > 2),
        "a multi-record document is exported"
    );
}

/// Values of a field over the NDJSON lines: value → IDs of the documents holding it.
fn postings(nd: &str, field: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in nd.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap_or_default().to_string();
        for x in v[field].as_array().into_iter().flatten() {
            out.entry(x.as_str().unwrap_or_default().to_string())
                .or_default()
                .insert(id.clone());
        }
    }
    out
}

/// Every `n`-th item, at most `max`.
fn sample<T: Clone>(items: &[T], max: usize) -> Vec<T> {
    let step = (items.len() / max.max(1)).max(1);
    items.iter().step_by(step).take(max).cloned().collect()
}

#[test]
fn export_command_on_biored_and_the_documented_query_mapping() {
    let test = "export_command_on_biored_and_the_documented_query_mapping";
    let Some(test_set) = biored_files(test).into_iter().next() else {
        return;
    };
    let (dir, _, docs) = export_all(&[test_set]);
    assert_eq!(docs.len(), 100);
    let index = dir.path().join("index");
    let nd = std::fs::read_to_string(dir.path().join("export.ndjson")).unwrap();

    // The YAML says `gene:5133` → entity:"gene:5133": the documents holding an entity term
    // in the NDJSON are the hits of the ptsearch query it stands for.
    let entities = postings(&nd, "entity");
    let typed: Vec<(&String, &BTreeSet<String>)> = entities
        .iter()
        .filter(|(t, _)| {
            t.split_once(':').is_some_and(|(ty, id)| {
                ["gene", "disease", "chemical", "species"].contains(&ty)
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == ':')
            })
        })
        .collect();
    assert!(typed.len() > 50);
    for (term, want) in sample(&typed, 15) {
        let got: BTreeSet<String> = search_ids(&index, term).into_iter().collect();
        assert_eq!(&got, want, "query {term}");
    }

    // rel:key|a|b → relation:"key|i:a|i:b".
    let relations = postings(&nd, "relation");
    let by_id: Vec<(String, &BTreeSet<String>)> = relations
        .iter()
        .filter_map(|(t, ids)| {
            let mut parts = t.split('|');
            let (k, a, b) = (parts.next()?, parts.next()?, parts.next()?);
            let plain = |x: &str| {
                x.strip_prefix("i:")
                    .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric() || c == ':'))
                    .map(str::to_string)
            };
            (parts.next().is_none() && k != "any")
                .then(|| Some((format!("rel:{k}|{}|{}", plain(a)?, plain(b)?), ids)))?
        })
        .collect();
    assert!(by_id.len() > 20);
    for (query, want) in sample(&by_id, 10) {
        let got: BTreeSet<String> = search_ids(&index, &query).into_iter().collect();
        assert_eq!(&got, want, "query {query}");
    }
}
