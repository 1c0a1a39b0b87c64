//! Unsupported input, file-driven: each folder `tests/refused/<case>/`
//! holds a package (its `.wat` files compiled to `.wasm`) that must be
//! refused, and `expected/error.txt` the error's kind and message, with the
//! package directory written `<case>` (`UPDATE_EXPECTED=1` rewrites it).
//! Each is patched in a scratch copy, which must not change. Refusals that
//! need more than files (permissions, out-dir states) are in `bad_input.rs`.

use std::path::Path;

use unbrick_core::{patch_path, Options};

mod common {
    pub mod cases;
    pub mod expected;
    pub mod files;
}

use common::{cases, expected, files};

fn main() {
    cases::run(cases::each("tests/refused", |_| true, is_refused))
}

fn is_refused(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy();
    let dir = std::env::temp_dir().join(format!("unbrick-refusal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, bytes) in files::read(case) {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    let before = files::read(&dir);
    let result = patch_path(&dir, &Options::default());
    let after = files::read(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let error = match result {
        Ok(report) => return Err(format!("not refused: {:?}", report.status)),
        Err(error) => error,
    };
    if before != after {
        return Err(format!("files changed after a refusal: {error}"));
    }
    let message = error.to_string().replace(&dir.display().to_string(), "<case>");
    expected::check(&case.join("expected/error.txt"), &format!("kind: {}\nmessage: {message}\n", error.kind()))
}
