//! Finds the files of one wasm-bindgen package, reads them, and writes a
//! patched set atomically: all files or none.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::discover;
use crate::error::{Error, Result};

/// One glue file a user imports, with the `x_bg` file of the same
/// extension that holds the module state when there is one (the bundler
/// target, and hand-written entries such as `x.cjs` requiring `x_bg.cjs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlueSet {
    pub entry: String,
    pub bg: Option<String>,
}

/// The files of one package, by name relative to its directory. This is
/// the one place that knows how a wasm-bindgen package's files are named;
/// the CLI and the plugins ask [`Package::locate`] (through the binding).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    pub dir: PathBuf,
    /// `x` for `x_bg.wasm`.
    pub stem: String,
    /// The entry of the glue set named (`x.js`, `x.mjs` or `x.cjs`).
    pub entry: String,
    /// Its bg file (`x_bg.js`), when present.
    pub bg: Option<String>,
    /// Further glue sets sharing the `.wasm` (`x.cjs` beside `x.js`).
    pub other_sets: Vec<GlueSet>,
    /// The module's file; for a module inlined in a script, `<script>#wasm`;
    /// for glue whose module is not in the package, `<glue>#no-wasm`.
    pub wasm: String,
    /// Where the module's bytes are.
    pub module: ModuleSource,
    pub dts: Option<String>,
    pub wasm_dts: Option<String>,
    #[serde(skip)]
    pub contents: BTreeMap<String, Vec<u8>>,
}

/// Where a package's module is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ModuleSource {
    /// The file `Package::wasm`.
    File,
    /// In base64, in a script of the package.
    Inline(InlineModule),
    /// Not in the package (fetched from a URL at run time): the glue is
    /// patched alone, from what it says of the module.
    Absent,
}

/// A module held in base64 by a script of the package (a string literal,
/// or a `data:` URL): the script and the byte span of the base64 text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineModule {
    pub file: String,
    pub start: u32,
    pub end: u32,
}

impl InlineModule {
    /// The base64 text in the script's `source`.
    pub fn text<'s>(&self, source: &'s [u8]) -> &'s [u8] {
        &source[self.start as usize..self.end as usize]
    }
}

pub(crate) const GLUE_EXTENSIONS: [&str; 3] = ["js", "mjs", "cjs"];

/// `x_bg.cjs` for `x.cjs`.
pub(crate) fn bg_name(entry: &str) -> Option<String> {
    entry.rsplit_once('.').map(|(stem, ext)| format!("{stem}_bg.{ext}"))
}

/// The typings a package may have, in the order they are preferred.
fn dts_names(stem: &str) -> [String; 3] {
    [format!("{stem}.d.ts"), format!("{stem}.d.mts"), format!("{stem}.d.cts")]
}

fn wasm_dts_name(stem: &str) -> String {
    format!("{stem}_bg.wasm.d.ts")
}

/// `x` for `x.js`, `x_bg.js` and `x_bg.wasm`.
fn stem_of(file: &str) -> &str {
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    stem.strip_suffix("_bg").unwrap_or(stem)
}

impl Package {
    /// Reads the package at `path` (see [`Package::locate`]).
    pub fn open(path: &Path) -> Result<Package> {
        Package::locate(path)?.read()
    }

    /// Reads every file of the package into `contents`.
    pub fn read(mut self) -> Result<Package> {
        let module_file = match &self.module {
            ModuleSource::File => Some(self.wasm.clone()),
            ModuleSource::Inline(inline) => Some(inline.file.clone()),
            ModuleSource::Absent => None,
        };
        let mut names: Vec<String> =
            [Some(self.entry.clone()), self.bg.clone(), module_file, self.dts.clone(), self.wasm_dts.clone()]
                .into_iter()
                .flatten()
                .collect();
        for set in &self.other_sets {
            names.push(set.entry.clone());
            names.extend(set.bg.clone());
        }
        for name in names {
            let file = self.dir.join(&name);
            let bytes = fs::read(&file).map_err(|e| Error::io(&file, e))?;
            self.contents.insert(name, bytes);
        }
        if let ModuleSource::Inline(inline) = &self.module {
            let bytes = decode_inline(&self.contents[&inline.file], inline)
                .map_err(|reason| Error::InvalidWasm { path: self.dir.join(&self.wasm), reason })?;
            self.contents.insert(self.wasm.clone(), bytes);
        }
        Ok(self)
    }

    /// Finds the files of the package at `path` without reading them: a
    /// directory holding one module, or a glue file, `x_bg.js` or `x_bg.wasm`.
    /// A glue file whose module is not named for it is matched by content
    /// within its npm package ([`discover`]).
    pub fn locate(path: &Path) -> Result<Package> {
        let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            let mut found = locate_all(path)?;
            return match found.packages.len() {
                1 => Ok(found.packages.remove(0)),
                n => Err(Error::Usage {
                    path: path.to_path_buf(),
                    reason: format!(
                        "holds {n} packages ({}); name one glue file instead",
                        found.packages.iter().map(|p| p.wasm.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                }),
            };
        }
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let stem = stem_of(&file).to_string();
        if !dir.join(format!("{stem}_bg.wasm")).is_file() {
            if let Some(package) = Package::importing_wasm(&dir, &file) {
                return Ok(package);
            }
            if !file.rsplit_once('.').is_some_and(|(_, ext)| GLUE_EXTENSIONS.contains(&ext)) {
                return Err(Error::NotWasmBindgen {
                    path: path.to_path_buf(),
                    reason: format!("no {stem}_bg.wasm next to it, and it is no glue file (.js, .mjs, .cjs)"),
                });
            }
            return Package::by_content(path);
        }
        let is_file = |name: &String| dir.join(name).is_file();
        let wasm = format!("{stem}_bg.wasm");
        // Pointed at x_bg.js or x_bg.wasm: the user-facing entry is x.js.
        let glue = if file == wasm {
            GLUE_EXTENSIONS.iter().map(|ext| format!("{stem}.{ext}")).find(is_file).ok_or_else(|| {
                Error::NotWasmBindgen {
                    path: path.to_path_buf(),
                    reason: format!("found {wasm} but no glue file {stem}.js"),
                }
            })?
        } else {
            match file.strip_prefix(&format!("{stem}_bg.")) {
                Some(ext) => Some(format!("{stem}.{ext}")).filter(is_file).unwrap_or(file),
                None => file,
            }
        };
        Ok(Package {
            bg: bg_name(&glue).filter(is_file),
            other_sets: Vec::new(),
            dts: dts_names(&stem).into_iter().find(is_file),
            wasm_dts: Some(wasm_dts_name(&stem)).filter(is_file),
            entry: glue,
            wasm,
            module: ModuleSource::File,
            stem,
            dir,
            contents: BTreeMap::new(),
        })
    }

    /// The package of glue file `path` found by content in its npm package,
    /// with every glue set of its module, `path`'s first.
    fn by_content(path: &Path) -> Result<Package> {
        let root = discover::package_root(path.parent().unwrap_or(Path::new(".")));
        let canonical = |p: &Path| fs::canonicalize(p).map_err(|e| Error::io(p, e));
        let name = discover::relative(&canonical(&root)?, &canonical(path)?);
        let found = discover::discover(&root)?;
        let named = |set: &GlueSet| set.entry == name || set.bg.as_deref() == Some(name.as_str());
        if let Some(mut package) = found.packages.into_iter().find(|p| p.glue_sets().iter().any(named)) {
            let mut sets = package.glue_sets();
            let at = sets.iter().position(named).unwrap_or(0);
            let first = sets.remove(at);
            package.entry = first.entry;
            package.bg = first.bg;
            package.other_sets = sets;
            return Ok(package);
        }
        let why = found.skipped.iter().find(|s| s.file == name).map(|s| s.reason.clone());
        Err(Error::NotWasmBindgen {
            path: path.to_path_buf(),
            reason: why
                .unwrap_or_else(|| format!("no .wasm whose imports it provides, in {} or below it", root.display())),
        })
    }

    /// A package found by content: module `wasm` and its glue `sets` (the
    /// first the primary one), names relative to `root`.
    pub(crate) fn of_sets(root: &Path, wasm: &str, module: ModuleSource, mut sets: Vec<GlueSet>) -> Package {
        let first = sets.remove(0);
        let stem = stem_of(wasm.rsplit('/').next().unwrap_or(wasm)).to_string();
        let exists = |name: &String| root.join(name).is_file();
        // The typings wasm-bindgen wrote beside the module, else an entry's.
        let typings = |file: &str| {
            let (dir, name) = file.rsplit_once('/').map_or(("", file), |(d, f)| (d, f));
            let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
            dts_names(stem_of(name)).into_iter().map(|n| format!("{prefix}{n}")).find(exists)
        };
        let beside_module =
            format!("{}{stem}.js", wasm.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/")));
        let dts = typings(&beside_module)
            .or_else(|| std::iter::once(&first).chain(&sets).find_map(|set| typings(&set.entry)));
        Package {
            dir: root.to_path_buf(),
            stem,
            entry: first.entry,
            bg: first.bg,
            other_sets: sets,
            wasm: wasm.to_string(),
            module,
            dts,
            wasm_dts: Some(format!("{wasm}.d.ts")).filter(exists),
            contents: BTreeMap::new(),
        }
    }

    /// A package whose glue `file` imports its `.wasm` by another name than
    /// `<stem>_bg.wasm` (`import m from "./index.wasm"`, worker-build's
    /// bundles), or `None`.
    fn importing_wasm(dir: &Path, file: &str) -> Option<Package> {
        let source = fs::read_to_string(dir.join(file)).ok()?;
        let wasm = crate::glue::analyze::imported_wasm(&source).filter(|w| dir.join(w).is_file())?;
        let stem = stem_of(file).to_string();
        Some(Package {
            bg: None,
            other_sets: Vec::new(),
            dts: dts_names(&stem).into_iter().find(|name| dir.join(name).is_file()),
            wasm_dts: None,
            entry: file.to_string(),
            wasm,
            module: ModuleSource::File,
            stem,
            dir: dir.to_path_buf(),
            contents: BTreeMap::new(),
        })
    }

    /// A package held in memory (a bundler plugin's view): `files` maps
    /// names (relative to the package, with `/`) to contents and must hold
    /// the glue `glue` and its module: `<stem>_bg.wasm` beside it, or else
    /// the one `.wasm` among the files (a glue file matched by content).
    pub fn from_files(glue: &str, mut files: BTreeMap<String, Vec<u8>>) -> Result<Package> {
        let stem = stem_of(glue).to_string();
        let named =
            format!("{}{stem}_bg.wasm", glue.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/")));
        let mut modules = files.keys().filter(|name| name.ends_with(".wasm"));
        let wasm = match (modules.next(), modules.next()) {
            (Some(only), None) if !files.contains_key(&named) => only.clone(),
            _ => named,
        };
        let given = |name: &String| files.contains_key(name);
        let package = Package {
            other_sets: Vec::new(),
            dir: PathBuf::new(),
            bg: bg_name(glue).filter(given),
            dts: dts_names(&stem).into_iter().find(given),
            wasm_dts: Some(wasm_dts_name(&stem)).filter(given),
            entry: glue.to_string(),
            wasm: wasm.clone(),
            module: ModuleSource::File,
            stem,
            contents: BTreeMap::new(),
        };
        for name in [Some(&package.entry), Some(&package.wasm)] {
            if !files.contains_key(name.unwrap()) {
                return Err(Error::NotWasmBindgen {
                    path: PathBuf::from(name.unwrap()),
                    reason: "missing from the files given".into(),
                });
            }
        }
        let keep: Vec<String> = [
            Some(package.entry.clone()),
            package.bg.clone(),
            Some(wasm),
            package.dts.clone(),
            package.wasm_dts.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let contents = keep.into_iter().map(|n| {
            let bytes = files.remove(&n).unwrap_or_default();
            (n, bytes)
        });
        Ok(Package { contents: contents.collect(), ..package })
    }

    /// Every glue set, the one the user named first.
    pub fn glue_sets(&self) -> Vec<GlueSet> {
        let mut sets = vec![GlueSet { entry: self.entry.clone(), bg: self.bg.clone() }];
        sets.extend(self.other_sets.iter().cloned());
        sets
    }

    pub fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn bytes(&self, name: &str) -> &[u8] {
        &self.contents[name]
    }

    /// The size of file `name`, 0 when the package has none.
    pub fn size_of(&self, name: &str) -> usize {
        self.contents.get(name).map_or(0, Vec::len)
    }

    pub fn text(&self, name: &str) -> Result<&str> {
        std::str::from_utf8(self.bytes(name))
            .map_err(|e| Error::InvalidGlue { path: self.path_of(name), reason: format!("not UTF-8: {e}") })
    }
}

/// The module `inline` holds in the script `source`.
pub(crate) fn decode_inline(source: &[u8], inline: &InlineModule) -> std::result::Result<Vec<u8>, String> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(inline.text(source))
        .map_err(|e| format!("its base64 does not decode: {e}"))
}

/// `module` in base64, to stand in the script for the module it inlined.
pub(crate) fn encode_inline(module: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(module)
}

/// The path of package file `to` as written in package file `from` (both
/// relative to the package, with `/`): `x_bg.js`, `../x_bg.wasm`.
pub fn relative_to(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>().split_last().map_or(Vec::new(), |(_, d)| d.to_vec());
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n("..", from_dir.len() - common);
    up.chain(to_parts[common..].iter().copied()).collect::<Vec<_>>().join("/")
}

/// Every package under the directory `dir` (see [`discover`]); an error when
/// there is none, naming what was found and why it was left alone.
pub fn locate_all(dir: &Path) -> Result<discover::Discovered> {
    let found = discover::discover(dir)?;
    if found.packages.is_empty() {
        let reason = if found.skipped.is_empty() {
            "no .wasm file and no wasm-bindgen glue in this directory or below it".to_string()
        } else {
            found.skipped.iter().map(|s| format!("{}: {}", s.file, s.reason)).collect::<Vec<_>>().join("; ")
        };
        return Err(Error::NotWasmBindgen { path: dir.to_path_buf(), reason });
    }
    Ok(found)
}

/// Writes `files` (name → new contents) into `dir`: every file goes to a
/// temporary name first, then all are renamed into place. If anything
/// fails, the files already renamed are restored from `originals`.
pub fn write_atomically(
    dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    originals: &BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    // (name, temporary file, target), the temporary file beside its target.
    let mut staged: Vec<(&str, PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(&str, PathBuf, PathBuf)]| {
        for (_, tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, bytes) in files {
        let target = dir.join(name);
        let file_name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = target.with_file_name(format!(".{file_name}.wasm-unbrick-tmp"));
        if let Err(e) = write_with_mode_of(&tmp, bytes, &target) {
            cleanup(&staged);
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(&target, e));
        }
        staged.push((name, tmp, target));
    }
    for (done, (_, tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = check_writable(target).and_then(|_| fs::rename(tmp, target)) {
            for (name, _, restored) in &staged[..done] {
                match originals.get(*name) {
                    Some(bytes) => drop(fs::write(restored, bytes)),
                    None => drop(fs::remove_file(restored)), // a new file (an EH variant)
                }
            }
            cleanup(&staged[done..]);
            return Err(Error::io(target, e));
        }
    }
    Ok(())
}

/// A read-only file is refused rather than silently replaced by rename.
fn check_writable(target: &Path) -> std::io::Result<()> {
    match fs::metadata(target) {
        Ok(meta) if meta.permissions().readonly() => {
            Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "file is read-only"))
        }
        _ => Ok(()),
    }
}

fn write_with_mode_of(tmp: &Path, bytes: &[u8], target: &Path) -> std::io::Result<()> {
    check_writable(target)?;
    fs::write(tmp, bytes)?;
    if let Ok(meta) = fs::metadata(target) {
        fs::set_permissions(tmp, meta.permissions())?;
    }
    Ok(())
}

/// Writes the package in `dir` with `files` replaced into `out`, which must
/// not exist or be empty: the whole package is staged beside `out` and
/// renamed into place, so `out` holds all of it or nothing.
pub fn write_into_new_dir(dir: &Path, out: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    if out.exists() && fs::read_dir(out).map_err(|e| Error::io(out, e))?.next().is_some() {
        return Err(Error::Usage { path: out.to_path_buf(), reason: "--out-dir exists and is not empty".into() });
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let staging = parent.join(format!(
        ".{}.wasm-unbrick-tmp",
        out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let _ = fs::remove_dir_all(&staging);
    // The files that change are written once, not copied and then replaced.
    let result = copy_tree_except(dir, &staging, files)
        .and_then(|_| files.iter().try_for_each(|(name, bytes)| fs::write(staging.join(name), bytes)))
        .and_then(|_| {
            if out.exists() {
                fs::remove_dir(out)?;
            }
            fs::rename(&staging, out)
        });
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(Error::io(out, e));
    }
    Ok(())
}

/// Copies every regular file and subdirectory of `from` into `to`, which
/// must not exist yet.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    copy_tree_except(from, to, &BTreeMap::new())
}

/// [`copy_tree`] without the files of `from` (not of its subdirectories)
/// named in `skip`.
fn copy_tree_except(from: &Path, to: &Path, skip: &BTreeMap<String, Vec<u8>>) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        if skip.contains_key(entry.file_name().to_string_lossy().as_ref()) {
            continue;
        }
        let dest = to.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if ty.is_file() {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(target: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out/wbg-0.2.130").join(target)
    }

    #[test]
    fn a_package_is_located_from_its_directory_or_any_of_its_files() {
        let dir = fixture("bundler");
        for named in [dir.clone(), dir.join("bricked.js"), dir.join("bricked_bg.js"), dir.join("bricked_bg.wasm")] {
            let p = Package::locate(&named).unwrap();
            let what = named.display();
            assert_eq!((p.entry.as_str(), p.bg.as_deref()), ("bricked.js", Some("bricked_bg.js")), "{what}");
            assert_eq!((p.wasm.as_str(), p.dts.as_deref()), ("bricked_bg.wasm", Some("bricked.d.ts")), "{what}");
            assert_eq!(p.wasm_dts.as_deref(), Some("bricked_bg.wasm.d.ts"), "{what}");
            assert!(p.contents.is_empty(), "nothing is read");
        }
        let err = Package::locate(&dir.join("bricked.d.ts")).unwrap_err().to_string();
        assert!(err.contains("no bricked.d_bg.wasm next to it, and it is no glue file"), "{err}");
    }

    #[test]
    fn a_glue_file_that_imports_its_wasm_by_another_name_is_a_package() {
        // worker-build --no-panic-recovery: `shim.mjs` does `import X from "./index.wasm"`.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out/workers-rs/no-recovery");
        for named in [dir.clone(), dir.join("shim.mjs")] {
            let p = Package::locate(&named).unwrap();
            assert_eq!((p.entry.as_str(), p.wasm.as_str(), p.bg.as_deref()), ("shim.mjs", "index.wasm", None));
        }
    }

    #[test]
    fn paths_between_files_of_a_package() {
        assert_eq!(relative_to("x.js", "x_bg.js"), "x_bg.js");
        assert_eq!(relative_to("lite/x.cjs", "lite/x_bg.cjs"), "x_bg.cjs");
        assert_eq!(relative_to("dist/cjs/x.cjs", "x_bg.wasm"), "../../x_bg.wasm");
        assert_eq!(relative_to("x.js", "pkg/x_bg.wasm"), "pkg/x_bg.wasm");
    }

    #[test]
    fn in_memory_packages_name_their_files_the_same_way() {
        let files: BTreeMap<String, Vec<u8>> =
            ["x.mjs", "x_bg.mjs", "x_bg.wasm", "x.d.mts"].into_iter().map(|n| (n.to_string(), Vec::new())).collect();
        let p = Package::from_files("x.mjs", files).unwrap();
        assert_eq!((p.bg.as_deref(), p.dts.as_deref(), p.wasm_dts), (Some("x_bg.mjs"), Some("x.d.mts"), None));
    }
}
