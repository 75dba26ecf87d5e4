//! Quickwit: every line against schema/quickwit-index.yaml.

use super::*;

/// The doc mapping as written: `mode` and `(name, [(key, value)])` per field mapping, read
/// from the YAML's `field_mappings` list (a small reader for the subset that file uses).
pub struct Mapping {
    /// `doc_mapping.mode`.
    pub mode: Option<String>,
    /// The field mappings in order: name and options.
    pub fields: Vec<(String, BTreeMap<String, String>)>,
    /// `search_settings.default_search_fields`.
    pub default_search_fields: Vec<String>,
}

pub fn read_mapping(yaml: &str) -> Mapping {
    let mut mode = None;
    let mut default_search_fields = Vec::new();
    let mut fields: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut list_indent: Option<usize> = None;
    for line in yaml.lines() {
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(li) = list_indent {
            if indent < li || (indent == li && !content.starts_with("- ")) {
                list_indent = None;
            }
        }
        if content == "field_mappings:" {
            list_indent = Some(indent);
            continue;
        }
        if list_indent.is_none() {
            if let Some(m) = content.strip_prefix("mode:") {
                mode = Some(m.trim().to_string());
            }
            if let Some(list) = content.strip_prefix("default_search_fields:") {
                let list = list.trim().trim_start_matches('[').trim_end_matches(']');
                default_search_fields = list.split(',').map(|f| f.trim().to_string()).collect();
            }
            continue;
        }
        let (entry, body) = match content.strip_prefix("- ") {
            Some(b) => (true, b),
            None => (false, content),
        };
        let Some((k, v)) = body.split_once(':') else {
            panic!("unexpected YAML line in field_mappings: {line}");
        };
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if entry {
            assert_eq!(k, "name", "a field mapping must start with name: {line}");
            fields.push((v, BTreeMap::new()));
        } else if let Some((_, opts)) = fields.last_mut() {
            opts.insert(k, v);
        }
    }
    Mapping {
        mode,
        fields,
        default_search_fields,
    }
}

/// schema/quickwit-index.yaml, checked against the writer's field list.
pub fn quickwit_mapping() -> Mapping {
    let yaml = std::fs::read_to_string(root().join("schema/quickwit-index.yaml")).unwrap();
    let m = read_mapping(&yaml);
    assert_eq!(
        m.mode.as_deref(),
        Some("strict"),
        "the mapping must reject unknown fields"
    );
    let names: Vec<&str> = m.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names, FIELDS,
        "schema/quickwit-index.yaml and output::quickwit::FIELDS"
    );
    for (name, opts) in &m.fields {
        assert!(opts.contains_key("type"), "{name} has no type");
        if opts.get("indexed").is_some_and(|v| v == "false") {
            for k in ["tokenizer", "record", "fieldnorms"] {
                assert!(
                    !opts.contains_key(k),
                    "{name}: Quickwit refuses {k} when not indexed"
                );
            }
        }
    }
    m
}

/// Quickwit's raw tokenizer keeps a value as one term; tantivy skips terms over this size.
const MAX_TERM_BYTES: usize = 65_530;

/// Checks one NDJSON line against the mapping: every field declared, of a compatible type,
/// and present (every field but the writer's optional ones, `pmid` and `year`, which it leaves
/// out when unknown); `id`, when declared, is not empty.
pub(super) fn check_quickwit_line(m: &Mapping, line: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
    let obj = v.as_object().ok_or("not an object")?;
    if let Some(k) = obj.keys().find(|k| !m.fields.iter().any(|(n, _)| n == *k)) {
        return Err(format!("undeclared field {k}"));
    }
    for (name, opts) in &m.fields {
        let Some(value) = obj.get(name) else {
            if OPTIONAL_FIELDS.contains(&name.as_str()) {
                continue;
            }
            return Err(format!("missing field {name}"));
        };
        let ty = opts.get("type").map_or("", String::as_str);
        let raw = opts.get("tokenizer").is_some_and(|t| t == "raw");
        let scalar_ok = |x: &Value, base: &str| match base {
            "text" => Ok(x
                .as_str()
                .is_some_and(|s| !raw || s.len() <= MAX_TERM_BYTES)),
            "json" => Ok(x.is_object()),
            "u64" => Ok(x.is_u64()),
            "i64" => Ok(x.is_i64()),
            "f64" => Ok(x.is_number()),
            "bool" => Ok(x.is_boolean()),
            other => Err(format!("the test does not know type {other}")),
        };
        let ok = match ty.strip_prefix("array<").and_then(|t| t.strip_suffix('>')) {
            Some(base) => match value.as_array() {
                Some(a) => a
                    .iter()
                    .map(|x| scalar_ok(x, base))
                    .collect::<Result<Vec<bool>, _>>()?
                    .into_iter()
                    .all(|b| b),
                None => false,
            },
            None => scalar_ok(value, ty)?,
        };
        if !ok {
            return Err(format!("field {name} is not a {ty}: {value}"));
        }
    }
    let declares_id = m.fields.iter().any(|(n, _)| n == "id");
    if declares_id && obj["id"].as_str().is_none_or(str::is_empty) {
        return Err("empty id".to_string());
    }
    Ok(())
}

fn quickwit_lines(docs: &[Document]) -> String {
    let mut out = Vec::new();
    for d in docs {
        write_quickwit_ndjson(&mut out, d).unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn quickwit_lines_match_the_quickwit_mapping() {
    let m = quickwit_mapping();
    let mut files = fixture_files();
    files.extend(biored_files("quickwit_lines_match_the_quickwit_mapping"));
    for path in files {
        let docs = pubtator_docs(&path);
        let text = quickwit_lines(&docs);
        assert_eq!(text.lines().count(), docs.len(), "{}", path.display());
        for (i, (line, d)) in text.lines().zip(&docs).enumerate() {
            let at = format!("{} line {}", path.display(), i + 1);
            check_quickwit_line(&m, line).unwrap_or_else(|e| panic!("{at}: {e}"));
            let v: Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["id"], d.id.as_str(), "{at}");
            assert_eq!(
                v["annotations"].as_array().map(Vec::len),
                Some(d.annotations.len()),
                "{at}"
            );
            assert_eq!(v["title"], d.title(), "{at}");
            // `pmid` is the ID's value exactly when the ID is all digits.
            let numeric =
                d.id.parse::<u64>()
                    .ok()
                    .filter(|_| d.id.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(v["pmid"].as_u64(), numeric, "{at}");
            assert_eq!(v["year"].as_u64(), d.meta.year.map(u64::from), "{at}");
            // Each entity term once per mention: a typed term is repeated as often as
            // annotations of that type carry that ID.
            let mut want: BTreeMap<String, usize> = BTreeMap::new();
            for a in &d.annotations {
                let raw = a.raw_id.as_deref().unwrap_or("");
                let t = ptsearch::pubtator::ids::canonical_type(&a.raw_type);
                // A variant's ID column is written as the identities of its variant.
                let forms: Vec<String> =
                    if t == "Variant" || ptsearch::pubtator::ids::is_variant_id(raw) {
                        ptsearch::pubtator::variant::parse_variant(raw)
                            .identities()
                            .into_iter()
                            .map(str::to_string)
                            .collect()
                    } else {
                        ptsearch::pubtator::ids::split_ids(raw)
                    };
                for form in forms {
                    *want
                        .entry(format!("{}:{}", t.to_lowercase(), form.to_lowercase()))
                        .or_default() += 1;
                }
            }
            for (term, n) in want {
                let got = v["entity"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|x| x.as_str() == Some(term.as_str()))
                    .count();
                assert!(
                    got >= n,
                    "{at}: {term} written {got} times, {n} annotations"
                );
            }
        }
    }
}

#[test]
fn free_text_searches_mentions_too() {
    // ptsearch's free text searches title, abstract and mention text: so must Quickwit's
    // default search fields, or entity-only documents are not found by their names.
    let m = quickwit_mapping();
    assert_eq!(m.default_search_fields, ["title", "abstract", "mention"]);
    let opts = |name: &str| &m.fields.iter().find(|(n, _)| n == name).unwrap().1;
    // Sorting by ID needs a numeric fast field; Quickwit refuses to sort on text.
    assert_eq!(opts("pmid")["type"], "u64");
    assert_eq!(opts("pmid")["fast"], "true");
    assert_eq!(opts("year")["type"], "u64");
    // The entity term frequency is the mention count: freqs must be recorded.
    assert_eq!(opts("entity")["record"], "freq");
    for f in ["entity_type", "entities_by_type"] {
        assert_eq!(opts(f)["fast"], "true", "{f} is aggregated");
    }
}

#[test]
fn the_mapping_reader_sees_what_quickwit_would() {
    let m = read_mapping(
        "version: 0.8\ndoc_mapping:\n  mode: strict\n  field_mappings:\n    # c\n    - name: a\n      type: text\n\n    - name: b\n      type: array<json>\n      indexed: false\n  timestamp_field: null\nsearch_settings:\n  default_search_fields: [a]\n",
    );
    assert_eq!(m.mode.as_deref(), Some("strict"));
    let got: Vec<(&str, &str)> = m
        .fields
        .iter()
        .map(|(n, o)| (n.as_str(), o["type"].as_str()))
        .collect();
    assert_eq!(got, [("a", "text"), ("b", "array<json>")]);
    assert!(!m.fields[1].1.contains_key("timestamp_field"));
    assert_eq!(
        check_quickwit_line(&m, r#"{"a":"x","b":[{"k":1}]}"#),
        Ok(())
    );
    for (bad, why) in [
        (r#"{"a":"x","b":[1]}"#, "field b is not a array<json>: [1]"),
        (r#"{"a":"x","b":{}}"#, "field b is not a array<json>: {}"),
        (r#"{"a":["x"],"b":[]}"#, "field a is not a text: [\"x\"]"),
        (r#"{"a":"x","b":[],"c":1}"#, "undeclared field c"),
        (r#"{"b":[]}"#, "missing field a"),
    ] {
        assert_eq!(check_quickwit_line(&m, bad), Err(why.to_string()), "{bad}");
    }
}
