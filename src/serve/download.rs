//! File names for downloads: exports, single documents and networks answer with
//! `Content-Disposition: attachment; filename="ptsearch-<query-slug>.<ext>"`, so a browser (and
//! `curl -OJ`) saves them under a name that says what they hold.

use crate::output::DocumentFormat;

/// Longest slug, in bytes.
const MAX_SLUG: usize = 60;

/// The query as a file-name part: runs of ASCII letters and digits, lower-cased, joined by
/// `-`, at most 60 bytes; `all` for the whole index (an empty query or `*`).
pub fn slug(query: &str) -> String {
    let mut out = String::new();
    for word in query
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > MAX_SLUG {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        "all".to_string()
    } else {
        out
    }
}

/// The file extension of a document format.
pub fn extension(format: DocumentFormat) -> &'static str {
    match format {
        DocumentFormat::Pubtator => "pubtator",
        DocumentFormat::Jsonl => "jsonl",
        DocumentFormat::Biocxml => "xml",
        DocumentFormat::Biocjson => "json",
        DocumentFormat::QuickwitNdjson => "ndjson",
    }
}

/// The `Content-Disposition` value for `ptsearch-<slug(query)>.<ext>`.
pub fn attachment(query: &str, ext: &str) -> String {
    format!("attachment; filename=\"ptsearch-{}.{ext}\"", slug(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_ascii_and_name_the_whole_index_all() {
        assert_eq!(slug("gene:673 melanoma"), "gene-673-melanoma");
        assert_eq!(slug("\"Skin Cancer\" -review"), "skin-cancer-review");
        assert_eq!(slug("*"), "all");
        assert_eq!(slug(""), "all");
        assert_eq!(slug("Müller"), "m-ller");
        assert!(slug(&"word ".repeat(40)).len() <= MAX_SLUG);
        assert_eq!(
            attachment("BRAF", "tsv"),
            "attachment; filename=\"ptsearch-braf.tsv\""
        );
    }
}
