//! Annotation layers during ingest: every document is named after its source (its input, or
//! `--source NAME`), and a document whose ID is indexed already is merged with the stored
//! version ([`crate::pubtator::layers::merge`]): the source's own layer is replaced, another
//! source adds its layer, a differing text wins and re-anchors the other layers. `--replace`
//! turns merging off (the newest input replaces the whole document).
//!
//! Lookups read the last commit, so a document whose ID was written since then commits first
//! ([`Layering::needs_commit`]): inside one source a later document with the same ID replaces
//! the earlier one's layer, as re-indexing the source would. Only IDs the index may hold are
//! looked up (`ingest::seen`), so a build from scratch never reads back.

use crate::error::Result;
use crate::index::find_in;
use crate::index::schema::Fields;
use crate::pubtator::layers::{merge, MergeOutcome};
use crate::pubtator::Document;
use serde::Serialize;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use tantivy::Searcher;

/// IDs shown per kind of event in the summary.
const SHOWN_IDS: usize = 5;

/// What merging did over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerSummary {
    /// Documents merged with a stored version.
    pub merged: u64,
    /// Documents that got a second (or further) source in this run.
    pub multi_source: u64,
    /// Layers replaced by the same source again (re-indexing).
    pub layers_replaced: u64,
    /// Documents whose text changed (the newer text won).
    pub text_changed: u64,
    /// The first few of them.
    pub text_changed_ids: Vec<String>,
    /// Annotations of other layers re-anchored in a changed text.
    pub reanchored: u64,
    /// Annotations of other layers kept without a span (not found in the changed text).
    pub unanchored: u64,
    /// The first few documents with such annotations.
    pub unanchored_ids: Vec<String>,
}

impl LayerSummary {
    /// Counts one merge of document `id`.
    pub fn add(&mut self, id: &str, o: &MergeOutcome) {
        self.merged += 1;
        if o.replaced_layer {
            self.layers_replaced += 1;
        } else if o.layers == 2 {
            self.multi_source += 1;
        }
        if o.text_changed {
            self.text_changed += 1;
            if self.text_changed_ids.len() < SHOWN_IDS
                && !self.text_changed_ids.iter().any(|x| x == id)
            {
                self.text_changed_ids.push(id.to_string());
            }
        }
        self.reanchored += o.reanchored;
        self.unanchored += o.unanchored;
        if o.unanchored > 0
            && self.unanchored_ids.len() < SHOWN_IDS
            && !self.unanchored_ids.iter().any(|x| x == id)
        {
            self.unanchored_ids.push(id.to_string());
        }
    }
}

/// The layering state of one run.
#[derive(Debug, Default)]
pub struct Layering {
    replace: bool,
    /// Hashes of the IDs written since the last commit (invisible to lookups). A hash
    /// collision only causes an early commit.
    uncommitted: HashSet<u64>,
}

fn id_hash(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Layering {
    /// Merging on, or off with `replace`.
    pub fn new(replace: bool) -> Layering {
        Layering {
            replace,
            uncommitted: HashSet::new(),
        }
    }

    /// True when `--replace` turned merging off.
    pub fn replace(&self) -> bool {
        self.replace
    }

    /// True when `id` may have been written since the last commit, so that a lookup must
    /// wait for a commit to see it.
    pub fn needs_commit(&self, id: &str) -> bool {
        !self.replace && self.uncommitted.contains(&id_hash(id))
    }

    /// A commit made everything written visible.
    pub fn committed(&mut self) {
        self.uncommitted.clear();
    }

    /// Document `id` was handed to the writer.
    pub fn written(&mut self, id: &str) {
        if !self.replace {
            self.uncommitted.insert(id_hash(id));
        }
    }
}

/// Merges `doc` (one named layer) with its stored version when `searcher` finds one.
pub fn merge_stored(
    searcher: &Searcher,
    fields: &Fields,
    doc: &mut Document,
) -> Result<Option<MergeOutcome>> {
    let Some(stored) = find_in(searcher, fields, &doc.id)? else {
        return Ok(None);
    };
    let incoming = std::mem::take(doc);
    let (merged, outcome) = merge(stored, incoming);
    *doc = merged;
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_new_sources_replacements_and_text_changes() {
        let mut s = LayerSummary::default();
        let o = |replaced_layer, layers, text_changed, unanchored| MergeOutcome {
            replaced_layer,
            text_changed,
            reanchored: 2,
            unanchored,
            layers,
        };
        s.add("1", &o(false, 2, true, 1));
        s.add("2", &o(true, 2, false, 0));
        s.add("3", &o(false, 3, false, 0));
        assert_eq!((s.merged, s.multi_source, s.layers_replaced), (3, 1, 1));
        assert_eq!((s.text_changed, s.reanchored, s.unanchored), (1, 6, 1));
        assert_eq!(s.text_changed_ids, ["1"]);
        let mut l = Layering::new(false);
        l.written("9");
        assert!(l.needs_commit("9"));
        assert!(!l.needs_commit("8"));
        l.committed();
        assert!(!l.needs_commit("9"));
        let mut r = Layering::new(true);
        r.written("9");
        assert!(!r.needs_commit("9"));
    }
}
