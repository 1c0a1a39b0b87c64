//! Reads a wasm-bindgen glue file with oxc and records, with spans, every
//! place the patcher must touch. It recognises shapes (an instantiation
//! site, a `.exports` binding, a class with `__wrap`), not versions.

use std::collections::HashSet;

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType, Span};
use oxc_syntax::scope::ScopeFlags;
use serde::Serialize;

use crate::runtime::PATCHED_MARKER;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleKind {
    Esm,
    CommonJs,
    Script,
}

/// Where a glue file instantiates the module.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstantiationSite {
    /// `WebAssembly.Instance`, `WebAssembly.instantiate` or `WebAssembly.instantiateStreaming`.
    pub api: &'static str,
    pub line: usize,
    #[serde(skip)]
    pub callee: Span,
}

/// Where a glue file names the `.wasm` it loads, so that a variant can be
/// loaded instead.
#[derive(Debug, Clone)]
pub enum WasmFileSite {
    /// `new URL('x_bg.wasm', import.meta.url)`: bundlers need one such
    /// static expression per file.
    Url { span: Span, file: String },
    /// A string or template piece ending in the file name (`'x_bg.wasm'`,
    /// `` `${__dirname}/x_bg.wasm` ``, the no-modules `'_bg.wasm'`):
    /// `dot` is the offset of its `.wasm`; `quote` is None in a template.
    Text { dot: u32, quote: Option<char>, file: String },
}

/// `__wbg_call_guard()` (checks wasm-bindgen's terminated flag) or
/// `__wbg_handle_catch(e)` (unwraps JS exceptions, sets the flag, rethrows).
#[derive(Debug, Clone)]
pub struct UpstreamGuard {
    pub name: String,
    /// The statements that are replaced: all of `__wbg_call_guard`; those of
    /// `__wbg_handle_catch` after its `if` statements that unwrap JS values.
    pub replaced: Option<Span>,
    /// `__wbg_handle_catch`'s parameter, rethrown instead.
    pub rethrow: Option<String>,
}

/// One step of the glue's module-level initialisation, replayed on reset.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum StateStep {
    /// `name = <initializer>;`
    Assign {
        name: String,
        line: usize,
        #[serde(skip)]
        init: Span,
        /// The `const` keyword to turn into `let`.
        #[serde(skip)]
        const_keyword: Option<Span>,
        registry: bool,
    },
    /// A top-level call on a state variable, such as `heap.push(...)`.
    Replay {
        line: usize,
        #[serde(skip)]
        statement: Span,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub name: String,
    pub kind: &'static str,
    #[serde(skip)]
    pub body_start: u32,
    #[serde(skip)]
    pub returns: Vec<Span>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassFacts {
    pub name: String,
    pub line: usize,
    /// The field holding the Rust pointer (`__wbg_ptr`, `ptr` in old glue).
    pub pointer_field: Option<String>,
    pub members: Vec<Member>,
    #[serde(skip)]
    pub free_body_start: Option<u32>,
    /// End of the class declaration statement.
    #[serde(skip)]
    pub end: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unrecognised {
    pub what: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GlueFacts {
    pub module_kind: ModuleKind,
    pub already_patched: bool,
    pub upstream_abort_handling: bool,
    /// wasm-bindgen's own guard functions, which the patch turns off: the
    /// export guards do their work.
    #[serde(skip)]
    pub upstream_guards: Vec<UpstreamGuard>,
    /// The binding that holds the instance's exports (`wasm`).
    pub wasm_binding: Option<String>,
    /// `__wbg_set_wasm` in the bundler target's `x_bg.js`.
    pub wasm_setter: Option<String>,
    /// Another place the glue stores the exports (`exports.__wasm`).
    pub wasm_alias: Option<String>,
    /// Top-level statements that hand the exports to other code.
    #[serde(skip)]
    pub wasm_handoffs: Vec<Span>,
    /// `const` of `const wasm = ...`: it becomes `let` so that a new
    /// instance's exports can be assigned.
    #[serde(skip)]
    pub wasm_const_keyword: Option<Span>,
    pub instantiation_sites: Vec<InstantiationSite>,
    pub state: Vec<StateStep>,
    pub classes: Vec<ClassFacts>,
    /// Exported functions that are not wasm imports, with their bodies.
    pub functions: Vec<Member>,
    /// How `functions` were found: `exports`, or `calls into the instance`
    /// when the glue's exports could not be read.
    pub api_found_by: &'static str,
    pub closure_factories: Vec<String>,
    /// Module-level variables that are not glue state and are not reset.
    pub left_alone: Vec<String>,
    pub exported_names: Vec<String>,
    pub has_init_sync: bool,
    pub uses_import_meta: bool,
    /// The no-modules target: everything inside one function.
    pub wrapped_in_function: bool,
    /// `import source x from "x_bg.wasm"` (the module target).
    pub imports_wasm_source: bool,
    /// Imports `fs` or `node:fs` (the experimental-nodejs-module target).
    pub imports_node_fs: bool,
    pub uses_require: bool,
    pub imports_wasm_module: Option<String>,
    pub unrecognised: Vec<Unrecognised>,
    #[serde(skip)]
    pub wasm_file_sites: Vec<WasmFileSite>,
    #[serde(skip)]
    pub closure_factory_ends: Vec<u32>,
    #[serde(skip)]
    pub finalizer_callbacks: Vec<Span>,
    #[serde(skip)]
    pub console_error_callees: Vec<Span>,
    /// Callbacks given to `queueMicrotask` or `.then`.
    #[serde(skip)]
    pub host_callbacks: Vec<Span>,
    /// Where the runtime block goes: after the last import declaration, or
    /// before the first statement.
    #[serde(skip)]
    pub top: u32,
    /// Where the reset function and the guards go: the end of the file, or
    /// of the no-modules target's function wrapper.
    #[serde(skip)]
    pub tail: u32,
    #[serde(skip)]
    pub top_after_import: bool,
    #[serde(skip)]
    pub exports_object: Option<&'static str>,
    /// The no-modules wrapper's exports object (`exports` or `__exports`),
    /// and where to add the handle to it.
    #[serde(skip)]
    pub exports_object_name: Option<(String, u32)>,
}

/// Parses `source`; `imports` are the names the `.wasm` imports, whose glue
/// functions are not API entry points.
pub fn analyze(source: &str, imports: &HashSet<&str>) -> Result<GlueFacts, String> {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, source, SourceType::mjs()).parse();
    let ret = if ret.panicked || !ret.diagnostics.is_empty() {
        // CommonJS glue may use `module`/`exports` freely; script goal.
        let script = Parser::new(&allocator, source, SourceType::cjs()).parse();
        if script.panicked || !script.diagnostics.is_empty() {
            let first = ret.diagnostics.first().map(|d| d.to_string()).unwrap_or_default();
            return Err(first);
        }
        script
    } else {
        ret
    };
    let program = &ret.program;
    let lines = LineIndex::new(source);

    let mut facts = GlueFacts {
        module_kind: ModuleKind::Script,
        already_patched: source.contains(PATCHED_MARKER),
        upstream_abort_handling: false,
        upstream_guards: Vec::new(),
        wasm_file_sites: Vec::new(),
        wasm_binding: None,
        wasm_setter: None,
        wasm_alias: None,
        wasm_const_keyword: None,
        wasm_handoffs: Vec::new(),
        instantiation_sites: Vec::new(),
        state: Vec::new(),
        classes: Vec::new(),
        functions: Vec::new(),
        api_found_by: "exports",
        closure_factories: Vec::new(),
        left_alone: Vec::new(),
        exported_names: Vec::new(),
        has_init_sync: false,
        uses_import_meta: false,
        wrapped_in_function: false,
        imports_wasm_source: false,
        imports_node_fs: false,
        uses_require: false,
        imports_wasm_module: None,
        unrecognised: Vec::new(),
        closure_factory_ends: Vec::new(),
        finalizer_callbacks: Vec::new(),
        console_error_callees: Vec::new(),
        host_callbacks: Vec::new(),
        top: 0,
        tail: source.len() as u32,
        top_after_import: false,
        exports_object: None,
        exports_object_name: None,
    };

    // Whole-program scan: instantiation sites, the exports binding,
    // registries, console.error, identifiers of interest.
    let mut scan = Scan::default();
    scan.visit_program(program);
    facts.uses_import_meta = scan.import_meta;
    let mut wasm_files = WasmFiles { source, sites: Vec::new() };
    wasm_files.visit_program(program);
    facts.wasm_file_sites = wasm_files.sites;
    facts.uses_require = scan.identifiers.contains("require");
    facts.upstream_abort_handling =
        scan.identifiers.contains("__wbg_call_guard") || source.contains("__instance_terminated");
    facts.console_error_callees = scan.console_error;
    facts.host_callbacks = scan.host_callbacks;
    facts.finalizer_callbacks = scan.finalizers;
    facts.wasm_binding = scan.exports_binding.clone();
    facts.wasm_alias = scan.exports_alias.clone();
    for (api, callee) in scan.sites {
        facts.instantiation_sites.push(InstantiationSite { api, line: lines.line(callee.start), callee });
    }

    // The no-modules target wraps everything in `let wasm_bindgen =
    // (function(exports) { ... })({})`: its body is the top level.
    let body: &[Statement] = match no_modules_body(program) {
        Some((function_body, exports)) => {
            facts.tail = function_body.span.end - 1;
            facts.wrapped_in_function = true;
            // Before the last statement, which merges that object into `wasm_bindgen`.
            let last = function_body.statements.last().map(|s| s.span().start).unwrap_or(facts.tail);
            facts.exports_object_name = Some((exports, last));
            &function_body.statements
        }
        None => &program.body,
    };
    facts.top = body.first().map(|s| s.span().start).unwrap_or(0);
    let wrapper = facts.exports_object_name.as_ref().map(|(name, _)| name.clone());

    // Top level: module kind, exports, classes, functions, state.
    let mut exported: Vec<String> = Vec::new();
    // (local, exported) for `export { local as exported }`.
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut is_esm = false;
    let mut leading_imports = true;
    for stmt in body {
        leading_imports &= matches!(stmt, Statement::ImportDeclaration(_));
        match stmt {
            Statement::ImportDeclaration(import) => {
                is_esm = true;
                // After the imports the file starts with; imports further
                // down are hoisted anyway.
                if leading_imports {
                    facts.top = import.span.end;
                    facts.top_after_import = true;
                }
                if import.source.value.ends_with(".wasm") {
                    if import.phase.is_some() {
                        facts.imports_wasm_source = true;
                    } else {
                        facts.imports_wasm_module = Some(import.source.value.to_string());
                    }
                }
                if import.source.value == "fs" || import.source.value == "node:fs" {
                    facts.imports_node_fs = true;
                }
            }
            Statement::ExportDeclaration(export) => {
                is_esm = true;
                match &export.declaration {
                    Declaration::FunctionDeclaration(f) => exported.extend(f.name().map(|n| n.to_string())),
                    Declaration::ClassDeclaration(c) => exported.extend(c.name().map(|n| n.to_string())),
                    Declaration::VariableDeclaration(v) => exported.extend(
                        v.declarations.iter().filter_map(|d| d.id.get_identifier_name()).map(|n| n.to_string()),
                    ),
                    _ => {}
                }
            }
            Statement::ExportNamedDeclaration(export) => {
                is_esm = true;
                for spec in &export.specifiers {
                    exported.push(spec.local.name().to_string());
                    // `export { t as __wbg_set_wasm }` in minified glue.
                    let public = spec.exported.name().to_string();
                    if public != spec.local.name().as_str() {
                        renamed.push((spec.local.name().to_string(), public));
                    }
                }
            }
            Statement::ExportDefaultDeclaration(_)
            | Statement::ExportAllDeclaration(_)
            | Statement::ExportFromDeclaration(_) => is_esm = true,
            Statement::ExpressionStatement(expr) => {
                if let Some((object, name)) = cjs_export(&expr.expression, wrapper.as_deref()) {
                    if object != "wrapper" {
                        facts.exports_object = Some(object);
                    }
                    exported.push(name);
                }
            }
            _ => {}
        }
    }
    facts.module_kind = if is_esm || facts.uses_import_meta {
        ModuleKind::Esm
    } else if !facts.wrapped_in_function
        && (facts.exports_object.is_some() || facts.uses_require || scan.module_exports)
    {
        ModuleKind::CommonJs
    } else {
        ModuleKind::Script
    };
    facts.exported_names = exported.clone();
    let exported: HashSet<String> = exported.into_iter().collect();
    let is_api = |name: &str| {
        exported.contains(name)
            && !imports.contains(name)
            && !name.starts_with("__wbg_")
            && !name.starts_with("__wbindgen")
            && name != "initSync"
    };

    let mut state_names: HashSet<String> = HashSet::new();
    let mut excluded: HashSet<String> = ["WebAssembly", "require", "__dirname", "__filename", "Deno", "process"]
        .into_iter()
        .map(String::from)
        .collect();
    excluded.extend(scan.instantiation_args);
    // The bundler target's `__wbg_set_wasm(val) { wasm = val; }` names the
    // binding (also when minified and exported under that name).
    for stmt in body {
        let f = match stmt {
            Statement::FunctionDeclaration(f) => f,
            Statement::ExportDeclaration(export) => match &export.declaration {
                Declaration::FunctionDeclaration(f) => f,
                _ => continue,
            },
            _ => continue,
        };
        let Some(name) = f.name() else { continue };
        let public =
            renamed.iter().find(|(local, _)| local == name.as_str()).map(|(_, p)| p.as_str()).unwrap_or(name.as_str());
        if public == "__wbg_set_wasm" {
            facts.wasm_setter = Some(name.to_string());
            if facts.wasm_binding.is_none() {
                facts.wasm_binding = single_assigned_identifier(f);
            }
        }
    }
    excluded.extend(facts.wasm_binding.clone());
    // Variables written by functions that use the instance (minified glue
    // renames the state, so names alone do not find it).
    let written_by_glue = match facts.wasm_binding.as_deref() {
        Some(binding) => {
            let mut writes = GlueWrites { binding, frames: Vec::new(), found: HashSet::new() };
            writes.visit_program(program);
            writes.found
        }
        None => HashSet::new(),
    };

    for stmt in body {
        let (decl, stmt_end): (Option<&Declaration>, u32) = match stmt {
            Statement::ExportDeclaration(export) => (Some(&export.declaration), export.span.end),
            _ => (stmt.as_declaration(), stmt.span().end),
        };
        if let Some(decl) = decl {
            match decl {
                Declaration::FunctionDeclaration(f) => {
                    let Some(name) = f.name() else { continue };
                    let name = name.to_string();
                    let public =
                        renamed.iter().find(|(local, _)| *local == name).map(|(_, p)| p.as_str()).unwrap_or(&name);
                    if matches!(public, "initSync" | "__wbg_init" | "default") && name != "__wbg_load" {
                        facts.has_init_sync = true;
                    }
                    if name == "__wbg_call_guard" || name == "__wbg_handle_catch" {
                        facts.upstream_guards.extend(upstream_guard(&name, f));
                    }
                    if is_closure_factory(f) {
                        facts.closure_factories.push(name.clone());
                        facts.closure_factory_ends.push(stmt_end);
                    }
                    if is_api(&name) {
                        if let Some(member) = function_member(&name, "function", f) {
                            facts.functions.push(member);
                        }
                    }
                }
                Declaration::ClassDeclaration(class) => {
                    // Classes without a pointer field are the glue's own JS
                    // classes (`PanicError`), not Rust objects.
                    if let Some(facts_of_class) =
                        class_facts(class, None, stmt_end, &lines).filter(|c| c.pointer_field.is_some())
                    {
                        facts.classes.push(facts_of_class);
                    }
                }
                Declaration::VariableDeclaration(var) => {
                    let declares_binding = var.declarations.iter().any(|d| {
                        d.id.get_identifier_name().is_some_and(|n| Some(n.as_str()) == facts.wasm_binding.as_deref())
                    });
                    if declares_binding && var.kind == VariableDeclarationKind::Const {
                        facts.wasm_const_keyword = Some(Span::new(var.span.start, var.span.start + 5));
                    }
                    for d in &var.declarations {
                        let (Some(name), Some(init)) = (d.id.get_identifier_name(), d.init.as_ref()) else { continue };
                        let name = name.to_string();
                        let mut refs = Scan { skip_functions: true, ..Scan::default() };
                        refs.visit_expression(init);
                        if excluded.contains(&name)
                            || refs.import_meta
                            || refs.identifiers.iter().any(|i| excluded.contains(i))
                        {
                            excluded.insert(name);
                            continue;
                        }
                        // `var X = class { ... }` (esbuild bundles).
                        if let Expression::ClassExpression(class) = init {
                            if let Some(c) =
                                class_facts(class, Some(&name), stmt_end, &lines).filter(|c| c.pointer_field.is_some())
                            {
                                facts.classes.push(c);
                            }
                            continue;
                        }
                        let registry = !refs.finalizers.is_empty();
                        let derived = refs.identifiers.iter().any(|i| state_names.contains(i));
                        let container =
                            matches!(var.kind, VariableDeclarationKind::Const) && is_mutable_container(init);
                        if !registry
                            && !derived
                            && !container
                            && !written_by_glue.contains(&name)
                            && !is_glue_state_name(&name)
                        {
                            if !matches!(
                                init,
                                Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
                            ) {
                                facts.left_alone.push(name);
                            }
                            continue;
                        }
                        let const_keyword = (var.kind == VariableDeclarationKind::Const)
                            .then(|| Span::new(var.span.start, var.span.start + 5));
                        facts.state.push(StateStep::Assign {
                            name: name.clone(),
                            line: lines.line(d.span.start),
                            init: init.span(),
                            const_keyword,
                            registry,
                        });
                        state_names.insert(name);
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Statement::ExpressionStatement(expr) = stmt {
            // `setWasmExports(wasm)`, `module.exports.__wasm = wasm`: the
            // exports handed to other code, again for each new instance.
            if let Some(binding) = facts.wasm_binding.as_deref() {
                let hands_over = match &expr.expression {
                    Expression::CallExpression(call) => {
                        call.arguments.iter().any(|a| a.as_expression().is_some_and(|e| e.is_specific_id(binding)))
                    }
                    Expression::AssignmentExpression(assign) => {
                        assign.right.is_specific_id(binding)
                            && !matches!(&assign.left, AssignmentTarget::AssignmentTargetIdentifier(id) if id.name == binding)
                    }
                    _ => false,
                };
                if hands_over {
                    facts.wasm_handoffs.push(expr.span);
                }
            }
            // `heap.push(...)`, `cachedTextDecoder.decode()`.
            if let Expression::CallExpression(call) = &expr.expression {
                if let Some(member) = call.callee.as_member_expression() {
                    if let Some(object) = member.object().get_identifier_reference() {
                        if state_names.contains(object.name.as_str()) {
                            facts
                                .state
                                .push(StateStep::Replay { line: lines.line(expr.span.start), statement: expr.span });
                        }
                    }
                }
            }
            // `module.exports.add = function (a, b) {...}` in old CommonJS glue.
            if let Expression::AssignmentExpression(assign) = &expr.expression {
                if let (Some((_, name)), Expression::FunctionExpression(f)) =
                    (cjs_export(&expr.expression, wrapper.as_deref()), &assign.right)
                {
                    if name == "__wbg_set_wasm" {
                        facts.wasm_setter = Some(name.clone());
                        if facts.wasm_binding.is_none() {
                            facts.wasm_binding = single_assigned_identifier(f);
                        }
                    }
                    if is_api(&name) {
                        facts.functions.extend(function_member(&name, "function", f));
                    }
                }
            }
        }
    }

    // Bundled or hand-written glue whose exports are not `export function`
    // or `exports.x = x`: every top-level function that calls into the
    // instance gets the entry check (harmless where it is not an entry).
    if facts.functions.is_empty() {
        if let Some(binding) = facts.wasm_binding.clone() {
            facts.api_found_by = "calls into the instance";
            for stmt in body {
                let Statement::FunctionDeclaration(f) = stmt else { continue };
                let Some(name) = f.name() else { continue };
                let name = name.to_string();
                if imports.contains(name.as_str())
                    || name.starts_with("__wbg")
                    || name.starts_with("__wbindgen")
                    || facts.closure_factories.contains(&name)
                {
                    continue;
                }
                let mut calls = CallsBinding { binding: &binding, found: false };
                calls.visit_function(f, ScopeFlags::Function);
                if calls.found {
                    facts.functions.extend(function_member(&name, "function", f));
                }
            }
        }
    }
    // Async API functions cannot be known here; all return spans are kept
    // and the patcher picks those the `.d.ts` declares as Promise.
    Ok(facts)
}

/// The no-modules target's wrapper: `let wasm_bindgen = (function(exports)
/// { ... })(...)`, or in older versions `let wasm_bindgen; (function() {
/// const __exports = {}; ... })();`. Returns its body and the name of the
/// object merged into `wasm_bindgen`.
fn no_modules_body<'p, 'a>(program: &'p Program<'a>) -> Option<(&'p FunctionBody<'a>, String)> {
    let call = match program.body.as_slice() {
        [Statement::VariableDeclaration(var)] => {
            let declarator = var.declarations.first()?;
            if declarator.id.get_identifier_name()?.as_str() != "wasm_bindgen" {
                return None;
            }
            declarator.init.as_ref()?.get_inner_expression()
        }
        [Statement::VariableDeclaration(var), Statement::ExpressionStatement(expr)] => {
            var.declarations
                .iter()
                .find(|d| d.id.get_identifier_name().is_some_and(|n| n.as_str() == "wasm_bindgen"))?;
            expr.expression.get_inner_expression()
        }
        _ => return None,
    };
    let Expression::CallExpression(call) = call else { return None };
    let Expression::FunctionExpression(function) = call.callee.get_inner_expression() else { return None };
    let body = function.body.as_deref()?;
    let exports = match function.params.items.first() {
        Some(param) => param.pattern.get_identifier_name()?.to_string(),
        None => body.statements.iter().find_map(|s| match s {
            Statement::VariableDeclaration(v) => v
                .declarations
                .iter()
                .filter_map(|d| d.id.get_identifier_name())
                .find(|n| n.as_str() == "__exports")
                .map(|n| n.to_string()),
            _ => None,
        })?,
    };
    Some((body, exports))
}

/// `exports.NAME = ...` or `module.exports.NAME = ...`, or `WRAPPER.NAME =
/// ...` with the no-modules wrapper's exports object.
fn cjs_export(expr: &Expression, wrapper: Option<&str>) -> Option<(&'static str, String)> {
    let Expression::AssignmentExpression(assign) = expr else { return None };
    let AssignmentTarget::StaticMemberExpression(target) = &assign.left else { return None };
    let name = target.property.name.to_string();
    if wrapper.is_some_and(|w| target.object.is_specific_id(w)) {
        Some(("wrapper", name))
    } else if target.object.is_specific_id("exports") {
        Some(("exports", name))
    } else if target.object.is_specific_member_access("module", "exports") {
        Some(("module.exports", name))
    } else {
        None
    }
}

fn is_mutable_container(init: &Expression) -> bool {
    match init {
        Expression::ArrayExpression(_) => true,
        Expression::NewExpression(new) => {
            ["Array", "Map", "Set", "WeakMap"].iter().any(|c| new.callee.is_specific_id(c))
        }
        // `new Array(128).fill(undefined)`
        Expression::CallExpression(call) => call
            .callee
            .as_member_expression()
            .is_some_and(|m| matches!(m.object(), Expression::NewExpression(_) | Expression::ArrayExpression(_))),
        _ => false,
    }
}

/// Names assigned inside functions that also use the exports binding.
struct GlueWrites<'b> {
    binding: &'b str,
    /// (uses the binding, names written) per function being visited.
    frames: Vec<(bool, Vec<String>)>,
    found: HashSet<String>,
}

impl GlueWrites<'_> {
    fn enter(&mut self) {
        self.frames.push((false, Vec::new()));
    }

    fn leave(&mut self) {
        if let Some((uses_binding, writes)) = self.frames.pop() {
            if uses_binding {
                self.found.extend(writes);
            }
        }
    }

    fn write(&mut self, name: &str) {
        if let Some(frame) = self.frames.last_mut() {
            frame.1.push(name.to_string());
        }
    }
}

impl<'a> Visit<'a> for GlueWrites<'_> {
    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.enter();
        walk::walk_function(self, it, flags);
        self.leave();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.enter();
        walk::walk_arrow_function_expression(self, it);
        self.leave();
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        if it.name == self.binding {
            if let Some(frame) = self.frames.last_mut() {
                frame.0 = true;
            }
        }
    }

    fn visit_simple_assignment_target(&mut self, it: &SimpleAssignmentTarget<'a>) {
        if let SimpleAssignmentTarget::AssignmentTargetIdentifier(id) = it {
            self.write(id.name.as_str());
        }
        walk::walk_simple_assignment_target(self, it);
    }
}

/// The module-level state wasm-bindgen's glue keeps, by the names it has
/// used from 0.2.7x on: memory views, the vector length, the heap slab, the
/// text decoder, registries, its own `__wbg_` flags. Other variables (a
/// bundle's or a wrapper's, like `initialized`) are left alone.
fn is_glue_state_name(name: &str) -> bool {
    let memory_view = (name.starts_with("cached") || name.starts_with("cacheget"))
        && name.trim_end_matches(|c: char| c.is_ascii_digit()).ends_with("Memory");
    memory_view
        || name.starts_with("__wbg_")
        || name.ends_with("Finalization")
        || matches!(
            name,
            "cachedTextDecoder"
                | "WASM_VECTOR_LEN"
                | "heap"
                | "heap_next"
                | "stack_pointer"
                | "numBytesDecoded"
                | "CLOSURE_DTORS"
        )
}

fn upstream_guard(name: &str, f: &Function) -> Option<UpstreamGuard> {
    let body = f.body.as_ref()?;
    let kept = if name == "__wbg_handle_catch" {
        body.statements.iter().take_while(|s| matches!(s, Statement::IfStatement(_))).count()
    } else {
        0
    };
    let rest = &body.statements[kept..];
    let replaced = match (rest.first(), rest.last()) {
        (Some(first), Some(last)) => Some(Span::new(first.span().start, last.span().end)),
        _ => None,
    };
    let rethrow = (name == "__wbg_handle_catch")
        .then(|| f.params.items.first().and_then(|p| p.pattern.get_identifier_name()).map(|n| n.to_string()))
        .flatten();
    Some(UpstreamGuard { name: name.to_string(), replaced, rethrow })
}

/// `makeMutClosure`/`makeClosure`, recognised by the state they keep
/// (`{ a: arg0, b: arg1, cnt: 1 }`) so that minified glue is recognised too.
fn is_closure_factory(f: &Function) -> bool {
    let Some(body) = &f.body else { return false };
    body.statements.iter().any(|s| {
        let Statement::VariableDeclaration(v) = s else { return false };
        v.declarations.iter().any(|d| {
            let Some(Expression::ObjectExpression(object)) = &d.init else { return false };
            let keys: Vec<String> = object
                .properties
                .iter()
                .filter_map(|p| match p {
                    ObjectPropertyKind::ObjectProperty(p) => p.key.static_name().map(|k| k.to_string()),
                    ObjectPropertyKind::SpreadProperty(_) => None,
                })
                .collect();
            ["a", "b", "cnt"].iter().all(|k| keys.iter().any(|key| key == k))
        })
    })
}

/// `function __wbg_set_wasm(val) { wasm = val; }` → `wasm`.
fn single_assigned_identifier(f: &Function) -> Option<String> {
    let body = f.body.as_ref()?;
    body.statements.iter().find_map(|s| match s {
        Statement::ExpressionStatement(e) => match &e.expression {
            Expression::AssignmentExpression(a) => match &a.left {
                AssignmentTarget::AssignmentTargetIdentifier(id) => Some(id.name.to_string()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

fn function_member(name: &str, kind: &'static str, f: &Function) -> Option<Member> {
    let body = f.body.as_ref()?;
    let mut returns = Returns::default();
    for stmt in &body.statements {
        returns.visit_statement(stmt);
    }
    Some(Member { name: name.to_string(), kind, body_start: body.span.start + 1, returns: returns.spans })
}

/// `name` is the variable an anonymous class expression is assigned to.
fn class_facts(class: &Class, name: Option<&str>, end: u32, lines: &LineIndex) -> Option<ClassFacts> {
    let name = name.map(str::to_string).or_else(|| class.name().map(|n| n.to_string()))?;
    let mut facts = ClassFacts {
        name,
        line: lines.line(class.span.start),
        pointer_field: None,
        members: Vec::new(),
        free_body_start: None,
        end,
    };
    for element in &class.body.body {
        let ClassElement::MethodDefinition(method) = element else { continue };
        let Some(key) = method.key.static_name() else { continue };
        let key = key.to_string();
        if key == "__wrap" && method.r#static {
            facts.pointer_field = facts.pointer_field.take().or_else(|| wrap_pointer_field(&method.value));
            continue;
        }
        if key == "__destroy_into_raw" {
            facts.pointer_field = destroy_pointer_field(&method.value).or(facts.pointer_field.take());
            continue;
        }
        if key == "free" {
            facts.free_body_start = method.value.body.as_ref().map(|b| b.span.start + 1);
            continue;
        }
        if key.starts_with("__") {
            continue;
        }
        let kind = match method.kind {
            MethodDefinitionKind::Constructor => "constructor",
            MethodDefinitionKind::Get => "getter",
            MethodDefinitionKind::Set => "setter",
            MethodDefinitionKind::Method if method.r#static => "static method",
            MethodDefinitionKind::Method => "method",
        };
        facts.members.extend(function_member(&key, kind, &method.value));
    }
    Some(facts)
}

/// In `__destroy_into_raw() { const ptr = this.FIELD; this.FIELD = 0; ... }`, FIELD:
/// every class that can be freed has it, also those never returned by Rust.
fn destroy_pointer_field(f: &Function) -> Option<String> {
    let body = f.body.as_ref()?;
    body.statements.iter().find_map(|s| {
        let Statement::VariableDeclaration(v) = s else { return None };
        let init = v.declarations.first()?.init.as_ref()?;
        let Expression::StaticMemberExpression(member) = init else { return None };
        matches!(member.object, Expression::ThisExpression(_)).then(|| member.property.name.to_string())
    })
}

/// In `static __wrap(ptr) { const obj = ...; obj.FIELD = ptr; ... }`, FIELD.
fn wrap_pointer_field(f: &Function) -> Option<String> {
    let param = f.params.items.first()?.pattern.get_identifier_name()?;
    let body = f.body.as_ref()?;
    body.statements.iter().find_map(|s| {
        let Statement::ExpressionStatement(e) = s else { return None };
        let Expression::AssignmentExpression(a) = &e.expression else { return None };
        let AssignmentTarget::StaticMemberExpression(target) = &a.left else { return None };
        a.right.is_specific_id(param.as_str()).then(|| target.property.name.to_string())
    })
}

#[derive(Default)]
struct Scan {
    sites: Vec<(&'static str, Span)>,
    instantiation_args: Vec<String>,
    exports_binding: Option<String>,
    exports_alias: Option<String>,
    finalizers: Vec<Span>,
    console_error: Vec<Span>,
    host_callbacks: Vec<Span>,
    identifiers: HashSet<String>,
    import_meta: bool,
    /// `module.exports` appears somewhere (a CommonJS bundle).
    module_exports: bool,
    /// Only what an initializer evaluates: not the bodies of functions in it.
    skip_functions: bool,
}

impl Scan {
    fn site(&mut self, api: &'static str, callee: Span, args: &[Argument]) {
        self.sites.push((api, callee));
        for arg in args {
            if let Some(id) = arg.as_expression().and_then(|e| e.get_identifier_reference()) {
                self.instantiation_args.push(id.name.to_string());
            }
        }
    }

    fn exports_assignment(&mut self, target: &str, value: &Expression) {
        if let Expression::AssignmentExpression(inner) = value {
            if let AssignmentTarget::StaticMemberExpression(alias) = &inner.left {
                // `const wasm = exports.__wasm = ...exports`: keep the alias in step.
                if let Some(object) = alias.object.get_identifier_reference() {
                    self.exports_alias = Some(format!("{}.{}", object.name, alias.property.name));
                }
            }
            return self.exports_assignment(target, &inner.right);
        }
        if let Expression::StaticMemberExpression(member) = value {
            if member.property.name == "exports" && self.exports_binding.is_none() {
                self.exports_binding = Some(target.to_string());
            }
        }
    }
}

impl<'a> Visit<'a> for Scan {
    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if it.callee.is_specific_member_access("WebAssembly", "Instance") {
            self.site("WebAssembly.Instance", it.callee.span(), &it.arguments);
        }
        if it.callee.is_specific_id("FinalizationRegistry") {
            if let Some(arg) = it.arguments.first() {
                self.finalizers.push(arg.span());
            }
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if it.callee.is_specific_member_access("WebAssembly", "instantiate") {
            self.site("WebAssembly.instantiate", it.callee.span(), &it.arguments);
        } else if it.callee.is_specific_member_access("WebAssembly", "instantiateStreaming") {
            self.site("WebAssembly.instantiateStreaming", it.callee.span(), &it.arguments);
        } else if it.callee.is_specific_member_access("console", "error") {
            self.console_error.push(it.callee.span());
        }
        // Rust closures handed to the host's scheduler (wasm-bindgen-futures:
        // `queueMicrotask(f)`, `promise.then(resolve, reject)`).
        let scheduled = it.callee.is_specific_id("queueMicrotask")
            || it.callee.as_member_expression().is_some_and(|m| m.static_property_name() == Some("then"));
        if scheduled {
            self.host_callbacks.extend(it.arguments.iter().filter(|a| a.as_expression().is_some()).map(|a| a.span()));
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let (Some(name), Some(init)) = (it.id.get_identifier_name(), &it.init) {
            self.exports_assignment(name.as_str(), init);
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left {
            self.exports_assignment(id.name.as_str(), &it.right);
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.identifiers.insert(it.name.to_string());
    }

    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        if it.object.is_specific_id("module") && it.property.name == "exports" {
            self.module_exports = true;
        }
        walk::walk_static_member_expression(self, it);
    }

    fn visit_import_meta(&mut self, _: &ImportMeta) {
        self.import_meta = true;
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if !self.skip_functions {
            walk::walk_function(self, it, flags);
        }
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        if !self.skip_functions {
            walk::walk_arrow_function_expression(self, it);
        }
    }
}

/// Finds the [`WasmFileSite`]s.
struct WasmFiles<'s> {
    source: &'s str,
    sites: Vec<WasmFileSite>,
}

impl WasmFiles<'_> {
    fn text(&mut self, span: Span, value: &str, quote: Option<char>) {
        let Some(file) = value.rsplit('/').next().filter(|f| f.ends_with(".wasm")) else { return };
        // The offset of `.wasm` in the source, which has no escapes there.
        let Some(at) = self.source[span.start as usize..span.end as usize].rfind(".wasm") else { return };
        self.sites.push(WasmFileSite::Text { dot: span.start + at as u32, quote, file: file.to_string() });
    }
}

impl<'a> Visit<'a> for WasmFiles<'_> {
    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if let (true, Some(Argument::StringLiteral(file)), Some(base)) =
            (it.callee.is_specific_id("URL"), it.arguments.first(), it.arguments.get(1))
        {
            let base = base.span();
            if file.value.ends_with(".wasm")
                && &self.source[base.start as usize..base.end as usize] == "import.meta.url"
            {
                let file = file.value.rsplit('/').next().unwrap_or_default().to_string();
                self.sites.push(WasmFileSite::Url { span: it.span, file });
                return;
            }
        }
        walk::walk_new_expression(self, it);
    }

    // A static `import source m from "x_bg.wasm"` cannot choose at run time.
    fn visit_import_declaration(&mut self, _: &ImportDeclaration<'a>) {}

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        let quote = self.source[it.span.start as usize..].chars().next();
        self.text(it.span, &it.value, quote);
    }

    fn visit_template_element(&mut self, it: &TemplateElement<'a>) {
        if let Some(cooked) = &it.value.cooked {
            self.text(it.span, cooked, None);
        }
    }
}

/// Whether a function calls a member of the exports binding (`wasm.f(...)`).
struct CallsBinding<'b> {
    binding: &'b str,
    found: bool,
}

impl<'a> Visit<'a> for CallsBinding<'_> {
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let Some(member) = it.callee.as_member_expression() {
            if member.object().is_specific_id(self.binding) {
                self.found = true;
            }
        }
        walk::walk_call_expression(self, it);
    }
}

/// `return` arguments of one function body, not of functions nested in it.
#[derive(Default)]
struct Returns {
    spans: Vec<Span>,
}

impl<'a> Visit<'a> for Returns {
    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        if let Some(arg) = &it.argument {
            self.spans.push(arg.span());
        }
    }
    fn visit_function(&mut self, _: &Function<'a>, _: ScopeFlags) {}
    fn visit_arrow_function_expression(&mut self, _: &ArrowFunctionExpression<'a>) {}
}

/// Byte offset → 1-based line.
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineIndex { starts }
    }

    pub fn line(&self, offset: u32) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}
