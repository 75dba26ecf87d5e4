//! Annotation layers: one document ID, one layer of annotations and relations per source.
//!
//! A parsed document is one layer ([`name_layer`]). When a source brings a document whose ID
//! is stored already, [`merge`] replaces that source's layer (in place) or adds it (at the
//! end); the other layers stay. When the incoming text differs from the stored one, the newer
//! text wins and the other layers' annotations are re-anchored with the offset rules of the
//! parser ([`RecordText::locate`]: exact, UTF-8, UTF-16, loose, nearest occurrence); those
//! found nowhere are kept without a span. Metadata fields the incoming document knows
//! replace the stored ones. Pure; never panics.

use super::offsets::RecordText;
use super::record::{Annotation, Document, Layer, Passage, PassageKind, Relation, Span};

/// What [`merge`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The source had a layer already (re-indexing it replaced that layer).
    pub replaced_layer: bool,
    /// The incoming text differed from the stored one and replaced it.
    pub text_changed: bool,
    /// Annotations of other layers placed in the new text.
    pub reanchored: u64,
    /// Annotations of other layers found nowhere in the new text (kept without a span).
    pub unanchored: u64,
    /// Layers after the merge.
    pub layers: usize,
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

/// The stored document with the incoming document's layer (its first layer's source, or
/// `""`) replaced or added; see the module documentation.
pub fn merge(mut stored: Document, mut incoming: Document) -> (Document, MergeOutcome) {
    let mut outcome = MergeOutcome::default();
    let source = incoming
        .layers
        .first()
        .map(|l| l.source.clone())
        .unwrap_or_default();
    let mut layers = split(&mut stored);
    let new_layer = Owned {
        source: source.clone(),
        annotations: std::mem::take(&mut incoming.annotations),
        relations: std::mem::take(&mut incoming.relations),
    };
    let text_changed = !incoming.passages.is_empty() && incoming.passages != stored.passages;
    if text_changed {
        outcome.text_changed = !stored.passages.is_empty();
        stored.passages = std::mem::take(&mut incoming.passages);
        for l in layers.iter_mut().filter(|l| l.source != source) {
            for a in &mut l.annotations {
                if reanchor(&stored.passages, a) {
                    outcome.reanchored += 1;
                } else {
                    outcome.unanchored += 1;
                }
            }
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

/// Places `a` in `passages` by its record-local offsets and mention (the parser's rules);
/// on success its offsets become the found ones. False (and no span) when nothing matched.
pub fn reanchor(passages: &[Passage], a: &mut Annotation) -> bool {
    let mut record = passages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.block == a.block);
    let Some((ti, title)) = record.next() else {
        a.span = None;
        return false;
    };
    let abs = record.find(|(_, p)| p.kind == PassageKind::Abstract);
    let text = RecordText::new(&title.text, abs.map(|(_, p)| p.text.as_str()));
    let title_len = title.text.chars().count();
    let found = text.locate(a.start, a.end, &a.mention).0;
    a.span = match found {
        Some((s, e)) if e <= title_len => Some(Span {
            passage: ti as u32,
            start: s as u32,
            end: e as u32,
        }),
        Some((s, e)) => match abs {
            Some((ai, _)) if s > title_len => Some(Span {
                passage: ai as u32,
                start: (s - title_len - 1) as u32,
                end: (e - title_len - 1) as u32,
            }),
            _ => None,
        },
        None => None,
    };
    if let (Some((s, e)), Some(_)) = (found, a.span) {
        a.start = s as u64;
        a.end = e as u64;
    }
    a.span.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::Metadata;

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
        let passages = d.passages.clone();
        for a in &mut d.annotations {
            reanchor(&passages, a);
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
        assert!(!o.replaced_layer && !o.text_changed);
        let (again, o) = merge(m.clone(), b);
        assert_eq!(again, m, "re-indexing a source changes nothing");
        assert!(o.replaced_layer);
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
        let (m, o) = merge(a, b);
        assert!(o.text_changed);
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
}
