// Glue of another crate: it does not define the import the module needs.
let imports = {};
imports['./bricked_bg.js'] = module.exports;

module.exports.add = function(a, b) {
    return wasm.add(a, b);
};

module.exports.__wbg_another_import_0123456789abcdef = function(arg0, arg1) {
    throw new Error('thrown by Rust');
};

const bytes = require('fs').readFileSync(require('path').join(__dirname, 'bricked_bg.wasm'));
const wasmModule = new WebAssembly.Module(bytes);
let wasm = new WebAssembly.Instance(wasmModule, imports).exports;
