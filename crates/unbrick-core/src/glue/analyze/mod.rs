//! Reads a wasm-bindgen glue file with oxc and records, with spans, every
//! place the patcher must touch. It recognises shapes (an instantiation
//! site, a `.exports` binding, a class with `__wrap`), not versions.
//!
//! [`analyze`] is the pipeline; what it finds is reported ([`GlueReport`],
//! the analysis JSON's `glueState`) and planned ([`GluePlan`], the spans
//! the patcher splices at, never serialised).

mod binding;
mod classes;
mod direct_call;
mod facts;
mod functions;
mod plan;
mod source;
mod state;
mod top_level;
mod visit;
mod walk;

use std::collections::HashSet;

use oxc_allocator::Allocator;
use oxc_ast::ast::{Program, Statement};
use oxc_span::GetSpan;

pub use facts::{
    Api, ApiFoundBy, ClassFacts, GlueReport, InstantiationSite, Member, MemberKind, ModuleKind, StateStep, Unrecognised,
};
pub use plan::{
    BodyPlan, ClassPlan, ClosureFactory, DirectCall, DirectCallForm, ExportsObject, GluePlan, ResetStep, SitePlan,
    UpstreamGuard, WasmFileSite,
};

use crate::runtime::PATCHED_MARKER;
use functions::ApiNames;
use source::LineIndex;
use state::State;
use visit::{BindingAt, Scan, WasmFiles};
use walk::Walk;

/// A `new URL('x_bg.wasm', import.meta.url)` expression: byte offsets in
/// the glue and the file it names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WasmUrl {
    pub start: u32,
    pub end: u32,
    pub file: String,
}

/// The `.wasm` file beside it that `source` imports statically by a
/// relative specifier (`import m from "./index.wasm"`: a Workers `wasm`
/// module binding, as worker-build's bundles use it), without the `./`.
/// `None` when it imports none or does not parse.
pub fn imported_wasm(source: &str) -> Option<String> {
    let allocator = Allocator::default();
    let program = source::parse(&allocator, source).ok()?;
    program.body.iter().find_map(|stmt| match stmt {
        Statement::ImportDeclaration(import) => {
            let file = import.source.value.strip_prefix("./")?;
            (file.ends_with(".wasm") && !file.contains('/')).then(|| file.to_string())
        }
        _ => None,
    })
}

/// Whether `source` instantiates a module itself (`new WebAssembly.Instance`,
/// `WebAssembly.instantiate`, ...). False when it does not parse.
pub fn instantiates(source: &str) -> bool {
    let allocator = Allocator::default();
    source::parse(&allocator, source).is_ok_and(|program| !Scan::program(&program).sites.is_empty())
}

/// Where `source` holds a module in base64 (a string or template literal,
/// bare or as a `data:` URL): the byte spans of the base64 text, which
/// decodes to a `.wasm`. Empty when it does not parse.
pub fn inline_modules(source: &str) -> Vec<oxc_span::Span> {
    let allocator = Allocator::default();
    match source::parse(&allocator, source) {
        Ok(program) => visit::InlineModules::find(source, &program),
        Err(_) => Vec::new(),
    }
}

/// The relative specifiers `source` imports or re-exports from at its top
/// level (`import ... from "./x.js"`, `export * from "./x"`) or requires
/// (`require("./x.js")`), as written. Empty when it does not parse.
pub fn relative_specifiers(source: &str) -> Vec<String> {
    let allocator = Allocator::default();
    let Ok(program) = source::parse(&allocator, source) else { return Vec::new() };
    let mut specifiers: Vec<String> = program
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Statement::ImportDeclaration(import) => Some(import.source.value.to_string()),
            Statement::ExportAllDeclaration(export) => Some(export.source.value.to_string()),
            Statement::ExportFromDeclaration(export) => Some(export.source.value.to_string()),
            _ => None,
        })
        .collect();
    specifiers.extend(visit::Requires::find(&program));
    specifiers.retain(|specifier| specifier.starts_with("./") || specifier.starts_with("../"));
    specifiers
}

/// The `new URL('<file>.wasm', import.meta.url)` expressions of `source`
/// (patched glue, for a bundler plugin to point at the patched bytes).
pub fn wasm_urls(source: &str) -> Result<Vec<WasmUrl>, String> {
    let allocator = Allocator::default();
    let program = source::parse(&allocator, source)?;
    let urls = WasmFiles::find(source, &program).into_iter().filter_map(|site| match site {
        WasmFileSite::Url { span, file } => Some(WasmUrl { start: span.start, end: span.end, file }),
        WasmFileSite::Text { .. } => None,
    });
    Ok(urls.collect())
}

/// What one glue file is: reported, and planned for patching.
#[derive(Debug, Clone)]
pub struct GlueFacts {
    pub report: GlueReport,
    pub plan: GluePlan,
}

/// Parses `source`; `imports` are the names the `.wasm` imports, whose glue
/// functions are not API entry points.
pub fn analyze(source: &str, imports: &HashSet<&str>) -> Result<GlueFacts, String> {
    let allocator = Allocator::default();
    let program: &Program = allocator.alloc(source::parse(&allocator, source)?);
    // Scopes, for where the exports binding is declared.
    let semantic = oxc_semantic::SemanticBuilder::new().with_build_nodes(true).build(program).semantic;
    let lines = LineIndex::new(source);
    let mut facts = GlueFacts {
        report: GlueReport { already_patched: source.contains(PATCHED_MARKER), ..GlueReport::default() },
        plan: GluePlan { tail: source.len() as u32, ..GluePlan::default() },
    };

    let scan = Scan::program(program);
    record_scan(&scan, source, program, &lines, &mut facts);
    let (body, wrapper) = top_level::body(program, &mut facts);
    let exports = top_level::exports(body, wrapper.as_deref(), &mut facts);
    facts.report.module_kind = top_level::module_kind(exports.is_esm, scan.module_exports, &facts);
    facts.report.exported_names = exports.names.clone();
    binding::setter(body, &exports, &mut facts);
    // The namespace import is the binding only where nothing else is.
    match facts.report.wasm_binding {
        None => facts.report.wasm_binding = facts.plan.wasm_namespace_import.as_ref().map(|(_, name)| name.clone()),
        Some(_) => facts.plan.wasm_namespace_import = None,
    }
    // Where the exports binding from the scan is declared: the module's own
    // scope, or that of the one function wrapping it all.
    let scoping = semantic.scoping();
    let binding_symbol =
        scan.exports_binding_at.filter(|_| facts.report.wasm_binding == scan.exports_binding).map(|at| match at {
            BindingAt::Declared(symbol) => symbol,
            BindingAt::Assigned(reference) => reference.and_then(|r| scoping.get_reference(r).symbol_id()),
        });
    let root = scoping.root_scope_id();
    let top = binding_symbol.flatten().map(|s| scoping.symbol_scope_id(s));
    facts.report.binding_declared_at_top = binding_symbol.map(|_| {
        top.is_some_and(|scope| {
            scope == root || (facts.report.wrapped_in_function && scoping.scope_parent_id(scope) == Some(root))
        })
    });
    // Every call into the instance must come from the top level or from
    // what it declares, where the entry checks go: not from functions that
    // an expression there runs (a bundle's nested module wrapper).
    if let (Some(symbol), Some(true)) = (binding_symbol.flatten(), facts.report.binding_declared_at_top) {
        let top = scoping.symbol_scope_id(symbol);
        let declaring: Vec<oxc_span::Span> =
            body.iter().filter(|stmt| top_level::declares(stmt)).map(|s| s.span()).collect();
        facts.report.instance_called_from_below = scoping.get_resolved_reference_ids(symbol).iter().find_map(|&id| {
            let reference = scoping.get_reference(id);
            let span = semantic.nodes().get_node(reference.node_id()).kind().span();
            let reached =
                reference.scope_id() == top || declaring.iter().any(|d| d.start <= span.start && span.end <= d.end);
            (!reached).then(|| lines.line(span.start))
        });
    }
    let mut walk = Walk {
        api: ApiNames::new(&exports.names, imports),
        exports: &exports,
        wrapper: wrapper.as_deref(),
        lines: &lines,
        state: State::new(&scan.instantiation_args, facts.report.wasm_binding.as_deref(), program),
    };
    walk.statements(body, &mut facts);
    functions::by_calls(body, imports, &mut facts);
    // Async API functions cannot be known here; all return spans are kept
    // and the patcher picks those the `.d.ts` declares as Promise.
    Ok(facts)
}

/// What the whole-program scan found: instantiation sites, the exports
/// binding, registries, console.error, the callbacks handed to the host,
/// identifiers of interest; and the `.wasm` file names.
fn record_scan(scan: &Scan, source: &str, program: &Program, lines: &LineIndex, facts: &mut GlueFacts) {
    facts.report.uses_import_meta = scan.import_meta;
    facts.report.glue_copies = scan.import_builders;
    facts.report.called_tables = scan.called_tables.clone();
    facts.report.uses_require = scan.identifiers.contains("require");
    facts.report.upstream_abort_handling =
        scan.identifiers.contains("__wbg_call_guard") || source.contains("__instance_terminated");
    facts.plan.wasm_file_sites = WasmFiles::find(source, program);
    facts.plan.console_error_callees = scan.console_error.clone();
    facts.plan.host_callbacks = scan.host_callbacks.clone();
    facts.plan.promise_constructions = scan.promise_constructions.clone();
    facts.plan.finalizer_callbacks = scan.finalizers.clone();
    binding::from_scan(scan, lines, facts);
}
