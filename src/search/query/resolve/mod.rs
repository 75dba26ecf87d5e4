//! AST → resolved query, between [`parse`](super::parse::parse) and the two lowerings
//! ([`compile`](super::compile) to tantivy, [`crate::search::translate`] to Quickwit). Every
//! clause is read here once: its field names an entity type, a text field, a keyword or
//! metadata field, a relation; names and spellings become IDs and entity terms (mention
//! dictionary, vocabularies), relation types become relation keys, relation arguments their
//! argument forms, prefix searches the index's words, vocabularies expand IDs; each with the
//! notes and resolutions that explain it. A new query feature is resolved here into a
//! [`Leaf`]; each backend only lowers the leaf.
//!
//! Resolving is for one [`Corpus`]: the local index itself (IDs narrowed to the terms it
//! has), or another corpus such as the Quickwit export (IDs as written; the local index, when
//! there is one, only resolves names, and a name without it is refused).

mod entity;
mod hints;
mod lookup;
mod relation;
mod text;
mod types;
mod vocab;

pub use relation::relation_type_keys;
pub(crate) use text::MAX_PREFIX_TERMS;
pub(crate) use types::{
    ArgForm, EntityMatch, Leaf, RNode, RelationMatch, Resolved, TextScope, ANY_RELATION,
};

use lookup::{type_alias, FIELDS, NAMESPACES};

use super::ast::{Clause, Field, Node};
use super::metadata::{year_range, METADATA_FIELDS};
use super::parse::parse;
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::pubtator::ids::CANONICAL_TYPES;
use crate::search::dictionary::EntityRef;
use crate::search::query::compile::{EntityTarget, Resolution, MAX_QUERY_BYTES};
use crate::vocab::expand::Mode;
use tantivy::Searcher;

/// The local index a query is resolved with.
#[derive(Clone, Copy)]
pub struct IndexView<'a> {
    /// A searcher of the index.
    pub searcher: &'a Searcher,
    /// Its fields.
    pub fields: &'a Fields,
    /// Its vocabularies (expansions are written into the request).
    pub vocab: &'a crate::vocab::Vocab,
}

/// The corpus a query is resolved for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Corpus {
    /// The local index: an ID stands for the typed terms the index has for it, a name with
    /// no ID for nothing (with a warning why).
    Local,
    /// Another corpus (the Quickwit export): IDs are written as they are, whatever the local
    /// index holds; names are resolved through the local index when there is one.
    Other,
}

/// What resolving the current clause has produced besides its leaf.
#[derive(Default)]
struct Out {
    notes: Vec<String>,
    resolutions: Vec<Resolution>,
    targets: Vec<EntityTarget>,
    ranking: Vec<String>,
}

/// Resolves clauses of one query against an optional local index.
pub(crate) struct Resolver<'a> {
    query: &'a str,
    index: Option<IndexView<'a>>,
    corpus: Corpus,
    /// Taxa of the query's `species:N` clauses (gene names resolve among them).
    taxa: Vec<u64>,
    /// Entity type names of the index, read on first need.
    index_types: std::cell::OnceCell<Vec<String>>,
    /// Relation keys of the index, read on first need.
    relation_keys: std::cell::OnceCell<Vec<String>>,
    /// Depth of `sentence:( … )` groups around the node being resolved.
    in_sentence: usize,
    out: Out,
}

impl<'a> Resolver<'a> {
    /// A resolver of `query` for `corpus`, with the local index when there is one.
    pub(crate) fn new(query: &'a str, index: Option<IndexView<'a>>, corpus: Corpus) -> Self {
        Resolver {
            query,
            index,
            corpus,
            taxa: Vec::new(),
            index_types: std::cell::OnceCell::new(),
            relation_keys: std::cell::OnceCell::new(),
            in_sentence: 0,
            out: Out::default(),
        }
    }

    /// Gene names resolve among the taxa of the query's positive `species:N` clauses.
    pub(crate) fn with_taxa_of(mut self, ast: &Node) -> Self {
        self.taxa = species_taxa(ast);
        self
    }

    /// Records a note on the current clause (kept once by the backends).
    fn note(&mut self, message: String) {
        if !self.out.notes.contains(&message) {
            self.out.notes.push(message);
        }
    }

    fn err(&self, position: usize, message: impl Into<String>) -> Error {
        Error::query(self.query, position, message)
    }

    /// Records what a positive clause marks and ranks by.
    fn target(&mut self, entity_type: Option<String>, id: String) {
        self.out.targets.push(EntityTarget::Id { entity_type, id });
    }

    /// The resolved tree of `n`.
    pub(crate) fn resolve<'n>(&mut self, n: &'n Node) -> Result<RNode<'n>> {
        Ok(match n {
            Node::Clause(c) => RNode::Leaf(self.clause(c)?),
            Node::Boost(inner, b) => RNode::Boost(Box::new(self.resolve(inner)?), *b),
            Node::Sentence(inner, _) => {
                self.in_sentence += 1;
                let inner = self.resolve(inner);
                self.in_sentence -= 1;
                RNode::Sentence(Box::new(inner?))
            }
            Node::Not(inner) => RNode::Not(Box::new(self.resolve(inner)?)),
            Node::And(children) => {
                // Searching the local index, a conjunction outside sentence groups says when a
                // fielded name was split by spaces.
                let hints = match self.corpus {
                    Corpus::Local if self.in_sentence == 0 => hints::split_names(self, children)?,
                    _ => Vec::new(),
                };
                let children = children
                    .iter()
                    .map(|c| self.resolve(c))
                    .collect::<Result<Vec<_>>>()?;
                RNode::And { children, hints }
            }
            Node::Or(children) => RNode::Or(
                children
                    .iter()
                    .map(|c| self.resolve(c))
                    .collect::<Result<Vec<_>>>()?,
            ),
        })
    }

    /// One clause resolved, with what it produced on the way.
    pub(crate) fn clause<'n>(&mut self, c: &'n Clause) -> Result<Resolved<'n>> {
        self.out = Out::default();
        let leaf = self.leaf(c);
        let out = std::mem::take(&mut self.out);
        Ok(Resolved {
            clause: c,
            leaf: leaf?,
            notes: out.notes,
            resolutions: out.resolutions,
            targets: out.targets,
            ranking: out.ranking,
        })
    }

    fn leaf(&mut self, c: &Clause) -> Result<Leaf> {
        match c {
            Clause::All { .. } => Ok(Leaf::All),
            Clause::At { text, pos } => self.at(text, *pos).map(Leaf::Entity),
            Clause::Term {
                field: None,
                text,
                quoted,
                slop,
                pos,
            } => self.text(TextScope::All, text, *quoted, *slop, *pos),
            Clause::Term {
                field: Some(field),
                text,
                quoted,
                slop,
                pos,
            } => {
                let name = field.name.to_ascii_lowercase();
                if let Some(scope) = TextScope::of_field(&name) {
                    return self.text(scope, text, *quoted, *slop, *pos);
                }
                self.fielded(field, &name, text, *pos)
            }
        }
    }

    /// A clause with a field that is not a text field.
    fn fielded(&mut self, field: &Field, name: &str, text: &str, pos: usize) -> Result<Leaf> {
        let mode = Mode {
            literal: field.literal,
            ..Mode::default()
        };
        let metadata = || Leaf::Metadata {
            name: name.to_string(),
            text: text.to_string(),
            pos,
        };
        Ok(match name {
            "id" => Leaf::Entity(self.entity(None, text, pos, mode)?),
            "mh" if !field.literal => self.mesh_heading(text)?.unwrap_or_else(metadata),
            "ortho" => {
                let ortho = Mode {
                    orthologs: !field.literal,
                    ..mode
                };
                self.note_no_orthologs(ortho, text)?;
                Leaf::Entity(self.entity(Some("Gene".to_string()), text, pos, ortho)?)
            }
            "pmid" => Leaf::Pmid(text.trim().to_string()),
            "section" => Leaf::Keyword("section", text.trim().to_lowercase()),
            "resource" => Leaf::Keyword("resource", text.trim().to_lowercase()),
            "type" => self.type_clause(text, pos)?,
            "rel" | "relations" => Leaf::Relation(self.relation(text, pos)?),
            "year" => {
                let (from, to) = year_range(text).map_err(|m| self.err(pos, m))?;
                Leaf::Year {
                    text: text.to_string(),
                    pos,
                    from,
                    to,
                }
            }
            _ if METADATA_FIELDS.contains(&name) => metadata(),
            _ => {
                if let Some(t) = self.resolve_type(name)? {
                    // `gene:*`: any entity of the type, as `type:Gene` (Lucene's `field:*`).
                    if text.trim() == "*" {
                        return self.type_clause(&t, pos);
                    }
                    return Ok(Leaf::Entity(self.entity(Some(t), text, pos, mode)?));
                }
                if NAMESPACES.contains(&name) {
                    let full = format!("{}:{}", field.name, text);
                    return Ok(Leaf::Entity(self.entity(None, &full, field.pos, mode)?));
                }
                return Err(unknown_field(self.query, field));
            }
        })
    }

    /// Searching the local index, `ortho:X` without an ortholog table says it searches the
    /// gene alone.
    fn note_no_orthologs(&mut self, mode: Mode, text: &str) -> Result<()> {
        let Some(ix) = self.index else { return Ok(()) };
        if self.corpus == Corpus::Local && mode.orthologs && ix.vocab.orthologs()?.is_none() {
            self.note(format!(
                "ortho:{} searches the gene alone: the index has no ortholog table \
                 (ptsearch vocab add gene_orthologs.gz)",
                text.trim()
            ));
        }
        Ok(())
    }

    /// `type:Gene`: every annotation of a type.
    fn type_clause(&mut self, value: &str, pos: usize) -> Result<Leaf> {
        if let Some(t) = self.resolve_type(value.trim())? {
            self.out.targets.push(EntityTarget::Type(t.clone()));
            return Ok(Leaf::Type(t));
        }
        let known = match self.corpus {
            // The canonical types, then the kept types this index has.
            Corpus::Local => {
                let mut known: Vec<String> =
                    CANONICAL_TYPES.iter().map(|t| t.to_string()).collect();
                known.extend(
                    self.index_types()?
                        .iter()
                        .filter(|t| !CANONICAL_TYPES.contains(&t.as_str()))
                        .cloned(),
                );
                known.join(", ")
            }
            Corpus::Other => format!(
                "{}{}",
                CANONICAL_TYPES.join(", "),
                if self.index.is_none() {
                    "; kept types of an index need --index"
                } else {
                    ""
                }
            ),
        };
        Err(self.err(
            pos,
            format!("unknown entity type '{value}' (known: {known})"),
        ))
    }

    /// The refusal for a name when there is no local index to resolve it.
    fn needs_index(&self, clause: &str, value: &str, pos: usize) -> Error {
        self.err(
            pos,
            format!(
                "'{clause}' names '{value}', not an ID: resolving names to IDs needs the local \
                 index (--index DIR); or write the ID (find it with `ptsearch entities {value}` \
                 on an index)"
            ),
        )
    }

    /// The entity terms of references, typed.
    fn ref_terms(refs: &[EntityRef]) -> Vec<String> {
        refs.iter()
            .map(|e| crate::index::schema::entity_term(Some(&e.entity_type), &e.id))
            .collect()
    }
}

/// Checks the size and emptiness of `query` and parses it.
pub(crate) fn parse_checked(query: &str) -> Result<Node> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(Error::Query {
            position: 0,
            message: format!("query longer than {MAX_QUERY_BYTES} bytes"),
            caret: String::new(),
        });
    }
    if query.trim().is_empty() {
        return Err(Error::query(
            query,
            0,
            "empty query (use * to match every document)",
        ));
    }
    parse(query).map_err(|e| Error::query(query, e.position, e.message))
}

/// The error for a field the language does not know, naming the closest known one.
pub(crate) fn unknown_field(query: &str, field: &Field) -> Error {
    let mut known: Vec<String> = FIELDS.iter().map(|s| s.to_string()).collect();
    known.extend(METADATA_FIELDS.iter().map(|s| s.to_string()));
    known.extend(CANONICAL_TYPES.iter().map(|t| t.to_lowercase()));
    let hint = hints::closest(
        &field.name.to_ascii_lowercase(),
        known.iter().map(String::as_str),
    )
    .map(|k| format!("did you mean '{k}'? "))
    .unwrap_or_default();
    Error::query(
        query,
        field.pos,
        format!(
            "unknown field '{}' ({hint}known: {})",
            field.name,
            known.join(", ")
        ),
    )
}

/// The taxa of the positive `species:N` clauses of a query (gene names resolve among them).
pub(crate) fn species_taxa(n: &Node) -> Vec<u64> {
    let mut out = Vec::new();
    let mut walk = vec![n];
    while let Some(n) = walk.pop() {
        match n {
            Node::And(v) | Node::Or(v) => walk.extend(v.iter()),
            Node::Boost(c, _) | Node::Sentence(c, _) => walk.push(c),
            Node::Not(_) => {}
            Node::Clause(Clause::Term {
                field: Some(f),
                text,
                ..
            }) if type_alias(&f.name) == Some("Species") => {
                let t = text.trim();
                let digits = t.rsplit(':').next().unwrap_or(t);
                if let Ok(taxon) = digits.parse::<u64>() {
                    out.push(taxon);
                }
            }
            Node::Clause(_) => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Where the first clause of `n` starts.
pub(crate) fn first_clause_pos(n: &Node) -> usize {
    match n {
        Node::And(v) | Node::Or(v) => v.first().map_or(0, first_clause_pos),
        Node::Not(c) | Node::Boost(c, _) => first_clause_pos(c),
        Node::Sentence(_, pos) => *pos,
        Node::Clause(Clause::All { pos } | Clause::At { pos, .. }) => *pos,
        Node::Clause(Clause::Term { field, pos, .. }) => field.as_ref().map_or(*pos, |f| f.pos),
    }
}
