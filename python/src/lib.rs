//! `ptsearch._ptsearch`: the native half of the Python package `ptsearch`.
//!
//! It holds no search logic: every call builds a library request (`ptsearch::search`,
//! `ptsearch::ingest`, the dictionary and stats functions), runs it with the GIL released, and
//! converts the answer to Python. Hits, summaries, documents, suggestions and stats go through
//! the library's own `serde` views, turned straight into Python dicts and lists by [`topy`]
//! (the objects `json.loads` makes of the CLI's JSON, without the text); bulk tables
//! (annotations, relations) come back as columns of Python lists that the pure-Python layer
//! turns into pandas frames.
//!
//! Modules: [`errors`] (exception classes and the mapping from `ptsearch::Error`), [`index`]
//! (the `Index` class), [`columns`] (per-document tables), [`ingest`] (`index()`), [`topy`]
//! (serde views to Python objects), [`sample`] (a value for the conversion's tests).

// The CLI's allocator (src/main.rs): the library allocates many small buffers per hit.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod columns;
mod errors;
mod index;
mod ingest;
mod sample;
mod topy;

use pyo3::prelude::*;

#[pymodule]
fn _ptsearch(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<index::Index>()?;
    m.add_class::<index::DocumentIter>()?;
    m.add_class::<columns::HitEntityIds>()?;
    m.add_function(wrap_pyfunction!(ingest::index, m)?)?;
    m.add_function(wrap_pyfunction!(sample::_conversion_sample, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
