//! Hints for queries that probably do not say what their author meant: the closest valid
//! name for a misspelled one, and a fielded name split by spaces (`disease:breast cancer`,
//! read as `disease:breast AND cancer`) when the longer name is in the index.

use super::Resolver;
use crate::error::Result;
use crate::search::dictionary::{edit_distance, resolve_name};
use crate::search::query::ast::{Clause, Node};

/// The candidate closest to `name` (case-insensitive) within 2 edits, if any.
pub(super) fn closest<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = name.to_lowercase();
    candidates
        .filter_map(|c| Some((edit_distance(&lower, &c.to_lowercase(), 2)?, c)))
        .min()
        .map(|(_, c)| c)
}

/// Longest run of words after a fielded value that is tried as one name.
const MAX_NAME_WORDS: usize = 3;

/// Notes on the unquoted entity values of a conjunction that are followed by words that,
/// with them, form a name the index has for that type.
pub(super) fn split_names(r: &Resolver<'_>, children: &[Node]) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let Some(ix) = r.index else {
        return Ok(notes);
    };
    for (i, child) in children.iter().enumerate() {
        let Node::Clause(Clause::Term {
            field: Some(field),
            text,
            quoted: false,
            ..
        }) = child
        else {
            continue;
        };
        let words: Vec<&str> = children
            .iter()
            .skip(i + 1)
            .take(MAX_NAME_WORDS)
            .map_while(|n| match n {
                Node::Clause(Clause::Term {
                    field: None,
                    text,
                    quoted: false,
                    ..
                }) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        if words.is_empty() || text.contains(':') {
            continue;
        }
        let Some(entity_type) = r.resolve_type(&field.name)? else {
            continue;
        };
        for n in (1..=words.len()).rev() {
            let name = format!("{text} {}", words[..n].join(" "));
            if !resolve_name(ix.searcher, ix.fields, Some(&entity_type), &name)?.is_empty() {
                let rest = words[..n].join(" AND ");
                let note = format!(
                    "{f}:{name} is read as {f}:{text} AND {rest}; for the name write {f}:\"{name}\"",
                    f = field.name
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
                break;
            }
        }
    }
    Ok(notes)
}
