//! The library's error type. User mistakes (a bad query, a bad input line, an index of another
//! schema version) are separate variants from internal failures (tantivy, I/O).

use std::path::PathBuf;

/// Errors returned by the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query that cannot be parsed or compiled; `position` is in characters.
    #[error("invalid query at position {position}: {message}\n{caret}")]
    Query {
        /// Character position of the problem.
        position: usize,
        /// What is wrong.
        message: String,
        /// The query with a caret under the position.
        caret: String,
    },
    /// A bad input line in `--strict` mode.
    #[error("{path}:{line}: {reason}")]
    Input {
        /// The input file (or `<stdin>`).
        path: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A value outside the set a parameter accepts (an entity type no index can hold, ...).
    #[error("unknown {what} '{value}'; valid: {}", valid.join(", "))]
    UnknownValue {
        /// What the value names (`entity type`, ...).
        what: &'static str,
        /// The value as given.
        value: String,
        /// The accepted values.
        valid: Vec<String>,
    },
    /// The directory holds no ptsearch index.
    #[error("no ptsearch index at {0} (create one with `ptsearch index --index {0} FILE...`)")]
    NoIndex(PathBuf),
    /// The index was written by another schema version.
    #[error("index at {path} has schema version {found}, this ptsearch reads version {expected}; re-create it with `ptsearch index`")]
    SchemaVersion {
        /// Index directory.
        path: PathBuf,
        /// Version found on disk.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// Another process is writing to the index.
    #[error("index at {0} is locked by another writer (another `ptsearch index` is running)")]
    Locked(PathBuf),
    /// An I/O error on a path, printed once with the OS reason (`cannot open x: No such file
    /// or directory`); the underlying error is kept but not chained, so `{:#}` does not
    /// repeat it.
    #[error("{}", describe_io(path, error))]
    Io {
        /// The file or directory.
        path: String,
        /// The underlying error.
        error: std::io::Error,
    },
    /// An error from the search engine.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A request the index cannot carry out as asked (a source rename onto a name in use, an
    /// unknown source name, ...); the message says what to do instead.
    #[error("{0}")]
    Refused(String),
    /// A stored document could not be decoded.
    #[error("stored document is corrupt: {0}")]
    Corrupt(String),
}

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }

    /// A query error at char `position` of `query`, with the query and a caret under the
    /// position (both indented) for display.
    pub fn query(query: &str, position: usize, message: impl Into<String>) -> Error {
        let caret = caret(query, position)
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n");
        Error::Query {
            position,
            message: message.into(),
            caret,
        }
    }

    /// True for errors caused by the user's input rather than by ptsearch or the system.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Query { .. }
                | Error::Input { .. }
                | Error::UnknownValue { .. }
                | Error::NoIndex(_)
                | Error::SchemaVersion { .. }
                | Error::Refused(_)
        )
    }
}

/// Renders `query` on one line with a `^` under character `position`
/// (clamped to the end of the query), for CLI error messages.
///
/// Control characters (newlines, tabs, NUL, ...) are shown as spaces so that
/// the caret stays aligned. Wide (e.g. CJK) characters may still misalign in a
/// terminal.
pub fn caret(query: &str, position: usize) -> String {
    let line: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let pos = position.min(query.chars().count());
    format!("{line}\n{}^", " ".repeat(pos))
}

/// `cannot open PATH: REASON` for a missing or unreadable path, `PATH: REASON` otherwise; the
/// reason without Rust's ` (os error N)` suffix.
fn describe_io(path: &str, error: &std::io::Error) -> String {
    let text = error.to_string();
    let reason = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => text.as_str(),
    };
    match error.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            format!("cannot open {path}: {reason}")
        }
        _ => format!("{path}: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_path_is_named_once_with_the_os_reason() {
        let e = Error::io(
            "corpus.txt",
            std::io::Error::from_raw_os_error(2), // ENOENT
        );
        let shown = format!("{:#}", anyhow::Error::from(e));
        assert_eq!(shown, "cannot open corpus.txt: No such file or directory");
    }
}
