// wasm-unbrick runtime. Embedded verbatim into patched wasm-bindgen glue, so
// it declares exactly one function and depends on nothing.
//
// config: { version, mode, policy, maxAborts, windowMs, standby, rollback, stackPointer, externrefStackPointer,
//           funcTables, memory, globals, externrefTables, importParams, catchImports, variants, ehMode },
//         complete (written by the core's glue::patch::RuntimeConfig; no defaults here).
// glue:   { reset(), state(), setState(values), setWasm(exports), ehSupport() } —
//         supplied by the patched glue: reset() assigns the module-level state
//         its initial values, state() returns those values, setState() assigns
//         them; ehSupport (runtime/eh-support.js) only with `config.variants`.
function __unbrickRuntime(config, glue) {
    'use strict';

    // `make()`, with no stack trace taken of the errors it makes: a trace in
    // structured form (V8's frames until it is first read, Deno's call sites
    // after) holds the frames' instance, and with it the dead memory.
    function untraced(make) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return make();
        } finally {
            Error.stackTraceLimit = limit;
        }
    }

    // Errors that outlive an abort (kept in a log, say) hold their stack as
    // text only.
    function withTextStack(make, stack) {
        const e = untraced(make);
        Object.defineProperty(e, 'stack', { value: stack, writable: true, configurable: true });
        return e;
    }

    // What WasmAbortError.cause holds of the error that ended an instance:
    // an error of the same class, message and stack text.
    function textOnly(cause) {
        if (!(cause instanceof Error) || cause instanceof WasmAbortError) return cause;
        const of = typeof cause.constructor === 'function' ? cause.constructor : Error;
        return withTextStack(() => Reflect.construct(Error, [cause.message], of), String(cause.stack));
    }

    class WasmAbortError extends Error {
        constructor(message, details) {
            super(message, { cause: details.cause });
            this.name = 'WasmAbortError';
            this.generation = details.generation;
            if (details.panicMessage !== undefined) this.panicMessage = details.panicMessage;
            // The checkpoint the next instance is restored to (rollback).
            if (details.checkpoint !== undefined) this.checkpoint = details.checkpoint;
        }
    }

    // The runtime's WasmAbortErrors, with their stack as text.
    function newAbortError(message, details) {
        const stack = String(new Error(message).stack).replace(/^Error/, 'WasmAbortError');
        return withTextStack(() => new WasmAbortError(message, details), stack);
    }

    // `cause`: the WasmAbortError that ended that generation, when it is the
    // newest (a package's own error handler that touches the dead object
    // then still shows why).
    class StaleHandleError extends Error {
        constructor(what, generation) {
            super(`${what} belongs to Wasm instance generation ${generation}, which was terminated; ` +
                'create a new one', lastAbortError?.generation === generation ? { cause: lastAbortError } : undefined);
            this.name = 'StaleHandleError';
            this.generation = generation;
        }
    }

    const GEN = Symbol('unbrick.generation');
    const PTR = Symbol('unbrick.ptr');
    const funcTables = new Set(config.funcTables);
    const catchImports = new Set(config.catchImports);
    // Exception handling of the module to load: 'none' (panic=abort, or the
    // reinit-only variant), 'legacy' or 'modern' (panic=unwind: a panic
    // unwinds and is no abort). With `config.variants` (mode -> file suffix)
    // the best one the engine supports is chosen, or `config.ehMode`.
    const selectedMode = selectMode();
    const wasmSuffix = config.variants !== null ? config.variants[selectedMode] : '';
    // That of the module actually instantiated, which the host may have
    // chosen itself (`initSync({ module })`, a Workers module binding): the
    // guards follow it.
    let mode = selectedMode;
    let jsTag = null;          // the tag standing in for WebAssembly.JSTag, in legacy mode
    let trapError = null;      // an error from a trap: Wasm code cannot catch it
    let deadError;             // what the guard reports for an unwinding dead instance

    let policy = config.policy;
    let maxAborts = config.maxAborts;
    let windowMs = config.windowMs;

    let module = null;        // the compiled WebAssembly.Module, kept for re-instantiation
    let liveExports = null;   // the guarded exports of the newest instance, emptied when it is replaced
    let rawImports = null;    // the glue's own imports object
    let generation = 0;       // generation of the newest instance
    let instantiated = false;
    // The stack pointer globals, when exported: the shadow stack's and the
    // externref table's borrowed-reference stack's; with their values while
    // no Wasm frame is on the stack.
    let stackPointer = null;
    let baseStackPointer = 0;
    let externrefStackPointer = null;
    let baseExternrefStackPointer = 0;
    let lastImportError;      // the last exception seen leaving an import
    let abortError = null;    // why the newest instance is terminated
    let lastAbortError = null;  // the newest abort's error, kept after recovery (text only)
    let pendingPanic;         // console_error_panic_hook's message, until the abort
    let crashLooped = false;
    // Re-creation off the call path, with WebAssembly.instantiate: eager
    // policy, and wherever the engine refuses a synchronous instance
    // (Chromium's main thread, for modules over 8 MB). Learnt by trying.
    let syncRefused = false;
    let recovering = null;    // the pending asynchronous re-creation, if any
    // Standby: a spare instance of the module, made off the critical path
    // for the next generation, which an abort swaps in without compiling or
    // instantiating anything. Nothing of the glue points at it before that.
    let standby = config.standby === true;
    let standbyChosen = false; // set by the host at run time
    let spare = null;         // { gen, instance, loaded, exports, fresh } once made (see prepare, loadSpare)
    let spareWanted = false;  // a spare is scheduled or being made
    let spent = null;         // the guarded exports of the replaced instance, emptied off the call path
    let preparingGen = null;  // the generation whose glue state is being made ahead (for its finalizers)
    // Rollback: 'none'; 'checkpoint', the next instance is restored to the
    // last __unbrick.checkpoint(); 'every-call', a checkpoint is taken at
    // the entry of every top-level call (the state between calls).
    let rollback = config.rollback;
    let lastCheckpoint = null; // { id, generation, epoch, memory, globals, tables, glue } (see record)
    let checkpointIds = 0;
    // Objects and Rust closures are stamped with an epoch, and owner[epoch]
    // is the generation whose instance holds that epoch's objects: a fresh
    // instance opens a new epoch, a checkpoint closes the current one, and a
    // rollback hands the epochs up to the checkpoint's on to the restored
    // instance (those after it stay with the dead one: stale).
    const owner = [0];
    let epoch = 0;
    let epochUsed = false;    // something was stamped with the current epoch
    let failedReinit = null;  // the WasmAbortError of a failed re-creation, for the next call
    let readyWaiters = null;  // { promise, resolve, reject } behind `handle.ready`, made on demand
    // The promises made by the glue's `new Promise(cb)` (js_sys::Promise::new)
    // or by `settle` that have not settled, as { promise, reject, at,
    // returned }, and the newest. An array, not a Set: hashing a promise or
    // a function for every async call cost more than the call (an async
    // export 1.65x -> 1.3x).
    let madePromises = [];
    const afterCall = Promise.resolve();
    let newestPromise = null;
    const abortTimes = [];
    const abortListeners = new Set();
    const reinitListeners = new Set();
    const stats = {
        aborts: 0, reinits: 0, reinitFailures: 0, staleRejected: 0, jsExceptions: 0, standbyUsed: 0, checkpoints: 0,
        rollbacks: 0,
    };

    // Read by the glue on every call: `liveGen` is the generation of the
    // live instance (-1 while terminated). `inImports` counts the imports on
    // the JS stack: 0 means no Wasm frame is below the current export call.
    // (Counted in the imports rather than the exports, which are hotter.)
    // Everything the glue reads, in one object literal: made at once, it keeps
    // V8's fast properties (adding twenty to an object turned it into a
    // dictionary, which cost every call a hash lookup of `live`).
    // `live`, `raw` (the raw exports, for the glue's direct calls) and
    // `aborted` are added by the first instance instead: a field that has
    // been written only once is a constant to V8, so until the first abort
    // the entry check, the direct call's target and the stale-object check
    // fold away (then they are loads).
    const rt = {
        liveGen: -1, inImports: 0,
        throwTerminated, classify, handle: null, Instance, instantiate, instantiateStreaming, revive, isStale,
        guardClass, finalizer, closureFactory, hostCallback, consoleError, promise, settle, pick, wasmSuffix,
    };

    function selectMode() {
        if (config.variants === null) return config.mode;
        if (config.ehMode !== 'auto') return config.ehMode;
        const support = glue.ehSupport();
        if (support.refused !== undefined) {
            // What the unpatched glue would load; the module instantiated decides.
            console.warn(`wasm-unbrick: the engine refuses to compile Wasm here (${support.refused}), so its ` +
                `exception handling was not probed; choosing the module's own build (${config.mode})`);
            return config.mode;
        }
        const order = config.mode === 'legacy' ? ['legacy', 'modern'] : ['modern', 'legacy'];
        return order.find((m) => support[m] && config.variants[m] !== undefined) || 'none';
    }

    // The mode a variant's custom section names; a module without one is
    // the build's own.
    function modeOf(compiled) {
        if (config.variants === null && config.mode === 'none') return 'none';
        const [section] = WebAssembly.Module.customSections(compiled, 'wasm-unbrick.eh');
        return section !== undefined ? String.fromCharCode(...new Uint8Array(section)) : config.mode;
    }

    // A trap's error, for unwinding a dead instance of a module with
    // exception handling: made by the module's own trapping export (the
    // transform adds one) or, for a module without, by compiling one at
    // instantiation, while engines still allow it (workerd refuses inside a
    // request). Never another error: Wasm code could catch that.
    // Made untraced: a stack would hold the instance.
    function makeTrapError(exports) {
        return untraced(() => {
            try {
                if (typeof exports?.__unbrick_trap === 'function') exports.__unbrick_trap();
                // (module (func (export "t") unreachable))
                const bytes = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 116, 0, 0, 10, 5, 1, 3, 0, 0, 11];
                new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes))).exports.t();
            } catch (e) {
                if (e instanceof WebAssembly.RuntimeError) return e;
                console.warn(`wasm-unbrick: no trap can be made here (${String(e)}); Rust code of an aborted ` +
                    'instance may catch its abort');
            }
            return null;
        });
    }

    // What unwinds the frames of an instance that died under them. Where
    // Wasm code can catch, a trap's error: no landing pad runs inside the
    // dead instance, and the export guard turns it back into the abort
    // error. Without exception handling, that error itself.
    function unwindDead() {
        deadError = terminatedError();
        if (mode === 'none') return deadError;
        if (trapError === null) trapError = makeTrapError(rt.raw);
        return trapError ?? deadError;
    }

    // With rollback 'every-call', `live` stays false: every entry check
    // calls revive(), which takes the checkpoint.
    function setLive(gen) {
        rt.liveGen = gen;
        rt.live = gen !== -1 && rollback !== 'every-call';
    }

    function deadCall(gen, what) {
        if (gen !== generation) {
            stats.staleRejected++;
            throw new StaleHandleError(what, gen);
        }
        throw terminatedError();
    }

    // A glue helper's direct call while `live` is false: refused if the
    // instance is terminated.
    function throwTerminated() {
        if (rt.liveGen === -1) throw terminatedError();
    }

    function terminatedError() {
        if (crashLooped) {
            return newAbortError(
                `Wasm module terminated: ${maxAborts + 1} aborts within ${windowMs} ms; ` +
                'call __unbrick.reinit() to try again', { cause: abortError, generation });
        }
        if (abortError !== null) return abortError;
        return newAbortError('Wasm module terminated', { generation });
    }

    // Everything that leaves a guarded export lands here.
    function classify(e) {
        if (e === trapError && trapError !== null) return deadError;
        if (jsTag !== null && e instanceof WebAssembly.Exception && e.is(jsTag)) e = e.getArg(jsTag, 0);
        const unwound = e === lastImportError ||
            // A Rust panic unwinding out of an export of a panic=unwind module.
            (mode !== 'none' && WebAssembly.Exception !== undefined && e instanceof WebAssembly.Exception);
        if (unwound) {
            // Not an abort, but the frames it skipped may have lowered the
            // shadow stack pointer. A panic reported meanwhile was recovered.
            lastImportError = undefined;
            pendingPanic = undefined;
            stats.jsExceptions++;
            if (rt.inImports === 0 && rt.liveGen !== -1) {
                if (stackPointer !== null) stackPointer.value = baseStackPointer;
                if (externrefStackPointer !== null) externrefStackPointer.value = baseExternrefStackPointer;
            }
            return e;
        }
        if (e instanceof WasmAbortError || e instanceof StaleHandleError) return e;
        if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError ||
            (WebAssembly.Exception !== undefined && e instanceof WebAssembly.Exception) ||
            (e !== null && typeof e === 'object' && e.name === 'InternalError')) {
            return abort(carried(e));
        }
        // Raised by the JS-to-Wasm boundary (argument conversion) before Wasm ran.
        return e;
    }

    function abort(cause) {
        if (rt.liveGen === -1) return terminatedError();
        const gen = rt.liveGen;
        setLive(-1);
        if (!rt.aborted) rt.aborted = true;
        stats.aborts++;
        const now = Date.now();
        abortTimes.push(now);
        while (abortTimes.length > 0 && now - abortTimes[0] > windowMs) abortTimes.shift();
        crashLooped = abortTimes.length > maxAborts;

        const panicMessage = pendingPanic;
        pendingPanic = undefined;
        const what = panicMessage !== undefined
            ? panicMessage.split('\n\nStack:')[0].trim().replace(/\s*\n\s*/g, ' ') : String(cause);
        const recoverNow = !crashLooped && (policy === 'eager' || (policy === 'lazy' && syncRefused));
        const checkpoint = rollback !== 'none' && lastCheckpoint !== null ? lastCheckpoint.id : undefined;
        const then = crashLooped ? 'the module stays terminated until __unbrick.reinit()'
            : policy === 'manual' ? 'call __unbrick.reinit() to re-create it'
                : recoverNow ? 'it is being re-created (await __unbrick.ready)'
                    : 'it is re-created on the next call';
        const restored = checkpoint !== undefined ? `, restored to checkpoint ${checkpoint}` : '';
        abortError = newAbortError(`Wasm instance generation ${gen} aborted (${what}); ${then}${restored}`,
            { cause: textOnly(cause), generation: gen, panicMessage, checkpoint });
        lastAbortError = abortError;

        const made = madePromises;
        madePromises = [];
        newestPromise = null;
        for (const entry of made) {
            entry.at = -1;
            if (entry.returned) entry.reject(abortError);
        }
        notify(abortListeners, [abortError]);
        // After the failing call has unwound: a spare swapped in here would
        // run its start, and reset the glue state, under the dead frames.
        if (recoverNow) afterCall.then(recreateAsync);
        return abortError;
    }

    function notify(listeners, args) {
        for (const listener of listeners) {
            try {
                listener(...args);
            } catch (e) {
                queueMicrotask(() => { throw e; });
            }
        }
    }

    // For the glue's calls that are not direct: a guard of the export's own
    // arity (a Wasm function's `length` is its parameter count), which makes
    // no `arguments` object.
    function guardExport(fn, gen, name) {
        const live = () => {
            if (rt.liveGen !== gen) deadCall(gen, `Wasm export ${name}`);
        };
        switch (fn.length) {
            case 0: return () => { live(); try { return fn(); } catch (e) { throw classify(e); } };
            case 1: return (a) => { live(); try { return fn(a); } catch (e) { throw classify(e); } };
            case 2: return (a, b) => { live(); try { return fn(a, b); } catch (e) { throw classify(e); } };
            case 3: return (a, b, c) => { live(); try { return fn(a, b, c); } catch (e) { throw classify(e); } };
            case 4: return (a, b, c, d) => {
                live(); try { return fn(a, b, c, d); } catch (e) { throw classify(e); }
            };
            default: return (...args) => { live(); try { return fn(...args); } catch (e) { throw classify(e); } };
        }
    }

    function guardTable(table, gen, name) {
        return {
            get(index) {
                const f = table.get(index);
                return typeof f === 'function' ? guardExport(f, gen, `${name}[${index}]`) : f;
            },
            set(index, value) { return table.set(index, value); },
            grow(delta, value) { return table.grow(delta, value); },
            get length() { return table.length; },
        };
    }

    // What the glue's `wasm` binding holds. fromEntries keeps the object in
    // V8's fast-properties mode.
    function guardExports(raw, gen) {
        return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name,
            typeof value === 'function' ? guardExport(value, gen, name)
                : funcTables.has(name) ? guardTable(value, gen, name) : value]));
    }

    // The guarded exports of a replaced instance, which the glue (the web
    // target's `wasmInstance`), the bundler entry (its `wasm`) or the host
    // (what `init()` returned) may still hold: emptied, so that they hold
    // neither the instance nor its memory. Its functions stay, refusing.
    // Deleting the first property first moves the object off the shape the
    // live exports share, so that their properties stay constant for V8.
    function empty(exports, gen) {
        for (const [name, value] of Object.entries(exports)) {
            delete exports[name];
            if (typeof value === 'function') exports[name] = () => deadCall(gen, `Wasm export ${name}`);
        }
    }

    // A wrapper of the import's own arity (`params`, from the core): Wasm
    // calls it without adapting arguments and it makes no `arguments`
    // object (a generic one cost a JS callback from Rust 1.2x).
    function wrapImport(fn, gen, params) {
        const enter = () => {
            if (rt.liveGen !== gen) throw unwindDead();
            rt.inImports++;
        };
        // What to throw into Wasm for `e`, thrown by the import.
        const failed = (e) => {
            rt.inImports--;
            if (rt.liveGen !== gen) return unwindDead();
            lastImportError = e;
            // Legacy EH cannot catch JS exceptions by tag: carry them in one.
            return jsTag !== null && !(e instanceof WebAssembly.Exception) ? new WebAssembly.Exception(jsTag, [e]) : e;
        };
        const returned = (result) => {
            rt.inImports--;
            // A callback may have caught the abort of a nested call: never
            // return into the instance that died meanwhile.
            if (rt.liveGen !== gen) throw unwindDead();
            return result;
        };
        switch (params) {
            case 0: return () => { let r; enter(); try { r = fn(); } catch (e) { throw failed(e); } return returned(r); };
            case 1: return (a) => { let r; enter(); try { r = fn(a); } catch (e) { throw failed(e); } return returned(r); };
            case 2: return (a, b) => {
                let r; enter(); try { r = fn(a, b); } catch (e) { throw failed(e); } return returned(r);
            };
            case 3: return (a, b, c) => {
                let r; enter(); try { r = fn(a, b, c); } catch (e) { throw failed(e); } return returned(r);
            };
            case 4: return (a, b, c, d) => {
                let r; enter(); try { r = fn(a, b, c, d); } catch (e) { throw failed(e); } return returned(r);
            };
            case 5: return (a, b, c, d, f) => {
                let r; enter(); try { r = fn(a, b, c, d, f); } catch (e) { throw failed(e); } return returned(r);
            };
            default: return (...args) => {
                let r; enter(); try { r = fn(...args); } catch (e) { throw failed(e); } return returned(r);
            };
        }
    }

    // A `catch` import of a panic=unwind module, in the reinit-only variant:
    // its Wasm handler is stripped, so a JS exception is handed to Rust here
    // as that handler did (in the externref table, through the store the
    // variant exports), and the import returns.
    function catchInto(fn, gen) {
        return (...args) => {
            try {
                return fn(...args);
            } catch (thrown) {
                if (rt.liveGen !== gen || thrown === trapError) throw thrown;
                // Glue made for legacy EH carries JS exceptions in a tag of
                // its own (`__wbindgen_jstag`), which only Wasm would unwrap.
                const tag = glueJsTag();
                const e = tag !== null && thrown instanceof WebAssembly.Exception && thrown.is(tag)
                    ? thrown.getArg(tag, 0) : thrown;
                const raw = rt.raw;
                const slot = raw.__externref_table_alloc();
                raw.__wbindgen_externrefs.set(slot, e);
                raw.__unbrick_exn_store(slot);
                return undefined;
            }
        };
    }

    // The JS value (a PanicError, say) that a WebAssembly.Exception carries
    // in a tag for JS exceptions (the glue imports those it throws with,
    // such as `__wbindgen_wrapped_jstag`); `e` itself otherwise.
    function carried(e) {
        if (WebAssembly.Exception === undefined || !(e instanceof WebAssembly.Exception)) return e;
        const imported = Object.values(rawImports).flatMap((ns) => Object.values(ns ?? {}));
        const tag = [jsTag, WebAssembly.JSTag, ...imported].find((t) => t instanceof WebAssembly.Tag && e.is(t));
        return tag !== undefined ? e.getArg(tag, 0) : e;
    }

    // The tag the glue passes as `__wbindgen_jstag`, when it is its own.
    function glueJsTag() {
        for (const ns of Object.keys(rawImports)) {
            const tag = rawImports[ns]?.__wbindgen_jstag;
            if (tag instanceof WebAssembly.Tag && tag !== WebAssembly.JSTag) return tag;
        }
        return null;
    }

    function wrapImports(gen) {
        const wrapped = {};
        let functions = 0;
        for (const { module: ns, name, kind } of WebAssembly.Module.imports(module)) {
            const catching = mode === 'none' && kind === 'function' && catchImports.has(functions);
            const params = kind === 'function' ? config.importParams[functions++] : undefined;
            const given = rawImports[ns];
            // Left out, so that the engine reports the glue's mistake as it would.
            if (given === null || (typeof given !== 'object' && typeof given !== 'function')) continue;
            let value = given[name];
            // Glue made for modern EH passes WebAssembly.JSTag (missing on
            // Node 20); a legacy variant needs a tag of its own instead.
            if (kind === 'tag' && mode === 'legacy' && (value === undefined || value === WebAssembly.JSTag)) {
                if (jsTag === null) jsTag = new WebAssembly.Tag({ parameters: ['externref'] });
                value = jsTag;
            }
            if (wrapped[ns] === undefined) wrapped[ns] = {};
            if (typeof value === 'function') value = wrapImport(catching ? catchInto(value, gen) : value, gen, params);
            wrapped[ns][name] = value;
        }
        return wrapped;
    }

    // Makes `instance` the live one, of generation `gen`, with its guarded
    // exports. Those of the instance it replaces are emptied after the call
    // (or before the next replacement: at most one dead instance is held).
    function adopt(instance, gen, exports) {
        if (liveExports !== null) {
            emptySpent();
            spent = liveExports;
        }
        const raw = instance.exports;
        rt.raw = raw;
        if (!instantiated) rt.aborted = false;
        stackPointer = config.stackPointer ? raw[config.stackPointer] || null : null;
        baseStackPointer = stackPointer !== null ? stackPointer.value : 0;
        externrefStackPointer = config.externrefStackPointer ? raw[config.externrefStackPointer] || null : null;
        baseExternrefStackPointer = externrefStackPointer !== null ? externrefStackPointer.value : 0;
        generation = gen;
        abortError = null;
        failedReinit = null;
        lastImportError = undefined;
        instantiated = true;
        setLive(gen);
        liveExports = exports;
    }

    // What a new instance of generation `gen` needs besides itself, made
    // ahead for a spare: its guarded exports and the glue's fresh state.
    // The fresh state is made by resetting the glue and taking the result,
    // then putting the live state back (synchronous, between calls); the
    // finalizers it registers are those of generation `gen`.
    function prepare(instance, gen) {
        const exports = guardExports(instance.exports, gen);
        const live = glue.state();
        preparingGen = gen;
        try {
            glue.reset();
            return { exports, fresh: glue.state() };
        } finally {
            preparingGen = null;
            glue.setState(live);
        }
    }

    // (The spent exports are of the generation before the newest.)
    function emptySpent() {
        if (spent === null) return;
        empty(spent, generation - 1);
        spent = null;
    }

    function fakeInstance(exports) {
        return Object.create(WebAssembly.Instance.prototype, {
            exports: { value: exports, enumerable: true },
        });
    }

    // Keeps what a later instance is made from; returns the first one's imports.
    function firstImports(compiled, imports) {
        module = compiled;
        rawImports = imports;
        mode = modeOf(compiled);
        if (mode !== 'none' && !WebAssembly.Module.exports(compiled).some((e) => e.name === '__unbrick_trap')) {
            trapError = makeTrapError(null);
        }
        return wrapImports(generation);
    }

    // Stand-ins for the WebAssembly API at the glue's instantiation sites: a
    // synchronous site instantiates synchronously, an asynchronous one
    // asynchronously, as the glue did (Chromium refuses a synchronous
    // instance of a large module on the main thread). A failed first
    // instance leaves the module uninitialized, with the engine's error.
    function Instance(compiled, imports) {
        let instance;
        try {
            instance = new WebAssembly.Instance(compiled, firstImports(compiled, imports));
        } catch (e) {
            settleReady(e);
            throw e;
        }
        return adoptFirst(instance);
    }

    async function instantiateModule(compiled, imports) {
        let instance;
        try {
            instance = await WebAssembly.instantiate(compiled, firstImports(compiled, imports));
        } catch (e) {
            settleReady(e);
            throw e;
        }
        return adoptFirst(instance);
    }

    function adoptFirst(instance) {
        const exports = guardExports(instance.exports, generation);
        adopt(instance, generation, exports);
        settleReady(null);
        scheduleSpare();
        return fakeInstance(exports);
    }

    async function instantiate(source, imports) {
        if (source instanceof WebAssembly.Module) return instantiateModule(source, imports);
        const compiled = await WebAssembly.compile(source);
        return { module: compiled, instance: await instantiateModule(compiled, imports) };
    }

    async function instantiateStreaming(source, imports) {
        const compiled = await WebAssembly.compileStreaming(source);
        return { module: compiled, instance: await instantiateModule(compiled, imports) };
    }

    // Compiles a URL (file: in Node, fetch elsewhere) and instantiates it: the
    // bundler target's loader, which has no glue-side instantiation.
    // `bind`: the glue has no code of its own that takes the first
    // instance's exports (the bundler target before wasm-bindgen 0.2.84).
    async function load(url, imports, bind = false) {
        let compiled;
        if (url.protocol === 'file:' && typeof process === 'object' && process.versions?.node) {
            const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
            compiled = await WebAssembly.compile(await fs.readFile(url));
        } else if (typeof WebAssembly.compileStreaming === 'function') {
            const response = await fetch(url);
            compiled = await WebAssembly.compileStreaming(response.clone())
                .catch(() => response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes)));
        } else {
            compiled = await WebAssembly.compile(await (await fetch(url)).arrayBuffer());
        }
        const { exports } = await instantiateModule(compiled, imports);
        if (bind) glue.setWasm(exports);
        return exports;
    }

    // Re-creation asked for by the host: also resets the crash-loop guard.
    // Where a synchronous instance is refused it continues asynchronously
    // (`handle.ready` resolves when it is live).
    function reinit() {
        if (!instantiated) throw new Error('wasm-unbrick: the Wasm module was never instantiated');
        if (rt.liveGen !== -1) abort(new Error('re-initialized by __unbrick.reinit()'));
        crashLooped = false;
        abortTimes.length = 0;
        failedReinit = null;
        if (!recreateSync()) recreateAsync();
    }

    // Re-creates the instance now; false where the engine refuses to make
    // one synchronously (then it is never tried synchronously again).
    function recreateSync() {
        if (takeSpare()) return true;
        if (syncRefused) return false;
        const gen = generation + 1;
        let instance;
        try {
            instance = new WebAssembly.Instance(module, wrapImports(gen));
        } catch {
            syncRefused = true;
            // Every later abort would wait for an instance: keep a spare
            // instead, unless the host chose otherwise.
            if (!standbyChosen) standby = true;
            return false;
        }
        recovering = null; // a pending asynchronous instance is not wanted any more
        start(instance, gen);
        return true;
    }

    function recreateAsync() {
        // (Live again: re-created on the call path since it was asked for.)
        if (rt.liveGen !== -1 || recovering !== null || takeSpare()) return;
        const gen = generation + 1;
        const attempt = WebAssembly.instantiate(module, wrapImports(gen)).then((instance) => {
            if (recovering !== attempt) return; // re-created synchronously meanwhile
            recovering = null;
            try {
                start(instance, gen);
            } catch (e) {
                if (rt.liveGen === gen) setLive(-1);
                reinitFailed(e, gen);
            }
        }, (e) => {
            if (recovering !== attempt) return;
            recovering = null;
            reinitFailed(e, gen);
        });
        recovering = attempt;
    }

    // Hands the new instance of generation `gen` to the glue: restored to
    // the last checkpoint with rollback on, else fresh and started. `made`:
    // what prepare() makes, made ahead for a spare. The old exports are
    // emptied and the next spare scheduled after the current task.
    function start(instance, gen, made = prepare(instance, gen)) {
        const before = generation;
        adopt(instance, gen, made.exports);
        const restored = rollback !== 'none' && lastCheckpoint !== null && restore(made, before);
        if (!restored) {
            glue.setState(made.fresh);
            epoch = owner.length;
            owner.push(gen);
            epochUsed = false;
        }
        glue.setWasm(made.exports);
        stats.reinits++;
        if (!restored) runStart(gen);
        notify(reinitListeners, [generation]);
        settleReady(null);
        // A promise reaction rather than queueMicrotask, which costs Node an
        // async resource (60 µs on the first call, 4 µs after).
        afterCall.then(afterStart);
    }

    function afterStart() {
        emptySpent();
        scheduleSpare();
    }

    // The spare made for the next generation becomes the live instance;
    // not one that holds a checkpoint's memory where no checkpoint, or a
    // smaller one, is to be restored.
    function takeSpare() {
        if (spare === null || spare.gen !== generation + 1) return false;
        if (spare.loaded !== null && spare.loaded !== lastCheckpoint &&
            (rollback === 'none' || lastCheckpoint === null ||
                spare.loaded.memory.byteLength > lastCheckpoint.memory.byteLength)) {
            spare = null;
            return false;
        }
        const made = spare;
        spare = null;
        recovering = null;
        stats.standbyUsed++;
        start(made.instance, made.gen, made);
        return true;
    }

    // The glue state as a checkpoint keeps it, or as a restore hands it
    // out: containers copied (the live ones change), memory views dropped
    // (a new memory is viewed anew).
    function copyState(value) {
        if (Array.isArray(value)) return value.slice();
        if (value instanceof Map) return new Map(value);
        if (value instanceof Set) return new Set(value);
        if (ArrayBuffer.isView(value)) return null;
        return value;
    }

    // Records the live instance's state, between calls: its memory (into the
    // last checkpoint's buffer when the size is the same), its mutable
    // globals and externref tables, and the glue's state. Closes the epoch.
    function record() {
        const raw = rt.raw;
        const memory = raw[config.memory].buffer;
        const reused = lastCheckpoint !== null && lastCheckpoint.memory.byteLength === memory.byteLength;
        const copy = reused ? lastCheckpoint.memory : new ArrayBuffer(memory.byteLength);
        new Uint8Array(copy).set(new Uint8Array(memory));
        if (epochUsed) {
            epoch = owner.length;
            owner.push(generation);
            epochUsed = false;
        }
        stats.checkpoints++;
        lastCheckpoint = {
            id: ++checkpointIds,
            generation,
            epoch: epoch - 1,
            memory: copy,
            globals: config.globals.map((name) => raw[name].value),
            tables: config.externrefTables.map((name) => {
                const table = raw[name];
                const values = new Array(table.length);
                for (let i = 0; i < values.length; i++) values[i] = table.get(i);
                return values;
            }),
            glue: glue.state().map(copyState),
        };
        if (spare !== null && rollback === 'checkpoint') whenIdle(loadSpare);
        return lastCheckpoint.id;
    }

    // Restores the just adopted instance of generation `generation` to the
    // last checkpoint, in place of its start; false (the checkpoint dropped)
    // if it cannot be. The objects of the epochs up to the checkpoint's that
    // generation `before` held are handed on; the rest stay stale.
    function restore(made, before) {
        const cp = lastCheckpoint;
        const raw = rt.raw;
        try {
            // A spare may hold it already.
            if (made.loaded !== cp) copyMemory(raw[config.memory], cp.memory);
            config.globals.forEach((name, i) => { raw[name].value = cp.globals[i]; });
            config.externrefTables.forEach((name, i) => {
                const table = raw[name];
                const values = cp.tables[i];
                if (table.length < values.length) table.grow(values.length - table.length);
                for (let j = 0; j < values.length; j++) table.set(j, values[j]);
            });
        } catch (e) {
            lastCheckpoint = null;
            console.warn(`wasm-unbrick: checkpoint ${cp.id} could not be restored (${String(e)}); the instance starts fresh`);
            return false;
        }
        if (stackPointer !== null) baseStackPointer = stackPointer.value;
        if (externrefStackPointer !== null) baseExternrefStackPointer = externrefStackPointer.value;
        // Finalization registries are the new generation's: those of the
        // checkpoint run nothing once their generation is dead.
        glue.setState(cp.glue.map((value, i) => (value instanceof FinalizationRegistry || ArrayBuffer.isView(value)
            ? made.fresh[i] : copyState(value))));
        for (let e = 0; e <= cp.epoch; e++) {
            if (owner[e] === before) owner[e] = generation;
        }
        epoch = owner.length;
        owner.push(generation);
        epochUsed = false;
        stats.rollbacks++;
        return true;
    }

    // __unbrick.checkpoint(): between calls, with no async export pending.
    function checkpoint() {
        if (rollback === 'none') {
            throw new Error("wasm-unbrick: rollback is 'none': set __unbrick.rollback = 'checkpoint' (or patch with " +
                '--rollback checkpoint) to checkpoint');
        }
        if (!instantiated || rt.liveGen === -1) throw new Error('wasm-unbrick: no live instance to checkpoint');
        if (rt.inImports > 0) throw new Error('wasm-unbrick: a checkpoint cannot be taken while a Wasm frame is on the stack');
        if (madePromises.length > 0) {
            throw new Error('wasm-unbrick: a checkpoint cannot be taken while an async export or another promise of ' +
                `the module is pending (${madePromises.length} pending)`);
        }
        if (config.memory === null) throw new Error('wasm-unbrick: the module exports no memory to checkpoint');
        return record();
    }

    // Makes the next spare when the program is idle: after the current
    // task, asynchronously, so that neither the call that made the instance
    // live nor the one that aborted pays for it.
    function scheduleSpare() {
        if (!standby || spareWanted || module === null) return;
        if (spare !== null && spare.gen === generation + 1) return;
        spare = null;
        spareWanted = true;
        whenIdle(makeSpare);
    }

    function makeSpare() {
        const gen = generation + 1;
        if (!standby) {
            spareWanted = false;
            return;
        }
        const made = (instance) => {
            spareWanted = false;
            // Not wanted any more: switched off, or that generation was made meanwhile.
            if (!standby || gen !== generation + 1) {
                scheduleSpare();
                return;
            }
            const ready = prepare(instance, gen);
            // Called once here, where they return at once, so that the
            // first swap of a process does not also pay V8's lazy
            // compilation of them (the fixture's first swap: 110 -> 85 µs).
            takeSpare();
            if (rt.liveGen !== -1 && rollback !== 'every-call') revive();
            spare = { gen, instance, loaded: null, ...ready };
            loadSpare();
        };
        const failed = () => {
            spareWanted = false; // re-creation makes its own instance, and reports its failure
        };
        try {
            WebAssembly.instantiate(module, wrapImports(gen)).then(made, failed);
        } catch {
            failed();
        }
    }

    // When the program is idle; where timers are refused (workerd's global
    // scope, where a Worker's glue may be initialised), after the current task.
    function whenIdle(fn) {
        try {
            if (typeof requestIdleCallback === 'function') requestIdleCallback(fn);
            else setTimeout(fn, 0);
        } catch {
            afterCall.then(fn);
        }
    }

    // With rollback to a manual checkpoint and a standby, the spare is given
    // the checkpoint's memory ahead, when the program is idle, so that the
    // swap copies nothing (`spare.loaded`: the checkpoint it holds). A spare
    // holding another, larger checkpoint is made again.
    function loadSpare() {
        const cp = lastCheckpoint;
        if (spare === null || rollback !== 'checkpoint' || cp === null || spare.loaded === cp) return;
        try {
            const memory = spare.instance.exports[config.memory];
            if (memory.buffer.byteLength > cp.memory.byteLength) throw new RangeError('holds a larger checkpoint');
            copyMemory(memory, cp.memory);
            spare.loaded = cp;
        } catch {
            spare = null;
            scheduleSpare();
        }
    }

    // Grows `memory` to the size of the checkpoint's copy and writes it in.
    function copyMemory(memory, copy) {
        const missing = (copy.byteLength - memory.buffer.byteLength) / 65536;
        if (missing > 0) memory.grow(missing);
        new Uint8Array(memory.buffer).set(new Uint8Array(copy));
    }

    // A start that throws leaves its instance half-initialized, whatever it
    // threw (a trap, or a panic unwinding out of a panic=unwind module): the
    // instance is aborted, which counts toward the crash-loop guard.
    function runStart(gen) {
        const run = rt.raw.__wbindgen_start;
        if (typeof run !== 'function') return;
        try {
            run();
        } catch (e) {
            lastImportError = undefined;
            throw rt.liveGen === gen ? abort(carried(e)) : terminatedError();
        }
    }

    // A re-creation that failed off the call path: the next call throws it,
    // onReinit listeners get it, `handle.ready` rejects with it.
    function reinitFailed(cause, gen) {
        stats.reinitFailures++;
        failedReinit = newAbortError(`Wasm instance generation ${gen} could not be created (${String(cause)})`,
            { cause: textOnly(cause), generation: gen - 1 });
        notify(reinitListeners, [gen, failedReinit]);
        settleReady(failedReinit);
    }

    function recoveringError() {
        return newAbortError(`Wasm instance generation ${generation} aborted and its successor is being ` +
            'created asynchronously; await __unbrick.ready, then call again', { cause: abortError, generation });
    }

    // Settles the promise behind `handle.ready`: with null once an instance is live.
    function settleReady(error) {
        if (readyWaiters === null) return;
        const waiters = readyWaiters;
        readyWaiters = null;
        if (error === null) waiters.resolve(generation);
        else waiters.reject(error);
    }

    function ready() {
        if (rt.liveGen !== -1) return Promise.resolve(generation);
        if (readyWaiters === null) {
            const waiters = {};
            waiters.promise = new Promise((resolve, reject) => Object.assign(waiters, { resolve, reject }));
            readyWaiters = waiters;
        }
        return readyWaiters.promise;
    }

    // Called by every exported API function before it touches glue state.
    // Not while Wasm frames of the dead instance are below on the stack:
    // that call is refused (the glue's direct calls rely on it).
    function revive() {
        if (!instantiated) return;
        if (rt.liveGen !== -1) {
            // Rollback 'every-call': the entry of a top-level call, with no
            // promise of the module pending, records the state.
            if (rollback === 'every-call' && rt.inImports === 0 && madePromises.length === 0 && config.memory !== null) {
                record();
            }
            return;
        }
        if (rt.inImports > 0 || crashLooped || policy === 'manual') throw terminatedError();
        if (failedReinit !== null) {
            // Reported once; the next call tries again.
            const e = failedReinit;
            failedReinit = null;
            throw e;
        }
        if (recreateSync()) return;
        recreateAsync();
        throw recoveringError();
    }

    function isStale(obj) {
        return owner[obj[GEN]] !== rt.liveGen;
    }

    // The pointer field of a wasm-bindgen class becomes an accessor stamped
    // with the generation that created the object.
    function guardClass(cls, field) {
        Object.defineProperty(cls.prototype, field, {
            configurable: true,
            get() {
                // Until the first abort every object is of the live generation.
                if (rt.aborted && owner[this[GEN]] !== rt.liveGen && this[PTR] !== 0) {
                    deadCall(owner[this[GEN]], `${cls.name} object`);
                }
                return this[PTR];
            },
            set(ptr) {
                this[PTR] = ptr;
                this[GEN] = epoch;
                epochUsed = true;
            },
        });
    }

    function finalizer(callback) {
        const gen = preparingGen ?? generation;
        return (held) => {
            if (rt.liveGen === gen) callback(held);
        };
    }

    function guardClosure(real) {
        const made = epoch;
        epochUsed = true;
        // Rest and spread rather than `arguments`: V8 then inlines `real`
        // (a Rust closure call went from 1.27x to 1.10x of unpatched).
        const guarded = function (...args) {
            // Stale as soon as its instance died, re-created or not yet.
            if (owner[made] !== rt.liveGen) {
                stats.staleRejected++;
                throw new StaleHandleError('Rust closure', owner[made]);
            }
            return real.apply(this, args);
        };
        Object.assign(guarded, real);
        return guarded;
    }

    function closureFactory(factory) {
        return function () {
            return guardClosure(factory.apply(undefined, arguments));
        };
    }

    // A callback the host runs later (a microtask, a promise reaction) has no
    // caller to receive the abort of its instance: the abort reached the
    // pending promises and onAbort already, so it must not also become an
    // uncaught exception, which ends a Node process.
    function hostCallback(callback) {
        if (typeof callback !== 'function') return callback;
        return function () {
            try {
                return callback.apply(this, arguments);
            } catch (e) {
                if (e instanceof WasmAbortError || e instanceof StaleHandleError) return undefined;
                throw e;
            }
        };
    }

    function consoleError(...args) {
        if (typeof args[0] === 'string' && args[0].startsWith('panicked at')) pendingPanic = args[0];
        console.error(...args);
    }

    // The glue's `new Promise(executor)`: the executor, Rust's, gets
    // functions that forget the promise once it settles.
    function promise(executor) {
        let entry;
        const made = new Promise((resolve, reject) => {
            entry = { promise: null, reject, at: madePromises.length, returned: false };
            madePromises.push(entry);
            try {
                executor((v) => { forgetPromise(entry); resolve(v); }, (e) => { forgetPromise(entry); reject(e); });
            } catch (e) {
                forgetPromise(entry); // the constructor rejects with it
                throw e;
            }
        });
        entry.promise = made;
        newestPromise = entry;
        return made;
    }

    function forgetPromise(entry) {
        if (entry.at === -1) return;
        const last = madePromises.pop();
        if (last !== entry) {
            madePromises[entry.at] = last;
            last.at = entry.at;
        }
        entry.at = -1;
    }

    // Promises returned by async exports reject when their instance aborts:
    // one the glue just made is marked; any other is wrapped.
    function settle(value) {
        if (newestPromise !== null && value === newestPromise.promise) {
            newestPromise.returned = true;
            return value;
        }
        if (!(value instanceof Promise)) return value;
        const made = promise((resolve, reject) => { value.then(resolve, reject); });
        newestPromise.returned = true;
        return made;
    }

    // Of the URLs of the module's variants (by mode), the one to load.
    function pick(urls) {
        return urls[selectedMode];
    }

    function subscribe(listeners, callback) {
        if (typeof callback !== 'function') throw new TypeError('callback must be a function');
        listeners.add(callback);
        return () => listeners.delete(callback);
    }

    const handle = {
        get generation() { return generation; },
        get state() { return !instantiated ? 'uninitialized' : rt.liveGen === -1 ? 'terminated' : 'live'; },
        get mode() { return mode; },
        get stats() { return { ...stats, generation, crashLooped }; },
        // Rollback to a checkpoint: 'none', 'checkpoint' or 'every-call';
        // 'none' drops the checkpoint.
        get rollback() { return rollback; },
        set rollback(value) {
            if (value !== 'none' && value !== 'checkpoint' && value !== 'every-call') {
                throw new TypeError(`rollback must be 'none', 'checkpoint' or 'every-call', not ${String(value)}`);
            }
            rollback = value;
            if (rollback === 'none') {
                lastCheckpoint = null;
                if (spare?.loaded) {
                    spare = null;
                    scheduleSpare();
                }
            }
            if (instantiated) setLive(rt.liveGen);
        },
        checkpoint,
        get lastCheckpoint() {
            return lastCheckpoint === null ? null
                : { id: lastCheckpoint.id, generation: lastCheckpoint.generation, bytes: lastCheckpoint.memory.byteLength };
        },
        get ready() { return ready(); },
        get policy() { return policy; },
        set policy(value) {
            if (value !== 'lazy' && value !== 'eager' && value !== 'manual') {
                throw new TypeError(`policy must be 'lazy', 'eager' or 'manual', not ${String(value)}`);
            }
            policy = value;
        },
        // A spare instance, made ahead, for the next abort; false drops it.
        get standby() { return standby; },
        get standbyReady() { return spare !== null && spare.gen === generation + 1; },
        set standby(value) {
            standby = value === true;
            standbyChosen = true;
            if (standby) scheduleSpare();
            else spare = null;
        },
        get maxAborts() { return maxAborts; },
        set maxAborts(value) { maxAborts = value; },
        get windowMs() { return windowMs; },
        set windowMs(value) { windowMs = value; },
        version: config.version,
        onAbort(callback) { return subscribe(abortListeners, callback); },
        onReinit(callback) { return subscribe(reinitListeners, callback); },
        terminate(reason) {
            if (rt.liveGen === -1) return;
            abort(reason instanceof Error ? reason : new Error(reason === undefined ? 'terminated by the host' : String(reason)));
        },
        reinit,
        // The file of the variant this engine loads, for hosts that fetch
        // the bytes themselves (`initSync`): 'x_bg.wasm' -> 'x_bg.legacy.wasm'.
        wasmFile(name) { return String(name).replace(/\.wasm$/, `${wasmSuffix}.wasm`); },
        WasmAbortError,
        StaleHandleError,
    };
    // For entry files other than the one holding the state (the bundler
    // target's x.js, hand-written x.cjs entries): not enumerable.
    Object.defineProperties(handle, {
        __load: { value: load },
        __Instance: { value: Instance },
        __instantiate: { value: instantiate },
        __instantiateStreaming: { value: instantiateStreaming },
        __pick: { value: pick },
    });

    rt.handle = handle;
    return rt;
}
