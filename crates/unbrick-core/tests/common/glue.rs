//! Patched glue as compared with expected files.

use unbrick_core::runtime::{EH_SUPPORT_JS, RUNTIME_JS};

/// `text` with the embedded runtime (and EH probe) replaced by one-line placeholders: the
/// runtime has its own tests, and would make every expected file change
/// with it. A glue file embeds it once at most.
pub fn without_runtime(name: &str, text: &str) -> String {
    assert!(text.matches(RUNTIME_JS).count() <= 1, "{name} embeds the runtime more than once");
    text.replace(RUNTIME_JS, "/* runtime/unbrick-runtime.js */\n")
        .replace(EH_SUPPORT_JS, "/* runtime/eh-support.js */\n")
}
