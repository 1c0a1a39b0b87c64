// The web target as esbuild bundles it: classes become `var X = class`,
// and the exports one statement at the end.
var Counter = class {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        CounterFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_counter_free(ptr, 0);
    }
    constructor() {
        const ret = wasm.counter_new();
        this.__wbg_ptr = ret;
        CounterFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    get value() {
        const ret = wasm.counter_value(this.__wbg_ptr);
        return ret >>> 0;
    }
};
function add(a, b) {
    const ret = wasm.add(a, b);
    return ret;
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(`Rust threw (${arg0}, ${arg1})`);
        },
    };
    return { __proto__: null, "./bricked_bg.js": import0 };
}
var CounterFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_counter_free(ptr, 1));
var wasmModule, wasm;
function __wbg_finalize_init(instance, module) {
    wasm = instance.exports;
    wasmModule = module;
    wasm.__wbindgen_start();
    return wasm;
}
function initSync(module) {
    if (wasm !== void 0) return wasm;
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, __wbg_get_imports());
    return __wbg_finalize_init(instance, module);
}
async function __wbg_init(module_or_path) {
    if (wasm !== void 0) return wasm;
    module_or_path ??= new URL("bricked_bg.wasm", import.meta.url);
    const { instance, module } = await WebAssembly.instantiateStreaming(fetch(module_or_path), __wbg_get_imports());
    return __wbg_finalize_init(instance, module);
}
export { Counter, add, initSync, __wbg_init as default };
