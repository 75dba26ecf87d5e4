//! BioC XML / JSON written by the library and read back by our readers: equal up to the
//! documented losses, on fixtures, BioRED and other corpora, and against the BioRED BioC
//! originals.

use super::*;

#[test]
fn bioc_exports_of_fixtures_read_back_equal_up_to_documented_losses() {
    for path in fixture_files() {
        let docs = pubtator_docs(&path);
        let t = check_file(&docs, &path.display().to_string());
        eprintln!("{}: {t:?}", path.display());
    }
}

#[test]
fn bioc_exports_of_biored_read_back_equal_up_to_documented_losses() {
    for path in biored_files("bioc_exports_of_biored_read_back_equal_up_to_documented_losses") {
        let docs = pubtator_docs(&path);
        assert!(docs.len() >= 100, "{}", path.display());
        let t = check_file(&docs, &path.display().to_string());
        eprintln!("{}: {t:?}", path.display());
        // BioRED offsets are clean: every annotation keeps its exact span.
        assert_eq!(t.other, 0, "{}: {t:?}", path.display());
    }
}

#[test]
fn bioc_exports_of_other_corpora_read_back_equal_up_to_documented_losses() {
    let test = "bioc_exports_of_other_corpora_read_back_equal_up_to_documented_losses";
    if shared_corpora(test).is_none() {
        return;
    }
    // Corpora with byte offsets, shifted offsets, tool output, full texts and tmVar IDs.
    let files = [
        "bc5cdr_tool_output/TestSet.DNorm.PubTator.txt",
        "bc5cdr_tool_output/TestSet.tmChem.PubTator.txt",
        "ncbi_disease/NCBItestset_corpus.txt",
        "tmvar_normalization/tmVar.Normalization.txt",
        "pubtator3_netmedex/22429397_full_240916.pubtator",
        "pubtator3_netmedex/variant_relation_extraction.pubtator",
        "aioner/GNormPlus_Test.PubTator",
        "aioner/tmVar3_Test.PubTator",
    ];
    let mut total = Tally::default();
    for f in files {
        let Some(path) = shared_path(test, f) else {
            continue;
        };
        let docs = pubtator_docs(&path);
        let t = check_file(&docs, f);
        eprintln!("{f}: {t:?}");
        total.documents += t.documents;
        total.exact += t.exact;
        total.other += t.other;
    }
    eprintln!("total: {total:?}");
}

#[test]
fn hard_cases_follow_the_documented_mapping() {
    let docs = pubtator_docs(&hard_cases());
    assert_eq!(docs.len(), 5);
    let t = check_file(&docs, "hard_cases");
    // Per format: loose BRAF, ghost, the boundary-crossing mention, IL6.
    assert_eq!((t.documents, t.other), (10, 8), "{t:?}");
    let xml = String::from_utf8(to_xml(&docs)).unwrap();
    for want in [
        // Specials escaped; extra columns as infons; unresolved at its file offsets.
        "<text>BRAF &amp; &lt;MEK&gt; in \"melanoma\".</text>",
        "<infon key=\"ptsearch_extra_1\">x1</infon><infon key=\"ptsearch_extra_2\">x2</infon>",
        "<infon key=\"ptsearch_unresolved\">true</infon><location offset=\"200\" length=\"5\"/><text>ghost</text>",
        // Spans are written where they are: the loose BRAF at "braf", the byte offsets in chars.
        "<location offset=\"48\" length=\"4\"/><text>BRAF</text>",
        "<location offset=\"8\" length=\"11\"/><text>α-synuclein</text>",
        // Offsets continue over records: Intro 0, "" 6, Methods 7, abstract 25, Only 54.
        "<offset>54</offset><text>Only a title record with TNF</text>",
        // IL6 (90..93 in the third record, which is 28 chars long) is unresolved.
        "<location offset=\"90\" length=\"3\"/><text>IL6</text>",
        // Relation arguments verbatim; a node only for arguments an annotation carries.
        "<infon key=\"entity1\">p|SUB|V|600|E;CorrespondingGene:673</infon><infon key=\"entity2\">D008545</infon><node refid=\"T4\" role=\"Arg1\"/></relation>",
        "<infon key=\"novel\">Novel</infon><node refid=\"T7\" role=\"Arg1\"/><node refid=\"T0\" role=\"Arg2\"/>",
        "<text>Lewy\u{FFFD}bodies.</text>",
    ] {
        assert!(xml.contains(want), "{want} not in\n{xml}");
    }
    let (back, _) = read_bioc(xml.as_bytes(), false);
    let ghost = back[0]
        .annotations
        .iter()
        .find(|a| a.mention == "ghost")
        .unwrap();
    assert_eq!(
        (ghost.block, ghost.start, ghost.end, ghost.span),
        (0, 200, 205, None)
    );
    // The loose BRAF comes back on the nearest exact "BRAF" (abstract chars 36..40).
    let braf: Vec<_> = back[0]
        .annotations
        .iter()
        .filter(|a| a.mention == "BRAF")
        .collect();
    assert_eq!(
        braf[1].span.map(|s| (s.passage, s.start, s.end)),
        Some((1, 36, 40))
    );
    // Repaired byte offsets come back as chars.
    let syn = &back[2].annotations[0];
    assert_eq!((syn.start, syn.end), (8, 19));
}

/// A document with annotations sorted, for comparing documents whose annotation order is
/// allowed to differ.
fn sorted(mut d: Document) -> Document {
    d.annotations.sort_by_key(|a| {
        (
            a.span.map(|s| (s.passage, s.start, s.end)),
            a.start,
            format!("{a:?}"),
        )
    });
    d
}

#[test]
fn biored_export_matches_the_biored_bioc_originals() {
    let test = "biored_export_matches_the_biored_bioc_originals";
    if shared_corpora(test).is_none() {
        return;
    }
    let pairs = [
        ("biored/Test.PubTator", "bioc/Test.BioC.XML", false),
        ("biored/Test.PubTator", "bioc/Test.BioC.JSON", true),
        ("biored/Dev.PubTator", "bioc/Dev.BioC.XML", false),
    ];
    for (pubtator, original, json) in pairs {
        let (Some(pubtator), Some(original)) =
            (shared_path(test, pubtator), shared_path(test, original))
        else {
            continue;
        };
        let docs = pubtator_docs(&pubtator);
        let bytes = if json { to_json(&docs) } else { to_xml(&docs) };
        let (ours, _) = read_bioc(&bytes, json);
        let (theirs, problems) = read_bioc(&std::fs::read(&original).unwrap(), json);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ours.len(), theirs.len(), "{}", original.display());
        let theirs: BTreeMap<String, Document> = theirs
            .into_iter()
            .map(|d| (d.id.clone(), sorted(d)))
            .collect();
        for d in ours {
            let Some(t) = theirs.get(&d.id) else {
                panic!("{}: document {} missing", original.display(), d.id);
            };
            let mut d = sorted(d);
            if json {
                // BioRED's JSON passages carry no infons at all: no sections there.
                for p in &mut d.passages {
                    p.section = None;
                }
            }
            assert_eq!(&d, t, "{}: document {}", original.display(), d.id);
        }
    }
}
