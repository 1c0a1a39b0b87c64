//! `passes::catch_wrappers` on the committed wasm-bindgen 0.2.130 outputs:
//! the `catch` imports of the panic=unwind builds are found, with the one
//! function that stores an exception; a panic=abort build has none.

use unbrick_core::passes::catch_wrappers;
use wasmparser::{Parser, Payload, TypeRef};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/out/{name}/nodejs/bricked_bg.wasm", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The names of the function imports, by function index.
fn function_imports(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::ImportSection(reader) = payload.unwrap() {
            for import in reader.into_imports() {
                let import = import.unwrap();
                if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                    names.push(import.name.to_string());
                }
            }
        }
    }
    names
}

#[test]
fn the_catch_imports_of_panic_unwind_builds() {
    for name in ["wbg-0.2.130-unwind-modern", "wbg-0.2.130-unwind-legacy"] {
        let bytes = fixture(name);
        let names = function_imports(&bytes);
        let found = catch_wrappers::find(&bytes).unwrap().unwrap_or_else(|| panic!("{name}: no catch wrappers"));
        let found_names: Vec<&str> = found.imports.iter().map(|&i| names[i as usize].as_str()).collect();
        // Function::call0 (with_callback) and Function::call1 (sum_with) are `catch` imports.
        for call in ["__wbg_call_40b008ba32f73991", "__wbg_call_a410eb4b59ed5965"] {
            assert!(found_names.contains(&call), "{name}: {call} not among {found_names:?}");
        }
        assert!(found_names.iter().all(|n| n.starts_with("__wbg_")), "{name}: {found_names:?}");
        assert!(found.store as usize >= names.len(), "{name}: the store is a function of the module");
    }
}

#[test]
fn none_in_a_panic_abort_build() {
    assert_eq!(catch_wrappers::find(&fixture("wbg-0.2.130")).unwrap(), None);
}
