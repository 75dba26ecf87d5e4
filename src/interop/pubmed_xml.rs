//! Streaming PubMed XML reader: `PubmedArticleSet` files as PubMed's baseline and update files
//! (`pubmed25n0001.xml.gz`, after decompression) and efetch answers ship them, one article in
//! memory at a time.
//!
//! Each `PubmedArticle` becomes a [`Document`] with its PMID as ID, the title as the title
//! passage and the abstract as one abstract passage (block 0, like a PubTator record;
//! structured abstracts keep their labels: `BACKGROUND: ... METHODS: ...`), no annotations,
//! and [`Metadata`]: journal (ISO abbreviation, else MedlineTA) and its full title,
//! publication year and date (from `PubDate`, `MedlineDate` or `ArticleDate`), authors
//! (`LastName Initials` or `CollectiveName`), publication types, MeSH headings (descriptor
//! UI, name, major topic), DOI and PMCID. Whitespace runs inside texts become one space.
//! `DeleteCitation` PMIDs are returned to the caller, which removes them.
//!
//! Elements are matched by their local names and their parents, so a PMID or article ID of a
//! cited reference (`CommentsCorrections`, `ReferenceList`) never counts as the article's.

use super::xml_text::{for_each_event, unescape, XmlEvent};
use super::{InteropError, Item};
use crate::pubtator::{Document, MeshHeading, Metadata, Passage, PassageKind};
use quick_xml::events::BytesStart;
use std::io::BufRead;

/// What a PubMed XML file held besides its articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PubmedOutcome {
    /// Articles delivered as documents.
    pub articles: u64,
    /// PMIDs of `DeleteCitation`, in input order.
    pub deleted: Vec<String>,
}

/// Reads PubMed XML, calling `on_item` with each article or problem in input order.
///
/// Returns `Err` only for I/O errors and XML that is not well-formed (including input that
/// ends inside an article); every article before the error has been delivered.
pub fn read_pubmed_xml<R: BufRead>(
    r: R,
    on_item: &mut dyn FnMut(Item),
) -> Result<PubmedOutcome, InteropError> {
    let mut st = State::default();
    let end = for_each_event(r, |event, line| match event {
        XmlEvent::Start(e, empty) => {
            st.start(e, line);
            if empty {
                st.end(on_item);
            }
        }
        XmlEvent::End => st.end(on_item),
        XmlEvent::Text(t, cdata) => st.text(t, cdata),
    })?;
    match st.article {
        Some(a) => Err(InteropError::Xml {
            line: end,
            message: format!(
                "input ends inside article '{}' (started on line {})",
                a.pmid.unwrap_or_default(),
                a.line
            ),
        }),
        None => Ok(st.outcome),
    }
}

/// Which text an open element collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    Pmid,
    DeletedPmid,
    Title,
    AbstractText,
    JournalTitle,
    IsoAbbreviation,
    MedlineTa,
    Year,
    Month,
    Day,
    MedlineDate,
    ArticleDateYear,
    LastName,
    Initials,
    ForeName,
    CollectiveName,
    PublicationType,
    Descriptor,
    ArticleId,
    ElocationDoi,
}

/// One article as read.
#[derive(Debug, Default)]
struct RawArticle {
    line: u64,
    pmid: Option<String>,
    title: String,
    abstract_parts: Vec<(Option<String>, String)>,
    meta: Metadata,
    iso: Option<String>,
    medline_ta: Option<String>,
    date: [Option<String>; 3],
    medline_date: Option<String>,
    article_year: Option<String>,
    author: [Option<String>; 4],
    elocation_doi: Option<String>,
}

#[derive(Default)]
struct State {
    /// Local names of the open elements.
    stack: Vec<Vec<u8>>,
    article: Option<RawArticle>,
    outcome: PubmedOutcome,
    /// The collecting element, its depth and its text so far.
    leaf: Option<(Leaf, usize)>,
    text: String,
    /// Attributes kept for the leaf: `Label`, `UI`, `IdType`.
    attr: Option<String>,
    major: bool,
}

/// Attribute `name` of an element, unescaped leniently.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| unescape(&a.value, false).0)
}

/// Whitespace runs become one space; leading and trailing whitespace goes.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first plausible four-digit year in `s` (`1998 Dec-1999 Jan` → 1998).
fn first_year(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = b.get(i..i + 4)?;
        let before = i.checked_sub(1).and_then(|j| b.get(j));
        let after = b.get(i + 4);
        if w.iter().all(u8::is_ascii_digit)
            && !before.is_some_and(u8::is_ascii_digit)
            && !after.is_some_and(u8::is_ascii_digit)
        {
            std::str::from_utf8(w)
                .ok()?
                .parse()
                .ok()
                .filter(|y| (1000..3000).contains(y))
        } else {
            None
        }
    })
}

/// A month as a number: `05`, `5`, `May`, `may`.
fn month_number(s: &str) -> Option<u8> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let s = s.trim();
    if let Ok(n) = s.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = s.get(..3)?.to_ascii_lowercase();
    NAMES.iter().position(|n| *n == lower).map(|i| i as u8 + 1)
}

impl State {
    /// True when the open elements end with `path` (the element itself last).
    fn at(&self, path: &[&[u8]]) -> bool {
        self.stack.len() >= path.len()
            && self
                .stack
                .iter()
                .rev()
                .zip(path.iter().rev())
                .all(|(a, b)| a.as_slice() == *b)
    }

    fn start(&mut self, e: &BytesStart<'_>, line: u64) {
        let owned = e.local_name().as_ref().to_vec();
        self.stack.push(owned.clone());
        if self.leaf.is_some() {
            return; // markup inside a collected text (`<sub>`, `<i>`)
        }
        let name = owned.as_slice();
        if name == b"PubmedArticle" || name == b"PubmedBookArticle" {
            self.article = Some(RawArticle {
                line,
                ..RawArticle::default()
            });
            return;
        }
        if self.at(&[b"DeleteCitation", b"PMID"]) {
            self.collect(Leaf::DeletedPmid, None);
            return;
        }
        if self.article.is_none() {
            return;
        }
        let leaf = match name {
            b"PMID"
                if self.at(&[b"MedlineCitation", b"PMID"])
                    || self.at(&[b"BookDocument", b"PMID"]) =>
            {
                Leaf::Pmid
            }
            b"ArticleTitle"
                if self.at(&[b"Article", b"ArticleTitle"])
                    || self.at(&[b"BookDocument", b"ArticleTitle"]) =>
            {
                Leaf::Title
            }
            b"AbstractText" if self.at(&[b"Abstract", b"AbstractText"]) => {
                let label = attr(e, b"Label").filter(|l| !l.trim().is_empty());
                self.collect(Leaf::AbstractText, label);
                return;
            }
            b"Title" if self.at(&[b"Journal", b"Title"]) => Leaf::JournalTitle,
            b"ISOAbbreviation" if self.at(&[b"Journal", b"ISOAbbreviation"]) => {
                Leaf::IsoAbbreviation
            }
            b"MedlineTA" => Leaf::MedlineTa,
            b"Year" if self.at(&[b"PubDate", b"Year"]) => Leaf::Year,
            b"Month" if self.at(&[b"PubDate", b"Month"]) => Leaf::Month,
            b"Day" if self.at(&[b"PubDate", b"Day"]) => Leaf::Day,
            b"MedlineDate" if self.at(&[b"PubDate", b"MedlineDate"]) => Leaf::MedlineDate,
            b"Year" if self.at(&[b"ArticleDate", b"Year"]) => Leaf::ArticleDateYear,
            b"Author" if self.at(&[b"AuthorList", b"Author"]) => {
                if let Some(a) = &mut self.article {
                    a.author = Default::default();
                }
                return;
            }
            b"LastName" if self.at(&[b"Author", b"LastName"]) => Leaf::LastName,
            b"Initials" if self.at(&[b"Author", b"Initials"]) => Leaf::Initials,
            b"ForeName" if self.at(&[b"Author", b"ForeName"]) => Leaf::ForeName,
            b"CollectiveName" if self.at(&[b"Author", b"CollectiveName"]) => Leaf::CollectiveName,
            b"PublicationType" if self.at(&[b"PublicationTypeList", b"PublicationType"]) => {
                Leaf::PublicationType
            }
            b"DescriptorName" if self.at(&[b"MeshHeading", b"DescriptorName"]) => {
                self.major = attr(e, b"MajorTopicYN").as_deref() == Some("Y");
                self.collect(Leaf::Descriptor, attr(e, b"UI"));
                return;
            }
            b"QualifierName" if self.at(&[b"MeshHeading", b"QualifierName"]) => {
                if attr(e, b"MajorTopicYN").as_deref() == Some("Y") {
                    if let Some(h) = self.article.as_mut().and_then(|a| a.meta.mesh.last_mut()) {
                        h.major = true;
                    }
                }
                return;
            }
            b"ArticleId" if self.at(&[b"PubmedData", b"ArticleIdList", b"ArticleId"]) => {
                self.collect(Leaf::ArticleId, attr(e, b"IdType"));
                return;
            }
            b"ELocationID" if attr(e, b"EIdType").as_deref() == Some("doi") => Leaf::ElocationDoi,
            _ => return,
        };
        self.collect(leaf, None);
    }

    fn collect(&mut self, leaf: Leaf, attr: Option<String>) {
        self.leaf = Some((leaf, self.stack.len()));
        self.text.clear();
        self.attr = attr;
    }

    fn text(&mut self, raw: &[u8], cdata: bool) {
        if self.leaf.is_some() {
            self.text.push_str(&unescape(raw, cdata).0);
        }
    }

    fn end(&mut self, on_item: &mut dyn FnMut(Item)) {
        let depth = self.stack.len();
        let name = self.stack.pop().unwrap_or_default();
        if let Some((leaf, d)) = self.leaf {
            if d == depth {
                self.leaf = None;
                let text = squeeze(&std::mem::take(&mut self.text));
                let attr = self.attr.take();
                self.finish_leaf(leaf, text, attr);
            }
            return;
        }
        match name.as_slice() {
            b"PubmedArticle" | b"PubmedBookArticle" => {
                if let Some(a) = self.article.take() {
                    self.finish_article(a, on_item);
                }
            }
            b"Author" => {
                if let Some(a) = &mut self.article {
                    let [last, initials, fore, collective] = std::mem::take(&mut a.author);
                    let name = match (last, collective) {
                        (Some(last), _) => match initials.or_else(|| {
                            fore.map(|f| {
                                f.split_whitespace()
                                    .filter_map(|w| w.chars().next())
                                    .collect()
                            })
                        }) {
                            Some(i) if !i.is_empty() => format!("{last} {i}"),
                            _ => last,
                        },
                        (None, Some(c)) => c,
                        (None, None) => return,
                    };
                    a.meta.authors.push(name);
                }
            }
            _ => {}
        }
    }

    fn finish_leaf(&mut self, leaf: Leaf, text: String, attr: Option<String>) {
        if leaf == Leaf::DeletedPmid {
            if !text.is_empty() {
                self.outcome.deleted.push(text);
            }
            return;
        }
        let Some(a) = &mut self.article else { return };
        let some = |t: String| (!t.is_empty()).then_some(t);
        match leaf {
            Leaf::Pmid => a.pmid = some(text),
            Leaf::DeletedPmid => {}
            Leaf::Title => a.title = text,
            Leaf::AbstractText => a.abstract_parts.push((attr, text)),
            Leaf::JournalTitle => a.meta.journal_title = some(text),
            Leaf::IsoAbbreviation => a.iso = some(text),
            Leaf::MedlineTa => a.medline_ta = some(text),
            Leaf::Year => a.date[0] = some(text),
            Leaf::Month => a.date[1] = some(text),
            Leaf::Day => a.date[2] = some(text),
            Leaf::MedlineDate => a.medline_date = some(text),
            Leaf::ArticleDateYear => a.article_year = some(text),
            Leaf::LastName => a.author[0] = some(text),
            Leaf::Initials => a.author[1] = some(text),
            Leaf::ForeName => a.author[2] = some(text),
            Leaf::CollectiveName => a.author[3] = some(text),
            Leaf::PublicationType => a.meta.pubtypes.extend(some(text)),
            Leaf::Descriptor => {
                if let (Some(ui), false) = (attr, text.is_empty()) {
                    a.meta.mesh.push(MeshHeading {
                        ui,
                        name: text,
                        major: self.major,
                    });
                }
            }
            Leaf::ArticleId => match attr.as_deref() {
                Some("doi") => a.meta.doi = some(text),
                Some("pmc") => a.meta.pmcid = some(text),
                _ => {}
            },
            Leaf::ElocationDoi => a.elocation_doi = some(text),
        }
    }

    fn finish_article(&mut self, a: RawArticle, on_item: &mut dyn FnMut(Item)) {
        let RawArticle {
            line,
            pmid,
            title,
            abstract_parts,
            mut meta,
            iso,
            medline_ta,
            date,
            medline_date,
            article_year,
            elocation_doi,
            ..
        } = a;
        let Some(id) = pmid.filter(|p| !p.contains(|c: char| c.is_whitespace() || c == '|')) else {
            on_item(Item::Problem {
                line,
                message: "article without a usable PMID; skipped".to_string(),
            });
            return;
        };
        meta.journal = iso.or(medline_ta).or_else(|| meta.journal_title.clone());
        meta.doi = meta.doi.or(elocation_doi);
        let [year, month, day] = date;
        if let Some(y) = year.as_deref().and_then(first_year) {
            meta.year = Some(y);
            let mut d = y.to_string();
            if let Some(m) = month.as_deref().and_then(month_number) {
                d.push_str(&format!("-{m:02}"));
                if let Some(day) = day.and_then(|d| d.trim().parse::<u8>().ok()) {
                    if (1..=31).contains(&day) {
                        d.push_str(&format!("-{day:02}"));
                    }
                }
            }
            meta.date = Some(d);
        } else if let Some(md) = medline_date {
            meta.year = first_year(&md);
            meta.date = Some(md);
        } else if let Some(y) = article_year.as_deref().and_then(first_year) {
            meta.year = Some(y);
            meta.date = Some(y.to_string());
        }
        let mut passages = vec![Passage {
            kind: PassageKind::Title,
            block: 0,
            text: title,
            section: None,
        }];
        let mut body = String::new();
        for (label, text) in abstract_parts {
            if !body.is_empty() {
                body.push(' ');
            }
            if let Some(l) = label {
                body.push_str(&squeeze(&l));
                body.push_str(": ");
            }
            body.push_str(&text);
        }
        if !body.is_empty() {
            passages.push(Passage {
                kind: PassageKind::Abstract,
                block: 0,
                text: body,
                section: None,
            });
        }
        self.outcome.articles += 1;
        on_item(Item::Document(Box::new(Document {
            id,
            passages,
            meta,
            ..Document::default()
        })));
    }
}

#[cfg(test)]
#[path = "pubmed_xml_tests.rs"]
mod tests;
