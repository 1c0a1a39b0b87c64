// wasm-unbrick: the engine's exception handling, for the runtime's choice
// of a module's variant (runtime/unbrick-runtime.js, `glue.ehSupport`).
// Embedded beside the runtime only in glue whose module has variants
// (panic=unwind builds), so it declares exactly one function.
// What exception handling the engine really has, probed once per process
// by catching a JS throw: validation alone is not enough (Node 22.19 to
// 22.22.2 validate exnref but do not catch JS exceptions with JSTag).
// `refused` (the engine's error) where it compiles no Wasm at all.
function __unbrickEhSupport() {
    'use strict';

    const key = Symbol.for('wasm-unbrick.eh-support');
    if (globalThis[key] !== undefined) return globalThis[key];
    try {
        new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    } catch (e) {
        // Compiling is refused here (workerd inside a request), not unsupported:
        // nothing is known, and nothing is kept for a later probe.
        return { modern: false, legacy: false, refused: String(e) };
    }
    const thrower = () => { throw 0; }; // not an Error: no stack to capture
    const catches = (bytes, imports) => {
        try {
            return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), imports).exports.p() === 1;
        } catch {
            return false;
        }
    };
    // (module
    //   (import "m" "t" (tag (param externref)))   ;; WebAssembly.JSTag
    //   (import "m" "f" (func))                    ;; the thrower
    //   (func (export "p") (result i32)
    //     (block (result externref) (try_table (catch 0 0) (call 0)) (i32.const 0) (return))
    //     (drop) (i32.const 1)))
    const modern = [0, 97, 115, 109, 1, 0, 0, 0, 1, 12, 3, 96, 1, 111, 0, 96, 0, 0, 96, 0, 1, 127, 2, 14, 2, 1,
        109, 1, 116, 4, 0, 0, 1, 109, 1, 102, 0, 1, 3, 2, 1, 2, 7, 5, 1, 1, 112, 0, 1, 10, 22, 1, 20, 0, 2, 111, 31,
        64, 1, 0, 0, 0, 16, 0, 11, 65, 0, 15, 11, 26, 65, 1, 11];
    // (module
    //   (import "m" "f" (func))                    ;; the thrower
    //   (func (export "p") (result i32)
    //     try (result i32) call 0 i32.const 0 catch_all i32.const 1 end))
    const legacy = [0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 2, 96, 0, 0, 96, 0, 1, 127, 2, 7, 1, 1, 109, 1, 102, 0, 0,
        3, 2, 1, 1, 7, 5, 1, 1, 112, 0, 1, 10, 14, 1, 12, 0, 6, 127, 16, 0, 65, 0, 25, 65, 1, 11, 11];
    const support = {
        modern: WebAssembly.JSTag !== undefined && catches(modern, { m: { t: WebAssembly.JSTag, f: thrower } }),
        legacy: catches(legacy, { m: { f: thrower } }),
    };
    globalThis[key] = support;
    return support;
}
