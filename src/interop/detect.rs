//! Format detection by content (never by file name): the first non-space bytes of a
//! (decompressed) stream.

use super::{is_tsv_header, InputFormat, TsvKind};

/// Guesses the format of a stream from its first bytes (a few KB is plenty; the first line
/// must be complete for TSV and PubTator). A UTF-8 BOM and leading whitespace are skipped.
///
/// `<` → PubMed XML when a PubMed root element (`PubmedArticleSet`, `DeleteCitation`) comes
/// first, BioC XML otherwise; `{` or `[` → BioC JSON; `ID|t|` or `ID|a|` → PubTator; tab-separated rows
/// → PubTator3 TSV (entity, relation or legacy entity by their columns); a `ustar` header →
/// tar. `None` when nothing matches.
pub fn detect(head: &[u8]) -> Option<InputFormat> {
    if head.get(257..262) == Some(b"ustar".as_slice()) {
        return Some(InputFormat::Tar);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    match head[0] {
        b'<' => return Some(xml_kind(&head[..head.len().min(64 * 1024)])),
        b'{' | b'[' => return Some(InputFormat::BiocJson),
        _ => {}
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(64 * 1024)]);
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let first = lines.next()?;
    if is_pubtator_line(first) {
        return Some(InputFormat::PubTator);
    }
    if !first.contains('\t') {
        return None;
    }
    if is_tsv_header(first) {
        let cols = first.split('\t').count();
        let kind = match cols {
            5 => TsvKind::Entity,
            4 if first.to_ascii_lowercase().contains("type") => TsvKind::Relation,
            4 => TsvKind::LegacyEntity,
            _ => return None,
        };
        return Some(InputFormat::PubTator3Tsv { kind });
    }
    tsv_kind(first).map(|kind| InputFormat::PubTator3Tsv { kind })
}

/// PubMed XML when a PubMed root element appears before any BioC `<collection>`; BioC XML
/// otherwise.
fn xml_kind(head: &[u8]) -> InputFormat {
    let find = |needle: &[u8]| memchr::memmem::find(head, needle);
    let pubmed = [
        b"<PubmedArticleSet".as_slice(),
        b"<PubmedArticle>",
        b"<PubmedArticle ",
        b"<PubmedBookArticle",
        b"<DeleteCitation",
    ]
    .iter()
    .filter_map(|n| find(n))
    .min();
    match (pubmed, find(b"<collection")) {
        (Some(p), Some(c)) if c < p => InputFormat::BiocXml,
        (Some(_), _) => InputFormat::PubmedXml,
        _ => InputFormat::BiocXml,
    }
}

/// `ID|t|...` or `ID|a|...` with an ID free of whitespace.
fn is_pubtator_line(line: &str) -> bool {
    let Some((id, rest)) = line.split_once('|') else {
        return false;
    };
    !id.is_empty()
        && !id.contains(char::is_whitespace)
        && (rest.starts_with("t|") || rest.starts_with("a|"))
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The kind of a PubTator3 TSV data row, or `None` (e.g. a PubTator annotation line, whose
/// second and third columns are offsets).
fn tsv_kind(line: &str) -> Option<TsvKind> {
    let cols: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
    if !is_number(cols[0].trim()) || cols.len() < 3 {
        return None;
    }
    if is_number(cols[1].trim()) && is_number(cols[2].trim()) {
        return None;
    }
    let typed = |s: &str| {
        s.split_once('|').is_some_and(|(t, id)| {
            !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphabetic()) && !id.is_empty()
        })
    };
    match cols.len() {
        5 => Some(TsvKind::Entity),
        4 if typed(cols[2]) && typed(cols[3]) && !cols[1].contains(':') && !is_number(cols[1]) => {
            Some(TsvKind::Relation)
        }
        4 => Some(TsvKind::LegacyEntity),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_first_bytes() {
        let cases: [(&[u8], Option<InputFormat>); 14] = [
            (
                b"<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"x\">\n<PubmedArticleSet><PubmedArticle>",
                Some(InputFormat::PubmedXml),
            ),
            (b"<DeleteCitation><PMID>1</PMID>", Some(InputFormat::PubmedXml)),
            (
                b"\xEF\xBB\xBF  <?xml version='1.0'?><collection>",
                Some(InputFormat::BiocXml),
            ),
            (b"<collection>", Some(InputFormat::BiocXml)),
            (b"\n{\"documents\": []}", Some(InputFormat::BiocJson)),
            (b"[[{\"notice\": 1}]]", Some(InputFormat::BiocJson)),
            (b"123|t|Title\n123|a|Abs\n", Some(InputFormat::PubTator)),
            (b"\n\nPMC1|a|only abstract", Some(InputFormat::PubTator)),
            (
                b"100\tGene\t1756\tDMD|dystrophin\tPubTator3\n",
                Some(InputFormat::PubTator3Tsv {
                    kind: TsvKind::Entity,
                }),
            ),
            (
                b"12\tassociate\tChemical|MESH:D1\tDisease|MESH:D2\n",
                Some(InputFormat::PubTator3Tsv {
                    kind: TsvKind::Relation,
                }),
            ),
            (
                b"PMID\tMeshID\tMentions\tResource\n1\tMESH:D1\ta|b\tMeSH|DNorm\n",
                Some(InputFormat::PubTator3Tsv {
                    kind: TsvKind::LegacyEntity,
                }),
            ),
            (
                b"1000018\tMESH:D011086\tNeonatal polycythemia|polycythemia\tDNorm|MeSH",
                Some(InputFormat::PubTator3Tsv {
                    kind: TsvKind::LegacyEntity,
                }),
            ),
            (b"123\t0\t5\tTitle\tGene\t1\n", None),
            (b"   \n\t", None),
        ];
        for (head, want) in cases {
            assert_eq!(detect(head), want, "{}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn tar_by_ustar_magic() {
        let mut head = vec![0u8; 512];
        head[..12].copy_from_slice(b"BioCXML/0.xm");
        head[257..262].copy_from_slice(b"ustar");
        assert_eq!(detect(&head), Some(InputFormat::Tar));
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b"\xff\xfe\x00garbage"), None);
    }
}
