//! Finds the files of one wasm-bindgen package, reads them, and writes a
//! patched set atomically: all files or none.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One glue file a user imports, with the `x_bg` file of the same
/// extension that holds the module state when there is one (the bundler
/// target, and hand-written entries such as `x.cjs` requiring `x_bg.cjs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlueSet {
    pub entry: String,
    pub bg: Option<String>,
}

/// The files of one package, by name relative to its directory.
#[derive(Debug, Clone)]
pub struct Package {
    pub dir: PathBuf,
    /// `x` for `x_bg.wasm`.
    pub stem: String,
    /// The glue file the user imports (`x.js`, `x.mjs` or `x.cjs`).
    pub glue: String,
    /// The bundler target's `x_bg.js`, when present.
    pub bg_glue: Option<String>,
    /// Further glue sets sharing the `.wasm` (`x.cjs` beside `x.js`).
    pub other_glue: Vec<GlueSet>,
    pub wasm: String,
    pub dts: Option<String>,
    pub wasm_dts: Option<String>,
    pub contents: BTreeMap<String, Vec<u8>>,
}

const GLUE_EXTENSIONS: [&str; 3] = ["js", "mjs", "cjs"];

impl Package {
    /// `path` is a package directory or its glue file.
    pub fn open(path: &Path) -> Result<Package> {
        let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let (dir, stem, glue) = if meta.is_dir() {
            let stem = find_stem(path)?;
            let glue = GLUE_EXTENSIONS
                .iter()
                .map(|ext| format!("{stem}.{ext}"))
                .find(|name| path.join(name).is_file())
                .ok_or_else(|| Error::NotWasmBindgen {
                    path: path.to_path_buf(),
                    reason: format!("found {stem}_bg.wasm but no glue file {stem}.js"),
                })?;
            (path.to_path_buf(), stem, glue)
        } else {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(&file);
            let stem = stem.strip_suffix("_bg").unwrap_or(stem).to_string();
            if !dir.join(format!("{stem}_bg.wasm")).is_file() {
                return Err(Error::NotWasmBindgen {
                    path: path.to_path_buf(),
                    reason: format!("no {stem}_bg.wasm next to it"),
                });
            }
            (dir, stem, file)
        };

        let mut package = Package {
            bg_glue: bg_of(&dir, &glue),
            other_glue: Vec::new(),
            wasm: format!("{stem}_bg.wasm"),
            dts: existing(&dir, &[format!("{stem}.d.ts"), format!("{stem}.d.mts"), format!("{stem}.d.cts")]),
            wasm_dts: existing(&dir, &[format!("{stem}_bg.wasm.d.ts")]),
            glue: glue.clone(),
            stem,
            dir,
            contents: BTreeMap::new(),
        };
        if glue.starts_with(&format!("{}_bg.", package.stem)) {
            // Pointed at x_bg.js: the user-facing entry is x.js.
            let ext = glue.rsplit_once('.').map(|(_, e)| e).unwrap_or("js");
            let entry = format!("{}.{ext}", package.stem);
            if package.dir.join(&entry).is_file() {
                package.bg_glue = Some(glue.clone());
                package.glue = entry;
            }
        }
        if meta.is_dir() {
            for ext in GLUE_EXTENSIONS {
                let entry = format!("{}.{ext}", package.stem);
                if entry != package.glue && package.dir.join(&entry).is_file() {
                    package.other_glue.push(GlueSet { bg: bg_of(&package.dir, &entry), entry });
                }
            }
        }
        let mut names: Vec<String> = [
            Some(package.glue.clone()),
            package.bg_glue.clone(),
            Some(package.wasm.clone()),
            package.dts.clone(),
            package.wasm_dts.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        for set in &package.other_glue {
            names.push(set.entry.clone());
            names.extend(set.bg.clone());
        }
        for name in names {
            let file = package.dir.join(&name);
            let bytes = fs::read(&file).map_err(|e| Error::io(&file, e))?;
            package.contents.insert(name, bytes);
        }
        Ok(package)
    }

    /// A package held in memory (a bundler plugin's view): `files` maps
    /// names to contents and must hold `<stem>_bg.wasm` and the glue `glue`.
    pub fn from_files(glue: &str, mut files: BTreeMap<String, Vec<u8>>) -> Result<Package> {
        let stem = glue.rsplit_once('.').map(|(s, _)| s).unwrap_or(glue);
        let stem = stem.strip_suffix("_bg").unwrap_or(stem).to_string();
        let wasm = format!("{stem}_bg.wasm");
        let pick = |names: Vec<String>| names.into_iter().find(|n| files.contains_key(n));
        let package = Package {
            other_glue: Vec::new(),
            dir: PathBuf::new(),
            bg_glue: glue.rsplit_once('.').map(|(s, e)| format!("{s}_bg.{e}")).filter(|n| files.contains_key(n)),
            dts: pick(vec![format!("{stem}.d.ts"), format!("{stem}.d.mts"), format!("{stem}.d.cts")]),
            wasm_dts: pick(vec![format!("{stem}_bg.wasm.d.ts")]),
            glue: glue.to_string(),
            wasm: wasm.clone(),
            stem,
            contents: BTreeMap::new(),
        };
        for name in [Some(&package.glue), Some(&package.wasm)] {
            if !files.contains_key(name.unwrap()) {
                return Err(Error::NotWasmBindgen {
                    path: PathBuf::from(name.unwrap()),
                    reason: "missing from the files given".into(),
                });
            }
        }
        let keep: Vec<String> = [
            Some(package.glue.clone()),
            package.bg_glue.clone(),
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
        let mut sets = vec![GlueSet { entry: self.glue.clone(), bg: self.bg_glue.clone() }];
        sets.extend(self.other_glue.iter().cloned());
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

/// `x_bg.cjs` for `x.cjs`, when it exists.
fn bg_of(dir: &Path, entry: &str) -> Option<String> {
    let (stem, ext) = entry.rsplit_once('.')?;
    let bg = format!("{stem}_bg.{ext}");
    dir.join(&bg).is_file().then_some(bg)
}

fn existing(dir: &Path, names: &[String]) -> Option<String> {
    names.iter().find(|n| dir.join(n).is_file()).cloned()
}

fn find_stem(dir: &Path) -> Result<String> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut stems: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix("_bg.wasm") {
            stems.push(stem.to_string());
        }
    }
    stems.sort();
    match stems.len() {
        0 => {
            Err(Error::NotWasmBindgen { path: dir.to_path_buf(), reason: "no *_bg.wasm file in this directory".into() })
        }
        1 => Ok(stems.remove(0)),
        _ => Err(Error::Usage {
            path: dir.to_path_buf(),
            reason: format!(
                "holds {} packages ({}); name one glue file instead",
                stems.len(),
                stems.iter().map(|s| format!("{s}_bg.wasm")).collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

/// Writes `files` (name → new contents) into `dir`: every file goes to a
/// temporary name first, then all are renamed into place. If anything
/// fails, the files already renamed are restored from `originals`.
pub fn write_atomically(
    dir: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    originals: &BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, bytes) in files {
        let target = dir.join(name);
        let tmp = dir.join(format!(".{name}.wasm-unbrick-tmp"));
        if let Err(e) = write_with_mode_of(&tmp, bytes, &target) {
            cleanup(&staged);
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(&target, e));
        }
        staged.push((tmp, target));
    }
    for (done, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = check_writable(target).and_then(|_| fs::rename(tmp, target)) {
            for (_, restored) in &staged[..done] {
                let name = restored.file_name().unwrap().to_string_lossy().into_owned();
                match originals.get(&name) {
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
    let result = copy_tree(dir, &staging)
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
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if ty.is_file() {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}
