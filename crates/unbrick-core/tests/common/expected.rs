//! Expected files: compared with what a test produced, rewritten with
//! `UPDATE_EXPECTED=1`.

use std::path::Path;

/// Compares `actual` with the file at `path`. A
/// mismatch is a unified diff; a missing file is a failure too, so that a
/// new case cannot pass without an expectation. With `UPDATE_EXPECTED=1`
/// the file is written instead.
pub fn check(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| format!("{}: {e}", path.display()))?;
        return std::fs::write(path, actual).map_err(|e| format!("{}: {e}", path.display()));
    }
    let Ok(expected) = std::fs::read_to_string(path) else {
        return Err(format!("{} is missing; create it with UPDATE_EXPECTED=1 and review it", path.display()));
    };
    if expected == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(&expected, actual)
        .unified_diff()
        .header(&format!("{} (expected)", path.display()), "actual")
        .to_string();
    Err(format!("{} differs (run with UPDATE_EXPECTED=1 to accept):\n{diff}", path.display()))
}
