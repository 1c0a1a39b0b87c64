//! Exception-handling variants of a panic=unwind module: one `.wasm` per
//! mode beside the module (`x_bg.legacy.wasm` or `x_bg.modern.wasm`, and
//! `x_bg.noeh.wasm`), so that the patched glue loads what the engine has.

use std::collections::BTreeMap;
use std::path::Path;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::{Error, Result};
use crate::options::EhMode;
use crate::passes::{self, catch_wrappers::CatchWrappers, eh_rewrite::PassError};
use crate::wasm_info::{self, EhFlavour};

/// The `.wasm` files of one module, one per exception-handling mode.
/// Serialised for the runtime as `{ mode: suffix }`.
#[derive(Debug, Clone)]
pub struct WasmVariants {
    /// The file the glue names (`x_bg.wasm`), which keeps the module's own mode.
    pub file: String,
    pub own: EhMode,
}

impl WasmVariants {
    /// Every mode, the module's own first.
    pub fn modes(&self) -> impl Iterator<Item = EhMode> + '_ {
        let others = [EhMode::Modern, EhMode::Legacy, EhMode::None].into_iter().filter(|&m| m != self.own);
        std::iter::once(self.own).chain(others)
    }

    /// What goes before `.wasm` in the file of `mode`.
    pub fn suffix(&self, mode: EhMode) -> &'static str {
        if mode == self.own {
            ""
        } else {
            mode.file_suffix()
        }
    }

    /// The file of `mode`, named like `file` (a path or a bare name).
    pub fn file_of(&self, file: &str, mode: EhMode) -> String {
        with_suffix(file, self.suffix(mode))
    }
}

impl Serialize for WasmVariants {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for mode in self.modes() {
            map.serialize_entry(mode.as_str(), self.suffix(mode))?;
        }
        map.end()
    }
}

/// `x_bg.wasm` with `suffix` before `.wasm`.
fn with_suffix(file: &str, suffix: &str) -> String {
    let stem = file.strip_suffix(".wasm").unwrap_or(file);
    format!("{stem}{suffix}.wasm")
}

/// The variants made of one module, and their files by name: the module's
/// own (`wasm_name`) among them, each marked with its mode
/// ([`passes::add_eh_mode_section`]).
pub struct Made {
    pub variants: WasmVariants,
    pub files: BTreeMap<String, Vec<u8>>,
    /// The `catch` imports whose handlers the reinit-only variant strips
    /// (function-import positions), for the runtime to do their work.
    pub catch_imports: Vec<u32>,
}

/// The variants of the module `wasm_name` (its bytes as patched so far,
/// of exception-handling `flavour`); made on one thread each (the passes
/// are independent). `None` for a module without exception handling.
pub fn make(wasm_path: &Path, wasm_name: &str, base: &[u8], flavour: EhFlavour) -> Result<Option<Made>> {
    let own = match flavour {
        EhFlavour::Modern => EhMode::Modern,
        EhFlavour::Legacy => EhMode::Legacy,
        EhFlavour::None | EhFlavour::Mixed => return Ok(None),
    };
    let file = Path::new(wasm_name).file_name().map_or(wasm_name.to_string(), |f| f.to_string_lossy().into_owned());
    let variants = WasmVariants { file, own };
    let modes: Vec<EhMode> = variants.modes().skip(1).collect();
    let made: Vec<Result<Translated>> = std::thread::scope(|scope| {
        let running: Vec<_> =
            modes.iter().map(|&mode| scope.spawn(move || translate(wasm_path, base, flavour, mode))).collect();
        running.into_iter().map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    let mut files = BTreeMap::new();
    files.insert(wasm_name.to_string(), passes::add_eh_mode_section::run(base, own));
    let mut catch_imports = Vec::new();
    for (mode, translated) in modes.into_iter().zip(made) {
        let (bytes, wrappers) = translated?;
        files.insert(variants.file_of(wasm_name, mode), passes::add_eh_mode_section::run(&bytes, mode));
        catch_imports.extend(wrappers.map(|w| w.imports).unwrap_or_default());
    }
    Ok(Some(Made { variants, files, catch_imports }))
}

/// Translates a `.wasm` built with panic=unwind into the exception-handling
/// flavour of `mode` (`Modern`, `Legacy`, or `None` for no EH at all): what
/// `transform` writes beside it as `x_bg.modern.wasm`, `x_bg.legacy.wasm`
/// and `x_bg.noeh.wasm`. The input's own flavour comes back unchanged.
/// `path` names the input in errors.
pub fn eh_variant(path: &Path, wasm: &[u8], mode: EhMode) -> Result<Vec<u8>> {
    if mode == EhMode::Auto {
        return Err(Error::Options { reason: "mode must be 'modern', 'legacy' or 'none', not 'auto'".into() });
    }
    let info =
        wasm_info::read(wasm).map_err(|e| Error::InvalidWasm { path: path.to_path_buf(), reason: e.to_string() })?;
    translate(path, wasm, info.eh_flavour, mode).map(|(bytes, _)| bytes)
}

/// A variant's bytes, and for the reinit-only one the catch wrappers whose
/// handlers were stripped.
type Translated = (Vec<u8>, Option<CatchWrappers>);

/// [`eh_variant`] of a module whose flavour is known (reading it again
/// would cost a walk over every function).
fn translate(path: &Path, wasm: &[u8], flavour: EhFlavour, mode: EhMode) -> Result<Translated> {
    type Pass = fn(&[u8]) -> std::result::Result<Translated, PassError>;
    let pass: Pass = match (flavour, mode) {
        (EhFlavour::Modern, EhMode::Modern) | (EhFlavour::Legacy, EhMode::Legacy) | (EhFlavour::None, EhMode::None) => {
            return Ok((wasm.to_vec(), None));
        }
        (EhFlavour::Modern, EhMode::Legacy) => |bytes| passes::eh_to_legacy::run(bytes).map(|b| (b, None)),
        (EhFlavour::Legacy, EhMode::Modern) => |bytes| passes::eh_to_modern::run(bytes).map(|b| (b, None)),
        (EhFlavour::Modern | EhFlavour::Legacy, EhMode::None) => passes::strip_eh::run_finding_catch_wrappers,
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
