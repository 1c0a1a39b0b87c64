let wasm_bindgen = (function(exports) {
    class Counter {
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
    }
    exports.Counter = Counter;

    function add(a, b) {
        const ret = wasm.add(a, b);
        return ret;
    }
    exports.add = add;

    function __wbg_get_imports() {
        const import0 = {
            __proto__: null,
            __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
                throw new Error(`Rust threw (${arg0}, ${arg1})`);
            },
        };
        return { __proto__: null, "./bricked_bg.js": import0 };
    }

    const CounterFinalization = (typeof FinalizationRegistry === 'undefined')
        ? { register: () => {}, unregister: () => {} }
        : new FinalizationRegistry(ptr => wasm.__wbg_counter_free(ptr, 1));

    let wasmModule, wasmInstance, wasm;
    function __wbg_finalize_init(instance, module) {
        wasmInstance = instance;
        wasm = instance.exports;
        wasmModule = module;
        wasm.__wbindgen_start();
        return wasm;
    }

    function initSync(module) {
        if (wasm !== undefined) return wasm;
        if (!(module instanceof WebAssembly.Module)) {
            module = new WebAssembly.Module(module);
        }
        const instance = new WebAssembly.Instance(module, __wbg_get_imports());
        return __wbg_finalize_init(instance, module);
    }

    async function __wbg_init(module_or_path) {
        if (wasm !== undefined) return wasm;
        const { instance, module } = await WebAssembly.instantiateStreaming(fetch(module_or_path), __wbg_get_imports());
        return __wbg_finalize_init(instance, module);
    }

    return Object.assign(__wbg_init, { initSync }, exports);
})({ __proto__: null });
