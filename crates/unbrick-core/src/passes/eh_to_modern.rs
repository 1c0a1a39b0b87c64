//! Translates legacy exception handling (`try`, `catch`, `catch_all`,
//! `rethrow`, `delegate`) into the modern flavour (`try_table`, exnref,
//! `throw_ref`), the job of Binaryen's `--translate-to-exnref`, for engines
//! that will drop the legacy flavour.
//!
//! A `try` with handlers becomes a block holding one block per handler
//! around a `try_table` whose clauses branch to them:
//!
//! ```text
//! block $try                          ;; the try's type; its label
//!   block $h1 (result T1.. exnref)    ;; one per clause, the last outermost
//!     block $h0 (result T0.. exnref)
//!       try_table (catch_ref $t0 $h0) (catch_ref $t1 $h1)
//!         body
//!       end
//!       br $try
//!     end
//!     local.set $exn  handler0  br $try
//!   end
//!   local.set $exn  handler1
//! end
//! ```
//!
//! The `_ref` clauses and the exnref local are used only by handlers that
//! something `rethrow`s; `rethrow` becomes `local.get $exn; throw_ref`.
//! Handlers nested in handlers use one local per nesting level.
//!
//! `delegate l` sends the exception to the handlers of the `try` at `l` (or,
//! when `l` is not a `try` in its body, the next one out, or the caller). The
//! body of such a target is wrapped in `block $d (result exnref) ... end
//! throw_ref`, and the delegating `try` becomes a `try_table` whose
//! `catch_all_ref` branches to `$d`, leaving every block in between; the
//! `throw_ref` then re-throws the same exception inside the target's
//! `try_table`. A delegate to the caller goes to such a block around the
//! whole function body. Branch depths are renumbered for the added blocks.

use std::borrow::Cow;

use wasm_encoder::{Catch, Instruction};
use wasmparser::{FunctionBody, Operator, ValType};

use super::eh_rewrite::{self, EhPass, FunctionWriter, ModuleFacts, PassError};
use crate::wasm_info::EhFlavour;

/// Returns `bytes` with modern exception handling, validated with the
/// modern proposal only.
pub fn run(bytes: &[u8]) -> Result<Vec<u8>, PassError> {
    eh_rewrite::run(bytes, EhToModern::default())
}

#[derive(Default, Clone)]
struct EhToModern {
    /// Payload types of each tag.
    tags: Vec<Vec<ValType>>,
    /// What the look-ahead found of each `try` of the function, in order.
    tries: Vec<TryPlan>,
    /// Whether some `delegate` goes to the caller.
    delegates_to_caller: bool,
    /// Whether the function's own wrapper block is still to be emitted.
    prologue_pending: bool,
    /// The next `try` to be met.
    next_try: usize,
    /// Open input blocks, the function's own first.
    frames: Vec<Frame>,
    /// Open output blocks, the function's own included.
    out_len: usize,
    /// For each `try` whose body is wrapped for delegates: the output
    /// index of the wrapper.
    delegate_wrappers: Vec<Option<usize>>,
}

#[derive(Default, Clone)]
struct TryPlan {
    /// The handlers in order: a tag, or `None` for `catch_all`.
    catches: Vec<Option<u32>>,
    /// Whether a `rethrow` names one of its handlers.
    rethrown: bool,
    /// Whether a `delegate` sends exceptions into its body.
    delegated_to: bool,
    /// Whether it ends with `delegate`.
    delegates: bool,
    /// Where that `delegate` sends: a `try`, or `None` for the caller.
    delegate_target: Option<usize>,
}

#[derive(Clone)]
struct Frame {
    /// The output block a branch to this label goes to.
    target: usize,
    try_block: Option<TryFrame>,
}

#[derive(Clone)]
struct TryFrame {
    id: usize,
    /// `None` in the body, then the index of the running handler.
    handler: Option<usize>,
    /// How many enclosing handlers are running: picks the exnref local.
    level: u32,
}

impl EhPass for EhToModern {
    fn output(&self) -> EhFlavour {
        EhFlavour::Modern
    }

    fn begin_module(&mut self, module: &ModuleFacts) -> Result<(), PassError> {
        self.tags = module.tags.clone();
        Ok(())
    }

    fn exnref_as(&self) -> Option<&[ValType]> {
        None
    }

    fn rewrites(&self, op: &Operator<'_>) -> bool {
        matches!(
            op,
            Operator::Try { .. }
                | Operator::Catch { .. }
                | Operator::CatchAll
                | Operator::Rethrow { .. }
                | Operator::Delegate { .. }
        )
    }

    /// Finds, for each `try`, its handlers, whether they are re-thrown, and
    /// where its `delegate` goes: all needed before its body is emitted.
    fn begin_function(&mut self, body: &FunctionBody<'_>) -> Result<(), String> {
        self.tries.clear();
        self.delegates_to_caller = false;
        // For each open input block: the `try` it is, if it is one in its body.
        let mut open: Vec<Option<(usize, bool)>> = vec![None];
        let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
        while !reader.eof() {
            match reader.read().map_err(|e| e.to_string())? {
                Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => open.push(None),
                Operator::TryTable { .. } | Operator::ThrowRef => {
                    return Err("the input mixes legacy and modern exception handling".into());
                }
                Operator::Try { .. } => {
                    open.push(Some((self.tries.len(), true)));
                    self.tries.push(TryPlan::default());
                }
                Operator::Catch { tag_index } => self.enter_handler(&mut open, Some(tag_index))?,
                Operator::CatchAll => self.enter_handler(&mut open, None)?,
                Operator::Rethrow { relative_depth } => match label(&open, relative_depth)? {
                    Some((id, _)) => self.tries[id].rethrown = true,
                    None => return Err("`rethrow` names a block that is not a `try`".into()),
                },
                Operator::Delegate { relative_depth } => {
                    let Some(Some((id, _))) = open.pop() else { return Err("`delegate` ends no `try`".into()) };
                    let target = delegate_target(&open, relative_depth)?;
                    self.tries[id].delegates = true;
                    self.tries[id].delegate_target = target;
                    match target {
                        Some(target) => self.tries[target].delegated_to = true,
                        None => self.delegates_to_caller = true,
                    }
                }
                Operator::End => {
                    open.pop();
                }
                _ => {}
            }
        }
        self.next_try = 0;
        self.frames = vec![Frame { target: 0, try_block: None }];
        self.out_len = 1;
        self.delegate_wrappers = vec![None; self.tries.len()];
        self.prologue_pending = self.delegates_to_caller;
        Ok(())
    }

    fn operator<'a>(&mut self, op: &Operator<'a>, f: &mut FunctionWriter<'_, 'a>) -> Result<bool, String> {
        if std::mem::take(&mut self.prologue_pending) {
            let ty = f.block_type_of(&[], &[ValType::EXNREF])?;
            self.open(f, Instruction::Block(ty));
        }
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.frames.push(Frame { target: self.out_len, try_block: None });
                self.out_len += 1;
                return Ok(false);
            }
            Operator::Try { blockty } => self.begin_try(*blockty, f)?,
            Operator::Catch { .. } | Operator::CatchAll => self.next_handler(f)?,
            Operator::Rethrow { relative_depth } => {
                let level = match self.label(*relative_depth)?.try_block {
                    Some(TryFrame { handler: Some(_), level, .. }) => level,
                    _ => return Err("`rethrow` names a block that is not a running handler".into()),
                };
                let exn = f.scratch(ValType::EXNREF, level);
                f.emit(Instruction::LocalGet(exn));
                f.emit(Instruction::ThrowRef);
            }
            Operator::Delegate { .. } => {
                self.close_delegate_wrapper(f)?;
                self.close(f); // the try_table
                self.frames.pop();
            }
            Operator::End => return self.end(f),
            Operator::Br { relative_depth } => f.emit(Instruction::Br(self.depth(*relative_depth)?)),
            Operator::BrIf { relative_depth } => f.emit(Instruction::BrIf(self.depth(*relative_depth)?)),
            Operator::BrOnNull { relative_depth } => f.emit(Instruction::BrOnNull(self.depth(*relative_depth)?)),
            Operator::BrOnNonNull { relative_depth } => f.emit(Instruction::BrOnNonNull(self.depth(*relative_depth)?)),
            Operator::BrTable { targets } => {
                let mut depths = Vec::with_capacity(targets.len() as usize);
                for target in targets.targets() {
                    depths.push(self.depth(target.map_err(|e| e.to_string())?)?);
                }
                f.emit(Instruction::BrTable(Cow::Owned(depths), self.depth(targets.default())?));
            }
            Operator::BrOnCast { .. } | Operator::BrOnCastFail { .. } => {
                return Err("`br_on_cast` in a function with legacy exception handling".into());
            }
            Operator::TryTable { .. } | Operator::ThrowRef => {
                return Err("the input mixes legacy and modern exception handling".into());
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The open block `depth` labels up in the look-ahead.
fn label(open: &[Option<(usize, bool)>], depth: u32) -> Result<Option<(usize, bool)>, String> {
    open.len()
        .checked_sub(1 + depth as usize)
        .map(|i| open[i])
        .ok_or_else(|| format!("branch depth {depth} is out of range"))
}

/// Where `delegate depth` sends exceptions: the `try` at that label if it is
/// in its body, else the nearest one around it that is; `None` for the caller.
fn delegate_target(open: &[Option<(usize, bool)>], depth: u32) -> Result<Option<usize>, String> {
    label(open, depth)?;
    let start = open.len() - 1 - depth as usize;
    Ok(open[1..=start].iter().rev().find_map(|frame| match frame {
        Some((id, true)) => Some(*id),
        _ => None,
    }))
}

impl EhToModern {
    fn enter_handler(&mut self, open: &mut [Option<(usize, bool)>], tag: Option<u32>) -> Result<(), String> {
        match open.last_mut() {
            Some(Some((id, in_body))) => {
                *in_body = false;
                self.tries[*id].catches.push(tag);
                Ok(())
            }
            _ => Err("`catch` outside a `try`".into()),
        }
    }

    fn open<'a>(&mut self, f: &mut FunctionWriter<'_, 'a>, instruction: Instruction<'a>) {
        f.emit(instruction);
        self.out_len += 1;
    }

    fn close(&mut self, f: &mut FunctionWriter<'_, '_>) {
        f.emit(Instruction::End);
        self.out_len -= 1;
    }

    fn label(&self, depth: u32) -> Result<&Frame, String> {
        self.frames
            .len()
            .checked_sub(1 + depth as usize)
            .map(|i| &self.frames[i])
            .ok_or_else(|| format!("branch depth {depth} is out of range"))
    }

    /// The output depth of the block input label `depth` branches to.
    fn depth(&self, depth: u32) -> Result<u32, String> {
        Ok(self.out_depth(self.label(depth)?.target))
    }

    fn out_depth(&self, index: usize) -> u32 {
        (self.out_len - 1 - index) as u32
    }

    fn begin_try<'a>(&mut self, blockty: wasmparser::BlockType, f: &mut FunctionWriter<'_, 'a>) -> Result<(), String> {
        let id = self.next_try;
        self.next_try += 1;
        let plan = self.tries.get(id).cloned().ok_or("a `try` the look-ahead did not see")?;
        let level =
            self.frames.iter().filter(|fr| matches!(fr.try_block, Some(TryFrame { handler: Some(_), .. }))).count();
        let ty = f.block_type(blockty)?;
        let (params, _) = f.signature(blockty);
        // What a branch to the `try` goes to: the first block opened here.
        let target = self.out_len;
        if plan.delegates {
            let wrapper = match plan.delegate_target {
                Some(t) => self.delegate_wrappers[t].ok_or("a `delegate` to a `try` with no wrapper")?,
                None => 1,
            };
            let catches = vec![Catch::AllRef { label: self.out_depth(wrapper) }];
            self.open(f, Instruction::TryTable(ty, Cow::Owned(catches)));
        } else {
            self.open(f, Instruction::Block(ty));
            if !plan.catches.is_empty() {
                for catch in plan.catches.iter().rev() {
                    let mut results = catch.map_or_else(Vec::new, |tag| self.tags[tag as usize].clone());
                    if plan.rethrown {
                        results.push(ValType::EXNREF);
                    }
                    let handler_ty = f.block_type_of(&params, &results)?;
                    self.open(f, Instruction::Block(handler_ty));
                }
                let catches = (0..plan.catches.len() as u32)
                    .zip(&plan.catches)
                    .map(|(label, catch)| match (*catch, plan.rethrown) {
                        (Some(tag), false) => Catch::One { tag, label },
                        (Some(tag), true) => Catch::OneRef { tag, label },
                        (None, false) => Catch::All { label },
                        (None, true) => Catch::AllRef { label },
                    })
                    .collect::<Vec<_>>();
                self.open(f, Instruction::TryTable(ty, Cow::Owned(catches)));
            }
        }
        if plan.delegated_to {
            self.delegate_wrappers[id] = Some(self.out_len);
            let wrapper_ty = f.block_type_of(&params, &[ValType::EXNREF])?;
            self.open(f, Instruction::Block(wrapper_ty));
        }
        self.frames.push(Frame { target, try_block: Some(TryFrame { id, handler: None, level: level as u32 }) });
        Ok(())
    }

    /// Ends the body of the `try` on top, or its running handler, and starts
    /// its next handler.
    fn next_handler(&mut self, f: &mut FunctionWriter<'_, '_>) -> Result<(), String> {
        let frame = self.frames.last().ok_or("`catch` outside a `try`")?;
        let Some(TryFrame { id, handler, level }) = frame.try_block else {
            return Err("`catch` outside a `try`".into());
        };
        let target = frame.target;
        if handler.is_none() {
            self.close_delegate_wrapper(f)?;
            self.close(f); // the try_table
        }
        f.emit(Instruction::Br(self.out_depth(target)));
        self.close(f); // the handler's block
        if self.tries[id].rethrown {
            let exn = f.scratch(ValType::EXNREF, level);
            f.emit(Instruction::LocalSet(exn));
        }
        let next = handler.map_or(0, |h| h + 1);
        if let Some(TryFrame { handler, .. }) = &mut self.frames.last_mut().and_then(|fr| fr.try_block.as_mut()) {
            *handler = Some(next);
        }
        Ok(())
    }

    /// Ends the delegate wrapper of the `try` on top, if it has one, while
    /// in its body: a normal exit leaves the `try`, a delegated exception is
    /// re-thrown inside it.
    fn close_delegate_wrapper(&mut self, f: &mut FunctionWriter<'_, '_>) -> Result<(), String> {
        let frame = self.frames.last().ok_or("no open `try`")?;
        let Some(TryFrame { id, handler: None, .. }) = frame.try_block else { return Ok(()) };
        if self.delegate_wrappers[id].is_some() {
            f.emit(Instruction::Br(self.out_depth(frame.target)));
            self.close(f);
            f.emit(Instruction::ThrowRef);
        }
        Ok(())
    }

    fn end(&mut self, f: &mut FunctionWriter<'_, '_>) -> Result<bool, String> {
        let frame = self.frames.last().ok_or("`end` with no open block")?;
        if self.frames.len() == 1 {
            // The function's own end.
            self.frames.pop();
            if !self.delegates_to_caller {
                return Ok(false);
            }
            f.emit(Instruction::Return);
            self.close(f);
            f.emit(Instruction::ThrowRef);
            f.emit(Instruction::End);
            return Ok(true);
        }
        if frame.try_block.is_none() {
            self.frames.pop();
            self.out_len -= 1;
            return Ok(false);
        }
        self.close_delegate_wrapper(f)?;
        self.close(f); // the try's block
        self.frames.pop();
        Ok(true)
    }
}
