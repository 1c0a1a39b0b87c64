//! wasm-unbrick core: patches wasm-bindgen output so that a Rust abort
//! (a trap under `panic=abort`, out of memory, stack overflow) never bricks
//! the module. All logic lives here; the napi binding only converts types.
//!
//! The pipeline: [`package`] finds the files, [`inspect`] reads the `.wasm`
//! ([`wasm_info`]) and analyses the glue ([`glue::analyze`]) once and
//! decides whether to go on, [`passes`] rewrite the `.wasm` where needed
//! ([`variants`] for panic=unwind modules), [`glue::patch`] splices the
//! glue, and [`package::write_atomically`] writes every file or none.

pub mod discover;
pub mod dts;
pub mod error;
pub mod glue;
mod inspect;
pub mod options;
pub mod package;
pub mod passes;
pub mod report;
pub mod runtime;
pub mod splice;
pub mod variants;
pub mod wasm_info;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

pub use error::{Error, Result};
pub use options::{EhMode, Options, Policy};
pub use report::{Analysis, FileChange, PatchReport, PatchStatus};
pub use variants::eh_variant;

use inspect::{inspect, Inspected};
use package::{ModuleSource, Package};
use wasm_encoder::ExportKind;
use wasm_info::EhFlavour;

/// Name given to the shadow stack pointer export when the module has none.
pub const STACK_POINTER_EXPORT: &str = "__unbrick_stack_pointer";
/// The export name given to the externref stack pointer.
pub const EXTERNREF_STACK_POINTER_EXPORT: &str = "__unbrick_externref_stack_pointer";
/// The export name of another mutable global the module does not export,
/// followed by its index.
pub const GLOBAL_EXPORT_PREFIX: &str = "__unbrick_global_";

/// What [`transform`] made of a package.
#[derive(Debug, Clone)]
pub struct Transformed {
    pub status: PatchStatus,
    /// The new contents of every file that changes (or is added), by name.
    pub files: BTreeMap<String, Vec<u8>>,
    pub analysis: Analysis,
    /// The `.wasm` files the patched glue may load: the module, then its
    /// exception-handling variants.
    pub wasm_files: Vec<String>,
    /// Options that had no effect on this package, and why.
    pub notes: Vec<String>,
    /// By patched glue file, its `new URL('<one of wasm_files>',
    /// import.meta.url)` expressions (byte offsets in the patched bytes):
    /// where a bundler points the glue at the patched `.wasm` files.
    /// Filled by [`transform`] only.
    pub wasm_urls: BTreeMap<String, Vec<glue::analyze::WasmUrl>>,
}

/// Analyses the package at `path`: a glue file's module, or every module
/// under a directory (the first in the analysis, the others in its
/// `other_modules`).
pub fn analyze_path(path: &Path) -> Result<Analysis> {
    let (packages, skipped) = open_packages(path)?;
    let analyses = packages.iter().map(analyze_package).collect::<Result<Vec<_>>>()?;
    Ok(Analysis::of_modules(analyses, skipped))
}

/// Analyses a package held in memory (see [`Package::from_files`]).
pub fn analyze_package(package: &Package) -> Result<Analysis> {
    Ok(inspect(package)?.analysis)
}

/// The packages `path` stands for, read: a glue file's one, or every one
/// under a directory, with what was left alone there.
fn open_packages(path: &Path) -> Result<(Vec<Package>, Vec<discover::Skipped>)> {
    if !path.is_dir() {
        return Ok((vec![Package::open(path)?], Vec::new()));
    }
    let found = package::locate_all(path)?;
    let packages = found.packages.into_iter().map(Package::read).collect::<Result<Vec<_>>>()?;
    Ok((packages, found.skipped))
}

/// Patches the package at `path` (every module under a directory) in
/// place, or into `options.out_dir` (which must not exist or be empty);
/// with `options.dry_run` nothing is written. All files of all modules are
/// written, or none.
pub fn patch_path(path: &Path, options: &Options) -> Result<PatchReport> {
    let (packages, mut skipped) = open_packages(path)?;
    let mut changed: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut originals: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut analyses = Vec::new();
    let mut notes = Vec::new();
    let mut files = Vec::new();
    let mut patched = false;
    let mut refused = None;
    for package in &packages {
        // Of several modules, one that cannot be patched is left alone (and
        // reported) when another can; its files are not touched.
        let transformed = match transform_package(package, options) {
            Ok(transformed) => transformed,
            Err(error @ Error::Unsupported { .. }) if packages.len() > 1 => {
                if let Error::Unsupported { reason, .. } = &error {
                    let reason = format!("{}: {reason}", package.entry);
                    skipped.push(discover::Skipped { file: package.wasm.clone(), reason });
                }
                refused.get_or_insert(error);
                continue;
            }
            Err(e) => return Err(e),
        };
        patched |= transformed.status == PatchStatus::Patched;
        files.extend(transformed.files.iter().map(|(name, bytes)| FileChange {
            name: name.clone(),
            before: package.size_of(name),
            after: bytes.len(),
        }));
        let prefix = if packages.len() > 1 { format!("{}: ", package.wasm) } else { String::new() };
        notes.extend(transformed.notes.iter().map(|note| format!("{prefix}{note}")));
        analyses.push(transformed.analysis);
        changed.extend(transformed.files);
        originals.extend(package.contents.clone());
    }
    if analyses.is_empty() {
        // Every module refused: the first one's reason.
        if let Some(error) = refused {
            return Err(error);
        }
    }
    let status = match patched {
        true if options.dry_run => PatchStatus::WouldPatch,
        true => PatchStatus::Patched,
        false => PatchStatus::AlreadyPatched,
    };
    let report = PatchReport {
        path: path.display().to_string(),
        out_dir: options.out_dir.as_ref().map(|d| d.display().to_string()),
        status,
        files,
        notes,
        analysis: Analysis::of_modules(analyses, skipped),
    };
    if options.dry_run {
        return Ok(report);
    }
    let dir = &packages[0].dir;
    match &options.out_dir {
        None if changed.is_empty() => {}
        None => package::write_atomically(dir, &changed, &originals)?,
        Some(out) => package::write_into_new_dir(dir, out, &changed)?,
    }
    Ok(report)
}

/// Patches a package held in memory: the new contents of every file that
/// changes. Pure: reads nothing and writes nothing.
pub fn transform(package: &Package, options: &Options) -> Result<Transformed> {
    options.check_in_memory()?;
    let mut transformed = transform_package(package, options)?;
    let wasm_names: HashSet<&str> = transformed.wasm_files.iter().map(|f| file_name(f)).collect();
    for (name, bytes) in &transformed.files {
        let Some(text) = name.ends_with("js").then(|| std::str::from_utf8(bytes).ok()).flatten() else { continue };
        let urls: Vec<_> = glue::analyze::wasm_urls(text)
            .map_err(|reason| Error::InvalidGlue { path: package.path_of(name), reason })?
            .into_iter()
            .filter(|url| wasm_names.contains(url.file.as_str()))
            .collect();
        if !urls.is_empty() {
            transformed.wasm_urls.insert(name.clone(), urls);
        }
    }
    Ok(transformed)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn transform_package(package: &Package, options: &Options) -> Result<Transformed> {
    let Inspected { analysis, wasm, sets } = inspect(package)?;
    let mut transformed = Transformed {
        status: PatchStatus::AlreadyPatched,
        files: BTreeMap::new(),
        wasm_files: match package.module {
            ModuleSource::File => vec![package.wasm.clone()],
            ModuleSource::Inline(_) | ModuleSource::Absent => Vec::new(),
        },
        notes: Vec::new(),
        wasm_urls: BTreeMap::new(),
        analysis,
    };
    if transformed.analysis.already_patched {
        return Ok(transformed);
    }
    if let Some(reason) = &transformed.analysis.refusal {
        return Err(Error::Unsupported { path: package.path_of(&package.entry), reason: reason.clone() });
    }
    let changed = &mut transformed.files;

    // The edits of the module itself, in turn: its bytes as patched so far,
    // and the declarations of the exports they add.
    let wasm_path = package.path_of(&package.wasm);
    let invalid = |reason: String| Error::InvalidWasm { path: wasm_path.clone(), reason };
    let mut module: Option<Vec<u8>> = None;
    let mut declarations = String::new();
    // The stack pointers must be reachable from JS to restore them, and a
    // checkpoint records every mutable global (Rust modules rarely have
    // others). The name each is exported as, exporting it if need be.
    let mut export_global = |global: u32, exported_as: &Option<String>, export: &str| -> Result<String> {
        if let Some(name) = exported_as {
            return Ok(name.clone());
        }
        let current = module.as_deref().unwrap_or_else(|| package.bytes(&package.wasm));
        module = Some(
            passes::add_export::run(current, ExportKind::Global, global, export).map_err(|e| invalid(e.to_string()))?,
        );
        declarations.push_str(&format!("export const {export}: WebAssembly.Global;\n"));
        Ok(export.to_string())
    };
    let mut export_pointer = |found: &Option<wasm_info::StackPointer>, export: &str| {
        found.as_ref().map(|sp| export_global(sp.global, &sp.exported_as, export)).transpose()
    };
    let stack_pointer = export_pointer(&wasm.stack_pointer, STACK_POINTER_EXPORT)?;
    let externref_stack_pointer = export_pointer(&wasm.externref_stack_pointer, EXTERNREF_STACK_POINTER_EXPORT)?;
    let mut globals = Vec::new();
    for global in &wasm.mutable_globals {
        let pointer =
            [(&wasm.stack_pointer, &stack_pointer), (&wasm.externref_stack_pointer, &externref_stack_pointer)]
                .into_iter()
                .find(|(found, _)| found.as_ref().is_some_and(|sp| sp.global == global.global))
                .and_then(|(_, name)| name.clone());
        let exported_as = global.exported_as.clone().or(pointer);
        globals.push(export_global(global.global, &exported_as, &format!("{GLOBAL_EXPORT_PREFIX}{}", global.global))?);
    }
    // Where Wasm code can catch, the runtime needs a trap's error, which only
    // the module itself can make wherever compiling is refused.
    if matches!(wasm.eh_flavour, EhFlavour::Modern | EhFlavour::Legacy) {
        let current = module.as_deref().unwrap_or_else(|| package.bytes(&package.wasm));
        module = Some(passes::add_trap_export::run(current).map_err(|e| invalid(e.to_string()))?);
        declarations.push_str(&format!("export const {}: () => void;\n", passes::add_trap_export::TRAP_EXPORT));
    }
    // A module inlined in a script goes back into it, once its glue is patched.
    let inlined = module
        .as_ref()
        .filter(|_| matches!(package.module, ModuleSource::Inline(_)))
        .map(|m| package::encode_inline(m));
    if let Some(module) = module.filter(|_| package.module == ModuleSource::File) {
        changed.insert(package.wasm.clone(), module);
        if let Some(wasm_dts) = &package.wasm_dts {
            let mut text = package.bytes(wasm_dts).to_vec();
            text.extend_from_slice(declarations.as_bytes());
            changed.insert(wasm_dts.clone(), text);
        }
    }

    // Variants are made from the `.wasm` as patched so far, where some glue
    // set can choose a file at run time.
    let variants = if package.module == ModuleSource::File && sets.iter().any(|s| s.selects_variant()) {
        let base = changed.get(&package.wasm).map(Vec::as_slice).unwrap_or_else(|| package.bytes(&package.wasm));
        variants::make(&wasm_path, &package.wasm, base, wasm.eh_flavour)?
    } else {
        None
    };
    match &variants {
        Some(made) => {
            transformed.wasm_files.extend(made.files.keys().filter(|&name| name != &package.wasm).cloned());
            changed.extend(made.files.clone());
        }
        None if matches!(options.eh_mode, EhMode::Modern | EhMode::Legacy) => {
            transformed.notes.push(format!(
                "ehMode '{}' has no effect: {}",
                options.eh_mode.as_str(),
                if matches!(wasm.eh_flavour, EhFlavour::Modern | EhFlavour::Legacy) {
                    "the glue loads its .wasm by a static import, so no variant can be chosen"
                } else {
                    "the module has no exception handling (built with panic=abort)"
                }
            ));
        }
        None => {}
    }
    if package.module == ModuleSource::Absent {
        transformed.notes.push(
            "no .wasm of this glue is in the package (it is fetched at run time?): the glue is patched alone. Recovery \
             works; lost: the module's stack pointers are not exported, so they are not restored after a JS exception \
             crosses Wasm frames, and a panic=unwind module is treated as reinit-only (no exception-handling variants)"
                .into(),
        );
    }
    let catch_imports = variants.as_ref().map(|made| made.catch_imports.clone()).unwrap_or_default();
    let variants = variants.map(|made| made.variants);

    let async_exports = match &package.dts {
        Some(dts) => dts::async_exports(package.text(dts)?),
        None => HashSet::new(),
    };
    let import_params: Vec<u32> = wasm.imports.iter().filter_map(|import| import.params).collect();
    let config = glue::patch::RuntimeConfig {
        exports: &wasm.exports,
        import_params: &import_params,
        catch_imports: &catch_imports,
        version: env!("CARGO_PKG_VERSION"),
        mode: match wasm.eh_flavour {
            EhFlavour::Legacy => EhMode::Legacy,
            EhFlavour::Modern => EhMode::Modern,
            _ => EhMode::None,
        },
        policy: options.policy,
        max_aborts: options.max_aborts,
        window_ms: options.window_ms,
        standby: options.standby,
        rollback: options.rollback,
        stack_pointer: stack_pointer.as_deref(),
        externref_stack_pointer: externref_stack_pointer.as_deref(),
        func_tables: &wasm.func_tables,
        memory: wasm.memory.as_deref(),
        globals: &globals,
        externref_tables: &wasm.externref_tables,
        variants: None,
        eh_mode: options.eh_mode,
    };
    for set in &sets {
        let config =
            glue::patch::RuntimeConfig { variants: variants.as_ref().filter(|_| set.selects_variant()), ..config };
        let patched =
            glue::patch::patch_state_file(package.text(&set.state_file)?, &set.state_facts, &config, &async_exports);
        changed.insert(set.state_file.clone(), patched.into_bytes());
        let Some((entry_facts, wasm_import)) = &set.entry_facts else { continue };
        let source = package.text(&set.entry)?;
        // Names are relative to the package; the glue's specifiers to the entry.
        let bg_module = format!("./{}", package::relative_to(&set.entry, &set.state_file));
        let patched = match wasm_import {
            Some(import) => glue::patch::patch_bundler_entry(
                source,
                import,
                &package::relative_to(&set.entry, &package.wasm),
                variants.as_ref(),
                &wasm.import_modules(),
                &bg_module,
                set.state_facts.plan.wasm_namespace_import.is_some(),
            ),
            None => glue::patch::patch_entry(source, entry_facts, &bg_module),
        };
        changed.insert(set.entry.clone(), patched.into_bytes());
    }

    if let (ModuleSource::Inline(inline), Some(base64)) = (&package.module, inlined) {
        // The glue patch leaves the base64 text byte for byte as it was.
        let original = inline.text(package.bytes(&inline.file));
        let script = changed.get(&inline.file).cloned().unwrap_or_else(|| package.bytes(&inline.file).to_vec());
        let at = script.windows(original.len()).position(|w| w == original).ok_or_else(|| Error::InvalidGlue {
            path: package.path_of(&inline.file),
            reason: "its inlined module is not where it was after patching (a bug in wasm-unbrick)".into(),
        })?;
        let mut replaced = script[..at].to_vec();
        replaced.extend_from_slice(base64.as_bytes());
        replaced.extend_from_slice(&script[at + original.len()..]);
        changed.insert(inline.file.clone(), replaced);
    }
    if let Some(dts) = &package.dts {
        let mut text = package.bytes(dts).to_vec();
        text.extend_from_slice(runtime::HANDLE_DTS.as_bytes());
        changed.insert(dts.clone(), text);
    }
    transformed.status = PatchStatus::Patched;
    Ok(transformed)
}
