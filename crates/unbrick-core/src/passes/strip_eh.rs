//! Removes exception handling, for engines that have none (reinit-only).
//! A throw of any kind becomes `unreachable`, so a panic traps and is
//! recovered by re-creating the instance. `try_table` and `try` become
//! blocks of their body; legacy handlers are dropped, being unreachable
//! once nothing throws; exnref values become i32 zeros; tag definitions,
//! imports and exports go.

use wasm_encoder::{ExportKind, Instruction};
use wasmparser::{Operator, ValType};

use super::add_export;
use super::catch_wrappers::{self, CatchWrappers};
use super::eh_rewrite::{self, EhPass, FunctionWriter, PassError};
use crate::wasm_info::EhFlavour;

/// What the reinit-only variant exports as wasm-bindgen's
/// `__wbindgen_exn_store`, for the runtime to do the stripped catch
/// wrappers' work (see [`super::catch_wrappers`]).
pub const EXN_STORE_EXPORT: &str = "__unbrick_exn_store";

/// Returns `bytes` without exception handling, validated without the
/// exception-handling proposals; with the exception store exported when
/// the module has catch wrappers.
pub fn run(bytes: &[u8]) -> Result<Vec<u8>, PassError> {
    run_finding_catch_wrappers(bytes).map(|(stripped, _)| stripped)
}

/// [`run`], and the catch wrappers whose handlers it stripped.
pub fn run_finding_catch_wrappers(bytes: &[u8]) -> Result<(Vec<u8>, Option<CatchWrappers>), PassError> {
    let stripped = eh_rewrite::run(bytes, StripEh { skipping: None })?;
    let wrappers = catch_wrappers::find(bytes).map_err(|e| PassError::module(e.to_string()))?;
    let stripped = match &wrappers {
        Some(wrappers) => add_export::run(&stripped, ExportKind::Func, wrappers.store, EXN_STORE_EXPORT)
            .map_err(|e| PassError::module(e.to_string()))?,
        None => stripped,
    };
    Ok((stripped, wrappers))
}

#[derive(Clone)]
struct StripEh {
    /// While inside a dropped legacy handler: how many blocks deep.
    skipping: Option<u32>,
}

impl EhPass for StripEh {
    fn output(&self) -> EhFlavour {
        EhFlavour::None
    }

    fn exnref_as(&self) -> Option<&[ValType]> {
        Some(&[ValType::I32])
    }

    fn rewrites(&self, op: &Operator<'_>) -> bool {
        matches!(
            op,
            Operator::TryTable { .. }
                | Operator::Throw { .. }
                | Operator::ThrowRef
                | Operator::Try { .. }
                | Operator::Rethrow { .. }
        )
    }

    fn operator<'a>(&mut self, op: &Operator<'a>, f: &mut FunctionWriter<'_, 'a>) -> Result<bool, String> {
        if let Some(depth) = self.skipping {
            match op {
                Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::Try { .. }
                | Operator::TryTable { .. } => self.skipping = Some(depth + 1),
                Operator::End | Operator::Delegate { .. } if depth > 0 => self.skipping = Some(depth - 1),
                Operator::End => {
                    self.skipping = None;
                    f.emit(Instruction::End);
                }
                _ => {}
            }
            return Ok(true);
        }
        match *op {
            Operator::TryTable { ref try_table } => {
                let ty = f.block_type(try_table.ty)?;
                f.emit(Instruction::Block(ty));
            }
            Operator::Try { blockty } => {
                let ty = f.block_type(blockty)?;
                f.emit(Instruction::Block(ty));
            }
            Operator::Catch { .. } | Operator::CatchAll => self.skipping = Some(0),
            Operator::Delegate { .. } => f.emit(Instruction::End),
            Operator::Throw { .. } | Operator::ThrowRef | Operator::Rethrow { .. } => f.emit(Instruction::Unreachable),
            _ => return Ok(false),
        }
        Ok(true)
    }
}
