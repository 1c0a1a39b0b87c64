//! The options of a patch: one typed schema, parsed and defaulted here
//! only. The CLI, the napi binding and the plugins pass the user's object
//! through as JSON and report this module's errors as they are.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// When a terminated instance is re-created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// On the next call.
    #[default]
    Lazy,
    /// As soon as the failing call has unwound (asynchronously).
    Eager,
    /// Only on `__unbrick.reinit()`.
    Manual,
}

/// What a new instance starts from after an abort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rollback {
    /// A fresh instance: the module's state is lost.
    #[default]
    None,
    /// The last `__unbrick.checkpoint()`, when one was taken.
    Checkpoint,
    /// The state before the call that aborted: a checkpoint is taken at
    /// the entry of every top-level call (a copy of the memory per call).
    EveryCall,
}

/// Which exception-handling variant the patched glue loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EhMode {
    /// The best the engine supports, probed at run time.
    #[default]
    Auto,
    Modern,
    Legacy,
    /// Reinit-only: no exception handling; every panic is an abort.
    None,
}

impl EhMode {
    pub fn as_str(self) -> &'static str {
        match self {
            EhMode::Auto => "auto",
            EhMode::Modern => "modern",
            EhMode::Legacy => "legacy",
            EhMode::None => "none",
        }
    }

    /// The suffix of this mode's `.wasm` variant before `.wasm`
    /// (`x_bg.legacy.wasm`); the one place variant files are named.
    pub fn file_suffix(self) -> &'static str {
        match self {
            EhMode::Auto => "",
            EhMode::Modern => ".modern",
            EhMode::Legacy => ".legacy",
            EhMode::None => ".noeh",
        }
    }
}

/// Everything a caller can ask of a patch. Unknown keys are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Options {
    pub policy: Policy,
    /// For modules built with panic=unwind: the variant to load.
    pub eh_mode: EhMode,
    /// Crash-loop guard: more than `max_aborts` aborts within `window_ms`
    /// leave the module terminated until `__unbrick.reinit()`.
    #[serde(deserialize_with = "whole_u32")]
    pub max_aborts: u32,
    #[serde(deserialize_with = "whole_u32")]
    pub window_ms: u32,
    /// Keep a spare instance of the module, made off the critical path,
    /// for the next abort to swap in (its memory is real memory).
    pub standby: bool,
    /// Restore the next instance to a checkpoint instead of starting it fresh.
    pub rollback: Rollback,
    /// Write the patched package here instead of in place (files on disk only).
    pub out_dir: Option<PathBuf>,
    /// Analyse and report, write nothing (files on disk only).
    pub dry_run: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            policy: Policy::Lazy,
            eh_mode: EhMode::Auto,
            max_aborts: 5,
            window_ms: 10_000,
            standby: false,
            rollback: Rollback::None,
            out_dir: None,
            dry_run: false,
        }
    }
}

/// A JS number that is a whole `u32`: JS has only doubles, and a binding
/// may hand over `5` as `5.0`.
fn whole_u32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<u32, D::Error> {
    let n = f64::deserialize(deserializer)?;
    if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(serde::de::Error::custom(format!("expected a whole number from 0 to {}, got {n}", u32::MAX)))
    }
}

impl Options {
    /// Parses the options object a caller gave (`null` for none).
    pub fn from_json(value: serde_json::Value) -> Result<Options> {
        if value.is_null() {
            return Ok(Options::default());
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let at = e.path().to_string();
            let reason = e.into_inner().to_string();
            Error::Options { reason: if at == "." { reason } else { format!("{at}: {reason}") } }
        })
    }

    /// Refuses what only applies to files on disk, for a package in memory.
    pub(crate) fn check_in_memory(&self) -> Result<()> {
        let on_disk = [("outDir", self.out_dir.is_some()), ("dryRun", self.dry_run)];
        match on_disk.iter().find(|(_, set)| *set) {
            Some((name, _)) => {
                Err(Error::Options { reason: format!("{name} applies to a package on disk, not to files in memory") })
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reason(value: serde_json::Value) -> String {
        Options::from_json(value).unwrap_err().to_string()
    }

    #[test]
    fn defaults_come_from_one_place() {
        assert_eq!(Options::from_json(json!(null)).unwrap(), Options::default());
        assert_eq!(Options::from_json(json!({})).unwrap(), Options::default());
        let o = Options::from_json(json!({ "policy": "eager", "ehMode": "legacy", "maxAborts": 0 })).unwrap();
        assert_eq!((o.policy, o.eh_mode, o.max_aborts, o.window_ms), (Policy::Eager, EhMode::Legacy, 0, 10_000));
        assert!(!o.standby && Options::from_json(json!({ "standby": true })).unwrap().standby);
        assert_eq!(o.rollback, Rollback::None);
        assert_eq!(Options::from_json(json!({ "rollback": "every-call" })).unwrap().rollback, Rollback::EveryCall);
    }

    #[test]
    fn bad_values_and_unknown_keys_are_named() {
        assert_eq!(
            reason(json!({ "policy": "sometimes" })),
            "invalid options: policy: unknown variant `sometimes`, expected one of `lazy`, `eager`, `manual`"
        );
        assert!(reason(json!({ "ehMode": "fast" })).contains("ehMode: unknown variant `fast`"));
        assert!(reason(json!({ "maxAborts": -1 }))
            .ends_with("maxAborts: expected a whole number from 0 to 4294967295, got -1"));
        assert!(reason(json!({ "windowMs": 1.5 }))
            .ends_with("windowMs: expected a whole number from 0 to 4294967295, got 1.5"));
        assert!(reason(json!({ "windowMs": "10" })).contains("windowMs: invalid type: string \"10\", expected f64"));
        assert_eq!(Options::from_json(json!({ "windowMs": 7.0 })).unwrap().window_ms, 7);
        assert!(reason(json!({ "ehVariants": false })).contains("unknown field `ehVariants`"));
        assert!(reason(json!("lazy")).contains("expected struct Options"));
    }

    #[test]
    fn disk_options_are_refused_in_memory() {
        let o = Options { dry_run: true, ..Options::default() };
        assert!(o.check_in_memory().unwrap_err().to_string().contains("dryRun applies to a package on disk"));
        assert!(Options::default().check_in_memory().is_ok());
    }
}
