let wasm_bindgen = (function(exports) {
    /* wasm-unbrick: patched by wasm-unbrick 0.1.0: abort recovery, see __unbrick */
/* runtime/unbrick-runtime.js */
const __unbrick_rt = __unbrickRuntime({"version":"0.1.0","mode":"none","policy":"lazy","maxAborts":5,"windowMs":10000,"standby":false,"rollback":"none","stackPointer":"__unbrick_stack_pointer","externrefStackPointer":null,"funcTables":[],"memory":"memory","globals":["__unbrick_stack_pointer"],"externrefTables":[],"importParams":[2],"catchImports":[],"variants":null,"ehMode":"auto"}, { reset: __unbrick_reset, state: __unbrick_state, setState: __unbrick_set_state, setWasm: __unbrick_set_wasm });

class Counter {
        __destroy_into_raw() {
            const ptr = this.__wbg_ptr;
            this.__wbg_ptr = 0;
            CounterFinalization.unregister(this);
            return ptr;
        }
        free() { if (__unbrick_rt.isStale(this)) return;
            const ptr = this.__destroy_into_raw();
            wasm.__wbg_counter_free(ptr, 0);
        }
        constructor() { __unbrick_rt.live || __unbrick_rt.revive();
            let ret; try { ret = __unbrick_rt.raw.counter_new(); } catch (e) { throw __unbrick_rt.classify(e); }
            this.__wbg_ptr = ret;
            CounterFinalization.register(this, this.__wbg_ptr, this);
            return this;
        }
    }
__unbrick_rt.guardClass(Counter, "__wbg_ptr");
    exports.Counter = Counter;

    function add(a, b) { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.add(a, b); } catch (e) { throw __unbrick_rt.classify(e); }
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

    let CounterFinalization = (typeof FinalizationRegistry === 'undefined')
        ? { register: () => {}, unregister: () => {} }
        : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_counter_free(ptr, 1)));

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
        const instance = new __unbrick_rt.Instance(module, __wbg_get_imports());
        return __wbg_finalize_init(instance, module);
    }

    async function __wbg_init(module_or_path) {
        if (wasm !== undefined) return wasm;
        const { instance, module } = await __unbrick_rt.instantiateStreaming(fetch(module_or_path), __wbg_get_imports());
        return __wbg_finalize_init(instance, module);
    }

    exports.__unbrick = __unbrick_rt.handle;
    return Object.assign(__wbg_init, { initSync }, exports);
function __unbrick_reset() {
    CounterFinalization = (typeof FinalizationRegistry === 'undefined')
        ? { register: () => {}, unregister: () => {} }
        : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_counter_free(ptr, 1)));
}
function __unbrick_state() {
    return [CounterFinalization];
}
function __unbrick_set_state(values) {
    CounterFinalization = values[0];
}
function __unbrick_set_wasm(exports) {
    wasm = exports;
}
})({ __proto__: null });
