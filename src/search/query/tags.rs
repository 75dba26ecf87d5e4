//! PubMed's field tags read by the lexer: `cancer[ti]`, `"breast cancer"[tiab]`,
//! `melanoma[mh]`, `smith j[au]`, `2015:2020[dp]`, and NCBI's entity tags (`BRAF[gene]`,
//! `human[orgn]`). A tag becomes the matching field of the query language (`title:cancer`),
//! so everything after the lexer sees an ordinary fielded clause. A bracketed ending that is not
//! a tag (`Ca[2+]`, `benzo[a]`) stays part of the word.

use super::ast::ParseError;

/// PubMed and NCBI field tags (lower case, as PubMed accepts them: short or long) and the
/// field each becomes; `None`: every text field, as an unfielded word.
const TAGS: [(&str, Option<&str>); 30] = [
    ("ti", Some("title")),
    ("title", Some("title")),
    ("tiab", Some("text")),
    ("title/abstract", Some("text")),
    ("ab", Some("abstract")),
    ("abstract", Some("abstract")),
    ("tw", None),
    ("text word", None),
    ("text words", None),
    ("all", None),
    ("all fields", None),
    ("mh", Some("mh")),
    ("mesh", Some("mh")),
    ("mesh terms", Some("mh")),
    ("au", Some("author")),
    ("author", Some("author")),
    ("ta", Some("journal")),
    ("journal", Some("journal")),
    ("pt", Some("pubtype")),
    ("publication type", Some("pubtype")),
    ("dp", Some("year")),
    ("pdat", Some("year")),
    ("publication date", Some("year")),
    ("pmid", Some("pmid")),
    ("uid", Some("pmid")),
    ("gene", Some("gene")),
    ("orgn", Some("species")),
    ("organism", Some("species")),
    ("disease", Some("disease")),
    ("chemical", Some("chemical")),
];

/// The short tags listed in error messages.
const LISTED: &str =
    "ti, tiab, ab, tw, all, mh, au, ta, pt, dp, pmid, gene, orgn, disease, chemical";

/// A value with its field tag read: the field (`None`: unfielded) and the value as the field
/// reads it (`2015:2020[dp]` gives `2015..2020`).
#[derive(Debug, PartialEq)]
pub(crate) struct Tagged {
    /// The query-language field, or `None` for every text field.
    pub(crate) field: Option<&'static str>,
    /// The value before the tag.
    pub(crate) value: String,
}

/// The field of `tag` (the text between the brackets), `Err` with the known tags when `tag`
/// looks like a tag but is none; `Ok(None)` when it does not look like a tag.
fn field_of(
    tag: &str,
    pos: usize,
    quoted: bool,
) -> Result<Option<Option<&'static str>>, ParseError> {
    let key = tag_key(tag);
    if let Some((_, field)) = TAGS.iter().find(|(t, _)| *t == key) {
        return Ok(Some(*field));
    }
    let tag_like = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.len() >= 2
        && key
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '/' | '-'));
    if quoted || tag_like {
        return Err(ParseError::new(
            pos,
            format!(
                "unknown field tag [{}]; PubMed tags read here: {LISTED}",
                tag.trim()
            ),
        ));
    }
    Ok(None)
}

/// A tag as [`TAGS`] spells it: lower case, one space between words (`MeSH  Terms`).
fn tag_key(tag: &str) -> String {
    tag.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// Where a bare word that ends in a tag with spaces ends (`melanoma[MeSH Terms]`,
/// `cancer[All Fields]`): the lexer's word `chars[start..end]` stops at the first space,
/// inside the tag. Returns the index after the `]` when the bracket the word opens closes on
/// a known tag, else `end`.
pub(crate) fn spaced_tag_end(chars: &[char], start: usize, end: usize) -> usize {
    let word = chars.get(start..end).unwrap_or(&[]);
    let Some(open) = word.iter().rposition(|c| *c == '[') else {
        return end;
    };
    if open == 0 || word[open..].contains(&']') {
        return end;
    }
    let stop = chars[end..]
        .iter()
        .position(|c| matches!(c, ']' | '[' | '(' | ')' | '"'))
        .map(|k| end + k);
    let Some(close) = stop.filter(|&k| chars[k] == ']') else {
        return end;
    };
    let tag: String = chars[start + open + 1..close].iter().collect();
    if TAGS.iter().any(|(t, _)| *t == tag_key(&tag)) {
        close + 1
    } else {
        end
    }
}

/// `value` as the field reads it: a PubMed year range `2015:2020` is `2015..2020`.
fn value_for(field: Option<&str>, value: &str) -> String {
    if field == Some("year") {
        if let Some((a, b)) = value.split_once(':') {
            let year = |s: &str| s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit());
            if year(a) && year(b) {
                return format!("{a}..{b}");
            }
        }
    }
    value.to_string()
}

/// A bare word ending in a field tag (`cancer[ti]`, starting at char `pos`): the tagged value,
/// or `None` when the word has no tag.
pub(crate) fn bare(word: &str, pos: usize) -> Result<Option<Tagged>, ParseError> {
    let Some(inner) = word.strip_suffix(']') else {
        return Ok(None);
    };
    let Some(open) = inner.rfind('[') else {
        return Ok(None);
    };
    let (value, tag) = (&inner[..open], &inner[open + 1..]);
    if value.is_empty() {
        return Ok(None);
    }
    let tag_pos = pos + value.chars().count();
    Ok(field_of(tag, tag_pos, false)?.map(|field| Tagged {
        field,
        value: value_for(field, value),
    }))
}

/// A tag after a quoted phrase, read.
#[derive(Debug, PartialEq)]
pub(crate) struct QuoteTag {
    /// The field it stands for (`None`: every text field).
    pub(crate) field: Option<&'static str>,
    /// The phrase's proximity (PubMed's `"breast cancer"[tiab:~3]`; 0 without).
    pub(crate) slop: u32,
    /// The index after its `]`.
    pub(crate) end: usize,
}

/// The tag right after a quoted phrase: `chars[at]` is `[`. Proximity (`[tiab:~3]`) is read
/// on the text tags only. `None` when no tag follows.
pub(crate) fn after_quote(chars: &[char], at: usize) -> Result<Option<QuoteTag>, ParseError> {
    if chars.get(at) != Some(&'[') {
        return Ok(None);
    }
    let Some(close) = chars[at..].iter().position(|c| *c == ']').map(|k| at + k) else {
        return Err(ParseError::new(at, "unclosed field tag (missing ']')"));
    };
    let written: String = chars[at + 1..close].iter().collect();
    let (tag, slop) = match written.split_once(":~") {
        Some((tag, n)) => {
            let slop = n.trim().parse::<u32>().map_err(|_| {
                ParseError::new(at, format!("[{written}]: '~' needs a number ([tiab:~3])"))
            })?;
            (tag.trim(), slop)
        }
        None => (written.as_str(), 0),
    };
    let field = field_of(tag, at, true)?.flatten();
    if slop > 0 && !matches!(field, None | Some("title" | "text" | "abstract")) {
        return Err(ParseError::new(
            at,
            format!("[{written}]: proximity is read on the text tags (ti, tiab, ab, tw)"),
        ));
    }
    Ok(Some(QuoteTag {
        field,
        slop,
        end: close + 1,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_with_spaces_ends_the_word_at_its_bracket() {
        let end = |q: &str| {
            let chars: Vec<char> = q.chars().collect();
            let first = chars.iter().position(|c| *c == ' ').unwrap_or(chars.len());
            spaced_tag_end(&chars, 0, first)
        };
        assert_eq!(end("melanoma[MeSH Terms] x"), 20);
        assert_eq!(end("cancer[All  Fields]"), 19);
        assert_eq!(end("cancer[text word] AND b"), 17);
        // Not a tag, or no bracket left open: the word ends at the space.
        assert_eq!(end("benzo[a pyrene]"), 7);
        assert_eq!(end("cancer[ti] x"), 10);
        assert_eq!(end("a[b (c)]"), 3);
        assert_eq!(end("[All Fields]"), 4);
    }

    #[test]
    fn tags_become_fields_and_other_brackets_stay_in_the_word() {
        let t = |w: &str| bare(w, 0).unwrap().map(|t| (t.field, t.value));
        assert_eq!(t("cancer[ti]"), Some((Some("title"), "cancer".into())));
        assert_eq!(t("cancer[TIAB]"), Some((Some("text"), "cancer".into())));
        assert_eq!(
            t("melanoma[MeSH Terms]"),
            Some((Some("mh"), "melanoma".into()))
        );
        assert_eq!(
            t("2015:2020[dp]"),
            Some((Some("year"), "2015..2020".into()))
        );
        assert_eq!(t("cancer[tw]"), Some((None, "cancer".into())));
        assert_eq!(t("Ca[2+]"), None);
        assert_eq!(t("benzo[a]"), None);
        assert_eq!(t("[ti]"), None);
        assert_eq!(t("cancer"), None);
        let err = bare("cancer[majr]", 10).unwrap_err();
        assert_eq!(err.position, 16);
        assert!(
            err.message.contains("unknown field tag [majr]"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_tag_after_a_phrase_is_read_up_to_its_bracket() {
        let chars: Vec<char> = "\"breast cancer\"[tiab] x".chars().collect();
        assert_eq!(
            after_quote(&chars, 15).unwrap(),
            Some(QuoteTag {
                field: Some("text"),
                slop: 0,
                end: 21
            })
        );
        let near: Vec<char> = "\"breast cancer\"[tiab:~3]".chars().collect();
        assert_eq!(
            after_quote(&near, 15).unwrap(),
            Some(QuoteTag {
                field: Some("text"),
                slop: 3,
                end: 24
            })
        );
        let ti: Vec<char> = "\"a b\"[Title:~2]".chars().collect();
        assert_eq!(
            after_quote(&ti, 5).unwrap(),
            Some(QuoteTag {
                field: Some("title"),
                slop: 2,
                end: 15
            })
        );
        let bad: Vec<char> = "\"a b\"[mh:~2]".chars().collect();
        assert!(after_quote(&bad, 5).is_err());
        let nan: Vec<char> = "\"a b\"[tiab:~x]".chars().collect();
        assert!(after_quote(&nan, 5).is_err());
        assert_eq!(after_quote(&chars, 14).unwrap(), None);
        let open: Vec<char> = "\"a\"[ti".chars().collect();
        assert!(after_quote(&open, 3).is_err());
        let odd: Vec<char> = "\"a\"[2+]".chars().collect();
        assert!(after_quote(&odd, 3).is_err());
    }
}
