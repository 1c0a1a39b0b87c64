//! Edits of the `.wasm`, one per file.

pub mod eh_rewrite;
pub mod eh_to_legacy;
pub mod eh_to_modern;
pub mod export_global;
pub mod strip_eh;
