//! File-driven tests: one test per file or folder of a directory, run by
//! libtest-mimic, so that every case passes or fails on its own and
//! `cargo test -p unbrick-core <name>` picks one. Paths are relative to
//! the crate: cargo runs tests there.

use std::path::{Path, PathBuf};

pub use libtest_mimic::{Failed, Trial};

/// One test per entry of `dir` that `select`
/// accepts (it gets the file name), named by its path, e.g.
/// `tests/eh/cleanup-legacy.wat`. `test` gets that relative path.
pub fn each(dir: &str, select: fn(&str) -> bool, test: fn(&Path) -> Result<(), String>) -> Vec<Trial> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| select(name))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no cases in {dir}");
    names
        .into_iter()
        .map(|name| {
            let path = PathBuf::from(dir).join(&name);
            Trial::test(path.display().to_string(), move || test(&path).map_err(Failed::from))
        })
        .collect()
}

/// Runs the tests with the usual `cargo test` arguments and exits.
pub fn run(tests: Vec<Trial>) -> ! {
    libtest_mimic::run(&libtest_mimic::Arguments::from_args(), tests).exit()
}
