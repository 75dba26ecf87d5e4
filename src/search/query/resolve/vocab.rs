//! Entity clauses over the local index's vocabularies ([`crate::vocab::expand`] decides what
//! an ID or a name expands to): an expanded ID set becomes the clause's term set, with the
//! clause's own IDs beside it; a name a vocabulary knows (gene symbols, MeSH names) becomes
//! its IDs; `mh:` explodes to the descriptors under a heading.

use super::{Corpus, EntityMatch, Leaf, Resolver};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::index::terms::doc_count;
use crate::search::dictionary::EntityRef;
use crate::search::query::compile::Resolution;
use crate::vocab::expand::{expand_ids, resolve_name, Expansion, Mode, Request};

impl Resolver<'_> {
    /// What the local index's vocabularies expand `seeds` (canonical IDs) to, for a clause of
    /// `entity_type` in `mode`; `None` without an index, a vocabulary, or an expansion.
    pub(super) fn expand(
        &self,
        entity_type: Option<&str>,
        mode: Mode,
        seeds: &[String],
    ) -> Result<Option<Expansion>> {
        let Some(ix) = self.index else {
            return Ok(None);
        };
        expand_ids(ix.vocab, &self.request(entity_type, mode), seeds)
    }

    /// The vocabulary request of a clause of `entity_type` written in `mode`.
    fn request<'r>(&'r self, entity_type: Option<&'r str>, mode: Mode) -> Request<'r> {
        Request {
            entity_type,
            mode,
            taxa: &self.taxa,
        }
    }

    /// The references of `ids` (canonical) that documents carry, with their document counts.
    fn refs(&self, entity_type: Option<&str>, ids: &[String]) -> Result<Vec<EntityRef>> {
        let Some(ix) = self.index else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for id in ids {
            for t in self.types_of(entity_type)? {
                let n = doc_count(ix.searcher, ix.fields.entity, &entity_term(Some(&t), id))?;
                if n > 0 {
                    out.push(EntityRef {
                        entity_type: t,
                        id: id.clone(),
                        documents: n,
                        id_documents: None,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Searching the local index: the match for `seeds` (canonical IDs a clause arrived at)
    /// when a vocabulary expands them, with a resolution saying how; `None` when none does.
    pub(super) fn expanded(
        &mut self,
        entity_type: Option<&str>,
        input: &str,
        seeds: &[String],
        mode: Mode,
    ) -> Result<Option<EntityMatch>> {
        let Some(x) = self.expand(entity_type, mode, seeds)? else {
            return Ok(None);
        };
        let types = self.types_of(entity_type)?;
        let mut set = Vec::with_capacity(x.ids.len() * types.len());
        for id in &x.ids {
            for t in &types {
                set.push(entity_term(Some(t), id));
            }
            self.target(entity_type.map(str::to_string), id.to_lowercase());
        }
        // Relation-aware ranking pairs the clause's own IDs, not thousands of narrower ones.
        self.out
            .ranking
            .extend(seeds.iter().map(|s| s.to_lowercase()));
        let resolved = self.refs(entity_type, seeds)?;
        let own = Self::ref_terms(&resolved);
        self.out.resolutions.push(Resolution {
            input: input.to_string(),
            entity_type: entity_type.map(str::to_string),
            resolved,
            expansion: Some(x.note),
        });
        Ok(Some(EntityMatch {
            own,
            set: Some(set),
            with: None,
        }))
    }

    /// For another corpus: what the vocabularies expand `seeds` to, written as entity terms
    /// of type `t`, with a note; `None` without an index, a vocabulary, or an expansion.
    pub(super) fn expanded_terms(
        &mut self,
        t: Option<&str>,
        seeds: &[String],
        mode: Mode,
    ) -> Result<Option<Vec<String>>> {
        let Some(x) = self.expand(t, mode, seeds)? else {
            return Ok(None);
        };
        self.note(format!(
            "expanded with the local index's vocabularies: {} ({} IDs written into the query; \
             `=` after the colon searches the ID alone)",
            x.note,
            x.ids.len()
        ));
        Ok(Some(
            x.ids
                .iter()
                .map(|id| entity_term(t, &id.to_lowercase()))
                .collect(),
        ))
    }

    /// A name resolved through a vocabulary (gene symbols and synonyms; MeSH names when
    /// `mode.mesh_names` is set): its IDs, expanded when a vocabulary expands them; `None` when
    /// no vocabulary knows the name.
    pub(super) fn vocab_name(
        &mut self,
        entity_type: Option<&str>,
        name: &str,
        mode: Mode,
    ) -> Result<Option<EntityMatch>> {
        let Some(ix) = self.index else {
            return Ok(None);
        };
        let Some(found) = resolve_name(ix.vocab, &self.request(entity_type, mode), name)? else {
            return Ok(None);
        };
        for w in found.warnings {
            self.note(w);
        }
        // A gene name is a Gene whatever field asked (`ortho:`).
        let entity_type = if mode.orthologs {
            Some("Gene")
        } else {
            entity_type
        };
        if self.corpus == Corpus::Other {
            if let Some(set) = self.expanded_terms(entity_type, &found.ids, mode)? {
                return Ok(Some(EntityMatch {
                    set: Some(set),
                    ..EntityMatch::default()
                }));
            }
            self.note(format!(
                "'{name}' resolved through the local index's vocabulary to {}",
                found.ids.join(", ")
            ));
            let own = found
                .ids
                .iter()
                .map(|id| entity_term(entity_type, &id.to_lowercase()))
                .collect();
            return Ok(Some(EntityMatch {
                own,
                ..EntityMatch::default()
            }));
        }
        if let Some(m) = self.expanded(entity_type, name, &found.ids, mode)? {
            return Ok(Some(m));
        }
        let resolved = self.refs(entity_type, &found.ids)?;
        for e in &resolved {
            self.target(Some(e.entity_type.clone()), e.id.to_lowercase());
            self.out.ranking.push(e.id.to_lowercase());
        }
        if resolved.is_empty() {
            self.note(format!(
                "'{name}' names {} in the vocabulary, which no document has",
                found.ids.join(", ")
            ));
        }
        let own = Self::ref_terms(&resolved);
        self.out.resolutions.push(Resolution {
            input: name.to_string(),
            entity_type: entity_type.map(str::to_string),
            resolved,
            expansion: None,
        });
        Ok(Some(EntityMatch {
            own,
            ..EntityMatch::default()
        }))
    }

    /// `mh:D009369` / `mh:Neoplasms` (PubMed's MeSH headings of a document) with the local
    /// index's MeSH: the heading and every descriptor under it, as PubMed's `[mh]` explodes.
    /// `None` without MeSH or when the value is neither a UI nor a name it knows.
    pub(super) fn mesh_heading(&mut self, value: &str) -> Result<Option<Leaf>> {
        let Some(ix) = self.index else {
            return Ok(None);
        };
        let Some(x) = mesh_heading_ids(ix.vocab, value, &self.taxa)? else {
            return Ok(None);
        };
        let value = value.trim().to_string();
        match self.corpus {
            Corpus::Local => self.out.resolutions.push(Resolution {
                input: format!("mh:{value}"),
                entity_type: None,
                resolved: Vec::new(),
                expansion: Some(x.note),
            }),
            Corpus::Other => self.note(format!(
                "expanded with the local index's vocabularies: mh:{value} {} ({} headings \
                 written into the query; mh:={value} searches the heading alone)",
                x.note,
                x.ids.len(),
            )),
        }
        Ok(Some(Leaf::MeshHeading { value, uis: x.ids }))
    }
}

/// The descriptor UIs `mh:VALUE` explodes to (`D009369`, lower layers' spelling without the
/// `MESH:` prefix).
fn mesh_heading_ids(
    vocab: &crate::vocab::Vocab,
    value: &str,
    taxa: &[u64],
) -> Result<Option<Expansion>> {
    let Some(mesh) = vocab.mesh()? else {
        return Ok(None);
    };
    let v = value.trim();
    let is_ui = v.len() > 1
        && matches!(v.as_bytes()[0], b'D' | b'd')
        && v[1..].bytes().all(|b| b.is_ascii_digit());
    let uis = if is_ui {
        vec![v.to_ascii_uppercase()]
    } else {
        mesh.lookup_name(v)
    };
    let seeds: Vec<String> = uis.iter().map(|u| format!("MESH:{u}")).collect();
    let request = Request {
        entity_type: None,
        mode: Mode::default(),
        taxa,
    };
    let Some(mut x) = expand_ids(vocab, &request, &seeds)? else {
        return Ok(None);
    };
    // PubMed's headings are descriptors: supplementary records are not among them (the
    // note's last part counts them).
    x.note = x
        .note
        .split("; ")
        .map(|n| n.rsplit_once(" + ").map_or(n, |(head, _)| head))
        .collect::<Vec<_>>()
        .join("; ");
    x.ids = x
        .ids
        .into_iter()
        .filter_map(|id| id.strip_prefix("MESH:").map(str::to_string))
        .filter(|ui| ui.starts_with('D'))
        .collect();
    Ok(Some(x))
}
