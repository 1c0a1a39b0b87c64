// nodejs-target glue of a module transformed by Binaryen's asyncify, as
// html-rewriter-wasm ships it: a hand-written helper gets the exports after
// instantiation, and must get those of every new instance.
/* wasm-unbrick: patched by wasm-unbrick 0.1.0: abort recovery, see __unbrick */
/* runtime/unbrick-runtime.js */
const __unbrick_rt = __unbrickRuntime({"version":"0.1.0","mode":"none","policy":"lazy","maxAborts":5,"windowMs":10000,"standby":false,"rollback":"none","stackPointer":"__unbrick_stack_pointer","externrefStackPointer":null,"funcTables":[],"memory":"memory","globals":["__unbrick_stack_pointer"],"externrefTables":[],"importParams":[2],"catchImports":[],"variants":null,"ehMode":"auto"}, { reset: __unbrick_reset, state: __unbrick_state, setState: __unbrick_set_state, setWasm: __unbrick_set_wasm });

const { awaitPromise, setWasmExports } = require('./asyncify.js');

let imports = {};
imports['__wbindgen_placeholder__'] = module.exports;
let wasm;

let cachedUint8Memory0 = null;

function getUint8Memory0() {
    if (cachedUint8Memory0 === null || cachedUint8Memory0.byteLength === 0) {
        cachedUint8Memory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8Memory0;
}
/**
* @param {number} a
* @param {number} b
* @returns {number}
*/
module.exports.add = function(a, b) { __unbrick_rt.live || __unbrick_rt.revive();
    const ret = awaitPromise(() => wasm.add(a, b));
    return ret;
};

module.exports.__wbindgen_throw = function(arg0, arg1) {
    throw new Error(`Rust threw at ${arg0} (${getUint8Memory0().length} bytes of memory)`);
};

const path = require('path').join(__dirname, 'bricked_bg.wasm');
const bytes = require('fs').readFileSync(path);

const wasmModule = new WebAssembly.Module(bytes);
const wasmInstance = new __unbrick_rt.Instance(wasmModule, imports);
wasm = wasmInstance.exports;
module.exports.__wasm = wasm;
setWasmExports(wasm);
module.exports.__unbrick = __unbrick_rt.handle;
function __unbrick_reset() {
    cachedUint8Memory0 = null;
}
function __unbrick_state() {
    return [cachedUint8Memory0];
}
function __unbrick_set_state(values) {
    cachedUint8Memory0 = values[0];
}
function __unbrick_set_wasm(exports) {
    wasm = exports;
    module.exports.__wasm = wasm;
    setWasmExports(wasm);
}
