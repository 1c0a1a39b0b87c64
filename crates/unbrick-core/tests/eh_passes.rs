//! The exception-handling passes, file-driven: each `tests/eh/<name>.wat`
//! is one test. It is translated by every pass that applies to its flavour
//! and compared with `tests/eh/<name>.<flavour>.wat` (a unified diff on
//! mismatch; `UPDATE_EXPECTED=1` rewrites them), and every output is checked
//! to validate with exactly its flavour's features. The real fixtures built
//! with panic=unwind go through the same passes.

use std::path::Path;

use unbrick_core::passes::{eh_rewrite, eh_to_legacy, eh_to_modern, strip_eh};
use unbrick_core::wasm_info::{self, EhFlavour, EntityKind};

mod common {
    pub mod cases;
    pub mod expected;
}

use common::{cases, expected};

fn main() {
    let mut tests = cases::each("tests/eh", is_input, translations_match_expected);
    tests.extend([
        plain("unwind_fixtures_translate_to_every_flavour", unwind_fixtures_translate_to_every_flavour),
        plain("invalid_input_is_reported_as_such", invalid_input_is_reported_as_such),
        plain("random_modules_translate_or_are_refused", random_modules_translate_or_are_refused),
    ]);
    cases::run(tests)
}

/// A test that fails by panicking.
fn plain(name: &str, test: fn()) -> cases::Trial {
    cases::Trial::test(name, move || {
        test();
        Ok(())
    })
}

/// `<name>.wat` is an input; `<name>.<flavour>.wat` is an expected output.
fn is_input(name: &str) -> bool {
    name.ends_with(".wat") && name.matches('.').count() == 1
}

fn fixture_wasm(variant: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/out")
        .join(format!("wbg-{variant}"))
        .join("nodejs/bricked_bg.wasm");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type Pass = fn(&[u8]) -> Result<Vec<u8>, eh_rewrite::PassError>;

/// The pass that produces `flavour` from an input of another flavour.
fn pass_to(flavour: EhFlavour) -> Option<Pass> {
    match flavour {
        EhFlavour::None => Some(strip_eh::run),
        EhFlavour::Legacy => Some(eh_to_legacy::run),
        EhFlavour::Modern => Some(eh_to_modern::run),
        EhFlavour::Mixed => None,
    }
}

fn suffix(flavour: EhFlavour) -> &'static str {
    match flavour {
        EhFlavour::None => "noeh",
        EhFlavour::Legacy => "legacy",
        EhFlavour::Modern => "modern",
        EhFlavour::Mixed => unreachable!(),
    }
}

/// Checks that `bytes` validates with exactly `flavour`'s features and uses
/// no instruction of another flavour.
fn assert_pure(bytes: &[u8], flavour: EhFlavour, what: &str) {
    eh_rewrite::check_flavour(bytes, flavour).unwrap_or_else(|e| panic!("{what}: {e}"));
    let info = wasm_info::read(bytes).unwrap();
    assert_eq!(info.eh_flavour, flavour, "{what}");
    if flavour == EhFlavour::None {
        assert_eq!(info.tags, 0, "{what}: tags left");
        assert!(!info.imports.iter().any(|i| i.kind == EntityKind::Tag), "{what}: tag imports left");
    }
}

/// The translations that apply to an input of `flavour`.
fn targets_of(flavour: EhFlavour) -> Vec<(EhFlavour, Pass)> {
    [EhFlavour::Modern, EhFlavour::Legacy, EhFlavour::None]
        .into_iter()
        .filter(|&f| f != flavour && flavour != EhFlavour::None)
        .filter_map(|f| Some((f, pass_to(f)?)))
        .collect()
}

/// Every translation of one input, all compared before reporting, so that
/// one failure shows every output that differs.
fn translations_match_expected(path: &Path) -> Result<(), String> {
    let input = wat::parse_file(path).map_err(|e| e.to_string())?;
    let flavour = wasm_info::read(&input).map_err(|e| e.to_string())?.eh_flavour;
    let targets = targets_of(flavour);
    if targets.is_empty() {
        return Err(format!("{}: no pass applies to a module with {flavour:?} exception handling", path.display()));
    }
    let mut failures = Vec::new();
    for (target, pass) in targets {
        let output = pass(&input).map_err(|e| format!("{} -> {target:?}: {e}", path.display()))?;
        assert_pure(&output, target, &format!("{} -> {target:?}", path.display()));
        let printed = wasmprinter::print_bytes(&output).map_err(|e| e.to_string())?;
        let expected_path = path.with_extension(format!("{}.wat", suffix(target)));
        failures.extend(expected::check(&expected_path, &printed).err());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn unwind_fixtures_translate_to_every_flavour() {
    for variant in ["0.2.130-unwind-modern", "0.2.130-unwind-legacy"] {
        let input = fixture_wasm(variant);
        let flavour = wasm_info::read(&input).unwrap().eh_flavour;
        for (target, pass) in targets_of(flavour) {
            let what = format!("{variant} -> {target:?}");
            let output = pass(&input).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_pure(&output, target, &what);
        }
    }
}

/// wasm-bindgen 0.2.106 leaves such a call (an i32 where its externref pass
/// made the import take an externref) inside a legacy `try`: every pass
/// names the function and says the input is invalid.
fn invalid_input_is_reported_as_such() {
    let input = wat::parse_str(
        r#"(module
          (import "env" "drop_ref" (func $drop_ref (param externref)))
          (func $f (param i32)
            try
              local.get 0
              call $drop_ref
            catch_all
              rethrow 0
            end))"#,
    );
    // wat checks syntax only: the module parses, but does not validate.
    let input = input.unwrap();
    for pass in [eh_to_modern::run as Pass, strip_eh::run] {
        let error = pass(&input).unwrap_err().to_string();
        assert!(error.starts_with("function 1 (f): the input does not validate: type mismatch"), "{error}");
    }
}

/// Random modules with modern exception handling (wasm-smith, fixed seeds,
/// 300 or EH_RANDOM_MODULES of them): each pass either gives an output
/// (which the driver has validated with exactly its flavour's features) or
/// refuses with a reason; it never panics and never reports an invalid
/// output of its own. The legacy output is translated back to modern too.
fn random_modules_translate_or_are_refused() {
    use std::collections::BTreeMap;

    let config = wasm_smith::Config {
        gc_enabled: false,
        exceptions_enabled: true,
        min_funcs: 1,
        max_funcs: 8,
        max_instructions: 200,
        min_tags: 1,
        ..wasm_smith::Config::default()
    };
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    let mut translated = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    // EH_RANDOM_MODULES=100000 for a longer search.
    let count = std::env::var("EH_RANDOM_MODULES").map_or(300, |n| n.parse().unwrap());
    for _ in 0..count {
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let Ok(module) = wasm_smith::Module::new(config.clone(), &mut arbitrary::Unstructured::new(&bytes)) else {
            continue;
        };
        let input = module.to_bytes();
        if eh_rewrite::check_flavour(&input, EhFlavour::Modern).is_err() {
            continue; // uses a feature outside what the passes accept
        }
        let outputs = [(eh_to_legacy::run as Pass, EhFlavour::Legacy), (strip_eh::run, EhFlavour::None)];
        for (pass, flavour) in outputs {
            match pass(&input) {
                Ok(output) => {
                    translated += 1;
                    if flavour == EhFlavour::Legacy {
                        if let Err(e) = eh_to_modern::run(&output) {
                            *refusals.entry(format!("back to modern: {}", e.reason)).or_default() += 1;
                        }
                    }
                }
                Err(e) => *refusals.entry(format!("{flavour:?}: {}", e.reason)).or_default() += 1,
            }
        }
    }
    eprintln!("{translated} outputs; refusals: {refusals:#?}");
    for reason in refusals.keys() {
        assert!(!reason.contains("does not validate"), "a pass wrote an invalid module: {reason}");
    }
    assert!(translated >= 100, "only {translated} random modules translated");
}
