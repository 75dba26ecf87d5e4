//! The news of watches: for each watch, the documents that match its query and were first
//! indexed by a commit after its mark (best first), optionally the documents that matched
//! before and got a new layer since (`--updated`); then the marks move to the last commit
//! the search saw (unless peeking). Also the feed of one watch: everything first indexed
//! after the watch was added, newest commit first.

use super::{current_mark, list, now, save, Watch};
use crate::error::{Error, Result};
use crate::index::commit::{iso8601_utc, CommitInfo};
use crate::index::marks::{marks_at, Marks, LAST_COMMIT};
use crate::index::{load_document, PtIndex};
use crate::search::collect::{RankedCollector, ScoredDoc};
use crate::search::highlight::highlight;
use crate::search::query::{compile, CompiledQuery};
use crate::search::{found_entities, FoundEntity};
use serde::Serialize;
use tantivy::collector::FilterCollector;
use tantivy::Searcher;

/// What `news` is asked.
#[derive(Debug, Clone, Default)]
pub struct NewsRequest {
    /// Only this watch (all when `None`).
    pub name: Option<String>,
    /// Leave the marks where they are.
    pub peek: bool,
    /// Ignore the marks: news since this time (seconds since the Unix epoch); implies `peek`.
    pub since: Option<u64>,
    /// Also list the documents that only got a new layer (first indexed before the mark).
    pub updated: bool,
    /// At most this many documents per list (all when `None`).
    pub limit: Option<usize>,
}

/// One document of a watch's news.
#[derive(Debug, Clone, Serialize)]
pub struct NewsDoc {
    /// Document ID (PMID).
    pub id: String,
    /// Title.
    pub title: String,
    /// Relevance to the watch's query.
    pub score: f32,
    /// Publication date, `as precise as known (`2018-05-17`, `2018`; empty when unknown).
    pub date: String,
    /// When the document was first indexed (ISO 8601, UTC; empty when unknown).
    pub indexed_at: String,
    /// When it was last written (ISO 8601, UTC; a new layer, bulk concepts).
    pub changed_at: String,
    /// The entities of the query found in it, most mentioned first.
    pub entities: Vec<FoundEntity>,
    /// True when its ID is not a PMID (every source of it was indexed with `--ids local`):
    /// the feed links it nowhere.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub local_id: bool,
}

/// The news of one watch.
#[derive(Debug, Clone, Serialize)]
pub struct WatchNews {
    /// The watch's name.
    pub watch: String,
    /// Its query.
    pub query: String,
    /// News are the documents after this commit.
    pub since_commit: u64,
    /// The last commit the search saw (the new mark).
    pub until_commit: u64,
    /// Documents first indexed after the mark, best first.
    pub new: Vec<NewsDoc>,
    /// With `updated`: documents indexed before the mark that got a new layer after it.
    pub updated: Vec<NewsDoc>,
    /// Notes on the query (names not in the index, ...).
    pub warnings: Vec<String>,
}

/// Reads `2026-12-01` (UTC midnight) as seconds since the Unix epoch.
pub fn parse_day(text: &str) -> Result<u64> {
    let bad = || Error::Refused(format!("invalid date '{text}': expected YYYY-MM-DD"));
    let mut parts = text.trim().splitn(3, '-');
    let mut next = |lo: i64, hi: i64| -> Result<i64> {
        parts
            .next()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|v| (lo..=hi).contains(v))
            .ok_or_else(bad)
    };
    let (y, m, d) = (next(1970, 9999)?, next(1, 12)?, next(1, 31)?);
    // Days from the civil date (Howard Hinnant's algorithm), inverse of `civil_from_days`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400).map_err(|_| bad())
}

/// The news of every watch (or of `request.name`), then the marks moved unless peeking.
pub fn news(index: &PtIndex, request: &NewsRequest) -> Result<Vec<WatchNews>> {
    let watches: Vec<Watch> = match &request.name {
        Some(name) => vec![super::get(index, name)?],
        None => list(index)?,
    };
    let searcher = index.searcher()?;
    let until = current_mark(&searcher);
    let info = CommitInfo::load(&index.index);
    let mut out = Vec::new();
    for w in &watches {
        let from = match request.since {
            Some(secs) => info.seq_before(secs),
            None => w.mark,
        };
        let pick = Pick {
            from,
            updated: request.updated,
            limit: request.limit,
            newest_first: false,
        };
        let mut n = collect(index, &searcher, &info, w, &pick)?;
        n.until_commit = until.max(w.mark);
        out.push(n);
    }
    if !request.peek && request.since.is_none() && !watches.is_empty() {
        // Read again just before writing: a watch added or removed meanwhile stays so.
        let mut current = list(index)?;
        let at = now();
        for w in current.iter_mut() {
            if watches.iter().any(|x| x.name == w.name) {
                w.mark = w.mark.max(until);
                w.checked_at = Some(at);
            }
        }
        save(index, &current)?;
    }
    Ok(out)
}

/// The feed of watch `name`: the documents matching its query first indexed after it was
/// added, newest commit first (best first within a commit), at most `limit`.
pub fn feed(index: &PtIndex, name: &str, limit: usize) -> Result<WatchNews> {
    let w = super::get(index, name)?;
    let searcher = index.searcher()?;
    let info = CommitInfo::load(&index.index);
    let pick = Pick {
        from: w.origin,
        updated: false,
        limit: Some(limit),
        newest_first: true,
    };
    let mut n = collect(index, &searcher, &info, &w, &pick)?;
    n.until_commit = current_mark(&searcher).max(w.origin);
    Ok(n)
}

/// How to pick a watch's documents.
struct Pick {
    /// Documents written after this commit.
    from: u64,
    /// Keep the updated ones too.
    updated: bool,
    /// At most this many per list.
    limit: Option<usize>,
    /// Newest commit first (feeds) instead of best first.
    newest_first: bool,
}

/// Runs `w`'s query over the documents written after commit `pick.from`: those first indexed
/// after it are new, the others updated. Only the documents kept are loaded.
fn collect(
    index: &PtIndex,
    searcher: &Searcher,
    info: &CommitInfo,
    w: &Watch,
    pick: &Pick,
) -> Result<WatchNews> {
    let compiled = compile(&w.query, searcher, &index.fields)?;
    index.id_columns.retain(searcher);
    let ranked = RankedCollector::with_id_columns(usize::MAX, &index.id_columns);
    let from = pick.from;
    let filtered = FilterCollector::new(LAST_COMMIT.to_string(), move |v: u64| v > from, ranked);
    let hits: Vec<ScoredDoc> = searcher.search(&*compiled.query, &filtered)?;
    let mut new: Vec<(ScoredDoc, Marks)> = Vec::new();
    let mut updated: Vec<(ScoredDoc, Marks)> = Vec::new();
    for hit in hits {
        let marks = marks_at(searcher, hit.address)?;
        if marks.first > from {
            new.push((hit, marks));
        } else if pick.updated {
            updated.push((hit, marks));
        }
    }
    if pick.newest_first {
        // Stable: best first within one commit.
        new.sort_by_key(|(_, m)| std::cmp::Reverse(m.first));
    }
    let limit = pick.limit.unwrap_or(usize::MAX);
    new.truncate(limit);
    updated.truncate(limit);
    let load = |list: Vec<(ScoredDoc, Marks)>| -> Result<Vec<NewsDoc>> {
        list.into_iter()
            .map(|(hit, marks)| news_doc(index, searcher, info, &compiled, &hit, marks))
            .collect()
    };
    Ok(WatchNews {
        watch: w.name.clone(),
        query: w.query.clone(),
        since_commit: from,
        until_commit: from,
        new: load(new)?,
        updated: load(updated)?,
        warnings: compiled.warnings.clone(),
    })
}

/// Loads one document of the news with the query's entities found in it.
fn news_doc(
    index: &PtIndex,
    searcher: &Searcher,
    info: &CommitInfo,
    compiled: &CompiledQuery,
    hit: &ScoredDoc,
    marks: Marks,
) -> Result<NewsDoc> {
    let time_of = |seq: u64| {
        info.times
            .iter()
            .find(|[s, _]| *s == seq)
            .map(|[_, at]| iso8601_utc(*at))
            .unwrap_or_default()
    };
    let doc = load_document(searcher, index.fields.doc, hit.address)?;
    let spans = highlight(&doc, compiled).spans;
    Ok(NewsDoc {
        title: doc.title().to_string(),
        date: (doc.meta.date.clone())
            .or(doc.meta.year.map(|y| y.to_string()))
            .unwrap_or_default(),
        local_id: !crate::index::commit::is_pmid(&info.local_ids, &doc),
        id: doc.id,
        score: hit.score,
        indexed_at: time_of(marks.first),
        changed_at: time_of(marks.last),
        entities: found_entities(&spans),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn days_read_as_utc_midnight() {
        // `date -u -d 2000-02-29 +%s` and `date -u -d 2026-12-01 +%s`.
        assert_eq!(parse_day("1970-01-01").unwrap(), 0);
        assert_eq!(parse_day("2000-02-29").unwrap(), 951_782_400);
        assert_eq!(parse_day("2026-12-01").unwrap(), 1_796_083_200);
        for bad in ["2026-13-01", "2026-12", "yesterday", "2026-12-01x"] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
    }
}
