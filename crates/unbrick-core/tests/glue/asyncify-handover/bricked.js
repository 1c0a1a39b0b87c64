// nodejs-target glue of a module transformed by Binaryen's asyncify, as
// html-rewriter-wasm ships it: a hand-written helper gets the exports after
// instantiation, and must get those of every new instance.
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
module.exports.add = function(a, b) {
    const ret = awaitPromise(() => wasm.add(a, b));
    return ret;
};

module.exports.__wbindgen_throw = function(arg0, arg1) {
    throw new Error(`Rust threw at ${arg0} (${getUint8Memory0().length} bytes of memory)`);
};

const path = require('path').join(__dirname, 'bricked_bg.wasm');
const bytes = require('fs').readFileSync(path);

const wasmModule = new WebAssembly.Module(bytes);
const wasmInstance = new WebAssembly.Instance(wasmModule, imports);
wasm = wasmInstance.exports;
module.exports.__wasm = wasm;
setWasmExports(wasm);
