//! Annotation layers: one document ID, one layer of annotations and relations per source.
//!
//! A parsed document is one layer ([`name_layer`]). When a source brings a document whose ID
//! is stored already, [`merge`] replaces that source's layer (in place) or adds it (at the
//! end); the other layers stay. When the two texts differ, the better one wins (text
//! precedence, see [`merge_with`]) and the other side's annotations are carried onto it through
//! an alignment of the texts ([`super::reanchor`]); those whose text is gone are kept without a
//! span. Metadata fields the incoming document knows replace the stored ones. Pure; never
//! panics.

use super::reanchor::{Carried, Reanchor};
use super::record::{Annotation, Document, Layer, Passage, Relation};
use serde::Serialize;

/// Which text a merge keeps when the stored and the incoming text differ (`--text`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextChoice {
    /// The better text (see [`merge`]); the newer among equals.
    #[default]
    Auto,
    /// The stored text stays; the incoming annotations are carried onto it.
    Keep,
    /// The incoming text wins; the other layers are carried onto it.
    Replace,
}

impl crate::names::Named for TextChoice {
    const WHAT: &'static str = "text choice";
    const NAMES: &'static [(TextChoice, &'static [&'static str])] = &[
        (TextChoice::Auto, &["auto"]),
        (TextChoice::Keep, &["keep"]),
        (TextChoice::Replace, &["replace"]),
    ];
}

impl std::str::FromStr for TextChoice {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::names::parse_named(s)
    }
}

/// How [`merge`] treats an incoming document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeMode {
    /// Which text wins.
    pub text: TextChoice,
    /// Attach the incoming metadata only: the text and every annotation stay as stored, the
    /// incoming annotations and relations are dropped (the source is recorded as an empty
    /// layer).
    pub metadata_only: bool,
}

/// Why a text won.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextReason {
    /// Its source has annotations on it and the other has none.
    Annotated,
    /// It has a title and an abstract, the other one passage (the whole text in the title).
    TitleAndAbstract,
    /// Both are equally good; the newer wins.
    Newer,
    /// `--text keep` or `--text replace`.
    Asked,
    /// `--metadata-only`.
    MetadataOnly,
}

impl TextReason {
    /// Stable name used in summaries.
    pub fn name(self) -> &'static str {
        match self {
            TextReason::Annotated => "annotated text wins",
            TextReason::TitleAndAbstract => "title and abstract win over one passage",
            TextReason::Newer => "newer among equals",
            TextReason::Asked => "--text",
            TextReason::MetadataOnly => "--metadata-only",
        }
    }
}

/// What [`merge`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The source had a layer already (re-indexing it replaced that layer).
    pub replaced_layer: bool,
    /// The incoming text differed from the stored one and replaced it, and why.
    pub text_replaced: Option<TextReason>,
    /// The incoming text differed from the stored one and the stored one stayed, and why.
    pub text_kept: Option<TextReason>,
    /// Annotations placed in the winning text through the alignment of the two texts.
    pub reanchored: u64,
    /// Annotations whose text is not in the winning text (kept without a span).
    pub unanchored: u64,
    /// Layers after the merge.
    pub layers: usize,
    /// The merged document differs from the stored one.
    pub changed: bool,
}

impl MergeOutcome {
    /// True when the text of the document changed.
    pub fn text_changed(&self) -> bool {
        self.text_replaced.is_some()
    }
}

/// Makes the whole document one layer named `source`.
pub fn name_layer(doc: &mut Document, source: &str) {
    doc.layers = vec![Layer {
        source: source.to_string(),
        annotations: count(doc.annotations.len()),
        relations: count(doc.relations.len()),
    }];
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One layer with its own annotations and relations.
struct Owned {
    source: String,
    annotations: Vec<Annotation>,
    relations: Vec<Relation>,
}

/// Splits a document's annotations and relations by layer (a document without layers but
/// with annotations is one unnamed layer).
fn split(doc: &mut Document) -> Vec<Owned> {
    let mut annotations = std::mem::take(&mut doc.annotations).into_iter();
    let mut relations = std::mem::take(&mut doc.relations).into_iter();
    let mut out: Vec<Owned> = std::mem::take(&mut doc.layers)
        .into_iter()
        .map(|l| Owned {
            source: l.source,
            annotations: annotations.by_ref().take(l.annotations as usize).collect(),
            relations: relations.by_ref().take(l.relations as usize).collect(),
        })
        .collect();
    let (rest_a, rest_r): (Vec<_>, Vec<_>) = (annotations.collect(), relations.collect());
    if !rest_a.is_empty() || !rest_r.is_empty() {
        // Only a document stored without layers has a tail; keep it as an unnamed layer.
        out.push(Owned {
            source: String::new(),
            annotations: rest_a,
            relations: rest_r,
        });
    }
    out
}

/// Puts layers back into `doc` in order.
fn join(doc: &mut Document, layers: Vec<Owned>) {
    for l in layers {
        doc.layers.push(Layer {
            source: l.source,
            annotations: count(l.annotations.len()),
            relations: count(l.relations.len()),
        });
        doc.annotations.extend(l.annotations);
        doc.relations.extend(l.relations);
    }
}

/// The passage texts differ (blocks and section labels aside).
fn same_text(a: &[Passage], b: &[Passage]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.text == y.text)
}

/// A text's standing: (some annotation is anchored on it, it has two or more non-empty
/// passages). Compared in that order.
fn standing(passages: &[Passage], annotated: bool) -> (bool, bool) {
    let filled = passages
        .iter()
        .filter(|p| !p.text.trim().is_empty())
        .count();
    (annotated, filled >= 2)
}

/// Whether the incoming text replaces the stored one, and why.
fn text_decision(
    mode: MergeMode,
    stored: (bool, bool),
    incoming: (bool, bool),
) -> (bool, TextReason) {
    if mode.metadata_only {
        return (false, TextReason::MetadataOnly);
    }
    match mode.text {
        TextChoice::Keep => return (false, TextReason::Asked),
        TextChoice::Replace => return (true, TextReason::Asked),
        TextChoice::Auto => {}
    }
    let why = if stored.0 != incoming.0 {
        TextReason::Annotated
    } else if stored.1 != incoming.1 {
        TextReason::TitleAndAbstract
    } else {
        return (true, TextReason::Newer);
    };
    (incoming > stored, why)
}

/// Carries every annotation of `layers` onto `new` through an alignment with `old`.
fn carry_layers<'l>(
    old: &[Passage],
    new: &[Passage],
    layers: impl Iterator<Item = &'l mut Vec<Annotation>>,
    outcome: &mut MergeOutcome,
) {
    let r = Reanchor::new(old, new);
    for list in layers {
        for a in list.iter_mut() {
            match r.carry(a) {
                Carried::Landed => outcome.reanchored += 1,
                Carried::Lost => outcome.unanchored += 1,
                Carried::NoSpan => {}
            }
        }
    }
}

/// The stored document with the incoming document's layer (its first layer's source, or
/// `""`) replaced or added.
///
/// When the two texts differ, one wins (see [`MergeMode`]); with [`TextChoice::Auto`] a text
/// with annotations anchored on it (the incoming source's own stored layer aside) beats one
/// without, then a title with an abstract beats a single passage, then the newer (incoming)
/// wins. The losing side's annotations are carried onto the winning text through an alignment
/// of the two ([`super::reanchor`]): each lands on its own occurrence or, when its text is not
/// in the winner, is kept without a span. Metadata fields the incoming document knows replace
/// the stored ones. Pure; never panics.
pub fn merge(stored: Document, incoming: Document) -> (Document, MergeOutcome) {
    merge_with(stored, incoming, MergeMode::default())
}

/// [`merge`] with an explicit [`MergeMode`].
pub fn merge_with(
    mut stored: Document,
    mut incoming: Document,
    mode: MergeMode,
) -> (Document, MergeOutcome) {
    let before = stored.clone();
    let mut outcome = MergeOutcome::default();
    let source = incoming
        .layers
        .first()
        .map(|l| l.source.clone())
        .unwrap_or_default();
    let mut layers = split(&mut stored);
    let mut new_layer = Owned {
        source: source.clone(),
        annotations: std::mem::take(&mut incoming.annotations),
        relations: std::mem::take(&mut incoming.relations),
    };
    if mode.metadata_only {
        new_layer.annotations.clear();
        new_layer.relations.clear();
    }
    let differs = !incoming.passages.is_empty() && incoming.passages != stored.passages;
    if differs && stored.passages.is_empty() {
        stored.passages = std::mem::take(&mut incoming.passages);
    } else if differs {
        let stored_annotated = layers
            .iter()
            .filter(|l| l.source != source)
            .any(|l| l.annotations.iter().any(|a| a.span.is_some()));
        let incoming_annotated = new_layer.annotations.iter().any(|a| a.span.is_some());
        let (replace, why) = text_decision(
            mode,
            standing(&stored.passages, stored_annotated),
            standing(&incoming.passages, incoming_annotated),
        );
        let real = !same_text(&stored.passages, &incoming.passages);
        if replace {
            carry_layers(
                &stored.passages,
                &incoming.passages,
                layers
                    .iter_mut()
                    .filter(|l| l.source != source)
                    .map(|l| &mut l.annotations),
                &mut outcome,
            );
            stored.passages = std::mem::take(&mut incoming.passages);
            outcome.text_replaced = real.then_some(why);
        } else {
            carry_layers(
                &incoming.passages,
                &stored.passages,
                std::iter::once(&mut new_layer.annotations),
                &mut outcome,
            );
            outcome.text_kept = real.then_some(why);
        }
    }
    match layers.iter_mut().find(|l| l.source == source) {
        Some(l) => {
            outcome.replaced_layer = true;
            *l = new_layer;
        }
        None => layers.push(new_layer),
    }
    outcome.layers = layers.len();
    join(&mut stored, layers);
    stored.meta.update(&incoming.meta);
    if !incoming.concepts.is_empty() {
        stored.concepts = incoming.concepts;
    }
    outcome.changed = stored != before;
    (stored, outcome)
}

/// The named sources of a document's layers, sorted, each once (for display).
pub fn source_names(doc: &Document) -> Vec<&str> {
    let mut names: Vec<&str> = doc
        .layers
        .iter()
        .map(|l| l.source.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The source of each annotation (`""` where the document has no layers), in order.
pub fn annotation_sources(doc: &Document) -> Vec<&str> {
    sources_of(doc, doc.annotations.len(), |l| l.annotations)
}

/// The source of each relation (`""` where the document has no layers), in order.
pub fn relation_sources(doc: &Document) -> Vec<&str> {
    sources_of(doc, doc.relations.len(), |l| l.relations)
}

fn sources_of(doc: &Document, n: usize, count: impl Fn(&Layer) -> u32) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::with_capacity(n);
    for l in &doc.layers {
        out.extend(std::iter::repeat_n(l.source.as_str(), count(l) as usize));
    }
    out.resize(n, "");
    out
}

/// The layer name of relations attached from PubTator3 bulk rows to a layered document.
pub const BULK_SOURCE: &str = "pubtator3-bulk";

/// Adds `relations` (those not present in the document yet) to the layer named `source`,
/// which is created at the end when missing.
pub fn add_relations(doc: &mut Document, source: &str, relations: Vec<Relation>) {
    let fresh: Vec<Relation> = relations
        .into_iter()
        .filter(|r| !doc.relations.contains(r))
        .collect();
    if fresh.is_empty() {
        return;
    }
    let mut layers = split(doc);
    match layers.iter_mut().find(|l| l.source == source) {
        Some(l) => {
            for r in fresh {
                if !l.relations.contains(&r) {
                    l.relations.push(r);
                }
            }
        }
        None => layers.push(Owned {
            source: source.to_string(),
            annotations: Vec::new(),
            relations: fresh,
        }),
    }
    join(doc, layers);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::{Metadata, PassageKind};

    fn doc(text: &str, source: &str, anns: &[(u64, u64, &str)], rels: usize) -> Document {
        let mut d = Document {
            id: "1".into(),
            passages: vec![Passage {
                kind: PassageKind::Title,
                block: 0,
                text: text.into(),
                section: None,
            }],
            annotations: anns
                .iter()
                .map(|(s, e, m)| Annotation {
                    block: 0,
                    start: *s,
                    end: *e,
                    mention: m.to_string(),
                    raw_type: "Gene".into(),
                    raw_id: Some("1".into()),
                    extra: Vec::new(),
                    span: None,
                    more: Vec::new(),
                })
                .collect(),
            relations: (0..rels)
                .map(|i| Relation {
                    rel_type: format!("R{i}"),
                    args: ["1".into(), "2".into()],
                    novelty: None,
                    arg_types: Vec::new(),
                })
                .collect(),
            ..Document::default()
        };
        for a in &mut d.annotations {
            a.span = Some(crate::pubtator::Span {
                passage: 0,
                start: a.start as u32,
                end: a.end as u32,
            });
        }
        name_layer(&mut d, source);
        d
    }

    #[test]
    fn another_source_adds_a_layer_and_the_same_source_replaces_its_own() {
        let a = doc("BRAF and TP53", "a", &[(0, 4, "BRAF")], 1);
        let b = doc("BRAF and TP53", "b", &[(9, 13, "TP53")], 2);
        let (m, o) = merge(a.clone(), b.clone());
        assert_eq!(
            (m.annotations.len(), m.relations.len(), o.layers),
            (2, 3, 2)
        );
        assert!(!o.replaced_layer && !o.text_changed());
        let (again, o) = merge(m.clone(), b);
        assert_eq!(again, m, "re-indexing a source changes nothing");
        assert!(o.replaced_layer && !o.changed);
        let (m2, _) = merge(m, doc("BRAF and TP53", "a", &[], 0));
        assert_eq!(m2.layers[0].annotations, 0);
        assert_eq!(m2.annotations.len(), 1);
        assert_eq!(
            crate::pubtator::codec::decode(&crate::pubtator::codec::encode(&m2)).unwrap(),
            m2
        );
    }

    #[test]
    fn a_new_text_wins_and_other_layers_are_reanchored() {
        let a = doc("BRAF and TP53", "a", &[(0, 4, "BRAF"), (9, 13, "TP53")], 0);
        let mut b = doc("New: TP53 only", "b", &[], 0);
        b.meta = Metadata {
            year: Some(2020),
            ..Metadata::default()
        };
        // By default the annotated text stays and the new one is not taken.
        let (kept, o) = merge(a.clone(), b.clone());
        assert_eq!(kept.title(), "BRAF and TP53");
        assert_eq!(o.text_kept, Some(TextReason::Annotated));
        assert_eq!(kept.meta.year, Some(2020));
        let mode = MergeMode {
            text: TextChoice::Replace,
            metadata_only: false,
        };
        let (m, o) = merge_with(a, b, mode);
        assert_eq!(o.text_replaced, Some(TextReason::Asked));
        assert_eq!((o.reanchored, o.unanchored), (1, 1));
        assert_eq!(m.title(), "New: TP53 only");
        let tp53 = &m.annotations[1];
        assert_eq!((tp53.start, tp53.end), (5, 9));
        assert_eq!(tp53.span.map(|s| (s.start, s.end)), Some((5, 9)));
        assert!(m.annotations[0].span.is_none());
        assert_eq!(m.meta.year, Some(2020));
    }

    #[test]
    fn a_document_without_layers_keeps_its_annotations_as_an_unnamed_layer() {
        let mut a = doc("BRAF", "x", &[(0, 4, "BRAF")], 0);
        a.layers.clear();
        let (m, o) = merge(a, doc("BRAF", "b", &[], 0));
        assert_eq!(o.layers, 2);
        assert_eq!(m.layers[0].source, "");
        assert_eq!(m.layers[0].annotations, 1);
    }

    fn two_passages(title: &str, abs: &str, source: &str, anns: &[(u64, u64, &str)]) -> Document {
        let mut d = doc(title, source, &[], 0);
        d.passages.push(Passage {
            kind: crate::pubtator::PassageKind::Abstract,
            block: 0,
            text: abs.into(),
            section: None,
        });
        for (s, e, m) in anns {
            let mut one = doc(abs, source, &[(*s, *e, m)], 0).annotations;
            one[0].span = one[0]
                .span
                .map(|sp| crate::pubtator::Span { passage: 1, ..sp });
            d.annotations.extend(one);
        }
        name_layer(&mut d, source);
        d
    }

    #[test]
    fn text_precedence_annotated_then_title_and_abstract_then_newer() {
        let annotated = two_passages(
            "T",
            "ARSA here. ARSA there.",
            "a",
            &[(0, 4, "ARSA"), (11, 15, "ARSA")],
        );
        // The whole text on the title line, no annotations: never replaces the annotated text.
        let flat = doc("T ARSA here. ARSA there. More.", "flat", &[], 0);
        let (m, o) = merge(annotated.clone(), flat.clone());
        assert_eq!(o.text_kept, Some(TextReason::Annotated));
        assert_eq!(m.passages, annotated.passages);
        // The other way round the annotated text wins and the layer lands on it.
        let (m2, o2) = merge(flat.clone(), annotated.clone());
        assert_eq!(o2.text_replaced, Some(TextReason::Annotated));
        assert_eq!(m2.passages, annotated.passages);
        // Two texts without annotations: the title-and-abstract one wins either way.
        let plain = two_passages("T", "ARSA here. ARSA there.", "p", &[]);
        let (m3, o3) = merge(plain.clone(), flat.clone());
        assert_eq!(o3.text_kept, Some(TextReason::TitleAndAbstract));
        assert_eq!(m3.passages, plain.passages);
        // Equals: the newer wins, and each repeated mention keeps its own occurrence.
        let newer = two_passages("T", "BACKGROUND: ARSA here. RESULTS: ARSA there.", "b", &[]);
        let (m4, o4) = merge(
            annotated.clone(),
            two_passages("T", &newer.passages[1].text, "b", &[(12, 16, "ARSA")]),
        );
        assert_eq!(o4.text_replaced, Some(TextReason::Newer));
        let starts: Vec<u32> = m4
            .annotations
            .iter()
            .filter_map(|a| a.span.map(|s| s.start))
            .collect();
        assert_eq!(starts, [12, 32, 12]);
        // Metadata only: text and annotations stay, the source is an empty layer.
        let mode = MergeMode {
            text: TextChoice::Auto,
            metadata_only: true,
        };
        let mut meta = newer.clone();
        meta.meta.year = Some(1999);
        let (m5, o5) = merge_with(annotated.clone(), meta, mode);
        assert_eq!(o5.text_kept, Some(TextReason::MetadataOnly));
        assert_eq!(
            (m5.passages.clone(), m5.annotations.clone()),
            (annotated.passages.clone(), annotated.annotations.clone())
        );
        assert_eq!((m5.layers.len(), m5.meta.year), (2, Some(1999)));
    }
}
