//! Reading a `.wasm` section by section.

/// The sections of a module in order, as (id, contents), custom sections
/// included.
pub fn sections(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut reader = wasmparser::BinaryReader::new(bytes, 0);
    reader.read_bytes(8).unwrap();
    let mut out = Vec::new();
    while !reader.eof() {
        let id = reader.read_u8().unwrap();
        let size = reader.read_var_u32().unwrap() as usize;
        out.push((id, reader.read_bytes(size).unwrap().to_vec()));
    }
    out
}
