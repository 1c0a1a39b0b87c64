//! Refusals that need more than files to set up: a read-only file, an
//! out-dir that is not empty. Those that files express are cases under
//! `tests/refused/` (see `refusals.rs`).

use std::fs;
use std::path::{Path, PathBuf};

use unbrick_core::{patch_path, Options};

mod common {
    pub mod files;
}

use common::files;

fn fixture(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out/wbg-0.2.130").join(target)
}

#[test]
fn read_only_file_is_refused_and_nothing_is_written() {
    let dir = std::env::temp_dir().join(format!("unbrick-bad-{}-read-only", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    unbrick_core::package::copy_tree(&fixture("nodejs"), &dir).unwrap();
    let dts = dir.join("bricked.d.ts");
    let writable = fs::metadata(&dts).unwrap().permissions();
    let mut read_only = writable.clone();
    read_only.set_readonly(true);
    fs::set_permissions(&dts, read_only).unwrap();
    let before = files::read(&dir);
    let err = patch_path(&dir, &Options::default()).unwrap_err();
    assert_eq!(err.kind(), "io");
    assert!(err.to_string().contains("bricked.d.ts"), "{err}");
    assert_eq!(before, files::read(&dir));
    fs::set_permissions(&dts, writable).unwrap();
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn out_dir_that_is_not_empty() {
    let dir = std::env::temp_dir().join(format!("unbrick-bad-{}-outdir", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("keep.txt"), b"mine").unwrap();
    let err = patch_path(&fixture("nodejs"), &Options { out_dir: Some(dir.to_path_buf()), ..Options::default() })
        .unwrap_err();
    assert_eq!(err.kind(), "usage");
    assert_eq!(fs::read(dir.join("keep.txt")).unwrap(), b"mine");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    fs::remove_dir_all(&dir).unwrap();
}
