/* wasm-unbrick: patched by wasm-unbrick 0.1.0: abort recovery, see __unbrick */
/* runtime/unbrick-runtime.js */
const __unbrick_rt = __unbrickRuntime({"version":"0.1.0","mode":"none","policy":"lazy","maxAborts":5,"windowMs":10000,"standby":false,"rollback":"none","stackPointer":"__unbrick_stack_pointer","externrefStackPointer":"__unbrick_externref_stack_pointer","funcTables":[],"memory":"memory","globals":["__unbrick_stack_pointer","__unbrick_externref_stack_pointer"],"externrefTables":["__wbindgen_externrefs"],"importParams":[0,3,2,2,3,1,2,1,2,3,0,2,2,2,1,0,0,0,0,1,1,2,1,2,2,0,2,2,1],"catchImports":[],"variants":null,"ehMode":"auto"}, { reset: __unbrick_reset, state: __unbrick_state, setState: __unbrick_set_state, setWasm: __unbrick_set_wasm });
export const __unbrick = __unbrick_rt.handle;

export class Accumulator {
    static __wrap(ptr) {
        const obj = Object.create(Accumulator.prototype);
        obj.__wbg_ptr = ptr;
        AccumulatorFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        AccumulatorFinalization.unregister(this);
        return ptr;
    }
    free() { if (__unbrick_rt.isStale(this)) return;
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_accumulator_free(ptr, 0);
    }
    /**
     * @param {bigint} value
     * @returns {bigint}
     */
    add(value) { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.accumulator_add(this.__wbg_ptr, value); } catch (e) { throw __unbrick_rt.classify(e); }
        return ret;
    }
    /**
     * Panics while `self` is mutably borrowed: the object stays borrowed.
     */
    explode() { __unbrick_rt.live || __unbrick_rt.revive();
        try { __unbrick_rt.raw.accumulator_explode(this.__wbg_ptr); } catch (e) { throw __unbrick_rt.classify(e); }
    }
    /**
     * @param {bigint} start
     */
    constructor(start) { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.accumulator_new(start); } catch (e) { throw __unbrick_rt.classify(e); }
        this.__wbg_ptr = ret;
        AccumulatorFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * @param {bigint} total
     */
    set total(total) { __unbrick_rt.live || __unbrick_rt.revive();
        try { __unbrick_rt.raw.accumulator_set_total(this.__wbg_ptr, total); } catch (e) { throw __unbrick_rt.classify(e); }
    }
    /**
     * Returns another class instance.
     * @returns {Snapshot}
     */
    snapshot() { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.accumulator_snapshot(this.__wbg_ptr); } catch (e) { throw __unbrick_rt.classify(e); }
        return Snapshot.__wrap(ret);
    }
    /**
     * @returns {bigint}
     */
    get total() { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.accumulator_total(this.__wbg_ptr); } catch (e) { throw __unbrick_rt.classify(e); }
        return ret;
    }
    /**
     * @param {bigint} start
     * @returns {Accumulator}
     */
    static withStart(start) { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.accumulator_withStart(start); } catch (e) { throw __unbrick_rt.classify(e); }
        return Accumulator.__wrap(ret);
    }
}
__unbrick_rt.guardClass(Accumulator, "__wbg_ptr");
if (Symbol.dispose) Accumulator.prototype[Symbol.dispose] = Accumulator.prototype.free;

export class Snapshot {
    static __wrap(ptr) {
        const obj = Object.create(Snapshot.prototype);
        obj.__wbg_ptr = ptr;
        SnapshotFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        SnapshotFinalization.unregister(this);
        return ptr;
    }
    free() { if (__unbrick_rt.isStale(this)) return;
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_snapshot_free(ptr, 0);
    }
    /**
     * @returns {number}
     */
    get entries() { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.snapshot_entries(this.__wbg_ptr); } catch (e) { throw __unbrick_rt.classify(e); }
        return ret >>> 0;
    }
    /**
     * @returns {bigint}
     */
    get total() { __unbrick_rt.live || __unbrick_rt.revive();
        let ret; try { ret = __unbrick_rt.raw.snapshot_total(this.__wbg_ptr); } catch (e) { throw __unbrick_rt.classify(e); }
        return ret;
    }
}
__unbrick_rt.guardClass(Snapshot, "__wbg_ptr");
if (Symbol.dispose) Snapshot.prototype[Symbol.dispose] = Snapshot.prototype.free;

export function abort_now() { __unbrick_rt.live || __unbrick_rt.revive();
    try { __unbrick_rt.raw.abort_now(); } catch (e) { throw __unbrick_rt.classify(e); }
}

/**
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
export function add(a, b) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.add(a, b); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret;
}

/**
 * Increments the thread-local counter and returns its new value.
 * @returns {number}
 */
export function bump() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.bump(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * Calls `f` through an import without `catch`, with 4 KiB on the shadow
 * stack: an exception from `f` skips this frame and what would restore
 * the stack pointer.
 * @param {Function} f
 * @returns {number}
 */
export function call_uncaught(f) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.call_uncaught(f); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * @param {Uint8Array | number[]} bytes
 * @returns {number}
 */
export function checksum(bytes) { __unbrick_rt.live || __unbrick_rt.revive();
    const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.checksum(ptr0, len0);
    return ret >>> 0;
}

/**
 * @returns {number}
 */
export function counter() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.counter(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * @param {number} x
 * @returns {Promise<number>}
 */
export function delayed_double(x) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.delayed_double(x); } catch (e) { throw __unbrick_rt.classify(e); }
    return __unbrick_rt.settle(ret);
}

/**
 * Allocates 16 MiB blocks, with the counter borrowed, until the allocator
 * fails (out of memory).
 * @returns {number}
 */
export function exhaust_memory() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.exhaust_memory(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * Allocates and fills 16 MiB blocks until the allocator fails: out of
 * memory with every page of the grown memory touched (resident).
 * @returns {number}
 */
export function exhaust_memory_touched() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.exhaust_memory_touched(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * @param {string} message
 * @returns {number}
 */
export function fail_with_js_error(message) { __unbrick_rt.live || __unbrick_rt.revive();
    const ptr0 = passStringToWasm0(message, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.fail_with_js_error(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0] >>> 0;
}

/**
 * @param {string} name
 * @returns {string}
 */
export function greet(name) { __unbrick_rt.live || __unbrick_rt.revive();
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.greet(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * A Rust closure handed to JS: calling it bumps the counter.
 * @returns {Function}
 */
export function make_bumper() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.make_bumper(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret;
}

/**
 * A Rust closure handed to JS that panics, with the counter borrowed,
 * when JS calls it later.
 * @returns {Function}
 */
export function make_panicker() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.make_panicker(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret;
}

/**
 * @returns {number}
 */
export function overflow_native_stack() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.overflow_native_stack(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * Unbounded recursion with frames on Rust's shadow stack: runs off the
 * bottom of linear memory.
 * @returns {bigint}
 */
export function overflow_stack() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.overflow_stack(); } catch (e) { throw __unbrick_rt.classify(e); }
    return BigInt.asUintN(64, ret);
}

/**
 * Panics after an `await`, while the counter is borrowed: in a microtask,
 * with no JS caller on the stack.
 * @returns {Promise<number>}
 */
export function panic_after_await() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.panic_after_await(); } catch (e) { throw __unbrick_rt.classify(e); }
    return __unbrick_rt.settle(ret);
}

/**
 * Panics while the counter's RefCell is mutably borrowed: under the plain
 * glue every later `bump()` fails with "already borrowed".
 */
export function panic_while_borrowed() { __unbrick_rt.live || __unbrick_rt.revive();
    try { __unbrick_rt.raw.panic_while_borrowed(); } catch (e) { throw __unbrick_rt.classify(e); }
}

/**
 * Re-entrant trigger: panics when called from inside `with_counter_borrowed`'s callback.
 */
export function reenter_and_panic() { __unbrick_rt.live || __unbrick_rt.revive();
    try { __unbrick_rt.raw.reenter_and_panic(); } catch (e) { throw __unbrick_rt.classify(e); }
}

/**
 * @returns {boolean}
 */
export function release() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.release(); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret !== 0;
}

/**
 * @param {Uint8Array | number[]} bytes
 * @returns {Uint8Array}
 */
export function reverse_bytes(bytes) { __unbrick_rt.live || __unbrick_rt.revive();
    const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.reverse_bytes(ptr0, len0);
    var v2 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
    wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
    return v2;
}

export function start() { __unbrick_rt.live || __unbrick_rt.revive();
    try { __unbrick_rt.raw.start(); } catch (e) { throw __unbrick_rt.classify(e); }
}

/**
 * Calls `f(i)` for i in 0..n and sums the numbers it returns.
 * @param {number} n
 * @param {Function} f
 * @returns {number}
 */
export function sum_with(n, f) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.sum_with(n, f); } catch (e) { throw __unbrick_rt.classify(e); }
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0];
}

/**
 * An async export that only resolves when `release()` is called: pending
 * while the instance aborts, it must reject instead of hanging.
 * @returns {Promise<number>}
 */
export function wait_for_release() { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.wait_for_release(); } catch (e) { throw __unbrick_rt.classify(e); }
    return __unbrick_rt.settle(ret);
}

/**
 * Calls `f()` and ignores what it throws: `Function::call0` is a `catch`
 * import whose `Err` is dropped, so this returns 42 either way.
 * @param {Function} f
 * @returns {number}
 */
export function with_callback(f) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.with_callback(f); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

/**
 * Holds the counter borrowed while calling `f`; `f` may call back into Rust.
 * @param {Function} f
 * @returns {any}
 */
export function with_counter_borrowed(f) { __unbrick_rt.live || __unbrick_rt.revive();
    let ret; try { ret = __unbrick_rt.raw.with_counter_borrowed(f); } catch (e) { throw __unbrick_rt.classify(e); }
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
export function __wbg_Error_208446807d0d1e30(arg0, arg1) {
    const ret = Error(getStringFromWasm0(arg0, arg1));
    return ret;
}
export function __wbg___wbindgen_is_function_741ff2bb612836f5(arg0) {
    const ret = typeof(arg0) === 'function';
    return ret;
}
export function __wbg___wbindgen_is_undefined_be5b34249ff1fc15(arg0) {
    const ret = arg0 === undefined;
    return ret;
}
export function __wbg___wbindgen_number_get_934b640d0889af78(arg0, arg1) {
    const obj = arg1;
    const ret = typeof(obj) === 'number' ? obj : undefined;
    getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
    getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
}
export function __wbg___wbindgen_throw_4c88d8bf264fd984(arg0, arg1) {
    throw new Error(getStringFromWasm0(arg0, arg1));
}
export function __wbg__wbg_cb_unref_09736879a3f67559(arg0) {
    arg0._wbg_cb_unref();
}
export function __wbg_apply_4e153e0bb98d3dcb(arg0, arg1, arg2) {
    const ret = Reflect.apply(arg0, arg1, arg2);
    return ret;
}
export function __wbg_call_40b008ba32f73991() { return handleError(function (arg0, arg1) {
    const ret = arg0.call(arg1);
    return ret;
}, arguments); }
export function __wbg_call_a410eb4b59ed5965() { return handleError(function (arg0, arg1, arg2) {
    const ret = arg0.call(arg1, arg2);
    return ret;
}, arguments); }
export function __wbg_error_757e9472f8410341(arg0, arg1) {
    let deferred0_0;
    let deferred0_1;
    try {
        deferred0_0 = arg0;
        deferred0_1 = arg1;
        __unbrick_rt.consoleError(getStringFromWasm0(arg0, arg1));
    } finally {
        wasm.__wbindgen_free(deferred0_0, deferred0_1, 1);
    }
}
export function __wbg_new_37eb45aaf5eeb820() {
    const ret = new Array();
    return ret;
}
export function __wbg_new_787b9fb330d55d78(arg0, arg1) {
    const ret = new Error(getStringFromWasm0(arg0, arg1));
    return ret;
}
export function __wbg_new_ba40181b3f24ac80(arg0, arg1) {
    try {
        var state0 = {a: arg0, b: arg1};
        var cb0 = (arg0, arg1) => {
            const a = state0.a;
            state0.a = 0;
            try {
                return wasm_bindgen__convert__closures_____invoke__h135ceb35efc47144(a, state0.b, arg0, arg1);
            } finally {
                state0.a = a;
            }
        };
        const ret = __unbrick_rt.promise(cb0);
        return ret;
    } finally {
        state0.a = 0;
    }
}
export function __wbg_new_bb74001155cb8ca8() {
    const ret = new Error();
    return ret;
}
export function __wbg_new_typed_e09da9dae6ee5935(arg0, arg1) {
    try {
        var state0 = {a: arg0, b: arg1};
        var cb0 = (arg0, arg1) => {
            const a = state0.a;
            state0.a = 0;
            try {
                return wasm_bindgen__convert__closures_____invoke__h135ceb35efc47144(a, state0.b, arg0, arg1);
            } finally {
                state0.a = a;
            }
        };
        const ret = __unbrick_rt.promise(cb0);
        return ret;
    } finally {
        state0.a = 0;
    }
}
export function __wbg_queueMicrotask_1e8503a8a690f0a3(arg0) {
    const ret = arg0.queueMicrotask;
    return ret;
}
export function __wbg_queueMicrotask_4a1a4d8dd332373b(arg0) {
    queueMicrotask(__unbrick_rt.hostCallback(arg0));
}
export function __wbg_resolve_dbf78ab4942478b0(arg0) {
    const ret = Promise.resolve(arg0);
    return ret;
}
export function __wbg_stack_575c4e0918581b9c(arg0, arg1) {
    const ret = arg1.stack;
    const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len1 = WASM_VECTOR_LEN;
    getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
    getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}
export function __wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc() {
    const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
    return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}
export function __wbg_static_accessor_GLOBAL_e4293fb22cbe77da() {
    const ret = typeof global === 'undefined' ? undefined : global;
    return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}
export function __wbg_static_accessor_SELF_53bb20457401453d() {
    const ret = typeof self === 'undefined' ? undefined : self;
    return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}
export function __wbg_static_accessor_WINDOW_b5e0810bfecb7feb() {
    const ret = typeof window === 'undefined' ? undefined : window;
    return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}
export function __wbg_then_656f253a5dd7d8ea(arg0, arg1, arg2) {
    const ret = arg0.then(__unbrick_rt.hostCallback(arg1), __unbrick_rt.hostCallback(arg2));
    return ret;
}
export function __wbg_then_e3f7f2d365708be8(arg0, arg1) {
    const ret = arg0.then(__unbrick_rt.hostCallback(arg1));
    return ret;
}
export function __wbindgen_generic_0000000000000001(arg0, arg1) {
    // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [Externref], shim_idx: 39, ret: Result(Unit), inner_ret: Some(Result(Unit)) }, mutable: true }) -> Externref`.
    const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__hedb1827620ad6d88);
    return ret;
}
export function __wbindgen_generic_0000000000000002(arg0, arg1) {
    // Cast intrinsic for `Closure(Closure { owned: true, function: Function { arguments: [], shim_idx: 6, ret: U32, inner_ret: Some(U32) }, mutable: true }) -> Externref`.
    const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h821ea0b2e114b899);
    return ret;
}
export function __wbindgen_generic_0000000000000003(arg0) {
    // Cast intrinsic for `F64 -> Externref`.
    const ret = arg0;
    return ret;
}
export function __wbindgen_init_externref_table() {
    const table = wasm.__wbindgen_externrefs;
    table.set(0, undefined);
    table.set(1024, undefined);
    table.set(1025, null);
    table.set(1026, true);
    table.set(1027, false);
}
function wasm_bindgen__convert__closures_____invoke__h821ea0b2e114b899(arg0, arg1) {
    __unbrick_rt.live || __unbrick_rt.throwTerminated(); let ret; try { ret = __unbrick_rt.raw.wasm_bindgen__convert__closures_____invoke__h821ea0b2e114b899(arg0, arg1); } catch (e) { throw __unbrick_rt.classify(e); }
    return ret >>> 0;
}

function wasm_bindgen__convert__closures_____invoke__hedb1827620ad6d88(arg0, arg1, arg2) {
    __unbrick_rt.live || __unbrick_rt.throwTerminated(); let ret; try { ret = __unbrick_rt.raw.wasm_bindgen__convert__closures_____invoke__hedb1827620ad6d88(arg0, arg1, arg2); } catch (e) { throw __unbrick_rt.classify(e); }
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}

function wasm_bindgen__convert__closures_____invoke__h135ceb35efc47144(arg0, arg1, arg2, arg3) {
    __unbrick_rt.live || __unbrick_rt.throwTerminated(); try { __unbrick_rt.raw.wasm_bindgen__convert__closures_____invoke__h135ceb35efc47144(arg0, arg1, arg2, arg3); } catch (e) { throw __unbrick_rt.classify(e); }
}

let AccumulatorFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_accumulator_free(ptr, 1)));
let SnapshotFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_snapshot_free(ptr, 1)));

function addToExternrefTable0(obj) {
    __unbrick_rt.live || __unbrick_rt.throwTerminated(); let idx; try { idx = __unbrick_rt.raw.__externref_table_alloc(); } catch (e) { throw __unbrick_rt.classify(e); }
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

let CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(state => wasm.__wbindgen_destroy_closure(state.a, state.b)));

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function makeMutClosure(arg0, arg1, f) {
    const state = { a: arg0, b: arg1, cnt: 1 };
    const real = (...args) => {

        // First up with a closure we increment the internal reference
        // count. This ensures that the Rust closure environment won't
        // be deallocated while we're invoking it.
        state.cnt++;
        const a = state.a;
        state.a = 0;
        try {
            return f(a, state.b, ...args);
        } finally {
            state.a = a;
            real._wbg_cb_unref();
        }
    };
    real._wbg_cb_unref = () => {
        if (--state.cnt === 0) {
            wasm.__wbindgen_destroy_closure(state.a, state.b);
            state.a = 0;
            CLOSURE_DTORS.unregister(state);
        }
    };
    CLOSURE_DTORS.register(real, state, state);
    return real;
}
makeMutClosure = __unbrick_rt.closureFactory(makeMutClosure);

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;


let wasm;
export function __wbg_set_wasm(val) {
    wasm = val;
}
function __unbrick_reset() {
    AccumulatorFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_accumulator_free(ptr, 1)));
    SnapshotFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(ptr => wasm.__wbg_snapshot_free(ptr, 1)));
    CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(__unbrick_rt.finalizer(state => wasm.__wbindgen_destroy_closure(state.a, state.b)));
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
    cachedTextDecoder.decode();
    numBytesDecoded = 0;
    WASM_VECTOR_LEN = 0;
}
function __unbrick_state() {
    return [AccumulatorFinalization, SnapshotFinalization, CLOSURE_DTORS, cachedDataViewMemory0, cachedUint8ArrayMemory0, cachedTextDecoder, numBytesDecoded, WASM_VECTOR_LEN];
}
function __unbrick_set_state(values) {
    AccumulatorFinalization = values[0];
    SnapshotFinalization = values[1];
    CLOSURE_DTORS = values[2];
    cachedDataViewMemory0 = values[3];
    cachedUint8ArrayMemory0 = values[4];
    cachedTextDecoder = values[5];
    numBytesDecoded = values[6];
    WASM_VECTOR_LEN = values[7];
}
function __unbrick_set_wasm(exports) {
    wasm = exports;
}
