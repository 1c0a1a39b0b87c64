// Runs in a browser page or a dedicated worker (see browser-suite.mjs): the
// web target of the `large` fixture (a module over 8 MB), loaded by URL and
// initialised with `await init()`, as such packages document; also run by
// scripts/bench-standby-browser.mjs. Results are plain JSON.
import { normalResults, withConsoleError } from './normal-calls.mjs'

const json = (value) => JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)))

function describeError(e) {
  return { name: e?.name, message: String(e?.message).slice(0, 300), generation: e?.generation, cause: e?.cause?.name }
}

function attempt(fn) {
  try {
    return { value: fn() }
  } catch (e) {
    return { error: describeError(e) }
  }
}

/** Whether this thread compiles the module synchronously: Chromium's main thread does not. */
export async function syncGate(wasmUrl) {
  const bytes = await (await fetch(wasmUrl)).arrayBuffer()
  try {
    new WebAssembly.Module(bytes)
    return { size: bytes.byteLength, sync: 'allowed' }
  } catch (e) {
    return { size: bytes.byteLength, sync: describeError(e) }
  }
}

/**
 * `initSync` with the compiled module, which the main thread refuses for a
 * module this large, then `await init()`: the package must still start.
 */
export async function initSyncThenAsync(url, wasmUrl) {
  const m = await import(url)
  const module = await WebAssembly.compileStreaming(fetch(wasmUrl))
  const out = {
    initSync: attempt(() => {
      m.initSync({ module })
    }),
  }
  const u = m.__unbrick
  if (u !== undefined) out.stateAfterInitSync = u.state
  await m.default()
  if (u !== undefined) out.stateAfterInit = u.state
  out.byte = m.large_data_byte(1)
  return out
}

/** The unpatched package: init and normal calls, or the error of init. */
export async function plain(url) {
  const m = await import(url)
  try {
    await m.default()
  } catch (e) {
    return { init: describeError(e) }
  }
  return json({ init: 'ok', byte: m.large_data_byte(12345), normal: await normalResults(m) })
}

/**
 * The patched package with `policy`: init, calls, two genuine traps each
 * followed by recovery, reinit(); each recovery timed from the trapping
 * call to the first call that works again.
 */
export async function scenario(url, policy) {
  const m = await import(url)
  const u = m.__unbrick
  const out = { before: u.state }
  u.policy = policy
  const readyBeforeInit = u.ready.then((g) => ({ resolved: g }))
  const t = performance.now()
  await m.default()
  out.initMs = performance.now() - t
  out.init = { state: u.state, generation: u.generation, ready: await readyBeforeInit }
  out.byte = m.large_data_byte(12345)
  out.normal = await normalResults(m)
  out.bumps = [m.bump(), m.bump()]
  const acc = new m.Accumulator(3n)

  out.recoveries = []
  for (let round = 0; round < 2; round++) {
    // Timed from the trapping call: an instance made asynchronously may be
    // made during the call that starts it (V8 does), only handed over later.
    const t0 = performance.now()
    const r = withConsoleError(() => m.panic_while_borrowed())
    const firstCall = attempt(() => m.counter())
    const readyGeneration = await u.ready
    const counter = m.counter()
    const ms = performance.now() - t0
    out.recoveries.push({
      abort: describeError(r.error),
      firstCall,
      readyGeneration,
      counter,
      ms,
      state: u.state,
      generation: u.generation,
      bump: m.bump(),
      byte: m.large_data_byte(7),
    })
  }
  out.stale = attempt(() => String(acc.total))

  u.reinit()
  out.reinit = { state: u.state }
  out.reinit.readyGeneration = await u.ready
  out.reinit.counter = m.counter()
  out.normalAfter = await normalResults(m)
  out.stats = u.stats
  return json(out)
}

/** Polls `done()` every 10 ms, up to `ms`; resolves with its last value. */
export async function until(done, ms = 10_000) {
  const end = performance.now() + ms
  while (!done() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 10))
  return done()
}

/** Runs `fn`, counting the synchronous `new WebAssembly.Instance` it tries (made or refused). */
export function countingInstances(fn) {
  const Instance = WebAssembly.Instance
  let tried = 0
  WebAssembly.Instance = class extends Instance {
    constructor(...args) {
      tried++
      super(...args)
    }
  }
  try {
    return { ...fn(), instancesTried: tried }
  } finally {
    WebAssembly.Instance = Instance
  }
}

/**
 * The patched package with or without the standby instance (`--standby`):
 * init, the spare awaited (`standbyReady`), then `rounds` genuine traps, each
 * followed at once by `bump()`, timed alone (performance.now). Where that
 * call throws, `await __unbrick.ready`, then `bump()` again, timed from the
 * first call. After each round, an object of generation 0 is tried and the
 * next spare is awaited. Results are plain JSON.
 */
export async function standbyScenario(url, rounds = 2) {
  const m = await import(url)
  const u = m.__unbrick
  await m.default()
  const out = { standby: u.standby, init: { state: u.state, generation: u.generation } }
  // Whether performance.now() has its finer resolution here (COOP and COEP).
  out.crossOriginIsolated = globalThis.crossOriginIsolated === true
  out.spareAfterInit = u.standby ? await until(() => u.standbyReady) : u.standbyReady
  out.bumps = [m.bump(), m.bump()]
  const acc = new m.Accumulator(3n)
  out.rounds = []
  for (let round = 0; round < rounds; round++) {
    const spareReady = u.standbyReady
    const r = withConsoleError(() => m.panic_while_borrowed())
    const t0 = performance.now()
    const firstCall = countingInstances(() => attempt(() => m.bump()))
    const firstCallMs = performance.now() - t0
    const entry = {
      spareReady,
      abort: describeError(r.error),
      firstCall,
      firstCallMs,
      afterFirstCall: { state: u.state, generation: u.generation, standbyUsed: u.stats.standbyUsed },
    }
    if (firstCall.error !== undefined) {
      entry.readyGeneration = await u.ready
      entry.again = attempt(() => m.bump())
      entry.recoveredMs = performance.now() - t0
    } else {
      entry.recoveredMs = firstCallMs
    }
    entry.counter = m.counter()
    entry.stale = attempt(() => String(acc.total))
    entry.spareAgain = u.standby ? await until(() => u.standbyReady) : u.standbyReady
    entry.generation = u.generation
    out.rounds.push(entry)
  }
  out.stats = u.stats
  return json(out)
}
