//! Finds the wasm-bindgen modules of a directory tree (an npm package as it
//! is published) and the glue sets of each, by content: a glue file
//! belongs to the `.wasm` whose function imports it provides, wherever the
//! two are and whatever their names. wasm-pack's naming (`x.js` and
//! `x_bg.js` beside `x_bg.wasm`) is tried first, so that a wasm-pack
//! directory is read as [`Package::locate`] has always read it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::options::EhMode;
use crate::package::{GlueSet, InlineModule, ModuleSource, Package, GLUE_EXTENSIONS};

/// A file of the tree that looked like part of a wasm-bindgen package but
/// was left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// The modules found under `root`, each a [`Package`] whose file names are
/// relative to `root` (with `/`), and what was left alone.
#[derive(Debug)]
pub struct Discovered {
    pub root: PathBuf,
    pub packages: Vec<Package>,
    pub skipped: Vec<Skipped>,
}

/// The npm package `start` (a directory) is in: the nearest directory at
/// or above it with a `package.json`, else `start` itself. Relative as
/// `start` is, where the package is within it.
pub fn package_root(start: &Path) -> PathBuf {
    let has_manifest = |dir: &Path| dir.join("package.json").is_file();
    let dot = |dir: &Path| if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.to_path_buf() };
    if let Some(dir) = start.ancestors().find(|dir| has_manifest(&dot(dir))) {
        return dot(dir);
    }
    let absolute = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    absolute.ancestors().find(|dir| has_manifest(dir)).map_or(start.to_path_buf(), Path::to_path_buf)
}

/// A `.wasm` of the tree, with the names of its function imports.
struct Module {
    name: String,
    imports: Vec<String>,
    /// Why its import section could not be read: then only glue named for
    /// it is its glue, and the analysis reports what is wrong with it.
    unreadable: Option<String>,
    /// Where a script holds it in base64, when it is not a file.
    inline: Option<InlineModule>,
}

/// A `.js`, `.mjs` or `.cjs` of the tree that names wasm-bindgen imports.
struct Script {
    name: String,
    text: String,
    /// The `.wasm` it imports by a relative specifier, relative to the root.
    imports_wasm: Option<String>,
    /// The files it imports or re-exports from, relative to the root
    /// (extensionless specifiers as written).
    depends_on: Vec<String>,
}

const MARKERS: [&str; 2] = ["__wbindgen", "__wbg_"];
/// Directories that hold no file of the package itself: dependencies,
/// dot directories, and caches (Cargo's `target/` has a `CACHEDIR.TAG`).
fn skipped_dir(dir: &walkdir::DirEntry) -> bool {
    let name = dir.file_name().to_string_lossy();
    name == "node_modules" || name.starts_with('.') || dir.path().join("CACHEDIR.TAG").is_file()
}

pub(crate) fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn parent_of(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// Whether `name` is an exception-handling variant that wasm-unbrick made of
/// a module beside it (`x_bg.legacy.wasm` of `x_bg.wasm`).
fn is_variant(name: &str, all: &BTreeSet<String>) -> bool {
    let stem = name.strip_suffix(".wasm").unwrap_or(name);
    [EhMode::Modern, EhMode::Legacy, EhMode::None]
        .iter()
        .filter_map(|mode| stem.strip_suffix(mode.file_suffix()))
        .any(|own| all.contains(&format!("{own}.wasm")))
}

/// Every module of the tree at `root` with its glue sets.
pub fn discover(root: &Path) -> Result<Discovered> {
    let mut wasm_names = BTreeSet::new();
    let mut scripts = Vec::new();
    let mut modules = Vec::new();
    let walk = WalkDir::new(root).sort_by_file_name().into_iter();
    for entry in walk.filter_entry(|e| e.depth() == 0 || !e.file_type().is_dir() || !skipped_dir(e)) {
        let entry = entry.map_err(|e| Error::io(e.path().unwrap_or(root).to_path_buf(), e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = relative(root, entry.path());
        let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
        if ext == "wasm" {
            wasm_names.insert(name);
        } else if GLUE_EXTENSIONS.contains(&ext) {
            let bytes = fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            let Ok(text) = String::from_utf8(bytes) else { continue };
            // `x_bg.wasm.js`: wasm2js's translation of a module, which imports
            // the glue's functions rather than providing them.
            let wasm2js = name.rsplit_once('.').is_some_and(|(stem, _)| stem.ends_with(".wasm"));
            if text.contains(INLINE_MAGIC) {
                inline_modules(&name, &text, &mut modules);
            }
            if !wasm2js && MARKERS.iter().any(|m| text.contains(m)) {
                let imports_wasm = crate::glue::analyze::imported_wasm(&text).map(|w| join(parent_of(&name), &w));
                let depends_on = crate::glue::analyze::relative_specifiers(&text)
                    .iter()
                    .map(|specifier| resolve(parent_of(&name), specifier))
                    .collect();
                scripts.push(Script { name, text, imports_wasm, depends_on });
            }
        }
    }
    let mut skipped = Vec::new();
    for name in wasm_names.iter().filter(|n| !is_variant(n, &wasm_names)) {
        let path = root.join(name);
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let (imports, unreadable) = match crate::wasm_info::function_import_names(&bytes) {
            Ok(imports) => (imports, None),
            Err(reason) => (Vec::new(), Some(reason)),
        };
        modules.push(Module { name: name.clone(), imports, unreadable, inline: None });
    }
    let exists = |name: &str| root.join(name).is_file();

    // Which scripts provide which modules' imports; a script that provides
    // several is given to the one that is named for it or nearest to it.
    // Searched once per script and module: bundles are large and name many imports.
    let provided: Vec<Vec<bool>> = scripts
        .iter()
        .map(|script| {
            modules
                .iter()
                .map(|module| {
                    !module.imports.is_empty()
                        && module.imports.iter().all(|import| script.text.contains(import.as_str()))
                })
                .collect()
        })
        .collect();
    // A script that imports, directly or through others, a script providing
    // the same module only re-exports the glue's names (a wrapper such as an
    // `index.js` over `x.js` over `x_bg.js`).
    let reached = |start: usize| {
        let mut seen = BTreeSet::from([start]);
        let mut queue = vec![start];
        while let Some(at) = queue.pop() {
            for dep in &scripts[at].depends_on {
                for (i, other) in scripts.iter().enumerate() {
                    if same_file(dep, &other.name) && seen.insert(i) {
                        queue.push(i);
                    }
                }
            }
        }
        seen.remove(&start);
        seen
    };
    let reach: Vec<BTreeSet<usize>> = (0..scripts.len()).map(reached).collect();
    let depends_on_provider = |index: usize, module: usize| reach[index].iter().any(|&i| provided[i][module]);
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, script) in scripts.iter().enumerate() {
        // A module inlined in another script is this one's only if it imports that script.
        let reachable = |module: &Module| {
            module.inline.as_ref().is_none_or(|inline| {
                inline.file == script.name || script.depends_on.iter().any(|dep| same_file(dep, &inline.file))
            })
        };
        let candidates: Vec<usize> = (0..modules.len())
            .filter(|&m| provided[index][m] && reachable(&modules[m]) && !depends_on_provider(index, m))
            .collect();
        let closeness = |m: usize| {
            if modules[m].inline.as_ref().is_some_and(|inline| inline.file == script.name) {
                return (false, false, 0);
            }
            let module = &modules[m].name;
            let same_dir = parent_of(module) == parent_of(&script.name);
            let named = stem_of_wasm(module).is_some_and(|stem| stem_of(&script.name) == stem);
            (!(same_dir && named), !same_dir, module.matches('/').count().abs_diff(script.name.matches('/').count()))
        };
        let best = candidates.iter().map(|&m| closeness(m)).min();
        let nearest: Vec<usize> = candidates.iter().copied().filter(|&m| Some(closeness(m)) == best).collect();
        match nearest.as_slice() {
            [] => {}
            [m] => {
                owner.insert(&script.name, *m);
            }
            several => skipped.push(Skipped {
                file: script.name.clone(),
                reason: format!(
                    "provides the imports of {} modules alike ({}); name the glue file and its module is found by name",
                    several.len(),
                    several.iter().map(|&m| modules[m].name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }

    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut packages = Vec::new();
    for (index, module) in modules.iter().enumerate() {
        let dir = parent_of(&module.name);
        let mut sets: Vec<GlueSet> = Vec::new();
        let add = |entry: String, sets: &mut Vec<GlueSet>, used: &mut BTreeSet<String>| {
            let bg = crate::package::bg_name(&entry).filter(|bg| exists(bg) && !used.contains(bg));
            used.insert(entry.clone());
            used.extend(bg.clone());
            sets.push(GlueSet { entry, bg });
        };
        let state_of = |set: &GlueSet| set.bg.clone().unwrap_or_else(|| set.entry.clone());
        // wasm-pack's names first: x.js, x.mjs, x.cjs beside x_bg.wasm.
        if let Some(stem) = stem_of_wasm(&module.name) {
            for ext in GLUE_EXTENSIONS {
                let entry = join(dir, &format!("{stem}.{ext}"));
                if exists(&entry) && !used.contains(&entry) {
                    add(entry, &mut sets, &mut used);
                }
            }
        }
        // Then by content: the scripts that provide its imports (an `x_bg.js`
        // with the `x.js` that re-exports it), or that import it by name.
        for script in &scripts {
            if used.contains(&script.name) {
                continue;
            }
            let imported = script.imports_wasm.as_ref() == Some(&module.name);
            let owned = owner.get(script.name.as_str()) == Some(&index);
            // An importer of the module that loads one of its state files is a loader (below).
            let loads_state =
                sets.iter().map(state_of).any(|state| script.depends_on.iter().any(|dep| same_file(dep, &state)));
            if !owned && (!imported || loads_state) {
                continue;
            }
            let entry = script
                .name
                .strip_suffix(&format!("_bg.{}", ext_of(&script.name)))
                .map(|stem| format!("{stem}.{}", ext_of(&script.name)))
                .filter(|entry| exists(entry) && !used.contains(entry))
                .unwrap_or_else(|| script.name.clone());
            add(entry, &mut sets, &mut used);
        }
        // Hand-written loaders: a script that instantiates the module itself
        // and takes the glue's functions from one of its state files
        // (`require("./pkg/x_bg.cjs")`, `import * as bg from "./x_bg.js"`).
        // A state file it loads is no entry of its own.
        let states: Vec<String> = sets.iter().map(state_of).collect();
        for script in &scripts {
            let loaded = states.iter().find(|state| script.depends_on.iter().any(|dep| same_file(dep, state)));
            let (Some(state), false) = (loaded, used.contains(&script.name)) else { continue };
            let instantiates =
                script.imports_wasm.as_ref() == Some(&module.name) || crate::glue::analyze::instantiates(&script.text);
            if !instantiates {
                continue;
            }
            sets.retain(|set| !(set.entry == *state && set.bg.is_none()));
            used.insert(script.name.clone());
            sets.push(GlueSet { entry: script.name.clone(), bg: Some(state.clone()) });
        }
        if sets.is_empty() {
            let reason = match module.imports.first() {
                _ if module.unreadable.is_some() => {
                    format!("not a WebAssembly module: {}", module.unreadable.as_deref().unwrap_or_default())
                }
                Some(first) => format!(
                    "no glue file in the package provides its {} function imports (first: {first})",
                    module.imports.len()
                ),
                None => "it imports no function, and no glue file is named for it".into(),
            };
            skipped.push(Skipped { file: module.name.clone(), reason });
            continue;
        }
        let source = module.inline.clone().map_or(ModuleSource::File, ModuleSource::Inline);
        packages.push(Package::of_sets(root, &module.name, source, sets));
    }
    // Glue that instantiates a module the package does not hold (fetched
    // at run time): patched alone.
    for script in &scripts {
        let unclaimed = !used.contains(&script.name) && !skipped.iter().any(|s| s.file == script.name);
        if unclaimed && script.text.contains("__wbindgen") && crate::glue::analyze::instantiates(&script.text) {
            let set = GlueSet { entry: script.name.clone(), bg: None };
            packages.push(Package::of_sets(root, &format!("{}#no-wasm", script.name), ModuleSource::Absent, vec![set]));
        }
    }
    Ok(Discovered { root: root.to_path_buf(), packages, skipped })
}

/// `specifier` (relative, `/`) as a name relative to the root, from a file in `dir`.
fn resolve(dir: &str, specifier: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in specifier.split('/') {
        match part {
            "." | "" => {}
            ".." => drop(parts.pop()),
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Whether `dep` (a resolved specifier, maybe without its extension) names `file`.
fn same_file(dep: &str, file: &str) -> bool {
    dep == file || GLUE_EXTENSIONS.iter().any(|ext| format!("{dep}.{ext}") == file)
}

/// `\0asm` in base64.
const INLINE_MAGIC: &str = "AGFzbQ";

/// The modules the script `name` holds in base64, as `<name>#wasm`
/// (`#wasm2`, ... for a second and further one).
fn inline_modules(name: &str, text: &str, modules: &mut Vec<Module>) {
    for (i, span) in crate::glue::analyze::inline_modules(text).into_iter().enumerate() {
        let inline = InlineModule { file: name.to_string(), start: span.start, end: span.end };
        let (imports, unreadable) = match crate::package::decode_inline(text.as_bytes(), &inline)
            .and_then(|bytes| crate::wasm_info::function_import_names(&bytes))
        {
            Ok(imports) => (imports, None),
            Err(reason) => (Vec::new(), Some(reason)),
        };
        let suffix = if i == 0 { String::new() } else { (i + 1).to_string() };
        modules.push(Module { name: format!("{name}#wasm{suffix}"), imports, unreadable, inline: Some(inline) });
    }
}

fn ext_of(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, ext)| ext)
}

/// `x` for `dir/x.js`.
fn stem_of(name: &str) -> &str {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// `x` for `dir/x_bg.wasm`; `None` for a module not named by wasm-bindgen.
fn stem_of_wasm(name: &str) -> Option<&str> {
    name.rsplit('/').next().unwrap_or(name).strip_suffix("_bg.wasm")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out")
    }

    #[test]
    fn a_tree_of_targets_is_one_module_per_target() {
        let found = discover(&fixtures().join("wbg-0.2.130")).unwrap();
        let modules: Vec<&str> = found.packages.iter().map(|p| p.wasm.as_str()).collect();
        assert!(
            modules.contains(&"bundler/bricked_bg.wasm") && modules.contains(&"web/bricked_bg.wasm"),
            "{modules:?}"
        );
        let bundler = found.packages.iter().find(|p| p.wasm == "bundler/bricked_bg.wasm").unwrap();
        assert_eq!(
            (bundler.entry.as_str(), bundler.bg.as_deref()),
            ("bundler/bricked.js", Some("bundler/bricked_bg.js"))
        );
        assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    }

    #[test]
    fn specifiers_resolve_from_the_importing_file() {
        assert_eq!(resolve("browser", "./loro_wasm"), "browser/loro_wasm");
        assert_eq!(resolve("dist/cjs", "../../x_bg.js"), "x_bg.js");
        assert!(same_file("browser/loro_wasm", "browser/loro_wasm.js"));
        assert!(!same_file("browser/loro", "browser/loro_wasm.js"));
    }

    #[test]
    fn variants_are_not_modules() {
        let all: BTreeSet<String> = ["x_bg.wasm", "x_bg.legacy.wasm", "y.noeh.wasm"].map(String::from).into();
        assert!(is_variant("x_bg.legacy.wasm", &all));
        assert!(!is_variant("x_bg.wasm", &all));
        assert!(!is_variant("y.noeh.wasm", &all), "no y.wasm beside it");
    }
}
