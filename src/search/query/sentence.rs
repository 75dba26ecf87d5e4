//! The tantivy query behind `sentence:(…)`: the documents where the group's clauses hold
//! within one sentence. Built by `compile::sentence` from the group's compiled leaves.
//!
//! The candidates are the documents the group matches at document level (an `AND` of its
//! leaves, an `OR`, everything under a `NOT`); each candidate is then checked sentence by
//! sentence. An entity leaf gives the sentences of its mentions from the positions of its
//! `entity` terms (the number of the mention's sentence, see `index::document`), without
//! reading the document; a word or phrase leaf reads the stored record once and looks for its
//! tokens in each sentence's text (the index's own tokenizer); any other leaf (metadata, `type:`,
//! `rel:`) holds in every sentence of a document it matches. The score is the candidates'
//! (BM25 and the usual signals).

use crate::index::document::DOC_LEVEL;
use crate::pubtator::codec::decode_with_sentences;
use crate::pubtator::sentences::of_document;
use tantivy::postings::Postings;
use tantivy::query::{
    AllQuery, BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::store::StoreReader;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, Term, TERMINATED};

/// One node of a sentence group.
#[derive(Debug)]
pub enum SentTree {
    /// Every child holds in the sentence.
    And(Vec<SentTree>),
    /// Some child holds in the sentence.
    Or(Vec<SentTree>),
    /// The child does not hold in the sentence.
    Not(Box<SentTree>),
    /// A mention of one of these `entity` terms is in the sentence.
    Entity(Box<dyn Query>, Vec<Term>),
    /// One of these token sequences is in the sentence's text.
    Text(Box<dyn Query>, Vec<Vec<String>>),
    /// A document-level clause: holds in every sentence of a document it matches.
    Doc(Box<dyn Query>),
}

impl Clone for SentTree {
    fn clone(&self) -> Self {
        match self {
            SentTree::And(v) => SentTree::And(v.clone()),
            SentTree::Or(v) => SentTree::Or(v.clone()),
            SentTree::Not(c) => SentTree::Not(c.clone()),
            SentTree::Entity(q, t) => SentTree::Entity(q.box_clone(), t.clone()),
            SentTree::Text(q, s) => SentTree::Text(q.box_clone(), s.clone()),
            SentTree::Doc(q) => SentTree::Doc(q.box_clone()),
        }
    }
}

impl SentTree {
    /// The document-level query whose matches are the candidates (and give the score).
    fn candidates(&self) -> Box<dyn Query> {
        match self {
            SentTree::And(v) => Box::new(BooleanQuery::new(
                v.iter().map(|c| (Occur::Must, c.candidates())).collect(),
            )),
            SentTree::Or(v) => Box::new(BooleanQuery::new(
                v.iter().map(|c| (Occur::Should, c.candidates())).collect(),
            )),
            SentTree::Not(_) => Box::new(AllQuery),
            SentTree::Entity(q, _) | SentTree::Text(q, _) | SentTree::Doc(q) => q.box_clone(),
        }
    }

    /// Whether reading the stored record may be needed.
    fn needs_record(&self) -> bool {
        match self {
            SentTree::And(v) | SentTree::Or(v) => v.iter().any(SentTree::needs_record),
            SentTree::Not(_) | SentTree::Text(..) => true,
            SentTree::Entity(..) | SentTree::Doc(_) => false,
        }
    }
}

/// `sentence:(…)` as a tantivy query.
pub struct SentenceQuery {
    tree: SentTree,
    candidates: Box<dyn Query>,
    entity: Field,
    record: Field,
    tokenizer: TextAnalyzer,
}

impl SentenceQuery {
    /// The query for `tree`; `entity` and `record` are the index's `entity` and `doc` fields,
    /// `tokenizer` the analyzer of its text fields.
    pub fn new(tree: SentTree, entity: Field, record: Field, tokenizer: TextAnalyzer) -> Self {
        let candidates = tree.candidates();
        SentenceQuery {
            tree,
            candidates,
            entity,
            record,
            tokenizer,
        }
    }
}

impl Clone for SentenceQuery {
    fn clone(&self) -> Self {
        SentenceQuery {
            tree: self.tree.clone(),
            candidates: self.candidates.box_clone(),
            entity: self.entity,
            record: self.record,
            tokenizer: self.tokenizer.clone(),
        }
    }
}

impl std::fmt::Debug for SentenceQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceQuery")
            .field("tree", &self.tree)
            .finish_non_exhaustive()
    }
}

impl Query for SentenceQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let candidates = self.candidates.weight(enable_scoring)?;
        let tree = leaf_weights(&self.tree, enable_scoring)?;
        Ok(Box::new(SentenceWeight {
            candidates,
            tree,
            entity: self.entity,
            record: self.record,
            tokenizer: self.tokenizer.clone(),
            needs_record: self.tree.needs_record(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.candidates.query_terms(visitor);
    }
}

/// The tree with a weight per leaf.
enum WTree {
    And(Vec<WTree>),
    Or(Vec<WTree>),
    Not(Box<WTree>),
    Entity(Vec<Term>),
    Text(Box<dyn Weight>, Vec<Vec<String>>),
    Doc(Box<dyn Weight>),
}

fn leaf_weights(t: &SentTree, scoring: EnableScoring<'_>) -> tantivy::Result<WTree> {
    Ok(match t {
        SentTree::And(v) => WTree::And(
            v.iter()
                .map(|c| leaf_weights(c, scoring))
                .collect::<tantivy::Result<_>>()?,
        ),
        SentTree::Or(v) => WTree::Or(
            v.iter()
                .map(|c| leaf_weights(c, scoring))
                .collect::<tantivy::Result<_>>()?,
        ),
        SentTree::Not(c) => WTree::Not(Box::new(leaf_weights(c, scoring)?)),
        SentTree::Entity(_, terms) => WTree::Entity(terms.clone()),
        SentTree::Text(q, seqs) => WTree::Text(q.weight(scoring)?, seqs.clone()),
        SentTree::Doc(q) => WTree::Doc(q.weight(scoring)?),
    })
}

struct SentenceWeight {
    candidates: Box<dyn Weight>,
    tree: WTree,
    entity: Field,
    record: Field,
    tokenizer: TextAnalyzer,
    needs_record: bool,
}

impl Weight for SentenceWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let candidates = self.candidates.scorer(reader, boost)?;
        let tree = segment_tree(&self.tree, reader, self.entity)?;
        let store = if self.needs_record {
            Some(reader.get_store_reader(8)?)
        } else {
            None
        };
        let mut scorer = SentenceScorer {
            candidates,
            tree,
            store,
            record: self.record,
            tokenizer: self.tokenizer.clone(),
        };
        if scorer.candidates.doc() != TERMINATED && !scorer.holds()? {
            scorer.next_match();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match the sentence group"
            )));
        }
        Ok(Explanation::new("sentence group", s.score()))
    }
}

/// The tree of one segment: entity leaves with their postings, other leaves with scorers.
enum STree {
    And(Vec<STree>),
    Or(Vec<STree>),
    Not(Box<STree>),
    Entity(Vec<tantivy::postings::SegmentPostings>),
    Text(Box<dyn Scorer>, Vec<Vec<String>>),
    Doc(Box<dyn Scorer>),
}

fn segment_tree(t: &WTree, reader: &SegmentReader, entity: Field) -> tantivy::Result<STree> {
    Ok(match t {
        WTree::And(v) => STree::And(
            v.iter()
                .map(|c| segment_tree(c, reader, entity))
                .collect::<tantivy::Result<_>>()?,
        ),
        WTree::Or(v) => STree::Or(
            v.iter()
                .map(|c| segment_tree(c, reader, entity))
                .collect::<tantivy::Result<_>>()?,
        ),
        WTree::Not(c) => STree::Not(Box::new(segment_tree(c, reader, entity)?)),
        WTree::Entity(terms) => {
            let inverted = reader.inverted_index(entity)?;
            let mut postings = Vec::with_capacity(terms.len());
            for term in terms {
                if let Some(p) =
                    inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
                {
                    postings.push(p);
                }
            }
            STree::Entity(postings)
        }
        WTree::Text(w, seqs) => STree::Text(w.scorer(reader, 1.0)?, seqs.clone()),
        WTree::Doc(w) => STree::Doc(w.scorer(reader, 1.0)?),
    })
}

/// A sentence set of one document: every sentence, or these (sorted, distinct).
#[derive(Debug, Clone, PartialEq)]
enum Sents {
    All,
    Some(Vec<u32>),
}

impl Sents {
    fn none() -> Sents {
        Sents::Some(Vec::new())
    }

    fn is_empty(&self) -> bool {
        matches!(self, Sents::Some(v) if v.is_empty())
    }

    fn and(self, other: Sents) -> Sents {
        match (self, other) {
            (Sents::All, x) | (x, Sents::All) => x,
            (Sents::Some(a), Sents::Some(b)) => Sents::Some(
                a.into_iter()
                    .filter(|x| b.binary_search(x).is_ok())
                    .collect(),
            ),
        }
    }

    fn or(self, other: Sents) -> Sents {
        match (self, other) {
            (Sents::All, _) | (_, Sents::All) => Sents::All,
            (Sents::Some(mut a), Sents::Some(b)) => {
                a.extend(b);
                a.sort_unstable();
                a.dedup();
                Sents::Some(a)
            }
        }
    }
}

/// The stored record of the current document, split into sentence token lists on first need.
struct Loaded {
    /// Per sentence, its tokens as (position, text).
    tokens: Vec<Vec<(usize, String)>>,
}

struct SentenceScorer {
    candidates: Box<dyn Scorer>,
    tree: STree,
    store: Option<StoreReader>,
    record: Field,
    tokenizer: TextAnalyzer,
}

impl SentenceScorer {
    /// Advances the candidates to the next document that holds (or the end).
    fn next_match(&mut self) -> DocId {
        loop {
            let doc = self.candidates.advance();
            if doc == TERMINATED || self.holds().unwrap_or(false) {
                return doc;
            }
        }
    }

    /// Whether the current candidate has a sentence where the tree holds.
    fn holds(&mut self) -> tantivy::Result<bool> {
        let doc = self.candidates.doc();
        let mut loaded: Option<Loaded> = None;
        let mut tree = std::mem::replace(&mut self.tree, STree::And(Vec::new()));
        let found = self.eval(&mut tree, doc, &mut loaded);
        self.tree = tree;
        Ok(!found?.is_empty())
    }

    fn load(&mut self, doc: DocId) -> tantivy::Result<Loaded> {
        let Some(store) = &self.store else {
            return Ok(Loaded { tokens: Vec::new() });
        };
        let td: TantivyDocument = store.get(doc)?;
        let bytes = td
            .get_first(self.record)
            .and_then(|v| v.as_bytes())
            .unwrap_or_default();
        let (document, sentences) = decode_with_sentences(bytes)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let sentences = sentences.unwrap_or_else(|| of_document(&document));
        let listed = sentences.list(document.passages.iter().map(|p| p.text.as_str()));
        let mut tokens = Vec::with_capacity(listed.len());
        for s in &listed {
            let text = s.text(&document);
            let mut out = Vec::new();
            let mut stream = self.tokenizer.token_stream(&text);
            while let Some(t) = stream.next() {
                out.push((t.position, t.text.clone()));
            }
            tokens.push(out);
        }
        Ok(Loaded { tokens })
    }

    fn eval(
        &mut self,
        t: &mut STree,
        doc: DocId,
        loaded: &mut Option<Loaded>,
    ) -> tantivy::Result<Sents> {
        Ok(match t {
            STree::And(v) => {
                let mut acc = Sents::All;
                for c in v.iter_mut() {
                    acc = acc.and(self.eval(c, doc, loaded)?);
                    if acc.is_empty() {
                        break;
                    }
                }
                acc
            }
            STree::Or(v) => {
                let mut acc = Sents::none();
                for c in v.iter_mut() {
                    acc = acc.or(self.eval(c, doc, loaded)?);
                }
                acc
            }
            STree::Not(c) => {
                let inner = self.eval(c, doc, loaded)?;
                if loaded.is_none() {
                    *loaded = Some(self.load(doc)?);
                }
                let count = loaded.as_ref().map_or(0, |l| l.tokens.len() as u32);
                match inner {
                    Sents::All => Sents::none(),
                    Sents::Some(v) => {
                        Sents::Some((0..count).filter(|n| v.binary_search(n).is_err()).collect())
                    }
                }
            }
            STree::Entity(postings) => {
                let mut found = Vec::new();
                let mut positions = Vec::new();
                for p in postings.iter_mut() {
                    if p.doc() < doc {
                        p.seek(doc);
                    }
                    if p.doc() == doc {
                        positions.clear();
                        p.positions(&mut positions);
                        found.extend(positions.iter().copied().filter(|&x| x < DOC_LEVEL));
                    }
                }
                found.sort_unstable();
                found.dedup();
                Sents::Some(found)
            }
            STree::Doc(s) => {
                if s.doc() < doc {
                    s.seek(doc);
                }
                if s.doc() == doc {
                    Sents::All
                } else {
                    Sents::none()
                }
            }
            STree::Text(s, seqs) => {
                if s.doc() < doc {
                    s.seek(doc);
                }
                if s.doc() != doc {
                    return Ok(Sents::none());
                }
                if loaded.is_none() {
                    *loaded = Some(self.load(doc)?);
                }
                let tokens = loaded.as_ref().map_or(&[][..], |l| &l.tokens[..]);
                Sents::Some(
                    tokens
                        .iter()
                        .enumerate()
                        .filter(|(_, toks)| seqs.iter().any(|seq| has_sequence(toks, seq)))
                        .map(|(n, _)| n as u32)
                        .collect(),
                )
            }
        })
    }
}

/// Whether `seq` occurs in `tokens` at consecutive positions.
pub(crate) fn has_sequence(tokens: &[(usize, String)], seq: &[String]) -> bool {
    let Some(first) = seq.first() else {
        return false;
    };
    tokens.iter().filter(|(_, t)| t == first).any(|(p, _)| {
        seq.iter()
            .enumerate()
            .skip(1)
            .all(|(i, w)| tokens.iter().any(|(q, t)| *q == p + i && t == w))
    })
}

impl DocSet for SentenceScorer {
    fn advance(&mut self) -> DocId {
        self.next_match()
    }

    fn doc(&self) -> DocId {
        self.candidates.doc()
    }

    fn size_hint(&self) -> u32 {
        self.candidates.size_hint()
    }
}

impl Scorer for SentenceScorer {
    fn score(&mut self) -> Score {
        self.candidates.score()
    }
}
