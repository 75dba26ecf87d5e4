//! Highlight spans in `--format json` against the oracle's annotation lines.

use super::*;

/// `text[start..end)` in characters, or `None` when out of range.
fn char_slice(text: &str, start: usize, end: usize) -> Option<String> {
    (start <= end && end <= text.chars().count())
        .then(|| text.chars().skip(start).take(end - start).collect())
}

/// The entity queries of the span test: (query, canonical type, ID) for IDs of documents with
/// non-ASCII text, of later passages of multi-passage documents, and of BioRED documents.
fn span_queries(oracle: &Oracle) -> Vec<(String, &'static str, String)> {
    let mut picks: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut pick = |docs: Vec<&Doc>, filter: &dyn Fn(&Annotation) -> bool, per_type: usize| {
        for t in ID_TYPES {
            let ids: BTreeSet<String> = docs
                .iter()
                .flat_map(|d| d.annotations.iter())
                .filter(|a| a.ctype == t && filter(a))
                .flat_map(Annotation::ids)
                .collect();
            for id in spread(&ids.into_iter().collect::<Vec<_>>(), per_type) {
                picks.insert((t, id));
            }
        }
    };
    let docs =
        |keep: &dyn Fn(&Doc) -> bool| oracle.docs.values().filter(|d| keep(d)).collect::<Vec<_>>();
    pick(
        docs(&|d| d.texts.iter().any(|t| !t.is_ascii())),
        &|_| true,
        4,
    );
    pick(docs(&|d| d.records > 1), &|a| a.record > 0, 4);
    pick(docs(&|d| d.corpus() == "biored"), &|_| true, 4);
    let mut out: Vec<(String, &'static str, String)> = picks
        .into_iter()
        .map(|(t, id)| (format!("{}:{}", t.to_lowercase(), query_value(&id)), t, id))
        .collect();
    let variants: Vec<String> = oracle.rs_docs(true).into_keys().collect();
    for rs in spread(&variants, 4) {
        out.push((format!("variant:{rs}"), "Variant", rs));
    }
    out
}

/// Checks one entity span of a hit for a query of type `want.0` and ID `want.1`.
fn check_entity_span(
    hit: &Value,
    span: &Value,
    want: (&str, &str),
    doc: Option<&Doc>,
    failures: &mut Vec<String>,
) {
    let id = hit["id"].as_str().unwrap();
    let (t, queried) = want;
    if span["entity_type"] != t {
        failures.push(format!(
            "{id}: entity span of type {} for a {t} query: {span}",
            span["entity_type"]
        ));
    }
    let ids = span["entity_id"].as_str().unwrap_or("");
    if t != "Variant" && !ids.split(',').any(|x| x.eq_ignore_ascii_case(queried)) {
        failures.push(format!(
            "{id}: entity span without the queried ID {queried}: {span}"
        ));
    }
    let Some(doc) = doc else {
        failures.push(format!("{id}: a hit the oracle does not know"));
        return;
    };
    let text = span["text"].as_str().unwrap();
    if !doc.annotations.iter().any(|a| a.mention == text) {
        failures.push(format!(
            "{id}: no annotation line with the mention of {span}"
        ));
    }
    // BioRED offsets are all exact: the span must be at the offsets of such a line.
    if doc.corpus() != "biored" {
        return;
    }
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    let shift = if span["field"] == "title" {
        0
    } else {
        hit["title"].as_str().unwrap().chars().count() + 1
    };
    let found = doc
        .annotations
        .iter()
        .any(|a| a.mention == text && a.start == start + shift && a.end == end + shift);
    if !found {
        failures.push(format!(
            "{id}: no annotation line '{text}' at {}..{}: {span}",
            start + shift,
            end + shift
        ));
    }
}

/// True when an abstract offset lies past the first record's abstract of a multi-record document.
fn in_later_passage(doc: &Doc, abstract_start: u64) -> bool {
    let first_abstract = doc.texts.get(1).map_or(0, |t| t.chars().count());
    doc.records > 1 && abstract_start as usize > first_abstract
}

#[test]
fn json_entity_spans_are_exact_annotations() {
    let Some(root) = shared_corpora("json_entity_spans_are_exact_annotations") else {
        return;
    };
    let inputs = vec![
        corpus(&root, "biored"),
        corpus(&root, "aioner/GNormPlus_Train.PubTator"),
        corpus(&root, "aioner/NLMchem_Test.PubTator"),
    ];
    let oracle = Oracle::load(&inputs);
    let index = tempfile::tempdir().unwrap();
    index_files(
        index.path(),
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );

    let queries = span_queries(&oracle);
    let mut failures = Vec::new();
    let (mut spans_checked, mut non_ascii, mut later_passages, mut biored) = (0, 0, 0, 0);
    for (query, t, id) in &queries {
        for line in search_json(index.path(), &["--limit", "40", query]) {
            if line["type"] != "hit" {
                continue;
            }
            let hit = &line["data"];
            let doc = oracle.docs.get(hit["id"].as_str().expect("hit id"));
            for span in hit["spans"].as_array().expect("spans") {
                let field = span["field"].as_str().expect("field");
                let text = hit[field]
                    .as_str()
                    .unwrap_or_else(|| panic!("no {field} in hit {hit}"));
                let (start, end) = (
                    span["start"].as_u64().unwrap(),
                    span["end"].as_u64().unwrap(),
                );
                let slice = char_slice(text, start as usize, end as usize);
                spans_checked += 1;
                if slice.as_deref() != span["text"].as_str() {
                    failures.push(format!(
                        "{query}: {field}[{start}..{end}) is {slice:?}, span says {span}"
                    ));
                }
                if span["kind"] != "entity" {
                    continue;
                }
                non_ascii += usize::from(text.chars().take(start as usize).any(|c| !c.is_ascii()));
                later_passages += usize::from(
                    field == "abstract" && doc.is_some_and(|d| in_later_passage(d, start)),
                );
                biored += usize::from(doc.is_some_and(|d| d.corpus() == "biored"));
                check_entity_span(hit, span, (t, id.as_str()), doc, &mut failures);
            }
        }
    }
    eprintln!(
        "{} queries, {spans_checked} spans; entity spans after non-ASCII text {non_ascii}, \
         in later passages {later_passages}, in BioRED documents {biored}",
        queries.len()
    );
    assert!(
        non_ascii > 0 && later_passages > 0 && biored > 0,
        "the queries missed a kind of document"
    );
    assert_no_failures("spans", spans_checked, &failures);
}
