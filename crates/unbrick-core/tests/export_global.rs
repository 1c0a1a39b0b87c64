//! `passes::add_export` of the stack pointer, file-driven: each `tests/export-global/<name>.wat`
//! is one test. Its shadow stack pointer (found as the patch finds it) is
//! exported; the output, printed as text, is compared with
//! `<name>.exported.wat` (`UPDATE_EXPECTED=1` rewrites it), and every
//! section other than the export section must be byte for byte the input's.

use std::path::Path;

use unbrick_core::passes::add_export;
use unbrick_core::wasm_info::{self, EntityKind};
use unbrick_core::STACK_POINTER_EXPORT;
use wasm_encoder::ExportKind;

mod common {
    pub mod cases;
    pub mod expected;
    pub mod wasm;
}

use common::{cases, expected, wasm::sections};

const EXPORT_SECTION: u8 = 7;

fn main() {
    cases::run(cases::each("tests/export-global", is_input, exports_the_stack_pointer))
}

/// `<name>.wat` is an input; `<name>.exported.wat` is its expected output.
fn is_input(name: &str) -> bool {
    name.ends_with(".wat") && name.matches('.').count() == 1
}

fn exports_the_stack_pointer(path: &Path) -> Result<(), String> {
    let input = wat::parse_file(path).map_err(|e| e.to_string())?;
    let info = wasm_info::read(&input).map_err(|e| e.to_string())?;
    let sp = info.stack_pointer.ok_or("no shadow stack pointer found")?;
    if let Some(name) = sp.exported_as {
        return Err(format!("the stack pointer is already exported as {name}: nothing to test"));
    }
    let output =
        add_export::run(&input, ExportKind::Global, sp.global, STACK_POINTER_EXPORT).map_err(|e| e.to_string())?;
    wasmparser::Validator::new().validate_all(&output).map_err(|e| format!("the output does not validate: {e}"))?;
    let info = wasm_info::read(&output).map_err(|e| e.to_string())?;
    if !info
        .exports
        .iter()
        .any(|e| e.name == STACK_POINTER_EXPORT && e.kind == EntityKind::Global && e.index == sp.global)
    {
        return Err(format!("global {} is not exported as {STACK_POINTER_EXPORT}", sp.global));
    }
    let others = |bytes: &[u8]| -> Vec<(u8, Vec<u8>)> {
        sections(bytes).into_iter().filter(|(id, _)| *id != EXPORT_SECTION).collect()
    };
    if others(&input) != others(&output) {
        return Err("a section other than the export section changed".into());
    }
    let printed = wasmprinter::print_bytes(&output).map_err(|e| e.to_string())?;
    expected::check(&path.with_extension("exported.wat"), &printed)
}
