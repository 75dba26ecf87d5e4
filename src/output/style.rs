//! How text output looks on the reader's terminal, the last touch of the read side: a
//! [`TextStyle`] (colours, OSC 8 hyperlinks, wrap width) chosen by the CLI from the terminal,
//! [`wrap`] to fill lines to that width without counting escape sequences, and the link
//! targets of entity IDs ([`entity_url`]; a document's is [`TextStyle::pubmed_url`]).

use unicode_width::UnicodeWidthChar;

/// How `text` output is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextStyle {
    /// ANSI colours and bold marks (else `[brackets]` mark spans).
    pub color: bool,
    /// OSC 8 hyperlinks on document and entity IDs.
    pub links: bool,
    /// Wrap lines to this many columns (`None`: one line per paragraph).
    pub width: Option<usize>,
    /// Show each hit's evidence sentences.
    pub evidence: bool,
    /// The sources whose document IDs are not PMIDs (their documents get no PubMed link).
    pub local_ids: crate::index::commit::LocalIds,
}

impl TextStyle {
    /// The PubMed page of `doc`, when its ID is a PMID.
    pub fn pubmed_url(&self, doc: &crate::pubtator::Document) -> Option<String> {
        self.local_ids.pubmed_url(doc)
    }
}

/// Narrowest width worth wrapping to; below it lines are left as they are.
const MIN_WIDTH: usize = 30;

/// `text` with an OSC 8 hyperlink to `url` when `links` is set, else `text` as is.
pub fn link(text: &str, url: Option<&str>, links: bool) -> String {
    match url {
        Some(u) if links => format!("\x1b]8;;{u}\x1b\\{text}\x1b]8;;\x1b\\"),
        _ => text.to_string(),
    }
}

/// The reference page of a normalized entity ID: NCBI Gene, MeSH, NCBI Taxonomy, dbSNP,
/// Cellosaurus; `None` for IDs of other forms.
pub fn entity_url(entity_type: &str, id: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
    let word =
        |s: &str| !s.is_empty() && s.len() <= 16 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if let Some(ui) = id.strip_prefix("MESH:") {
        return word(ui).then(|| format!("https://meshb.nlm.nih.gov/record/ui?ui={ui}"));
    }
    if let Some(rs) = id.strip_prefix("rs") {
        return digits(rs).then(|| format!("https://www.ncbi.nlm.nih.gov/snp/rs{rs}"));
    }
    if let Some(acc) = id.strip_prefix("CVCL:") {
        return word(acc).then(|| format!("https://www.cellosaurus.org/CVCL_{acc}"));
    }
    match entity_type {
        "Gene" if digits(id) => Some(format!("https://www.ncbi.nlm.nih.gov/gene/{id}")),
        "Species" if digits(id) => Some(format!(
            "https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id={id}"
        )),
        _ => None,
    }
}

/// One piece of a line: an escape sequence (no width) or a visible character.
enum Piece<'a> {
    /// `ESC [ … final` (SGR and other CSI) or `ESC ] … ST|BEL` (OSC, e.g. hyperlinks).
    Escape(&'a str),
    /// A visible character and its column width.
    Char(char, usize),
}

/// Splits `s` into escape sequences and characters.
fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            let len = escape_len(rest);
            out.push(Piece::Escape(&rest[..len]));
            rest = &rest[len..];
        } else {
            out.push(Piece::Char(c, c.width().unwrap_or(0)));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Byte length of the escape sequence at the start of `s` (which starts with ESC).
fn escape_len(s: &str) -> usize {
    let b = s.as_bytes();
    match b.get(1) {
        // CSI: parameters, then one final byte in '@'..='~'.
        Some(b'[') => b[2..]
            .iter()
            .position(|c| (0x40..=0x7e).contains(c))
            .map_or(b.len(), |p| p + 3),
        // OSC: up to BEL or ST (ESC \).
        Some(b']') => {
            let mut i = 2;
            while i < b.len() {
                if b[i] == 0x07 {
                    return i + 1;
                }
                if b[i] == 0x1b && b.get(i + 1) == Some(&b'\\') {
                    return i + 2;
                }
                i += 1;
            }
            b.len()
        }
        Some(c) if c.is_ascii() => 2,
        _ => 1,
    }
}

/// Fills `text` (one paragraph, no line breaks) into lines of at most `width` columns, each
/// starting with `indent`; words longer than a line stand alone. Escape sequences take no
/// column; a colour or a hyperlink open at a break is closed before it and reopened after
/// the indent, so the indent is never coloured or linked. Without a width (or one too narrow
/// to fill) the paragraph stays one line.
pub fn wrap(text: &str, indent: &str, width: Option<usize>) -> String {
    let Some(width) = width.filter(|w| *w >= MIN_WIDTH) else {
        return format!("{indent}{text}");
    };
    let room = width.saturating_sub(indent.chars().count()).max(1);
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(indent);
    let (mut sgr, mut osc) = (String::new(), String::new());
    let mut column = 0usize;
    // Words are split at spaces; each keeps its escapes.
    for (i, word) in text.split(' ').enumerate() {
        let parts = pieces(word);
        let w: usize = parts
            .iter()
            .map(|p| match p {
                Piece::Char(_, w) => *w,
                Piece::Escape(_) => 0,
            })
            .sum();
        if i > 0 {
            if column > 0 && column + 1 + w > room {
                if !osc.is_empty() {
                    out.push_str("\x1b]8;;\x1b\\");
                }
                if !sgr.is_empty() {
                    out.push_str("\x1b[0m");
                }
                out.push('\n');
                out.push_str(indent);
                out.push_str(&sgr);
                out.push_str(&osc);
                column = 0;
            } else {
                out.push(' ');
                column += 1;
            }
        }
        for p in parts {
            match p {
                Piece::Char(c, _) => out.push(c),
                Piece::Escape(e) => {
                    out.push_str(e);
                    if e == "\x1b[0m" || e == "\x1b[m" {
                        sgr.clear();
                    } else if e.starts_with("\x1b[") && e.ends_with('m') {
                        sgr.push_str(e);
                    } else if e.starts_with("\x1b]8;") {
                        osc = if e.starts_with("\x1b]8;;\x1b") || e == "\x1b]8;;\x07" {
                            String::new()
                        } else {
                            e.to_string()
                        };
                    }
                }
            }
        }
        column += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The visible text of a rendered line (escapes removed).
    fn visible(s: &str) -> String {
        pieces(s)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Char(c, _) => Some(c),
                Piece::Escape(_) => None,
            })
            .collect()
    }

    #[test]
    fn wraps_at_word_boundaries_within_the_width_with_the_indent() {
        let text = "Programmed cell death protein 1 blockade in colorectal cancer with \
                    mismatch repair deficiency";
        let out = wrap(text, "   ", Some(40));
        for line in out.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
            assert!(
                line.starts_with("   ") && !line.starts_with("    "),
                "{line:?}"
            );
        }
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, text.split(' ').collect::<Vec<_>>());
        assert_eq!(wrap(text, "   ", None), format!("   {text}"));
        // A width too narrow to fill leaves the line as it is.
        assert_eq!(wrap(text, "   ", Some(10)), format!("   {text}"));
    }

    #[test]
    fn escapes_take_no_column_and_are_reopened_after_a_break() {
        let red = "\x1b[31m";
        let text = format!("aaaa bbbb {red}cccc dddd eeee ffff\x1b[0m gggg hhhh iiii jjjj kkkk");
        let out = wrap(&text, "  ", Some(30));
        for line in out.lines() {
            assert!(visible(line).chars().count() <= 30, "{line:?}");
        }
        assert_eq!(
            visible(&out).split_whitespace().collect::<Vec<_>>(),
            visible(&text).split_whitespace().collect::<Vec<_>>()
        );
        // With escapes counted as columns the first line would break earlier.
        let first = out.lines().next().unwrap();
        assert!(visible(first).len() > 20, "{first:?}");
        // A line that starts inside the red span reopens it after the indent.
        let long = format!("{red}{}\x1b[0m", ["word"; 12].join(" "));
        let wrapped = wrap(&long, "  ", Some(30));
        for line in wrapped.lines().skip(1) {
            assert!(line.starts_with(&format!("  {red}")), "{line:?}");
        }
        for line in wrapped.lines().take(wrapped.lines().count() - 1) {
            assert!(line.ends_with("\x1b[0m"), "{line:?}");
        }
    }

    #[test]
    fn hyperlinks_are_closed_at_a_break_and_reopened() {
        let text = link(&["word"; 12].join(" "), Some("https://x.org/"), true);
        let out = wrap(&text, "", Some(30));
        assert!(out.lines().count() > 1);
        for line in out.lines() {
            assert!(line.starts_with("\x1b]8;;https://x.org/\x1b\\"), "{line:?}");
            assert!(line.ends_with("\x1b]8;;\x1b\\"), "{line:?}");
        }
        assert_eq!(link("x", Some("https://x.org/"), false), "x");
        assert_eq!(link("x", None, true), "x");
    }

    #[test]
    fn entity_and_document_urls() {
        let pubmed_url = crate::pubtator::ids::pubmed_url;
        assert_eq!(
            pubmed_url("31554797").as_deref(),
            Some("https://pubmed.ncbi.nlm.nih.gov/31554797/")
        );
        assert_eq!(pubmed_url("PMC123"), None);
        assert_eq!(
            entity_url("Gene", "5133").as_deref(),
            Some("https://www.ncbi.nlm.nih.gov/gene/5133")
        );
        assert_eq!(
            entity_url("Disease", "MESH:D009369").as_deref(),
            Some("https://meshb.nlm.nih.gov/record/ui?ui=D009369")
        );
        assert_eq!(
            entity_url("Variant", "rs113488022").as_deref(),
            Some("https://www.ncbi.nlm.nih.gov/snp/rs113488022")
        );
        assert_eq!(
            entity_url("CellLine", "CVCL:0030").as_deref(),
            Some("https://www.cellosaurus.org/CVCL_0030")
        );
        assert!(entity_url("Species", "9606").is_some());
        assert_eq!(entity_url("Gene", "5133;7124"), None);
        assert_eq!(entity_url("Variant", "p|SUB|V|600|E"), None);
    }
}
