//! Highlight markup: a text plus character-offset spans rendered as nested `<mark>` elements.
//!
//! Where it sits in the flow: the results (`results.rs`) and the document view (`document.rs`)
//! hand it the library's highlight spans (`search::highlight`), whose offsets count Unicode
//! scalar values. The text is cut at byte offsets computed by walking `char_indices()` once,
//! so no offset is ever used on UTF-16 (as JavaScript would) or on bytes; every piece of text
//! goes through maud's escaping.

use super::palette::type_class;
use maud::{html, Markup, PreEscaped};

/// One span to mark, in characters of the text it is rendered over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Start (chars, inclusive).
    pub start: usize,
    /// End (chars, exclusive).
    pub end: usize,
    /// `None` for a query term; the canonical type for an entity mention.
    pub entity_type: Option<String>,
    /// The annotation's IDs, for entities.
    pub entity_id: Option<String>,
    /// Extra hover text (e.g. the annotation's source).
    pub note: Option<String>,
}

impl Mark {
    fn is_entity(&self) -> bool {
        self.entity_type.is_some()
    }
}

/// Renders `text` with `marks` (any order, possibly overlapping). Marks are nested when one
/// lies inside another; a mark that crosses the end of an enclosing one is cut there; empty or
/// out-of-range marks are ignored. Entities enclose terms at equal ranges.
pub fn render(text: &str, marks: &[Mark]) -> Markup {
    // Byte offset of every char boundary: bounds[i] is where char i starts, bounds[n] = len.
    let mut bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bounds.push(text.len());
    let n = bounds.len() - 1;
    let mut sorted: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.start < m.end && m.end <= n)
        .collect();
    sorted.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(b.is_entity().cmp(&a.is_entity()))
    });
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    emit(text, &bounds, &sorted, &mut i, 0, n, &mut out);
    PreEscaped(out)
}

/// Writes chars `[from, to)` with the marks `sorted[*i..]` that start before `to`, advancing
/// `*i` past every mark consumed.
fn emit(
    text: &str,
    bounds: &[usize],
    sorted: &[&Mark],
    i: &mut usize,
    from: usize,
    to: usize,
    out: &mut String,
) {
    let slice = |a: usize, b: usize| -> &str {
        match (bounds.get(a), bounds.get(b)) {
            (Some(&x), Some(&y)) if x <= y => text.get(x..y).unwrap_or(""),
            _ => "",
        }
    };
    let mut at = from;
    while let Some(m) = sorted.get(*i) {
        if m.start >= to {
            break;
        }
        *i += 1;
        if m.start < at {
            // Overlaps text already written (a crossing mark): skip it.
            continue;
        }
        out.push_str(&html! { (slice(at, m.start)) }.into_string());
        let end = m.end.min(to);
        out.push_str(&open(m).into_string());
        emit(text, bounds, sorted, i, m.start, end, out);
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&html! { (slice(at, to)) }.into_string());
}

/// The opening tag of a mark (everything interpolated is escaped by maud).
fn open(m: &Mark) -> Markup {
    match &m.entity_type {
        None => PreEscaped("<mark class=\"term\">".to_string()),
        Some(t) => {
            let id = m.entity_id.as_deref().unwrap_or("");
            let mut hover = if id.is_empty() {
                format!("{t} (no ID)")
            } else {
                format!("{t} · {id}")
            };
            if let Some(note) = &m.note {
                hover.push_str(" · ");
                hover.push_str(note);
            }
            let class = format!("ent {}", type_class(t));
            // maud writes an element with its closing tag; keep only the opening one.
            let full = html! { mark class=(class) data-type=(t) data-id=(id) title=(hover) {} }
                .into_string();
            PreEscaped(full.trim_end_matches("</mark>").to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(start: usize, end: usize) -> Mark {
        Mark {
            start,
            end,
            entity_type: None,
            entity_id: None,
            note: None,
        }
    }

    fn ent(start: usize, end: usize, t: &str, id: &str) -> Mark {
        Mark {
            start,
            end,
            entity_type: Some(t.into()),
            entity_id: Some(id.into()),
            note: None,
        }
    }

    #[test]
    fn offsets_are_characters_not_bytes_or_utf16() {
        // β (2 bytes), – (3 bytes), 𝛼 (4 bytes, 2 UTF-16 units) before the span.
        let text = "β–𝛼 BRAF x";
        let html = render(text, &[ent(4, 8, "Gene", "673")]).into_string();
        assert_eq!(
            html,
            "β–𝛼 <mark class=\"ent t-Gene\" data-type=\"Gene\" data-id=\"673\" \
             title=\"Gene · 673\">BRAF</mark> x"
        );
    }

    #[test]
    fn nests_terms_inside_entities_and_cuts_crossing_marks() {
        let html = render(
            "ab cd ef",
            &[term(3, 5), ent(0, 5, "Disease", "D1"), term(4, 8)],
        )
        .into_string();
        assert!(html.starts_with("<mark class=\"ent t-Disease\""));
        // term(4, 8) crosses the end of term(3, 5) and of the entity: cut at 5, nested.
        assert!(
            html.contains(
                ">ab <mark class=\"term\">c<mark class=\"term\">d</mark></mark></mark> ef"
            ),
            "{html}"
        );
    }

    #[test]
    fn escapes_text_and_attributes() {
        let html = render(
            "<script>alert(1)</script>",
            &[ent(0, 8, "\"onmouseover=alert(1) x=\"", "<b>")],
        )
        .into_string();
        assert!(!html.contains("<script>"));
        assert!(!html.contains("\"onmouseover"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("t-other"));
    }

    #[test]
    fn ignores_out_of_range_and_empty_marks() {
        let html = render("abc", &[term(2, 9), term(1, 1)]).into_string();
        assert_eq!(html, "abc");
    }
}
