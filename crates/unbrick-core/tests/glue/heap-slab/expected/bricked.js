/**
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
/* wasm-unbrick: patched by wasm-unbrick 0.1.0: abort recovery, see __unbrick */
/* runtime/unbrick-runtime.js */
const __unbrick_rt = __unbrickRuntime({"version":"0.1.0","mode":"none","policy":"lazy","maxAborts":5,"windowMs":10000,"standby":false,"rollback":"none","stackPointer":"__unbrick_stack_pointer","externrefStackPointer":null,"funcTables":[],"memory":"memory","globals":["__unbrick_stack_pointer","__unbrick_global_1","seed"],"externrefTables":[],"importParams":[2,1],"catchImports":[],"variants":null,"ehMode":"auto"}, { reset: __unbrick_reset, state: __unbrick_state, setState: __unbrick_set_state, setWasm: __unbrick_set_wasm });
export const __unbrick = __unbrick_rt.handle;

export function add(a, b) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.add(a, b); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret;
}

/**
 * @returns {any}
 */
export function take_value() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.take_value(); } catch (e) { throw __unbrick_rt.classify(e); }
    return takeObject(ret);
}

function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(`Rust threw (${arg0}, ${arg1})`);
        },
        __wbindgen_object_drop_ref: function(arg0) {
            takeObject(arg0);
        },
    };
    return { __proto__: null, "./bricked_bg.js": import0 };
}

function dropObject(idx) {
    if (idx < 1028) return;
    heap[idx] = heap_next;
    heap_next = idx;
}

function getObject(idx) { return heap[idx]; }

let heap = new Array(1024).fill(undefined);
heap.push(undefined, null, true, false);

let heap_next = heap.length;

function takeObject(idx) {
    const ret = getObject(idx);
    dropObject(idx);
    return ret;
}

let wasmModule, wasm;
function __wbg_finalize_init(instance, module) {
    wasm = instance.exports;
    wasmModule = module;
    wasm.__wbindgen_start();
    return wasm;
}

function initSync(module) {
    if (wasm !== undefined) return wasm;
    const instance = new __unbrick_rt.Instance(module, __wbg_get_imports());
    return __wbg_finalize_init(instance, module);
}

export { initSync };
function __unbrick_reset() {
    heap = new Array(1024).fill(undefined);
    heap.push(undefined, null, true, false);
    heap_next = heap.length;
}
function __unbrick_state() {
    return [heap, heap_next];
}
function __unbrick_set_state(values) {
    heap = values[0];
    heap_next = values[1];
}
function __unbrick_set_wasm(exports) {
    wasm = exports;
}
