//! `ptsearch._ptsearch`: the native half of the Python package `ptsearch`.
//!
//! It holds no search logic: every call builds a library request (`ptsearch::search`,
//! `ptsearch::ingest`, the dictionary and stats functions), runs it with the GIL released, and
//! converts the answer to Python. Hits, summaries, documents, suggestions and stats are
//! serialized with the library's own `serde` views (so they equal the CLI's JSON) and decoded
//! with `json.loads`; bulk tables (annotations, relations) come back as columns of Python lists
//! that the pure-Python layer turns into pandas frames.
//!
//! Modules: [`errors`] (exception classes and the mapping from `ptsearch::Error`), [`index`]
//! (the `Index` class), [`columns`] (per-document tables), [`ingest`] (`index()`).

// The CLI's allocator (src/main.rs): the library allocates many small buffers per hit.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod columns;
mod errors;
mod index;
mod ingest;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// Decodes a JSON text with Python's `json.loads`.
pub(crate) fn json_to_py(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    Ok(loads.bind(py).call1((text,))?.unbind())
}

/// Serializes a library view to JSON text (the CLI's serializer and settings).
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> ptsearch::Result<String> {
    serde_json::to_string(value).map_err(|e| ptsearch::Error::Corrupt(e.to_string()))
}

#[pymodule]
fn _ptsearch(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<index::Index>()?;
    m.add_class::<index::DocumentIter>()?;
    m.add_function(wrap_pyfunction!(ingest::index, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
