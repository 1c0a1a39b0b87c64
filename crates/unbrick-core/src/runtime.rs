//! The JS runtime embedded into every patched glue file.

/// Source of `runtime/unbrick-runtime.js`; declares `__unbrickRuntime`.
pub const RUNTIME_JS: &str = include_str!("../../../runtime/unbrick-runtime.js");

/// Source of `runtime/eh-support.js`; declares `__unbrickEhSupport`, which
/// the runtime asks only to choose among exception-handling variants.
pub const EH_SUPPORT_JS: &str = include_str!("../../../runtime/eh-support.js");

/// Marker placed at the top of a patched glue file.
pub const PATCHED_MARKER: &str = "/* wasm-unbrick: patched";

/// Types added to a patched package's `.d.ts`.
pub const HANDLE_DTS: &str = include_str!("../../../runtime/unbrick-handle.d.ts");
