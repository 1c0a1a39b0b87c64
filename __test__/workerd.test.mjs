// workerd (npm `workerd`) and Miniflare: the fixtures' patched web target
// as a Workers ES module (workerd-worker.mjs) with every `.wasm` as a
// `wasm` module binding, started by initSync({ module }) either at module
// evaluation or first inside a request, where workerd refuses to compile
// Wasm. Requests over HTTP on 127.0.0.1: a panic or abort in one request,
// recovery in the next, objects kept across requests, the crash-loop guard.
//
// scripts/test.mjs runs this file once, on Node 24 (Miniflare needs 22+).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { expectedCheckpoint } from './checkpoint-scenario.mjs'
import { assertFaultReport, faultPackages } from './fault-matrix.mjs'
import {
  assertEhResults,
  assertExpectedNormal,
  assertUnwindFixtures,
  builtEhMode,
  ehModesMade,
  FIXTURES,
  patchFixture,
  recordEngineResult,
  UNWIND_FIXTURES,
  unpatchedCopy,
} from './helpers.mjs'
import { startMiniflare, startWorkerd, WORKERD } from './workerd.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.dirname(FIXTURES)
const WORKERD_ENGINE = `workerd ${spawnSync(WORKERD, ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ').pop()}`
const MINIFLARE_VERSION = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'node_modules', 'miniflare', 'package.json'), 'utf8')).version
const MINIFLARE_ENGINE = `Miniflare ${MINIFLARE_VERSION}`
const VARIANT_FILES = { modern: 'bricked_bg.modern.wasm', legacy: 'bricked_bg.legacy.wasm', none: 'bricked_bg.noeh.wasm' }

/** The bigints of the worker's JSON ("<n>n") revived. */
function revive(text) {
  return JSON.parse(text, (_, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))
}

/**
 * The worker's modules for the package in `dir`: its glue imported at
 * `load` ('startup' or 'request'), its `.wasm` files (and `extra`, by name)
 * bound as wasm modules; `file` is what the host passes to initSync (null:
 * what `__unbrick.wasmFile` names).
 */
function workerModules(dir, { load = 'startup', file = null, extra = {} } = {}) {
  const wasm = {
    ...Object.fromEntries(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.wasm'))
        .map((f) => [f, path.join(dir, f)]),
    ),
    ...extra,
  }
  const names = Object.keys(wasm)
  const setup = [
    load === 'startup'
      ? "import * as g from './bricked.js'\nexport const glue = () => g"
      : "export const glue = () => import('./bricked.js')",
    ...names.map((f, i) => `import w${i} from './${f}'`),
    `export const WASM = { ${names.map((f, i) => `${JSON.stringify(f)}: w${i}`).join(', ')} }`,
    `export const LOAD = ${JSON.stringify(load)}`,
    `export const FILE = ${JSON.stringify(file)}`,
  ].join('\n')
  return {
    'worker.mjs': { type: 'esModule', file: path.join(HERE, 'workerd-worker.mjs') },
    'worker-setup.mjs': { type: 'esModule', text: setup },
    'checkpoint-scenario.mjs': { type: 'esModule', file: path.join(HERE, 'checkpoint-scenario.mjs') },
    'eh-scenario.mjs': { type: 'esModule', file: path.join(HERE, 'eh-scenario.mjs') },
    'normal-calls.mjs': { type: 'esModule', file: path.join(HERE, 'normal-calls.mjs') },
    'fault-scenario.mjs': { type: 'esModule', file: path.join(HERE, 'fault-scenario.mjs') },
    'instance-tracker.mjs': { type: 'esModule', file: path.join(HERE, 'instance-tracker.mjs') },
    'bricked.js': { type: 'esModule', file: path.join(dir, 'bricked.js') },
    ...Object.fromEntries(names.map((f) => [f, { type: 'wasm', file: wasm[f] }])),
  }
}

/** Starts the worker (`start`: startWorkerd or startMiniflare); `get(route)` parses the answer. */
async function serveWorker(start, modules) {
  const w = await start(modules)
  const get = async (route) => {
    const res = await w.fetch(`/${route}`)
    const text = await res.text()
    assert.equal(res.status, 200, `/${route} answered ${res.status}: ${text}\n${w.log()}`)
    return revive(text)
  }
  return { ...w, get }
}

/** The answers of `routes` in turn, from a worker serving `modules`. */
async function answers(start, modules, routes) {
  const w = await serveWorker(start, modules)
  try {
    const out = []
    for (const route of routes) out.push(await w.get(route))
    return out
  } finally {
    await w.stop()
  }
}

// The abort of one request seen by the next ones: recovery, stale objects.
const ACROSS_REQUESTS = ['keep', 'abort', 'bump', 'kept', 'bump', 'info']
function assertAcrossRequests([kept, abort, bump, stale, bumpAgain, info]) {
  assert.deepEqual(kept, { total: 5n, bumper: 1 })
  assert.equal(abort.error?.name, 'WasmAbortError', JSON.stringify(abort))
  assert.equal(abort.error.cause, 'RuntimeError')
  assert.equal(abort.state, 'terminated')
  assert.deepEqual({ value: bump.value, state: bump.state, generation: bump.generation }, { value: 1, state: 'live', generation: 1 })
  for (const [name, r] of Object.entries(stale)) assert.equal(r.error?.name, 'StaleHandleError', `${name}: ${JSON.stringify(r)}`)
  assert.equal(bumpAgain.value, 2)
  assert.equal(info.stats.aborts, 1)
  assert.equal(info.stats.reinits, 1)
}

// More aborts than the guard allows within its window: terminated until reinit().
const CRASH_LOOP = [...Array.from({ length: 6 }, () => ['abort', 'bump']).flat(), 'bump', 'reinit', 'bump']
function assertCrashLoop(out) {
  const reinit = out.at(-2)
  const [beforeReinit, afterReinit] = [out.at(-3), out.at(-1)]
  for (let i = 0; i < 5; i++) assert.equal(out[2 * i + 1].value, 1, `bump after abort ${i + 1} recovers`)
  assert.equal(out[11].error?.name, 'WasmAbortError', 'the sixth abort within 10 s is not recovered')
  assert.match(out[11].error.message, /6 aborts within 10000 ms/)
  assert.equal(beforeReinit.state, 'terminated')
  assert.deepEqual({ state: reinit.state, generation: reinit.generation }, { state: 'live', generation: 6 })
  assert.equal(afterReinit.value, 1)
}

describe('workerd', () => {
  before(() => {
    assert.ok(fs.existsSync(WORKERD), `${WORKERD} exists (npm ci installs the workerd package)`)
    assertUnwindFixtures(OUT)
  })

  test('the unpatched web target starts in workerd and an abort bricks it', async () => {
    const dir = unpatchedCopy('web')
    const [normal, abort, bump] = await answers(startWorkerd, workerModules(dir, { file: 'bricked_bg.wasm' }), ['normal', 'abort', 'bump'])
    assertExpectedNormal(normal)
    assert.equal(abort.error?.name, 'RuntimeError')
    assert.ok(bump.error !== undefined, `a bricked module: ${JSON.stringify(bump)}`)
  })

  for (const load of ['startup', 'request']) {
    const when = load === 'startup' ? 'started at module evaluation' : 'first imported inside a request'
    test(`panic=abort, ${when}: normal calls, recovery across requests, stale objects`, async () => {
      const dir = patchFixture('web')
      const [info, normal, ...rest] = await answers(startWorkerd, workerModules(dir, { load }), ['info', 'normal', ...ACROSS_REQUESTS])
      assert.equal(info.mode, 'none')
      assert.equal(info.state, 'live')
      assertExpectedNormal(normal)
      assertAcrossRequests(rest)
      recordEngineResult(WORKERD_ENGINE, 'panic=abort', 'auto', info.mode)
    })
  }

  test('panic=abort: the crash-loop guard keeps the module terminated until reinit()', async () => {
    assertCrashLoop(await answers(startWorkerd, workerModules(patchFixture('web')), CRASH_LOOP))
  })

  // checkpoint-scenario.mjs inside one request, as checkpoint.test.mjs runs it on Node.
  for (const load of ['startup', 'request']) {
    const when = load === 'startup' ? 'started at module evaluation' : 'first imported inside a request'
    for (const standby of [false, true]) {
      test(`--rollback checkpoint${standby ? ' --standby' : ''}, ${when}: the next instance is restored to the checkpoint`, async () => {
        const dir = patchFixture('web', { args: ['--rollback', 'checkpoint', ...(standby ? ['--standby'] : [])] })
        const [checkpoint] = await answers(startWorkerd, workerModules(dir, { load }), ['checkpoint'])
        assert.deepEqual(checkpoint, expectedCheckpoint(standby))
      })
    }
  }

  for (const version of UNWIND_FIXTURES) {
    const from = path.join(OUT, version, 'web')
    const built = builtEhMode(from)
    for (const load of ['startup', 'request']) {
      const when = load === 'startup' ? 'at module evaluation' : 'first inside a request'
      test(`${version}, started ${when}: the mode of the module passed, every mode behaves the same`, async () => {
        const dir = patchFixture('web', { from })
        const made = ehModesMade(dir, built)
        assert.deepEqual([...made].sort(), ['legacy', 'modern', 'none'])
        const [info, terminated, next] = await answers(startWorkerd, workerModules(dir, { load }), [
          'info',
          'terminate-in-callback',
          'bump',
        ])
        // workerd has both flavours; inside a request nothing can be
        // probed, and the module's own build is chosen (not reinit-only).
        if (load === 'startup') assert.deepEqual(info.support, { modern: true, legacy: true })
        else assert.equal(info.support, null, 'no probe result is kept from a refused probe')
        assert.equal(info.mode, built)
        // A callback that terminates the instance under an ignored `catch`
        // import: Rust of the dead instance must not go on to return 42.
        assert.equal(terminated.error?.name, 'WasmAbortError', JSON.stringify(terminated))
        assert.equal(next.generation, 1)
        assert.equal(next.state, 'live')

        // The host passes each variant itself: the runtime follows the
        // module it instantiates, whatever the probe chose.
        const [auto] = await answers(startWorkerd, workerModules(dir, { load }), ['eh'])
        const results = { auto }
        for (const mode of made) {
          const file = mode === built ? 'bricked_bg.wasm' : VARIANT_FILES[mode]
          const [r, t] = await answers(startWorkerd, workerModules(dir, { load, file }), ['eh', 'terminate-in-callback'])
          assert.equal(r.mode, mode, `initSync({ module: ${file} })`)
          assert.equal(t.error?.name, 'WasmAbortError', `${mode}: ${JSON.stringify(t)}`)
          results[mode] = r
        }
        assertEhResults(results, built, from, WORKERD_ENGINE)
      })
    }

    test(`${version}: the original, unpatched .wasm passed by the host runs as the build's own mode`, async () => {
      const dir = patchFixture('web', { from })
      const extra = { 'original.wasm': path.join(from, 'bricked_bg.wasm') }
      const [eh] = await answers(startWorkerd, workerModules(dir, { file: 'original.wasm', extra }), ['eh'])
      assert.equal(eh.mode, built)
      assert.equal(eh.abort[0], 'WasmAbortError')
      assert.equal(eh.state, 'live')
    })
  }
})

// The fault matrix in workerd: the web target of each build, every fault
// in a request of its own after the one that starts the package, its
// memory checks two requests later (workerd keeps what a request's promises
// were rejected with until it ends). With V8's optimizing tiers on, code
// optimized while an instance was live may hold it after it died (the async
// panic's, run last; in some runs the one live when the first request
// ended; not so in Node, Deno or Bun): the memory check is a known failure
// there. With only the interpreter (NO_JIT), nothing is held, and it is
// asserted.
const ASYNC_FAULT = 'async panic, another call pending'
const lastOfAll = (faults, last) => [...faults.filter((f) => f !== last), ...faults.filter((f) => f === last)]
const HELD = /^instances or memories still held after GC/
const NO_JIT = ['--no-opt', '--no-maglev', '--no-sparkplug']

for (const { variant, v8Flags } of [
  { variant: '', v8Flags: [] },
  { variant: ', JS tiers off', v8Flags: NO_JIT },
]) {
  describe(`workerd fault matrix${variant}`, () => {
    const packages = faultPackages(['web'])
    for (const { build, target, dir, startPanicDir } of packages) {
      for (const startPanic of [false, true]) {
        test(`${build} ${target}: ${startPanic ? 'a start that panics on re-creation' : 'every fault'}`, async (t) => {
          const modules = workerModules(startPanic ? startPanicDir : dir, { load: 'request' })
          const w = await serveWorker((m) => startWorkerd(m, { v8Flags }), modules)
          try {
            const { mode, faults } = await w.get(`faults${startPanic ? '?start-panic' : ''}`)
            const cells = []
            for (const name of lastOfAll(faults, ASYNC_FAULT)) {
              await w.get(`fault?name=${encodeURIComponent(name)}`)
              await (await w.fetch('/')).text()
              cells.push(await w.get('released'))
            }
            const known = v8Flags.length === 0 ? Object.fromEntries(faults.map((f) => [f, HELD])) : {}
            const engine = `${WORKERD_ENGINE}${variant}`
            for (const c of assertFaultReport({ mode, cells }, { engine, build, target, startPanic, known })) {
              t.diagnostic(`known failure (held with V8's JIT tiers on), ${c.fault}: ${c.failures.join('; ')}`)
            }
          } finally {
            await w.stop()
          }
        })
      }
    }
  })
}

describe('Miniflare', () => {
  before(() => assert.match(MINIFLARE_VERSION, /^4\./))
  test('panic=abort: recovery across dispatchFetch calls, stale objects, the crash-loop guard', async () => {
    const modules = workerModules(patchFixture('web'))
    const [info, normal, ...rest] = await answers(startMiniflare, modules, ['info', 'normal', ...ACROSS_REQUESTS])
    assert.equal(info.mode, 'none')
    assertExpectedNormal(normal)
    assertAcrossRequests(rest)
    assertCrashLoop(await answers(startMiniflare, modules, CRASH_LOOP))
    recordEngineResult(MINIFLARE_ENGINE, 'panic=abort', 'auto', info.mode)
  })

  for (const load of ['startup', 'request']) {
    for (const standby of [false, true]) {
      test(`--rollback checkpoint${standby ? ' --standby' : ''}, glue imported at ${load}: the next instance is restored to the checkpoint`, async () => {
        const dir = patchFixture('web', { args: ['--rollback', 'checkpoint', ...(standby ? ['--standby'] : [])] })
        const [checkpoint] = await answers(startMiniflare, workerModules(dir, { load }), ['checkpoint'])
        assert.deepEqual(checkpoint, expectedCheckpoint(standby))
      })
    }
  }

  for (const load of ['startup', 'request']) {
    test(`wbg-0.2.130-unwind-modern, glue imported at ${load}: the module's mode, panics unwind, aborts recover`, async () => {
      const from = path.join(OUT, 'wbg-0.2.130-unwind-modern', 'web')
      const dir = patchFixture('web', { from })
      const [eh, terminated, next] = await answers(startMiniflare, workerModules(dir, { load }), ['eh', 'terminate-in-callback', 'bump'])
      assert.equal(eh.mode, 'modern')
      assert.equal(eh.panic, 'PanicError')
      assert.deepEqual(eh.abort, ['WasmAbortError', 'RuntimeError'])
      assert.equal(eh.ignoredCallbackError, 42)
      assert.equal(terminated.error?.name, 'WasmAbortError', JSON.stringify(terminated))
      assert.equal(next.state, 'live')
      recordEngineResult(MINIFLARE_ENGINE, 'panic=unwind modern', 'auto', eh.mode)
    })
  }
})

// The case this project started from: a workers-rs worker built by
// Cloudflare's worker-build (fixtures/scripts/build-workers-rs.sh), whose
// /panic-borrowed panics while a RefCell is borrowed, so that state survives
// wrong unless the instance is re-created.
describe('workers-rs worker (worker-build 0.8.7)', () => {
  const WORKERS_RS = path.join(OUT, 'workers-rs')
  const builds = {
    'own recovery': { dir: path.join(WORKERS_RS, 'recovery'), entry: 'index.js', wasm: 'index_bg.wasm' },
    '--no-panic-recovery': { dir: path.join(WORKERS_RS, 'no-recovery'), entry: 'shim.mjs', wasm: 'index.wasm' },
  }
  const modulesOf = ({ dir, entry, wasm }) => ({
    [entry]: { type: 'esModule', file: path.join(dir, entry) },
    [wasm]: { type: 'wasm', file: path.join(dir, wasm) },
  })

  /** Status and body of each route in turn. */
  async function statuses(modules, routes) {
    const w = await startWorkerd(modules)
    try {
      const out = []
      for (const route of routes) {
        const res = await w.fetch(`/${route}`)
        out.push(`${res.status} ${(await res.text()).trim().slice(0, 40)}`)
      }
      return out
    } finally {
      await w.stop()
    }
  }
  const ROUTES = ['count', 'count', 'panic-borrowed', '', 'count', 'abort', 'count']

  test("worker-build's own recovery re-creates the instance", async () => {
    const out = await statuses(modulesOf(builds['own recovery']), ROUTES)
    assert.deepEqual(
      out.map((s) => s.split(' ')[0]),
      ['200', '200', '500', '200', '200', '500', '200'],
      out.join('\n'),
    )
    assert.deepEqual([out[0], out[1], out[4], out[6]], ['200 1', '200 2', '200 1', '200 1'], 'the state starts again')
  })

  test('without it, a panic leaves the worker broken', async () => {
    const out = await statuses(modulesOf(builds['--no-panic-recovery']), ROUTES.slice(0, 5))
    assert.deepEqual(out.slice(0, 2), ['200 1', '200 2'])
    assert.equal(out[2].split(' ')[0], '500')
    assert.equal(out[3], '200 ok', 'routes that do not touch the state still answer')
    assert.equal(out[4].split(' ')[0], '500', `the RefCell stays borrowed: ${out[4]}`)
  })

  test('without it and patched by wasm-unbrick, the next request is served by a new instance', async () => {
    const build = builds['--no-panic-recovery']
    const dir = patchFixture('web', { from: build.dir })
    assert.ok(fs.readFileSync(path.join(dir, build.entry), 'utf8').includes('__unbrick'), 'the bundle was patched')
    const out = await statuses(modulesOf({ ...build, dir }), ROUTES)
    assert.deepEqual(
      out.map((s) => s.split(' ')[0]),
      ['200', '200', '500', '200', '200', '500', '200'],
      out.join('\n'),
    )
    assert.deepEqual([out[0], out[1], out[4], out[6]], ['200 1', '200 2', '200 1', '200 1'], 'the state starts again')
  })
})
