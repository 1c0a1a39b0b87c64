// The smallest nodejs-target glue that the module beside it belongs to.
let imports = {};
imports['./bricked_bg.js'] = module.exports;

module.exports.add = function(a, b) {
    return wasm.add(a, b);
};

module.exports.__wbg___wbindgen_throw_4c88d8bf264fd984 = function(arg0, arg1) {
    throw new Error('thrown by Rust');
};

const bytes = require('fs').readFileSync(require('path').join(__dirname, 'bricked_bg.wasm'));
const wasmModule = new WebAssembly.Module(bytes);
let wasm = new WebAssembly.Instance(wasmModule, imports).exports;
