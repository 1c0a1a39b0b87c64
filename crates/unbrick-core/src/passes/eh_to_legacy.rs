//! Translates modern exception handling (exnref: `try_table`, `throw_ref`)
//! into the legacy flavour (`try`, `catch`, `catch_all`, `throw`), for
//! engines that have only the latter (Node 20, Node 22 before 22.22.3,
//! Safari before 18.4).
//!
//! Legacy EH has no exception values: `rethrow` works only lexically inside
//! its handler, while LLVM's code stores the exnref of a landing pad in a
//! local and runs `throw_ref` after the cleanup code, outside any handler.
//! So an exnref becomes a box of plain values, `(kind, payload slots…)`:
//! `kind` is 0 for null, `tag + 1` for an exception of one of the module's
//! tags (its payload in the slots), and `tags + 1` for any other exception.
//! `throw_ref` re-throws the box with `throw` of its tag. wasm-bindgen
//! passes JS exceptions into Wasm through the `__wbindgen_jstag` tag import,
//! so every exception Rust code can see has one of the module's tags; one
//! that has none (a foreign `WebAssembly.Exception` caught by a cleanup pad)
//! cannot be re-thrown and traps, which the runtime recovers as an abort.

use wasm_encoder::Instruction;
use wasmparser::{Catch, Operator, ValType};

use super::eh_rewrite::{self, EhPass, FunctionWriter, ModuleFacts, PassError};
use crate::wasm_info::EhFlavour;

/// Returns `bytes` with legacy exception handling, validated with the
/// legacy proposal only.
pub fn run(bytes: &[u8]) -> Result<Vec<u8>, PassError> {
    eh_rewrite::run(bytes, EhToLegacy { boxed: Vec::new(), tag_slots: Vec::new(), handlers: Vec::new() })
}

#[derive(Clone)]
struct EhToLegacy {
    /// What an exnref becomes: `kind: i32`, then the payload slots.
    boxed: Vec<ValType>,
    /// For each tag, the box position of each payload value.
    tag_slots: Vec<Vec<usize>>,
    /// For each open block: the catch clauses of a translated `try_table`.
    handlers: Vec<Option<Vec<Catch>>>,
}

impl EhPass for EhToLegacy {
    fn output(&self) -> EhFlavour {
        EhFlavour::Legacy
    }

    /// Slots are shared between tags: as many of each type as the tag with
    /// the most values of that type needs.
    fn begin_module(&mut self, module: &ModuleFacts) -> Result<(), PassError> {
        self.boxed = vec![ValType::I32];
        for payload in &module.tags {
            let mut used: Vec<usize> = Vec::new();
            let mut slots = Vec::new();
            for &ty in payload {
                let free = (1..self.boxed.len()).find(|&s| self.boxed[s] == ty && !used.contains(&s));
                let slot = free.unwrap_or_else(|| {
                    self.boxed.push(ty);
                    self.boxed.len() - 1
                });
                used.push(slot);
                slots.push(slot);
            }
            self.tag_slots.push(slots);
        }
        Ok(())
    }

    fn exnref_as(&self) -> Option<&[ValType]> {
        Some(&self.boxed)
    }

    fn rewrites(&self, op: &Operator<'_>) -> bool {
        matches!(op, Operator::TryTable { .. } | Operator::ThrowRef)
    }

    fn operator<'a>(&mut self, op: &Operator<'a>, f: &mut FunctionWriter<'_, 'a>) -> Result<bool, String> {
        match op {
            Operator::TryTable { try_table } => {
                let ty = f.block_type(try_table.ty)?;
                f.emit(Instruction::Try(ty));
                self.handlers.push(Some(try_table.catches.clone()));
            }
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.handlers.push(None);
                return Ok(false);
            }
            Operator::End => match self.handlers.pop().flatten() {
                Some(catches) => {
                    self.emit_handlers(&catches, f)?;
                    f.emit(Instruction::End);
                }
                None => return Ok(false),
            },
            Operator::ThrowRef => self.emit_throw_ref(f)?,
            Operator::Try { .. }
            | Operator::Catch { .. }
            | Operator::CatchAll
            | Operator::Rethrow { .. }
            | Operator::Delegate { .. } => {
                return Err("the input mixes legacy and modern exception handling".into());
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl EhToLegacy {
    fn tags(&self) -> u32 {
        self.tag_slots.len() as u32
    }

    /// The scratch local holding box position `slot`.
    fn slot_local(&self, f: &mut FunctionWriter<'_, '_>, slot: usize) -> u32 {
        f.scratch(self.boxed[slot], slot as u32)
    }

    /// Moves the payload of `tag`, on the stack at the start of its handler,
    /// into its slots.
    fn stash_payload(&self, tag: u32, f: &mut FunctionWriter<'_, '_>) {
        for &slot in self.tag_slots[tag as usize].iter().rev() {
            let local = self.slot_local(f, slot);
            f.emit(Instruction::LocalSet(local));
        }
    }

    fn push_payload(&self, tag: u32, f: &mut FunctionWriter<'_, '_>) {
        for &slot in &self.tag_slots[tag as usize] {
            let local = self.slot_local(f, slot);
            f.emit(Instruction::LocalGet(local));
        }
    }

    /// Pushes the box of an exception of `tag` whose payload was stashed, or,
    /// with `None`, of an exception of no known tag.
    fn push_box(&self, tag: Option<u32>, f: &mut FunctionWriter<'_, '_>) -> Result<(), String> {
        let slots: &[usize] = tag.map_or(&[], |t| &self.tag_slots[t as usize]);
        f.emit(Instruction::I32Const(tag.map_or(self.tags(), |t| t) as i32 + 1));
        for slot in 1..self.boxed.len() {
            if slots.contains(&slot) {
                let local = self.slot_local(f, slot);
                f.emit(Instruction::LocalGet(local));
            } else {
                f.push_default(self.boxed[slot])?;
            }
        }
        Ok(())
    }

    /// The handlers of a `try_table`'s catch clauses, in order. Their labels
    /// count from outside the `try_table`; inside a legacy handler the `try`
    /// itself is one more label.
    fn emit_handlers(&self, catches: &[Catch], f: &mut FunctionWriter<'_, '_>) -> Result<(), String> {
        let mut handled = vec![false; self.tags() as usize];
        for catch in catches {
            match *catch {
                Catch::One { tag, label } | Catch::OneRef { tag, label } => {
                    if std::mem::replace(&mut handled[tag as usize], true) {
                        continue; // an earlier clause takes these
                    }
                    f.emit(Instruction::Catch(tag));
                    if matches!(catch, Catch::OneRef { .. }) {
                        self.stash_payload(tag, f);
                        self.push_payload(tag, f);
                        self.push_box(Some(tag), f)?;
                    }
                    f.emit(Instruction::Br(label + 1));
                }
                Catch::All { label } => {
                    f.emit(Instruction::CatchAll);
                    f.emit(Instruction::Br(label + 1));
                    return Ok(());
                }
                Catch::AllRef { label } => {
                    for tag in 0..self.tags() {
                        if handled[tag as usize] {
                            continue;
                        }
                        f.emit(Instruction::Catch(tag));
                        self.stash_payload(tag, f);
                        self.push_box(Some(tag), f)?;
                        f.emit(Instruction::Br(label + 1));
                    }
                    f.emit(Instruction::CatchAll);
                    self.push_box(None, f)?;
                    f.emit(Instruction::Br(label + 1));
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Re-throws the box on the stack with `throw` of its tag. A null box or
    /// one of no known tag traps, as `throw_ref null` does.
    fn emit_throw_ref(&self, f: &mut FunctionWriter<'_, '_>) -> Result<(), String> {
        for slot in (0..self.boxed.len()).rev() {
            let local = self.slot_local(f, slot);
            f.emit(Instruction::LocalSet(local));
        }
        let kind = self.slot_local(f, 0);
        for tag in 0..self.tags() {
            f.emit(Instruction::LocalGet(kind));
            f.emit(Instruction::I32Const(tag as i32 + 1));
            f.emit(Instruction::I32Eq);
            f.emit(Instruction::If(wasm_encoder::BlockType::Empty));
            self.push_payload(tag, f);
            f.emit(Instruction::Throw(tag));
            f.emit(Instruction::End);
        }
        f.emit(Instruction::Unreachable);
        Ok(())
    }
}
