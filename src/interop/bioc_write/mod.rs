//! BioC XML and BioC JSON writers, the other direction of this folder's BioC readers (used by
//! the exports of the read side). [`BiocXmlWriter`] and [`BiocJsonWriter`] stream one
//! `<collection>` (or `{"documents": [...]}`; PubTator3's `{"PubTator3": [...]}` with
//! [`BiocJsonWriter::pubtator3`]) with one BioC document per [`Document`], holding only the
//! document being written in memory.
//!
//! # Mapping
//!
//! Both formats share one layout, chosen so that [`crate::interop::read_bioc_xml`] and
//! [`crate::interop::read_bioc_json`] read a document that came from PubTator back into an
//! equal [`Document`], except for what BioC (or our reader) cannot carry; see *Losses*.
//!
//! * **Document**: `id`; document infons only for bulk concepts (below).
//! * **Passages**: one per [`Passage`](crate::pubtator::Passage), in order. Infon `type` is
//!   the section when one is set, else `title`/`abstract` from the passage kind; infon
//!   `section_type` is the section when one is set.
//! * **Metadata** (as PubTator3 writes it, on the first passage): `journal` (a citation:
//!   `N Engl J Med. 2012 Jul 12. doi: 10.1056/NEJMoa1203421.`), `year`, `authors`
//!   (`Flaherty KT, Robert C`), and `article-id_doi`, `article-id_pmc` (PMC's names); our
//!   readers read journal, year, date, authors, DOI and PMCID back. Not carried: the full
//!   journal title, publication types and MeSH headings; a `MedlineDate` comes back as its
//!   year. `offset` is the document-level char
//!   offset, PubTator's convention continued over every record: the first passage at 0, each
//!   next one at the previous offset + the previous text's length in chars + 1 (so a
//!   title+abstract record puts the abstract at `len(title) + 1`).
//! * **Annotations** (`id="T<i>"`, `i` = index in [`Document::annotations`]): infons `type`
//!   (the type column as written), `identifier` (the ID column, when there is one), `source`
//!   (the annotation layer it belongs to, when the document has layers) and
//!   `ptsearch_extra_<n>` (the n-th column after the ID, 1-based); one `location` with the
//!   document-level char offset and char length; `text` = the mention column.
//!   * with a resolved span: inside the passage of the span, located at the span;
//!   * without a span: located at the record-local offsets of the file (made
//!     document-level), inside the passage of their record that holds them whole;
//!   * without a span whose offsets fall in no passage of their record: inside the first
//!     passage with the offsets exactly as in the file and the infon
//!     `ptsearch_unresolved`=`true` ([`UNRESOLVED_INFON`]);
//!   * a document without passages (never from PubTator) keeps them at document level.
//! * **Bulk concepts** (from PubTator3 bulk files, without offsets): document infons
//!   `ptsearch_concept_<n>` holding the bulk row (`Type\tIDs\tMentions\tResources`,
//!   [`CONCEPT_INFON_PREFIX`]): BioC annotations need a location, so that tools such as
//!   `bioc.validate` accept the file.
//! * **Relations** (`id="R<i>"`, document level): infons `type` (as written), `entity1` and
//!   `entity2` (the two argument columns verbatim, BioRED's convention) and `novel` (BioRED's
//!   fifth column, when present) and `source` (its layer). For each argument that an annotation of the document
//!   carries (its ID column equals the argument, or shares one of its split IDs) a
//!   `<node refid="T<i>" role="Arg1"/>` (`Arg2`) points to the first such annotation, so that
//!   BioC tools can follow nodes; relations from PubTator3 bulk rows also get PubTator3's
//!   `role1`/`role2` infons (`Gene|5133`); arguments no annotation carries get no node (BioC allows
//!   any number of nodes). Our readers take `entity1`/`entity2` before nodes, so the
//!   arguments come back verbatim either way.
//!
//! # Losses
//!
//! Re-read with our readers, a document from PubTator differs only in:
//!
//! * **Record structure**: BioC has no records. A document of exactly two passages comes
//!   back as one title+abstract record (block 0); any other document as one record per
//!   passage, every passage of kind title. So multi-record documents (full texts split into
//!   several `ID|t|`/`ID|a|` records) lose their `block`s and passage kinds, and a
//!   two-record title-only document becomes title+abstract.
//! * **Sections**: a passage without a section comes back with section `title` or
//!   `abstract` (read from the `type` infon).
//! * **Raw offsets**: `start`/`end` come back recomputed from the location (record-local for
//!   the shapes above), so offsets that the parser had to repair (bytes, UTF-16 units, shifted)
//!   come back corrected; annotations of multi-record documents come back with offsets local
//!   to their passage.
//! * **Inexact spans**: a span found by the parser's loose rule (mention and text differ in
//!   case or punctuation) is not kept: the reader gives spans to exact text matches only (it
//!   may use the nearest exact occurrence). Annotations without a span may likewise gain one.
//! * **Extra columns**: written as `ptsearch_extra_<n>` infons, not read back (`extra` is
//!   empty).
//! * **Whitespace**: types, IDs, relation types, arguments and novelty are trimmed; an empty
//!   ID column becomes no ID; tabs, CR and LF in texts and mentions become spaces.
//! * **Order**: annotations come back grouped by passage (input order within a passage).
//! * **XML only**: characters XML 1.0 cannot hold at all (control characters other than tab,
//!   LF and CR; U+FFFE, U+FFFF) are written as U+FFFD, one char for one, so offsets hold.
//!
//! The collection date is today's (UTC), or the day of `SOURCE_DATE_EPOCH` when that is set,
//! for reproducible exports; [`BiocXmlWriter::with_date`] and [`BiocJsonWriter::with_date`]
//! take it explicitly.
//!
//! [`Document`]: crate::pubtator::Document
//! [`Document::annotations`]: crate::pubtator::Document::annotations

mod json;
mod layout;
mod xml;

#[cfg(test)]
mod tests;

pub use json::BiocJsonWriter;
pub use xml::BiocXmlWriter;

use crate::pubtator::Metadata;

/// A document ID as the number PubTator3 writes for a PMID (`22663011`), when the ID is all
/// ASCII digits and fits; `None` for any other ID (a document of another source).
pub fn pmid_number(id: &str) -> Option<u64> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// A publication date as PubTator3 writes it: `2012-07-12T00:00:00Z` when the day is known,
/// else the date as known (`2012-07`, `2012`, `1998 Dec-1999 Jan`), else the year; `None`
/// when neither is known.
pub fn pubtator3_date(meta: &Metadata) -> Option<String> {
    match meta.date.as_deref() {
        Some(d) => {
            let b = d.as_bytes();
            let full = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            Some(if full {
                format!("{d}T00:00:00Z")
            } else {
                d.to_string()
            })
        }
        None => meta.year.map(|y| y.to_string()),
    }
}

/// The collection `key` written by both writers.
pub const KEY: &str = "ptsearch.key";

/// Infon set to `true` on an annotation whose file offsets fall in no passage of its record.
pub const UNRESOLVED_INFON: &str = "ptsearch_unresolved";

/// Prefix of the document infons holding the PubTator3 bulk concepts (`ptsearch_concept_1`,
/// ...), each in the bulk entity row layout without the PMID: `Type\tIDs\tMentions\tResources`
/// (IDs joined by `;`, `-` when unnormalized; mentions and resources joined by `|`). Our
/// readers read them back as concepts; other BioC tools see ordinary infons.
pub const CONCEPT_INFON_PREFIX: &str = "ptsearch_concept_";

/// Prefix of the infons holding the columns after the ID (`ptsearch_extra_1`, ...).
pub const EXTRA_INFON_PREFIX: &str = "ptsearch_extra_";

// ---------------------------------------------------------------------------------------------
// The collection date.

/// `YYYYMMDD` of today (UTC), or of `SOURCE_DATE_EPOCH` (seconds) when set.
fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    yyyymmdd(secs.div_euclid(86_400))
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn yyyymmdd(days: i64) -> String {
    let (y, m, d) = crate::pubtator::meta::civil_from_days(days);
    format!("{y:04}{m:02}{d:02}")
}
