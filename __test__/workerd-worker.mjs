// The Workers ES module of the workerd and Miniflare tests (workerd.test.mjs).
// `./worker-setup.mjs` is written by the test for each package: `glue()`
// gives the patched glue (imported at startup or, for `load: 'request'`,
// first inside a request), `WASM` its `.wasm` files as `wasm` module
// bindings by file name, `FILE` the one the host passes to initSync, or
// null to pass the one `__unbrick.wasmFile` names.
import { checkpointScenario } from './checkpoint-scenario.mjs'
import { errorName, scenario } from './eh-scenario.mjs'
import { runFault, settleRelease, startFaults } from './fault-scenario.mjs'
import { normalResults, withConsoleError } from './normal-calls.mjs'
import { FILE, glue, LOAD, WASM } from './worker-setup.mjs'

let m = null
let session = null // the fault matrix's
// Objects kept across requests, to be used after the instance that made them died.
const kept = {}

function start(g) {
  const file = FILE ?? g.__unbrick.wasmFile('bricked_bg.wasm')
  g.initSync({ module: WASM[file] })
  return g
}

if (LOAD === 'startup') m = start(glue())

function described(e) {
  return { name: errorName(e), message: String(e?.message).slice(0, 300), cause: e?.cause?.name, generation: e?.generation }
}

function attempt(f) {
  try {
    return { value: f() }
  } catch (e) {
    return { error: described(e) }
  }
}

function info(u) {
  return u === undefined ? {} : { mode: u.mode, state: u.state, generation: u.generation, stats: u.stats }
}

const routes = {
  info: () => ({ ...info(m.__unbrick), support: globalThis[Symbol.for('wasm-unbrick.eh-support')] ?? null }),
  normal: () => normalResults(m),
  eh: () => scenario(m),
  // checkpoint-scenario.mjs's, on a package patched with --rollback checkpoint.
  checkpoint: () => checkpointScenario(m),
  // A callback that terminates the instance under a Rust `catch` import
  // (whose Err Rust ignores, in fixtures that have with_callback): the call
  // must still end in the abort.
  'terminate-in-callback': () => {
    const callback = () => m.__unbrick.terminate('terminated in a callback')
    return attempt(() => (typeof m.with_callback === 'function' ? m.with_callback(callback) : m.sum_with(1, callback)))
  },
  panic: () => {
    const r = withConsoleError(() => m.panic_while_borrowed())
    return { error: described(r.error), ...info(m.__unbrick) }
  },
  abort: () => ({ ...attempt(() => m.abort_now()), ...info(m.__unbrick) }),
  bump: () => ({ ...attempt(() => m.bump()), ...info(m.__unbrick) }),
  keep: () => {
    kept.acc = new m.Accumulator(5n)
    kept.bumper = m.make_bumper()
    return { total: kept.acc.total, bumper: kept.bumper() }
  },
  kept: () => ({ total: attempt(() => kept.acc.total), add: attempt(() => kept.acc.add(1n)), bumper: attempt(() => kept.bumper()) }),
  reinit: () => {
    m.__unbrick.reinit()
    return info(m.__unbrick)
  },
}

function json(value) {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))
}

function jsonResponse(value) {
  return new Response(json(value), { headers: { 'content-type': 'application/json' } })
}

export default {
  async fetch(request) {
    const route = new URL(request.url).pathname.slice(1)
    if (route === '') return new Response('ok')
    // The fault matrix, one fault per request: `faults` starts the package
    // with its instances watched from the first (LOAD 'request'), then
    // `fault?name=` runs each and `released` checks, in the next request,
    // that nothing of an instance it ended survives (workerd keeps what a
    // request's promises were rejected with until the request ends). The
    // config exposes the collector.
    if (route === 'faults') {
      const startPanic = new URL(request.url).searchParams.has('start-panic')
      const load = async () => {
        m = start(await glue())
        return m
      }
      session = await startFaults(load, { gc: globalThis.gc ?? null, rss: null, startPanic, deferRelease: true, collectAttempts: 60 })
      return jsonResponse({ mode: session.mode, faults: session.faults })
    }
    if (route === 'fault') {
      await runFault(session, new URL(request.url).searchParams.get('name'))
      return jsonResponse({})
    }
    if (route === 'released') return jsonResponse(await settleRelease(session))
    if (m === null) m = start(await glue())
    const handler = routes[route]
    if (handler === undefined) return new Response(`no route ${route}`, { status: 404 })
    try {
      return jsonResponse(await handler())
    } catch (e) {
      return new Response(json({ uncaught: described(e) }), { status: 500 })
    }
  },
}
