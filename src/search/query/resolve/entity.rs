//! Entity clauses resolved: `gene:5133`, `id:X`, `gene:PD1`, `@GENE_PDCD1`. An ID becomes its
//! typed entity terms, a name the IDs the mention dictionary (or a vocabulary) gives it, and a
//! vocabulary may expand either into a set of narrower IDs. Searching the local index, IDs are
//! narrowed to the terms it has and an unknown value is explained; for another corpus, IDs are
//! written as they are and names need the local index.

use super::{Corpus, EntityMatch, Resolver};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::pubtator::ids::{canonical_id, normalize_id, CANONICAL_TYPES};
use crate::pubtator::variant::{pubtator3_variant, variant_key};
use crate::search::dictionary::EntityRef;
use crate::search::dictionary::{edit_distance, similar_names};
use crate::vocab::expand::Mode;

/// What a name was read as.
enum Named {
    /// A vocabulary's name, resolved and expanded.
    Vocab(EntityMatch),
    /// The IDs the mention dictionary gives it (none: an unknown name).
    Mentions(Vec<EntityRef>),
}

impl Resolver<'_> {
    /// An entity clause of type `entity_type` (or any type) with value `value`.
    pub(super) fn entity(
        &mut self,
        entity_type: Option<String>,
        value: &str,
        pos: usize,
        mode: Mode,
    ) -> Result<EntityMatch> {
        let value = value.trim();
        if let Some(at) = value.strip_prefix('@') {
            return self.at(at, pos);
        }
        let t = entity_type.as_deref();
        match self.corpus {
            Corpus::Local => self.entity_local(t, value, mode),
            Corpus::Other => self.entity_other(t, value, mode, pos),
        }
    }

    /// An entity clause searching the local index.
    fn entity_local(&mut self, t: Option<&str>, value: &str, mode: Mode) -> Result<EntityMatch> {
        if mode.mesh_names {
            // `mh:Neoplasms`: a MeSH name or entry term first.
            if let Some(m) = self.vocab_name(t, value, mode)? {
                return Ok(m);
            }
        }
        // A variant in any spelling (`RS#:N`, `p.Val600Glu`, `tmVar:p|SUB|V|600|E`) is read as
        // the form ingest indexes.
        let variant = t
            .filter(|t| *t == "Variant")
            .and_then(|_| variant_key(value));
        let id = variant.unwrap_or_else(|| normalize_id(value));
        let mut lid = id.to_lowercase();
        let mut known = self.id_terms(t, &lid)?;
        if known.is_empty() {
            // A typed part as written, e.g. `variant:Gene:3043` (a tmVar ID part), is kept
            // verbatim at ingest: look it up before treating the value as a name.
            let verbatim = canonical_id(value).to_lowercase();
            if verbatim != lid {
                let found = self.id_terms(t, &verbatim)?;
                if !found.is_empty() {
                    (lid, known) = (verbatim, found);
                }
            }
        }
        if !known.is_empty() || looks_like_id(value, &id) {
            // An ID a vocabulary expands (even one no document has: narrower ones may).
            if let Some(m) = self.expanded(t, value, std::slice::from_ref(&id), mode)? {
                return Ok(m);
            }
        }
        if !known.is_empty() {
            self.target(t.map(str::to_string), lid.clone());
            self.out.ranking.push(lid);
            return Ok(EntityMatch {
                own: known,
                ..EntityMatch::default()
            });
        }
        let found = match self.by_name(t, value, mode)? {
            Named::Vocab(m) => return Ok(m),
            Named::Mentions(found) => found,
        };
        if found.is_empty() {
            // Neither a known ID nor a known name: nothing matches; say why.
            self.explain_unknown(t, value, &id)?;
            return Ok(EntityMatch::default());
        }
        let seeds: Vec<String> = found.iter().map(|e| e.id.clone()).collect();
        if let Some(m) = self.expanded(t, value, &seeds, mode)? {
            return Ok(m);
        }
        for e in &found {
            self.target(Some(e.entity_type.clone()), e.id.to_lowercase());
            self.out.ranking.push(e.id.to_lowercase());
        }
        Ok(EntityMatch {
            own: Self::ref_terms(&found),
            ..EntityMatch::default()
        })
    }

    /// An entity clause for another corpus: an ID as the export writes it, whatever the
    /// local index holds; a name resolved through the local index.
    fn entity_other(
        &mut self,
        t: Option<&str>,
        value: &str,
        mode: Mode,
        pos: usize,
    ) -> Result<EntityMatch> {
        // A variant in any spelling is read as the form ingest indexes (as `search` does).
        let variant = t
            .filter(|t| *t == "Variant")
            .and_then(|_| variant_key(value));
        let is_variant = variant.is_some();
        let id = variant.unwrap_or_else(|| normalize_id(value));
        let lid = id.to_lowercase();
        let is_id = is_variant || looks_like_id(value, &id);
        let index_has_it = !is_id && !self.id_terms(t, &lid)?.is_empty();
        if is_id || index_has_it {
            // An ID: its term as the export writes it (untyped for any type), whatever the local
            // index holds; a typed part as written (`variant:Gene:3043`) is kept verbatim at
            // ingest, so that form is searched too.
            if index_has_it {
                self.note(format!(
                    "approximate: '{value}' is read as an ID because the local index has it as \
                     one (a corpus where it is only a name would need it resolved)"
                ));
            }
            let verbatim = canonical_id(value).to_lowercase();
            let mut own = vec![entity_term(t, &lid)];
            let other = entity_term(t, &verbatim);
            if !own.contains(&other) {
                own.push(other);
            }
            let set = self.expanded_terms(t, std::slice::from_ref(&id), mode)?;
            self.out.ranking.push(lid);
            return Ok(EntityMatch {
                own,
                set,
                with: None,
            });
        }
        if self.index.is_none() {
            let clause = match t {
                Some(t) => format!("{}:{value}", t.to_lowercase()),
                None => format!("id:{value}"),
            };
            return Err(self.needs_index(&clause, value, pos));
        }
        let found = match self.by_name(t, value, mode)? {
            Named::Vocab(m) => return Ok(m),
            Named::Mentions(found) => found,
        };
        if found.is_empty() {
            return Ok(EntityMatch {
                own: vec![entity_term(t, &lid)],
                ..EntityMatch::default()
            });
        }
        let seeds: Vec<String> = found.iter().map(|e| e.id.clone()).collect();
        if let Some(set) = self.expanded_terms(t, &seeds, mode)? {
            self.out
                .ranking
                .extend(seeds.iter().map(|s| s.to_lowercase()));
            return Ok(EntityMatch {
                set: Some(set),
                ..EntityMatch::default()
            });
        }
        self.out
            .ranking
            .extend(found.iter().map(|e| e.id.to_lowercase()));
        Ok(EntityMatch {
            own: Self::ref_terms(&found),
            ..EntityMatch::default()
        })
    }

    /// A value that is no ID, read as a name: a gene vocabulary's symbol or synonym first (for
    /// a gene clause), then the names of the index's mentions, then a MeSH name or entry term
    /// no mention spells.
    fn by_name(&mut self, t: Option<&str>, value: &str, mode: Mode) -> Result<Named> {
        if mode.orthologs || t == Some("Gene") {
            // Gene symbols and synonyms of `gene_info`, when loaded, before the index's mentions.
            if let Some(m) = self.vocab_name(t, value, mode)? {
                return Ok(Named::Vocab(m));
            }
        }
        let found = self.resolve_name(t, value)?;
        if found.is_empty() {
            let mesh = Mode {
                mesh_names: true,
                ..mode
            };
            if let Some(m) = self.vocab_name(t, value, mesh)? {
                return Ok(Named::Vocab(m));
            }
        }
        Ok(Named::Mentions(found))
    }

    /// Warns why an entity clause matches nothing: an ID no document has, or a name the
    /// dictionary does not know (with the closest names of that type).
    pub(super) fn explain_unknown(
        &mut self,
        entity_type: Option<&str>,
        value: &str,
        id: &str,
    ) -> Result<()> {
        let what = entity_type.map_or("entity".to_string(), str::to_lowercase);
        if looks_like_id(value, id) {
            let shown = if id == value {
                format!("'{value}'")
            } else {
                format!("'{value}' (read as {id})")
            };
            // The ID under another type (`disease:D007454` annotated as a Chemical): name it.
            let mut elsewhere: Vec<String> = Vec::new();
            if let Some(t) = entity_type {
                let lower = id.to_lowercase();
                for other in self.index_types()?.to_vec() {
                    if !other.eq_ignore_ascii_case(t)
                        && !self.id_terms(Some(&other), &lower)?.is_empty()
                    {
                        elsewhere.push(format!("{}:{value}", other.to_lowercase()));
                    }
                }
            }
            if elsewhere.is_empty() {
                self.note(format!("no document has {what} ID {shown}"));
            } else {
                self.note(format!(
                    "no document has {what} ID {shown}; it is annotated under another type: try {}",
                    elsewhere.join(" or ")
                ));
            }
            return Ok(());
        }
        let Some(ix) = self.index else { return Ok(()) };
        let similar = similar_names(ix.searcher, ix.fields, entity_type, value, 2, 5)?;
        let mut message =
            format!("{what} '{value}' is neither an ID nor an annotated name in the index");
        if !similar.is_empty() {
            let list: Vec<String> = similar
                .iter()
                .map(|(name, e)| {
                    format!(
                        "{name} ({} {}, {})",
                        e.entity_type,
                        e.id,
                        crate::names::counted(e.documents, "document")
                    )
                })
                .collect();
            message.push_str(&format!("; did you mean {}?", list.join(", ")));
        }
        self.note(message);
        Ok(())
    }

    /// `@GENE_PDCD1` → (Gene, "PDCD1"); `@CELLLINE_CVCL_0030` → (CellLine, "CVCL_0030"): the
    /// part after the type is an ID or a name with `_` for spaces.
    pub(super) fn split_at(&self, text: &str, pos: usize) -> Result<(String, String)> {
        let Some((t, rest)) = text.split_once('_') else {
            return Err(self.err(
                pos,
                "expected @TYPE_ID or @TYPE_Name, e.g. @GENE_673 or @GENE_PDCD1",
            ));
        };
        let Some(t) = self.resolve_type(t)? else {
            let known = CANONICAL_TYPES.map(str::to_uppercase);
            let hint = match self.corpus {
                Corpus::Local => closest_type(t)
                    .map(|k| format!(" (did you mean @{}_...?)", k.to_uppercase()))
                    .unwrap_or_default(),
                Corpus::Other => String::new(),
            };
            return Err(self.err(
                pos,
                format!(
                    "unknown entity type '{t}' in @{text}{hint}; known: {}",
                    known.join(", ")
                ),
            ));
        };
        Ok((t, rest.to_string()))
    }

    /// `@TYPE_ID` or `@TYPE_Name_With_Underscores` (PubTator3's forms): an ID of the type when
    /// it is one, else a name resolved through the dictionary (`_` read as spaces).
    pub(super) fn at(&mut self, text: &str, pos: usize) -> Result<EntityMatch> {
        let (t, rest) = self.split_at(text, pos)?;
        let id = normalize_id(&rest);
        let is_id = match self.corpus {
            Corpus::Local => {
                if t == "Variant" {
                    if let Some((hgvs, symbol)) = pubtator3_variant(&rest) {
                        return self.pubtator3_variant(&hgvs, symbol.as_deref(), pos);
                    }
                }
                !self.id_terms(Some(&t), &id.to_lowercase())?.is_empty()
            }
            Corpus::Other => {
                looks_like_id(&rest, &id)
                    || match self.index {
                        Some(_) => !self.id_terms(Some(&t), &id.to_lowercase())?.is_empty(),
                        None => return Err(self.needs_index(&format!("@{text}"), &rest, pos)),
                    }
            }
        };
        // PubTator3's `@GENE_` is the gene in every species: with an ortholog table, so is ours.
        let mode = Mode {
            orthologs: t == "Gene",
            ..Mode::default()
        };
        if is_id {
            return self.entity(Some(t), &rest, pos, mode);
        }
        self.entity(Some(t), &rest.replace('_', " "), pos, mode)
    }

    /// PubTator3's `@VARIANT_p.V600E_BRAF_human`: the variant (`variant:p.V600E`) in a document
    /// with the gene (`gene:BRAF`, resolved through the dictionary; a variant's gene link
    /// counts), or the variant alone when the index does not know the gene's name.
    fn pubtator3_variant(
        &mut self,
        hgvs: &str,
        symbol: Option<&str>,
        pos: usize,
    ) -> Result<EntityMatch> {
        let mut variant = self.entity(Some("Variant".to_string()), hgvs, pos, Mode::default())?;
        let Some(symbol) = symbol else {
            return Ok(variant);
        };
        let genes = self.resolve_name(Some("Gene"), symbol)?;
        if genes.is_empty() {
            self.note(format!(
                "gene '{symbol}' of @VARIANT_{hgvs}_{symbol} is not an annotated name in the \
                 index: searching the variant alone"
            ));
            return Ok(variant);
        }
        variant.with = Some(Box::new(EntityMatch {
            own: Self::ref_terms(&genes),
            ..EntityMatch::default()
        }));
        Ok(variant)
    }
}

/// True when `value` is written as an identifier rather than a name: digits, a namespace
/// prefix (`MESH:`, `CVCL_`, `rs`), or a form that normalizes to another spelling.
pub(super) fn looks_like_id(value: &str, id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    id != value
        || value.bytes().all(|b| b.is_ascii_digit())
        || (value.contains(':') && !value.contains(' '))
        || lower
            .strip_prefix("rs")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The canonical type closest to a misspelled type name.
fn closest_type(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    CANONICAL_TYPES
        .iter()
        .copied()
        .filter_map(|t| Some((edit_distance(&lower, &t.to_ascii_lowercase(), 2)?, t)))
        .min()
        .map(|(_, t)| t)
}
