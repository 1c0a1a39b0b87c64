//! The files of a package directory, in memory.

use std::collections::BTreeMap;
use std::path::Path;

/// Every file of `dir` by name, subdirectories left out. A `<name>.wat` is
/// read as the `<name>.wasm` it compiles to, so that cases keep their
/// modules as text.
pub fn read(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match name.strip_suffix(".wat") {
            Some(stem) => {
                let bytes = wat::parse_file(&path).unwrap_or_else(|e| panic!("{e}"));
                files.insert(format!("{stem}.wasm"), bytes);
            }
            None => {
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}
