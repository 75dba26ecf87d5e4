//! Marking spans inside a string: ANSI colours on a terminal, `[brackets]` otherwise.

use crate::search::highlight::{HighlightSpan, SpanKind};

/// ANSI colour of an entity type: one of the six basic hues per canonical type (readable on
/// dark and light backgrounds), bright black for any other type.
pub fn type_color(entity_type: &str) -> &'static str {
    match entity_type {
        "Gene" => "\x1b[35m",
        "Disease" => "\x1b[31m",
        "Chemical" => "\x1b[32m",
        "Species" => "\x1b[36m",
        "Variant" => "\x1b[34m",
        "CellLine" => "\x1b[33m",
        // Kept types (OTHER, ABBR, ...): bright black, apart from the six above.
        _ => "\x1b[90m",
    }
}

/// Bold underlined in the terminal's own colour, for query terms: apart from every entity
/// type's colour.
pub const TERM_COLOR: &str = "\x1b[1;4m";
/// Dim, for annotations that were not queried.
pub const DIM: &str = "\x1b[2m";
/// Reset.
pub const RESET: &str = "\x1b[0m";
/// Bold.
pub const BOLD: &str = "\x1b[1m";

/// A span to mark, in chars of the text being rendered.
#[derive(Debug, Clone)]
pub struct Mark<'a> {
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The span (for its kind and type).
    pub span: &'a HighlightSpan,
    /// Dimmed (an annotation that was not queried).
    pub dim: bool,
}

/// Renders `text` with `marks` (overlaps: the earlier-starting span wins).
pub fn render(text: &str, marks: &mut [Mark<'_>], color: bool) -> String {
    marks.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.dim.cmp(&b.dim))
    });
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + marks.len() * 8);
    let mut pos = 0usize;
    for m in marks.iter() {
        if m.start < pos || m.end > chars.len() || m.start >= m.end {
            continue;
        }
        out.extend(&chars[pos..m.start]);
        let inner: String = chars[m.start..m.end].iter().collect();
        if color {
            let c = if m.dim {
                DIM
            } else {
                match m.span.kind {
                    SpanKind::Term => TERM_COLOR,
                    SpanKind::Entity => type_color(m.span.entity_type.as_deref().unwrap_or("")),
                }
            };
            out.push_str(c);
            if m.span.kind == SpanKind::Entity && !m.dim {
                out.push_str(BOLD);
            }
            out.push_str(&inner);
            out.push_str(RESET);
        } else if m.dim {
            out.push_str(&inner);
        } else {
            out.push('[');
            out.push_str(&inner);
            out.push(']');
        }
        pos = m.end;
    }
    if pos < chars.len() {
        out.extend(&chars[pos..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::DisplayField;

    #[test]
    fn plain_marks_use_brackets_and_skip_overlaps() {
        let s = HighlightSpan {
            field: DisplayField::Title,
            start: 0,
            end: 3,
            text: "PD1".into(),
            kind: SpanKind::Term,
            entity_type: None,
            entity_id: None,
        };
        let mut marks = vec![
            Mark {
                start: 0,
                end: 3,
                span: &s,
                dim: false,
            },
            Mark {
                start: 1,
                end: 2,
                span: &s,
                dim: false,
            },
        ];
        assert_eq!(render("PD1 αβ", &mut marks, false), "[PD1] αβ");
    }
}
