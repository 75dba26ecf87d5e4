//! Regression tests for product bugs found with this corpus.

use super::*;

/// A tab-separated line with exactly two columns (`ID\tX`, `ID\t`) made `parse_document`
/// index `cols[2]` out of bounds: the indexer panicked and then hung (the progress thread waits
/// for a `done` flag that a panicking ingest never sets; every run here has a time limit).
#[test]
fn regression_two_column_tab_line_does_not_panic_the_indexer() {
    for file in ["cols_2_relation.pubtator", "cols_id_and_tab.pubtator"] {
        let p = malformed(file);
        ok(
            file,
            check_input(
                &p,
                &p.display().to_string(),
                &[(6, "2 columns")],
                AROUND,
                None,
                None,
            ),
        );
    }
}

/// `cat a.pubtator b.pubtator` where b starts with a UTF-8 BOM: the BOM of line 4 became part
/// of the ID (`\u{feff}200`), so `pmid:200` found nothing and line 5 was reported as "ID '200'
/// inside document '\u{feff}200'". Either the BOM is dropped (200 indexed, nothing reported) or
/// the line is reported; an ID holding a BOM is never indexed.
#[test]
fn regression_bom_inside_a_stream_is_not_part_of_the_id() {
    let p = malformed("bom_mid_file.pubtator");
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let result = index_inputs(&index, &[&p], None).and_then(|ran| {
        let (ids, _) = indexed_ids(&index)?;
        if let Some(id) = ids.iter().find(|id| id.contains('\u{feff}')) {
            return Err(format!("an ID with a BOM was indexed: {id:?}"));
        }
        let got = diagnostics(&ran.stderr, &p.display().to_string());
        if ids.contains("200") {
            compare_diagnostics(&got, &[])?;
            check_ids(&index, AROUND)
        } else if got.iter().any(|(l, _)| *l == 4) {
            check_ids(&index, WITHOUT_200)
        } else {
            Err(format!(
                "200 neither indexed nor its line 4 reported: {got:?}"
            ))
        }
    });
    ok("bom_mid_file", result);
}

/// Classic-Mac CR-only line endings: the whole CR-separated document became one title line
/// (`CR only\r200|a|...\r200\t0\t2\t...`), silently: its abstract and annotation were lost and
/// nothing was reported. Either CR ends lines (the Gene annotation is indexed) or line 4 is
/// reported.
#[test]
fn regression_cr_only_line_endings_are_not_silently_merged() {
    let p = malformed("cr_only.pubtator");
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let result = index_inputs(&index, &[&p], None).and_then(|ran| {
        let got = diagnostics(&ran.stderr, &p.display().to_string());
        let (ids, _) = indexed_ids(&index)?;
        for id in ["100", "300"] {
            if !ids.contains(id) {
                return Err(format!("good document {id} lost"));
            }
        }
        if got.iter().any(|(l, _)| *l == 4) {
            return Ok(());
        }
        expect_gene_annotations(&index, 1).map_err(|e| {
            format!("CR-only lines neither split nor reported ({e}); diagnostics {got:?}")
        })?;
        let v = show_json(&index, "200")?;
        if v["title"] != "CR only" {
            return Err(format!("title of 200 is {}", v["title"]));
        }
        Ok(())
    });
    ok("cr_only", result);
}

/// A document ID longer than tantivy's term limit (65 530 bytes) was stored but not indexed
/// as a term: indexing the file again added a second copy (upsert could not find the first),
/// `show ID` found nothing and `check` reported a duplicate ID. Either such an ID is rejected
/// with a `file:line` diagnostic, or it is indexed exactly once.
#[test]
fn regression_overlong_document_id_is_rejected_or_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    let long = "9".repeat(70_000);
    let text = format!(
        "100|t|Good document before\n100|a|Kept.\n\n{long}|t|An overlong ID\n{long}|a|Its abstract.\n\n300|t|Good document after\n300|a|Kept.\n"
    );
    let p = write_input(dir.path(), "long_id.pubtator", text.as_bytes());
    let index = dir.path().join("idx");
    let result = index_inputs(&index, &[&p], None)
        .and_then(|_| index_inputs(&index, &[&p], None))
        .and_then(|ran| {
            let got = diagnostics(&ran.stderr, &p.display().to_string());
            let (ids, documents) = indexed_ids(&index)?;
            if documents != ids.len() as u64 {
                return Err(format!(
                    "{documents} documents for {} distinct IDs after indexing twice",
                    ids.len()
                ));
            }
            let mut c = ptsearch(&index);
            c.arg("check");
            let checked = run_limited(c, "check")?;
            if checked.code != 0 {
                return Err(format!("check failed: {:.500}", checked.stderr));
            }
            if ids.contains(&long) {
                let v = show_json(&index, &long)?;
                if v["title"] != "An overlong ID" {
                    return Err("show cannot find the long ID".into());
                }
                Ok(())
            } else if got.iter().any(|(l, _)| *l == 4) {
                Ok(())
            } else {
                Err(format!(
                    "the long ID is neither indexed nor reported at line 4: {got:?}"
                ))
            }
        });
    ok("overlong_id", result);
}

/// Offset repair searches the whole record text for every annotation whose offsets do not
/// match (the `nearest` rule scans every occurrence of the mention), so a hostile record (a
/// 1 MB abstract of `a a a ...` with 6000 misplaced `a` mentions, 1.2 MB in all) took minutes:
/// 2000 such mentions already took 8 s with the release build (106 s debug), growing with
/// mentions × occurrences. Linear work for this input is well under a second; the budget is
/// 20 s in any build.
#[test]
fn regression_offset_repair_of_many_misplaced_mentions_is_not_quadratic() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"1|t|Title\n1|a|".to_vec();
    text.extend(b"a ".repeat(500_000));
    text.push(b'\n');
    for _ in 0..6000 {
        text.extend(b"1\t999999999\t1000000000\ta\tGene\t1\n");
    }
    let p = write_input(dir.path(), "misplaced.pubtator", &text);
    let index = dir.path().join("idx");
    let mut c = ptsearch(&index);
    c.args(["index", "--quiet"])
        .arg(&p)
        .timeout(Duration::from_secs(20));
    let out = c.output().unwrap();
    assert!(
        out.status.code().is_some(),
        "indexing 6000 misplaced mentions of a 1 MB text did not finish in 20 s ({})",
        out.status
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ok("misplaced_mentions", expect_gene_annotations(&index, 6000));
}
