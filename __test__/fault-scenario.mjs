// The fault matrix's scenario, the same on every engine (Node, Deno, Bun,
// workerd, Chromium, Firefox): each fault of the `bricked` fixture on one
// patched package, and what a program can observe of it, checked here in
// plain JavaScript. One cell per fault: { fault, pass, failures, seen }.
//
// `load()` imports and starts the package; the instance tracker is set up
// before it, so that every instance the runtime makes is watched: a WeakRef
// to it and its memory, and a count of the calls into its imports.
// `env.gc` collects garbage (null where the engine has no call for it),
// `env.rss` reads the process's resident memory (null where there is none),
// `env.startPanic` says the package is a start-panic build, which runs only
// START_PANIC_FAULT.
import { errorName } from './eh-scenario.mjs'
import { collect, trackInstances } from './instance-tracker.mjs'
import { withConsoleError } from './normal-calls.mjs'

/** The faults, in the order they run; `start-panic` only on a start-panic build. */
export const FAULTS = [
  'panic while borrowed',
  'panic in &mut self',
  're-entrant panic',
  'async panic, another call pending',
  'panic in a Rust closure',
  'out of memory, touched',
  'shadow-stack overflow',
  'native-stack overflow',
  'process::abort',
  'Result import',
  'throwing non-catch import',
  '2,000 JS throws through Rust',
]
export const START_PANIC_FAULT = 'start panics on re-creation'

// How long a promise may stay pending once its instance has aborted.
const SETTLE_MS = 3000

function outcome(f) {
  try {
    const v = f()
    return { value: typeof v === 'bigint' ? `${v}n` : v }
  } catch (e) {
    return { error: errorName(e) }
  }
}

function settled(promise) {
  let timer
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), SETTLE_MS)
  })
  const result = promise.then(
    (v) => ({ resolved: v }),
    (e) => ({ rejected: errorName(e), generation: e?.generation }),
  )
  return Promise.race([result, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The faults that panic: with exception handling (`mode` modern or legacy)
 * the panic unwinds and the instance lives on with its state; `kept` is
 * what the counter gained before the panic. The others abort in every mode.
 */
const FIRE = {
  'panic while borrowed': { panics: true, kept: 1000, fire: (m) => m.panic_while_borrowed() },
  'panic in &mut self': { panics: true, kept: 0, fire: (_m, h) => h.acc.explode() },
  're-entrant panic': {
    panics: true,
    kept: 0,
    fire: (m) => m.with_counter_borrowed(() => m.reenter_and_panic()),
  },
  'panic in a Rust closure': { panics: true, kept: 1000, fire: (_m, h) => h.panicker() },
  'out of memory, touched': { panics: false, fire: (m) => m.exhaust_memory_touched() },
  'shadow-stack overflow': { panics: false, fire: (m) => m.overflow_stack() },
  'native-stack overflow': { panics: false, fire: (m) => m.overflow_native_stack() },
  'process::abort': { panics: false, fire: (m) => m.abort_now() },
}

/** Runs every fault on the package `load()` starts: { mode, cells }. */
export async function runFaults(load, env) {
  const session = await startFaults(load, env)
  try {
    const cells = []
    for (const fault of session.faults) cells.push(await runFault(session, fault))
    return { mode: session.mode, cells }
  } finally {
    endFaults(session)
  }
}

/**
 * Starts the package with its instances watched, for runFault: { mode,
 * faults } and what runFault needs. A host that runs one fault per request
 * (workerd keeps a request's promise rejections, and what they hold, until
 * the request ends) keeps the session between them.
 */
export async function startFaults(load, env) {
  const tracker = trackInstances()
  let m
  try {
    m = await load()
    await withQuietConsole(() => warmUp(m))
  } catch (e) {
    tracker.restore()
    throw e
  }
  const u = m.__unbrick
  // The package's instances, by generation: the runtime also makes tiny
  // modules of its own (the EH probe, a trap), which have no memory.
  const instances = () => tracker.instances.filter((entry) => entry.memory !== null)
  const ctx = { m, u, env, instances }
  return { ctx, tracker, mode: u.mode, faults: env.startPanic ? [START_PANIC_FAULT] : FAULTS }
}

export function endFaults(session) {
  session.tracker.restore()
}

/** One fault of the session: { fault, pass, failures, seen }. */
export async function runFault(session, fault) {
  const { u } = session.ctx
  // The faults follow each other faster than the crash-loop guard allows,
  // and panics in microtasks log where no withConsoleError listens.
  const { maxAborts } = u
  u.maxAborts = 1000
  try {
    return await withQuietConsole(() => runCell(session.ctx, fault))
  } finally {
    u.maxAborts = maxAborts
  }
}

/**
 * With `env.deferRelease`, runFault leaves out the memory checks of its
 * fault: this runs them (in a later task or request) and returns the cell.
 */
export async function settleRelease(session) {
  const { ctx } = session
  const { cell } = ctx.cell
  const pending = ctx.pendingRelease
  ctx.pendingRelease = null
  if (pending) await withQuietConsole(pending)
  cell.pass = cell.failures.length === 0
  return cell
}

async function withQuietConsole(f) {
  const consoleError = console.error
  console.error = () => {}
  try {
    return await f()
  } finally {
    console.error = consoleError
  }
}

// Memory is compared before and after each fault: what the engine keeps
// once it has done something the first time is not the fault's. One abort
// and recovery, JS throws through Rust, and the stack's pages resident as
// deep as they go (an overflow leaves them so).
function warmUp(m) {
  withConsoleError(() => m.abort_now())
  m.bump()
  for (let i = 0; i < 2000; i++) {
    try {
      m.call_uncaught(() => {
        throw new Error('warm-up')
      })
    } catch {}
  }
  const down = (n) => down(n + 1) + 1
  try {
    down(0)
  } catch {}
}

async function runCell(ctx, fault) {
  const cell = { fault, pass: false, failures: [], seen: {} }
  const check = (ok, what) => {
    if (!ok) cell.failures.push(what)
  }
  ctx.cell = { cell, check }
  try {
    await (FIRE[fault] ? abortOrPanic : OTHER[fault])(ctx, fault, check, cell.seen)
  } catch (e) {
    cell.failures.push(`threw ${errorName(e)}: ${String(e?.message).slice(0, 200)}`)
  }
  cell.pass = cell.failures.length === 0
  return cell
}

// What every fault starts from: the counter at a known value, objects and
// a closure of the live generation, memory measured after a collection.
async function prepare(ctx) {
  const { m, u, env } = ctx
  const before = { generation: u.generation, counter: m.bump() }
  const acc = new m.Accumulator(10n)
  acc.add(5n)
  const snap = acc.snapshot()
  const bumper = m.make_bumper()
  before.counter = bumper()
  const panicker = m.make_panicker()
  await collect(env.gc, () => true, 1)
  before.rss = env.rss === null ? null : env.rss()
  return { before, acc, snap, bumper, panicker }
}

// After a fault: garbage collected until no instance but the live one is
// held (WeakRefs), then memory back within 10% of before.
async function released(ctx, h, check, seen) {
  if (ctx.env.deferRelease) {
    ctx.pendingRelease = () => released({ ...ctx, env: { ...ctx.env, deferRelease: false } }, h, check, seen)
    return
  }
  const { env, instances } = ctx
  const live = () => instances().filter((e) => e.instance.deref() !== undefined || e.memory.deref() !== undefined)
  const onlyLive = await collect(env.gc, () => live().length === 1, env.collectAttempts)
  seen.held = live().map((e) => e.index)
  check(onlyLive, `instances or memories still held after GC: ${seen.held.join(', ')} (live: the last)`)
  if (h.before.rss !== null) {
    // A dead memory's pages go back to the system some time after the GC
    // that found it dead.
    const back = await collect(env.gc, () => env.rss() <= h.before.rss * 1.1, 150)
    seen.rssMiB = [h.before.rss, env.rss()].map((b) => Math.round(b / 2 ** 20))
    check(back, `RSS after GC ${seen.rssMiB[1]} MiB, before the fault ${seen.rssMiB[0]} MiB`)
  }
}

// A fault that is a panic or an abort (FIRE): the error, the generation,
// the state, stale objects and closures, the canary, memory.
async function abortOrPanic(ctx, fault, check, seen) {
  const { m, u, instances } = ctx
  const { panics, kept, fire } = FIRE[fault]
  const h = await prepare(ctx)
  const gen = h.before.generation
  const recovers = panics && u.mode !== 'none'

  const r = withConsoleError(() => fire(m, h))
  seen.error = errorName(r.error)
  seen.cause = errorName(r.error?.cause)
  check(r.threw, 'the faulting call throws')
  const deadCalls = instances()[gen]?.importCalls
  if (recovers) {
    check(seen.error === 'PanicError', `a panic that unwinds throws PanicError, not ${seen.error}`)
    check(u.state === 'live' && u.generation === gen, `still generation ${gen}, live: ${u.state} ${u.generation}`)
    seen.counter = m.counter()
    check(seen.counter === h.before.counter + kept, `state kept: counter ${seen.counter}, expected ${h.before.counter + kept}`)
    seen.objects = [outcome(() => h.acc.total), outcome(() => h.snap.total), outcome(() => h.bumper())]
    check(
      seen.objects.every((o) => 'value' in o),
      `objects and closures of the live generation keep working: ${JSON.stringify(seen.objects)}`,
    )
    if (fault === 'panic in &mut self') check(seen.objects[0].value === '-1n', `the object's state kept: ${seen.objects[0].value}`)
  } else {
    check(seen.error === 'WasmAbortError', `an abort throws WasmAbortError, not ${seen.error}`)
    check(r.error?.generation === gen, `the error names generation ${gen}: ${r.error?.generation}`)
    check(u.state === 'terminated', `terminated after the abort: ${u.state}`)
    if (panics) check(r.error?.panicMessage !== undefined, 'the panic message is kept')
    seen.counter = m.counter()
    check(u.generation === gen + 1 && u.state === 'live', `re-created as generation ${gen + 1}: ${u.generation} ${u.state}`)
    check(seen.counter === 0, `fresh state: counter ${seen.counter}`)
    seen.stale = [outcome(() => h.acc.total), outcome(() => h.snap.total), outcome(() => h.bumper()), outcome(() => h.panicker())]
    check(
      seen.stale.every((o) => o.error === 'StaleHandleError'),
      `objects and closures of generation ${gen} refused: ${JSON.stringify(seen.stale)}`,
    )
    check(m.counter() === 0, 'no stale closure reached Rust')
    for (let i = 0; i < 100; i++) m.bump()
    m.greet('canary')
    seen.deadImportCalls = [deadCalls, instances()[gen]?.importCalls]
    check(deadCalls === instances()[gen]?.importCalls, `imports of generation ${gen} called after the fault: ${seen.deadImportCalls}`)
  }
  h.acc.free?.()
  await released(ctx, h, check, seen)
}

const OTHER = {
  async 'async panic, another call pending'(ctx, _fault, check, seen) {
    const { m, u } = ctx
    const h = await prepare(ctx)
    const gen = h.before.generation
    const pending = m.wait_for_release()
    const r = withConsoleError(() => m.panic_after_await())
    check(!r.threw, 'the async call returns a promise')
    const outcomes = await Promise.all([settled(r.value), settled(pending)])
    seen.outcomes = outcomes
    if (u.mode !== 'none') {
      // The panic unwinds: the call rejects; the other is still waiting.
      check(outcomes[0].rejected === 'PanicError', `the panicking call rejects with PanicError: ${JSON.stringify(outcomes[0])}`)
      check(outcomes[1].hung === true, 'the other call is still pending')
      check(m.release() === true, 'release() reaches the pending call')
      const after = await settled(pending)
      check(after.resolved === h.before.counter + 1001, `the pending call finishes on the kept state: ${JSON.stringify(after)}`)
      check(u.generation === gen && u.state === 'live', 'same generation, live')
    } else {
      for (const [i, o] of outcomes.entries()) {
        check(o.rejected === 'WasmAbortError' && o.generation === gen, `call ${i} rejects with the abort: ${JSON.stringify(o)}`)
      }
      seen.counter = m.counter()
      check(seen.counter === 0 && u.generation === gen + 1, `fresh state in generation ${gen + 1}: ${seen.counter}, ${u.generation}`)
      check(outcome(() => h.acc.total).error === 'StaleHandleError', 'objects of the dead generation refused')
    }
    await released(ctx, h, check, seen)
  },

  async 'Result import'(ctx, _fault, check, seen) {
    await passesThrough(
      ctx,
      check,
      seen,
      () => m(ctx).fail_with_js_error('from Rust'),
      (e) => e?.message === 'from Rust',
    )
  },

  async 'throwing non-catch import'(ctx, _fault, check, seen) {
    const thrown = new Error('from the callback')
    await passesThrough(
      ctx,
      check,
      seen,
      () =>
        m(ctx).call_uncaught(() => {
          throw thrown
        }),
      (e) => e === thrown,
    )
  },

  async '2,000 JS throws through Rust'(ctx, _fault, check, seen) {
    const { u } = ctx
    const thrown = new Error('again')
    const jsExceptions = u.stats.jsExceptions
    await passesThrough(
      ctx,
      check,
      seen,
      () => {
        for (let i = 0; i < 2000; i++) {
          try {
            m(ctx).call_uncaught(() => {
              throw thrown
            })
          } catch (e) {
            if (e !== thrown) throw e
          }
        }
        throw thrown
      },
      (e) => e === thrown,
    )
    seen.jsExceptions = u.stats.jsExceptions - jsExceptions
    check(seen.jsExceptions === 2000, `2,000 JS exceptions seen: ${seen.jsExceptions}`)
    check(m(ctx).call_uncaught(() => 7) === 7, 'the shadow stack still has room')
  },

  async [START_PANIC_FAULT](ctx, _fault, check, seen) {
    const { m, u, instances } = ctx
    u.reinit() // a crash-loop window of its own
    const h = await prepare(ctx)
    const gen = h.before.generation
    u.maxAborts = 3
    globalThis.brickedStartPanics = true
    try {
      const first = withConsoleError(() => m.abort_now())
      check(errorName(first.error) === 'WasmAbortError', `the abort: ${errorName(first.error)}`)
      // Each call re-creates the instance, whose start panics: an abort of
      // the new generation, until the crash-loop guard stops trying.
      const failed = []
      for (let i = 0; i < 5; i++) {
        const r = withConsoleError(() => m.bump())
        failed.push({
          error: errorName(r.error),
          generation: r.error?.generation,
          panic: r.error?.panicMessage?.includes('start panics') === true,
          state: u.state,
        })
      }
      seen.failed = failed
      const made = instances().length
      for (const [i, f] of failed.slice(0, 3).entries()) {
        check(
          f.error === 'WasmAbortError' && f.generation === gen + 1 + i && f.panic && f.state === 'terminated',
          `re-creation ${i + 1} fails to start, as an abort of generation ${gen + 1 + i}: ${JSON.stringify(f)}`,
        )
      }
      check(u.stats.crashLooped === true, 'the crash-loop guard stopped it')
      check(
        failed.slice(3).every((f) => f.error === 'WasmAbortError' && f.state === 'terminated'),
        `then calls are refused: ${JSON.stringify(failed.slice(3))}`,
      )
      check(outcome(() => m.bump()).error === 'WasmAbortError' && instances().length === made, 'no instance made once the guard stopped')
      globalThis.brickedStartPanics = false
      u.reinit()
      seen.afterReinit = { state: u.state, generation: u.generation, bump: m.bump() }
      check(
        seen.afterReinit.state === 'live' && seen.afterReinit.bump === 1,
        `reinit() starts a fresh instance: ${JSON.stringify(seen.afterReinit)}`,
      )
      check(outcome(() => h.acc.total).error === 'StaleHandleError', 'objects of the first generation refused')
    } finally {
      globalThis.brickedStartPanics = false
      u.maxAborts = 1000
    }
    await released(ctx, h, check, seen)
  },
}

const m = (ctx) => ctx.m

// A JS exception through Rust is no abort: the caller gets it, and the
// instance, its state and its objects carry on.
async function passesThrough(ctx, check, seen, call, isTheError) {
  const { u } = ctx
  const h = await prepare(ctx)
  const gen = h.before.generation
  const r = withConsoleError(call)
  seen.error = errorName(r.error)
  check(r.threw && isTheError(r.error), `the caller gets the JS error itself: ${seen.error}`)
  check(u.generation === gen && u.state === 'live', `same generation, live: ${u.generation} ${u.state}`)
  seen.counter = ctx.m.bump()
  check(seen.counter === h.before.counter + 1, `state kept: ${seen.counter}`)
  check('value' in outcome(() => h.acc.total), 'objects keep working')
  await released(ctx, h, check, seen)
}

/** In a browser page or worker: the package at `url`, the web target by its default init. */
export function inPage(url, kind, startPanic) {
  const load = async () => {
    const m = await import(url)
    if (kind === 'web') await m.default()
    return m
  }
  return runFaults(load, { gc: globalThis.gc ?? null, rss: null, startPanic })
}
