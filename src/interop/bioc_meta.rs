//! Bibliographic metadata from BioC infons, as PubTator3 exports carry them on the title
//! passage (`journal` citation, `year`, `authors`, `article-id_pmc`, `article-id_doi`) and on
//! the document (`doi`, `date`, `type`). Only what the infons say is kept: the journal is the
//! citation's first sentence (`Mol Cell. 2017 Jan 5;65(1):154-167. doi: ...` → `Mol Cell`),
//! the date and DOI come from the citation when it names them.

use crate::pubtator::Metadata;

/// Metadata from the document's infons and those of its first passage (later infons of
/// other passages describe cited references, not the document).
pub(crate) fn metadata(doc: &[(String, String)], first: &[(String, String)]) -> Metadata {
    let get = |name: &str| infon(first, name).or_else(|| infon(doc, name));
    let mut m = Metadata::default();
    let citation = get("journal");
    if let Some(c) = citation {
        let (journal, rest) = citation_journal(c);
        if !journal.is_empty() {
            m.journal = Some(journal);
        }
        m.doi = c
            .split_once("doi:")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .map(|d| d.trim_end_matches('.').to_string())
            .filter(|d| d.contains('/'));
        m.year = leading_year(rest);
    }
    if let Some(y) = get("year").and_then(|y| y.get(..4)?.parse().ok()) {
        m.year = Some(y);
    }
    // `date` infons: `2017-01-05T00:00:00Z` or `20120606`.
    if let Some(d) = get("date") {
        let digits: String = d.chars().filter(char::is_ascii_digit).take(8).collect();
        if digits.len() == 8 {
            m.date = Some(format!(
                "{}-{}-{}",
                &digits[..4],
                &digits[4..6],
                &digits[6..8]
            ));
            m.year = m.year.or_else(|| digits[..4].parse().ok());
        }
    }
    if m.date.is_none() {
        if let (Some(c), Some(y)) = (citation, m.year) {
            m.date = citation_date(c, y);
        }
    }
    if let Some(a) = get("authors") {
        m.authors = a
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
    }
    if let Some(t) = infon(doc, "type") {
        m.pubtypes.push(t.to_string());
    }
    m.pmcid = get("article-id_pmc").map(|p| {
        if p.starts_with("PMC") {
            p.to_string()
        } else {
            format!("PMC{p}")
        }
    });
    if let Some(d) = get("article-id_doi").or_else(|| infon(doc, "doi")) {
        m.doi = Some(d.to_string());
    }
    m
}

/// The journal of a citation, as an abbreviation without periods, and the rest of the
/// citation (from its date on). The journal ends at the first `;` (PMC: `J. Cell Biol.; 1992
/// Apr; 117(2) 427-35` → `J Cell Biol`) or at the first `. ` followed by a digit (PubMed:
/// `Cancer Res. 2010 Jun 15;70(12):...` → `Cancer Res`), else at the end. Periods become
/// spaces, as NLM abbreviations write them (`Proc. Natl. Acad. Sci. U.S.A.` → `Proc Natl
/// Acad Sci U S A`).
pub(crate) fn citation_journal(citation: &str) -> (String, &str) {
    let mut end = citation.len();
    let mut rest_at = citation.len();
    for (i, ch) in citation.char_indices() {
        if ch == ';' {
            (end, rest_at) = (i, i + 1);
            break;
        }
        if ch == '.'
            && citation[i + 1..].starts_with(' ')
            && citation[i + 1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        {
            (end, rest_at) = (i, i + 1);
            break;
        }
    }
    let journal = citation[..end]
        .replace('.', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (journal, &citation[rest_at..])
}

/// The year a citation's date starts with (`2010 Jun 15;...`, `2017Jan5`), if plausible.
fn leading_year(rest: &str) -> Option<u16> {
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(5)
        .collect();
    let y: u16 = (digits.len() == 4).then(|| digits.parse().ok())??;
    (1000..=2999).contains(&y).then_some(y)
}

/// The date of a citation `Journal. 2010 Jun 15;70(12):...` when it starts with `year`.
fn citation_date(citation: &str, year: u16) -> Option<String> {
    let (_, rest) = citation_journal(citation);
    let when = rest.split([';', ':', '.']).next()?.trim();
    let mut words = when.split_whitespace();
    if words.next()?.parse::<u16>().ok()? != year {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some(month) = words
        .next()
        .and_then(|w| MONTHS.iter().position(|m| *m == w))
    else {
        return Some(year.to_string());
    };
    Some(match words.next().and_then(|d| d.parse::<u8>().ok()) {
        Some(day) if (1..=31).contains(&day) => format!("{year}-{:02}-{day:02}", month + 1),
        _ => format!("{year}-{:02}", month + 1),
    })
}

/// Infon keys compare ignoring ASCII case, with `_` and ` ` equal.
fn key_eq(key: &str, want: &str) -> bool {
    key.len() == want.len()
        && key.bytes().zip(want.bytes()).all(|(a, b)| {
            a.to_ascii_lowercase() == b || (a == b'_' && b == b' ') || (a == b' ' && b == b'_')
        })
}

/// The first non-empty value of an infon named `want` (see [`key_eq`]).
pub(crate) fn infon<'a>(infons: &'a [(String, String)], want: &str) -> Option<&'a str> {
    infons
        .iter()
        .find(|(k, v)| key_eq(k, want) && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infons(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pubtator3_title_infons() {
        let first = infons(&[
            (
                "journal",
                "Cancer Res. 2010 Jun 15;70(12):4880-90. doi: 10.1158/0008-5472.CAN-09-4563. Epub ",
            ),
            ("year", "2010"),
            ("article-id_pmc", "PMC3040717"),
            ("type", "title"),
            ("authors", "Lee MS, Green R, Glover JN"),
        ]);
        let m = metadata(&[], &first);
        assert_eq!(m.journal.as_deref(), Some("Cancer Res"));
        assert_eq!(m.year, Some(2010));
        assert_eq!(m.date.as_deref(), Some("2010-06-15"));
        assert_eq!(m.authors, ["Lee MS", "Green R", "Glover JN"]);
        assert_eq!(m.doi.as_deref(), Some("10.1158/0008-5472.CAN-09-4563"));
        assert_eq!(m.pmcid.as_deref(), Some("PMC3040717"));
        assert!(m.pubtypes.is_empty(), "the passage type is a section");
    }

    #[test]
    fn pmc_citations_give_the_abbreviation_and_year() {
        let m = metadata(
            &[],
            &infons(&[("journal", "J. Cell Biol.; 1992 Apr; 117(2) 427-35")]),
        );
        assert_eq!(m.journal.as_deref(), Some("J Cell Biol"));
        assert_eq!((m.year, m.date.as_deref()), (Some(1992), Some("1992-04")));
        let m = metadata(
            &[],
            &infons(&[(
                "journal",
                "BMC Genet.; 2015 Dec 1; 16. doi:10.1186/s12863-015-0303-7",
            )]),
        );
        assert_eq!(m.journal.as_deref(), Some("BMC Genet"));
        assert_eq!(m.doi.as_deref(), Some("10.1186/s12863-015-0303-7"));
        assert_eq!(citation_journal("Mol Cell;2017Jan5").0, "Mol Cell");
        assert_eq!(
            citation_journal("Proc. Natl. Acad. Sci. U.S.A.").0,
            "Proc Natl Acad Sci U S A"
        );
    }

    #[test]
    fn nothing_is_invented() {
        assert!(metadata(&[], &infons(&[("type", "title")])).is_empty());
        let m = metadata(&infons(&[("date", "20120606")]), &[]);
        assert_eq!(
            (m.year, m.date.as_deref()),
            (Some(2012), Some("2012-06-06"))
        );
        let m = metadata(
            &[],
            &infons(&[
                ("journal", "Microvasc Res. 2021 Mar;134:104123."),
                ("year", "2021"),
            ]),
        );
        assert_eq!(m.date.as_deref(), Some("2021-03"));
        assert_eq!(m.doi, None);
    }
}
