//! What a package is: the `.wasm` read once, each glue set analysed once,
//! the target recognised, and whether patching may go on (the refusal
//! rules, in the order they are tried).

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::glue::analyze::{self, GlueFacts, GlueReport, ModuleKind, Unrecognised};
use crate::glue::bundler::{self, EntryFacts};
use crate::package::{GlueSet, ModuleSource, Package};
use crate::report::{self, Analysis};
use crate::wasm_info::{self, EhFlavour, EntityKind, WasmInfo};

/// Everything learnt about a package: reported, and kept for patching.
pub(crate) struct Inspected {
    pub analysis: Analysis,
    pub wasm: WasmInfo,
    pub sets: Vec<SetInspection>,
}

/// One glue set: the entry the user imports, its bg file, and the one of
/// them that holds the module state.
pub(crate) struct SetInspection {
    pub entry: String,
    pub bg: Option<String>,
    pub state_file: String,
    pub state_facts: GlueFacts,
    /// Facts of the entry when it is not the state file.
    pub entry_facts: Option<(GlueFacts, Option<EntryFacts>)>,
    pub target: Option<String>,
    pub already_patched: bool,
    pub refusal: Option<String>,
}

impl SetInspection {
    /// Whether the glue names the `.wasm` where a variant can be chosen
    /// (not the module target's static `import source`).
    pub fn selects_variant(&self) -> bool {
        !self.state_facts.plan.wasm_file_sites.is_empty() || matches!(self.entry_facts, Some((_, Some(_))))
    }
}

pub(crate) fn inspect(package: &Package) -> Result<Inspected> {
    let mut wasm = match package.module {
        ModuleSource::Absent => WasmInfo::absent(Vec::new()),
        ModuleSource::File | ModuleSource::Inline(_) => read_module(package)?,
    };
    let sets = package.glue_sets().iter().map(|set| inspect_set(package, &wasm, set)).collect::<Result<Vec<_>>>()?;
    if package.module == ModuleSource::Absent {
        wasm.func_tables = sets.iter().flat_map(|s| s.state_facts.report.called_tables.clone()).collect();
    }
    let primary = &sets[0];
    let already_patched = sets.iter().all(|s| s.already_patched);
    let refusal = if already_patched {
        None
    } else if sets.iter().any(|s| s.already_patched) {
        Some(
            "some glue files of this package are patched and others are not; start again from the original files"
                .into(),
        )
    } else {
        sets.iter().find_map(|s| {
            s.refusal.as_ref().map(|r| if s.entry == primary.entry { r.clone() } else { format!("{}: {r}", s.entry) })
        })
    };
    let mut unrecognised = primary.state_facts.report.unrecognised.clone();
    if let Some(reason) = &refusal {
        if unrecognised.is_empty() {
            unrecognised.push(Unrecognised { what: reason.clone(), line: 0 });
        }
    }

    let analysis = Analysis {
        path: package.dir.display().to_string(),
        entry: package.entry.clone(),
        bg: package.bg.clone(),
        state_file: primary.state_file.clone(),
        other_sets: sets[1..]
            .iter()
            .map(|s| report::OtherSet {
                entry: s.entry.clone(),
                bg: s.bg.clone(),
                state_file: s.state_file.clone(),
                target: s.target.clone(),
                already_patched: s.already_patched,
                refusal: s.refusal.clone(),
            })
            .collect(),
        wasm: package.wasm.clone(),
        dts: package.dts.clone(),
        wasm_bindgen_version: wasm.wasm_bindgen_version.clone(),
        target: primary.target.clone(),
        eh_flavour: wasm.eh_flavour,
        upstream_abort_handling: sets.iter().any(|s| s.state_facts.report.upstream_abort_handling),
        already_patched,
        stack_pointer: wasm.stack_pointer.clone(),
        externref_stack_pointer: wasm.externref_stack_pointer.clone(),
        wasm_size: wasm.size,
        wasm_exports: wasm.exports.len(),
        wasm_imports: wasm.imports.len(),
        func_tables: wasm.func_tables.clone(),
        glue_state: primary.state_facts.report.clone(),
        unrecognised,
        supported: refusal.is_none(),
        refusal,
        other_modules: Vec::new(),
        skipped: Vec::new(),
    };
    Ok(Inspected { analysis, wasm, sets })
}

/// The module's facts, from its bytes.
fn read_module(package: &Package) -> Result<WasmInfo> {
    let wasm_path = package.path_of(&package.wasm);
    let wasm_bytes = package.bytes(&package.wasm);
    if wasm_bytes.len() < 8 || &wasm_bytes[..4] != b"\0asm" {
        return Err(Error::InvalidWasm { path: wasm_path, reason: "does not start with the \\0asm magic".into() });
    }
    let wasm = wasm_info::read(wasm_bytes)
        .map_err(|e| Error::InvalidWasm { path: wasm_path.clone(), reason: e.to_string() })?;
    let bindgen_exports = wasm.exports.iter().any(|e| e.name.starts_with("__wbindgen") || e.name.starts_with("__wbg_"));
    if wasm.wasm_bindgen_version.is_none() && !bindgen_exports {
        return Err(Error::NotWasmBindgen {
            path: wasm_path,
            reason: "no wasm-bindgen producer entry and no __wbindgen_* exports".into(),
        });
    }
    Ok(wasm)
}

/// What the refusal rules of one glue set look at.
struct SetFacts<'a> {
    package: &'a Package,
    wasm: &'a WasmInfo,
    entry: &'a str,
    state_file: &'a str,
    state: &'a GlueFacts,
    entry_facts: Option<&'a (GlueFacts, Option<EntryFacts>)>,
    target: Option<&'a str>,
    /// Function imports of the module that the state file does not name.
    missing: Vec<&'a str>,
}

/// The rules that stop a patch, tried in order: the first that gives a
/// reason is the reason reported.
const REFUSALS: &[fn(&SetFacts) -> Option<String>] = &[
    glue_of_another_module,
    several_glue_copies,
    incomplete_upstream_guards,
    mixed_exception_handling,
    no_instantiation,
    state_file_of_no_module_kind,
    entry_of_no_module_kind,
    no_exports_binding,
    binding_in_a_wrapper,
    instance_called_from_below,
];

fn glue_of_another_module(f: &SetFacts) -> Option<String> {
    let first = f.missing.first()?;
    Some(format!(
        "{} does not belong to {}: {} of its {} imports are not in the glue (first: {first})",
        f.package.wasm,
        f.state_file,
        f.missing.len(),
        f.wasm.imports.len(),
    ))
}

fn several_glue_copies(f: &SetFacts) -> Option<String> {
    let copies = f.state.report.glue_copies;
    (copies > 1).then(|| {
        format!(
            "{} holds {copies} copies of the wasm-bindgen glue (a bundler's module wrappers, `__wbg_get_imports` \
             more than once); only one could be patched",
            f.state_file
        )
    })
}

fn incomplete_upstream_guards(f: &SetFacts) -> Option<String> {
    (f.state.report.upstream_abort_handling && f.state.plan.upstream_guards.len() != 2).then(|| {
        "the glue has wasm-bindgen's own abort handling but not the two functions __wbg_call_guard and \
         __wbg_handle_catch wasm-unbrick replaces"
            .into()
    })
}

fn mixed_exception_handling(f: &SetFacts) -> Option<String> {
    (f.wasm.eh_flavour == EhFlavour::Mixed)
        .then(|| "the module mixes legacy and modern exception handling instructions, which engines reject".into())
}

fn no_instantiation(f: &SetFacts) -> Option<String> {
    let entry_instantiates =
        f.entry_facts.is_some_and(|(e, w)| w.is_some() || !e.report.instantiation_sites.is_empty());
    if entry_instantiates || !f.state.report.instantiation_sites.is_empty() {
        return None;
    }
    Some(match f.target {
        Some(t) => format!("target '{t}' recognised, but it instantiates no module that wasm-unbrick can see"),
        None => "no wasm-bindgen target shape recognised (no WebAssembly.Instance/instantiate call in the glue and \
                 no .wasm import)"
            .into(),
    })
}

fn state_file_of_no_module_kind(f: &SetFacts) -> Option<String> {
    (f.state.report.module_kind == ModuleKind::Script && !f.state.report.wrapped_in_function)
        .then(|| format!("{} is neither an ES module, CommonJS, nor the no-modules target's wrapper", f.state_file))
}

fn entry_of_no_module_kind(f: &SetFacts) -> Option<String> {
    f.entry_facts
        .is_some_and(|(e, _)| e.report.module_kind == ModuleKind::Script)
        .then(|| format!("{} is neither an ES module nor CommonJS", f.entry))
}

fn binding_in_a_wrapper(f: &SetFacts) -> Option<String> {
    let binding = f.state.report.wasm_binding.as_deref()?;
    (f.state.report.binding_declared_at_top == Some(false)).then(|| {
        format!(
            "{}: the exports binding `{binding}` is declared inside a function wasm-unbrick does not recognise as \
             the glue's wrapper (a UMD factory?), so a new instance could not be handed to it",
            f.state_file
        )
    })
}

fn instance_called_from_below(f: &SetFacts) -> Option<String> {
    let line = f.state.report.instance_called_from_below?;
    Some(format!(
        "{}: line {line} calls into the instance from a function nested below the top level (a bundle's module \
         wrapper wasm-unbrick does not recognise), where no entry check can go",
        f.state_file
    ))
}

fn no_exports_binding(f: &SetFacts) -> Option<String> {
    f.state.report.wasm_binding.is_none().then(|| {
        "no binding of the instance's exports found (expected `wasm = instance.exports` or __wbg_set_wasm)".into()
    })
}

fn inspect_set(package: &Package, wasm: &WasmInfo, set: &GlueSet) -> Result<SetInspection> {
    let import_names: HashSet<&str> = wasm.imports.iter().map(|i| i.name.as_str()).collect();
    let analyze_file = |name: &str| {
        analyze::analyze(package.text(name)?, &import_names)
            .map_err(|reason| Error::InvalidGlue { path: package.path_of(name), reason })
    };
    let mut entry_facts = match &set.bg {
        Some(_) => {
            let wasm_import = bundler::analyze_entry(package.text(&set.entry)?)
                .map_err(|reason| Error::InvalidGlue { path: package.path_of(&set.entry), reason })?;
            Some((analyze_file(&set.entry)?, wasm_import))
        }
        None => None,
    };
    // An entry that instantiates and holds every import itself is a whole
    // glue file; an `x_bg.js` beside it is left over from another build.
    let entry_source = package.text(&set.entry)?;
    let imports_bg = set.bg.as_deref().is_some_and(|bg| entry_source.contains(bg.rsplit('/').next().unwrap_or(bg)));
    let entry_is_whole = !imports_bg
        && entry_facts.as_ref().is_some_and(|(e, w)| {
            w.is_none()
                && !e.report.instantiation_sites.is_empty()
                && wasm
                    .imports
                    .iter()
                    .filter(|i| i.kind == EntityKind::Function)
                    .all(|i| entry_source.contains(i.name.as_str()))
        });
    if entry_is_whole {
        entry_facts = None;
    }
    let state_file = match (&set.bg, entry_is_whole) {
        (Some(bg), false) => bg.clone(),
        _ => set.entry.clone(),
    };
    let state_facts = analyze_file(&state_file)?;
    let source = package.text(&state_file)?;

    let target = match &entry_facts {
        Some((_, Some(_))) => Some("bundler".to_string()),
        Some((entry, None)) if !entry.report.instantiation_sites.is_empty() => Some(format!(
            "{} (hand-written entry)",
            recognise_target(&entry.report).unwrap_or_else(|| "unknown".into())
        )),
        _ => recognise_target(&state_facts.report),
    };
    let already_patched = state_facts.report.already_patched
        || entry_facts
            .as_ref()
            .is_some_and(|(e, w)| e.report.already_patched || w.as_ref().is_some_and(|w| w.already_patched));
    let refusal = if already_patched {
        None
    } else {
        let facts = SetFacts {
            package,
            wasm,
            entry: &set.entry,
            state_file: &state_file,
            state: &state_facts,
            entry_facts: entry_facts.as_ref(),
            target: target.as_deref(),
            missing: wasm
                .imports
                .iter()
                .filter(|i| i.kind == EntityKind::Function && !source.contains(i.name.as_str()))
                .map(|i| i.name.as_str())
                .collect(),
        };
        REFUSALS.iter().find_map(|rule| rule(&facts))
    };
    Ok(SetInspection {
        entry: set.entry.clone(),
        bg: set.bg.clone(),
        state_file,
        state_facts,
        entry_facts,
        target,
        already_patched,
        refusal,
    })
}

/// The wasm-bindgen `--target` whose shape the glue has.
fn recognise_target(facts: &GlueReport) -> Option<String> {
    let sites = !facts.instantiation_sites.is_empty();
    let target = match facts.module_kind {
        ModuleKind::CommonJs if sites && facts.has_init_sync => "web (bundled as CommonJS)",
        ModuleKind::CommonJs if sites => "nodejs",
        ModuleKind::Esm if facts.has_init_sync => "web",
        ModuleKind::Esm if sites && facts.imports_wasm_source => "module",
        ModuleKind::Esm if sites && facts.imports_node_fs => "experimental-nodejs-module",
        ModuleKind::Esm if sites => "deno",
        ModuleKind::Script if sites && facts.bundle_wrapper.as_deref() == Some("IIFE") => "web (bundled as an IIFE)",
        ModuleKind::Script if sites && facts.bundle_wrapper.as_deref() == Some("UMD") => "web (bundled as a UMD)",
        ModuleKind::Script if facts.wrapped_in_function && facts.has_init_sync => "no-modules",
        _ => return None,
    };
    Some(target.into())
}
