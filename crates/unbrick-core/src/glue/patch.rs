//! Turns the facts of a glue file into splices. Everything the analysis did
//! not point at stays byte-identical.

use std::collections::HashSet;

use oxc_span::Span;

use serde::Serialize;

use super::analyze::{
    BodyPlan, DirectCall, DirectCallForm, ExportsObject, GlueFacts, GluePlan, GlueReport, ModuleKind, ResetStep,
    WasmFileSite,
};
use crate::options::{EhMode, Policy, Rollback};
use crate::runtime::{EH_SUPPORT_JS, PATCHED_MARKER, RUNTIME_JS};
use crate::splice::{self, Splice};
use crate::variants::WasmVariants;
use crate::wasm_info::EntityKind;

pub const ENTRY_CHECK: &str = " __unbrick_rt.live || __unbrick_rt.revive();";

/// What the runtime is told about the module: complete, so that the
/// runtime keeps no defaults of its own (`runtime/unbrick-runtime.js`
/// reads exactly these keys).
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig<'a> {
    /// Which functions direct calls may go to; not sent.
    #[serde(skip)]
    pub exports: &'a [crate::wasm_info::WasmExport],
    pub version: &'static str,
    /// The module's own exception handling: `none`, `legacy` or `modern`.
    pub mode: EhMode,
    pub policy: Policy,
    pub max_aborts: u32,
    pub window_ms: u32,
    pub standby: bool,
    pub rollback: Rollback,
    pub stack_pointer: Option<&'a str>,
    pub externref_stack_pointer: Option<&'a str>,
    pub func_tables: &'a [String],
    /// What a checkpoint records: the exported memory, the export names of
    /// all mutable globals, the externref tables.
    pub memory: Option<&'a str>,
    pub globals: &'a [String],
    pub externref_tables: &'a [String],
    /// The parameter count of every imported function, in import order
    /// (the exception-handling variants keep their function imports).
    pub import_params: &'a [u32],
    /// The `catch` imports (function-import positions) whose Wasm handlers
    /// the reinit-only variant strips: the runtime catches for them there.
    pub catch_imports: &'a [u32],
    /// The module's exception-handling variants (`{ mode: file suffix }`),
    /// when this glue can choose one; `null` otherwise.
    pub variants: Option<&'a WasmVariants>,
    /// `auto` (probe the engine) or the mode to use, when there are variants.
    pub eh_mode: EhMode,
}

/// `{ mode: new URL(file, import.meta.url), … }` for the URL expression
/// `url` naming `named`: one static expression per file, so that bundlers
/// emit them all.
fn variant_urls(variants: &WasmVariants, url: &str, named: &str) -> String {
    let urls: Vec<String> = variants
        .modes()
        .map(|mode| format!("{}: {}", mode.as_str(), url.replacen(named, &variants.file_of(named, mode), 1)))
        .collect();
    format!("{{ {} }}", urls.join(", "))
}

/// Splices that make the glue load the chosen variant.
fn variant_splices(variants: &WasmVariants, source: &str, sites: &[WasmFileSite]) -> Vec<Splice> {
    let mut splices = Vec::new();
    for site in sites {
        match site {
            WasmFileSite::Url { span, file } if variants.file.ends_with(file.as_str()) => {
                let url = &source[span.start as usize..span.end as usize];
                splices.push(Splice::replace(
                    span.start,
                    span.end,
                    format!("__unbrick_rt.pick({})", variant_urls(variants, url, file)),
                ));
            }
            WasmFileSite::Text { dot, quote, file } if variants.file.ends_with(file.as_str()) => {
                let text = match quote {
                    Some(q) => format!("{q} + __unbrick_rt.wasmSuffix + {q}"),
                    None => "${__unbrick_rt.wasmSuffix}".to_string(),
                };
                splices.push(Splice::insert(*dot, text));
            }
            _ => {}
        }
    }
    splices
}

impl RuntimeConfig<'_> {
    fn to_js(self) -> String {
        serde_json::to_string(&self).expect("the runtime config serialises")
    }
}

/// Patches the glue file that holds the module state (the only glue file
/// for `nodejs` and `web`, `x_bg.js` for `bundler`). `async_exports` are
/// `name` and `Class.method` keys the `.d.ts` declares as returning a Promise.
pub fn patch_state_file(
    source: &str,
    facts: &GlueFacts,
    config: &RuntimeConfig,
    async_exports: &HashSet<String>,
) -> String {
    let (report, plan) = (&facts.report, &facts.plan);
    let mut splices = hook_splices(source, plan, config);
    let raw = RawExports::of(report, config);
    splices.extend(entry_splices(plan, async_exports, &raw));
    splices.extend(const_splices(plan));
    // The reset function copies each initializer as patched (registry
    // callbacks wrapped), so it is built from the splices above.
    let reset = state_functions(source, &plan.reset, &splices);
    if let Some((import, name)) = &plan.wasm_namespace_import {
        splices.push(Splice::replace(import.start, import.end, format!("let {name};")));
    }
    if let Some((exports, at)) = &plan.exports_object_name {
        splices.push(Splice::insert(*at, format!("{exports}.__unbrick = __unbrick_rt.handle;\n    ")));
    }
    splices.push(Splice::insert(plan.top, top_block(report, plan, config)));
    splices.push(Splice::insert(plan.tail, tail_block(source, report, plan, &reset)));
    splice::apply(source, splices)
}

/// The runtime's hooks: instantiation sites, variant file names,
/// wasm-bindgen's own guards, host and registry callbacks, console.error,
/// closure factories.
fn hook_splices(source: &str, plan: &GluePlan, config: &RuntimeConfig) -> Vec<Splice> {
    let mut splices: Vec<Splice> = Vec::new();
    for site in &plan.sites {
        let stand_in = format!("__unbrick_rt.{}", site.api.member());
        splices.push(Splice::replace(site.callee.start, site.callee.end, stand_in));
    }
    if let Some(variants) = config.variants {
        splices.extend(variant_splices(variants, source, &plan.wasm_file_sites));
    }
    for guard in &plan.upstream_guards {
        // One guard per call: wasm-bindgen's terminated flag and abort hook
        // are superseded by the export guards and instance re-creation.
        if let Some(span) = guard.replaced {
            let text = match &guard.rethrow {
                Some(e) => format!("throw {e}; // wasm-unbrick: aborts are handled by __unbrick"),
                None => "// wasm-unbrick: the export guards check the instance".to_string(),
            };
            splices.push(Splice::replace(span.start, span.end, text));
        }
    }
    for callback in &plan.host_callbacks {
        splices.push(Splice::insert(callback.start, "__unbrick_rt.hostCallback("));
        splices.push(Splice::insert(callback.end, ")"));
    }
    for construction in &plan.promise_constructions {
        splices.push(Splice::replace(construction.start, construction.end, "__unbrick_rt.promise"));
    }
    for callee in &plan.console_error_callees {
        splices.push(Splice::replace(callee.start, callee.end, "__unbrick_rt.consoleError"));
    }
    for callback in &plan.finalizer_callbacks {
        splices.push(Splice::insert(callback.start, "__unbrick_rt.finalizer("));
        splices.push(Splice::insert(callback.end, ")"));
    }
    for factory in &plan.closure_factories {
        let name = &factory.name;
        splices.push(Splice::insert(factory.end, format!("\n{name} = __unbrick_rt.closureFactory({name});")));
    }
    splices
}

/// What a direct call may go to: the exports binding, and the functions of the `.wasm`.
struct RawExports<'a> {
    binding: &'a str,
    functions: HashSet<&'a str>,
}

impl<'a> RawExports<'a> {
    fn of(report: &'a GlueReport, config: &RuntimeConfig<'a>) -> Self {
        RawExports {
            binding: report.wasm_binding.as_deref().unwrap_or("wasm"),
            functions: config
                .exports
                .iter()
                .filter(|e| e.kind == EntityKind::Function)
                .map(|e| e.name.as_str())
                .collect(),
        }
    }

    fn allows(&self, call: &DirectCall) -> bool {
        call.object_name == self.binding && self.functions.contains(call.export.as_str())
    }
}

/// The entry checks of API functions and class members, and the guards of classes.
fn entry_splices(plan: &GluePlan, async_exports: &HashSet<String>, raw: &RawExports) -> Vec<Splice> {
    let mut splices = Vec::new();
    for function in &plan.functions {
        entry_check(&mut splices, function, async_exports.contains(&function.name), raw);
    }
    for call in &plan.internal_direct_calls {
        if raw.allows(call) {
            splices.push(Splice::insert(call.statement.start, "__unbrick_rt.live || __unbrick_rt.throwTerminated(); "));
            direct_call_splices(&mut splices, call);
        }
    }
    for class in &plan.classes {
        let field = class.pointer_field.as_deref().unwrap_or("__wbg_ptr");
        splices.push(Splice::insert(class.end, format!("\n__unbrick_rt.guardClass({}, {:?});", class.name, field)));
        if let Some(free) = class.free_body_start {
            splices.push(Splice::insert(free, " if (__unbrick_rt.isStale(this)) return;"));
        }
        for member in &class.members {
            let settles = async_exports.contains(&format!("{}.{}", class.name, member.name));
            entry_check(&mut splices, member, settles, raw);
        }
    }
    splices
}

/// `const` state and `const wasm` become `let`.
fn const_splices(plan: &GluePlan) -> Vec<Splice> {
    let mut splices = Vec::new();
    let mut const_keywords: Vec<Span> = plan.wasm_const_keyword.into_iter().collect();
    for step in &plan.reset {
        if let ResetStep::Assign { const_keyword: Some(keyword), .. } = step {
            const_keywords.push(*keyword);
        }
    }
    const_keywords.sort_by_key(|s| s.start);
    const_keywords.dedup();
    for keyword in const_keywords {
        splices.push(Splice::replace(keyword.start, keyword.end, "let"));
    }
    splices
}

/// The marker, the runtime and its instance, inserted at the top.
fn top_block(report: &GlueReport, plan: &GluePlan, config: &RuntimeConfig) -> String {
    let mut top = String::new();
    if plan.top_after_import {
        top.push('\n');
    }
    top.push_str(&format!(
        "{PATCHED_MARKER} by wasm-unbrick {}: abort recovery, see __unbrick */\n",
        env!("CARGO_PKG_VERSION")
    ));
    top.push_str(RUNTIME_JS);
    // The engine's exception handling is probed only to choose a variant.
    let eh_support = if config.variants.is_some() {
        top.push_str(EH_SUPPORT_JS);
        ", ehSupport: __unbrickEhSupport"
    } else {
        ""
    };
    top.push_str(&format!(
        "const __unbrick_rt = __unbrickRuntime({}, {{ reset: __unbrick_reset, state: __unbrick_state, setState: \
         __unbrick_set_state, setWasm: __unbrick_set_wasm{eh_support} }});\n",
        config.to_js()
    ));
    if report.module_kind == ModuleKind::Esm {
        top.push_str("export const __unbrick = __unbrick_rt.handle;\n");
    }
    if !plan.top_after_import {
        top.push('\n');
    }
    top
}

/// The handle's CommonJS export, the reset function and
/// `__unbrick_set_wasm`, appended at the tail.
fn tail_block(source: &str, report: &GlueReport, plan: &GluePlan, reset: &str) -> String {
    let binding = report.wasm_binding.as_deref().unwrap_or("wasm");
    let mut tail = String::new();
    if !source[..plan.tail as usize].ends_with('\n') {
        tail.push('\n');
    }
    if report.module_kind == ModuleKind::CommonJs {
        // Last, so that a glue that assigns `module.exports = ...` keeps it.
        tail.push_str(&format!(
            "{}.__unbrick = __unbrick_rt.handle;\n",
            plan.exports_object.unwrap_or(ExportsObject::ModuleExports).as_js()
        ));
    }
    tail.push_str(reset);
    let mut alias = report.wasm_alias.as_ref().map(|a| format!("    {a} = exports;\n")).unwrap_or_default();
    for handoff in &plan.wasm_handoffs {
        alias.push_str(&format!("    {}\n", &source[handoff.start as usize..handoff.end as usize]));
    }
    tail.push_str(&format!("function __unbrick_set_wasm(exports) {{\n    {binding} = exports;\n{alias}}}\n"));
    tail
}

/// The entry check at the start of `function`'s body, its direct call, and,
/// for an export the `.d.ts` declares as returning a Promise, `settle`
/// around its returns.
fn entry_check(splices: &mut Vec<Splice>, function: &BodyPlan, settles: bool, raw: &RawExports) {
    splices.push(Splice::insert(function.body_start, ENTRY_CHECK));
    if let Some(call) = function.direct_call.as_ref().filter(|call| raw.allows(call)) {
        direct_call_splices(splices, call);
    }
    if settles {
        for span in &function.returns {
            splices.push(Splice::insert(span.start, "__unbrick_rt.settle("));
            splices.push(Splice::insert(span.end, ")"));
        }
    }
}

/// The body's first call goes to the raw export (`__unbrick_rt.raw`), not
/// through its guard: V8 then sees one constant target and inlines the
/// call, as in the unpatched glue (through the guard it costs a trivial
/// export 1.2x). The statement's own try/catch does the guard's work; the
/// entry check just before it did the generation check.
fn direct_call_splices(splices: &mut Vec<Splice>, call: &DirectCall) {
    let (statement, object) = (call.statement, call.object);
    match &call.form {
        DirectCallForm::Statement => splices.push(Splice::insert(statement.start, "try { ")),
        DirectCallForm::Declaration { const_keyword, id, name } => {
            if let Some(keyword) = const_keyword {
                splices.push(Splice::replace(keyword.start, keyword.end, "let"));
            }
            splices.push(Splice::insert(id.end, format!("; try {{ {name}")));
        }
    }
    splices.push(Splice::replace(object.start, object.end, "__unbrick_rt.raw"));
    splices.push(Splice::insert(statement.end, " } catch (e) { throw __unbrick_rt.classify(e); }"));
}

fn state_functions(source: &str, steps: &[ResetStep], splices: &[Splice]) -> String {
    let mut body = String::new();
    for step in steps {
        match step {
            ResetStep::Assign { name, init, .. } => {
                body.push_str(&format!("    {name} = {};\n", patched_slice(source, *init, splices)));
            }
            ResetStep::Replay { statement } => {
                body.push_str(&format!("    {}\n", patched_slice(source, *statement, splices)));
            }
        }
    }
    // The state as one array, and back: what a checkpoint records and a
    // rollback (or a spare's fresh state) assigns. Assigned by index: a
    // destructuring assignment goes through the array's iterator (0.3-0.6 µs
    // of a standby's 9 µs swap).
    let names: Vec<&str> = steps
        .iter()
        .filter_map(|step| match step {
            ResetStep::Assign { name, .. } => Some(name.as_str()),
            ResetStep::Replay { .. } => None,
        })
        .collect();
    let assignments: String =
        names.iter().enumerate().map(|(i, name)| format!("    {name} = values[{i}];\n")).collect();
    format!(
        "function __unbrick_reset() {{\n{body}}}\nfunction __unbrick_state() {{\n    return [{}];\n}}\n\
         function __unbrick_set_state(values) {{\n{assignments}}}\n",
        names.join(", ")
    )
}

/// `source[span]` with the splices that fall inside it applied.
fn patched_slice(source: &str, span: Span, splices: &[Splice]) -> String {
    let inner: Vec<Splice> = splices
        .iter()
        .filter(|s| s.start > span.start && s.end < span.end)
        .map(|s| Splice { start: s.start - span.start, end: s.end - span.start, text: s.text.clone() })
        .collect();
    splice::apply(&source[span.start as usize..span.end as usize], inner)
}

/// Patches an entry file that sits in front of the state file `bg_module`
/// (a hand-written `x.cjs` that instantiates and calls `__wbg_set_wasm`, or
/// one that only re-exports): its instantiation sites go through the
/// runtime of `bg_module`, and it re-exports the handle.
pub fn patch_entry(source: &str, facts: &GlueFacts, bg_module: &str) -> String {
    let (report, plan) = (&facts.report, &facts.plan);
    let esm = report.module_kind == ModuleKind::Esm;
    let handle = if esm { "__unbrick_handle".to_string() } else { format!("require({bg_module:?}).__unbrick") };
    let mut splices = Vec::new();
    let mut top = format!(
        "{PATCHED_MARKER} by wasm-unbrick {}: instantiates through {bg_module} */\n",
        env!("CARGO_PKG_VERSION")
    );
    if esm {
        top.push_str(&format!("import {{ __unbrick as __unbrick_handle }} from {bg_module:?};\n"));
    }
    if plan.top_after_import {
        top.insert(0, '\n');
        top.pop();
    }
    splices.push(Splice::insert(plan.top, top));
    for site in &plan.sites {
        let method = format!("__{}", site.api.member());
        splices.push(Splice::replace(site.callee.start, site.callee.end, format!("({handle}.{method})")));
    }
    let mut tail = String::new();
    if !source.ends_with('\n') {
        tail.push('\n');
    }
    if esm {
        tail.push_str("export { __unbrick_handle as __unbrick };\n");
    } else {
        let exports = plan.exports_object.unwrap_or(ExportsObject::ModuleExports).as_js();
        tail.push_str(&format!("{exports}.__unbrick = {handle};\n"));
    }
    splices.push(Splice::insert(source.len() as u32, tail));
    splice::apply(source, splices)
}

/// Rewrites the bundler target's entry (`x.js`): its `import * as wasm from
/// "./x_bg.wasm"` becomes a loader that compiles the `.wasm` itself, so a
/// `WebAssembly.Module` exists to instantiate again. `binds_exports`: the
/// loader hands the exports to `x_bg.js` (whose own import of the `.wasm`
/// became a `let`), as no `__wbg_set_wasm` call of the entry does.
pub fn patch_bundler_entry(
    source: &str,
    entry: &super::bundler::EntryFacts,
    wasm_file: &str,
    variants: Option<&WasmVariants>,
    import_modules: &[&str],
    bg_module: &str,
    binds_exports: bool,
) -> String {
    let mut loader = String::new();
    for (i, module) in import_modules.iter().enumerate() {
        loader.push_str(&format!("import * as __unbrick_imports{i} from {module:?};\n"));
    }
    loader.push_str(&format!("import {{ __unbrick as __unbrick_handle }} from {bg_module:?};\n"));
    let imports_object: Vec<String> =
        import_modules.iter().enumerate().map(|(i, m)| format!("{m:?}: __unbrick_imports{i}")).collect();
    let url = format!("new URL({wasm_file:?}, import.meta.url)");
    let url = match variants {
        Some(variants) => format!("__unbrick_handle.__pick({})", variant_urls(variants, &url, wasm_file)),
        None => url,
    };
    loader.push_str(&format!(
        "{PATCHED_MARKER} by wasm-unbrick {}: the module is compiled here so that it can be instantiated again */\n\
         const {} = await __unbrick_handle.__load({url}, {{ {} }}{});",
        env!("CARGO_PKG_VERSION"),
        entry.namespace,
        imports_object.join(", "),
        if binds_exports { ", true" } else { "" }
    ));
    let mut splices = vec![Splice::replace(entry.wasm_import.start, entry.wasm_import.end, loader)];
    match entry.export_list_end {
        Some(at) => splices.push(Splice::insert(at, ", __unbrick")),
        // Minified entries import the names and export them in a local list.
        None if !entry.exports_all => {
            let newline = if source.ends_with('\n') { "" } else { "\n" };
            splices.push(Splice::insert(
                source.len() as u32,
                format!("{newline}export {{ __unbrick_handle as __unbrick }};\n"),
            ));
        }
        None => {}
    }
    splice::apply(source, splices)
}
