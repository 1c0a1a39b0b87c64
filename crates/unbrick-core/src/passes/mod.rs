//! Edits of the `.wasm`, one per file.

pub mod add_eh_mode_section;
pub mod add_export;
pub mod add_trap_export;
pub mod catch_wrappers;
pub mod eh_rewrite;
pub mod eh_to_legacy;
pub mod eh_to_modern;
pub mod strip_eh;
