//! The glue shapes the analysis recognises, one small case each: a folder
//! `tests/glue/<shape>/` holds `bricked.js`, reduced by hand from real
//! wasm-bindgen output, and `bricked_bg.wat`, a module with just what that
//! glue uses. The analysis and the patched glue (embedded runtime elided)
//! are compared with `expected/analysis.json` and `expected/bricked.js`
//! (`UPDATE_EXPECTED=1` rewrites them).

use std::collections::BTreeSet;
use std::path::Path;

use unbrick_core::package::Package;
use unbrick_core::{analyze_package, transform, Options};

mod common {
    pub mod cases;
    pub mod expected;
    pub mod files;
    pub mod glue;
}

use common::{cases, expected, files, glue::without_runtime};

fn main() {
    cases::run(cases::each("tests/glue", |_| true, patched_as_expected))
}

/// Compares every output before reporting, so that one failure shows all
/// that differ: the analysis explains a surprising patch.
fn patched_as_expected(case: &Path) -> Result<(), String> {
    let package = Package::from_files("bricked.js", files::read(case)).map_err(|e| e.to_string())?;
    let expected_dir = case.join("expected");
    let mut failures = Vec::new();
    let analysis = analyze_package(&package).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&analysis).unwrap() + "\n";
    failures.extend(expected::check(&expected_dir.join("analysis.json"), &json).err());
    let mut compared = BTreeSet::from(["analysis.json".to_string()]);
    match transform(&package, &Options::default()) {
        Ok(transformed) => {
            // The `.wasm` gains only exports of globals (the stack pointer's is
            // tested on its own): each global the runtime is told of must be one.
            if let Some(wasm) = transformed.files.get("bricked_bg.wasm") {
                failures.extend(globals_exported(wasm, &transformed.files).err());
            }
            for (name, bytes) in transformed.files.iter().filter(|(name, _)| !name.ends_with(".wasm")) {
                let text = String::from_utf8(bytes.clone()).map_err(|e| format!("{name}: {e}"))?;
                failures.extend(expected::check(&expected_dir.join(name), &without_runtime(name, &text)).err());
                compared.insert(name.clone());
            }
        }
        Err(e) => failures.push(format!("refused: {e}")),
    }
    if let Ok(entries) = std::fs::read_dir(&expected_dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if !compared.contains(&name) {
                failures.push(format!("{}: the patch no longer writes this file", expected_dir.join(name).display()));
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Every name in the runtime config's `globals` is a global the patched
/// module exports.
fn globals_exported(wasm: &[u8], files: &std::collections::BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    let info = unbrick_core::wasm_info::read(wasm).map_err(|e| e.to_string())?;
    for (name, bytes) in files.iter().filter(|(name, _)| name.ends_with(".js")) {
        let text = String::from_utf8_lossy(bytes);
        let Some(at) = text.find("\"globals\":") else { continue };
        let rest = &text[at + "\"globals\":".len()..];
        let globals: Vec<String> = serde_json::Deserializer::from_str(rest)
            .into_iter()
            .next()
            .ok_or(format!("{name}: no globals list"))?
            .map_err(|e| format!("{name}: {e}"))?;
        for global in globals {
            let exported =
                info.exports.iter().any(|e| e.name == global && e.kind == unbrick_core::wasm_info::EntityKind::Global);
            if !exported {
                return Err(format!("{name}: the config names global {global}, which the module does not export"));
            }
        }
    }
    Ok(())
}
