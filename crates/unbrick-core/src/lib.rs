//! wasm-unbrick core: patches wasm-bindgen output so that a Rust abort
//! (a trap under `panic=abort`, out of memory, stack overflow) never bricks
//! the module. All logic lives here; the napi binding only converts types.

pub mod dts;
pub mod error;
pub mod glue;
pub mod package;
pub mod passes;
pub mod report;
pub mod runtime;
pub mod splice;
pub mod wasm_info;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

pub use error::{Error, Result};
pub use report::{Analysis, FileChange, PatchReport, PatchStatus};

use glue::analyze::GlueFacts;
use glue::bundler::EntryFacts;
use glue::patch::WasmVariants;
use package::Package;
use passes::eh_rewrite::PassError;
use wasm_info::{EhFlavour, WasmInfo};

/// When a terminated instance is re-created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// On the next call (default).
    #[default]
    Lazy,
    /// As soon as the failing call has unwound.
    Eager,
    /// Only on `__unbrick.reinit()`.
    Manual,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Lazy => "lazy",
            Policy::Eager => "eager",
            Policy::Manual => "manual",
        }
    }
}

impl std::str::FromStr for Policy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "lazy" => Ok(Policy::Lazy),
            "eager" => Ok(Policy::Eager),
            "manual" => Ok(Policy::Manual),
            other => Err(format!("unknown policy '{other}': expected lazy, eager or manual")),
        }
    }
}

/// Which exception-handling variant the patched glue loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EhMode {
    /// The best the engine supports, probed at run time (default).
    #[default]
    Auto,
    Modern,
    Legacy,
    /// Reinit-only: no exception handling; every panic is an abort.
    None,
}

impl EhMode {
    pub fn as_str(self) -> &'static str {
        match self {
            EhMode::Auto => "auto",
            EhMode::Modern => "modern",
            EhMode::Legacy => "legacy",
            EhMode::None => "none",
        }
    }
}

impl std::str::FromStr for EhMode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "auto" => Ok(EhMode::Auto),
            "modern" => Ok(EhMode::Modern),
            "legacy" => Ok(EhMode::Legacy),
            "none" => Ok(EhMode::None),
            other => Err(format!("unknown EH mode '{other}': expected auto, modern, legacy or none")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub policy: Policy,
    /// For modules built with panic=unwind: the variant to load.
    pub eh_mode: EhMode,
    /// For modules built with panic=unwind: write the variants for the other
    /// modes beside the `.wasm` (the bundler plugins do not serve them yet).
    pub eh_variants: bool,
    /// Crash-loop guard: more than `max_aborts` aborts within `window_ms`
    /// leave the module terminated until `__unbrick.reinit()`.
    pub max_aborts: u32,
    pub window_ms: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { policy: Policy::Lazy, eh_mode: EhMode::Auto, eh_variants: true, max_aborts: 5, window_ms: 10_000 }
    }
}

/// Name given to the shadow stack pointer export when the module has none.
pub const STACK_POINTER_EXPORT: &str = "__unbrick_stack_pointer";

/// Everything learnt about a package, kept for patching.
struct Inspected {
    analysis: Analysis,
    wasm: WasmInfo,
    sets: Vec<SetInspection>,
}

/// One glue set: the entry the user imports and the file holding the state.
struct SetInspection {
    entry: String,
    state_file: String,
    state_facts: GlueFacts,
    /// Facts of the entry when it is not the state file.
    entry_facts: Option<(GlueFacts, Option<EntryFacts>)>,
    target: Option<String>,
    already_patched: bool,
    refusal: Option<String>,
}

/// Analyses the package at `path` (a directory or a glue file).
pub fn analyze_path(path: &Path) -> Result<Analysis> {
    let package = Package::open(path)?;
    Ok(inspect(&package)?.analysis)
}

/// Patches the package at `path` in place, or into `out_dir` (which must
/// not exist or be empty). With `dry_run` nothing is written.
pub fn patch_path(path: &Path, out_dir: Option<&Path>, options: &Options, dry_run: bool) -> Result<PatchReport> {
    let package = Package::open(path)?;
    let (status, changed) = transform(&package, options)?;
    let files = changed
        .iter()
        .map(|(name, bytes)| FileChange { name: name.clone(), before: package.size_of(name), after: bytes.len() })
        .collect();
    let mut report = PatchReport {
        path: path.display().to_string(),
        out_dir: out_dir.map(|d| d.display().to_string()),
        status,
        files,
        analysis: inspect(&package)?.analysis,
    };
    if dry_run {
        report.status = if status == PatchStatus::Patched { PatchStatus::WouldPatch } else { status };
        return Ok(report);
    }
    match out_dir {
        None => {
            if !changed.is_empty() {
                package::write_atomically(&package.dir, &changed, &package.contents)?;
            }
        }
        Some(out) => write_out_dir(&package, out, &changed)?,
    }
    Ok(report)
}

fn write_out_dir(package: &Package, out: &Path, changed: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    if out.exists() && std::fs::read_dir(out).map_err(|e| Error::io(out, e))?.next().is_some() {
        return Err(Error::Usage { path: out.to_path_buf(), reason: "--out-dir exists and is not empty".into() });
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let staging = parent.join(format!(
        ".{}.wasm-unbrick-tmp",
        out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let result = package::copy_tree(&package.dir, &staging)
        .and_then(|_| changed.iter().try_for_each(|(name, bytes)| std::fs::write(staging.join(name), bytes)))
        .and_then(|_| {
            if out.exists() {
                std::fs::remove_dir(out)?;
            }
            std::fs::rename(&staging, out)
        });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Error::io(out, e));
    }
    Ok(())
}

/// Analyses a package held in memory (see [`Package::from_files`]).
pub fn analyze_package(package: &Package) -> Result<Analysis> {
    Ok(inspect(package)?.analysis)
}

/// The new contents of every file that changes, by name. Pure: reads
/// nothing and writes nothing.
pub fn transform(package: &Package, options: &Options) -> Result<(PatchStatus, BTreeMap<String, Vec<u8>>)> {
    let inspected = inspect(package)?;
    let analysis = &inspected.analysis;
    if analysis.already_patched {
        return Ok((PatchStatus::AlreadyPatched, BTreeMap::new()));
    }
    if let Some(reason) = &analysis.refusal {
        return Err(Error::Unsupported { path: package.path_of(&package.glue), reason: reason.clone() });
    }
    let wasm = &inspected.wasm;
    let mut changed = BTreeMap::new();

    // The shadow stack pointer must be reachable from JS to restore it.
    let stack_pointer = match &wasm.stack_pointer {
        Some(sp) => match &sp.exported_as {
            Some(name) => Some(name.clone()),
            None => {
                let patched = passes::export_global::run(package.bytes(&package.wasm), sp.global, STACK_POINTER_EXPORT)
                    .map_err(|e| Error::InvalidWasm { path: package.path_of(&package.wasm), reason: e.to_string() })?;
                changed.insert(package.wasm.clone(), patched);
                if let Some(wasm_dts) = &package.wasm_dts {
                    let mut text = package.bytes(wasm_dts).to_vec();
                    text.extend_from_slice(
                        format!("export const {STACK_POINTER_EXPORT}: WebAssembly.Global;\n").as_bytes(),
                    );
                    changed.insert(wasm_dts.clone(), text);
                }
                Some(STACK_POINTER_EXPORT.to_string())
            }
        },
        None => None,
    };

    let variants = if options.eh_variants { eh_variants(package, &inspected, &mut changed)? } else { None };

    let async_exports = match &package.dts {
        Some(dts) => dts::async_exports(package.text(dts)?),
        None => HashSet::new(),
    };
    let config = glue::patch::RuntimeConfig {
        exports: &wasm.exports,
        mode: match wasm.eh_flavour {
            EhFlavour::Legacy => "legacy",
            EhFlavour::Modern => "modern",
            _ => "none",
        },
        policy: options.policy.as_str(),
        max_aborts: options.max_aborts,
        window_ms: options.window_ms,
        stack_pointer: stack_pointer.as_deref(),
        func_tables: &wasm.func_tables,
        variants: None,
        eh_mode: options.eh_mode.as_str(),
    };
    for set in &inspected.sets {
        let config =
            glue::patch::RuntimeConfig { variants: variants.as_ref().filter(|_| set.selects_variant()), ..config };
        let patched =
            glue::patch::patch_state_file(package.text(&set.state_file)?, &set.state_facts, &config, &async_exports);
        changed.insert(set.state_file.clone(), patched.into_bytes());
        let Some((entry_facts, wasm_import)) = &set.entry_facts else { continue };
        let source = package.text(&set.entry)?;
        let bg_module = format!("./{}", set.state_file);
        let patched = match wasm_import {
            Some(import) => glue::patch::patch_bundler_entry(
                source,
                import,
                &package.wasm,
                variants.as_ref(),
                &wasm.import_modules(),
                &bg_module,
            ),
            None => glue::patch::patch_entry(source, entry_facts, &bg_module),
        };
        changed.insert(set.entry.clone(), patched.into_bytes());
    }

    if let Some(dts) = &package.dts {
        let mut text = package.bytes(dts).to_vec();
        text.extend_from_slice(runtime::HANDLE_DTS.as_bytes());
        changed.insert(dts.clone(), text);
    }
    Ok((PatchStatus::Patched, changed))
}

/// For a module built with panic=unwind, writes the variants for the other
/// exception-handling modes beside it (`x_bg.legacy.wasm` or
/// `x_bg.modern.wasm`, and `x_bg.noeh.wasm`), made from the `.wasm` as
/// patched so far. None when no glue set can choose a file at run time.
/// Every mode gets a file, so a forced `eh_mode` always finds its own.
fn eh_variants(
    package: &Package,
    inspected: &Inspected,
    changed: &mut BTreeMap<String, Vec<u8>>,
) -> Result<Option<WasmVariants>> {
    let flavour = inspected.wasm.eh_flavour;
    if !matches!(flavour, EhFlavour::Modern | EhFlavour::Legacy)
        || !inspected.sets.iter().any(SetInspection::selects_variant)
    {
        return Ok(None);
    }
    let wasm_path = package.path_of(&package.wasm);
    let base = changed.get(&package.wasm).map(Vec::as_slice).unwrap_or_else(|| package.bytes(&package.wasm));
    let own = if flavour == EhFlavour::Modern { EhMode::Modern } else { EhMode::Legacy };
    let file = std::path::Path::new(&package.wasm)
        .file_name()
        .map_or(package.wasm.clone(), |f| f.to_string_lossy().into_owned());
    let mut variants = WasmVariants { file, suffixes: vec![(own.as_str(), String::new())] };
    let modes: Vec<EhMode> = [EhMode::Modern, EhMode::Legacy, EhMode::None].into_iter().filter(|&m| m != own).collect();
    // The passes are independent: each variant is made on its own thread.
    let made: Vec<Result<Vec<u8>>> = std::thread::scope(|scope| {
        let path = wasm_path.as_path();
        let running: Vec<_> =
            modes.iter().map(|&mode| scope.spawn(move || translate_eh(path, base, flavour, mode))).collect();
        running.into_iter().map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    let mut new_files = Vec::new();
    for (mode, bytes) in modes.into_iter().zip(made) {
        let bytes = bytes.map_err(|e| match e {
            Error::Unsupported { path, reason } => Error::Unsupported {
                path,
                reason: format!("{reason} (--eh-mode {} patches without variants)", own.as_str()),
            },
            other => other,
        })?;
        let suffix = format!(".{}", if mode == EhMode::None { "noeh" } else { mode.as_str() });
        let name = glue::patch::with_suffix(&package.wasm, &suffix);
        variants.suffixes.push((mode.as_str(), suffix));
        new_files.push((name, bytes));
    }
    changed.extend(new_files);
    Ok(Some(variants))
}

/// Translates a `.wasm` built with panic=unwind into the exception-handling
/// flavour of `mode` (`Modern`, `Legacy`, or `None` for no EH at all): what
/// `transform` writes beside it as `x_bg.modern.wasm`, `x_bg.legacy.wasm`
/// and `x_bg.noeh.wasm`. The input's own flavour comes back unchanged.
/// `path` names the input in errors.
pub fn eh_variant(path: &Path, wasm: &[u8], mode: EhMode) -> Result<Vec<u8>> {
    let info =
        wasm_info::read(wasm).map_err(|e| Error::InvalidWasm { path: path.to_path_buf(), reason: e.to_string() })?;
    translate_eh(path, wasm, info.eh_flavour, mode)
}

/// [`eh_variant`] of a module whose flavour is known (reading it again
/// would cost a walk over every function).
fn translate_eh(path: &Path, wasm: &[u8], flavour: EhFlavour, mode: EhMode) -> Result<Vec<u8>> {
    type Pass = fn(&[u8]) -> std::result::Result<Vec<u8>, PassError>;
    let pass: Pass = match (flavour, mode) {
        (EhFlavour::Modern, EhMode::Modern) | (EhFlavour::Legacy, EhMode::Legacy) | (EhFlavour::None, EhMode::None) => {
            return Ok(wasm.to_vec());
        }
        (EhFlavour::Modern, EhMode::Legacy) => passes::eh_to_legacy::run,
        (EhFlavour::Legacy, EhMode::Modern) => passes::eh_to_modern::run,
        (EhFlavour::Modern | EhFlavour::Legacy, EhMode::None) => passes::strip_eh::run,
        (flavour, _) => {
            let has = if flavour == EhFlavour::None { "no" } else { "mixed modern and legacy" };
            return Err(Error::Usage {
                path: path.to_path_buf(),
                reason: format!("no {} variant can be made of a module with {has} exception handling", mode.as_str()),
            });
        }
    };
    pass(wasm).map_err(|e| Error::Unsupported {
        path: path.to_path_buf(),
        reason: format!("cannot make the {} exception-handling variant: {e}", mode.as_str()),
    })
}

impl SetInspection {
    /// Whether the glue names the `.wasm` where a variant can be chosen
    /// (not the module target's static `import source`).
    fn selects_variant(&self) -> bool {
        !self.state_facts.wasm_file_sites.is_empty() || matches!(self.entry_facts, Some((_, Some(_))))
    }
}

fn inspect(package: &Package) -> Result<Inspected> {
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

    let mut sets = Vec::new();
    for set in package.glue_sets() {
        sets.push(inspect_set(package, &wasm, &set)?);
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
    let mut unrecognised = primary.state_facts.unrecognised.clone();
    if let Some(reason) = &refusal {
        if unrecognised.is_empty() {
            unrecognised.push(glue::analyze::Unrecognised { what: reason.clone(), line: 0 });
        }
    }

    let analysis = Analysis {
        path: package.dir.display().to_string(),
        glue: package.glue.clone(),
        bg_glue: package.bg_glue.clone(),
        other_glue: sets[1..]
            .iter()
            .map(|s| report::OtherGlue {
                entry: s.entry.clone(),
                state: s.state_file.clone(),
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
        upstream_abort_handling: sets.iter().any(|s| s.state_facts.upstream_abort_handling),
        already_patched,
        stack_pointer: wasm.stack_pointer.clone(),
        wasm_size: wasm.size,
        wasm_exports: wasm.exports.len(),
        wasm_imports: wasm.imports.len(),
        func_tables: wasm.func_tables.clone(),
        glue_state: primary.state_facts.clone(),
        unrecognised,
        supported: refusal.is_none(),
        refusal,
    };
    Ok(Inspected { analysis, wasm, sets })
}

fn inspect_set(package: &Package, wasm: &WasmInfo, set: &package::GlueSet) -> Result<SetInspection> {
    let import_names: HashSet<&str> = wasm.imports.iter().map(|i| i.name.as_str()).collect();
    let analyze_file = |name: &str| {
        glue::analyze::analyze(package.text(name)?, &import_names)
            .map_err(|reason| Error::InvalidGlue { path: package.path_of(name), reason })
    };
    let mut entry_facts = match &set.bg {
        Some(_) => {
            let wasm_import = glue::bundler::analyze_entry(package.text(&set.entry)?)
                .map_err(|reason| Error::InvalidGlue { path: package.path_of(&set.entry), reason })?;
            Some((analyze_file(&set.entry)?, wasm_import))
        }
        None => None,
    };
    // An entry that instantiates and holds every import itself is a whole
    // glue file; an `x_bg.js` beside it is left over from another build.
    let entry_source = package.text(&set.entry)?;
    let entry_is_whole = entry_facts.as_ref().is_some_and(|(e, w)| {
        w.is_none()
            && !e.instantiation_sites.is_empty()
            && wasm.imports.iter().filter(|i| i.kind == "function").all(|i| entry_source.contains(i.name.as_str()))
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
        Some((entry, None)) if !entry.instantiation_sites.is_empty() => {
            Some(format!("{} (hand-written entry)", recognise_target(entry).unwrap_or_else(|| "unknown".into())))
        }
        _ => recognise_target(&state_facts),
    };
    let missing: Vec<&str> = wasm
        .imports
        .iter()
        .filter(|i| i.kind == "function" && !source.contains(i.name.as_str()))
        .map(|i| i.name.as_str())
        .collect();
    let already_patched = state_facts.already_patched
        || entry_facts
            .as_ref()
            .is_some_and(|(e, w)| e.already_patched || w.as_ref().is_some_and(|w| w.already_patched));
    let entry_instantiates =
        entry_facts.as_ref().is_some_and(|(e, w)| w.is_some() || !e.instantiation_sites.is_empty());

    let refusal = if already_patched {
        None
    } else if !missing.is_empty() {
        Some(format!(
            "{} does not belong to {}: {} of its {} imports are not in the glue (first: {})",
            package.wasm,
            state_file,
            missing.len(),
            wasm.imports.len(),
            missing[0]
        ))
    } else if state_facts.upstream_abort_handling && state_facts.upstream_guards.len() != 2 {
        Some("the glue has wasm-bindgen's own abort handling but not the two functions __wbg_call_guard and __wbg_handle_catch wasm-unbrick replaces".into())
    } else if wasm.eh_flavour == EhFlavour::Mixed {
        Some("the module mixes legacy and modern exception handling instructions, which engines reject".into())
    } else if !entry_instantiates && state_facts.instantiation_sites.is_empty() {
        Some(match &target {
            Some(t) => format!("target '{t}' recognised, but patching it is not supported yet (supported: nodejs, web, bundler)"),
            None => "no wasm-bindgen target shape recognised (no WebAssembly.Instance/instantiate call in the glue and no .wasm import)".into(),
        })
    } else if state_facts.module_kind == glue::analyze::ModuleKind::Script && !state_facts.wrapped_in_function {
        Some(format!("{state_file} is neither an ES module, CommonJS, nor the no-modules target's wrapper"))
    } else if entry_facts.as_ref().is_some_and(|(e, _)| e.module_kind == glue::analyze::ModuleKind::Script) {
        Some(format!("{} is neither an ES module nor CommonJS", set.entry))
    } else if state_facts.wasm_binding.is_none() {
        Some("no binding of the instance's exports found (expected `wasm = instance.exports` or __wbg_set_wasm)".into())
    } else {
        None
    };
    Ok(SetInspection {
        entry: set.entry.clone(),
        state_file,
        state_facts,
        entry_facts,
        target,
        already_patched,
        refusal,
    })
}

/// The wasm-bindgen `--target` whose shape the glue has.
fn recognise_target(facts: &GlueFacts) -> Option<String> {
    use glue::analyze::ModuleKind;
    let sites = !facts.instantiation_sites.is_empty();
    let target = match facts.module_kind {
        ModuleKind::CommonJs if sites && facts.has_init_sync => "web (bundled as CommonJS)",
        ModuleKind::CommonJs if sites => "nodejs",
        ModuleKind::Esm if facts.has_init_sync => "web",
        ModuleKind::Esm if sites && facts.imports_wasm_source => "module",
        ModuleKind::Esm if sites && facts.imports_node_fs => "experimental-nodejs-module",
        ModuleKind::Esm if sites => "deno",
        ModuleKind::Script if facts.wrapped_in_function && facts.has_init_sync => "no-modules",
        _ => return None,
    };
    Some(target.into())
}
