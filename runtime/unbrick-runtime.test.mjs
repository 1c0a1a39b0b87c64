// Tests of the runtime on its own, with a small hand-assembled module:
//   node --test runtime/
import assert from 'node:assert/strict'
import fs from 'node:fs'
import test from 'node:test'
import vm from 'node:vm'

const source = fs.readFileSync(new URL('./unbrick-runtime.js', import.meta.url), 'utf8')
const __unbrickRuntime = vm.runInThisContext(`(function () { ${source}; return __unbrickRuntime; })()`)

// A module with one import `env.cb` and exports:
//   add(a, b), trap() (unreachable), call_cb() (calls env.cb),
//   sp (mutable i32 global, 1024), lower_sp_and_call_cb() (sp -= 16, then env.cb).
const leb = (n) => {
  const out = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n) b |= 0x80
    out.push(b)
  } while (n)
  return out
}
const str = (s) => [...leb(s.length), ...Buffer.from(s)]
const section = (id, body) => [id, ...leb(body.length), ...body]
const vec = (items) => [...leb(items.length), ...items.flat()]
const I32 = 0x7f
const body = (code) => {
  const b = [0, ...code, 0x0b]
  return [...leb(b.length), ...b]
}
function assemble(extraExports = []) {
  return new Uint8Array([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(
      1,
      vec([
        [0x60, 0, 0],
        [0x60, 2, I32, I32, 1, I32],
      ]),
    ), // types: ()->(), (i32,i32)->i32
    ...section(2, vec([[...str('env'), ...str('cb'), 0, 0]])),
    ...section(3, vec([[1], [0], [0], [0]])),
    ...section(6, vec([[I32, 1, 0x41, ...leb(1024), 0x0b]])), // global: mut i32 = 1024 (1024 < 2^13: one LEB byte pair)
    ...section(
      7,
      vec([
        [...str('add'), 0, 1],
        [...str('trap'), 0, 2],
        [...str('call_cb'), 0, 3],
        [...str('lower_sp_and_call_cb'), 0, 4],
        [...str('sp'), 3, 0],
        ...extraExports,
      ]),
    ),
    ...section(
      10,
      vec([
        body([0x20, 0, 0x20, 1, 0x6a]), // local.get 0, local.get 1, i32.add
        body([0x00]), // unreachable
        body([0x10, 0]), // call $cb
        body([0x23, 0, 0x41, 16, 0x6b, 0x24, 0, 0x10, 0]), // sp -= 16; call $cb
      ]),
    ),
  ])
}
const moduleBytes = assemble()
const compiled = new WebAssembly.Module(moduleBytes)
// The same module with call_cb exported as `__wbindgen_start` too: its
// start calls env.cb.
const startExport = [...str('__wbindgen_start'), 0, 3]
const withStart = new WebAssembly.Module(assemble([startExport]))

// A module with a memory and a mutable global, for checkpoints: exports
// memory, g (mut i32 = 5), set(v) (memory[0] = v), get(), setg(v), getg(), trap().
const memoryModule = new WebAssembly.Module(
  new Uint8Array([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(
      1,
      vec([
        [0x60, 1, I32, 0],
        [0x60, 0, 1, I32],
        [0x60, 0, 0],
      ]),
    ), // types: (i32)->(), ()->(i32), ()->()
    ...section(3, vec([[0], [1], [0], [1], [2]])),
    ...section(5, vec([[0, 1]])), // memory: 1 page
    ...section(6, vec([[I32, 1, 0x41, 5, 0x0b]])),
    ...section(
      7,
      vec([
        [...str('memory'), 2, 0],
        [...str('g'), 3, 0],
        [...str('set'), 0, 0],
        [...str('get'), 0, 1],
        [...str('setg'), 0, 2],
        [...str('getg'), 0, 3],
        [...str('trap'), 0, 4],
      ]),
    ),
    ...section(
      10,
      vec([
        body([0x41, 0, 0x20, 0, 0x36, 2, 0]), // i32.store(0, v)
        body([0x41, 0, 0x28, 2, 0]), // i32.load(0)
        body([0x20, 0, 0x24, 0]), // global.set 0
        body([0x23, 0]), // global.get 0
        body([0x00]), // unreachable
      ]),
    ),
  ]),
)

// A complete config, as the core writes it (the runtime has no defaults).
const configOf = (overrides = {}) => ({
  version: 'test',
  mode: 'none',
  policy: 'lazy',
  maxAborts: 5,
  windowMs: 10000,
  stackPointer: 'sp',
  externrefStackPointer: null,
  funcTables: [],
  importParams: [0], // env.cb: () -> ()
  catchImports: [],
  variants: null,
  ehMode: 'auto',
  standby: false,
  rollback: 'none',
  memory: null,
  globals: ['sp'],
  externrefTables: [],
  ...overrides,
})

function setup({ config = {}, cb = () => {}, module = compiled } = {}) {
  const glue = {
    resets: 0,
    wasm: null,
    reset() {
      this.resets++
    },
    state() {
      return [this.resets]
    },
    setState([resets]) {
      this.resets = resets
    },
    setWasm(e) {
      this.wasm = e
    },
  }
  const rt = __unbrickRuntime(configOf(config), glue)
  const imports = { env: { cb: (...args) => state.cb(...args) } }
  const state = { cb }
  glue.wasm = new rt.Instance(module, imports).exports
  return { rt, glue, state, handle: rt.handle }
}

test('a trap is an abort: WasmAbortError with cause and generation, state terminated first', () => {
  const { glue, handle } = setup()
  const seen = []
  handle.onAbort((err) => seen.push([err.name, handle.state]))
  assert.equal(handle.state, 'live')
  assert.throws(
    () => glue.wasm.trap(),
    (e) => {
      assert.equal(e.name, 'WasmAbortError')
      assert.ok(e.cause instanceof WebAssembly.RuntimeError)
      assert.equal(e.generation, 0)
      return true
    },
  )
  assert.deepEqual(seen, [['WasmAbortError', 'terminated']])
  assert.equal(handle.state, 'terminated')
  assert.equal(handle.stats.aborts, 1)
})

test("the abort error's cause is the trap's error, as text: same class, message and stack, no frames held", () => {
  const { glue } = setup()
  assert.throws(
    () => glue.wasm.trap(),
    (e) => {
      assert.ok(e.cause instanceof WebAssembly.RuntimeError)
      assert.equal(e.cause.message, 'unreachable')
      assert.match(e.cause.stack, /^RuntimeError: unreachable\n.*wasm/s)
      assert.ok(Object.getOwnPropertyDescriptor(e.cause, 'stack').writable, 'a plain string')
      assert.match(e.stack, /^WasmAbortError: Wasm instance generation 0 aborted/)
      return true
    },
  )
})

test('lazy policy: revive() re-creates the instance, resets glue state, and new exports work', () => {
  const { rt, glue, handle } = setup()
  const reinits = []
  handle.onReinit((gen) => reinits.push(gen))
  assert.throws(() => glue.wasm.trap())
  const dead = glue.wasm
  assert.throws(() => dead.add(1, 2), { name: 'WasmAbortError' })
  rt.revive()
  assert.equal(handle.generation, 1)
  assert.equal(glue.resets, 1)
  assert.deepEqual(reinits, [1])
  assert.equal(glue.wasm.add(2, 3), 5)
  assert.throws(
    () => dead.add(1, 2),
    (e) => {
      assert.equal(e.name, 'StaleHandleError')
      // What ended generation 0: a package's own handler that touches the dead object still shows it.
      assert.equal(e.cause?.name, 'WasmAbortError')
      assert.equal(e.cause.generation, 0)
      return true
    },
  )
})

test('a JS exception from an import passes through unchanged and restores the stack pointer', () => {
  const boom = new TypeError('from JS')
  const { glue, handle } = setup({
    cb: () => {
      throw boom
    },
  })
  assert.equal(glue.wasm.sp.value, 1024)
  assert.throws(
    () => glue.wasm.lower_sp_and_call_cb(),
    (e) => e === boom,
  )
  assert.equal(glue.wasm.sp.value, 1024)
  assert.equal(handle.state, 'live')
  assert.equal(handle.stats.jsExceptions, 1)
})

test('the externref stack pointer is restored as the shadow one is', () => {
  const { glue } = setup({
    config: { stackPointer: null, externrefStackPointer: 'sp' },
    cb: () => {
      throw new Error('from JS')
    },
  })
  assert.throws(() => glue.wasm.lower_sp_and_call_cb(), /from JS/)
  assert.equal(glue.wasm.sp.value, 1024)
})

test('the exports of a replaced instance are emptied after the call: no memory, no raw function, calls refused', async () => {
  const { rt, glue } = setup()
  const dead = glue.wasm
  assert.throws(() => dead.trap(), { name: 'WasmAbortError' })
  rt.revive()
  assert.throws(() => dead.add(1, 2), { name: 'StaleHandleError' }, 'refused before it is emptied too')
  await null // emptied off the call path, after the current task
  assert.deepEqual(Object.keys(dead).sort(), ['add', 'call_cb', 'lower_sp_and_call_cb', 'trap'])
  assert.equal(dead.sp, undefined, "the dead instance's global is not held")
  assert.throws(() => dead.add(1, 2), { name: 'StaleHandleError' })
  assert.equal(glue.wasm.add(1, 2), 3)
})

test('a start that throws on re-creation is an abort of the new generation, counted by the crash-loop guard', () => {
  const started = new Error('start failed')
  let failStart = false
  const { rt, glue, handle } = setup({
    config: { maxAborts: 1 },
    module: withStart,
    cb: () => {
      if (failStart) throw started
    },
  })
  assert.throws(() => glue.wasm.trap())
  failStart = true
  assert.throws(
    () => rt.revive(),
    (e) => e.name === 'WasmAbortError' && e.generation === 1 && e.cause.message === started.message,
  )
  assert.equal(handle.state, 'terminated')
  assert.equal(handle.generation, 1)
  assert.equal(handle.stats.crashLooped, true, 'two aborts with maxAborts 1')
  assert.throws(() => rt.revive(), /2 aborts within/)
  failStart = false
  handle.reinit()
  assert.equal(handle.state, 'live')
  assert.equal(glue.wasm.add(1, 2), 3)
})

test('a callback that swallows a nested abort cannot return into the dead instance', () => {
  const ctx = setup()
  ctx.state.cb = () => {
    try {
      ctx.glue.wasm.trap()
    } catch (_e) {
      /* swallowed */
    }
  }
  assert.throws(() => ctx.glue.wasm.call_cb(), { name: 'WasmAbortError' })
  assert.equal(ctx.handle.state, 'terminated')
})

test('an import of more parameters than the fixed-arity wrappers take goes through the generic one alike', () => {
  const boom = new TypeError('from JS')
  const calls = []
  const ctx = setup({ config: { importParams: [6] }, cb: (...args) => calls.push(args.length) })
  ctx.glue.wasm.call_cb()
  assert.deepEqual(calls, [0])
  ctx.state.cb = () => {
    throw boom
  }
  assert.throws(
    () => ctx.glue.wasm.lower_sp_and_call_cb(),
    (e) => e === boom,
  )
  assert.equal(ctx.glue.wasm.sp.value, 1024)
  ctx.state.cb = () => {
    try {
      ctx.glue.wasm.trap()
    } catch (_e) {
      /* swallowed */
    }
  }
  assert.throws(() => ctx.glue.wasm.call_cb(), { name: 'WasmAbortError' })
  assert.equal(ctx.handle.state, 'terminated')
})

test('an argument conversion error is not an abort', () => {
  const { glue, handle } = setup()
  assert.throws(() => glue.wasm.add(Symbol('x'), 1), TypeError)
  assert.equal(handle.state, 'live')
})

test('crash-loop guard: more than maxAborts aborts within windowMs stop revival until reinit()', () => {
  const { rt, glue, handle } = setup({ config: { maxAborts: 2, windowMs: 60000 } })
  for (let i = 0; i < 3; i++) {
    rt.revive()
    assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
  }
  assert.equal(handle.stats.crashLooped, true)
  assert.throws(() => rt.revive(), /3 aborts within 60000 ms/)
  handle.reinit()
  assert.equal(handle.state, 'live')
  assert.equal(glue.wasm.add(1, 1), 2)
})

test('manual policy waits for reinit(); eager re-creates after the failing call unwound', async () => {
  const manual = setup({ config: { policy: 'manual' } })
  assert.throws(() => manual.glue.wasm.trap())
  assert.throws(() => manual.rt.revive(), /call __unbrick.reinit\(\)/)
  manual.handle.reinit()
  assert.equal(manual.handle.generation, 1)

  const eager = setup({ config: { policy: 'eager' } })
  assert.throws(() => eager.glue.wasm.trap(), /being re-created \(await __unbrick.ready\)/)
  assert.equal(eager.handle.state, 'terminated')
  assert.equal(await eager.handle.ready, 1)
  assert.equal(eager.handle.state, 'live')
  assert.equal(eager.handle.generation, 1)
  assert.equal(eager.glue.wasm.add(2, 2), 4)
})

// Chromium's main thread refuses `new WebAssembly.Instance` of a module over
// 8 MB; this stands in for it, for the test's module only.
function refuseSyncInstances(module) {
  const Original = WebAssembly.Instance
  WebAssembly.Instance = new Proxy(Original, {
    construct(target, args) {
      if (args[0] === module) throw new RangeError('WebAssembly.Instance is disallowed on the main thread (test)')
      return Reflect.construct(target, args)
    },
  })
  return () => {
    WebAssembly.Instance = Original
  }
}

test("the glue's asynchronous instantiation stays asynchronous; a refused one leaves the module uninitialized", async () => {
  const restore = refuseSyncInstances(compiled)
  try {
    const glue = {
      wasm: null,
      reset() {},
      setWasm(e) {
        this.wasm = e
      },
    }
    const rt = __unbrickRuntime(configOf({ stackPointer: null }), glue)
    const ready = rt.handle.ready
    assert.throws(() => new rt.Instance(compiled, { env: { cb() {} } }), RangeError)
    assert.equal(rt.handle.state, 'uninitialized')
    await assert.rejects(ready, RangeError)
    await assert.rejects(rt.instantiate(compiled, {}), /Import #0 module="env"/)
    assert.equal(rt.handle.state, 'uninitialized')
    assert.throws(() => rt.handle.reinit(), /never instantiated/)
    const later = rt.handle.ready
    const instance = await rt.instantiate(compiled, { env: { cb() {} } })
    assert.ok(instance instanceof WebAssembly.Instance)
    assert.equal(instance.exports.add(1, 2), 3)
    assert.equal(rt.handle.state, 'live')
    assert.equal(await later, 0)
  } finally {
    restore()
  }
})

test('where a synchronous instance is refused, recovery is asynchronous and starts at the abort', async () => {
  const { rt, glue, handle } = setup()
  const restore = refuseSyncInstances(compiled)
  try {
    const reinits = []
    handle.onReinit((...args) => reinits.push(args))
    assert.throws(() => glue.wasm.trap(), /re-created on the next call/)
    // The first call tries, learns, and starts the asynchronous re-creation.
    assert.throws(
      () => rt.revive(),
      (e) => {
        assert.equal(e.name, 'WasmAbortError')
        assert.match(e.message, /being created asynchronously; await __unbrick.ready/)
        assert.equal(e.cause.name, 'WasmAbortError')
        assert.ok(e.cause.cause instanceof WebAssembly.RuntimeError)
        return true
      },
    )
    assert.throws(() => rt.revive(), /being created asynchronously/)
    assert.equal(handle.state, 'terminated')
    assert.equal(await handle.ready, 1)
    assert.deepEqual(reinits, [[1]])
    assert.equal(glue.wasm.add(2, 3), 5)
    // Known now: the next abort starts re-creation without waiting for a call.
    assert.throws(() => glue.wasm.trap(), /being re-created \(await __unbrick.ready\)/)
    assert.equal(await handle.ready, 2)
    assert.equal(glue.wasm.add(1, 1), 2)
    handle.reinit()
    assert.equal(handle.state, 'terminated')
    assert.equal(await handle.ready, 3)
    assert.equal(handle.stats.reinits, 3)
  } finally {
    restore()
  }
})

test('a failed asynchronous re-creation is reported: onReinit, stats, ready, and the next call', async () => {
  const { rt, glue, handle } = setup({ config: { policy: 'eager' } })
  const oom = new RangeError('Out of memory (test)')
  const instantiate = WebAssembly.instantiate
  WebAssembly.instantiate = () => Promise.reject(oom)
  const reinits = []
  handle.onReinit((...args) => reinits.push(args))
  try {
    assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
    await assert.rejects(handle.ready, (e) => e.name === 'WasmAbortError' && e.cause.message === oom.message)
  } finally {
    WebAssembly.instantiate = instantiate
  }
  assert.equal(reinits.length, 1)
  assert.equal(reinits[0][0], 1)
  assert.equal(reinits[0][1].cause.message, oom.message)
  assert.equal(handle.stats.reinitFailures, 1)
  assert.equal(handle.state, 'terminated')
  assert.throws(
    () => rt.revive(),
    (e) => e.name === 'WasmAbortError' && e.cause.message === oom.message && e.generation === 0,
  )
  rt.revive() // the call after it tries again
  assert.equal(handle.state, 'live')
  assert.equal(handle.generation, 1)
  assert.equal(glue.wasm.add(3, 4), 7)
})

test('where a synchronous instance is refused, a standby is kept from then on, unless the host chose', async () => {
  const { rt, glue, handle } = setup()
  const restore = refuseSyncInstances(compiled)
  try {
    assert.equal(handle.standby, false)
    assert.throws(() => glue.wasm.trap())
    assert.throws(() => rt.revive(), /being created asynchronously/)
    assert.equal(handle.standby, true, 'turned on by the refusal')
    assert.equal(await handle.ready, 1)
    await until(() => handle.standbyReady)
    assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
    rt.revive() // the spare: no synchronous instance is tried
    assert.equal(handle.generation, 2)
    assert.equal(handle.stats.standbyUsed, 1)
    assert.equal(glue.wasm.add(2, 2), 4)
    handle.standby = false
    assert.throws(() => glue.wasm.trap())
    assert.throws(() => rt.revive(), /being created asynchronously/)
    assert.equal(await handle.ready, 3)
    assert.equal(handle.standby, false, "the host's choice stands")
  } finally {
    restore()
  }
})

test('eager: a call made before the asynchronous instance is ready re-creates synchronously where allowed', async () => {
  const { rt, glue, handle } = setup({ config: { policy: 'eager' } })
  assert.throws(() => glue.wasm.trap())
  rt.revive()
  assert.equal(handle.generation, 1)
  assert.equal(glue.wasm.add(1, 2), 3)
  await new Promise((resolve) => setTimeout(resolve, 10))
  assert.equal(handle.generation, 1, 'the pending instance was dropped')
  assert.equal(handle.stats.reinits, 1)
})

test('objects, closures and finalizers of an older generation are refused', () => {
  const { rt, glue, handle } = setup()
  // biome-ignore lint/complexity/noStaticOnlyClass: the shape of a wasm-bindgen class (static __wrap, a pointer field)
  class Thing {
    static __wrap(ptr) {
      const o = Object.create(Thing.prototype)
      o.__wbg_ptr = ptr
      return o
    }
  }
  rt.guardClass(Thing, '__wbg_ptr')
  const old = Thing.__wrap(8)
  assert.equal(old.__wbg_ptr, 8)
  const factory = rt.closureFactory((a, b) => {
    const real = () => a + b
    real.original = { a, b }
    return real
  })
  const closure = factory(1, 2)
  assert.equal(closure(), 3)
  assert.deepEqual(closure.original, { a: 1, b: 2 })
  const freed = []
  const finalizer = rt.finalizer((ptr) => freed.push(ptr))

  handle.terminate('test')
  rt.revive()
  assert.throws(() => old.__wbg_ptr, { name: 'StaleHandleError' })
  assert.equal(rt.isStale(old), true)
  assert.throws(() => closure(), { name: 'StaleHandleError' })
  finalizer(8)
  assert.deepEqual(freed, [])
  const fresh = Thing.__wrap(16)
  assert.equal(fresh.__wbg_ptr, 16)
  assert.equal(rt.isStale(fresh), false)
  assert.equal(glue.wasm.add(1, 2), 3)
})

test('pending promises reject with WasmAbortError when their instance aborts', async () => {
  const { rt, glue } = setup()
  const never = rt.settle(new Promise(() => {}))
  const done = rt.settle(Promise.resolve(7))
  assert.equal(await done, 7)
  assert.throws(() => glue.wasm.trap())
  await assert.rejects(never, { name: 'WasmAbortError' })
})

test('a promise the glue made (js_sys::Promise::new) is returned as it is and rejects at the abort; one never returned stays as Rust left it', async () => {
  const { rt, glue } = setup()
  const made = rt.promise(() => {})
  assert.equal(rt.settle(made), made, 'no second promise around it')
  const internal = rt.promise(() => {})
  let resolveSettled
  const settled = rt.settle(rt.promise((resolve) => (resolveSettled = resolve)))
  resolveSettled(5)
  assert.equal(await settled, 5)
  const throwing = rt.promise(() => {
    throw new Error('from the executor')
  })
  await assert.rejects(throwing, /from the executor/)
  assert.throws(() => glue.wasm.trap())
  await assert.rejects(made, { name: 'WasmAbortError' })
  const still = await Promise.race([internal.then(() => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 20))])
  assert.equal(still, 'pending')
})

test('console_error_panic_hook output becomes panicMessage', () => {
  const { rt, glue } = setup()
  const original = console.error
  console.error = () => {}
  try {
    rt.consoleError('panicked at src/lib.rs:1:1:\nboom\n\nStack:\n\nError\n    at x')
  } finally {
    console.error = original
  }
  assert.throws(
    () => glue.wasm.trap(),
    (e) => {
      assert.match(e.panicMessage, /^panicked at src\/lib.rs:1:1:\nboom/)
      assert.match(e.message, /boom/)
      assert.doesNotMatch(e.message, /Stack:/)
      return true
    },
  )
})

test('onAbort and onReinit return working unsubscribe functions', () => {
  const { rt, glue, handle } = setup()
  const calls = []
  const offAbort = handle.onAbort(() => calls.push('abort'))
  const offReinit = handle.onReinit(() => calls.push('reinit'))
  assert.throws(() => glue.wasm.trap())
  rt.revive()
  offAbort()
  offReinit()
  assert.throws(() => glue.wasm.trap())
  rt.revive()
  assert.deepEqual(calls, ['abort', 'reinit'])
  assert.throws(() => {
    handle.policy = 'sometimes'
  }, TypeError)
})

test('a JS exception caught between two Wasm activations leaves the outer frames their stack', () => {
  const boom = new Error('inner')
  let calls = 0
  let spSeenByOuterCallback
  const ctx = setup()
  ctx.state.cb = () => {
    calls++
    if (calls === 1) {
      // Nested activation: its exception must not reset the stack pointer
      // that the outer Wasm frame (still on the stack) has lowered.
      assert.throws(
        () => ctx.glue.wasm.lower_sp_and_call_cb(),
        (e) => e === boom,
      )
      spSeenByOuterCallback = ctx.glue.wasm.sp.value
    } else {
      throw boom
    }
  }
  ctx.glue.wasm.lower_sp_and_call_cb()
  assert.equal(spSeenByOuterCallback, 1024 - 32)
  assert.equal(ctx.handle.state, 'live')
})

test('host-scheduled callbacks swallow only the aborts of their own runtime', () => {
  const { rt, handle } = setup()
  assert.equal(rt.hostCallback(undefined), undefined)
  const stale = rt.hostCallback(() => {
    throw new handle.StaleHandleError('Rust closure', 0)
  })
  assert.equal(stale(), undefined)
  const other = rt.hostCallback(() => {
    throw new TypeError('user code')
  })
  assert.throws(() => other(), TypeError)
  assert.equal(rt.hostCallback((x) => x * 2)(21), 42)
})

// Resolves once `ready()` is true, polling between tasks (at most 2 s).
async function until(ready) {
  for (let i = 0; i < 200 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(ready(), 'in time')
}

test('standby: a spare made ahead is swapped in on the next call, without instantiating there; then the next one is made', async () => {
  const { rt, glue, handle } = setup({ config: { standby: true } })
  await until(() => handle.standbyReady)
  const Instance = WebAssembly.Instance
  let made = 0
  WebAssembly.Instance = class extends Instance {
    constructor(...args) {
      super(...args)
      made++
    }
  }
  try {
    for (const gen of [1, 2]) {
      assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
      rt.revive()
      assert.equal(handle.generation, gen)
      assert.equal(glue.wasm.add(2, 3), 5)
      assert.equal(handle.stats.standbyUsed, gen)
      assert.equal(made, 0, 'no instance made on the call path')
      assert.equal(handle.standbyReady, false, 'the spare was used')
      await until(() => handle.standbyReady)
    }
    handle.standby = false
    assert.equal(handle.standbyReady, false, 'switched off, the spare is dropped')
    assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
    rt.revive()
    assert.equal(made, 1, 'without a standby, the instance is made on the call path')
    assert.equal(handle.stats.standbyUsed, 2)
  } finally {
    WebAssembly.Instance = Instance
  }
})

test('standby is off unless asked for', async () => {
  const { handle } = setup()
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(handle.standby, false)
  assert.equal(handle.standbyReady, false)
})

test('rollback: the next instance gets the memory, the mutable globals and the glue state of the checkpoint, without its start', () => {
  const rollback = { rollback: 'checkpoint', memory: 'memory', globals: ['g'], stackPointer: null, importParams: [] }
  const { rt, glue, handle } = setup({ module: memoryModule, config: rollback })
  glue.wasm.set(42)
  glue.wasm.setg(9)
  assert.equal(handle.checkpoint(), 1)
  assert.deepEqual(handle.lastCheckpoint, { id: 1, generation: 0, bytes: 65536 })
  glue.wasm.set(43)
  glue.wasm.setg(10)
  assert.throws(
    () => glue.wasm.trap(),
    (e) => e.name === 'WasmAbortError' && e.checkpoint === 1 && /restored to checkpoint 1/.test(e.message),
  )
  rt.revive()
  assert.equal(handle.generation, 1)
  assert.equal(glue.wasm.get(), 42)
  assert.equal(glue.wasm.getg(), 9)
  assert.equal(glue.resets, 0, "the glue state is the checkpoint's, not a fresh one")
  assert.equal(handle.stats.rollbacks, 1)
  // Without rollback the next instance is fresh.
  handle.rollback = 'none'
  assert.equal(handle.lastCheckpoint, null)
  assert.throws(() => handle.checkpoint(), /rollback is 'none'/)
  assert.throws(
    () => glue.wasm.trap(),
    (e) => e.checkpoint === undefined,
  )
  rt.revive()
  assert.deepEqual([glue.wasm.get(), glue.wasm.getg(), glue.resets], [0, 5, 1])
  assert.throws(() => {
    handle.rollback = 'always'
  }, /rollback must be 'none', 'checkpoint' or 'every-call'/)
})

test('rollback: a module that exports no memory cannot be checkpointed', () => {
  const { handle } = setup({ config: { rollback: 'checkpoint' } })
  assert.throws(() => handle.checkpoint(), /exports no memory/)
})

test('rollback with a standby: the spare is given the checkpoint ahead; one holding a checkpoint is never used fresh', async () => {
  const config = { rollback: 'checkpoint', standby: true, memory: 'memory', globals: ['g'], stackPointer: null, importParams: [] }
  const { rt, glue, handle } = setup({ module: memoryModule, config })
  const idle = () => new Promise((resolve) => setTimeout(resolve, 20))
  await until(() => handle.standbyReady)
  glue.wasm.set(42)
  handle.checkpoint()
  await idle() // the spare gets the checkpoint's memory here
  glue.wasm.set(43)
  assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
  rt.revive()
  assert.deepEqual([glue.wasm.get(), handle.stats.standbyUsed, handle.stats.rollbacks], [42, 1, 1])
  await until(() => handle.standbyReady)
  glue.wasm.set(50)
  handle.checkpoint()
  await idle()
  assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
  rt.revive()
  assert.deepEqual([glue.wasm.get(), handle.stats.standbyUsed, handle.stats.rollbacks], [50, 2, 2])
  await until(() => handle.standbyReady)
  glue.wasm.set(60)
  handle.checkpoint()
  await idle()
  handle.rollback = 'none' // the spare holding the checkpoint is dropped: the next instance is fresh
  assert.throws(() => glue.wasm.trap(), { name: 'WasmAbortError' })
  rt.revive()
  assert.deepEqual([glue.wasm.get(), glue.wasm.getg(), handle.stats.rollbacks], [0, 5, 2])
})
