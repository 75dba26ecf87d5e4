//! Relation clauses resolved: `rel:TYPE|E1|E2` becomes the relation keys TYPE stands for (a
//! PubTator3 verb such as `treat` maps to the BioRED/CDR types of the same meaning) and, for
//! each argument, the argument forms of the index's relation terms (`*`, `t:disease`,
//! `i:mesh:d009369`) with the typed entity term an argument of a named type also requires.

use super::{ArgForm, Corpus, IndexView, RelationMatch, Resolver, ANY_RELATION};
use crate::error::Result;
use crate::index::schema::entity_term;
use crate::pubtator::ids::{normalize_id, relation_key, relation_verb_types};
use crate::search::query::compile::{EntityTarget, Resolution};
use crate::vocab::expand::Mode;

impl Resolver<'_> {
    /// `rel:TYPE|E1|E2` (`value` is what follows the colon).
    pub(super) fn relation(&mut self, value: &str, pos: usize) -> Result<RelationMatch> {
        let mut parts = value.splitn(3, '|');
        let rel_type = match parts.next().unwrap_or("").trim() {
            // `rel:*|…`: any type, as the arguments' `*`.
            "*" => "ANY",
            t => t,
        };
        if rel_type.is_empty() {
            return Err(self.err(
                pos,
                "expected rel:TYPE|E1|E2 (TYPE may be ANY or *, E1/E2 may be * )",
            ));
        }
        let keys = self.relation_keys_for(rel_type)?;
        let a = parts.next().unwrap_or("*");
        let b = parts.next().unwrap_or("*");
        let fa = self.relation_arg(a, pos)?;
        let fb = self.relation_arg(b, pos)?;
        Ok(RelationMatch {
            rel_type: rel_type.to_string(),
            keys,
            sides: [fa, fb],
            pos,
        })
    }

    /// The forms one argument of `rel:` stands for.
    fn relation_arg(&mut self, arg: &str, pos: usize) -> Result<Vec<ArgForm>> {
        let arg = arg.trim();
        if arg.is_empty() || arg == "*" {
            return Ok(vec![("*".to_string(), None)]);
        }
        if !arg.starts_with('@') {
            if let Some(t) = self.resolve_type(arg)? {
                self.out.targets.push(EntityTarget::Type(t.clone()));
                return Ok(vec![(format!("t:{}", t.to_lowercase()), None)]);
            }
        }
        let (t, value) = match arg.strip_prefix('@') {
            // `@GENE_673`, `@DISEASE_Breast_Neoplasms`
            Some(at) => {
                let (t, rest) = self.split_at(at, pos)?;
                (Some(t), rest)
            }
            None => match arg.split_once(':') {
                Some((prefix, rest)) => match self.resolve_type(prefix)? {
                    Some(t) => (Some(t), rest.to_string()),
                    None => (None, arg.to_string()),
                },
                None => (None, arg.to_string()),
            },
        };
        let ids = match self.corpus {
            Corpus::Local => self.arg_ids_local(arg, t, value)?,
            Corpus::Other => self.arg_ids_other(arg, t, value, pos)?,
        };
        let mut forms = Vec::new();
        for (t, id) in ids {
            let lid = id.to_lowercase();
            self.target(t.clone(), lid.clone());
            // The index holds relation terms over bare IDs; a typed argument also requires the
            // document to carry that ID under that type.
            let typed = t.map(|t| entity_term(Some(&t), &lid));
            forms.push((format!("i:{lid}"), typed));
        }
        Ok(forms)
    }

    /// The IDs of an argument searching the local index: the ID when the index has it, else
    /// the IDs its name resolves to (or the ID, explained); with what vocabularies expand
    /// them to. `disease:=D009369` is that ID only.
    fn arg_ids_local(
        &mut self,
        arg: &str,
        t: Option<String>,
        value: String,
    ) -> Result<Vec<(Option<String>, String)>> {
        let (value, literal) = match value.strip_prefix('=') {
            Some(v) if !v.is_empty() => (v.to_string(), true),
            _ => (value, false),
        };
        let id = normalize_id(&value);
        let ids = self.arg_ids(arg, t, &value, id)?;
        let mut out = Vec::new();
        for (t, id) in ids {
            let Some(x) = self.expand_arg(t.as_deref(), literal, &id)? else {
                out.push((t, id));
                continue;
            };
            self.out.resolutions.push(Resolution {
                input: value.clone(),
                entity_type: t.clone(),
                resolved: Vec::new(),
                expansion: Some(x.note),
            });
            out.extend(x.ids.into_iter().map(|i| (t.clone(), i)));
        }
        Ok(out)
    }

    /// The IDs of an argument for another corpus: an ID as written, a name resolved through
    /// the local index (refused without one); with what vocabularies expand them to.
    fn arg_ids_other(
        &mut self,
        arg: &str,
        t: Option<String>,
        value: String,
        pos: usize,
    ) -> Result<Vec<(Option<String>, String)>> {
        let id = normalize_id(&value);
        let ids = if super::entity::looks_like_id(&value, &id) {
            vec![(t, id)]
        } else if self.index.is_none() {
            return Err(self.needs_index(arg, &value, pos));
        } else {
            self.arg_ids(arg, t, &value, id)?
        };
        // `disease:=D009369`: that ID only; otherwise what the vocabularies expand it to.
        let literal = value.starts_with('=');
        let mut all = Vec::new();
        for (t, id) in ids {
            let id = id.strip_prefix('=').map_or(id.clone(), normalize_id);
            match self.expand_arg(t.as_deref(), literal, &id)? {
                Some(x) => {
                    self.note(format!(
                        "expanded with the local index's vocabularies: {} ({} IDs written into \
                         the relation terms)",
                        x.note,
                        x.ids.len()
                    ));
                    all.extend(x.ids.into_iter().map(|i| (t.clone(), i)));
                }
                None => all.push((t, id)),
            }
        }
        Ok(all)
    }

    /// The IDs of an argument `value` (of type `t`, read as `id`): the ID when the local
    /// index has it, else the IDs its name resolves to (`_` read as spaces in an `@` form),
    /// or the ID when none (searching the local index, explained).
    fn arg_ids(
        &mut self,
        arg: &str,
        t: Option<String>,
        value: &str,
        id: String,
    ) -> Result<Vec<(Option<String>, String)>> {
        if !self.id_terms(t.as_deref(), &id.to_lowercase())?.is_empty() {
            return Ok(vec![(t, id)]);
        }
        let name = if arg.starts_with('@') {
            value.replace('_', " ")
        } else {
            value.to_string()
        };
        let found = self.resolve_name(t.as_deref(), &name)?;
        let mut ids = Vec::new();
        if found.is_empty() {
            if self.corpus == Corpus::Local {
                self.explain_unknown(t.as_deref(), &name, &id)?;
            }
            ids.push((t, id));
        }
        ids.extend(found.into_iter().map(|e| (Some(e.entity_type), e.id)));
        Ok(ids)
    }

    /// What the local index's vocabularies expand one argument ID to.
    fn expand_arg(
        &self,
        entity_type: Option<&str>,
        literal: bool,
        id: &str,
    ) -> Result<Option<crate::vocab::expand::Expansion>> {
        let mode = Mode {
            literal,
            ..Mode::default()
        };
        self.expand(entity_type, mode, &[id.to_string()])
    }

    /// The relation keys a `rel:` type stands for. Searching the local index: its own key
    /// when the index has it; else, for a PubTator3 verb (`treat`), the BioRED/CDR types of
    /// the same meaning the index has (with a note); else nothing, with a note listing the
    /// index's types. For another corpus: the same with a local index, except that a type it
    /// lacks is written as is; without one, the type and every type of the verb's meaning.
    pub(super) fn relation_keys_for(&mut self, rel_type: &str) -> Result<Vec<String>> {
        let key = relation_key(rel_type);
        if key == ANY_RELATION {
            return Ok(vec![key]);
        }
        let mapped: Vec<String> = relation_verb_types(&key)
            .iter()
            .map(|t| relation_key(t))
            .collect();
        if self.index.is_none() {
            let mut keys = vec![key];
            for k in mapped {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            if keys.len() > 1 {
                self.note(format!(
                    "without an index, the verb '{rel_type}' is searched as {} (ptsearch \
                     searches the verb's own type when the index has it, else the others)",
                    keys.join(" or ")
                ));
            }
            return Ok(keys);
        }
        let have = self.relation_keys()?.to_vec();
        if have.contains(&key) {
            return Ok(vec![key]);
        }
        let mapped: Vec<String> = mapped.into_iter().filter(|k| have.contains(k)).collect();
        match self.corpus {
            Corpus::Local => self.note_mapped_local(rel_type, &mapped)?,
            Corpus::Other if mapped.is_empty() => {
                self.note(format!(
                    "approximate: the local index has no relation of type '{rel_type}' \
                     (ptsearch finds nothing there); translated as written"
                ));
                // Matches nothing in the index; in a larger Quickwit corpus, the type as
                // written.
                return Ok(vec![key]);
            }
            Corpus::Other => self.note(format!(
                "approximate: the local index has no relation of type '{rel_type}'; searching \
                 {} (the same meaning), as ptsearch does there",
                mapped.join(" or ")
            )),
        }
        Ok(mapped)
    }

    /// The note on a relation type the local index lacks: the types searched instead (named
    /// as the index's files write them), or the types it has.
    fn note_mapped_local(&mut self, rel_type: &str, mapped: &[String]) -> Result<()> {
        let names = self.relation_type_names()?;
        let display = |k: &str| {
            names
                .iter()
                .find(|n| relation_key(n) == k)
                .cloned()
                .unwrap_or_else(|| k.to_string())
        };
        if mapped.is_empty() {
            let list = if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            };
            self.note(format!(
                "the index has no relation of type '{rel_type}'; its relation types: {list}"
            ));
        } else {
            let shown: Vec<String> = mapped.iter().map(|k| display(k)).collect();
            self.note(format!(
                "the index has no relation of type '{rel_type}'; searching {} (the same meaning)",
                shown.join(" or ")
            ));
        }
        Ok(())
    }
}

/// The relation keys (`negative_correlation`, ...) the relation type `rel_type` stands for in
/// the index seen by `searcher`, read as `rel:` reads it (a PubTator3 verb such as `treat`
/// maps to the BioRED/CDR types of the same meaning the index has), with the notes `rel:`
/// would give; `any` stands for every type. Relation partners filter by these keys.
pub fn relation_type_keys(
    rel_type: &str,
    searcher: &tantivy::Searcher,
    fields: &crate::index::schema::Fields,
) -> Result<(Vec<String>, Vec<String>)> {
    let none = crate::vocab::Vocab::none();
    let view = IndexView {
        searcher,
        fields,
        vocab: &none,
    };
    let mut resolver = Resolver::new(rel_type, Some(view), Corpus::Local);
    let keys = resolver.relation_keys_for(rel_type)?;
    Ok((keys, std::mem::take(&mut resolver.out.notes)))
}
