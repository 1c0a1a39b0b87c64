//! Node-API binding of `unbrick-core`: type conversion only.
//!
//! Every function has an `...Async` twin that runs the core on a libuv
//! worker thread (a napi `AsyncTask`) and returns a `Promise`.
//!
//! Errors are thrown as JS `Error`s whose `message` is the core error's
//! `Display` text and whose `code` is the core error's kind (`"usage"`,
//! `"io"`, `"unsupported"`, ...). Argument errors found here have the code
//! `"usage"`; a panic in the core becomes an `"internal"` error instead of
//! aborting the Node process.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use napi::bindgen_prelude::{
    AsyncTask, Buffer, Error, JsObjectValue, JsValue, Status, ToNapiValue, TypeName, Uint8Array, ValueType,
};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::Value;
use unbrick_core::package::Package;
use unbrick_core::{EhMode, Options, Transformed};

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

/// The options object as the caller gave it: parsed (and refused) by the core.
fn options_of(value: Option<Value>) -> Result<Options> {
    Options::from_json(value.unwrap_or(Value::Null)).map_err(core_error)
}

/// Everything `patch()` needs, checked on the calling thread.
struct PatchArgs {
    path: PathBuf,
    options: Options,
}

impl PatchArgs {
    fn new(path: String, options: Option<Value>) -> Result<PatchArgs> {
        Ok(PatchArgs { path: PathBuf::from(path), options: options_of(options)? })
    }

    fn run(&self) -> Result<Value> {
        guarded(|| to_json(&unbrick_core::patch_path(&self.path, &self.options).map_err(core_error)?))
    }
}

fn run_analyze(path: &Path) -> Result<Value> {
    guarded(|| to_json(&unbrick_core::analyze_path(path).map_err(core_error)?))
}

/// Result of `transform()`.
#[napi(object)]
pub struct TransformResult {
    /// `'patched'`, or `'already-patched'` (then `files` is empty).
    #[napi(ts_type = "'patched' | 'already-patched'")]
    pub status: String,
    /// The new contents of the files that change, by name; files that do
    /// not change are left out.
    #[napi(ts_type = "Record<string, Buffer>")]
    pub files: HashMap<String, Buffer>,
    #[napi(ts_type = "Analysis")]
    pub analysis: Value,
    /// The `.wasm` files the patched glue may load: the module, then its
    /// exception-handling variants (`x_bg.legacy.wasm`, ...).
    pub wasm_files: Vec<String>,
    /// Options that had no effect on this package, and why.
    pub notes: Vec<String>,
    /// By patched glue file, the byte offsets of its `new URL('<wasm file>',
    /// import.meta.url)` expressions in the patched bytes.
    #[napi(ts_type = "Record<string, Array<{ start: number; end: number; file: string }>>")]
    pub wasm_urls: Value,
}

fn transform_result(t: Transformed) -> Result<TransformResult> {
    Ok(TransformResult {
        status: to_json(&t.status)?.as_str().unwrap_or_default().to_string(),
        // Buffer::from(Vec<u8>) hands the allocation to JS: no copy.
        files: t.files.into_iter().map(|(name, bytes)| (name, Buffer::from(bytes))).collect(),
        analysis: to_json(&t.analysis)?,
        wasm_files: t.wasm_files,
        notes: t.notes,
        wasm_urls: to_json(&t.wasm_urls)?,
    })
}

/// Arguments of `transform()`: the JS views of the input files are kept
/// (not copied) until the core runs.
struct TransformArgs {
    files: HashMap<String, Uint8Array>,
    glue_name: String,
    options: Options,
}

impl TransformArgs {
    fn new(files: HashMap<String, Uint8Array>, glue_name: String, options: Option<Value>) -> Result<TransformArgs> {
        let outside = glue_name.starts_with('/') || glue_name.split('/').any(|part| part == ".." || part.is_empty());
        if outside || glue_name.contains('\\') {
            return Err(error(
                "usage",
                format!("glueName must be a path inside the package, with '/' and no '..', got '{glue_name}'"),
            ));
        }
        if !files.contains_key(&glue_name) {
            return Err(error("usage", format!("glueName '{glue_name}' is not one of the files given")));
        }
        Ok(TransformArgs { files, glue_name, options: options_of(options)? })
    }

    fn run(&self) -> Result<Transformed> {
        guarded(|| {
            // The core's Package owns its bytes: this is the one copy.
            let files: BTreeMap<String, Vec<u8>> =
                self.files.iter().map(|(name, bytes)| (name.clone(), bytes.to_vec())).collect();
            let package = Package::from_files(&self.glue_name, files).map_err(core_error)?;
            unbrick_core::transform(&package, &self.options).map_err(core_error)
        })
    }
}

/// Turns our `Error<String>` into a rejection whose JS error keeps the code
/// (a `Task` can only fail with `Error<Status>`).
fn reject_with_code(env: &Env, err: Error<String>) -> napi::Error {
    let js = env
        .create_error(napi::Error::new(Status::GenericFailure, err.reason.clone()))
        .and_then(|mut obj| obj.set_named_property("code", err.status.as_str()).map(|_| obj));
    match js {
        Ok(obj) => napi::Error::from(obj.to_unknown()),
        Err(e) => e,
    }
}

/// A JSON report as a task's result (`serde_json::Value` has no `TypeName`).
pub struct Json(Value);

impl TypeName for Json {
    fn type_name() -> &'static str {
        "Object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Json {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        Value::to_napi_value(env, val.0)
    }
}

/// The outcome of a task's `compute`, carried to the main thread as is.
type Outcome<T> = std::result::Result<T, Error<String>>;

/// `analyze` or `patch` on a worker thread: both resolve to a JSON report.
pub struct ReportTask(Box<dyn FnMut() -> Outcome<Value> + Send>);

impl Task for ReportTask {
    type Output = Outcome<Value>;
    type JsValue = Json;
    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok((self.0)())
    }
    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Json> {
        output.map(Json).map_err(|e| reject_with_code(&env, e))
    }
}

pub struct TransformTask(TransformArgs);

impl Task for TransformTask {
    type Output = Outcome<Transformed>;
    type JsValue = TransformResult;
    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.0.run())
    }
    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<TransformResult> {
        output.and_then(transform_result).map_err(|e| reject_with_code(&env, e))
    }
}

/// The files of the package at `path` (its directory, a glue file,
/// `x_bg.js` or `x_bg.wasm`), found as `patch()` finds them; reads nothing.
#[napi(ts_return_type = "PackageFiles")]
pub fn locate(path: String) -> Result<Value> {
    guarded(|| to_json(&Package::locate(Path::new(&path)).map_err(core_error)?))
}

/// Analyses a wasm-bindgen output directory or glue `.js` file without changing it.
#[napi(ts_return_type = "Analysis")]
pub fn analyze(path: String) -> Result<Value> {
    run_analyze(Path::new(&path))
}

/// `analyze()` on a worker thread.
#[napi(ts_return_type = "Promise<Analysis>")]
pub fn analyze_async(path: String) -> AsyncTask<ReportTask> {
    let path = PathBuf::from(path);
    AsyncTask::new(ReportTask(Box::new(move || run_analyze(&path))))
}

/// The options as the core reads them: every key, defaults filled in. Throws
/// the core's error (code `"usage"`) for a bad value or an unknown key.
#[napi(ts_return_type = "Required<Omit<Options, 'outDir'>> & { outDir: string | null }")]
pub fn parse_options(#[napi(ts_arg_type = "Options")] options: Option<Value>) -> Result<Value> {
    to_json(&options_of(options)?)
}

/// Patches a wasm-bindgen output directory or glue `.js` file, in place or
/// into `options.outDir`.
#[napi(ts_return_type = "PatchReport")]
pub fn patch(path: String, #[napi(ts_arg_type = "Options")] options: Option<Value>) -> Result<Value> {
    PatchArgs::new(path, options)?.run()
}

/// `patch()` on a worker thread. Options are checked before the promise is
/// returned: a bad option throws at once.
#[napi(ts_return_type = "Promise<PatchReport>")]
pub fn patch_async(
    path: String,
    #[napi(ts_arg_type = "Options")] options: Option<Value>,
) -> Result<AsyncTask<ReportTask>> {
    let args = PatchArgs::new(path, options)?;
    Ok(AsyncTask::new(ReportTask(Box::new(move || args.run()))))
}

/// Patches a package held in memory. `files` maps file names (relative to
/// the package, with `/`) to contents and must hold the glue `glueName` and
/// its module: `<stem>_bg.wasm` beside it, or else the one `.wasm` given;
/// `<stem>_bg.js`, `<stem>.d.ts` and `<stem>_bg.wasm.d.ts` are used when
/// present, other files are ignored. Reads and writes nothing.
#[napi(ts_return_type = "TransformResult")]
pub fn transform(
    #[napi(ts_arg_type = "Record<string, Uint8Array>")] files: HashMap<String, Uint8Array>,
    glue_name: String,
    #[napi(ts_arg_type = "Options")] options: Option<Value>,
) -> Result<TransformResult> {
    transform_result(TransformArgs::new(files, glue_name, options)?.run()?)
}

/// `transform()` on a worker thread; the input buffers must not be changed
/// until the promise settles.
#[napi(ts_return_type = "Promise<TransformResult>")]
pub fn transform_async(
    #[napi(ts_arg_type = "Record<string, Uint8Array>")] files: HashMap<String, Uint8Array>,
    glue_name: String,
    #[napi(ts_arg_type = "Options")] options: Option<Value>,
) -> Result<AsyncTask<TransformTask>> {
    Ok(AsyncTask::new(TransformTask(TransformArgs::new(files, glue_name, options)?)))
}

/// Translates a `.wasm` built with panic=unwind into the exception-handling
/// flavour `mode`: `'modern'` (exnref), `'legacy'` (try/catch/delegate) or
/// `'none'` (no exception handling; a panic traps). These are the variants
/// `transform` writes beside the module; the input's own flavour comes back
/// unchanged.
#[napi]
pub fn eh_variant(
    wasm: Uint8Array,
    #[napi(ts_arg_type = "'modern' | 'legacy' | 'none'")] mode: String,
) -> Result<Buffer> {
    let mode: EhMode = serde_json::from_value(Value::String(mode))
        .map_err(|e| core_error(unbrick_core::Error::Options { reason: format!("mode: {e}") }))?;
    guarded(|| {
        let bytes = unbrick_core::eh_variant(Path::new("the module"), &wasm, mode).map_err(core_error)?;
        Ok(Buffer::from(bytes))
    })
}
