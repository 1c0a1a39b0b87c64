// The exception-handling scenario shared by the Node test (eh-modes.test.mjs)
// and the browser tests (browser-suite.mjs): everything a program can observe
// of a panic, an abort and a JS error, as plain data. No imports but the
// browser-safe one.
import { withConsoleError } from './normal-calls.mjs'

/** An error's name; a WebAssembly.Exception (a Rust panic out of glue without PanicError) has none. */
export function errorName(e) {
  return e instanceof WebAssembly.Exception ? 'WebAssembly.Exception' : e?.name
}

function attempt(f) {
  try {
    const v = f()
    return typeof v === 'bigint' ? `${v}n` : v
  } catch (e) {
    return `${e.name}: ${e.message}`
  }
}

// Everything a program can observe, as plain data.
export function scenario(m) {
  const u = m.__unbrick
  const r = { mode: u.mode, add: m.add(40, 2), greet: m.greet('wörld ✓'), bump: m.bump() }
  const acc = new m.Accumulator(1n)
  const panic = withConsoleError(() => m.panic_while_borrowed())
  r.panic = errorName(panic.error)
  r.afterPanic = m.bump()
  r.accAfterPanic = attempt(() => acc.add(1n))
  const abort = withConsoleError(() => m.abort_now())
  r.abort = [abort.error.name, abort.error.cause?.name]
  r.afterAbort = m.bump()
  r.staleAfterAbort = attempt(() => acc.add(1n))
  r.jsError = attempt(() => m.fail_with_js_error('js'))
  // Function::call0 is a `catch` import whose Err Rust ignores (fixtures
  // built since with_callback existed): 42 in every mode.
  if (typeof m.with_callback === 'function') {
    r.ignoredCallbackError = attempt(() =>
      m.with_callback(() => {
        throw new Error('ignored by Rust')
      }),
    )
  }
  // Function::call1 through `?`: the callback's own error comes out.
  r.callbackError = attempt(() =>
    m.sum_with(1, () => {
      throw new Error('from the callback')
    }),
  )
  r.afterJsError = m.bump()
  // Hard aborts re-create the instance in every mode.
  for (const name of ['overflow_stack', 'overflow_native_stack']) {
    const overflow = withConsoleError(() => m[name]())
    r[name] = [errorName(overflow.error), overflow.error?.cause?.name]
    r[`after_${name}`] = [m.bump(), m.greet('x')]
  }
  r.generation = u.generation
  r.state = u.state
  return r
}

// What a panic changes when it is an abort: the instance is re-created, so
// the state starts again and objects of the old one are stale.
export function asReinit(unwound) {
  return {
    ...unwound,
    mode: 'none',
    panic: 'WasmAbortError',
    afterPanic: 1,
    accAfterPanic: unwound.staleAfterAbort,
    afterAbort: 1,
    afterJsError: unwound.afterJsError - unwound.afterAbort + 1,
    generation: unwound.generation + 1,
  }
}

/** In the browser page: loads a patched package by URL and runs the scenario. */
export async function inPage(url, kind) {
  const m = await import(url)
  if (kind === 'web') await m.default()
  const r = scenario(m)
  return { ...r, support: globalThis[Symbol.for('wasm-unbrick.eh-support')] }
}
