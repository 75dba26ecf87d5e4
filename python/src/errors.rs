//! Exception classes and the mapping from `ptsearch::Error`: a bad query raises `QueryError`
//! (with `.position`, `.message`, `.caret`), a bad input line in strict mode `InputError`
//! (`.path`, `.line`), an I/O error `OSError` (so a missing file is a `FileNotFoundError`),
//! and everything about the index itself `IndexError`. All but `OSError` derive from
//! `PtSearchError`.

use ptsearch::Error;
use pyo3::create_exception;
use pyo3::exceptions::{PyBaseException, PyException, PyOSError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    ptsearch,
    PtSearchError,
    PyException,
    "Base class of ptsearch's errors."
);
create_exception!(
    ptsearch,
    QueryError,
    PtSearchError,
    "A query that cannot be parsed or compiled; `.position` is a character offset."
);
create_exception!(
    ptsearch,
    IndexError,
    PtSearchError,
    "No index, another schema version, a locked or corrupt index, or an engine error."
);
create_exception!(
    ptsearch,
    InputError,
    PtSearchError,
    "A bad input line during a strict ingest; `.path` and `.line` say where."
);

/// Adds the exception classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("PtSearchError", py.get_type::<PtSearchError>())?;
    m.add("QueryError", py.get_type::<QueryError>())?;
    m.add("IndexError", py.get_type::<IndexError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    Ok(())
}

/// The Python exception for a library error.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let text = e.to_string();
    match e {
        Error::Query {
            position,
            message,
            caret,
        } => with_attrs(py, QueryError::new_err(text), |v| {
            v.setattr("position", position)?;
            v.setattr("message", message)?;
            v.setattr("caret", caret)
        }),
        Error::Input { path, line, .. } => with_attrs(py, InputError::new_err(text), |v| {
            v.setattr("path", path)?;
            v.setattr("line", line)
        }),
        Error::Io {
            path,
            error: source,
        } => match source.raw_os_error() {
            // OSError(errno, strerror, filename) becomes the matching subclass.
            Some(errno) => PyOSError::new_err((errno, source.to_string(), path)),
            None => PyOSError::new_err(text),
        },
        _ => IndexError::new_err(text),
    }
}

/// `err` with attributes set on its value (or the error that setting them raised).
fn with_attrs(
    py: Python<'_>,
    err: PyErr,
    set: impl FnOnce(&Bound<'_, PyBaseException>) -> PyResult<()>,
) -> PyErr {
    match set(err.value(py)) {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// `ValueError` for a bad argument.
pub(crate) fn bad_arg(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}
