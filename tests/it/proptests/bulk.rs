//! PubTator3 bulk TSV reader and patches.

use super::pubtator::fields;
use super::*;

/// Bulk-like lines: a PMID-ish column, then tab-separated fields drawn from the characters
/// the format uses (`|`, `;`, quotes, `-`), some left empty.
fn bulk_line() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("1".to_string()), Just("2".to_string()), "[0-9x]{0,3}"],
        prop::collection::vec("[A-Za-z0-9|;:\"\\- ]{0,12}", 0..7),
    )
        .prop_map(|(pmid, cols)| {
            let mut l = pmid;
            for c in cols {
                l.push('\t');
                l.push_str(&c);
            }
            l
        })
}

proptest! {
    #![proptest_config(config(300))]

    /// Any input: no panic; patches and problems name lines within the input, at most one
    /// problem per data line; merging a patch into its entity-only document again changes
    /// nothing, and the document converts to an index document.
    #[test]
    fn bulk_reader_accounts_for_every_line_and_merges_idempotently(
        lines in prop::collection::vec(bulk_line(), 0..30),
        kind in prop_oneof![
            Just(ptsearch::interop::TsvKind::Entity),
            Just(ptsearch::interop::TsvKind::Relation),
            Just(ptsearch::interop::TsvKind::LegacyEntity),
        ],
    ) {
        let text = lines.join("\n");
        let mut items = Vec::new();
        ptsearch::interop::read_tsv(text.as_bytes(), kind, Some("Disease"), &mut |i| items.push(i))
            .unwrap();
        let mut problems = 0usize;
        for item in items {
            match item {
                ptsearch::interop::BulkItem::Problem { line, .. } => {
                    prop_assert!(line >= 1 && line as usize <= lines.len());
                    problems += 1;
                }
                ptsearch::interop::BulkItem::Patch { patch, line } => {
                    prop_assert!(line >= 1 && line as usize <= lines.len());
                    let once = patch.clone().into_document();
                    let mut twice = once.clone();
                    patch.apply(&mut twice);
                    prop_assert_eq!(&once, &twice);
                    let _ = to_tantivy(fields(), &once);
                }
            }
        }
        let data_lines = lines
            .iter()
            .filter(|l| !l.trim().is_empty() && !ptsearch::interop::is_tsv_header(l))
            .count();
        prop_assert!(problems <= data_lines);
    }
}
