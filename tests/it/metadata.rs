//! Bibliographic metadata end to end: BioC exports carry journal, year, authors and DOI as
//! PubTator3's title-passage infons and read back equal (PubMed XML → index → BioC → index);
//! citation-style journals become abbreviations; `journal:` matches the abbreviation's first
//! words and `author:` folds accents. Expectations are read from the input files here.

use crate::util::{data, index_files, ptsearch, run, search_ids, shared_corpora};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `ptsearch export --format jsonl`: document ID → its JSON object.
fn exported(index: &Path) -> BTreeMap<String, Value> {
    let mut c = ptsearch(index);
    c.args(["export", "--format", "jsonl"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["id"].as_str().unwrap().to_string(), v))
        .collect()
}

/// The infon keys of the first `<passage>` of a BioC XML text (its own, before `<offset>`;
/// not those of its annotations).
fn first_passage_infon_keys(xml: &str) -> Vec<String> {
    let start = xml.find("<passage>").expect("a passage");
    let end = start + xml[start..].find("<offset>").expect("its offset");
    xml[start..end]
        .split("<infon key=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

const META_KEYS: [&str; 5] = ["journal", "year", "date", "authors", "doi"];

#[test]
fn bioc_exports_carry_metadata_and_read_back_equal() {
    let Some(root) = shared_corpora("bioc_exports_carry_metadata_and_read_back_equal") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    index_files(&first, &[&root.join("pubmed_xml")]);
    let before = exported(&first);
    assert!(before.len() >= 5);
    assert!(
        before
            .values()
            .all(|d| d["journal"].is_string() && d["year"].is_u64()),
        "PubMed XML gives every document a journal and a year"
    );
    // The title passage carries the metadata under PubTator3's infon keys (those of its own
    // export, `pubtator3.33333140.xml`).
    let real = std::fs::read_to_string(root.join("bioc/pubtator3.33333140.xml")).unwrap();
    let real_keys = first_passage_infon_keys(&real);
    for key in ["journal", "year", "authors"] {
        assert!(real_keys.iter().any(|k| k == key), "{real_keys:?}");
    }
    let some_id = before.keys().next().unwrap().clone();
    let mut c = ptsearch(&first);
    c.args(["show", &some_id, "--format", "biocxml"]);
    let (code, shown, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let ours = first_passage_infon_keys(&shown);
    for key in &real_keys {
        assert!(ours.contains(key), "{key} missing in {ours:?}");
    }
    for format in ["biocxml", "biocjson"] {
        let mut c = ptsearch(&first);
        c.args(["export", "--format", format]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "{err}");
        let file = dir.path().join(format!("export.{format}"));
        std::fs::write(&file, out).unwrap();
        let second = dir.path().join(format!("second-{format}"));
        index_files(&second, &[&file]);
        let after = exported(&second);
        assert_eq!(after.len(), before.len(), "{format}");
        for (id, d) in &before {
            for key in META_KEYS {
                assert_eq!(after[id][key], d[key], "{format} {id} {key}");
            }
        }
    }
}

/// Per document of the fixture: (journal infon, authors infon), read from the XML text.
fn fixture_citations(xml: &str) -> BTreeMap<String, (String, String)> {
    let infon = |block: &str, key: &str| -> String {
        let tag = format!("<infon key=\"{key}\">");
        block
            .split(&tag)
            .nth(1)
            .and_then(|s| s.split("</infon>").next())
            .unwrap_or_default()
            .to_string()
    };
    xml.split("<document>")
        .skip(1)
        .map(|block| {
            let id = block.split("<id>").nth(1).unwrap().split("</id>").next();
            (
                id.unwrap().to_string(),
                (infon(block, "journal"), infon(block, "authors")),
            )
        })
        .collect()
}

#[test]
fn citation_journals_prefix_journal_queries_and_accent_free_authors() {
    let path = data("interop/citations.bioc.xml");
    let docs = fixture_citations(&std::fs::read_to_string(&path).unwrap());
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&path]);
    let ids = |pred: &dyn Fn(&str, &str) -> bool| -> Vec<String> {
        docs.iter()
            .filter(|(_, (j, a))| pred(j, a))
            .map(|(id, _)| id.clone())
            .collect()
    };
    // The PMC citation `J. Cell Biol.; 1992 Apr; ...` is the journal `J Cell Biol`, in 1992.
    let cell_biol = ids(&|j, _| j.starts_with("J. Cell Biol.;"));
    assert_eq!(cell_biol.len(), 1);
    for q in [
        "journal:\"J Cell Biol\"",
        "journal:\"J. Cell Biol.\"",
        "journal:\"J Cell Biol\" year:1992",
    ] {
        assert_eq!(search_ids(dir.path(), q), cell_biol, "{q}");
    }
    let shown = exported(dir.path());
    assert_eq!(shown[&cell_biol[0]]["journal"], "J Cell Biol");
    assert_eq!(shown[&cell_biol[0]]["year"], 1992);
    // `journal:Cancer` is every journal whose first word is Cancer (not Cancers).
    let cancer = ids(&|j, _| j.starts_with("Cancer ") || j.starts_with("Cancer;"));
    assert_eq!(cancer.len(), 2);
    assert_eq!(search_ids(dir.path(), "journal:Cancer"), cancer);
    assert_eq!(search_ids(dir.path(), "journal:cancer"), cancer);
    assert!(search_ids(dir.path(), "journal:Canc").is_empty());
    // `author:muller` finds Müller and Muller, not Mueller; `author:müller` the same.
    let muller = ids(&|_, a| {
        a.split(", ")
            .any(|x| x.replace('ü', "u").to_lowercase().starts_with("muller "))
    });
    assert_eq!(muller.len(), 2);
    for q in ["author:muller", "author:Müller", "author:\"muller t\""] {
        let want: Vec<String> = if q.contains(' ') {
            muller[..1].to_vec()
        } else {
            muller.clone()
        };
        assert_eq!(search_ids(dir.path(), q), want, "{q}");
    }
}

#[test]
fn pmc_citations_of_batch_0_become_the_journal_abbreviation() {
    let Some(root) = shared_corpora("pmc_citations_of_batch_0_become_the_journal_abbreviation")
    else {
        return;
    };
    let path = root.join("bioc/batch_0.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let docs = fixture_citations(&text);
    let want: Vec<String> = docs
        .iter()
        .filter(|(_, (j, _))| j.starts_with("J. Cell Biol.;"))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(want.len() > 50, "{}", want.len());
    let dir = tempfile::tempdir().unwrap();
    index_files(dir.path(), &[&path]);
    let mut got = search_ids(dir.path(), "journal:\"J Cell Biol\"");
    got.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got, want_sorted);
    // No journal is a single letter any more, and the year stays.
    let shown = exported(dir.path());
    for id in &want {
        assert_eq!(shown[id]["journal"], "J Cell Biol", "{id}");
        assert!(shown[id]["year"].is_u64(), "{id}");
    }
    assert!(shown.values().all(|d| d["journal"] != "J"));
}
