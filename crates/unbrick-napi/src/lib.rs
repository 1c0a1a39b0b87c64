//! Node-API binding of `unbrick-core`: type conversion only.
//!
//! Errors are thrown as JS `Error`s whose `message` is the core error's
//! `Display` text and whose `code` is the core error's kind (`"usage"`,
//! `"io"`, `"unsupported"`, ...). Argument errors found here have the code
//! `"usage"`; a panic in the core becomes an `"internal"` error instead of
//! aborting the Node process.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use napi::bindgen_prelude::Error;
use napi_derive::napi;
use serde_json::Value;
use unbrick_core::{Options, Policy};

/// The error's `status` becomes the JS error's `code`.
type Result<T> = std::result::Result<T, Error<String>>;

fn error(code: &str, reason: impl ToString) -> Error<String> {
    Error::new(code.to_string(), reason)
}

fn core_error(err: unbrick_core::Error) -> Error<String> {
    error(err.kind(), err)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| error("internal", format!("cannot serialize the report: {e}")))
}

/// Runs `f`, turning a panic into an `"internal"` error.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(error("internal", format!("internal error (a bug in wasm-unbrick): {what}")))
    })
}

/// A JS number that must be a whole number in `0..=u32::MAX`. (Declared as
/// `f64` because napi's `u32` conversion silently wraps `-1` and truncates `1.5`.)
fn to_u32(name: &str, value: Option<f64>) -> Result<Option<u32>> {
    match value {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) => Ok(Some(v as u32)),
        Some(v) => Err(error("usage", format!("{name} must be a whole number from 0 to {}, got {v}", u32::MAX))),
    }
}

/// Options of `patch()`. Every field is optional; the defaults are the core's.
#[napi(object)]
#[derive(Default)]
pub struct PatchOptions {
    /// Write the patched package into this directory instead of in place.
    pub out_dir: Option<String>,
    /// When an aborted instance is re-created: `'lazy'` (default, on the next
    /// call), `'eager'` (at once) or `'manual'` (only when the program asks).
    #[napi(ts_type = "'lazy' | 'eager' | 'manual'")]
    pub policy: Option<String>,
    /// Aborts tolerated within `windowMs` before giving up (default 5).
    #[napi(ts_type = "number")]
    pub max_aborts: Option<f64>,
    /// Length of the abort-counting window in milliseconds (default 10000).
    #[napi(ts_type = "number")]
    pub window_ms: Option<f64>,
    /// Analyse and report, but write nothing.
    pub dry_run: Option<bool>,
}

/// Analyses a wasm-bindgen output directory or glue `.js` file without changing it.
#[napi(ts_return_type = "Analysis")]
pub fn analyze(path: String) -> Result<Value> {
    guarded(|| {
        let analysis = unbrick_core::analyze_path(Path::new(&path)).map_err(core_error)?;
        to_json(&analysis)
    })
}

/// Patches a wasm-bindgen output directory or glue `.js` file, in place or
/// into `options.outDir`.
#[napi(ts_return_type = "PatchReport")]
pub fn patch(path: String, options: Option<PatchOptions>) -> Result<Value> {
    let options = options.unwrap_or_default();
    let mut core_options = Options::default();
    if let Some(policy) = &options.policy {
        core_options.policy = policy
            .parse::<Policy>()
            .map_err(|e| error("usage", e))?;
    }
    if let Some(n) = to_u32("maxAborts", options.max_aborts)? {
        core_options.max_aborts = n;
    }
    if let Some(ms) = to_u32("windowMs", options.window_ms)? {
        core_options.window_ms = ms;
    }
    let out_dir = options.out_dir.as_deref().map(Path::new);
    let dry_run = options.dry_run.unwrap_or(false);
    guarded(|| {
        let report = unbrick_core::patch_path(Path::new(&path), out_dir, &core_options, dry_run)
            .map_err(core_error)?;
        to_json(&report)
    })
}
