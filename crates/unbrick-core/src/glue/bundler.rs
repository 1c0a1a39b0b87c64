//! The bundler target's entry file: `import * as wasm from "./x_bg.wasm"`,
//! `__wbg_set_wasm(wasm)`, and a re-export of `x_bg.js`.

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_parser::Parser;
use oxc_span::{SourceType, Span};

pub struct EntryFacts {
    /// The whole `import * as wasm from "./x_bg.wasm";` statement.
    pub wasm_import: Span,
    /// The local name of that namespace (`wasm`).
    pub namespace: String,
    /// Where `, __unbrick` goes in `export { ... } from "./x_bg.js"`.
    pub export_list_end: Option<u32>,
    /// `export * from "./x_bg.js"` re-exports the handle already.
    pub exports_all: bool,
    pub already_patched: bool,
}

pub fn analyze_entry(source: &str) -> Result<Option<EntryFacts>, String> {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, source, SourceType::mjs()).parse();
    if ret.panicked || !ret.diagnostics.is_empty() {
        return Err(ret.diagnostics.first().map(|d| d.to_string()).unwrap_or_default());
    }
    let mut wasm_import = None;
    let mut export_list_end = None;
    let mut exports_all = false;
    for stmt in &ret.program.body {
        match stmt {
            Statement::ImportDeclaration(import) if import.source.value.ends_with(".wasm") => {
                let namespace = import.specifiers.as_ref().and_then(|specs| {
                    specs.iter().find_map(|s| match s {
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(ns) => Some(ns.local.name.to_string()),
                        _ => None,
                    })
                });
                if let Some(namespace) = namespace {
                    wasm_import = Some((import.span, namespace));
                }
            }
            Statement::ExportFromDeclaration(export) => {
                export_list_end = export.specifiers.last().map(|s| s.span.end);
            }
            Statement::ExportAllDeclaration(export) if export.exported.is_none() => exports_all = true,
            _ => {}
        }
    }
    let already_patched = source.contains(crate::runtime::PATCHED_MARKER);
    // Our own loader (see `patch_bundler_entry`) in place of the .wasm import.
    let loader = already_patched && source.contains(".__load(new URL(");
    Ok(match wasm_import {
        Some((span, namespace)) => {
            Some(EntryFacts { wasm_import: span, namespace, export_list_end, exports_all, already_patched })
        }
        None if loader => Some(EntryFacts {
            wasm_import: Span::default(),
            namespace: String::new(),
            export_list_end,
            exports_all,
            already_patched,
        }),
        None => None,
    })
}
