//! Patches the committed wasm-bindgen outputs and compares the result with
//! the expected files under `tests/expected/` (regenerate them with
//! `UPDATE_EXPECTED=1 cargo test -p unbrick-core`). The embedded runtime is
//! elided from the comparison: it has its own tests.

use std::path::{Path, PathBuf};

use unbrick_core::{analyze_path, patch_path, Options, PatchStatus};

mod common {
    pub mod expected;
    pub mod files;
    pub mod glue;
    pub mod wasm;
}

use common::{expected, files, glue::without_runtime, wasm::sections};

const TARGETS: [&str; 3] = ["nodejs", "web", "bundler"];

fn fixture(version: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/out").join(format!("wbg-{version}")).join(target)
}

fn expected_dir(version: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected").join(format!("wbg-{version}-{target}"))
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("unbrick-core-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn check_expected(path: &Path, actual: &str) {
    expected::check(path, actual).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn patched_glue_matches_expected() {
    for target in TARGETS {
        let out = scratch(&format!("expected-{target}"));
        let report = patch_path(
            &fixture("0.2.130", target),
            &Options { out_dir: Some(out.to_path_buf()), ..Options::default() },
        )
        .unwrap();
        assert_eq!(report.status, PatchStatus::Patched, "{target}");
        for file in &report.files {
            if file.name.ends_with(".wasm") {
                continue;
            }
            let text = without_runtime(&file.name, &std::fs::read_to_string(out.join(&file.name)).unwrap());
            check_expected(&expected_dir("0.2.130", target).join(&file.name), &text);
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn analysis_matches_expected() {
    for target in TARGETS {
        let mut analysis = serde_json::to_value(analyze_path(&fixture("0.2.130", target)).unwrap()).unwrap();
        analysis["path"] = "<fixture>".into();
        let text = serde_json::to_string_pretty(&analysis).unwrap() + "\n";
        check_expected(&expected_dir("0.2.130", target).join("analysis.json"), &text);
    }
}

#[test]
fn analysis_recognises_shapes() {
    for target in TARGETS {
        let analysis = analyze_path(&fixture("0.2.130", target)).unwrap();
        assert_eq!(analysis.target.as_deref(), Some(target));
        assert_eq!(analysis.wasm_bindgen_version.as_deref(), Some("0.2.130"));
        assert!(analysis.supported, "{target}: {:?}", analysis.refusal);
        assert!(!analysis.already_patched);
        assert!(!analysis.upstream_abort_handling);
        assert_eq!(analysis.glue_state.wasm_binding.as_deref(), Some("wasm"));
        let classes: Vec<&str> = analysis.glue_state.classes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(classes, ["Accumulator", "Snapshot"]);
        assert!(analysis.glue_state.classes.iter().all(|c| c.pointer_field.as_deref() == Some("__wbg_ptr")));
        assert_eq!(analysis.glue_state.closure_factories, ["makeMutClosure"]);
        assert!(analysis.stack_pointer.is_some());
    }
}

#[test]
fn patching_twice_changes_nothing() {
    for target in TARGETS {
        let out = scratch(&format!("twice-{target}"));
        patch_path(&fixture("0.2.130", target), &Options { out_dir: Some(out.to_path_buf()), ..Options::default() })
            .unwrap();
        let before: Vec<Vec<u8>> =
            std::fs::read_dir(&out).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
        let again = patch_path(&out, &Options::default()).unwrap();
        assert_eq!(again.status, PatchStatus::AlreadyPatched, "{target}");
        assert!(again.files.is_empty());
        let after: Vec<Vec<u8>> =
            std::fs::read_dir(&out).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
        assert_eq!(before, after);
        assert!(analyze_path(&out).unwrap().already_patched);
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn only_the_export_section_of_the_wasm_changes() {
    let out = scratch("wasm-sections");
    patch_path(&fixture("0.2.130", "nodejs"), &Options { out_dir: Some(out.to_path_buf()), ..Options::default() })
        .unwrap();
    let before = std::fs::read(fixture("0.2.130", "nodejs").join("bricked_bg.wasm")).unwrap();
    let after = std::fs::read(out.join("bricked_bg.wasm")).unwrap();
    wasmparser::Validator::new().validate_all(&after).unwrap();
    let (a, b) = (sections(&before), sections(&after));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        assert_eq!(x.0 == 7, x.1 != y.1, "section {} changed: {}", x.0, x.0 != 7);
    }
    let info = unbrick_core::wasm_info::read(&after).unwrap();
    assert!(info.exports_named(unbrick_core::STACK_POINTER_EXPORT));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn in_memory_transform_matches_the_directory_patch() {
    for target in TARGETS {
        let dir = fixture("0.2.130", target);
        let package = unbrick_core::package::Package::from_files("bricked.js", files::read(&dir)).unwrap();
        let transformed = unbrick_core::transform(&package, &Options::default()).unwrap();
        assert_eq!(transformed.status, PatchStatus::Patched);
        let changed = transformed.files;
        let out = scratch(&format!("memory-{target}"));
        patch_path(&dir, &Options { out_dir: Some(out.to_path_buf()), ..Options::default() }).unwrap();
        for (name, bytes) in &changed {
            assert_eq!(&std::fs::read(out.join(name)).unwrap(), bytes, "{target}: {name}");
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn a_patched_package_keeps_its_target() {
    for target in TARGETS {
        let out = scratch(&format!("target-{target}"));
        patch_path(&fixture("0.2.130", target), &Options { out_dir: Some(out.to_path_buf()), ..Options::default() })
            .unwrap();
        assert_eq!(analyze_path(&out).unwrap().target.as_deref(), Some(target));
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn upstream_abort_handling_is_replaced_not_doubled() {
    for flavour in ["unwind-modern", "unwind-legacy"] {
        let dir = fixture(&format!("0.2.130-{flavour}"), "nodejs");
        let analysis = analyze_path(&dir).unwrap();
        assert!(analysis.upstream_abort_handling, "{flavour}");
        assert!(analysis.supported, "{flavour}: {:?}", analysis.refusal);
        let out = scratch(&format!("upstream-{flavour}"));
        patch_path(&dir, &Options { out_dir: Some(out.to_path_buf()), ..Options::default() }).unwrap();
        let glue = std::fs::read_to_string(out.join("bricked.js")).unwrap();
        let body = |name: &str| {
            let start = glue.find(&format!("function {name}(")).unwrap();
            let end = start + glue[start..].find("\n}\n").unwrap();
            glue[start..end].to_string()
        };
        let call_guard = body("__wbg_call_guard");
        assert!(!call_guard.contains("__instance_terminated") && !call_guard.contains("throw"), "{call_guard}");
        let handle_catch = body("__wbg_handle_catch");
        assert!(handle_catch.contains("e.getArg("), "JS exceptions are still unwrapped: {handle_catch}");
        assert!(
            !handle_catch.contains("__wbg_terminated_addr") && !handle_catch.contains("__wbg_call_abort_hook"),
            "{handle_catch}"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}
