//! The driver shared by the exception-handling passes. It walks the module
//! once with the validator (which knows every operand's type), hands each
//! function that uses exception handling to the pass, and copies every other
//! function body and section byte for byte (and, in a rewritten function,
//! every operator the pass keeps as it is). Only the type section (new
//! block types), the import, tag and export sections (tags removed) and the
//! code section are re-encoded. The output is validated with exactly the
//! features of its flavour before it is returned.
//!
//! Functions are independent: they are scanned, rewritten, encoded and
//! validated in parallel (rayon), and put together in input order, so the
//! output does not depend on the number of threads.

use std::collections::HashMap;

use rayon::prelude::*;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    Encode, ExportSection, Function, ImportSection, Instruction, Module, RawSection, Section, SectionId, TypeSection,
};
use wasmparser::{
    AbstractHeapType, BinaryReaderError, BlockType, CompositeInnerType, FuncToValidate, FuncType, FuncValidator,
    FuncValidatorAllocations, FunctionBody, HeapType, Operator, Parser, Payload, TypeRef, ValType, ValidPayload,
    Validator, ValidatorResources, VisitOperator, VisitSimdOperator, WasmFeatures,
};

use crate::wasm_info::EhFlavour;

/// Why a pass refused a module. Names the function when it is about one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{reason}", function.as_ref().map(|f| format!("function {f}: ")).unwrap_or_default())]
pub struct PassError {
    pub function: Option<String>,
    pub reason: String,
}

impl PassError {
    pub(crate) fn module(reason: impl Into<String>) -> Self {
        PassError { function: None, reason: reason.into() }
    }
}

impl From<wasmparser::BinaryReaderError> for PassError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        PassError::module(format!("invalid input: {e}"))
    }
}

/// One exception-handling pass, called for each operator of a function that
/// needs rewriting, before the validator has seen the operator.
pub(crate) trait EhPass {
    /// The flavour of the output.
    fn output(&self) -> EhFlavour;
    /// Called once the tags are known, before the first function.
    fn begin_module(&mut self, _module: &ModuleFacts) -> Result<(), PassError> {
        Ok(())
    }
    /// What one exnref value becomes in the output; `None` keeps exnref.
    fn exnref_as(&self) -> Option<&[ValType]>;
    /// Whether the function must be rewritten because of this operator, one
    /// of the exception-handling proposals' (no other is asked about).
    fn rewrites(&self, op: &Operator<'_>) -> bool;
    /// Called before the first operator of each rewritten function, for
    /// passes that need to look ahead.
    fn begin_function(&mut self, _body: &FunctionBody<'_>) -> Result<(), String> {
        Ok(())
    }
    /// Emits the translation of `op` and returns true, or returns false to
    /// let the driver copy it (mapping exnref values).
    fn operator<'a>(&mut self, op: &Operator<'a>, f: &mut FunctionWriter<'_, 'a>) -> Result<bool, String>;
}

/// The function being rewritten: where passes emit instructions and get
/// scratch locals, operand types and block types.
pub(crate) struct FunctionWriter<'m, 'a> {
    pub(crate) validator: FuncValidator<ValidatorResources>,
    types: TypeTable<'m>,
    exnref_as: Option<&'m [ValType]>,
    /// The encoded instructions.
    body: Vec<u8>,
    /// The encoding of the operator being translated, in the input.
    raw: &'a [u8],
    /// Locals added after the function's own.
    added: Vec<ValType>,
    scratch: HashMap<(ValType, u32), u32>,
    /// For each exnref local of the input, the locals that hold the rest of
    /// its value (the first part stays in the original index).
    exnref_parts: HashMap<u32, Vec<u32>>,
    local_count: u32,
}

/// What the passes need to know of the whole module.
pub(crate) struct ModuleFacts {
    /// Payload types of each tag, in tag index order.
    pub(crate) tags: Vec<Vec<ValType>>,
}

impl<'m, 'a> FunctionWriter<'m, 'a> {
    pub(crate) fn emit(&mut self, instruction: Instruction<'a>) {
        instruction.encode(&mut self.body);
    }

    /// Emits the operator being translated as it is encoded in the input:
    /// the same instruction, without decoding and encoding it again.
    fn emit_raw(&mut self) {
        self.body.extend_from_slice(self.raw);
    }

    /// The type of the operand `depth` below the top of the stack; `None`
    /// when unknown (unreachable code).
    pub(crate) fn operand(&self, depth: usize) -> Option<ValType> {
        self.validator.get_operand_type(depth).flatten()
    }

    /// The `n`-th scratch local of type `ty`, shared by all the translations
    /// in the function (each uses it only between two of its instructions).
    pub(crate) fn scratch(&mut self, ty: ValType, n: u32) -> u32 {
        if let Some(&index) = self.scratch.get(&(ty, n)) {
            return index;
        }
        let index = self.add_local(ty);
        self.scratch.insert((ty, n), index);
        index
    }

    fn add_local(&mut self, ty: ValType) -> u32 {
        self.added.push(ty);
        self.local_count + self.added.len() as u32 - 1
    }

    pub(crate) fn block_type(&mut self, ty: BlockType) -> Result<wasm_encoder::BlockType, String> {
        Ok(match ty {
            BlockType::Empty => wasm_encoder::BlockType::Empty,
            BlockType::Type(t) => self.block_type_of(&[], &map_val_type(t, self.exnref_as))?,
            // The type section itself has its exnref values mapped.
            BlockType::FuncType(index) => wasm_encoder::BlockType::FunctionType(index),
        })
    }

    /// The block type taking `params` and giving `results`.
    pub(crate) fn block_type_of(
        &mut self,
        params: &[ValType],
        results: &[ValType],
    ) -> Result<wasm_encoder::BlockType, String> {
        Ok(match (params, results) {
            ([], []) => wasm_encoder::BlockType::Empty,
            ([], [one]) => wasm_encoder::BlockType::Result(reencode_val_type(*one)?),
            _ => wasm_encoder::BlockType::FunctionType(self.types.add(params, results)),
        })
    }

    /// The parameters and results of an input block type.
    pub(crate) fn signature(&self, ty: BlockType) -> (Vec<ValType>, Vec<ValType>) {
        match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![t]),
            BlockType::FuncType(index) => self
                .types
                .input
                .get(index as usize)
                .map_or_else(|| (Vec::new(), Vec::new()), |f| (f.params().to_vec(), f.results().to_vec())),
        }
    }

    /// Pushes the default value of `ty` (zero or null).
    pub(crate) fn push_default(&mut self, ty: ValType) -> Result<(), String> {
        self.emit(match ty {
            ValType::I32 => Instruction::I32Const(0),
            ValType::I64 => Instruction::I64Const(0),
            ValType::F32 => Instruction::F32Const(0.0.into()),
            ValType::F64 => Instruction::F64Const(0.0.into()),
            ValType::V128 => Instruction::V128Const(0),
            ValType::Ref(r) => Instruction::RefNull(reencode_heap_type(r.heap_type())?),
        });
        Ok(())
    }

    fn is_exnref_local(&self, index: u32) -> bool {
        self.exnref_as.is_some() && self.validator.get_local_type(index).is_some_and(is_exnref)
    }

    /// The parts of exnref local `index` beyond the first.
    fn exnref_parts(&mut self, index: u32) -> Vec<u32> {
        if let Some(parts) = self.exnref_parts.get(&index) {
            return parts.clone();
        }
        let rest: Vec<ValType> = self.exnref_as.unwrap_or(&[])[1..].to_vec();
        let parts: Vec<u32> = rest.into_iter().map(|ty| self.add_local(ty)).collect();
        self.exnref_parts.insert(index, parts.clone());
        parts
    }

    /// Copies `op`, turning exnref values into what the pass makes of them.
    fn copy(&mut self, op: &Operator<'a>) -> Result<(), String> {
        let Some(parts) = self.exnref_as else {
            self.emit_raw();
            return Ok(());
        };
        let top_is_exnref = self.operand(0).is_some_and(is_exnref);
        let width = parts.len();
        match *op {
            Operator::LocalGet { local_index } if self.is_exnref_local(local_index) => {
                self.emit(Instruction::LocalGet(local_index));
                for part in self.exnref_parts(local_index) {
                    self.emit(Instruction::LocalGet(part));
                }
            }
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index }
                if self.is_exnref_local(local_index) =>
            {
                let rest = self.exnref_parts(local_index);
                for &part in rest.iter().rev() {
                    self.emit(Instruction::LocalSet(part));
                }
                self.emit(Instruction::LocalSet(local_index));
                if matches!(op, Operator::LocalTee { .. }) {
                    self.emit(Instruction::LocalGet(local_index));
                    for part in rest {
                        self.emit(Instruction::LocalGet(part));
                    }
                }
            }
            Operator::RefNull { hty } if is_exn_heap(hty) => {
                for &ty in parts {
                    self.push_default(ty)?;
                }
            }
            Operator::Drop if top_is_exnref => (0..width).for_each(|_| self.emit(Instruction::Drop)),
            Operator::RefIsNull if top_is_exnref => {
                // The first part is zero exactly for null.
                (1..width).for_each(|_| self.emit(Instruction::Drop));
                self.emit(Instruction::I32Eqz);
            }
            Operator::Block { blockty } => {
                let ty = self.block_type(blockty)?;
                self.emit(Instruction::Block(ty));
            }
            Operator::Loop { blockty } => {
                let ty = self.block_type(blockty)?;
                self.emit(Instruction::Loop(ty));
            }
            Operator::If { blockty } => {
                let ty = self.block_type(blockty)?;
                self.emit(Instruction::If(ty));
            }
            Operator::Select if top_is_exnref || self.operand(1).is_some_and(is_exnref) => {
                return Err("an exnref is used by `select`".into());
            }
            Operator::TypedSelect { ty } if is_exnref(ty) => return Err("an exnref is used by `select`".into()),
            Operator::TypedSelectMulti { ref tys } if tys.iter().any(|&t| is_exnref(t)) => {
                return Err("an exnref is used by `select`".into());
            }
            Operator::BrOnNull { .. } | Operator::BrOnNonNull { .. } if top_is_exnref => {
                return Err("an exnref is tested by `br_on_null`/`br_on_non_null`".into());
            }
            _ => self.emit_raw(),
        }
        Ok(())
    }
}

/// A type section: the input's types (their exnref values mapped), then the
/// block types the passes needed. Each rewritten function fills its own;
/// they are merged in function order into the output's, which numbers the
/// added types as one sequential run would.
struct TypeTable<'m> {
    input: &'m [FuncType],
    added: Vec<(Vec<ValType>, Vec<ValType>)>,
    index: HashMap<(Vec<ValType>, Vec<ValType>), u32>,
}

impl<'m> TypeTable<'m> {
    fn new(input: &'m [FuncType]) -> Self {
        TypeTable { input, added: Vec::new(), index: HashMap::new() }
    }

    fn add(&mut self, params: &[ValType], results: &[ValType]) -> u32 {
        let key = (params.to_vec(), results.to_vec());
        if let Some(&index) = self.index.get(&key) {
            return index;
        }
        let index = (self.input.len() + self.added.len()) as u32;
        self.added.push(key.clone());
        self.index.insert(key, index);
        index
    }
}

pub(crate) fn is_exn_heap(heap: HeapType) -> bool {
    matches!(heap, HeapType::Abstract { ty: AbstractHeapType::Exn | AbstractHeapType::NoExn, .. })
}

pub(crate) fn is_exnref(ty: ValType) -> bool {
    matches!(ty, ValType::Ref(r) if is_exn_heap(r.heap_type()))
}

fn map_val_type(ty: ValType, exnref_as: Option<&[ValType]>) -> Vec<ValType> {
    match exnref_as {
        Some(parts) if is_exnref(ty) => parts.to_vec(),
        _ => vec![ty],
    }
}

pub(crate) fn reencode_val_type(ty: ValType) -> Result<wasm_encoder::ValType, String> {
    RoundtripReencoder.val_type(ty).map_err(|e| e.to_string())
}

fn reencode_heap_type(heap: HeapType) -> Result<wasm_encoder::HeapType, String> {
    RoundtripReencoder.heap_type(heap).map_err(|e| e.to_string())
}

/// The features a module of `flavour` may use: everything wasm-bindgen
/// output needs, plus the exception-handling proposal of the flavour.
/// (wasmparser puts tags and `throw` under EXCEPTIONS and the legacy
/// instructions under LEGACY_EXCEPTIONS, so a legacy module needs both;
/// [`check_flavour`] then makes sure it has nothing modern.)
pub fn features(flavour: EhFlavour) -> WasmFeatures {
    let mut features = WasmFeatures::default();
    features.remove(WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS);
    match flavour {
        EhFlavour::Modern => features.insert(WasmFeatures::EXCEPTIONS),
        EhFlavour::Legacy | EhFlavour::Mixed => {
            features.insert(WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS)
        }
        EhFlavour::None => {}
    }
    features
}

/// Checks that `bytes` validates with [`features`] of `flavour` and uses
/// nothing of the other flavour: no exnref, `try_table` or `throw_ref` in a
/// legacy module, no `try`, `catch`, `rethrow` or `delegate` in a modern one.
/// Function bodies are checked in parallel; the error reported is the one a
/// sequential check would find first (any invalidity before any use of the
/// other flavour, then in module order).
pub fn check_flavour(bytes: &[u8], flavour: EhFlavour) -> Result<(), PassError> {
    check_output(bytes, flavour, |_| true)
}

/// [`check_flavour`], looking for the other flavour only in the function
/// bodies (numbered from 0 in the code section) for which `scan` is true.
fn check_output(bytes: &[u8], flavour: EhFlavour, scan: impl Fn(usize) -> bool + Sync) -> Result<(), PassError> {
    let invalid = |e: BinaryReaderError| PassError::module(format!("the {flavour:?} output does not validate: {e}"));
    // The features alone exclude the other flavour, except in a legacy module.
    let legacy = flavour == EhFlavour::Legacy;
    let mut validator = Validator::new_with_features(features(flavour));
    let mut functions = Vec::new();
    let mut modern_type = false;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(invalid)?;
        if let (true, Payload::TypeSection(reader)) = (legacy, &payload) {
            for ty in reader.clone().into_iter_err_on_gc_types() {
                let ty = ty.map_err(invalid)?;
                modern_type |= ty.params().iter().chain(ty.results()).any(|&t| is_exnref(t));
            }
        }
        if let ValidPayload::Func(func, body) = validator.payload(&payload).map_err(invalid)? {
            functions.push((func, body));
        }
    }
    let checked: Vec<Result<Option<&str>, BinaryReaderError>> = functions
        .into_par_iter()
        .enumerate()
        .map_init(FuncValidatorAllocations::default, |allocations, (i, (func, body))| {
            check_function(func.into_validator(std::mem::take(allocations)), &body, legacy && scan(i), allocations)
        })
        .collect();
    let mut modern_use = modern_type.then_some("an exnref type");
    for result in checked {
        let found = result.map_err(invalid)?;
        modern_use = modern_use.or(found);
    }
    match modern_use {
        Some(what) => Err(PassError::module(format!("the Legacy output uses {what}"))),
        None => Ok(()),
    }
}

/// Validates one function body and, when `legacy`, returns the first thing
/// of the modern flavour it uses. Hands the validator's allocations back
/// for the next function.
fn check_function<'a>(
    mut validator: FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
    legacy: bool,
    allocations: &mut FuncValidatorAllocations,
) -> Result<Option<&'a str>, BinaryReaderError> {
    validator.validate(body)?;
    *allocations = validator.into_allocations();
    if !legacy {
        return Ok(None);
    }
    for local in body.get_locals_reader()? {
        if is_exnref(local?.1) {
            return Ok(Some("an exnref local"));
        }
    }
    let mut finder = Sieve(ModernFinder(None));
    let mut reader = body.get_operators_reader()?;
    while finder.0 .0.is_none() && !reader.eof() {
        reader.visit_operator(&mut finder)?;
    }
    Ok(finder.0 .0)
}

/// Runs `pass` over `bytes`. Each rewritten function gets its own copy of
/// `pass` as it is after [`EhPass::begin_module`].
pub(crate) fn run<P: EhPass + Clone + Send + Sync>(bytes: &[u8], mut pass: P) -> Result<Vec<u8>, PassError> {
    let mut exnref_as: Option<Vec<ValType>> = None;
    let keep_tags = pass.output() != EhFlavour::None;
    let mut validator = Validator::new_with_features(features(EhFlavour::Mixed));
    let mut facts = ModuleFacts { tags: Vec::new() };
    let mut input_types: Vec<FuncType> = Vec::new();
    // Sections in input order; the type and code sections are filled in at the end.
    enum Out<'a> {
        Raw(u8, &'a [u8]),
        Imports(ImportSection),
        Exports(ExportSection),
        Types,
        Code,
    }
    let mut out: Vec<Out<'_>> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imported_functions = 0u32;
    let mut functions: Vec<(FunctionBody<'_>, FuncToValidate<ValidatorResources>)> = Vec::new();

    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        let valid = validator.payload(&payload)?;
        match &payload {
            Payload::TypeSection(reader) => {
                for group in reader.clone() {
                    for sub in group?.into_types() {
                        match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => input_types.push(f.clone()),
                            _ => return Err(PassError::module("the module uses GC types")),
                        }
                    }
                }
                out.push(Out::Types);
                continue;
            }
            Payload::ImportSection(reader) => {
                let mut section = ImportSection::new();
                for import in reader.clone().into_imports() {
                    let import = import?;
                    match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            func_types.push(t);
                            imported_functions += 1;
                        }
                        TypeRef::Tag(t) => facts.tags.push(input_types[t.func_type_idx as usize].params().to_vec()),
                        TypeRef::Global(g) if is_exnref(g.content_type) => {
                            return Err(PassError::module("an imported global holds an exnref"));
                        }
                        TypeRef::Table(t) if is_exn_heap(t.element_type.heap_type()) => {
                            return Err(PassError::module("an imported table holds exnrefs"));
                        }
                        _ => {}
                    }
                    if keep_tags || !matches!(import.ty, TypeRef::Tag(_)) {
                        RoundtripReencoder
                            .parse_import(&mut section, import)
                            .map_err(|e| PassError::module(e.to_string()))?;
                    }
                }
                out.push(Out::Imports(section));
                continue;
            }
            Payload::FunctionSection(reader) => {
                for ty in reader.clone() {
                    func_types.push(ty?);
                }
            }
            Payload::TagSection(reader) => {
                for tag in reader.clone() {
                    facts.tags.push(input_types[tag?.func_type_idx as usize].params().to_vec());
                }
                if !keep_tags {
                    continue;
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader.clone() {
                    if is_exnref(global?.ty.content_type) {
                        return Err(PassError::module("a global holds an exnref"));
                    }
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader.clone() {
                    if let wasmparser::ElementItems::Expressions(ty, _) = element?.items {
                        if is_exn_heap(ty.heap_type()) {
                            return Err(PassError::module("an element segment holds exnrefs"));
                        }
                    }
                }
            }
            Payload::TableSection(reader) => {
                for table in reader.clone() {
                    if is_exn_heap(table?.ty.element_type.heap_type()) {
                        return Err(PassError::module("a table holds exnrefs"));
                    }
                }
            }
            Payload::ExportSection(reader) if !keep_tags => {
                let mut section = ExportSection::new();
                for export in reader.clone() {
                    let export = export?;
                    if export.kind != wasmparser::ExternalKind::Tag {
                        section.export(
                            export.name,
                            RoundtripReencoder
                                .export_kind(export.kind)
                                .map_err(|e| PassError::module(e.to_string()))?,
                            export.index,
                        );
                    }
                }
                out.push(Out::Exports(section));
                continue;
            }
            Payload::CodeSectionStart { .. } => {
                pass.begin_module(&facts)?;
                exnref_as = pass.exnref_as().map(<[ValType]>::to_vec);
                if exnref_as.is_some() && facts.tags.iter().flatten().any(|&t| is_exnref(t)) {
                    return Err(PassError::module("a tag's payload holds an exnref"));
                }
                if exnref_as.is_some() {
                    for &t in &func_types {
                        let ty = &input_types[t as usize];
                        if ty.params().iter().chain(ty.results()).any(|&v| is_exnref(v)) {
                            return Err(PassError::module("a function takes or returns an exnref"));
                        }
                    }
                }
                out.push(Out::Code);
                continue;
            }
            Payload::CodeSectionEntry(body) => {
                let ValidPayload::Func(func, _) = valid else { unreachable!("a code entry is a function") };
                functions.push((body.clone(), func));
                continue;
            }
            Payload::End(_) => break,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            out.push(Out::Raw(id, &bytes[range]));
        }
    }

    let exnref_as = exnref_as.as_deref();
    let scan = exnref_as.is_some().then_some(input_types.as_slice());
    let label = |i: usize| function_label(bytes, imported_functions + i as u32);
    // Each rewritten function numbers the block types it adds as if it were
    // the first to add any; most are (few distinct types are added).
    let rewritten: Vec<Result<Option<Rewritten>, PassError>> = functions
        .par_iter()
        .enumerate()
        .map_init(FuncValidatorAllocations::default, |allocations, (i, (body, func))| {
            if !needs_rewrite(body, &pass, scan)? {
                return Ok(None);
            }
            let types = TypeTable::new(&input_types);
            let function = rewrite_function(bytes, body, func, allocations, pass.clone(), types, exnref_as);
            function.map(Some).map_err(|reason| PassError { function: Some(label(i)), reason })
        })
        .collect();
    // Numbered in function order, as one sequential run would number them.
    // A function whose types got other numbers is rewritten again with
    // every type known.
    let first_added = input_types.len() as u32;
    let mut types = TypeTable::new(&input_types);
    let mut renumber = Vec::new();
    let mut rewritten: Vec<Option<Rewritten>> = rewritten
        .into_iter()
        .enumerate()
        .map(|(i, function)| {
            let function = function?;
            if let Some(function) = &function {
                let numbers: Vec<u32> =
                    function.added.iter().map(|(params, results)| types.add(params, results)).collect();
                if !numbers.into_iter().eq(first_added..first_added + function.added.len() as u32) {
                    renumber.push(i);
                }
            }
            Ok(function)
        })
        .collect::<Result<_, PassError>>()?;
    let again: Vec<(usize, Result<Rewritten, String>)> = renumber
        .into_par_iter()
        .map(|i| {
            let (body, func) = &functions[i];
            let known = TypeTable { input: &input_types, added: types.added.clone(), index: types.index.clone() };
            let mut allocations = FuncValidatorAllocations::default();
            (i, rewrite_function(bytes, body, func, &mut allocations, pass.clone(), known, exnref_as))
        })
        .collect();
    for (i, function) in again {
        rewritten[i] = Some(function.map_err(|reason| PassError { function: Some(label(i)), reason })?);
    }
    // The code section is most of the module: it is put together once, in
    // a buffer of its size, and so is the module (growing them section by
    // section copied it several times).
    let bodies =
        || functions.iter().zip(&rewritten).map(|((body, _), f)| f.as_ref().map_or(&bytes[body.range()], |f| &f.body));
    let mut code = Vec::with_capacity(5 + bodies().map(|body| 5 + body.len()).sum::<usize>());
    functions.len().encode(&mut code);
    bodies().for_each(|body| body.encode(&mut code));
    let rewritten: Vec<bool> = rewritten.iter().map(Option::is_some).collect();

    let mut module = Vec::with_capacity(bytes.len() + code.len());
    module.extend_from_slice(&Module::HEADER);
    for section in out {
        match section {
            Out::Raw(id, data) => RawSection { id, data }.append_to(&mut module),
            Out::Imports(section) => section.append_to(&mut module),
            Out::Exports(section) => section.append_to(&mut module),
            Out::Types => {
                let mut section = TypeSection::new();
                let mapped = |types: &[ValType]| -> Result<Vec<wasm_encoder::ValType>, String> {
                    types.iter().flat_map(|&t| map_val_type(t, exnref_as)).map(reencode_val_type).collect()
                };
                for ty in types.input {
                    let (params, results) = (mapped(ty.params()), mapped(ty.results()));
                    section.ty().function(params.map_err(PassError::module)?, results.map_err(PassError::module)?);
                }
                for (params, results) in &types.added {
                    let params = params.iter().map(|&t| reencode_val_type(t)).collect::<Result<Vec<_>, _>>();
                    let results = results.iter().map(|&t| reencode_val_type(t)).collect::<Result<Vec<_>, _>>();
                    section.ty().function(params.map_err(PassError::module)?, results.map_err(PassError::module)?);
                }
                section.append_to(&mut module)
            }
            Out::Code => RawSection { id: SectionId::Code as u8, data: &code }.append_to(&mut module),
        };
    }
    // A copied body needs no look for the modern flavour in a legacy output:
    // `needs_rewrite` found none of what `check_function` looks for in it.
    check_output(&module, pass.output(), |i| rewritten[i])?;
    Ok(module)
}

/// Whether the function has an operator the pass rewrites or, when exnref
/// values are mapped (`types`, the input's, given), any exnref local, block
/// or null. Most functions are only looked at here: their operators are
/// visited without being built, only the few that matter are looked at.
fn needs_rewrite(body: &FunctionBody<'_>, pass: &impl EhPass, types: Option<&[FuncType]>) -> Result<bool, PassError> {
    if types.is_some() {
        for local in body.get_locals_reader()? {
            if is_exnref(local?.1) {
                return Ok(true);
            }
        }
    }
    let mut finder = Sieve(RewriteFinder { pass, types, found: false });
    let mut reader = body.get_operators_reader()?;
    while !finder.0.found && !reader.eof() {
        reader.visit_operator(&mut finder)?;
    }
    Ok(finder.0.found)
}

/// What a look over the operators of a body, that builds none, is shown of
/// them ([`Sieve`]): only these matter to the passes.
trait EhOperators {
    /// An operator of the exception-handling proposals.
    fn exception_handling(&mut self, op: Operator<'_>);
    /// The type of a `block`, `loop`, `if` or `try`.
    fn block(&mut self, ty: BlockType);
    fn ref_null(&mut self, hty: HeapType);
}

/// Visits operators without building them (`OperatorsReader::read` builds
/// each), for an [`EhOperators`].
struct Sieve<H>(H);

struct RewriteFinder<'p, P> {
    pass: &'p P,
    types: Option<&'p [FuncType]>,
    found: bool,
}

impl<P: EhPass> EhOperators for RewriteFinder<'_, P> {
    fn exception_handling(&mut self, op: Operator<'_>) {
        self.found |= self.pass.rewrites(&op);
    }

    fn block(&mut self, ty: BlockType) {
        let Some(types) = self.types else { return };
        self.found |= match ty {
            BlockType::Empty => false,
            BlockType::Type(t) => is_exnref(t),
            BlockType::FuncType(i) => {
                types.get(i as usize).is_some_and(|f| f.params().iter().chain(f.results()).any(|&t| is_exnref(t)))
            }
        };
    }

    fn ref_null(&mut self, hty: HeapType) {
        self.found |= self.types.is_some() && is_exn_heap(hty);
    }
}

/// The first thing of the modern flavour a legacy module must not use.
struct ModernFinder(Option<&'static str>);

impl EhOperators for ModernFinder {
    fn exception_handling(&mut self, op: Operator<'_>) {
        let found = match op {
            Operator::TryTable { .. } => "try_table",
            Operator::ThrowRef => "throw_ref",
            _ => return,
        };
        self.0 = self.0.or(Some(found));
    }

    fn block(&mut self, ty: BlockType) {
        if matches!(ty, BlockType::Type(t) if is_exnref(t)) {
            self.0 = self.0.or(Some("an exnref block"));
        }
    }

    fn ref_null(&mut self, hty: HeapType) {
        if is_exn_heap(hty) {
            self.0 = self.0.or(Some("ref.null exn"));
        }
    }
}

/// The body of each visit method of [`Sieve`], by proposal and operator;
/// the arguments are named after the operator's fields.
macro_rules! sieve {
    ($s:ident $proposal:ident Block $blockty:ident) => { $s.0.block($blockty) };
    ($s:ident $proposal:ident Loop $blockty:ident) => { $s.0.block($blockty) };
    ($s:ident $proposal:ident If $blockty:ident) => { $s.0.block($blockty) };
    ($s:ident $proposal:ident RefNull $hty:ident) => { $s.0.ref_null($hty) };
    ($s:ident legacy_exceptions Try $blockty:ident) => {{
        $s.0.block($blockty);
        $s.0.exception_handling(Operator::Try { blockty: $blockty })
    }};
    ($s:ident exceptions $op:ident $($arg:ident)*) => { $s.0.exception_handling(Operator::$op { $($arg),* }) };
    ($s:ident legacy_exceptions $op:ident $($arg:ident)*) => { $s.0.exception_handling(Operator::$op { $($arg),* }) };
    ($s:ident $proposal:ident $op:ident $($arg:ident)*) => { () };
}

macro_rules! sieve_methods {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            // Most operators' arguments do not matter.
            #[allow(unused_variables)]
            fn $visit(&mut self $($(,$arg: $argty)*)?) {
                sieve!(self $proposal $op $($($arg)*)?)
            }
        )*
    };
}

impl<'a, H: EhOperators> VisitOperator<'a> for Sieve<H> {
    type Output = ();

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = ()>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(sieve_methods);
}

impl<H: EhOperators> VisitSimdOperator<'_> for Sieve<H> {
    wasmparser::for_each_visit_simd_operator!(sieve_methods);
}

/// A rewritten function, and the block types it added to its
/// [`TypeTable`].
struct Rewritten {
    /// The encoded body, locals included.
    body: Vec<u8>,
    added: Vec<(Vec<ValType>, Vec<ValType>)>,
}

/// Rewrites one function of `module` with `pass`, validating the input as it
/// goes (the validator gives the operand types). Takes the validator's
/// allocations from `allocations` and hands them back.
fn rewrite_function<'a>(
    module: &'a [u8],
    body: &FunctionBody<'a>,
    func: &FuncToValidate<ValidatorResources>,
    allocations: &mut FuncValidatorAllocations,
    mut pass: impl EhPass,
    types: TypeTable<'_>,
    exnref_as: Option<&[ValType]>,
) -> Result<Rewritten, String> {
    let func = FuncToValidate { resources: func.resources.clone(), ..*func };
    let mut validator = func.into_validator(std::mem::take(allocations));
    let mut locals = Vec::new();
    let mut reader = body.get_binary_reader();
    validator.read_locals(&mut reader).map_err(invalid_input)?;
    for local in body.get_locals_reader().map_err(|e| e.to_string())? {
        let (count, ty) = local.map_err(|e| e.to_string())?;
        let mapped = map_val_type(ty, exnref_as)[0];
        locals.push((count, reencode_val_type(mapped)?));
    }
    let local_count = validator.len_locals();
    let mut writer = FunctionWriter {
        validator,
        types,
        exnref_as,
        body: Vec::with_capacity(body.range().len()),
        raw: &[],
        added: Vec::new(),
        scratch: HashMap::new(),
        exnref_parts: HashMap::new(),
        local_count,
    };
    pass.begin_function(body)?;
    let mut operators = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !operators.eof() {
        let (op, offset) = operators.read_with_offset().map_err(|e| e.to_string())?;
        writer.raw = &module[offset..operators.original_position()];
        if !pass.operator(&op, &mut writer)? {
            writer.copy(&op)?;
        }
        writer.validator.op(offset, &op).map_err(invalid_input)?;
    }
    for &ty in &writer.added {
        locals.push((1, reencode_val_type(ty)?));
    }
    *allocations = writer.validator.into_allocations();
    let mut function = Function::new(locals);
    function.raw(writer.body);
    Ok(Rewritten { body: function.into_raw_body(), added: writer.types.added })
}

fn invalid_input(e: BinaryReaderError) -> String {
    format!("the input does not validate: {e}")
}

/// `index` with its name from the name section, for error messages.
fn function_label(bytes: &[u8], index: u32) -> String {
    for payload in Parser::new(0).parse_all(bytes).flatten() {
        let Payload::CustomSection(section) = payload else { continue };
        if let wasmparser::KnownCustom::Name(names) = section.as_known() {
            for name in names.into_iter().flatten() {
                if let wasmparser::Name::Function(map) = name {
                    for naming in map.into_iter().flatten() {
                        if naming.index == index {
                            return format!("{index} ({})", naming.name);
                        }
                    }
                }
            }
        }
    }
    index.to_string()
}
