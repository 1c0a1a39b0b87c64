//! Analysis and transform of arbitrary glue + Wasm pairs must return an
//! error or a result, never panic.
//!
//! Input: a little-endian u32 glue length, the glue text, then the `.wasm`.
//! `node fuzz/seed.mjs` writes the fixtures in that form into
//! `corpus/transform/`; run with `cargo +nightly fuzz run transform`.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use unbrick_core::package::Package;
use unbrick_core::Options;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let glue_len = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
    let rest = &data[4..];
    if glue_len > rest.len() {
        return;
    }
    let (glue, wasm) = rest.split_at(glue_len);
    let mut files = BTreeMap::new();
    files.insert("x.js".to_string(), glue.to_vec());
    files.insert("x_bg.wasm".to_string(), wasm.to_vec());
    if let Ok(package) = Package::from_files("x.js", files) {
        let _ = unbrick_core::analyze_package(&package);
        let _ = unbrick_core::transform(&package, &Options::default());
    }
});
