//! Patches the committed wasm-bindgen outputs and checks the result.

use std::path::{Path, PathBuf};

use unbrick_core::{analyze_path, patch_path, Options, PatchStatus};

fn fixture(version: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out").join(format!("wbg-{version}")).join(target)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("unbrick-core-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn patches_every_target_into_out_dir() {
    for target in ["nodejs", "web", "bundler"] {
        let out = scratch(target);
        let report = patch_path(&fixture("0.2.130", target), Some(&out), &Options::default(), false).unwrap();
        assert_eq!(report.status, PatchStatus::Patched, "{target}");
        assert_eq!(report.analysis.target.as_deref(), Some(target));
        let again = patch_path(&out, None, &Options::default(), false).unwrap();
        assert_eq!(again.status, PatchStatus::AlreadyPatched, "{target}: patching twice");
        assert!(analyze_path(&out).unwrap().already_patched);
        if std::env::var_os("UNBRICK_KEEP").is_none() {
            std::fs::remove_dir_all(&out).unwrap();
        } else {
            eprintln!("{target}: {}", out.display());
        }
    }
}
