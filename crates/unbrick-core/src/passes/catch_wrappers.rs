//! Finds wasm-bindgen's catch wrappers in a panic=unwind module: the
//! function around each `catch` import (a `Result` import such as
//! `Function::call0`) that calls it in a `try_table`/`try`, and in its
//! handler puts the JS exception in the externref table and hands the slot
//! to `__wbindgen_exn_store`. The reinit-only variant strips the handlers;
//! the runtime then does their work in the import's JS wrapper.

use std::collections::BTreeSet;

use wasmparser::{BinaryReaderError, Catch, Operator, Parser, Payload, TypeRef};

/// The `catch` imports (function indices, which are also their positions
/// among the function imports) and the function that stores an exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatchWrappers {
    pub imports: Vec<u32>,
    pub store: u32,
}

/// None when the module has no catch wrapper, or when they do not agree on
/// the store function.
pub fn find(bytes: &[u8]) -> Result<Option<CatchWrappers>, BinaryReaderError> {
    let mut imported_functions = 0;
    let mut imports = BTreeSet::new();
    let mut stores = BTreeSet::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut catches = false;
                let mut called = BTreeSet::new();
                let mut store = None;
                // The two operators before the current one.
                let (mut before, mut last): (Option<Operator>, Option<Operator>) = (None, None);
                for op in body.get_operators_reader()? {
                    let op = op?;
                    match &op {
                        Operator::TryTable { try_table } => {
                            catches |= try_table.catches.iter().any(|c| matches!(c, Catch::One { .. }));
                        }
                        Operator::Catch { .. } => catches = true,
                        Operator::Call { function_index } if *function_index < imported_functions => {
                            called.insert(*function_index);
                        }
                        // `table.set $externrefs (slot, exception)`, `local.get $slot`, `call $store`.
                        Operator::Call { function_index }
                            if matches!(before, Some(Operator::TableSet { .. }))
                                && matches!(last, Some(Operator::LocalGet { .. })) =>
                        {
                            store = Some(*function_index);
                        }
                        _ => {}
                    }
                    before = last.take();
                    last = Some(op);
                }
                if let (true, 1, Some(store)) = (catches, called.len(), store) {
                    imports.extend(called);
                    stores.insert(store);
                }
            }
            _ => {}
        }
    }
    Ok(match (imports.is_empty(), stores.len()) {
        (false, 1) => Some(CatchWrappers { imports: imports.into_iter().collect(), store: *stores.first().unwrap() }),
        _ => None,
    })
}
