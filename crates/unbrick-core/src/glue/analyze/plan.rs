//! What the patcher needs: the spans and offsets it splices at. Never
//! serialised; what is reported is in [`super::facts`].

use oxc_span::Span;

use super::facts::Api;

/// The callee of an instantiation site, replaced by the runtime's stand-in.
#[derive(Debug, Clone)]
pub struct SitePlan {
    pub api: Api,
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
    /// The statements that are replaced: all of `__wbg_call_guard`; those of
    /// `__wbg_handle_catch` after its `if` statements that unwrap JS values.
    pub replaced: Option<Span>,
    /// `__wbg_handle_catch`'s parameter, rethrown instead.
    pub rethrow: Option<String>,
}

/// One step of the reset function, in the order of the glue's
/// initialisation (see [`super::facts::StateStep`]).
#[derive(Debug, Clone)]
pub enum ResetStep {
    Assign {
        name: String,
        init: Span,
        /// The `const` keyword to turn into `let`.
        const_keyword: Option<Span>,
    },
    Replay {
        statement: Span,
    },
}

/// A function body that gets the entry check.
#[derive(Debug, Clone)]
pub struct BodyPlan {
    /// `name`, or the member name in a class (`Class.name` in the `.d.ts`).
    pub name: String,
    pub body_start: u32,
    /// `return` arguments, wrapped in `settle` when the `.d.ts` declares a Promise.
    pub returns: Vec<Span>,
    pub direct_call: Option<DirectCall>,
}

/// `object.export(args)`, the body's first statement: when `object` is the
/// exports binding, it calls the raw export, in a try/catch of its own.
#[derive(Debug, Clone)]
pub struct DirectCall {
    pub object: Span,
    pub object_name: String,
    pub export: String,
    pub statement: Span,
    pub form: DirectCallForm,
}

#[derive(Debug, Clone)]
pub enum DirectCallForm {
    /// `object.export(args);` or `return object.export(args);`
    Statement,
    /// `const|let|var id = object.export(args);`: declared before the try,
    /// assigned in it (`const` becomes `let`).
    Declaration { const_keyword: Option<Span>, id: Span, name: String },
}

#[derive(Debug, Clone)]
pub struct ClassPlan {
    pub name: String,
    pub pointer_field: Option<String>,
    pub members: Vec<BodyPlan>,
    pub free_body_start: Option<u32>,
    /// End of the class declaration statement.
    pub end: u32,
}

/// A closure factory, re-assigned wrapped after its declaration ends.
#[derive(Debug, Clone)]
pub struct ClosureFactory {
    pub name: String,
    pub end: u32,
}

/// The CommonJS object the glue assigns its exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportsObject {
    Exports,
    ModuleExports,
}

impl ExportsObject {
    pub fn as_js(self) -> &'static str {
        match self {
            ExportsObject::Exports => "exports",
            ExportsObject::ModuleExports => "module.exports",
        }
    }
}

/// The spans and offsets of one glue file that the patcher splices at.
#[derive(Debug, Clone, Default)]
pub struct GluePlan {
    pub sites: Vec<SitePlan>,
    /// wasm-bindgen's own guard functions, which the patch turns off: the
    /// export guards do their work.
    pub upstream_guards: Vec<UpstreamGuard>,
    /// Top-level statements that hand the exports to other code.
    pub wasm_handoffs: Vec<Span>,
    /// `const` of `const wasm = ...`: it becomes `let` so that a new
    /// instance's exports can be assigned.
    pub wasm_const_keyword: Option<Span>,
    /// `import * as wasm from "./x_bg.wasm"` in the file that holds the
    /// state (the bundler target before wasm-bindgen 0.2.84): the binding,
    /// which becomes `let wasm;` so that each instance's exports can be set.
    pub wasm_namespace_import: Option<(Span, String)>,
    pub reset: Vec<ResetStep>,
    pub classes: Vec<ClassPlan>,
    pub functions: Vec<BodyPlan>,
    /// Direct calls that open other top-level functions (closure adapters,
    /// table helpers): without an entry check, they get a live check.
    pub internal_direct_calls: Vec<DirectCall>,
    pub closure_factories: Vec<ClosureFactory>,
    pub wasm_file_sites: Vec<WasmFileSite>,
    pub finalizer_callbacks: Vec<Span>,
    pub console_error_callees: Vec<Span>,
    /// Callbacks given to `queueMicrotask` or `.then`.
    pub host_callbacks: Vec<Span>,
    /// `new Promise` of js_sys::Promise::new's import (`new Promise(cb0)`),
    /// which becomes `__unbrick_rt.promise`: the runtime keeps the promise's
    /// reject, for an async export's promise pending at an abort.
    pub promise_constructions: Vec<Span>,
    /// Where the runtime block goes: after the last import declaration, or
    /// before the first statement.
    pub top: u32,
    /// Where the reset function and the guards go: the end of the file, or
    /// of the no-modules target's function wrapper.
    pub tail: u32,
    pub top_after_import: bool,
    pub exports_object: Option<ExportsObject>,
    /// The no-modules wrapper's exports object (`exports` or `__exports`),
    /// and where to add the handle to it.
    pub exports_object_name: Option<(String, u32)>,
}
