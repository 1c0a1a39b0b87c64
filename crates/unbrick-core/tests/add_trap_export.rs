//! `passes::add_trap_export`, file-driven: each `tests/add-trap-export/<name>.wat`
//! is one test. The output must validate, export [`TRAP_EXPORT`] as a
//! function without parameters or results, keep every section but the
//! type, function, export and code sections byte for byte, and print as
//! `<name>.trapping.wat` (`UPDATE_EXPECTED=1` rewrites it).

use std::path::Path;

use unbrick_core::passes::add_trap_export::{self, TRAP_EXPORT};
use unbrick_core::wasm_info::{self, EntityKind};

mod common {
    pub mod cases;
    pub mod expected;
    pub mod wasm;
}

use common::{cases, expected, wasm::sections};

/// The sections the pass appends to.
const EDITED_SECTIONS: [u8; 4] = [1, 3, 7, 10];

fn main() {
    cases::run(cases::each("tests/add-trap-export", is_input, adds_a_trapping_export))
}

/// `<name>.wat` is an input; `<name>.trapping.wat` is its expected output.
fn is_input(name: &str) -> bool {
    name.ends_with(".wat") && name.matches('.').count() == 1
}

/// The functions of the module, imported and defined.
fn function_count(bytes: &[u8]) -> Result<u32, String> {
    let info = wasm_info::read(bytes).map_err(|e| e.to_string())?;
    let imported = info.imports.iter().filter(|i| i.kind == EntityKind::Function).count() as u32;
    let mut defined = 0;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let wasmparser::Payload::FunctionSection(reader) = payload.map_err(|e| e.to_string())? {
            defined = reader.count();
        }
    }
    Ok(imported + defined)
}

fn adds_a_trapping_export(path: &Path) -> Result<(), String> {
    let input = wat::parse_file(path).map_err(|e| e.to_string())?;
    let output = add_trap_export::run(&input).map_err(|e| e.to_string())?;
    wasmparser::Validator::new().validate_all(&output).map_err(|e| format!("the output does not validate: {e}"))?;
    let info = wasm_info::read(&output).map_err(|e| e.to_string())?;
    let trap = info
        .exports
        .iter()
        .find(|e| e.name == TRAP_EXPORT && e.kind == EntityKind::Function)
        .ok_or(format!("no function is exported as {TRAP_EXPORT}"))?;
    if trap.index + 1 != function_count(&output)? {
        return Err(format!("{TRAP_EXPORT} is function {}, not the last one", trap.index));
    }
    let others = |bytes: &[u8]| -> Vec<(u8, Vec<u8>)> {
        sections(bytes).into_iter().filter(|(id, _)| !EDITED_SECTIONS.contains(id)).collect()
    };
    if others(&input) != others(&output) {
        return Err("a section the pass does not edit changed".into());
    }
    let printed = wasmprinter::print_bytes(&output).map_err(|e| e.to_string())?;
    expected::check(&path.with_extension("trapping.wat"), &printed)
}
