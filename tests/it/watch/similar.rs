//! `similar`: never the document itself, and its top 10 share far more entities with the
//! document than random documents do (entity sets read from the input file here).

use super::read_pubtator;
use crate::util::{index_files, ptsearch, run, shared_corpora};
use std::collections::BTreeSet;

fn jaccard(a: &BTreeSet<(String, String)>, b: &BTreeSet<(String, String)>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

#[test]
fn similar_never_returns_the_document_and_beats_random_entity_overlap() {
    let Some(root) = shared_corpora("similar_never_returns_the_document_and_beats_random") else {
        return;
    };
    let file = root.join("biored/Train.PubTator");
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("idx");
    index_files(&index, &[&file]);
    let docs = read_pubtator(&[&file]);
    let ids: Vec<&String> = docs.keys().collect();
    let (mut top, mut random) = (0.0, 0.0);
    let (mut n_top, mut n_random) = (0usize, 0usize);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for id in ids.iter().step_by(20) {
        let mut c = ptsearch(&index);
        c.args(["similar", id, "-n", "10", "--format", "tsv"]);
        let (code, out, err) = run(c);
        assert_eq!(code, 0, "similar {id}: {err}");
        let got: Vec<String> = out
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
            .collect();
        assert_eq!(got.len(), 10, "{id}");
        assert!(!got.contains(id), "similar {id} lists the document itself");
        for g in &got {
            top += jaccard(&docs[*id], &docs[g]);
            n_top += 1;
        }
        for _ in 0..10 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let other = ids[(state % ids.len() as u64) as usize];
            if other != *id {
                random += jaccard(&docs[*id], &docs[other]);
                n_random += 1;
            }
        }
    }
    let (top, random) = (top / n_top as f64, random / n_random as f64);
    eprintln!("entity Jaccard: similar top 10 {top:.3}, random {random:.3}");
    assert!(top > 2.0 * random, "top {top:.3} vs random {random:.3}");
    // An unknown ID: exit 1 and a message.
    let mut c = ptsearch(&index);
    c.args(["similar", "no-such-id"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 1);
    assert!(err.contains("no document with ID 'no-such-id'"), "{err}");
}
