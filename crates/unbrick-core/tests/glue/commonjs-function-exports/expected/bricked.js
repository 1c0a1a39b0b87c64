/* wasm-unbrick: patched by wasm-unbrick 0.1.0: abort recovery, see __unbrick */
/* runtime/unbrick-runtime.js */
const __unbrick_rt = __unbrickRuntime({"version":"0.1.0","mode":"none","policy":"lazy","maxAborts":5,"windowMs":10000,"standby":false,"rollback":"none","stackPointer":"__unbrick_stack_pointer","externrefStackPointer":null,"funcTables":[],"memory":"memory","globals":["__unbrick_stack_pointer"],"externrefTables":[],"importParams":[2],"catchImports":[],"variants":null,"ehMode":"auto"}, { reset: __unbrick_reset, state: __unbrick_state, setState: __unbrick_set_state, setWasm: __unbrick_set_wasm });

let imports = {};
imports['__wbindgen_placeholder__'] = module.exports;
let wasm;
const { TextDecoder } = require(`util`);

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

cachedTextDecoder.decode();

let cachedUint8Memory0 = null;

function getUint8Memory0() {
    if (cachedUint8Memory0 === null || cachedUint8Memory0.byteLength === 0) {
        cachedUint8Memory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8Memory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return cachedTextDecoder.decode(getUint8Memory0().subarray(ptr, ptr + len));
}
/**
* @param {number} a
* @param {number} b
* @returns {number}
*/
module.exports.add = function(a, b) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.add(a, b); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret;
};

let CounterFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_counter_free(ptr >>> 0)));
/**
*/
class Counter {

    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        CounterFinalization.unregister(this);
        return ptr;
    }

    free() { if (__unbrick_rt.isStale(this)) return;
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_counter_free(ptr);
    }
    constructor() { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.counter_new(); } catch (e) { throw __unbrick_rt.classify(e); }
        this.__wbg_ptr = ret >>> 0;
        return this;
    }
}
__unbrick_rt.guardClass(Counter, "__wbg_ptr");
module.exports.Counter = Counter;

module.exports.__wbindgen_throw = function(arg0, arg1) {
    throw new Error(getStringFromWasm0(arg0, arg1));
};

const path = require('path').join(__dirname, 'bricked_bg.wasm');
const bytes = require('fs').readFileSync(path);

const wasmModule = new WebAssembly.Module(bytes);
const wasmInstance = new __unbrick_rt.Instance(wasmModule, imports);
wasm = wasmInstance.exports;
module.exports.__wasm = wasm;
module.exports.__unbrick = __unbrick_rt.handle;
function __unbrick_reset() {
    cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
    cachedTextDecoder.decode();
    cachedUint8Memory0 = null;
    CounterFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_counter_free(ptr >>> 0)));
}
function __unbrick_state() {
    return [cachedTextDecoder, cachedUint8Memory0, CounterFinalization];
}
function __unbrick_set_state(values) {
    cachedTextDecoder = values[0];
    cachedUint8Memory0 = values[1];
    CounterFinalization = values[2];
}
function __unbrick_set_wasm(exports) {
    wasm = exports;
    module.exports.__wasm = wasm;
}
