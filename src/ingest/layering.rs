//! Annotation layers during ingest: every document is named after its source (its input, or
//! `--source NAME`), and a document whose ID is indexed already is merged with the stored
//! version ([`crate::pubtator::layers::merge`]): the source's own layer is replaced, another
//! source adds its layer, and of two differing texts the better one wins (text precedence,
//! `--text`, `--metadata-only`) with the other side's annotations carried onto it.
//! `--replace` turns merging off (the newest input replaces the whole document; the summary
//! counts the layers it dropped).
//!
//! Lookups read the last commit, so a document whose ID was written since then commits first
//! ([`Layering::needs_commit`]): inside one source a later document with the same ID replaces
//! the earlier one's layer, as re-indexing the source would. Only IDs the index may hold are
//! looked up (`ingest::seen`), so a build from scratch never reads back.

use crate::error::Result;
use crate::index::find_in;
use crate::index::schema::Fields;
use crate::pubtator::layers::{merge_with, MergeMode, MergeOutcome};
use crate::pubtator::Document;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use tantivy::Searcher;

/// IDs shown per kind of event in the summary.
const SHOWN_IDS: usize = 5;

/// What merging did over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerSummary {
    /// Documents merged with a stored version.
    pub merged: u64,
    /// Of those, documents the merge left exactly as stored (not written again).
    pub unchanged: u64,
    /// Documents that got a second (or further) source in this run.
    pub multi_source: u64,
    /// Layers the same source gave again with a change (re-indexing a changed input).
    pub layers_replaced: u64,
    /// Documents whose text was replaced by the incoming one, by reason.
    pub text_replaced: BTreeMap<String, u64>,
    /// Documents whose stored text stayed although the incoming one differed, by reason.
    pub text_kept: BTreeMap<String, u64>,
    /// The first few documents whose text was replaced.
    pub text_changed_ids: Vec<String>,
    /// Annotations carried onto the winning text through the text alignment.
    pub reanchored: u64,
    /// Annotations whose text is not in the winning text (kept without a span).
    pub unanchored: u64,
    /// The first few documents with such annotations.
    pub unanchored_ids: Vec<String>,
    /// `--replace`: documents whose other sources' layers were dropped.
    pub replace_dropped_documents: u64,
    /// `--replace`: layers of other sources dropped.
    pub replace_dropped_layers: u64,
    /// `--replace`: annotations of those layers.
    pub replace_dropped_annotations: u64,
    /// `--metadata-only`: documents skipped because the index does not hold their ID.
    pub metadata_only_missing: u64,
}

fn remember(ids: &mut Vec<String>, id: &str) {
    if ids.len() < SHOWN_IDS && !ids.iter().any(|x| x == id) {
        ids.push(id.to_string());
    }
}

impl LayerSummary {
    /// Counts one merge of document `id`.
    pub fn add(&mut self, id: &str, o: &MergeOutcome) {
        self.merged += 1;
        if !o.changed {
            self.unchanged += 1;
            return;
        }
        if o.replaced_layer {
            self.layers_replaced += 1;
        } else if o.layers == 2 {
            self.multi_source += 1;
        }
        if let Some(why) = o.text_replaced {
            *self
                .text_replaced
                .entry(why.name().to_string())
                .or_default() += 1;
            remember(&mut self.text_changed_ids, id);
        }
        if let Some(why) = o.text_kept {
            *self.text_kept.entry(why.name().to_string()).or_default() += 1;
        }
        self.reanchored += o.reanchored;
        self.unanchored += o.unanchored;
        if o.unanchored > 0 {
            remember(&mut self.unanchored_ids, id);
        }
    }

    /// Documents whose text was replaced.
    pub fn text_changed(&self) -> u64 {
        self.text_replaced.values().sum()
    }

    /// Counts what `--replace` dropped of a stored document `stored` replaced by `source`'s.
    pub fn dropped_by_replace(&mut self, stored: &Document, source: &str) {
        let others: Vec<_> = stored
            .layers
            .iter()
            .filter(|l| l.source != source)
            .collect();
        if others.is_empty() {
            return;
        }
        self.replace_dropped_documents += 1;
        self.replace_dropped_layers += others.len() as u64;
        self.replace_dropped_annotations +=
            others.iter().map(|l| u64::from(l.annotations)).sum::<u64>();
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
    mode: MergeMode,
) -> Result<Option<MergeOutcome>> {
    let Some(stored) = find_in(searcher, fields, &doc.id)? else {
        return Ok(None);
    };
    let incoming = std::mem::take(doc);
    let (merged, outcome) = merge_with(stored, incoming, mode);
    *doc = merged;
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_new_sources_replacements_and_text_changes() {
        use crate::pubtator::layers::TextReason;
        let mut s = LayerSummary::default();
        let o = |replaced_layer, layers, text: bool, unanchored| MergeOutcome {
            replaced_layer,
            text_replaced: text.then_some(TextReason::Newer),
            text_kept: None,
            reanchored: 2,
            unanchored,
            layers,
            changed: true,
        };
        s.add("1", &o(false, 2, true, 1));
        s.add("2", &o(true, 2, false, 0));
        s.add("3", &o(false, 3, false, 0));
        s.add("4", &MergeOutcome::default());
        assert_eq!(
            (s.merged, s.unchanged, s.multi_source, s.layers_replaced),
            (4, 1, 1, 1)
        );
        assert_eq!((s.text_changed(), s.reanchored, s.unanchored), (1, 6, 1));
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
