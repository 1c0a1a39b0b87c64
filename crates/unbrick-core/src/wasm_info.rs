//! What the `.wasm` of a wasm-bindgen package contains, read with wasmparser
//! in one pass without building a module.

use serde::Serialize;
use wasmparser::{ExternalKind, Name, Operator, Parser, Payload, TypeRef, ValType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EhFlavour {
    None,
    Legacy,
    Modern,
    Mixed,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmImport {
    pub module: String,
    pub name: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmExport {
    pub name: String,
    pub kind: &'static str,
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

fn kind_name(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => "function",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

fn type_ref_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => "function",
        TypeRef::Table(_) => "table",
        TypeRef::Memory(_) => "memory",
        TypeRef::Global(_) => "global",
        TypeRef::Tag(_) => "tag",
    }
}

/// Reads everything the patcher needs. Fails on anything wasmparser cannot
/// parse; does not validate.
pub fn read(bytes: &[u8]) -> Result<WasmInfo, wasmparser::BinaryReaderError> {
    let mut info = WasmInfo {
        size: bytes.len(),
        wasm_bindgen_version: None,
        imports: Vec::new(),
        exports: Vec::new(),
        func_tables: Vec::new(),
        eh_flavour: EhFlavour::None,
        tags: 0,
        stack_pointer: None,
    };
    let mut table_is_func: Vec<bool> = Vec::new();
    // Parameter count of every type, and the type of every function.
    let mut type_params: Vec<u32> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    // (index, mutable i32) of every global in index space order.
    let mut globals: Vec<bool> = Vec::new();
    let mut global_names: Vec<(u32, String)> = Vec::new();
    let (mut legacy, mut modern) = (false, false);
    // How often each global opens a stack frame: `global.get g; i32.const n; i32.sub`.
    let mut frame_openings: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();

    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    match import.ty {
                        TypeRef::Global(g) => globals.push(g.mutable && g.content_type == ValType::I32),
                        TypeRef::Table(t) => table_is_func.push(t.element_type.is_func_ref()),
                        TypeRef::Tag(_) => info.tags += 1,
                        TypeRef::Func(ty) | TypeRef::FuncExact(ty) => func_types.push(ty),
                        _ => {}
                    }
                    info.imports.push(WasmImport {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind: type_ref_name(&import.ty),
                    });
                }
            }
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    type_params.push(ty?.params().len() as u32);
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    table_is_func.push(table?.ty.element_type.is_func_ref());
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let ty = global?.ty;
                    globals.push(ty.mutable && ty.content_type == ValType::I32);
                }
            }
            Payload::TagSection(reader) => info.tags += reader.count(),
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    info.exports.push(WasmExport {
                        name: export.name.to_string(),
                        kind: kind_name(export.kind),
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
                    if export.kind == ExternalKind::Table && table_is_func.get(export.index as usize) == Some(&true) {
                        info.func_tables.push(export.name.to_string());
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut reader = body.get_operators_reader()?;
                let (mut before_last, mut last) = (None, None);
                while !reader.eof() {
                    let op = reader.read()?;
                    if let (
                        Operator::I32Sub,
                        Some(Operator::I32Const { .. }),
                        Some(Operator::GlobalGet { global_index }),
                    ) = (&op, &last, &before_last)
                    {
                        *frame_openings.entry(*global_index).or_default() += 1;
                    }
                    match &op {
                        Operator::Try { .. }
                        | Operator::Catch { .. }
                        | Operator::CatchAll
                        | Operator::Rethrow { .. }
                        | Operator::Delegate { .. } => legacy = true,
                        Operator::TryTable { .. } | Operator::ThrowRef => modern = true,
                        _ => {}
                    }
                    before_last = last.replace(op);
                }
            }
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

    info.eh_flavour = match (legacy, modern) {
        (false, false) => EhFlavour::None,
        (true, false) => EhFlavour::Legacy,
        (false, true) => EhFlavour::Modern,
        (true, true) => EhFlavour::Mixed,
    };
    info.stack_pointer =
        find_stack_pointer(&globals, &global_names, &frame_openings).map(|(global, found_by)| StackPointer {
            global,
            found_by,
            exported_as: info.exports.iter().find(|e| e.kind == "global" && e.index == global).map(|e| e.name.clone()),
        });
    Ok(info)
}

/// The shadow stack pointer: the global LLVM names `__stack_pointer`, or,
/// with names stripped (wasm-opt, --remove-name-section), the mutable i32
/// global that opens the most stack frames.
fn find_stack_pointer(
    globals: &[bool],
    names: &[(u32, String)],
    frame_openings: &std::collections::HashMap<u32, u32>,
) -> Option<(u32, &'static str)> {
    if let Some((index, _)) = names.iter().find(|(_, name)| name == "__stack_pointer") {
        return Some((*index, "name section"));
    }
    frame_openings
        .iter()
        .filter(|(global, _)| globals.get(**global as usize) == Some(&true))
        .max_by_key(|(global, count)| (**count, std::cmp::Reverse(**global)))
        .map(|(global, _)| (*global, "stack frame code shape"))
}
