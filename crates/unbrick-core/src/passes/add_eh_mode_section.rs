//! Appends a custom section naming the module's exception-handling mode
//! (`modern`, `legacy` or `none`), so that the runtime follows the module
//! it actually instantiates, whichever file the host chose
//! (`WebAssembly.Module.customSections`). A module without it is the
//! build's own flavour. Appending copies the file and changes no byte of it.

use wasm_encoder::{CustomSection, Section};

use crate::options::EhMode;

/// The custom section's name.
pub const EH_MODE_SECTION: &str = "wasm-unbrick.eh";

/// Returns `bytes` with the section naming `mode` at the end.
pub fn run(bytes: &[u8], mode: EhMode) -> Vec<u8> {
    let section = CustomSection { name: EH_MODE_SECTION.into(), data: mode.as_str().as_bytes().into() };
    let mut out = Vec::with_capacity(bytes.len() + 32);
    out.extend_from_slice(bytes);
    section.append_to(&mut out);
    out
}
