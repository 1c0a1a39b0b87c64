//! What the analysis reports: the `glueState` of the analysis JSON. Only
//! what is serialised lives here; the spans the patcher needs are in
//! [`super::plan`].

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleKind {
    Esm,
    CommonJs,
    #[default]
    Script,
}

/// The `WebAssembly` API a glue file instantiates the module with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Api {
    #[serde(rename = "WebAssembly.Instance")]
    Instance,
    #[serde(rename = "WebAssembly.instantiate")]
    Instantiate,
    #[serde(rename = "WebAssembly.instantiateStreaming")]
    InstantiateStreaming,
}

impl Api {
    /// The member of `WebAssembly` (the runtime has stand-ins of the same names).
    pub fn member(self) -> &'static str {
        match self {
            Api::Instance => "Instance",
            Api::Instantiate => "instantiate",
            Api::InstantiateStreaming => "instantiateStreaming",
        }
    }
}

/// Where a glue file instantiates the module.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstantiationSite {
    pub api: Api,
    pub line: usize,
}

/// One step of the glue's module-level initialisation, replayed on reset.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum StateStep {
    /// `name = <initializer>;`
    Assign { name: String, line: usize, registry: bool },
    /// A top-level call on a state variable, such as `heap.push(...)`.
    Replay { line: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    Function,
    Constructor,
    Getter,
    Setter,
    #[serde(rename = "static method")]
    StaticMethod,
    Method,
}

/// An entry point: an API function or a class member.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub name: String,
    pub kind: MemberKind,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassFacts {
    pub name: String,
    pub line: usize,
    /// The field holding the Rust pointer (`__wbg_ptr`, `ptr` in old glue).
    pub pointer_field: Option<String>,
    pub members: Vec<Member>,
}

/// How the API functions were found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ApiFoundBy {
    /// The glue's exports.
    #[default]
    #[serde(rename = "exports")]
    Exports,
    /// The glue's exports could not be read: functions that call into the instance.
    #[serde(rename = "calls into the instance")]
    CallsIntoTheInstance,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unrecognised {
    pub what: String,
    pub line: usize,
}

/// The facts of one glue file, as reported.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GlueReport {
    pub module_kind: ModuleKind,
    pub already_patched: bool,
    pub upstream_abort_handling: bool,
    /// Copies of the glue in the file (`__wbg_get_imports` functions at any
    /// depth): a bundle can hold several, of which only the top level's is patched.
    pub glue_copies: usize,
    /// Whether the exports binding is declared at the top level (or in the
    /// no-modules wrapper or IIFE): not when the glue sits in a wrapper
    /// wasm-unbrick does not recognise (a UMD factory).
    pub binding_declared_at_top: Option<bool>,
    /// The line of a call into the instance from a function that no
    /// top-level declaration holds (a nested module wrapper in a bundle),
    /// where no entry check could go.
    pub instance_called_from_below: Option<usize>,
    /// Exports the glue calls the elements of (`wasm.T.get(i)(...)`): the
    /// function tables, where no module says which they are.
    pub called_tables: Vec<String>,
    /// The binding that holds the instance's exports (`wasm`).
    pub wasm_binding: Option<String>,
    /// `__wbg_set_wasm` in the bundler target's `x_bg.js`.
    pub wasm_setter: Option<String>,
    /// Another place the glue stores the exports (`exports.__wasm`).
    pub wasm_alias: Option<String>,
    pub instantiation_sites: Vec<InstantiationSite>,
    pub state: Vec<StateStep>,
    pub classes: Vec<ClassFacts>,
    /// Exported functions that are not wasm imports.
    pub functions: Vec<Member>,
    pub api_found_by: ApiFoundBy,
    pub closure_factories: Vec<String>,
    /// Module-level variables that are not glue state and are not reset.
    pub left_alone: Vec<String>,
    pub exported_names: Vec<String>,
    pub has_init_sync: bool,
    pub uses_import_meta: bool,
    /// The no-modules target: everything inside one function.
    pub wrapped_in_function: bool,
    /// The wrapping function is a bundler's: `"IIFE"` (`var X = (() => {
    /// ... })()`) or `"UMD"` (the factory of a universal module definition).
    pub bundle_wrapper: Option<String>,
    /// `import source x from "x_bg.wasm"` (the module target).
    pub imports_wasm_source: bool,
    /// Imports `fs` or `node:fs` (the experimental-nodejs-module target).
    pub imports_node_fs: bool,
    pub uses_require: bool,
    pub imports_wasm_module: Option<String>,
    pub unrecognised: Vec<Unrecognised>,
}
