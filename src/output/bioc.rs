//! BioC writers, kept with their readers in [`crate::interop`]; re-exported for the printers.

pub use crate::interop::{BiocJsonWriter, BiocXmlWriter};
