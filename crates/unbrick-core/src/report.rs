//! Reports returned to the CLI and the binding (serialised with serde_json).

use serde::Serialize;

use crate::discover::Skipped;
use crate::glue::analyze::{GlueReport, Unrecognised};
use crate::wasm_info::{EhFlavour, StackPointer};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub path: String,
    /// The glue set analysed: the file the user imports, its bg file
    /// (`x_bg.js`), and the one of them that holds the module state.
    pub entry: String,
    pub bg: Option<String>,
    pub state_file: String,
    /// Further glue sets of the package (`x.cjs` beside `x.js`).
    pub other_sets: Vec<OtherSet>,
    pub wasm: String,
    pub dts: Option<String>,
    /// From the producers section, not from the glue.
    pub wasm_bindgen_version: Option<String>,
    /// Recognised from the glue's shape.
    pub target: Option<String>,
    pub eh_flavour: EhFlavour,
    pub upstream_abort_handling: bool,
    pub already_patched: bool,
    pub stack_pointer: Option<StackPointer>,
    pub externref_stack_pointer: Option<StackPointer>,
    pub wasm_size: usize,
    pub wasm_exports: usize,
    pub wasm_imports: usize,
    pub func_tables: Vec<String>,
    pub glue_state: GlueReport,
    pub unrecognised: Vec<Unrecognised>,
    pub supported: bool,
    /// Why patching would stop, when it would.
    pub refusal: Option<String>,
    /// A directory of several modules: the others. `already_patched`,
    /// `supported` and `refusal` above are then those of them all; a module
    /// that cannot be patched is in `skipped` instead, when another can be.
    pub other_modules: Vec<Analysis>,
    /// Files under the directory that looked like part of a wasm-bindgen
    /// package but were left alone, and why.
    pub skipped: Vec<Skipped>,
}

impl Analysis {
    /// One analysis of the modules of a directory: the first's, with the
    /// others in `other_modules` and the verdict of them all.
    pub fn of_modules(modules: Vec<Analysis>, mut skipped: Vec<Skipped>) -> Analysis {
        // A module that cannot be patched is left alone when another can be.
        let (mut modules, refused): (Vec<Analysis>, Vec<Analysis>) = if modules.iter().any(|m| m.refusal.is_none()) {
            modules.into_iter().partition(|m| m.refusal.is_none())
        } else {
            (modules, Vec::new())
        };
        for m in refused {
            let reason = format!("{}: {}", m.entry, m.refusal.unwrap_or_default());
            skipped.push(Skipped { file: m.wasm, reason });
        }
        let mut first = modules.remove(0);
        first.already_patched &= modules.iter().all(|m| m.already_patched);
        if first.refusal.is_none() {
            first.refusal = modules.iter().find_map(|m| m.refusal.as_ref().map(|r| format!("{}: {r}", m.wasm)));
        }
        first.supported = first.refusal.is_none();
        first.other_modules = modules;
        first.skipped = skipped;
        first
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherSet {
    pub entry: String,
    pub bg: Option<String>,
    pub state_file: String,
    pub target: Option<String>,
    pub already_patched: bool,
    pub refusal: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatchStatus {
    Patched,
    AlreadyPatched,
    WouldPatch,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    pub name: String,
    pub before: usize,
    pub after: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchReport {
    pub path: String,
    pub out_dir: Option<String>,
    pub status: PatchStatus,
    pub files: Vec<FileChange>,
    /// Options that had no effect on this package, and why.
    pub notes: Vec<String>,
    pub analysis: Analysis,
}
