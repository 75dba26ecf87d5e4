//! What resolving produces: the resolved query tree ([`RNode`]) whose leaves
//! ([`Resolved`]) say what each clause stands for in terms of the index (entity terms,
//! relation keys and argument forms, prefix words, expanded ID sets), with the notes and
//! resolutions that explain it. The tantivy compiler and the Quickwit translator lower these
//! leaves; neither looks anything up itself.

use crate::search::query::ast::Clause;
use crate::search::query::compile::{EntityTarget, Resolution};

/// The relation key that stands for every relation type (`rel:ANY|...`).
pub(crate) const ANY_RELATION: &str = "any";

/// A node of the resolved query: the AST's structure, with resolved leaves.
#[derive(Debug)]
pub(crate) enum RNode<'a> {
    /// All children must match; `hints` are notes about the group as a whole (a fielded
    /// name split by spaces), given before its children's.
    And {
        /// The children, in query order.
        children: Vec<RNode<'a>>,
        /// Notes about the group.
        hints: Vec<String>,
    },
    /// At least one child must match.
    Or(Vec<RNode<'a>>),
    /// The child must not match.
    Not(Box<RNode<'a>>),
    /// The child with a relevance boost.
    Boost(Box<RNode<'a>>, f32),
    /// `sentence:( … )`: everything inside within one sentence.
    Sentence(Box<RNode<'a>>),
    /// A resolved clause.
    Leaf(Resolved<'a>),
}

/// One clause resolved: what it stands for and what the user should be told about it.
#[derive(Debug)]
pub(crate) struct Resolved<'a> {
    /// The clause as parsed.
    pub(crate) clause: &'a Clause,
    /// What it stands for.
    pub(crate) leaf: Leaf,
    /// Notes for the user, in the order made (each backend keeps them once).
    pub(crate) notes: Vec<String>,
    /// Names resolved to IDs and IDs expanded, in the order made.
    pub(crate) resolutions: Vec<Resolution>,
    /// What to mark in the hits when the clause is positive.
    pub(crate) targets: Vec<EntityTarget>,
    /// Bare IDs (lower case) the clause stands for when positive: relation-aware ranking
    /// pairs them.
    pub(crate) ranking: Vec<String>,
}

/// Which text fields a text clause searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextScope {
    /// Title, abstract and mention text.
    All,
    /// `title:`
    Title,
    /// `abstract:`
    Abstract,
    /// `mention:`
    Mention,
}

impl TextScope {
    /// The scope of a field name (lower case), if it is a text field (`text:` is all of them).
    pub(crate) fn of_field(name: &str) -> Option<TextScope> {
        Some(match name {
            "title" => TextScope::Title,
            "abstract" => TextScope::Abstract,
            "mention" => TextScope::Mention,
            "text" => TextScope::All,
            _ => return None,
        })
    }
}

/// A relation-term form of one `rel:` argument (`*`, `t:disease`, `i:d009369`, as
/// `index::relterms` writes them) and the typed entity term it also requires.
pub(crate) type ArgForm = (String, Option<String>);

/// What a resolved clause stands for.
#[derive(Debug)]
pub(crate) enum Leaf {
    /// `*`: every document.
    All,
    /// A word or phrase on `scope`.
    Text {
        /// The fields searched.
        scope: TextScope,
        /// The value as written (quotes removed).
        text: String,
        /// Written as a quoted string.
        quoted: bool,
        /// A phrase's proximity (`"a b"~3`); 0 for an exact phrase or a word.
        slop: u32,
        /// Where the value starts.
        pos: usize,
        /// The ID a bare word is written as (`D008545`, `rs113488022`, `V600E`), if any.
        bare: Option<String>,
        /// The entity terms that ID also matches (an unquoted word on every text field only;
        /// empty when it matches none).
        id_terms: Vec<String>,
    },
    /// A prefix search (`melan*`) of one analyzed word.
    Prefix {
        /// The fields searched.
        scope: TextScope,
        /// The clause as written (`melan*`).
        text: String,
        /// The analyzed word before the `*`.
        token: String,
        /// The index's words with that prefix (searching the local index; the first
        /// `MAX_PREFIX_TERMS` in alphabetical order).
        words: Vec<String>,
    },
    /// Entity terms (`gene:5133`).
    Entity(EntityMatch),
    /// Every annotation of an entity type (`Gene`).
    Type(String),
    /// A `rel:` clause.
    Relation(RelationMatch),
    /// `pmid:` (the document ID, trimmed).
    Pmid(String),
    /// A keyword field (`section`, `resource`) and its value (lower case).
    Keyword(&'static str, String),
    /// `year:` with its inclusive bounds (`None`: an open end).
    Year {
        /// The value as written.
        text: String,
        /// Where the value starts.
        pos: usize,
        /// First year.
        from: Option<u64>,
        /// Last year.
        to: Option<u64>,
    },
    /// A metadata clause (`journal:`, `author:`, `pubtype:`, `source:`, `mh:` without
    /// explosion): the field name (lower case) and the value as written.
    Metadata {
        /// The field name.
        name: String,
        /// The value.
        text: String,
        /// Where the value starts.
        pos: usize,
    },
    /// `mh:` exploded with MeSH: the heading as written and the descriptor UIs under it.
    MeshHeading {
        /// The value as written (trimmed).
        value: String,
        /// Descriptor UIs (`D009369`).
        uis: Vec<String>,
    },
}

/// The entity terms an entity clause stands for.
#[derive(Debug, Default)]
pub(crate) struct EntityMatch {
    /// Terms matched one by one (scored by mentions, title mentions weighted up).
    pub(crate) own: Vec<String>,
    /// A vocabulary's expanded set, matched alike; `None` when nothing was expanded.
    pub(crate) set: Option<Vec<String>>,
    /// Another entity the document must also have (the gene of PubTator3's
    /// `@VARIANT_p.V600E_BRAF_human`).
    pub(crate) with: Option<Box<EntityMatch>>,
}

/// A `rel:TYPE|E1|E2` clause resolved.
#[derive(Debug)]
pub(crate) struct RelationMatch {
    /// The type as written (trimmed).
    pub(crate) rel_type: String,
    /// The relation keys it stands for (`any` for every type).
    pub(crate) keys: Vec<String>,
    /// The forms each argument stands for.
    pub(crate) sides: [Vec<ArgForm>; 2],
    /// Where the clause's value starts.
    pub(crate) pos: usize,
}
