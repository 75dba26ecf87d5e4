//! Indexing BioC XML and JSON: detected by content, searchable like PubTator, with sections.

use crate::util::*;

fn counts(index: &std::path::Path) -> (u64, u64, u64) {
    let st = stats(index);
    let sum = |k: &str| {
        st[k]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>()
    };
    (
        st["documents"].as_u64().unwrap(),
        sum("annotations"),
        sum("relations"),
    )
}

#[test]
fn bioc_full_texts_are_detected_by_content_and_searchable_by_section() {
    let work = tempfile::tempdir().unwrap();
    // Named without an extension: the format comes from the content.
    let input = work.path().join("input");
    std::fs::copy(data("interop/full_text_sections.bioc.xml"), &input).unwrap();
    let index = work.path().join("idx");
    index_files(&index, &[&input]);
    assert_eq!(stats(&index)["documents"], 1);
    assert_eq!(search_ids(&index, "section:methods"), ["PMC42"]);
    assert_eq!(search_ids(&index, "section:METHODS"), ["PMC42"]);
    assert!(search_ids(&index, "section:discussion").is_empty());
    // Every entity span of the hit is exact in its field.
    let lines = search_json(&index, &["type:Gene OR type:Chemical OR type:Disease"]);
    for hit in lines.iter().filter(|l| l["type"] == "hit") {
        let h = &hit["data"];
        for s in h["spans"].as_array().unwrap() {
            assert_span_is_exact(h, s);
        }
    }
}

#[test]
fn bioc_json_and_pubtator3_exports_are_indexed() {
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_files(
        &index,
        &[
            &data("interop/collection.bioc.json"),
            &data("interop/pubtator3_export.json"),
        ],
    );
    assert!(stats(&index)["documents"].as_u64().unwrap() >= 2);
}

#[test]
fn biored_in_bioc_xml_json_and_pubtator_index_to_the_same_counts() {
    let test = "biored_in_bioc_xml_json_and_pubtator_index_to_the_same_counts";
    let work = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for (name, rel) in [
        ("pubtator", "biored/Test.PubTator"),
        ("xml", "bioc/Test.BioC.XML"),
        ("json", "bioc/Test.BioC.JSON"),
    ] {
        let Some(file) = shared_path(test, rel) else {
            return;
        };
        let index = work.path().join(name);
        index_files(&index, &[&file]);
        all.push((
            counts(&index),
            search_ids(&index, "gene:5133 OR disease:D009369 OR rel:ANY|*|Chemical"),
        ));
    }
    assert_eq!(all[0], all[1], "BioC XML differs from PubTator");
    assert_eq!(all[0], all[2], "BioC JSON differs from PubTator");
    assert_eq!(all[0].0 .0, 100);
}
