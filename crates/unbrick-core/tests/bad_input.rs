//! Unsupported input: a specific error naming the file, and nothing written.

use std::fs;
use std::path::{Path, PathBuf};

use unbrick_core::{patch_path, Error, Options};

fn fixture(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out/wbg-0.2.130").join(target)
}

fn copy_of(target: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("unbrick-bad-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    unbrick_core::package::copy_tree(&fixture(target), &dir).unwrap();
    dir
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

fn assert_refused(dir: &Path, expect_kind: &str, expect_text: &str) {
    let before = snapshot(dir);
    let err: Error = patch_path(dir, &Options::default()).unwrap_err();
    assert_eq!(err.kind(), expect_kind, "{err}");
    assert!(err.to_string().contains(expect_text), "{err}");
    assert_eq!(before, snapshot(dir), "files changed after a refusal");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn not_wasm() {
    let dir = copy_of("nodejs", "not-wasm");
    fs::write(dir.join("bricked_bg.wasm"), b"this is not wasm").unwrap();
    assert_refused(&dir, "invalid-wasm", "bricked_bg.wasm");
}

#[test]
fn truncated_wasm() {
    let dir = copy_of("nodejs", "truncated");
    let bytes = fs::read(dir.join("bricked_bg.wasm")).unwrap();
    fs::write(dir.join("bricked_bg.wasm"), &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(&dir, "invalid-wasm", "bricked_bg.wasm");
}

#[test]
fn glue_and_wasm_that_do_not_belong_together() {
    let dir = copy_of("nodejs", "mismatch");
    let glue = fs::read_to_string(dir.join("bricked.js")).unwrap();
    // Another crate's glue: drop the import functions the .wasm needs.
    let foreign = glue.replace("__wbg___wbindgen_throw_4c88d8bf264fd984", "__wbg_other_import");
    fs::write(dir.join("bricked.js"), foreign).unwrap();
    assert_refused(&dir, "unsupported", "does not belong to bricked.js");
}

#[test]
fn glue_that_is_not_javascript() {
    let dir = copy_of("web", "bad-glue");
    fs::write(dir.join("bricked.js"), "export function (((").unwrap();
    assert_refused(&dir, "invalid-glue", "bricked.js");
}

#[test]
fn directory_with_two_packages() {
    let dir = copy_of("nodejs", "two");
    fs::copy(dir.join("bricked_bg.wasm"), dir.join("other_bg.wasm")).unwrap();
    assert_refused(&dir, "usage", "holds 2 packages");
}

#[test]
fn read_only_file_is_refused_and_nothing_is_written() {
    let dir = copy_of("nodejs", "read-only");
    let dts = dir.join("bricked.d.ts");
    let writable = fs::metadata(&dts).unwrap().permissions();
    let mut read_only = writable.clone();
    read_only.set_readonly(true);
    fs::set_permissions(&dts, read_only).unwrap();
    let before = snapshot(&dir);
    let err = patch_path(&dir, &Options::default()).unwrap_err();
    assert_eq!(err.kind(), "io");
    assert!(err.to_string().contains("bricked.d.ts"), "{err}");
    assert_eq!(before, snapshot(&dir));
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
