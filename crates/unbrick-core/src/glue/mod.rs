//! The JavaScript glue: analysis (what is there) and patching (splices).

pub mod analyze;
pub mod bundler;
pub mod patch;
