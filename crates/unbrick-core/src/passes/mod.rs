//! Edits of the `.wasm`, one per file.

pub mod export_global;
