//! Annotation layers during ingest: every document is named after its source (its input, or
//! `--source NAME`), and a document whose ID is indexed already is merged with the stored
//! version ([`crate::pubtator::layers::merge`]): the source's own layer is replaced, another
//! source adds its layer, a differing text wins and re-anchors the other layers. `--replace`
//! turns merging off (the newest input replaces the whole document).
//!
//! Lookups read the last commit, so a batch that holds an ID written since then commits first
//! ([`Layering::needs_commit`]); inside one batch (one source) a later document with the same
//! ID replaces the earlier one's layer, as re-indexing the source would.

use crate::error::Result;
use crate::index::find_in;
use crate::index::schema::Fields;
use crate::pubtator::layers::{merge, name_layer, MergeOutcome};
use crate::pubtator::Document;
use serde::Serialize;
use std::collections::HashSet;
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
            if self.text_changed_ids.len() < SHOWN_IDS {
                self.text_changed_ids.push(id.to_string());
            }
        }
        self.reanchored += o.reanchored;
        self.unanchored += o.unanchored;
        if o.unanchored > 0 && self.unanchored_ids.len() < SHOWN_IDS {
            self.unanchored_ids.push(id.to_string());
        }
    }
}

/// The layering state of one run.
#[derive(Debug, Default)]
pub struct Layering {
    replace: bool,
    /// IDs written since the last commit (invisible to lookups).
    uncommitted: HashSet<String>,
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

    /// True when one of `ids` was written since the last commit, so that the batch must
    /// commit first for its lookups to see it.
    pub fn needs_commit<'a>(&self, mut ids: impl Iterator<Item = &'a str>) -> bool {
        !self.replace && !self.uncommitted.is_empty() && ids.any(|id| self.uncommitted.contains(id))
    }

    /// A commit made everything written visible.
    pub fn committed(&mut self) {
        self.uncommitted.clear();
    }

    /// Document `id` was handed to the writer.
    pub fn written(&mut self, id: &str) {
        if !self.replace {
            self.uncommitted.insert(id.to_string());
        }
    }
}

/// Names `doc`'s layer after `source` and, unless `replace`, merges it with the stored version
/// when one may exist (`may_exist`, from the ID filter) and `searcher` finds it.
pub fn layer_into(
    searcher: Option<&Searcher>,
    fields: &Fields,
    doc: &mut Document,
    source: &str,
    may_exist: bool,
    replace: bool,
) -> Result<Option<MergeOutcome>> {
    name_layer(doc, source);
    let (Some(searcher), true, false) = (searcher, may_exist, replace) else {
        return Ok(None);
    };
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
        assert!(l.needs_commit(["8", "9"].into_iter()));
        l.committed();
        assert!(!l.needs_commit(["9"].into_iter()));
        let mut r = Layering::new(true);
        r.written("9");
        assert!(!r.needs_commit(["9"].into_iter()));
    }
}
