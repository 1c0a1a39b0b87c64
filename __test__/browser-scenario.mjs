// Runs in the browser page (see browser-suite.mjs): loads a patched package
// by URL, aborts it, and reports what happened as plain JSON.
import { normalResults, withConsoleError } from './normal-calls.mjs'

function json(value) {
  return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)))
}

/** An error as plain data; `u` is the package's __unbrick handle, if any. */
export function describeError(e, u) {
  if (e === undefined) return null
  return {
    name: e?.name,
    message: String(e?.message).slice(0, 300),
    generation: e?.generation,
    cause: e?.cause?.name,
    panicMessage: e?.panicMessage,
    isWasmAbortError: u !== undefined && e instanceof u.WasmAbortError,
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

/** Normal results of an unpatched package: { normal } or { error }. */
export async function plain(url, kind) {
  const m = await import(url)
  if (kind === 'web') await m.default()
  return json({ normal: await normalResults(m) })
}

/** The abort-and-recover scenario on a patched package. */
export async function scenario(url, kind) {
  const m = await import(url)
  if (kind === 'web') await m.default()
  const u = m.__unbrick
  const out = {
    hasHandle: typeof u === 'object' && u !== null,
    start: { generation: u.generation, state: u.state, mode: u.mode, policy: u.policy },
  }
  out.normalBefore = await normalResults(m)

  // Generation 0 state and handles.
  out.bumps = [m.bump(), m.bump()]
  const acc = new m.Accumulator(3n)
  acc.add(4n)
  const snap = acc.snapshot()
  const bumper = m.make_bumper()
  out.bumperBefore = bumper()
  const pending = m.wait_for_release()
  await tick()
  const pendingOutcome = pending.then(
    (v) => ({ resolved: v }),
    (e) => ({ rejected: describeError(e, u) }),
  )
  const aborts = []
  u.onAbort((e) => aborts.push(e.generation))

  const r = withConsoleError(() => m.panic_while_borrowed())
  out.abort = describeError(r.error, u)
  out.panicLogged = r.logs.some((l) => l.includes('panic while the counter is borrowed'))
  out.afterAbort = { state: u.state, generation: u.generation, aborts: [...aborts] }
  out.pending = await pendingOutcome

  out.counterAfter = m.counter()
  out.revived = { state: u.state, generation: u.generation, stats: u.stats }
  const stale = {}
  for (const [name, f] of Object.entries({
    total: () => acc.total,
    add: () => acc.add(1n),
    snapshot: () => snap.total,
    closure: () => bumper(),
  })) {
    try {
      stale[name] = { value: f() }
    } catch (e) {
      stale[name] = { error: e.name }
    }
  }
  try {
    acc.free()
    snap.free()
    stale.free = 'ok'
  } catch (e) {
    stale.free = e.name
  }
  out.stale = stale

  let lastBump = 0
  for (let i = 0; i < 1000; i++) lastBump = m.bump()
  out.lastBump = lastBump

  // The other kinds of abort, each followed by a working call.
  out.more = {}
  for (const name of ['overflow_stack', 'overflow_native_stack', 'abort_now']) {
    const t = withConsoleError(() => m[name]())
    out.more[name] = { error: describeError(t.error, u), greetAfter: m.greet('again'), counterAfter: m.counter(), generation: u.generation }
  }

  // What is not an abort.
  try {
    m.fail_with_js_error('plain js error')
    out.jsError = 'no throw'
  } catch (e) {
    out.jsError = { name: e.name, message: e.message }
  }
  const boom = new Error('boom')
  try {
    m.sum_with(3, () => {
      throw boom
    })
    out.callbackError = 'no throw'
  } catch (e) {
    out.callbackError = { same: e === boom }
  }
  out.afterNonAborts = { generation: u.generation, state: u.state }

  out.normalAfter = await normalResults(m)
  return json(out)
}
