//! Times `wasm_info::read` or one exception-handling pass on a `.wasm`,
//! without the addon in between:
//!
//! ```text
//! cargo run --release -p unbrick-core --example timing -- read x_bg.wasm
//! cargo run --release -p unbrick-core --example timing -- legacy|modern|none x_bg.wasm [runs] [out.wasm]
//! ```
//!
//! Prints the median and range of `runs` runs (default 11) after one
//! warm-up; writes the pass's output to `out.wasm` when given, to compare
//! outputs by hash. Asserts nothing.

use std::time::Instant;

use unbrick_core::passes::{eh_to_legacy, eh_to_modern, strip_eh};
use unbrick_core::wasm_info;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, file, rest @ ..] = args.as_slice() else {
        eprintln!("usage: timing read|legacy|modern|none <file.wasm> [runs] [out.wasm]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let runs: usize = rest.first().map_or(11, |n| n.parse().expect("runs: a number"));
    let run = |bytes: &[u8]| -> Vec<u8> {
        match what.as_str() {
            "read" => {
                let info = wasm_info::read(bytes).expect("read");
                format!("{:?} {:?}", info.eh_flavour, info.stack_pointer).into_bytes()
            }
            "legacy" => eh_to_legacy::run(bytes).expect("eh_to_legacy"),
            "modern" => eh_to_modern::run(bytes).expect("eh_to_modern"),
            "none" => strip_eh::run(bytes).expect("strip_eh"),
            other => panic!("unknown measure {other}"),
        }
    };
    let out = run(&bytes);
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(run(&bytes));
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let mbps = |ms: f64| bytes.len() as f64 / 1e6 / (ms / 1e3);
    println!(
        "{what} {file}: {:.2} MB, median {median:.1} ms ({:.0} MB/s), range {:.1}-{:.1} ms, {runs} runs",
        bytes.len() as f64 / 1e6,
        mbps(median),
        times[0],
        times[times.len() - 1],
    );
    match rest.get(1) {
        Some(path) => std::fs::write(path, &out).unwrap_or_else(|e| panic!("{path}: {e}")),
        None if what == "read" => println!("{}", String::from_utf8_lossy(&out)),
        None => {}
    }
}
