//! Adds one export. Only the export section is re-encoded;
//! every other section is copied byte for byte, so the cost is a copy of
//! the file, whatever its size.

use wasm_encoder::{ExportKind, ExportSection, Section};
use wasmparser::{BinaryReader, ExportSectionReader, ExternalKind};

const EXPORT_SECTION_ID: u8 = 7;

fn export_kind(kind: ExternalKind) -> ExportKind {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
        ExternalKind::Table => ExportKind::Table,
        ExternalKind::Memory => ExportKind::Memory,
        ExternalKind::Global => ExportKind::Global,
        ExternalKind::Tag => ExportKind::Tag,
    }
}

/// Returns `bytes` with the entity `index` of `kind` exported as `name`.
pub fn run(bytes: &[u8], kind: ExportKind, index: u32, name: &str) -> Result<Vec<u8>, wasmparser::BinaryReaderError> {
    let mut reader = BinaryReader::new(bytes, 0);
    reader.skip(|r| {
        r.read_bytes(8)?;
        Ok(())
    })?;
    let mut export_section: Option<(usize, usize, usize)> = None; // (section start, contents start, end)
    let mut insert_at = bytes.len();
    while !reader.eof() {
        let start = reader.original_position();
        let id = reader.read_u8()?;
        let size = reader.read_var_u32()? as usize;
        let contents = reader.original_position();
        reader.skip(|r| {
            r.read_bytes(size)?;
            Ok(())
        })?;
        if id == EXPORT_SECTION_ID {
            export_section = Some((start, contents, contents + size));
        } else if export_section.is_none() && id != 0 && id > EXPORT_SECTION_ID && insert_at == bytes.len() {
            // No export section: it belongs before the first later known section.
            insert_at = start;
        }
    }

    let mut section = ExportSection::new();
    let (head, tail) = match export_section {
        Some((start, contents, end)) => {
            let exports = ExportSectionReader::new(BinaryReader::new(&bytes[contents..end], contents))?;
            for export in exports {
                let export = export?;
                section.export(export.name, export_kind(export.kind), export.index);
            }
            (start, end)
        }
        None => (insert_at, insert_at),
    };
    section.export(name, kind, index);

    let mut encoded = Vec::new();
    section.append_to(&mut encoded);
    let mut out = Vec::with_capacity(bytes.len() + encoded.len());
    out.extend_from_slice(&bytes[..head]);
    out.extend_from_slice(&encoded);
    out.extend_from_slice(&bytes[tail..]);
    Ok(out)
}
