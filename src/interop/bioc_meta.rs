//! Bibliographic metadata from BioC infons, as PubTator3 exports carry them on the title
//! passage (`journal` citation, `year`, `authors`, `article-id_pmc`, `article-id_doi`) and on
//! the document (`doi`, `date`, `type`). Only what the infons say is kept: the journal is the
//! citation's first sentence (`Mol Cell. 2017 Jan 5;65(1):154-167. doi: ...` → `Mol Cell`),
//! the date and DOI come from the citation when it names them.

use super::bioc::infon;
use crate::pubtator::Metadata;

/// Metadata from the document's infons and those of its first passage (later infons of
/// other passages describe cited references, not the document).
pub(crate) fn metadata(doc: &[(String, String)], first: &[(String, String)]) -> Metadata {
    let get = |name: &str| infon(first, name).or_else(|| infon(doc, name));
    let mut m = Metadata::default();
    let citation = get("journal");
    if let Some(c) = citation {
        let journal = c.split_once(". ").map_or(c, |(j, _)| j);
        let journal = journal.trim().trim_end_matches('.').trim();
        if !journal.is_empty() {
            m.journal = Some(journal.to_string());
        }
        m.doi = c
            .split_once("doi: ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .map(|d| d.trim_end_matches('.').to_string())
            .filter(|d| d.contains('/'));
    }
    m.year = get("year").and_then(|y| y.get(..4)?.parse().ok());
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

/// The date of a citation `Journal. 2010 Jun 15;70(12):...` when it starts with `year`.
fn citation_date(citation: &str, year: u16) -> Option<String> {
    let (_, rest) = citation.split_once(". ")?;
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
