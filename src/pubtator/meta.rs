//! Bibliographic metadata of a [`Document`](super::Document) and its annotation layers.
//!
//! Metadata comes from the formats that carry it (PubMed XML, the infons of PubTator3 BioC
//! exports); a field a format lacks stays empty, nothing is invented. Layers record which
//! source gave which annotations and relations (see [`Layer`]).

use serde::{Deserialize, Serialize};

/// One MeSH heading of a PubMed record (descriptor only; qualifiers are not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshHeading {
    /// Descriptor UI (`D009369`).
    pub ui: String,
    /// Descriptor name (`Neoplasms`).
    pub name: String,
    /// `MajorTopicYN="Y"` on the descriptor or one of its qualifiers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub major: bool,
}

/// Bibliographic metadata; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Journal abbreviation as cited (`N Engl J Med`): ISO abbreviation or MedlineTA of
    /// PubMed, the citation prefix of a PubTator3 `journal` infon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// Full journal title (`The New England journal of medicine`), when the format has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_title: Option<String>,
    /// Publication year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Publication date as precise as known: `2018-05-17`, `2018-05`, `2018`, or a
    /// `MedlineDate` as written (`1998 Dec-1999 Jan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Authors as cited (`Smith J`; collective names whole).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Publication types (`Journal Article`, `Review`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pubtypes: Vec<String>,
    /// MeSH headings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh: Vec<MeshHeading>,
    /// DOI (`10.1056/NEJMoa1715274`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// PubMed Central ID (`PMC3040717`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<String>,
}

impl Metadata {
    /// True when no field is known.
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }

    /// Takes every field `newer` knows; keeps the others.
    pub fn update(&mut self, newer: &Metadata) {
        fn take<T: Clone>(old: &mut Option<T>, new: &Option<T>) {
            if new.is_some() {
                old.clone_from(new);
            }
        }
        fn take_vec<T: Clone>(old: &mut Vec<T>, new: &[T]) {
            if !new.is_empty() {
                *old = new.to_vec();
            }
        }
        take(&mut self.journal, &newer.journal);
        take(&mut self.journal_title, &newer.journal_title);
        take(&mut self.year, &newer.year);
        take(&mut self.date, &newer.date);
        take_vec(&mut self.authors, &newer.authors);
        take_vec(&mut self.pubtypes, &newer.pubtypes);
        take_vec(&mut self.mesh, &newer.mesh);
        take(&mut self.doi, &newer.doi);
        take(&mut self.pmcid, &newer.pmcid);
    }

    /// A sort key for `--sort date`: `yyyymmdd` with unknown month/day as 0; 0 when no year
    /// is known.
    pub fn date_key(&self) -> u64 {
        let Some(year) = self.year else { return 0 };
        let (mut month, mut day) = (0u64, 0u64);
        if let Some(d) = self.date.as_deref() {
            let mut parts = d.split('-');
            if parts.next().and_then(|y| y.parse::<u16>().ok()) == Some(year) {
                month = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
                day = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
                if month > 12 || day > 31 {
                    (month, day) = (0, 0);
                }
            }
        }
        u64::from(year) * 10_000 + month * 100 + day
    }
}

/// The last name of an author as cited: `Smith` of `Smith JA`, the whole name when it does
/// The civil date `(year, month, day)` of a day count since 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's days-from-civil inverse). Used for ISO dates and BioC collection dates.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// not end in initials (`The BRCA Consortium`).
pub fn author_last_name(author: &str) -> &str {
    let author = author.trim();
    match author.rsplit_once(' ') {
        Some((last, initials))
            if !initials.is_empty()
                && initials.len() <= 4
                && initials.chars().all(|c| c.is_uppercase()) =>
        {
            last.trim_end()
        }
        _ => author,
    }
}

/// The search key of an author or journal: lower case, Latin accents folded (`Müller` →
/// `muller`, `Ångström` → `angstrom`, `ß` → `ss`), periods read as spaces (`J. Cell Biol.` →
/// `j cell biol`, as NLM abbreviations write it), spaces collapsed. The index stores it and
/// `author:` / `journal:` compare with it, so either spelling finds the other.
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            '.' => out.push(' '),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ď' | 'đ' | 'ð' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ğ' => out.push('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => out.push('i'),
            'ł' | 'ľ' | 'ĺ' => out.push('l'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ř' | 'ŕ' => out.push('r'),
            'ś' | 'š' | 'ş' | 'ș' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' | 'ţ' | 'ț' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One source's share of a document: the next `annotations` annotations and `relations`
/// relations (in [`Document`](super::Document) order) came from the input named `source`.
///
/// A document's layers cover its annotations and relations in order, without gaps; a
/// document with no layers is one unnamed layer (a parsed document before ingest names it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    /// The source name (`biored/Train`, `NCBItrainset_corpus`, `--source NAME`).
    pub source: String,
    /// Annotations of this layer.
    pub annotations: u32,
    /// Relations of this layer.
    pub relations: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_order_dates_and_tolerate_free_text() {
        let m = |year: Option<u16>, date: Option<&str>| Metadata {
            year,
            date: date.map(str::to_string),
            ..Metadata::default()
        };
        assert_eq!(m(Some(2018), Some("2018-05-17")).date_key(), 20180517);
        assert_eq!(m(Some(2018), Some("2018-05")).date_key(), 20180500);
        assert_eq!(
            m(Some(1998), Some("1998 Dec-1999 Jan")).date_key(),
            19980000
        );
        assert_eq!(m(Some(2001), Some("2001-99-99")).date_key(), 20010000);
        assert_eq!(m(None, Some("2018")).date_key(), 0);
    }

    #[test]
    fn last_names_drop_initials_only() {
        assert_eq!(author_last_name("Smith JA"), "Smith");
        assert_eq!(author_last_name("De Luca F"), "De Luca");
        assert_eq!(
            author_last_name("The BRCA Consortium"),
            "The BRCA Consortium"
        );
        assert_eq!(author_last_name("Madonna"), "Madonna");
    }

    #[test]
    fn update_takes_known_fields_only() {
        let mut a = Metadata {
            journal: Some("A".into()),
            year: Some(2000),
            ..Metadata::default()
        };
        a.update(&Metadata {
            year: Some(2001),
            authors: vec!["X Y".into()],
            ..Metadata::default()
        });
        assert_eq!(a.journal.as_deref(), Some("A"));
        assert_eq!(a.year, Some(2001));
        assert_eq!(a.authors, vec!["X Y".to_string()]);
    }
}
