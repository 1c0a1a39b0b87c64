use std::path::PathBuf;

/// Why a package could not be analysed or patched. Every variant names the
/// file it is about; nothing has been written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {reason}")]
    Usage { path: PathBuf, reason: String },
    #[error("{path}: not a wasm-bindgen package: {reason}")]
    NotWasmBindgen { path: PathBuf, reason: String },
    #[error("{path}: invalid WebAssembly: {reason}")]
    InvalidWasm { path: PathBuf, reason: String },
    #[error("{path}: cannot parse the JavaScript glue: {reason}")]
    InvalidGlue { path: PathBuf, reason: String },
    #[error("{path}: unsupported: {reason}")]
    Unsupported { path: PathBuf, reason: String },
    /// The options object itself (it names no file).
    #[error("invalid options: {reason}")]
    Options { reason: String },
}

impl Error {
    /// A stable word for programs: `io`, `usage`, `not-wasm-bindgen`,
    /// `invalid-wasm`, `invalid-glue` or `unsupported`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Usage { .. } | Error::Options { .. } => "usage",
            Error::NotWasmBindgen { .. } => "not-wasm-bindgen",
            Error::InvalidWasm { .. } => "invalid-wasm",
            Error::InvalidGlue { .. } => "invalid-glue",
            Error::Unsupported { .. } => "unsupported",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
