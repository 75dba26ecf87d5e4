//! Watches, on top of the read side (beside `output`): saved queries that report what is new. A watch is a name, a
//! query and a mark, the commit sequence number (see [`crate::index::marks`]) up to which its
//! news were taken; they are kept in `watches.json` in the index directory, written atomically
//! (a temporary file renamed over the old one). [`news()`] (in [`mod@news`]) searches each
//! watch's query among the documents first indexed after its mark and moves the mark.

pub mod atom;
pub mod news;

pub use news::{feed, news, parse_day, NewsDoc, NewsRequest, WatchNews};

use crate::error::{Error, Result};
use crate::index::marks::LAST_COMMIT;
use crate::PtIndex;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use tantivy::Searcher;

/// Name of the watch file in the index directory.
pub const WATCH_FILE: &str = "watches.json";

/// Longest watch name.
const MAX_NAME: usize = 64;

/// One saved query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    /// Its name (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// The query, in the search language.
    pub query: String,
    /// News are the documents first indexed by a commit after this one.
    pub mark: u64,
    /// The commit when the watch was added: its feed lists the documents after it.
    pub origin: u64,
    /// When it was added (seconds since the Unix epoch).
    pub added_at: u64,
    /// When its news were last taken (seconds since the Unix epoch).
    #[serde(default)]
    pub checked_at: Option<u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct WatchFile {
    watches: Vec<Watch>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn file_of(index: &PtIndex) -> PathBuf {
    index.path.join(WATCH_FILE)
}

/// The highest commit mark the documents of `searcher` carry: every document committed later
/// gets a greater one.
pub fn current_mark(searcher: &Searcher) -> u64 {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|s| s.fast_fields().u64(LAST_COMMIT).ok())
        .map(|c| c.max_value())
        .max()
        .unwrap_or(0)
}

/// The watches of `index`, in the order they were added (none when the file is missing).
pub fn list(index: &PtIndex) -> Result<Vec<Watch>> {
    read_file(&file_of(index))
}

fn read_file(path: &Path) -> Result<Vec<Watch>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path.display().to_string(), e)),
    };
    let file: WatchFile = serde_json::from_str(&text)
        .map_err(|e| Error::Corrupt(format!("{}: {e}", path.display())))?;
    Ok(file.watches)
}

/// Writes `watches` atomically: a temporary file in the same directory, synced, then renamed
/// over the old file (a reader sees the old list or the new one, never a part).
fn save(index: &PtIndex, watches: &[Watch]) -> Result<()> {
    let path = file_of(index);
    let tmp = index
        .path
        .join(format!(".{WATCH_FILE}.{}.tmp", std::process::id()));
    let body = serde_json::to_string_pretty(&WatchFile {
        watches: watches.to_vec(),
    })
    .map_err(|e| Error::Corrupt(e.to_string()))?;
    let io = |e| Error::io(tmp.display().to_string(), e);
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(body.as_bytes()).map_err(io)?;
    f.write_all(b"\n").map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display().to_string(), e))?;
    if let Ok(dir) = std::fs::File::open(&index.path) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Checks a watch name: 1 to 64 letters, digits, `-`, `_` or `.`, not starting with `.`
/// (it is a path segment of the feed URL).
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "invalid watch name '{name}': use 1 to {MAX_NAME} letters, digits, '-', '_' or '.' (not starting with '.')"
        )))
    }
}

/// Adds a watch: its query must compile; its mark is the index's last commit, so right after
/// it there is no news.
pub fn add(index: &PtIndex, name: &str, query: &str) -> Result<Watch> {
    check_name(name)?;
    let mut watches = list(index)?;
    if watches.iter().any(|w| w.name == name) {
        return Err(Error::Refused(format!(
            "a watch named '{name}' exists already (remove it first with `watch rm {name}`)"
        )));
    }
    let searcher = index.searcher()?;
    crate::search::query::compile(query, &searcher, &index.fields)?;
    let mark = current_mark(&searcher);
    let watch = Watch {
        name: name.to_string(),
        query: query.to_string(),
        mark,
        origin: mark,
        added_at: now(),
        checked_at: None,
    };
    watches.push(watch.clone());
    save(index, &watches)?;
    Ok(watch)
}

/// Removes the watch `name`; returns it.
pub fn remove(index: &PtIndex, name: &str) -> Result<Watch> {
    let mut watches = list(index)?;
    let Some(at) = watches.iter().position(|w| w.name == name) else {
        return Err(unknown(name, &watches));
    };
    let removed = watches.remove(at);
    save(index, &watches)?;
    Ok(removed)
}

/// The watch `name`.
pub fn get(index: &PtIndex, name: &str) -> Result<Watch> {
    let watches = list(index)?;
    watches
        .iter()
        .find(|w| w.name == name)
        .cloned()
        .ok_or_else(|| unknown(name, &watches))
}

fn unknown(name: &str, watches: &[Watch]) -> Error {
    Error::UnknownValue {
        what: "watch",
        value: name.to_string(),
        valid: watches.iter().map(|w| w.name.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_names_are_url_safe() {
        for good in ["braf", "BRAF-melanoma_2", "a.b", "x"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", ".hidden", "a/b", "a b", "é", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
