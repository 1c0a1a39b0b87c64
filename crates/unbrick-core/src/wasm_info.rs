//! What the `.wasm` of a wasm-bindgen package contains, read with wasmparser
//! without building a module: one pass over the sections, then, only when
//! needed, one over the function bodies.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use wasmparser::{
    BinaryReaderError, ExternalKind, FunctionBody, Name, Operator, Parser, Payload, TypeRef, ValType, VisitOperator,
    VisitSimdOperator,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EhFlavour {
    None,
    Legacy,
    Modern,
    Mixed,
}

/// What an import or export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Function,
    Table,
    Memory,
    Global,
    Tag,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmImport {
    pub module: String,
    pub name: String,
    pub kind: EntityKind,
    /// Number of parameters, for functions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmExport {
    pub name: String,
    pub kind: EntityKind,
    pub index: u32,
    /// Number of parameters, for functions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackPointer {
    /// Index in the global index space.
    pub global: u32,
    /// How it was identified: `name section` or `stack frame code shape`.
    pub found_by: &'static str,
    /// The export name it already has, if any.
    pub exported_as: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmInfo {
    pub size: usize,
    /// `processed-by` wasm-bindgen version from the producers section.
    pub wasm_bindgen_version: Option<String>,
    pub imports: Vec<WasmImport>,
    pub exports: Vec<WasmExport>,
    /// Exported tables of funcref type: their elements are Wasm functions.
    pub func_tables: Vec<String>,
    pub eh_flavour: EhFlavour,
    pub tags: u32,
    pub stack_pointer: Option<StackPointer>,
    /// The stack pointer of the externref table's borrowed-reference stack
    /// (wasm-bindgen's externref pass), which a JS exception passing
    /// through an export's shim leaves lowered as it does the shadow one.
    pub externref_stack_pointer: Option<StackPointer>,
    /// The exported memory a checkpoint copies.
    pub memory: Option<String>,
    /// Every mutable global the module defines (a checkpoint records them).
    pub mutable_globals: Vec<MutableGlobal>,
    /// Exported tables of externref type: a checkpoint records their values.
    pub externref_tables: Vec<String>,
}

/// A mutable global of the module's own, which JS can read and write.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MutableGlobal {
    pub global: u32,
    /// The export name it already has, if any.
    pub exported_as: Option<String>,
}

impl WasmInfo {
    pub fn exports_named(&self, name: &str) -> bool {
        self.exports.iter().any(|e| e.name == name)
    }

    pub fn import_modules(&self) -> Vec<&str> {
        let mut modules: Vec<&str> = Vec::new();
        for import in &self.imports {
            if !modules.contains(&import.module.as_str()) {
                modules.push(&import.module);
            }
        }
        modules
    }
}

fn kind_of_export(kind: ExternalKind) -> EntityKind {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => EntityKind::Function,
        ExternalKind::Table => EntityKind::Table,
        ExternalKind::Memory => EntityKind::Memory,
        ExternalKind::Global => EntityKind::Global,
        ExternalKind::Tag => EntityKind::Tag,
    }
}

fn kind_of_import(ty: &TypeRef) -> EntityKind {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => EntityKind::Function,
        TypeRef::Table(_) => EntityKind::Table,
        TypeRef::Memory(_) => EntityKind::Memory,
        TypeRef::Global(_) => EntityKind::Global,
        TypeRef::Tag(_) => EntityKind::Tag,
    }
}

impl WasmInfo {
    /// What stands for the module of glue whose `.wasm` is not in the
    /// package: nothing known but the function tables the glue calls into.
    pub fn absent(func_tables: Vec<String>) -> WasmInfo {
        WasmInfo {
            size: 0,
            wasm_bindgen_version: None,
            imports: Vec::new(),
            exports: Vec::new(),
            func_tables,
            eh_flavour: EhFlavour::None,
            tags: 0,
            stack_pointer: None,
            externref_stack_pointer: None,
            memory: None,
            mutable_globals: Vec::new(),
            externref_tables: Vec::new(),
        }
    }
}

/// The names of the function imports of a module, read from its import
/// section only (what glue is matched to its module by).
pub fn function_import_names(bytes: &[u8]) -> Result<Vec<String>, String> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("does not start with the \\0asm magic".into());
    }
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        names.push(import.name.to_string());
                    }
                }
            }
            // The sections after the imports tell nothing more.
            Payload::FunctionSection(_) | Payload::CodeSectionStart { .. } | Payload::End(_) => break,
            _ => {}
        }
    }
    Ok(names)
}

/// Reads everything the patcher needs. Fails on anything wasmparser cannot
/// parse; does not validate. Function bodies are walked only for what the
/// sections cannot tell: the exception-handling flavour when the module has
/// a tag, the stack pointer when no name says which global it is.
pub fn read(bytes: &[u8]) -> Result<WasmInfo, BinaryReaderError> {
    let mut info = WasmInfo {
        size: bytes.len(),
        wasm_bindgen_version: None,
        imports: Vec::new(),
        exports: Vec::new(),
        func_tables: Vec::new(),
        eh_flavour: EhFlavour::None,
        tags: 0,
        stack_pointer: None,
        externref_stack_pointer: None,
        memory: None,
        mutable_globals: Vec::new(),
        externref_tables: Vec::new(),
    };
    let mut table_is_externref: Vec<bool> = Vec::new();
    let mut table_is_func: Vec<bool> = Vec::new();
    // Parameter count of every type, and the type of every function.
    let mut type_params: Vec<u32> = Vec::new();
    let mut type_takes_externref: Vec<bool> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imported_funcs = 0;
    // (index, mutable i32) of every global in index space order.
    let mut globals: Vec<bool> = Vec::new();
    let mut global_names: Vec<(u32, String)> = Vec::new();
    let mut bodies: Vec<FunctionBody<'_>> = Vec::new();

    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    let mut params = None;
                    match import.ty {
                        TypeRef::Global(g) => globals.push(g.mutable && g.content_type == ValType::I32),
                        TypeRef::Table(t) => {
                            table_is_func.push(t.element_type.is_func_ref());
                            table_is_externref.push(t.element_type.is_extern_ref());
                        }
                        TypeRef::Tag(_) => info.tags += 1,
                        TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                            imported_funcs += 1;
                            func_types.push(ty);
                            params = type_params.get(ty as usize).copied();
                        }
                        _ => {}
                    }
                    info.imports.push(WasmImport {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind: kind_of_import(&import.ty),
                        params,
                    });
                }
            }
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty?;
                    type_params.push(ty.params().len() as u32);
                    type_takes_externref.push(ty.params().contains(&ValType::EXTERNREF));
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let element = table?.ty.element_type;
                    table_is_func.push(element.is_func_ref());
                    table_is_externref.push(element.is_extern_ref());
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let ty = global?.ty;
                    // A v128 global is out of JS's reach.
                    if ty.mutable && ty.content_type != ValType::V128 {
                        info.mutable_globals.push(MutableGlobal { global: globals.len() as u32, exported_as: None });
                    }
                    globals.push(ty.mutable && ty.content_type == ValType::I32);
                }
            }
            Payload::TagSection(reader) => info.tags += reader.count(),
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    info.exports.push(WasmExport {
                        name: export.name.to_string(),
                        kind: kind_of_export(export.kind),
                        index: export.index,
                        params: (export.kind == ExternalKind::Func)
                            .then(|| {
                                func_types
                                    .get(export.index as usize)
                                    .and_then(|t| type_params.get(*t as usize))
                                    .copied()
                            })
                            .flatten(),
                    });
                    let table = |is: &[bool]| {
                        export.kind == ExternalKind::Table && is.get(export.index as usize) == Some(&true)
                    };
                    if table(&table_is_func) {
                        info.func_tables.push(export.name.to_string());
                    }
                    if table(&table_is_externref) {
                        info.externref_tables.push(export.name.to_string());
                    }
                    if export.kind == ExternalKind::Memory && info.memory.is_none() {
                        info.memory = Some(export.name.to_string());
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body),
            Payload::CustomSection(section) => match section.as_known() {
                wasmparser::KnownCustom::Producers(reader) => {
                    for field in reader {
                        let field = field?;
                        if field.name != "processed-by" {
                            continue;
                        }
                        for value in field.values {
                            let value = value?;
                            if value.name == "wasm-bindgen" {
                                let version = value.version.split_whitespace().next().unwrap_or(value.version);
                                info.wasm_bindgen_version = Some(version.to_string());
                            }
                        }
                    }
                }
                wasmparser::KnownCustom::Name(reader) => {
                    for name in reader {
                        if let Ok(Name::Global(map)) = name {
                            for naming in map {
                                let naming = naming?;
                                global_names.push((naming.index, naming.name.to_string()));
                            }
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    // `throw` and `catch` name a tag, so without one no exception of the
    // module's own can unwind and the bodies are not walked for the flavour.
    // (A tagless `catch_all` could meet only foreign exceptions: wasm-bindgen
    // catches JS ones through its imported tag, and LLVM defines
    // `__cpp_exception` wherever a panic can unwind.)
    let named = global_names.iter().find(|(_, name)| name == "__stack_pointer").map(|(index, _)| *index);
    let walk = Walk { flavour: info.tags > 0, frames: named.is_none() };
    let (flavour, frame_openings) =
        if walk.flavour || walk.frames { walk.run(&bodies)? } else { (EhFlavour::None, HashMap::new()) };
    info.eh_flavour = flavour;
    let stack_pointer = match named {
        Some(index) => Some((index, "name section")),
        None => find_stack_pointer(&globals, &frame_openings),
    };
    let exported_as = |global: u32| {
        info.exports.iter().find(|e| e.kind == EntityKind::Global && e.index == global).map(|e| e.name.clone())
    };
    let stack_pointer =
        stack_pointer.map(|(global, found_by)| StackPointer { global, found_by, exported_as: exported_as(global) });
    // Only functions that take an externref can be shims (exported, or
    // wrapped in the export that panic=unwind builds restore the shadow
    // stack pointer with).
    let defined_types = func_types.get(imported_funcs as usize..).unwrap_or_default();
    let shims =
        bodies.iter().zip(defined_types).filter(|(_, ty)| type_takes_externref.get(**ty as usize) == Some(&true));
    let mut externref_stack_pointer = None;
    for (body, _) in shims {
        if let Some(global) = pushes_externref(body, &globals)? {
            externref_stack_pointer =
                Some(StackPointer { global, found_by: "externref shim code shape", exported_as: exported_as(global) });
            break;
        }
    }
    info.stack_pointer = stack_pointer;
    info.externref_stack_pointer = externref_stack_pointer;
    for global in &mut info.mutable_globals {
        global.exported_as = exported_as(global.global);
    }
    Ok(info)
}

/// The global an externref shim opens with, `global.get g; i32.const 1;
/// i32.sub; local.tee l; global.set g`: a slot of the externref stack for
/// a borrowed argument. None when the body does not start so.
fn pushes_externref(body: &FunctionBody<'_>, globals: &[bool]) -> Result<Option<u32>, BinaryReaderError> {
    let mut reader = body.get_operators_reader()?;
    let mut first = Vec::with_capacity(5);
    while first.len() < 5 && !reader.eof() {
        first.push(reader.read()?);
    }
    Ok(match first.as_slice() {
        [Operator::GlobalGet { global_index: got }, Operator::I32Const { value: 1 }, Operator::I32Sub, Operator::LocalTee { .. }, Operator::GlobalSet { global_index: set }]
            if got == set && globals.get(*got as usize) == Some(&true) =>
        {
            Some(*got)
        }
        _ => None,
    })
}

/// What the walk over the function bodies looks for.
struct Walk {
    flavour: bool,
    frames: bool,
}

/// What the walk found in one body.
#[derive(Default)]
struct BodyFacts {
    legacy: bool,
    modern: bool,
    /// The global of each stack frame it opens.
    frames: Vec<u32>,
}

impl Walk {
    /// The exception-handling flavour, and how often each global opens a
    /// stack frame. Bodies are independent: they are walked in parallel and
    /// their facts merged in order (the first error in order is reported).
    fn run(&self, bodies: &[FunctionBody<'_>]) -> Result<(EhFlavour, HashMap<u32, u32>), BinaryReaderError> {
        let facts: Vec<Result<BodyFacts, BinaryReaderError>> = bodies.par_iter().map(|body| self.body(body)).collect();
        let (mut legacy, mut modern) = (false, false);
        let mut frame_openings: HashMap<u32, u32> = HashMap::new();
        for body in facts {
            let body = body?;
            legacy |= self.flavour && body.legacy;
            modern |= self.flavour && body.modern;
            for global in body.frames {
                *frame_openings.entry(global).or_default() += 1;
            }
        }
        let flavour = match (legacy, modern) {
            (false, false) => EhFlavour::None,
            (true, false) => EhFlavour::Legacy,
            (false, true) => EhFlavour::Modern,
            (true, true) => EhFlavour::Mixed,
        };
        Ok((flavour, frame_openings))
    }

    /// Visits the operators without building them: only a few matter.
    fn body(&self, body: &FunctionBody<'_>) -> Result<BodyFacts, BinaryReaderError> {
        let mut visitor = BodyVisitor { frames: self.frames, facts: BodyFacts::default(), opening: Opening::None };
        let mut reader = body.get_operators_reader()?;
        while !reader.eof() {
            reader.visit_operator(&mut visitor)?;
        }
        Ok(visitor.facts)
    }
}

struct BodyVisitor {
    frames: bool,
    facts: BodyFacts,
    opening: Opening,
}

/// How far a stack frame opening, `global.get g; i32.const n; i32.sub`, has
/// come with the operators seen last.
#[derive(Clone, Copy)]
enum Opening {
    None,
    Get(u32),
    GetConst(u32),
}

/// The body of each visit method, by operator; the arguments are named after
/// the operator.
macro_rules! visit_body {
    ($v:ident GlobalGet $global_index:ident) => {
        $v.opening = Opening::Get($global_index)
    };
    ($v:ident I32Const $value:ident) => {
        $v.opening = match $v.opening {
            Opening::Get(global) => Opening::GetConst(global),
            _ => Opening::None,
        }
    };
    ($v:ident I32Sub) => {{
        if let (true, Opening::GetConst(global)) = ($v.frames, $v.opening) {
            $v.facts.frames.push(global);
        }
        $v.opening = Opening::None
    }};
    ($v:ident Try $($arg:ident)*) => {
        $v.legacy()
    };
    ($v:ident Catch $($arg:ident)*) => {
        $v.legacy()
    };
    ($v:ident CatchAll) => {
        $v.legacy()
    };
    ($v:ident Rethrow $($arg:ident)*) => {
        $v.legacy()
    };
    ($v:ident Delegate $($arg:ident)*) => {
        $v.legacy()
    };
    ($v:ident TryTable $($arg:ident)*) => {
        $v.modern()
    };
    ($v:ident ThrowRef) => {
        $v.modern()
    };
    ($v:ident $op:ident $($arg:ident)*) => {
        $v.opening = Opening::None
    };
}

macro_rules! visit_methods {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            // Most operators' arguments do not matter.
            #[allow(unused_variables)]
            fn $visit(&mut self $($(,$arg: $argty)*)?) {
                visit_body!(self $op $($($arg)*)?)
            }
        )*
    };
}

impl BodyVisitor {
    fn legacy(&mut self) {
        self.facts.legacy = true;
        self.opening = Opening::None;
    }

    fn modern(&mut self) {
        self.facts.modern = true;
        self.opening = Opening::None;
    }
}

impl<'a> VisitOperator<'a> for BodyVisitor {
    type Output = ();

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = ()>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(visit_methods);
}

impl VisitSimdOperator<'_> for BodyVisitor {
    wasmparser::for_each_visit_simd_operator!(visit_methods);
}

/// The shadow stack pointer when names are stripped (wasm-opt,
/// --remove-name-section; otherwise it is the global LLVM names
/// `__stack_pointer`): the mutable i32 global that opens the most stack
/// frames.
fn find_stack_pointer(globals: &[bool], frame_openings: &HashMap<u32, u32>) -> Option<(u32, &'static str)> {
    frame_openings
        .iter()
        .filter(|(global, _)| globals.get(**global as usize) == Some(&true))
        .max_by_key(|(global, count)| (**count, std::cmp::Reverse(**global)))
        .map(|(global, _)| (*global, "stack frame code shape"))
}

#[cfg(test)]
mod tests {
    use super::read;

    const SHIM: &str = r#"(module
        (table $externrefs 128 externref)
        (global $sp (mut i32) (i32.const 1048576))
        (global $externref_sp (mut i32) (i32.const 1024))
        (func $inner (param i32))
        (func (export "takes_ref") (param externref)
            (local i32)
            global.get $externref_sp
            i32.const 1
            i32.sub
            local.tee 1
            global.set $externref_sp
            local.get 1
            local.get 0
            table.set $externrefs
            local.get 1
            call $inner
            local.get 1
            i32.const 1
            i32.add
            global.set $externref_sp)
        (func (export "frame") (param i32)
            global.get $sp
            i32.const 16
            i32.sub
            global.set $sp))"#;

    #[test]
    fn the_externref_stack_pointer_is_what_a_shim_opens_with() {
        let info = read(&wat::parse_str(SHIM).unwrap()).unwrap();
        let found = info.externref_stack_pointer.expect("found");
        assert_eq!((found.global, found.found_by, found.exported_as), (1, "externref shim code shape", None));
        assert_eq!(info.stack_pointer.map(|sp| sp.global), Some(0));
    }

    #[test]
    fn no_shim_no_externref_stack_pointer() {
        // The same opening in a function without externref parameters.
        let module = SHIM.replace(r#"(export "takes_ref") (param externref)"#, "(param i32)");
        assert!(read(&wat::parse_str(&module).unwrap()).unwrap().externref_stack_pointer.is_none());
    }
}
