//! Adds an exported function whose body is `unreachable`. The runtime calls
//! it for an error only a trap makes, which Wasm code cannot catch: thrown
//! into the frames of an aborted instance of a module with exception
//! handling, it unwinds them without running a landing pad. Engines that
//! refuse to compile Wasm at that moment (workerd inside a request) leave
//! the runtime no other way to make one.
//!
//! Only the type, function, code and export sections are re-encoded, each
//! by appending one entry; every other section is copied byte for byte.

use wasm_encoder::{Encode, ExportKind};
use wasmparser::{BinaryReader, BinaryReaderError, ImportSectionReader, TypeRef, TypeSectionReader};

use super::add_export;
use super::eh_rewrite::PassError;

/// The name of the trapping export.
pub const TRAP_EXPORT: &str = "__unbrick_trap";

const TYPE_SECTION_ID: u8 = 1;
const IMPORT_SECTION_ID: u8 = 2;
const FUNCTION_SECTION_ID: u8 = 3;
const CODE_SECTION_ID: u8 = 10;

/// `(func)`: no parameters, no results.
const EMPTY_FUNC_TYPE: [u8; 3] = [0x60, 0, 0];
/// A body without locals: `unreachable`, `end`.
const TRAP_BODY: [u8; 4] = [3, 0, 0x00, 0x0b];

/// Returns `bytes` with a function that traps, exported as [`TRAP_EXPORT`].
pub fn run(bytes: &[u8]) -> Result<Vec<u8>, PassError> {
    let mut reader = BinaryReader::new(bytes, 0);
    reader.read_bytes(8)?;
    let mut out = Vec::with_capacity(bytes.len() + 32);
    out.extend_from_slice(&bytes[..8]);
    let mut types = None; // the index the new type gets
    let mut imported_functions = 0;
    let mut defined_functions = None;
    let mut has_code = false;
    while !reader.eof() {
        let start = reader.original_position();
        let id = reader.read_u8()?;
        let size = reader.read_var_u32()? as usize;
        let contents_start = reader.original_position();
        let contents = reader.read_bytes(size)?;
        match id {
            TYPE_SECTION_ID => {
                let section = TypeSectionReader::new(BinaryReader::new(contents, contents_start))?;
                let mut count = 0u32;
                for group in section {
                    count += group?.types().len() as u32;
                }
                types = Some(count);
                append_entry(&mut out, id, contents, contents_start, &EMPTY_FUNC_TYPE)?;
            }
            IMPORT_SECTION_ID => {
                for import in ImportSectionReader::new(BinaryReader::new(contents, contents_start))?.into_imports() {
                    if matches!(import?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
                out.extend_from_slice(&bytes[start..contents_start + size]);
            }
            FUNCTION_SECTION_ID => {
                let type_index = types.ok_or_else(|| missing("type"))?;
                let mut entry = Vec::new();
                type_index.encode(&mut entry);
                defined_functions = Some(append_entry(&mut out, id, contents, contents_start, &entry)?);
            }
            CODE_SECTION_ID => {
                has_code = true;
                append_entry(&mut out, id, contents, contents_start, &TRAP_BODY)?;
            }
            _ => out.extend_from_slice(&bytes[start..contents_start + size]),
        }
    }
    let defined = defined_functions.ok_or_else(|| missing("function"))?;
    if !has_code {
        return Err(missing("code"));
    }
    Ok(add_export::run(&out, ExportKind::Func, imported_functions + defined, TRAP_EXPORT)?)
}

/// Writes section `id` with one more entry, `entry`, after its `contents`
/// (a vector: a count, then the entries); returns the old count.
fn append_entry(
    out: &mut Vec<u8>,
    id: u8,
    contents: &[u8],
    offset: usize,
    entry: &[u8],
) -> Result<u32, BinaryReaderError> {
    let mut reader = BinaryReader::new(contents, offset);
    let count = reader.read_var_u32()?;
    let entries = &contents[reader.current_position()..];
    let mut new_count = Vec::new();
    (count + 1).encode(&mut new_count);
    out.push(id);
    (new_count.len() + entries.len() + entry.len()).encode(out);
    out.extend_from_slice(&new_count);
    out.extend_from_slice(entries);
    out.extend_from_slice(entry);
    Ok(count)
}

fn missing(section: &str) -> PassError {
    PassError::module(format!("the module has no {section} section"))
}
