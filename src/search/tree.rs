//! Tree facets (`--facet-level N`): the Disease and Chemical IDs of a result set counted at
//! their MeSH tree ancestors of depth N, each document once per ancestor, with paste-ready
//! clauses (`disease:D009369`, which explode); and the tree around one descriptor (parents
//! and children with document counts) for `entity ID --tree`. Needs a MeSH vocabulary.

use crate::error::Result;
use crate::index::schema::{entity_term, Fields};
use crate::index::terms::{doc_count, facet_reader};
use crate::vocab::expand::mesh_ui;
use crate::vocab::mesh::Mesh;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tantivy::fastfield::FacetReader;
use tantivy::query::Query;
use tantivy::Searcher;

/// The deepest tree level a facet may ask for (MeSH trees are at most 13 levels deep).
pub const MAX_FACET_LEVEL: usize = 13;

/// The types whose IDs are MeSH and go up the tree.
pub const TREE_TYPES: [&str; 2] = ["Disease", "Chemical"];

/// One ancestor with its documents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TreeValue {
    /// Descriptor UI (`D009369`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Matching documents with an ID under it.
    pub documents: u64,
    /// The clause that searches it, exploded (`disease:D009369`).
    pub clause: String,
}

/// The ancestors of one type at one depth.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TreeFacet {
    /// `Disease` or `Chemical`.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The depth (1 = `C04`).
    pub level: usize,
    /// The ancestors, most documents first (ties by UI), at most the facet top.
    pub values: Vec<TreeValue>,
}

/// Per segment: the facet ordinals of Disease and Chemical IDs of each hit, kept until
/// harvest, when only the distinct ones are decoded and mapped up the tree.
struct SegmentTree {
    reader: Option<FacetReader>,
    ranges: Vec<(u64, u64)>,
    mesh: Arc<Mesh>,
    level: usize,
    /// Per hit, the ordinals in one of `ranges` (flattened; `starts` delimits hits).
    ords: Vec<u64>,
    starts: Vec<usize>,
}

/// Documents per (type index, ancestor UI).
type TreeCounts = HashMap<(usize, String), u64>;

impl tantivy::collector::SegmentCollector for SegmentTree {
    type Fruit = TreeCounts;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        let Some(reader) = &self.reader else { return };
        self.starts.push(self.ords.len());
        for ord in reader.facet_ords(doc) {
            if self.ranges.iter().any(|(a, b)| ord >= *a && ord < *b) {
                self.ords.push(ord);
            }
        }
    }

    fn harvest(self) -> TreeCounts {
        let Some(reader) = &self.reader else {
            return TreeCounts::new();
        };
        let mut distinct: Vec<u64> = self.ords.clone();
        distinct.sort_unstable();
        distinct.dedup();
        // One sequential dictionary pass for the ordinals the hits use: each maps to its
        // ancestors, interned as (type index, UI) numbers so that counting allocates nothing.
        let mut names: Vec<(usize, String)> = Vec::new();
        let mut number: HashMap<(usize, String), u32> = HashMap::new();
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); distinct.len()];
        let mut next = distinct.iter().enumerate();
        let _ = reader
            .facet_dict()
            .sorted_ords_to_term_cb(&distinct, |bytes| {
                let Some((i, &ord)) = next.next() else { return };
                let Some(t) = self.ranges.iter().position(|(a, b)| ord >= *a && ord < *b) else {
                    return;
                };
                let id = bytes.split(|b| *b == 0).nth(1).unwrap_or_default();
                let id = String::from_utf8_lossy(id);
                let Some(ui) = mesh_ui(&id) else { return };
                up[i] = self
                    .mesh
                    .ancestors_at(&ui.to_ascii_uppercase(), self.level)
                    .into_iter()
                    .map(|a| {
                        *number.entry((t, a)).or_insert_with_key(|key| {
                            names.push(key.clone());
                            (names.len() - 1) as u32
                        })
                    })
                    .collect();
            });
        // Documents per ancestor: a hit counts once however many of its IDs lie under it
        // (`last` holds the last hit that counted each ancestor).
        let mut counts = vec![0u64; names.len()];
        let mut last = vec![usize::MAX; names.len()];
        let mut ends: Vec<usize> = self.starts.iter().skip(1).copied().collect();
        ends.push(self.ords.len());
        for (hit, (&s, &e)) in self.starts.iter().zip(&ends).enumerate() {
            for ord in &self.ords[s..e] {
                let Ok(i) = distinct.binary_search(ord) else {
                    continue;
                };
                for &a in &up[i] {
                    let a = a as usize;
                    if last[a] != hit {
                        last[a] = hit;
                        counts[a] += 1;
                    }
                }
            }
        }
        names
            .into_iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// The collector of [`tree_facets`].
struct TreeCounter {
    mesh: Arc<Mesh>,
    level: usize,
}

impl tantivy::collector::Collector for TreeCounter {
    type Fruit = TreeCounts;
    type Child = SegmentTree;

    fn for_segment(
        &self,
        _ord: u32,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentTree> {
        let reader = facet_reader(segment)?;
        let mut ranges = Vec::new();
        if let Some(r) = &reader {
            let num = r.num_facets() as u64;
            let bound = |key: &[u8]| -> tantivy::Result<u64> {
                Ok(match r.facet_dict().term_ord_or_next(key)? {
                    tantivy::columnar::TermOrdHit::Exact(o)
                    | tantivy::columnar::TermOrdHit::Next(o) => o.min(num),
                })
            };
            for t in TREE_TYPES {
                let (mut start, mut end) = (t.as_bytes().to_vec(), t.as_bytes().to_vec());
                start.push(0);
                end.push(1);
                ranges.push((bound(&start)?, bound(&end)?));
            }
        }
        Ok(SegmentTree {
            reader,
            ranges,
            mesh: self.mesh.clone(),
            level: self.level,
            ords: Vec::new(),
            starts: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TreeCounts>) -> tantivy::Result<TreeCounts> {
        let mut out = TreeCounts::new();
        for f in fruits {
            for (k, n) in f {
                *out.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

/// The tree facets of the hits of `query` at depth `level`, the `top` ancestors per type.
pub fn tree_facets(
    searcher: &Searcher,
    query: &dyn Query,
    mesh: &Arc<Mesh>,
    level: usize,
    top: usize,
) -> Result<Vec<TreeFacet>> {
    let counter = TreeCounter {
        mesh: mesh.clone(),
        level,
    };
    let counts = searcher.search(query, &counter)?;
    let mut per_type: BTreeMap<usize, Vec<(String, u64)>> = BTreeMap::new();
    for ((t, ui), n) in counts {
        per_type.entry(t).or_default().push((ui, n));
    }
    let mut out = Vec::new();
    for (t, mut values) in per_type {
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values.truncate(top.max(1));
        let entity_type = TREE_TYPES[t].to_string();
        out.push(TreeFacet {
            level,
            values: values
                .into_iter()
                .map(|(ui, documents)| TreeValue {
                    name: mesh.name_of(&ui).unwrap_or_default().to_string(),
                    clause: format!("{}:{ui}", entity_type.to_lowercase()),
                    id: ui,
                    documents,
                })
                .collect(),
            entity_type,
        });
    }
    Ok(out)
}

/// One descriptor of a tree view with its documents (annotated with it or, exploded, with
/// anything under it).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TreeNode {
    /// Descriptor UI.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its tree numbers.
    pub trees: Vec<String>,
    /// Documents annotated with this ID itself (under Disease or Chemical).
    pub documents: u64,
    /// Documents annotated with it or anything under it (what its clause finds).
    pub with_narrower: u64,
}

/// The tree around a descriptor: itself, its parents and its children.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TreeView {
    /// The descriptor.
    pub node: TreeNode,
    /// Descriptors directly above one of its tree numbers.
    pub parents: Vec<TreeNode>,
    /// Descriptors directly below one of its tree numbers.
    pub children: Vec<TreeNode>,
}

/// The tree view of a descriptor UI (`D009369`), `None` when MeSH does not have it.
pub fn tree_view(
    searcher: &Searcher,
    fields: &Fields,
    mesh: &Mesh,
    ui: &str,
) -> Result<Option<TreeView>> {
    let Some(own) = mesh.descriptor(ui) else {
        return Ok(None);
    };
    let node = |d: &crate::vocab::mesh::Descriptor| -> Result<TreeNode> {
        let mut documents = 0;
        for t in TREE_TYPES {
            let term = entity_term(Some(t), &format!("MESH:{}", d.ui));
            documents += doc_count(searcher, fields.entity, &term)?;
        }
        let mut terms = Vec::new();
        if let Some(x) = mesh.explode(&d.ui) {
            for ui in x.descriptors.iter().chain(&x.supplementary) {
                for t in TREE_TYPES {
                    let text = entity_term(Some(t), &format!("MESH:{ui}"));
                    terms.push(tantivy::Term::from_field_text(fields.entity, &text));
                }
            }
        }
        let with_narrower = searcher.search(
            &tantivy::query::TermSetQuery::new(terms),
            &tantivy::collector::Count,
        )? as u64;
        Ok(TreeNode {
            id: d.ui.clone(),
            name: d.name.clone(),
            trees: d.trees.clone(),
            documents,
            with_narrower,
        })
    };
    let (parents, children) = mesh.neighbours(ui);
    Ok(Some(TreeView {
        node: node(own)?,
        parents: parents.into_iter().map(node).collect::<Result<_>>()?,
        children: children.into_iter().map(node).collect::<Result<_>>()?,
    }))
}

/// The tree view of an entity argument as `ptsearch entity` takes it (`D009369`,
/// `MESH:D009369`, `disease:D009369`, or a MeSH name such as `Neoplasms`). An error when the
/// index has no MeSH vocabulary or MeSH does not know the argument.
pub fn entity_tree(index: &crate::PtIndex, arg: &str) -> Result<TreeView> {
    let vocab = index.vocab();
    let Some(mesh) = vocab.mesh()? else {
        return Err(crate::Error::Refused(
            "the tree needs a MeSH vocabulary: ptsearch vocab add desc20XX.xml".to_string(),
        ));
    };
    let value = arg.trim().trim_start_matches('@');
    let value = match value.split_once(':') {
        Some((field, rest)) if !field.eq_ignore_ascii_case("mesh") => rest,
        _ => value,
    };
    let id = crate::pubtator::ids::normalize_id(value);
    let ui = match mesh_ui(&id) {
        Some(ui) => ui.to_ascii_uppercase(),
        None => mesh
            .lookup_name(&value.replace('_', " "))
            .into_iter()
            .find(|u| u.starts_with('D'))
            .unwrap_or_default(),
    };
    let searcher = index.searcher()?;
    tree_view(&searcher, &index.fields, &mesh, &ui)?.ok_or_else(|| {
        crate::Error::Refused(format!(
            "'{arg}' is not a descriptor of the index's MeSH vocabulary"
        ))
    })
}
