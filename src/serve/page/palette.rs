//! Colours of the search page, one per entity type, and the WCAG contrast check they pass.
//!
//! Where it sits in the flow: the page's stylesheet (`assets.rs`) appends the CSS rules
//! generated here to the static `page.css`, so the colours used by highlights, the legend and
//! the document view have one source; the unit test below proves every text/background pair
//! reaches a contrast of at least 4.5:1 (WCAG AA for normal text).

use crate::pubtator::ids::CANONICAL_TYPES;

/// Text colour on every highlight background.
pub const MARK_TEXT: &str = "#1a1a1a";
/// Page background.
pub const PAGE_BG: &str = "#ffffff";
/// Body text.
pub const PAGE_TEXT: &str = "#1f2328";
/// Links.
pub const LINK: &str = "#0b4fa8";
/// Secondary text (counts, metadata).
pub const MUTED: &str = "#57606a";
/// Query-term highlight background.
pub const TERM_BG: &str = "#fff06b";
/// Background of an entity type that is not one of the canonical types.
pub const OTHER_BG: &str = "#e4e4e4";

/// Highlight background per canonical type, in [`CANONICAL_TYPES`] order.
pub const TYPE_BG: [(&str, &str); 6] = [
    ("Gene", "#bcd9ff"),
    ("Disease", "#ffc9c9"),
    ("Chemical", "#c3efbd"),
    ("Species", "#ead0ff"),
    ("Variant", "#ffdca3"),
    ("CellLine", "#b9ecec"),
];

/// The CSS class of a type's marks: `t-Gene` for canonical types, `t-other` otherwise (type
/// names from the index are untrusted and never become class names).
pub fn type_class(entity_type: &str) -> &'static str {
    match CANONICAL_TYPES.iter().position(|t| *t == entity_type) {
        Some(0) => "t-Gene",
        Some(1) => "t-Disease",
        Some(2) => "t-Chemical",
        Some(3) => "t-Species",
        Some(4) => "t-Variant",
        Some(5) => "t-CellLine",
        _ => "t-other",
    }
}

/// The class that hides a type's colours when its toggle is off (`hide-Gene`).
pub fn hide_class(entity_type: &str) -> Option<String> {
    let class = type_class(entity_type);
    (class != "t-other").then(|| format!("hide-{}", &class[2..]))
}

/// CSS rules for the type colours and their toggles.
pub fn css() -> String {
    let mut out = String::from("/* generated from src/serve/page/palette.rs */\n");
    for (t, bg) in TYPE_BG {
        out.push_str(&format!(
            ".t-{t}{{background:{bg};color:{MARK_TEXT}}}\n\
             .hide-{t} mark.t-{t}{{background:none;color:inherit;border-bottom:none}}\n\
             circle.t-{t}{{fill:{bg}}}\n"
        ));
    }
    out.push_str(&format!(
        ".t-other{{background:{OTHER_BG};color:{MARK_TEXT}}}\n\
         circle.t-other{{fill:{OTHER_BG}}}\n\
         mark.term{{background:{TERM_BG};color:{MARK_TEXT}}}\n\
         body{{background:{PAGE_BG};color:{PAGE_TEXT}}}\n\
         a{{color:{LINK}}}\n\
         .muted{{color:{MUTED}}}\n"
    ));
    out
}

/// Parses `#rrggbb`.
fn rgb(hex: &str) -> Option<[u8; 3]> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
    Some([c(0)?, c(2)?, c(4)?])
}

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21); `None` for a malformed colour.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(rgb(a)?), luminance(rgb(b)?));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_formula_matches_known_values() {
        let bw = contrast("#000000", "#ffffff").unwrap();
        assert!((bw - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#ffffff").unwrap() - 4.48).abs() < 0.01);
        assert_eq!(contrast("#fff", "#000000"), None);
    }

    #[test]
    fn every_text_background_pair_reaches_aa() {
        let mut pairs: Vec<(&str, &str, &str)> =
            TYPE_BG.iter().map(|(t, bg)| (*t, MARK_TEXT, *bg)).collect();
        pairs.extend([
            ("other", MARK_TEXT, OTHER_BG),
            ("term", MARK_TEXT, TERM_BG),
            ("body", PAGE_TEXT, PAGE_BG),
            ("link", LINK, PAGE_BG),
            ("muted", MUTED, PAGE_BG),
            // A hidden type's mention keeps the page's text colour on the page background.
            ("hidden", PAGE_TEXT, PAGE_BG),
        ]);
        for (what, fg, bg) in pairs {
            let c = contrast(fg, bg).unwrap();
            assert!(c >= 4.5, "{what}: {fg} on {bg} has contrast {c:.2}");
        }
    }

    #[test]
    fn every_canonical_type_has_a_colour_and_class() {
        for (i, t) in CANONICAL_TYPES.iter().enumerate() {
            assert_eq!(TYPE_BG[i].0, *t);
            assert_eq!(type_class(t), format!("t-{t}"));
        }
        assert_eq!(type_class("<script>"), "t-other");
        assert_eq!(hide_class("<x>"), None);
        assert_eq!(hide_class("Gene").as_deref(), Some("hide-Gene"));
    }
}
