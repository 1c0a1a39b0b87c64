// Shared helpers for the wasm-unbrick tests: patch a fixture through the CLI,
// load a package of any wasm-bindgen target into this process, the abort
// triggers of the `bricked` fixture crate, and the calls whose results the
// patched module must share with the unpatched one.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { asReinit } from './eh-scenario.mjs'
import { EXPECTED_NORMAL, withConsoleError } from './normal-calls.mjs'

export { EXPECTED_NORMAL, normalResults, UNICODE_NAME, withConsoleError } from './normal-calls.mjs'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const CLI = path.join(ROOT, 'bin', 'wasm-unbrick.js')
export const FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130')
export const TARGETS = ['nodejs', 'web', 'bundler']
/**
 * The panic=unwind fixtures the EH tests run, each with nodejs, web and
 * bundler outputs: named, so that a missing one fails instead of testing
 * nothing (fixtures/scripts/build-fixtures.sh makes them).
 */
export const UNWIND_FIXTURES = ['wbg-0.2.106-unwind-modern', 'wbg-0.2.130-unwind-legacy', 'wbg-0.2.130-unwind-modern']

/** Fails when a listed fixture is missing or one on disk is not listed. */
export function assertUnwindFixtures(outDir) {
  const onDisk = fs
    .readdirSync(outDir)
    .filter((d) => /-unwind-(modern|legacy)$/.test(d))
    .sort()
  assert.deepEqual(onDisk, UNWIND_FIXTURES, 'panic=unwind fixtures on disk (fixtures/scripts/build-fixtures.sh)')
  for (const version of UNWIND_FIXTURES) {
    for (const target of TARGETS) {
      assert.ok(fs.existsSync(path.join(outDir, version, target, 'bricked_bg.wasm')), `${version}/${target} exists`)
    }
  }
}
export const NODE_MAJOR = Number(process.versions.node.split('.')[0])

const require = createRequire(import.meta.url)

// One scratch directory per process, removed when the process exits.
let scratch = null
function scratchDir() {
  if (scratch === null) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-test-'))
    process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }))
  }
  return scratch
}

let serial = 0
/** A new empty directory under this process's scratch directory. */
export function freshDir(label) {
  const dir = path.join(scratchDir(), `${label}-${++serial}`)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

// ES module targets get a package.json saying so: the fixture directories
// have none, and Node must not guess.
function markModuleType(dir, target) {
  if (target !== 'nodejs') fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
}

/** Runs the CLI; returns { status, stdout, stderr }. */
export function runCli(args, options = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...options })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * Patches fixtures/out/wbg-0.2.130/<target> (or the fixture directory
 * `from`) into a fresh temp directory through the CLI (`wasm-unbrick <pkg>
 * --out-dir <dir> [--policy p]`) and returns that directory.
 */
export function patchFixture(target, { policy, args = [], from = path.join(FIXTURES, target) } = {}) {
  const out = freshDir(`patched-${target}`)
  const cliArgs = [from, '--out-dir', out, ...args]
  if (policy !== undefined) cliArgs.push('--policy', policy)
  const r = runCli(cliArgs)
  if (r.status !== 0) {
    throw new Error(`wasm-unbrick ${cliArgs.join(' ')} exited with ${r.status}\n${r.stdout}${r.stderr}`)
  }
  markModuleType(out, target)
  return out
}

// Patching once per (target, options) and copying the result gives every
// test a module of its own without running the CLI each time.
const templates = new Map()
function patchedTemplate(target, opts) {
  const key = JSON.stringify([target, opts.policy ?? null, opts.args ?? [], opts.from ?? null])
  if (!templates.has(key)) templates.set(key, patchFixture(target, opts))
  return templates.get(key)
}

/** A fresh copy of the patched package, as a directory. */
export function patchedCopy(target, opts = {}) {
  const dir = freshDir(`copy-${target}`)
  fs.cpSync(patchedTemplate(target, opts), dir, { recursive: true })
  return dir
}

/** A fresh copy of the unpatched fixture, as a directory. */
export function unpatchedCopy(target) {
  const dir = freshDir(`plain-${target}`)
  fs.cpSync(path.join(FIXTURES, target), dir, { recursive: true })
  markModuleType(dir, target)
  return dir
}

/**
 * Whether this Node can load the unpatched bundler target (`import * as
 * wasm from "./x_bg.wasm"`): Node 22+ does it by itself, Node 20 needs
 * --experimental-wasm-modules (scripts/test.mjs passes it).
 */
export const canImportWasm =
  NODE_MAJOR >= 22 ||
  process.execArgv.includes('--experimental-wasm-modules') ||
  (process.env.NODE_OPTIONS ?? '').includes('--experimental-wasm-modules')

/**
 * Loads the package in `dir` built for `target` and returns its exports.
 * - nodejs: require()
 * - web: dynamic import, then `initSync({ module: <bytes> })`, or with
 *   `{ asyncInit: true }` the default export `init({ module_or_path: <bytes> })`
 * - bundler: dynamic import of the entry file (the patched one compiles its
 *   own .wasm with top-level await; the unpatched one imports the .wasm).
 */
export async function loadPackage(dir, target, { asyncInit = false } = {}) {
  const entry = path.join(dir, 'bricked.js')
  if (target === 'nodejs') return require(entry)
  const m = await import(pathToFileURL(entry).href)
  if (target === 'web') {
    const bytes = fs.readFileSync(path.join(dir, 'bricked_bg.wasm'))
    if (asyncInit) await m.default({ module_or_path: bytes })
    else m.initSync({ module: bytes })
  }
  return m
}

/** A freshly loaded patched module: { dir, m, u } where u = m.__unbrick. */
export async function freshPatched(target, opts = {}) {
  const dir = patchedCopy(target, opts)
  const m = await loadPackage(dir, target, opts)
  assert.ok(m.__unbrick, `patched ${target} package exports __unbrick`)
  return { dir, m, u: m.__unbrick }
}

/** A freshly loaded unpatched module: { dir, m }. */
export async function freshUnpatched(target, opts = {}) {
  const dir = unpatchedCopy(target)
  return { dir, m: await loadPackage(dir, target, opts) }
}

/** Like withConsoleError, for a function returning a promise. */
export async function withConsoleErrorAsync(fn) {
  const original = console.error
  const logs = []
  console.error = (...args) => {
    logs.push(args.map(String).join(' '))
  }
  try {
    return { value: await fn(), error: undefined, threw: false, logs }
  } catch (error) {
    return { value: undefined, error, threw: true, logs }
  } finally {
    console.error = original
  }
}

/** An assert.throws validator for an error of the given name. */
export function named(name, check = () => {}) {
  return (e) => {
    assert.ok(e !== null && typeof e === 'object', `expected a ${name}, got ${String(e)}`)
    assert.equal(e.name, name, `expected a ${name}, got ${e.name}: ${e.message}`)
    check(e)
    return true
  }
}

/**
 * The abort triggers of the fixture crate.
 * - setup(m): state the trigger needs (an object), passed to fire and bricked
 * - fire(m, ctx): the failing call
 * - cause: name of the error the engine raises (what WasmAbortError.cause is)
 * - panic: text console_error_panic_hook reports (null: no panic message)
 * - bricked(m, ctx, rawError): asserts that the unpatched module is broken
 *   after the trigger, through the later call that fails
 */
export const TRIGGERS = [
  {
    name: 'panic_while_borrowed',
    cause: 'RuntimeError',
    panic: 'panic while the counter is borrowed',
    fire: (m) => m.panic_while_borrowed(),
    bricked(m) {
      // The counter's RefCell stays mutably borrowed.
      assert.throws(() => m.bump(), /unreachable/)
      assert.throws(() => m.counter(), /unreachable/)
    },
  },
  {
    name: 'Accumulator.explode',
    cause: 'RuntimeError',
    panic: 'panic inside Accumulator::explode',
    setup(m) {
      const acc = new m.Accumulator(5n)
      acc.add(1n)
      return acc
    },
    fire: (_m, acc) => acc.explode(),
    bricked(_m, acc) {
      // The object stays mutably borrowed: every use of it fails.
      assert.throws(() => acc.total, /recursive use of an object/)
      assert.throws(() => acc.add(1n), /recursive use of an object/)
      assert.throws(() => acc.free(), /while it was borrowed/)
    },
  },
  {
    name: 're-entrant reenter_and_panic',
    cause: 'RuntimeError',
    panic: 'already borrowed',
    fire: (m) => m.with_counter_borrowed(() => m.reenter_and_panic()),
    bricked(m) {
      // The trap is caught by the glue of the outer import call and handed
      // to Rust as an Err: the outer Rust frame keeps running on the
      // instance that trapped. A callback that swallows the trap returns
      // straight into it, and Rust carries on as if nothing happened.
      const r = withConsoleError(() =>
        m.with_counter_borrowed(() => {
          assert.throws(() => m.reenter_and_panic(), /unreachable/)
          return 42
        }),
      )
      assert.equal(r.error, undefined)
      assert.equal(r.value, 42, 'the outer Rust call returned normally after the trap')
    },
  },
  {
    name: 'exhaust_memory (out of memory)',
    cause: 'RuntimeError',
    panic: null,
    slow: true,
    fire: (m) => m.exhaust_memory(),
    bricked(m) {
      // The counter was borrowed (and forgotten) before memory ran out.
      assert.throws(() => m.bump(), /unreachable/)
    },
  },
  {
    name: 'overflow_native_stack (RangeError)',
    cause: 'RangeError',
    panic: null,
    fire: (m) => m.overflow_native_stack(),
    bricked(m) {
      assert.throws(() => m.bump(), /unreachable/)
    },
  },
  {
    name: 'overflow_stack (shadow stack)',
    cause: 'RuntimeError',
    panic: null,
    fire: (m) => m.overflow_stack(),
    bricked(m) {
      // The shadow stack pointer stays below the start of memory.
      assert.throws(() => m.greet('x'), /memory access out of bounds/)
    },
  },
  {
    name: 'abort_now (std::process::abort)',
    cause: 'RuntimeError',
    panic: null,
    fire: (m) => m.abort_now(),
    bricked(m) {
      assert.throws(() => m.bump(), /unreachable/)
    },
  },
]

export function assertExpectedNormal(r) {
  assert.deepEqual(r.add, EXPECTED_NORMAL.add)
  assert.deepEqual(r.greet, EXPECTED_NORMAL.greet)
  assert.deepEqual(r.reverse[0], EXPECTED_NORMAL.reverse[0])
  assert.equal(r.reverse[2], 0)
  assert.deepEqual(r.accumulator, EXPECTED_NORMAL.accumulator)
  assert.deepEqual(r.sumWith, EXPECTED_NORMAL.sumWith)
  assert.deepEqual(r.setter, EXPECTED_NORMAL.setter)
  assert.deepEqual(r.withCallback, EXPECTED_NORMAL.withCallback)
  assert.deepEqual(r.delayedDouble, EXPECTED_NORMAL.delayedDouble)
  assert.equal(r.checksum[1], 0)
}

/**
 * browser-scenario.mjs's abort-and-recover scenario as every engine must
 * report it: `plain` is the unpatched module's normal results, `causes`
 * the error each further abort trigger has as its cause on that engine.
 */
export function assertAbortScenario(out, plain, causes) {
  assert.equal(out.hasHandle, true)
  assert.deepEqual(out.start, { generation: 0, state: 'live', mode: 'none', policy: 'lazy' })
  assertExpectedNormal(out.normalBefore)
  assert.deepEqual(out.bumps, [1, 2])
  assert.equal(out.bumperBefore, 3)

  // The abort.
  assert.equal(out.abort?.name, 'WasmAbortError', JSON.stringify(out.abort))
  assert.equal(out.abort.isWasmAbortError, true)
  assert.equal(out.abort.generation, 0)
  assert.equal(out.abort.cause, 'RuntimeError')
  assert.match(out.abort.panicMessage ?? '', /panic while the counter is borrowed/)
  assert.equal(out.panicLogged, true, 'console_error_panic_hook still reaches console.error')
  assert.deepEqual(out.afterAbort, { state: 'terminated', generation: 0, aborts: [0] })
  assert.equal(out.pending?.rejected?.name, 'WasmAbortError', `pending wait_for_release: ${JSON.stringify(out.pending)}`)
  assert.equal(out.pending.rejected.generation, 0)

  // Recovery.
  assert.equal(out.counterAfter, 0)
  assert.equal(out.revived.state, 'live')
  assert.equal(out.revived.generation, 1)
  assert.equal(out.revived.stats.aborts, 1)
  assert.equal(out.revived.stats.reinits, 1)
  assert.deepEqual(out.stale, {
    total: { error: 'StaleHandleError' },
    add: { error: 'StaleHandleError' },
    snapshot: { error: 'StaleHandleError' },
    closure: { error: 'StaleHandleError' },
    free: 'ok',
  })
  assert.equal(out.lastBump, 1000)

  // Other aborts.
  let generation = 1
  for (const [name, cause] of Object.entries(causes)) {
    const r = out.more[name]
    assert.equal(r.error?.name, 'WasmAbortError', `${name}: ${JSON.stringify(r.error)}`)
    assert.equal(r.error.cause, cause, name)
    assert.equal(r.error.generation, generation, name)
    generation++
    assert.equal(r.greetAfter, 'Hello, again!', name)
    assert.equal(r.counterAfter, 0, name)
    assert.equal(r.generation, generation, name)
  }

  // Not aborts.
  assert.deepEqual(out.jsError, { name: 'Error', message: 'plain js error' })
  assert.deepEqual(out.callbackError, { same: true })
  assert.deepEqual(out.afterNonAborts, { generation, state: 'live' })

  // Same results as the unpatched module, before and after.
  assertExpectedNormal(plain)
  assert.deepEqual(out.normalBefore, plain)
  assert.deepEqual(out.normalAfter, plain)
  assert.deepEqual(out.normalAfter.accumulator, EXPECTED_NORMAL.accumulator)
}

// The README's engine matrix (scripts/engine-matrix.mjs) is made of what the
// engine tests saw: with WASM_UNBRICK_ENGINE_RESULTS naming a file, each test
// that passed its recovery assertions appends one JSON line per engine,
// build ('panic=abort', 'panic=unwind modern' or 'panic=unwind legacy'),
// mode asked for ('auto' or a forced one) and mode loaded.
export function recordEngineResult(engine, build, asked, loaded) {
  const file = process.env.WASM_UNBRICK_ENGINE_RESULTS
  if (file) fs.appendFileSync(file, `${JSON.stringify({ engine, build, asked, loaded })}\n`)
}

// Exception-handling variants (eh-modes.test.mjs, chromium.test.mjs).
export const EH_SUPPORT_KEY = Symbol.for('wasm-unbrick.eh-support')

/** The EH flavour a panic=unwind fixture was built with. */
export function builtEhMode(fixtureDir) {
  return fixtureDir.includes('unwind-legacy') ? 'legacy' : 'modern'
}

/** The modes a patched package can run in: its own and one per variant file. */
export function ehModesMade(patchedDir, built) {
  return ['modern', 'legacy', 'none'].filter(
    (m) => m === built || fs.existsSync(path.join(patchedDir, `bricked_bg.${m === 'none' ? 'noeh' : m}.wasm`)),
  )
}

/** The mode the runtime must choose, given what the probe found. */
export function bestEhMode(built, made, support) {
  const order = built === 'legacy' ? ['legacy', 'modern'] : ['modern', 'legacy']
  return order.find((m) => support[m] && made.includes(m)) || 'none'
}

/**
 * What a panic that unwinds out of the panic=unwind fixture in `fixtureDir`
 * throws (as eh-scenario.mjs's errorName gives it): `PanicError`, or, from
 * glue older than 0.2.114, which has none, the Rust exception itself.
 */
export function unwoundPanicName(fixtureDir) {
  const glue = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.js'))
  const panicError = glue.some((f) => fs.readFileSync(path.join(fixtureDir, f), 'utf8').includes('PanicError'))
  return panicError ? 'PanicError' : 'WebAssembly.Exception'
}

/**
 * Checks the results of eh-scenario.mjs's scenario run in each mode
 * (`results.auto` and one per mode): the unwinding modes agree, reinit-only
 * differs from them only as a reinit does, and auto equals the best mode.
 * Then records them for the engine matrix under `engine`, when given.
 */
export function assertEhResults(results, best, fixtureDir, engine) {
  const unwound = results.modern || results.legacy
  if (unwound) {
    assert.equal(unwound.panic, unwoundPanicName(fixtureDir), 'a panic unwinds')
    assert.equal(unwound.afterPanic, 1002, 'state kept: the borrow was released by unwinding')
    for (const mode of ['modern', 'legacy']) {
      if (results[mode]) assert.deepEqual({ ...results[mode], mode: '' }, { ...unwound, mode: '' }, mode)
    }
    assert.deepEqual(results.none, asReinit(unwound))
  }
  assert.equal(results.none.panic, 'WasmAbortError', 'reinit-only: a panic is an abort')
  assert.deepEqual(results.none.abort, ['WasmAbortError', 'RuntimeError'])
  assert.equal(results.none.state, 'live')
  assert.deepEqual({ ...results.auto, mode: '' }, { ...results[best], mode: '' })
  if (engine !== undefined) {
    for (const [asked, r] of Object.entries(results)) recordEngineResult(engine, `panic=unwind ${builtEhMode(fixtureDir)}`, asked, r.mode)
  }
}
