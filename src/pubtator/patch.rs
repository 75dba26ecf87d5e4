//! Attaching PubTator3 bulk rows to a document. A [`Patch`] holds the concepts and relations
//! that the rows of one PMID carry; [`Patch::apply`] merges them into a document
//! idempotently (applying the same rows twice changes nothing), so that a replayed or repeated
//! bulk file never duplicates anything.

use super::ids::canonical_type;
use super::record::{Concept, Document, Relation};

/// Concepts and relations for one document ID, from consecutive bulk rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    /// The document ID (PMID).
    pub id: String,
    /// Concepts, merged by [`same_concept`].
    pub concepts: Vec<Concept>,
    /// Relations, without exact duplicates.
    pub relations: Vec<Relation>,
}

/// Two concepts are the same when their canonical types and IDs are equal; unnormalized
/// concepts (no ID) are the same when their mentions are equal too.
pub fn same_concept(a: &Concept, b: &Concept) -> bool {
    canonical_type(&a.raw_type).eq_ignore_ascii_case(canonical_type(&b.raw_type))
        && a.ids == b.ids
        && (!a.ids.is_empty() || a.mentions == b.mentions)
}

fn union(into: &mut Vec<String>, from: Vec<String>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

/// Adds `c` to `concepts`, or merges its mentions and resources into the same concept.
fn merge_concept(concepts: &mut Vec<Concept>, c: Concept) {
    match concepts.iter_mut().find(|x| same_concept(x, &c)) {
        Some(x) => {
            union(&mut x.mentions, c.mentions);
            union(&mut x.resources, c.resources);
        }
        None => concepts.push(c),
    }
}

fn merge_relation(relations: &mut Vec<Relation>, r: Relation) {
    if !relations.contains(&r) {
        relations.push(r);
    }
}

impl Patch {
    /// An empty patch for `id`.
    pub fn new(id: impl Into<String>) -> Patch {
        Patch {
            id: id.into(),
            ..Patch::default()
        }
    }

    /// Adds one concept (merged with an equal one).
    pub fn add_concept(&mut self, c: Concept) {
        merge_concept(&mut self.concepts, c);
    }

    /// Adds one relation (dropped when already present).
    pub fn add_relation(&mut self, r: Relation) {
        merge_relation(&mut self.relations, r);
    }

    /// Adds everything of a later patch for the same ID.
    pub fn absorb(&mut self, later: Patch) {
        for c in later.concepts {
            self.add_concept(c);
        }
        for r in later.relations {
            self.add_relation(r);
        }
    }

    /// Merges the patch into `doc` (its text and annotations are untouched).
    pub fn apply(self, doc: &mut Document) {
        for c in self.concepts {
            merge_concept(&mut doc.concepts, c);
        }
        let unlayered =
            doc.layers.is_empty() && !(doc.annotations.is_empty() && doc.relations.is_empty());
        if unlayered {
            // A document stored before layers existed.
            for r in self.relations {
                merge_relation(&mut doc.relations, r);
            }
        } else {
            // A layered (or entity-only) document keeps its layers covering every relation.
            super::layers::add_relations(doc, super::layers::BULK_SOURCE, self.relations);
        }
    }

    /// The entity-only document for an ID whose text is not indexed.
    pub fn into_document(self) -> Document {
        let mut doc = Document {
            id: self.id.clone(),
            passages: Vec::new(),
            annotations: Vec::new(),
            relations: Vec::new(),
            concepts: Vec::new(),
            ..Document::default()
        };
        self.apply(&mut doc);
        doc
    }
}

/// What `replacement` (a new version of a document, e.g. its text arriving after bulk rows)
/// should keep from `previous`: its concepts and the relations that came from bulk rows
/// (those with argument types), so that indexing the text does not drop attached rows.
pub fn carry_over(previous: Document, replacement: &mut Document) {
    let relations = previous
        .relations
        .into_iter()
        .filter(|r| !r.arg_types.is_empty())
        .collect();
    Patch {
        id: previous.id,
        concepts: previous.concepts,
        relations,
    }
    .apply(replacement);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(t: &str, ids: &[&str], m: &[&str], r: &[&str]) -> Concept {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        Concept {
            raw_type: t.into(),
            ids: v(ids),
            mentions: v(m),
            resources: v(r),
        }
    }

    fn relation(t: &str, a: &str, b: &str) -> Relation {
        Relation {
            rel_type: t.into(),
            args: [a.into(), b.into()],
            novelty: None,
            arg_types: vec!["Gene".into(), "Disease".into()],
        }
    }

    #[test]
    fn applying_twice_changes_nothing() {
        let mut p = Patch::new("1");
        p.add_concept(concept("Gene", &["5133"], &["PD-1"], &["PubTator3"]));
        p.add_relation(relation("associate", "5133", "MESH:D1"));
        let once = p.clone().into_document();
        let mut twice = once.clone();
        p.apply(&mut twice);
        assert_eq!(once, twice);
        assert_eq!(once.concepts.len(), 1);
        assert_eq!(once.relations.len(), 1);
    }

    #[test]
    fn same_concepts_merge_mentions_and_resources() {
        let mut p = Patch::new("1");
        p.add_concept(concept("Gene", &["5133"], &["PD-1"], &["PubTator3"]));
        p.add_concept(concept(
            "gene",
            &["5133"],
            &["PD1", "PD-1"],
            &["gene2pubmed"],
        ));
        p.add_concept(concept("Disease", &[], &["tumor"], &[]));
        p.add_concept(concept("Disease", &[], &["cancer"], &[]));
        p.add_concept(concept("Chemical", &["5133"], &["x"], &[]));
        assert_eq!(p.concepts.len(), 4);
        assert_eq!(p.concepts[0].mentions, ["PD-1", "PD1"]);
        assert_eq!(p.concepts[0].resources, ["PubTator3", "gene2pubmed"]);
    }

    #[test]
    fn carry_over_keeps_concepts_and_bulk_relations_only() {
        let mut prev = Patch::new("1");
        prev.add_concept(concept("Gene", &["5133"], &["PD-1"], &["PubTator3"]));
        prev.add_relation(relation("associate", "5133", "MESH:D1"));
        let mut prev = prev.into_document();
        prev.relations.push(Relation {
            rel_type: "CID".into(),
            args: ["D1".into(), "D2".into()],
            novelty: None,
            arg_types: Vec::new(),
        });
        let mut text = Patch::new("1").into_document();
        carry_over(prev, &mut text);
        assert_eq!(text.concepts.len(), 1);
        assert_eq!(text.relations.len(), 1);
        assert_eq!(text.relations[0].rel_type, "associate");
    }
}
