// The browser test, for any engine of browser.mjs's ENGINES (chromium.test.mjs,
// firefox.test.mjs): the patched web target (default async init,
// instantiateStreaming) and the patched bundler target (its entry loaded
// directly as an ES module, with the top-level-await loader) in a page, the
// unpatched packages beside them, the panic=unwind fixtures in every
// exception-handling mode, and a web package over 8 MB on the main thread
// and in a worker, with and without the standby instance, and rollback to a
// checkpoint. The packages are served from 127.0.0.1 with the
// application/wasm content type; the browser reaches nothing else.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openBrowser, runIn, serve } from './browser.mjs'
import { expectedCheckpoint } from './checkpoint-scenario.mjs'
import { assertFaultReport, FAULT_BUILDS, faultPackages } from './fault-matrix.mjs'
import {
  assertAbortScenario,
  assertEhResults,
  assertExpectedNormal,
  assertUnwindFixtures,
  bestEhMode,
  builtEhMode,
  ehModesMade,
  patchFixture,
  ROOT,
  recordEngineResult,
  UNWIND_FIXTURES,
  unpatchedCopy,
} from './helpers.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.join(ROOT, 'fixtures', 'out')
const LARGE = path.join(OUT, 'wbg-0.2.130-large', 'web')

/** The targets loaded in the page. */
export const KINDS = ['web', 'bundler']
/** Where the large package runs, as runIn names it, and how the tests name it. */
export const THREADS = { main: 'main thread', worker: 'dedicated worker' }
export const POLICIES = ['lazy', 'eager']

/** The aborts after the first, each with the error the engine raises (WasmAbortError.cause). */
export function abortCauses(engine) {
  return { overflow_stack: 'RuntimeError', overflow_native_stack: engine.nativeStackOverflow, abort_now: 'RuntimeError' }
}

// The normal results as they come back from the page (bigint -> "<n>n").
export function fromPage(value) {
  return JSON.parse(JSON.stringify(value), (_, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))
}

/**
 * Registers the browser tests for `engine` in the current describe();
 * `more(ctx)` registers further tests, which run after these and before the
 * check that the browser contacted nothing but 127.0.0.1 (engines with
 * `quiet`). ctx: { browser() } — the openBrowser driver, once started.
 */
export function browserSuite(engine, { more } = {}) {
  let browser
  let site
  // How the engine matrix (helpers.mjs recordEngineResult) names it:
  // "Firefox 153.8.0", "Firefox 153.8.0, JS JITs off".
  const label = () => `${engine.name} ${browser.version.replace(/^\D*\//, '')}${engine.variant ? `, ${engine.variant}` : ''}`
  // Served directories by URL prefix; tests add their own.
  const roots = {}
  // Pages whose uncaught errors fail the test that opened them.
  const watched = new Set()
  const pageErrors = () => [...watched].flatMap((p) => p.errors)

  before(async () => {
    assert.ok(fs.existsSync(engine.executable), `${engine.executable} exists (${engine.installer} installs it)`)
    site = await serve(roots)
    Object.assign(roots, {
      web: patchFixture('web'),
      bundler: patchFixture('bundler'),
      'plain-web': unpatchedCopy('web'),
      'plain-bundler': unpatchedCopy('bundler'),
      t: HERE,
    })
    browser = await openBrowser(engine)
  })

  after(async () => {
    if (browser && !engine.quiet && browser.outside.length > 0) {
      const hosts = new Set(
        browser.outside.map(
          (r) =>
            r
              .split(' ')[1]
              .replace(/^\w+:\/\//, '')
              .split(/[/:]/)[0],
        ),
      )
      console.log(`# ${engine.name} tried to reach (refused by the sink proxy): ${[...hosts].join(', ')}`)
    }
    await browser?.close()
    site?.server.close()
  })

  async function freshPage() {
    const page = await browser.newPage()
    watched.add(page)
    await page.goto(`${site.base}/index.html`)
    return page
  }

  async function plainResults() {
    const p = await freshPage()
    const r = await runIn(p, 'main', `${site.base}/t/browser-scenario.mjs`, 'plain', [`${site.base}/plain-web/bricked.js`, 'web'])
    await p.close()
    return fromPage(r.normal)
  }

  // The recovery tests; an engine variant made for the fault matrix alone
  // (`faultsOnly`) runs none of them.
  if (!engine.faultsOnly) {
    test('the unpatched bundler target does not load without a bundler', async (t) => {
      t.diagnostic(label())
      const p = await freshPage()
      watched.delete(p)
      const url = `${site.base}/plain-bundler/bricked.js`
      const r = await runIn(p, 'main', `${site.base}/t/browser-scenario.mjs`, 'plain', [url, 'bundler']).then(
        (v) => ({ value: v }),
        (e) => ({ error: e.message }),
      )
      await p.close()
      // Its glue imports bricked_bg.wasm as an ES module: no engine here has
      // the Wasm ESM integration, which is why the patched bundler target
      // compiles its .wasm itself and is compared with the unpatched web one.
      assert.match(r.error ?? '', engine.plainBundler.error, JSON.stringify(r))
      assert.equal(p.errors.length, engine.plainBundler.pageErrors.length, JSON.stringify(p.errors))
      for (const [i, re] of engine.plainBundler.pageErrors.entries()) assert.match(p.errors[i], re)
    })

    for (const kind of KINDS) {
      test(`patched ${kind} target: abort, recovery, stale handles, same results`, async () => {
        const wasmPath = `/${kind}/bricked_bg.wasm`
        const fetchesBefore = site.requests.filter((r) => r === wasmPath).length
        const p = await freshPage()
        const out = fromPage(
          await runIn(p, 'main', `${site.base}/t/browser-scenario.mjs`, 'scenario', [`${site.base}/${kind}/bricked.js`, kind]),
        )
        await p.close()

        assertAbortScenario(out, await plainResults(), abortCauses(engine))

        // The .wasm was fetched once: new instances reuse the compiled module.
        assert.equal(site.requests.filter((r) => r === wasmPath).length - fetchesBefore, 1)
        assert.deepEqual(pageErrors(), [])
        recordEngineResult(label(), 'panic=abort', 'auto', out.start.mode)
      })
    }

    // panic=unwind fixtures: the page probes the engine's exception handling
    // and loads the best variant; every mode runs the scenario of
    // eh-modes.test.mjs.
    let served = 0
    async function ehScenario(kind, from, args) {
      const pkg = patchFixture(kind, { from, args })
      const prefix = `eh${++served}`
      roots[prefix] = pkg
      const p = await freshPage()
      const result = await runIn(p, 'main', `${site.base}/t/eh-scenario.mjs`, 'inPage', [`${site.base}/${prefix}/bricked.js`, kind])
      await p.close()
      const variant = result.mode === 'none' ? 'noeh' : result.mode
      const wasmFile = `/${prefix}/bricked_bg${result.mode === builtEhMode(from) ? '' : `.${variant}`}.wasm`
      assert.ok(site.requests.includes(wasmFile), `${wasmFile} was fetched`)
      return { pkg, result }
    }

    test('the panic=unwind fixtures are all there', () => assertUnwindFixtures(OUT))
    for (const version of UNWIND_FIXTURES) {
      for (const kind of KINDS) {
        test(`${version} ${kind}: the best EH variant is chosen and every mode behaves the same`, async () => {
          const dir = path.join(OUT, version, kind)
          const built = builtEhMode(dir)
          const auto = await ehScenario(kind, dir, [])
          const { support, ...autoResult } = auto.result
          assert.equal(support?.modern, true, `${engine.name} catches a JS throw with try_table (catch $JSTag): ${JSON.stringify(support)}`)
          assert.equal(support.legacy, true, `${engine.name} still has legacy exception handling`)
          const made = ehModesMade(auto.pkg, built)
          assert.deepEqual([...made].sort(), ['legacy', 'modern', 'none'])
          const best = bestEhMode(built, made, support)
          assert.equal(autoResult.mode, best)
          const results = { auto: autoResult }
          for (const mode of made) {
            const { result } = await ehScenario(kind, dir, ['--eh-mode', mode])
            assert.equal(result.mode, mode)
            delete result.support
            results[mode] = result
          }
          assertEhResults(results, best, dir, label())
          assert.deepEqual(pageErrors(), [])
        })
      }
    }

    // A web-target module over 8 MB: where the engine has the gate
    // (mainThreadSyncLimit: Chromium), its main thread refuses to compile or
    // instantiate it synchronously; a worker does not.
    const recoveryTimes = []
    for (const [where, thread] of Object.entries(THREADS)) {
      const refused = where === 'main' && engine.mainThreadSyncLimit
      test(`web package over 8 MB, ${thread}: starts unpatched and patched`, async () => {
        assert.ok(fs.statSync(path.join(LARGE, 'bricked_bg.wasm')).size > 8 * 1024 * 1024, 'the fixture is over 8 MB')
        roots['large-plain'] = LARGE
        const p = await freshPage()
        const module = `${site.base}/t/large-scenario.mjs`
        const gate = await runIn(p, where, module, 'syncGate', [`${site.base}/large-plain/bricked_bg.wasm`])
        if (refused) {
          assert.equal(gate.sync.name, 'RangeError', JSON.stringify(gate))
          assert.match(gate.sync.message, /disallowed on the main thread/)
        } else {
          assert.equal(gate.sync, 'allowed', JSON.stringify(gate))
        }
        const plain = fromPage(await runIn(p, where, module, 'plain', [`${site.base}/large-plain/bricked.js`]))
        await p.close()
        assert.equal(plain.init, 'ok', JSON.stringify(plain.init))
        assert.equal(plain.byte, 0x5a)
        assertExpectedNormal(plain.normal)
        assert.deepEqual(pageErrors(), [])
      })

      test(`web package over 8 MB, ${thread}: initSync as the unpatched one, then init()`, async () => {
        roots['large-plain'] = LARGE
        roots['large-lazy'] ??= patchFixture('web', { from: LARGE })
        const p = await freshPage()
        const run = (prefix) =>
          runIn(p, where, `${site.base}/t/large-scenario.mjs`, 'initSyncThenAsync', [
            `${site.base}/${prefix}/bricked.js`,
            `${site.base}/${prefix}/bricked_bg.wasm`,
          ])
        const plain = await run('large-plain')
        const patched = await run('large-lazy')
        await p.close()
        // A refused initSync throws the engine's error and leaves the module
        // uninitialized, so init() can still start it.
        assert.deepEqual(patched.initSync, plain.initSync)
        if (refused) assert.match(plain.initSync.error?.message ?? '', /disallowed on the main thread/)
        else assert.deepEqual(plain.initSync, { value: undefined })
        assert.equal(patched.stateAfterInitSync, refused ? 'uninitialized' : 'live')
        assert.equal(patched.stateAfterInit, 'live')
        assert.equal(plain.byte, 0x5a)
        assert.equal(patched.byte, 0x5a)
        assert.deepEqual(pageErrors(), [])
      })

      for (const policy of POLICIES) {
        test(`web package over 8 MB, ${thread}, ${policy}: a trap, recovery, the next call`, async (t) => {
          const prefix = `large-${policy}`
          roots[prefix] ??= patchFixture('web', { from: LARGE })
          const p = await freshPage()
          const out = fromPage(
            await runIn(p, where, `${site.base}/t/large-scenario.mjs`, 'scenario', [`${site.base}/${prefix}/bricked.js`, policy]),
          )
          await p.close()

          assert.equal(out.before, 'uninitialized')
          assert.deepEqual(out.init, { state: 'live', generation: 0, ready: { resolved: 0 } })
          assert.equal(out.byte, 0x5a)
          assertExpectedNormal(out.normal)
          assert.deepEqual(out.bumps, [1, 2])

          // Where an instance cannot be made synchronously, the first call
          // after the trap learns it and recovery goes on asynchronously;
          // after that, recovery starts at the abort itself.
          for (const [round, r] of out.recoveries.entries()) {
            assert.equal(r.abort.name, 'WasmAbortError', JSON.stringify(r.abort))
            assert.equal(r.abort.cause, 'RuntimeError')
            assert.equal(r.abort.generation, round)
            const startsAtAbort = policy === 'eager' || (refused && round > 0)
            assert.match(r.abort.message, startsAtAbort ? /being re-created \(await __unbrick.ready\)/ : /re-created on the next call/)
            if (refused) {
              assert.equal(r.firstCall.error?.name, 'WasmAbortError', JSON.stringify(r.firstCall))
              assert.match(r.firstCall.error.message, /being created asynchronously; await __unbrick.ready/)
              assert.equal(r.firstCall.error.cause, 'WasmAbortError')
            } else {
              assert.deepEqual(r.firstCall, { value: 0 }, 're-created synchronously on the call')
            }
            assert.equal(r.readyGeneration, round + 1)
            assert.deepEqual([r.counter, r.state, r.generation, r.bump, r.byte], [0, 'live', round + 1, 1, 0x5a])
            recoveryTimes.push(`${thread} ${policy} recovery ${round + 1}: ${r.ms.toFixed(1)} ms`)
            t.diagnostic(recoveryTimes.at(-1))
          }
          assert.deepEqual(out.stale, { error: { name: 'StaleHandleError', message: out.stale.error?.message, generation: 0 } })

          assert.equal(out.reinit.state, refused ? 'terminated' : 'live')
          assert.equal(out.reinit.readyGeneration, 3)
          assert.equal(out.reinit.counter, 0)
          assert.deepEqual(out.normalAfter, out.normal)
          assert.deepEqual(
            [out.stats.aborts, out.stats.reinits, out.stats.reinitFailures, out.stats.generation, out.stats.crashLooped],
            [3, 3, 0, 3, false],
          )
          assert.deepEqual(pageErrors(), [])
        })
      }

      // The standby instance (`--standby`): the spare, made asynchronously
      // after init and after each recovery, is swapped in synchronously on
      // the first call after a trap, so that call works even where the
      // engine refuses a synchronous instance. Two rounds: the spare made
      // after the first recovery serves the second.
      test(`web package over 8 MB, ${thread}, standby: the first call after a trap swaps the spare in`, async (t) => {
        roots['large-standby'] ??= patchFixture('web', { from: LARGE, args: ['--standby'] })
        const p = await freshPage()
        const out = await runIn(p, where, `${site.base}/t/large-scenario.mjs`, 'standbyScenario', [
          `${site.base}/large-standby/bricked.js`,
          2,
        ])
        await p.close()

        assert.equal(out.standby, true)
        assert.deepEqual(out.init, { state: 'live', generation: 0 })
        assert.equal(out.spareAfterInit, true, 'a spare is made after init')
        assert.deepEqual(out.bumps, [1, 2])
        for (const [round, r] of out.rounds.entries()) {
          assert.equal(r.spareReady, true, 'the spare is ready before the trap')
          assert.equal(r.abort.name, 'WasmAbortError', JSON.stringify(r.abort))
          assert.equal(r.abort.cause, 'RuntimeError')
          assert.equal(r.abort.generation, round)
          assert.match(r.abort.message, /re-created on the next call/)
          // Fresh glue state (bump() of a reset counter), and no instance
          // tried on the call path.
          assert.deepEqual(r.firstCall, { value: 1, instancesTried: 0 }, JSON.stringify(r.firstCall))
          assert.deepEqual(r.afterFirstCall, { state: 'live', generation: round + 1, standbyUsed: round + 1 })
          assert.equal(r.counter, 1)
          assert.equal(r.stale.error?.name, 'StaleHandleError', JSON.stringify(r.stale))
          assert.equal(r.stale.error.generation, 0)
          assert.equal(r.spareAgain, true, 'the next spare is made after the recovery')
          assert.equal(r.generation, round + 1)
          recoveryTimes.push(`${thread} standby, first call after trap ${round + 1}: ${r.firstCallMs.toFixed(2)} ms`)
          t.diagnostic(recoveryTimes.at(-1))
        }
        const { aborts, reinits, reinitFailures, standbyUsed, generation, crashLooped } = out.stats
        const expected = { aborts: 2, reinits: 2, reinitFailures: 0, standbyUsed: 2, generation: 2, crashLooped: false }
        assert.deepEqual({ aborts, reinits, reinitFailures, standbyUsed, generation, crashLooped }, expected)
        assert.deepEqual(pageErrors(), [])
      })

      // The same package without standby: where the engine refuses a
      // synchronous instance, the first call after the trap throws the
      // documented WasmAbortError; after `await __unbrick.ready` a call
      // works, and from then on a standby is kept, so the first call after
      // the second trap swaps the spare in.
      test(`web package over 8 MB, ${thread}, no standby: the first call after a trap`, async (t) => {
        roots['large-lazy'] ??= patchFixture('web', { from: LARGE })
        const p = await freshPage()
        const out = await runIn(p, where, `${site.base}/t/large-scenario.mjs`, 'standbyScenario', [`${site.base}/large-lazy/bricked.js`, 2])
        await p.close()

        assert.equal(out.standby, false)
        assert.equal(out.spareAfterInit, false)
        const [r, second] = out.rounds
        assert.equal(r.abort.name, 'WasmAbortError', JSON.stringify(r.abort))
        assert.equal(r.abort.cause, 'RuntimeError')
        if (refused) {
          assert.equal(r.firstCall.error?.name, 'WasmAbortError', JSON.stringify(r.firstCall))
          assert.match(r.firstCall.error.message, /being created asynchronously; await __unbrick.ready, then call again/)
          assert.equal(r.firstCall.error.cause, 'WasmAbortError')
          assert.equal(r.firstCall.error.generation, 0)
          assert.deepEqual(r.afterFirstCall, { state: 'terminated', generation: 0, standbyUsed: 0 })
          assert.equal(r.readyGeneration, 1)
          assert.deepEqual(r.again, { value: 1 }, 'a call after `await __unbrick.ready` works, on fresh state')
        } else {
          assert.equal(r.firstCall.value, 1, JSON.stringify(r.firstCall))
          assert.deepEqual(r.afterFirstCall, { state: 'live', generation: 1, standbyUsed: 0 })
        }
        assert.equal(r.counter, 1)
        assert.equal(r.stale.error?.name, 'StaleHandleError', JSON.stringify(r.stale))
        assert.equal(r.spareAgain, refused, 'a standby is kept once a synchronous instance was refused')
        assert.equal(second.abort.name, 'WasmAbortError', JSON.stringify(second.abort))
        assert.deepEqual(second.firstCall, refused ? { value: 1, instancesTried: 0 } : { value: 1, instancesTried: 1 })
        assert.deepEqual(second.afterFirstCall, { state: 'live', generation: 2, standbyUsed: refused ? 1 : 0 })
        assert.deepEqual([out.stats.aborts, out.stats.reinits, out.stats.standbyUsed, out.stats.generation], [2, 2, refused ? 1 : 0, 2])
        recoveryTimes.push(`${thread} no standby, first call after the trap: ${r.firstCallMs.toFixed(2)} ms`)
        t.diagnostic(recoveryTimes.at(-1))
        assert.deepEqual(pageErrors(), [])
      })
    }
    // Rollback to a checkpoint (`--rollback checkpoint`), with and without a
    // standby: the engine-neutral scenario of checkpoint-scenario.mjs, on
    // the web target in a page and in a worker.
    for (const [where, thread] of Object.entries(THREADS)) {
      for (const standby of [false, true]) {
        test(`patched web target, ${thread}${standby ? ', standby' : ''}: rollback to a checkpoint`, async () => {
          const prefix = `checkpoint${standby ? '-standby' : ''}`
          roots[prefix] ??= patchFixture('web', { args: ['--rollback', 'checkpoint', ...(standby ? ['--standby'] : [])] })
          const p = await freshPage()
          const out = await runIn(p, where, `${site.base}/t/checkpoint-scenario.mjs`, 'checkpointAtUrl', [
            `${site.base}/${prefix}/bricked.js`,
          ])
          await p.close()
          assert.deepEqual(out, expectedCheckpoint(standby))
          assert.deepEqual(pageErrors(), [])
        })
      }
    }
    after(() => {
      if (recoveryTimes.length > 0) console.log(`# ${engine.name}: ${recoveryTimes.join(`\n# ${engine.name}: `)}`)
    })
  }

  // The fault matrix (fault-scenario.mjs) in a page: the web and bundler
  // targets of each build, gc() where the engine exposes it (Chromium's
  // --js-flags=--expose-gc), garbage made until it collects where not. An
  // instance found still held is a known failure where `engine.holdsDead`.
  const HELD = /^instances or memories still held after GC/
  const faultRoots = {}
  before(() => {
    for (const [i, p] of faultPackages(KINDS).entries()) {
      roots[`fault-${i}`] = p.dir
      roots[`fault-${i}-start`] = p.startPanicDir
      faultRoots[`${p.build} ${p.target}`] = `fault-${i}`
    }
  })
  for (const { build } of FAULT_BUILDS) {
    for (const kind of KINDS) {
      for (const startPanic of [false, true]) {
        test(`fault matrix: ${build} ${kind}: ${startPanic ? 'a start that panics on re-creation' : 'every fault'}`, async (t) => {
          const prefix = `${faultRoots[`${build} ${kind}`]}${startPanic ? '-start' : ''}`
          const p = await freshPage()
          const report = await runIn(p, 'main', `${site.base}/t/fault-scenario.mjs`, 'inPage', [
            `${site.base}/${prefix}/bricked.js`,
            kind,
            startPanic,
          ])
          await p.close()
          const known = engine.holdsDead ? Object.fromEntries(report.cells.map((c) => [c.fault, HELD])) : {}
          for (const c of assertFaultReport(report, { engine: label(), build, target: kind, startPanic, known })) {
            t.diagnostic(`known failure (${engine.holdsDead}), ${c.fault}: ${c.failures.join('; ')}`)
          }
          assert.deepEqual(pageErrors(), [])
        })
      }
    }
  }

  const ctx = { browser: () => browser, engine }
  more?.(ctx)

  if (engine.quiet) {
    test(`${engine.name} contacted nothing but 127.0.0.1`, () => {
      assert.ok(browser, `${engine.name} was started`)
      assert.deepEqual(browser.outside, [], 'requests that reached the sink proxy')
    })
  }
  return ctx
}
