//! Term-dictionary scans over every segment, counting only live (not deleted) documents.
//! Statistics, the mention dictionary and entity autocomplete are all built on these.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tantivy::fastfield::{AliveBitSet, FacetReader};
use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, InvertedIndexReader, Searcher, TERMINATED};

/// Live counts of one term.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TermCount {
    /// Live documents containing the term.
    pub docs: u64,
    /// Total occurrences in live documents (only exact for fields indexed with frequencies).
    pub occurrences: u64,
}

/// Upper bound on the terms one prefix scan visits, so a one-letter autocomplete prefix on a
/// huge index stays fast.
pub const DEFAULT_SCAN_LIMIT: usize = 200_000;

/// Every term of `field` starting with `prefix` (at most `limit` distinct terms per segment),
/// with live counts summed over segments. `with_occurrences` reads frequencies; without it,
/// segments without deletes use the stored document frequency (no postings are read).
pub fn scan_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &[u8],
    limit: usize,
    with_occurrences: bool,
) -> tantivy::Result<BTreeMap<Vec<u8>, TermCount>> {
    TermScanner::new(searcher, field)?.scan(prefix, limit, with_occurrences)
}

/// One field's term dictionaries of every segment, opened once for many prefix scans.
pub struct TermScanner<'s> {
    segments: Vec<(Arc<InvertedIndexReader>, Option<&'s AliveBitSet>)>,
}

impl<'s> TermScanner<'s> {
    /// The dictionaries of `field` in every segment of `searcher`.
    pub fn new(searcher: &'s Searcher, field: Field) -> tantivy::Result<TermScanner<'s>> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|s| Ok((s.inverted_index(field)?, s.alive_bitset())))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(TermScanner { segments })
    }

    /// The terms starting with `prefix` of one segment, at most `limit`: `(key, info)`.
    fn each(
        inverted: &InvertedIndexReader,
        prefix: &[u8],
        limit: usize,
        mut on: impl FnMut(&[u8], &TermInfo) -> tantivy::Result<bool>,
    ) -> tantivy::Result<()> {
        let mut stream = inverted.terms().range().ge(prefix).into_stream()?;
        let mut seen = 0usize;
        while stream.advance() {
            let key = stream.key();
            seen += 1;
            if !key.starts_with(prefix) || seen > limit || !on(key, stream.value())? {
                break;
            }
        }
        Ok(())
    }

    /// Live documents and occurrences of a term of one segment.
    fn count(
        inverted: &InvertedIndexReader,
        alive: Option<&AliveBitSet>,
        info: &TermInfo,
        with_occurrences: bool,
    ) -> tantivy::Result<TermCount> {
        if alive.is_none() && !with_occurrences {
            return Ok(TermCount {
                docs: u64::from(info.doc_freq),
                occurrences: u64::from(info.doc_freq),
            });
        }
        let mut postings =
            inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        let mut c = TermCount::default();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                c.docs += 1;
                c.occurrences += u64::from(postings.term_freq());
            }
            doc = postings.advance();
        }
        Ok(c)
    }

    /// [`scan_prefix`] over the opened dictionaries.
    pub fn scan(
        &self,
        prefix: &[u8],
        limit: usize,
        with_occurrences: bool,
    ) -> tantivy::Result<BTreeMap<Vec<u8>, TermCount>> {
        let mut out: BTreeMap<Vec<u8>, TermCount> = BTreeMap::new();
        for (inverted, alive) in &self.segments {
            Self::each(inverted, prefix, limit, |key, info| {
                let count = Self::count(inverted, *alive, info, with_occurrences)?;
                if count.docs > 0 {
                    let e = out.entry(key.to_vec()).or_default();
                    e.docs += count.docs;
                    e.occurrences += count.occurrences;
                }
                Ok(true)
            })?;
        }
        Ok(out)
    }

    /// How many distinct terms starting with `prefix` have a live document, counting up to
    /// `enough` (the scan stops there).
    pub fn distinct_live(&self, prefix: &[u8], enough: usize) -> tantivy::Result<usize> {
        let mut found: BTreeSet<Vec<u8>> = BTreeSet::new();
        for (inverted, alive) in &self.segments {
            if found.len() >= enough {
                break;
            }
            Self::each(inverted, prefix, DEFAULT_SCAN_LIMIT, |key, info| {
                if !found.contains(key) && Self::count(inverted, *alive, info, false)?.docs > 0 {
                    found.insert(key.to_vec());
                }
                Ok(found.len() < enough)
            })?;
        }
        Ok(found.len().min(enough))
    }
}

/// The distinct terms of `field` over every segment (at most `limit` per segment), without
/// reading postings: a term whose documents are all deleted may still be listed.
pub fn distinct_terms(
    searcher: &Searcher,
    field: Field,
    limit: usize,
) -> tantivy::Result<BTreeSet<Vec<u8>>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        let mut seen = 0usize;
        while seen < limit && stream.advance() {
            out.insert(stream.key().to_vec());
            seen += 1;
        }
    }
    Ok(out)
}

/// Whether some segment's dictionary has the exact term `text` in `field` (no postings read,
/// so deleted documents may still count).
pub fn term_exists(searcher: &Searcher, field: Field, text: &str) -> tantivy::Result<bool> {
    let term = tantivy::Term::from_field_text(field, text);
    for segment in searcher.segment_readers() {
        if segment
            .inverted_index(field)?
            .get_term_info(&term)?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Live documents containing the exact term `text` in `field`.
pub fn doc_count(searcher: &Searcher, field: Field, text: &str) -> tantivy::Result<u64> {
    let term = tantivy::Term::from_field_text(field, text);
    let mut total = 0u64;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(&term)? else {
            continue;
        };
        match segment.alive_bitset() {
            None => total += u64::from(info.doc_freq),
            Some(alive) => {
                let mut postings =
                    inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_alive(doc) {
                        total += 1;
                    }
                    doc = postings.advance();
                }
            }
        }
    }
    Ok(total)
}

/// The entity column of a segment (`Type\0ID` per distinct entity of each document), or
/// `None` when no document of the segment has one.
pub fn facet_reader(segment: &tantivy::SegmentReader) -> tantivy::Result<Option<FacetReader>> {
    Ok(segment.fast_fields().str("facet")?.map(FacetReader::new))
}

/// Distinct entity IDs per canonical or kept type over the live documents.
pub fn distinct_ids(searcher: &Searcher) -> tantivy::Result<BTreeMap<String, u64>> {
    let mut keys: BTreeSet<Vec<u8>> = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Some(reader) = facet_reader(segment)? else {
            continue;
        };
        let dict = reader.facet_dict();
        let ords: Vec<u64> = match segment.alive_bitset() {
            None => (0..reader.num_facets() as u64).collect(),
            Some(alive) => {
                let mut used = vec![false; reader.num_facets()];
                for doc in alive.iter_alive() {
                    for ord in reader.facet_ords(doc) {
                        if let Some(u) = used.get_mut(ord as usize) {
                            *u = true;
                        }
                    }
                }
                (0u64..)
                    .zip(used)
                    .filter(|(_, u)| *u)
                    .map(|(o, _)| o)
                    .collect()
            }
        };
        dict.sorted_ords_to_term_cb(&ords, |bytes| {
            keys.insert(bytes.to_vec());
        })?;
    }
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for key in keys {
        let mut parts = key.split(|b| *b == 0);
        if let (Some(t), Some(id), None) = (parts.next(), parts.next(), parts.next()) {
            if id.is_empty() {
                continue; // the type marker `Type\0`
            }
            *out.entry(String::from_utf8_lossy(t).into_owned())
                .or_default() += 1;
        }
    }
    Ok(out)
}
