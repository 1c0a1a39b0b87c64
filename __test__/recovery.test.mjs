// The rest of the patched module's contract, on every target: what is not
// an abort, pending promises, closures, the crash-loop guard, policies and
// the __unbrick handle itself.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import {
  assertExpectedNormal,
  freshPatched,
  loadPackage,
  named,
  normalResults,
  patchedCopy,
  recordEngineResult,
  runCli,
  TARGETS,
  withConsoleError,
} from './helpers.mjs'

const isAbort = named('WasmAbortError')
const isStale = named('StaleHandleError')

/** Fires the panic trigger quietly; returns the WasmAbortError. */
function abortOnce(m) {
  const r = withConsoleError(() => m.panic_while_borrowed())
  assert.ok(r.threw, 'panic_while_borrowed throws')
  assert.equal(r.error.name, 'WasmAbortError', `got ${r.error.name}: ${r.error.message}`)
  return r.error
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

for (const target of TARGETS) {
  describe(`recovery contract: ${target} target`, () => {
    test('the __unbrick handle', async () => {
      const { m, u } = await freshPatched(target)
      assert.equal(typeof u, 'object')
      assert.equal(u.generation, 0)
      assert.equal(u.state, 'live')
      assert.equal(u.mode, 'none')
      assert.equal(u.policy, 'lazy')
      assert.equal(typeof u.stats, 'object')
      assert.equal(u.stats.aborts, 0)
      assert.equal(u.stats.reinits, 0)
      for (const name of ['onAbort', 'onReinit', 'terminate', 'reinit']) assert.equal(typeof u[name], 'function', name)
      assert.equal(typeof u.WasmAbortError, 'function')
      assert.equal(typeof u.StaleHandleError, 'function')
      assert.equal(new u.WasmAbortError('x', { generation: 3 }).name, 'WasmAbortError')
      if (target === 'nodejs') {
        assert.equal(m.__unbrick, u)
      } else {
        // ESM named export of the module namespace.
        assert.equal(Object.prototype.toString.call(m), '[object Module]')
        assert.ok(Object.keys(m).includes('__unbrick'), 'named export __unbrick')
      }
      assertExpectedNormal(await normalResults(m))
    })

    test('a JS error returned by Rust (fail_with_js_error) is not an abort', async () => {
      const { m, u } = await freshPatched(target)
      m.bump()
      for (let i = 0; i < 50; i++) {
        assert.throws(
          () => m.fail_with_js_error(`x${i}`),
          (e) => {
            assert.ok(e instanceof Error)
            assert.equal(e.name, 'Error')
            assert.equal(e.message, `x${i}`)
            return true
          },
        )
      }
      assert.equal(u.generation, 0)
      assert.equal(u.state, 'live')
      assert.equal(u.stats.aborts, 0)
      assert.equal(m.counter(), 1, 'state kept')
      assert.equal(m.greet('still'), 'Hello, still!')
    })

    test('a JS exception from a callback propagates and is not an abort', async () => {
      const { m, u } = await freshPatched(target)
      const boom = new Error('boom from the callback')
      assert.throws(
        () =>
          m.sum_with(5, (i) => {
            if (i === 2) throw boom
            return i
          }),
        (e) => e === boom,
      )
      // Thrown through Wasm frames many times: the module keeps working.
      for (let i = 0; i < 2000; i++) {
        assert.throws(
          () =>
            m.sum_with(3, () => {
              throw new TypeError(`t${i}`)
            }),
          (e) => e instanceof TypeError && e.message === `t${i}`,
        )
      }
      assert.equal(u.generation, 0)
      assert.equal(u.state, 'live')
      assert.equal(u.stats.aborts, 0)
      assert.equal(
        m.sum_with(4, (i) => i),
        6,
      )
      assert.equal(m.bump(), 1)
      assertExpectedNormal(await normalResults(m))
    })

    test('argument conversion errors are not aborts', async () => {
      const { m, u } = await freshPatched(target)
      assert.throws(() => new m.Accumulator(1), TypeError) // bigint expected
      assert.equal(u.state, 'live')
      assert.equal(u.stats.aborts, 0)
      assert.equal(m.bump(), 1)
    })

    test('a Rust closure created before the abort is refused', async () => {
      const { m, u } = await freshPatched(target)
      const old = m.make_bumper()
      assert.equal(old(), 1)
      assert.equal(old(), 2)
      abortOnce(m)
      // Called before any other call re-created the instance: the closure
      // belongs to a generation that is gone for good.
      assert.throws(() => old(), isStale, 'a closure of the dead generation, called right after the abort')
      assert.equal(m.counter(), 0)
      assert.equal(u.generation, 1)
      const current = m.make_bumper()
      assert.equal(current(), 1)
      assert.throws(() => old(), isStale)
      assert.equal(m.counter(), 1)
    })

    test('async exports: resolve normally, pending ones reject on abort', async () => {
      const { m, u } = await freshPatched(target)
      assert.equal(await m.delayed_double(5), 10)
      const p1 = m.wait_for_release()
      await tick() // the future first runs in a microtask: then release() has a resolver
      assert.equal(m.release(), true)
      assert.equal(await p1, 1, 'wait_for_release resolves with bump()')

      const pending = m.wait_for_release()
      const settled = pending.then(
        () => 'resolved',
        (e) => e,
      )
      await tick()
      const e = abortOnce(m)
      const rejection = await Promise.race([settled, new Promise((r) => setTimeout(() => r('still pending'), 2000))])
      assert.notEqual(rejection, 'still pending', 'the pending promise settled')
      assert.notEqual(rejection, 'resolved')
      assert.equal(rejection.name, 'WasmAbortError')
      assert.equal(rejection.generation, 0)
      assert.equal(rejection, e)
      // The new instance knows nothing of the old promise.
      assert.equal(m.release(), false)
      assert.equal(u.generation, 1)
      assert.equal(await m.delayed_double(21), 42)
    })

    test('a callback that swallows a nested abort cannot return into the dead instance', async () => {
      const { m, u } = await freshPatched(target)
      let inner
      let reentry
      const r = withConsoleError(() =>
        m.with_counter_borrowed(() => {
          try {
            m.reenter_and_panic()
          } catch (e) {
            inner = e
          }
          // Nor call into it: its frames are below, so it is not re-created yet.
          try {
            reentry = m.counter()
          } catch (e) {
            reentry = e
          }
          return 42
        }),
      )
      assert.equal(inner?.name, 'WasmAbortError')
      assert.equal(reentry?.name, 'WasmAbortError', `a call into the dead instance returned ${reentry}`)
      assert.ok(r.threw, 'the outer call does not return 42')
      assert.equal(r.error.name, 'WasmAbortError')
      assert.equal(u.state, 'terminated')
      assert.equal(m.counter(), 0)
      assert.equal(u.generation, 1)
      assert.equal(
        m.with_counter_borrowed(() => 7),
        7,
      )
      recordEngineResult(`Node ${process.versions.node}`, 'panic=abort', 'auto', u.mode)
    })

    test('more than 5 aborts within 10 s leave the module terminated until reinit()', async () => {
      const { m, u } = await freshPatched(target)
      for (let i = 0; i < 5; i++) {
        const e = abortOnce(m)
        assert.equal(e.generation, i)
        assert.equal(m.bump(), 1, `revived after abort ${i + 1}`)
        assert.equal(u.generation, i + 1)
      }
      const last = abortOnce(m)
      assert.equal(last.generation, 5)
      assert.equal(u.stats.crashLooped, true, '6 aborts within 10 s (a lazy re-creation must not restart the window)')
      for (let i = 0; i < 3; i++) {
        assert.throws(() => m.bump(), isAbort, 'calls after the 6th abort within 10 s')
        assert.throws(() => m.greet('x'), isAbort)
        assert.throws(() => new m.Accumulator(1n), isAbort)
      }
      assert.equal(u.state, 'terminated')
      assert.equal(u.generation, 5)
      assert.equal(u.stats.aborts, 6)
      u.reinit()
      assert.equal(u.state, 'live')
      assert.equal(u.generation, 6)
      assert.equal(m.counter(), 0)
      assert.equal(m.bump(), 1)
      // The guard starts counting again.
      abortOnce(m)
      assert.equal(m.counter(), 0)
      assert.equal(u.generation, 7)
    })

    test('onAbort / onReinit listeners and unsubscribe; terminate(); reinit()', async () => {
      const { m, u } = await freshPatched(target)
      const aborts = []
      const reinits = []
      const offAbort = u.onAbort((e) => aborts.push(e))
      const offReinit = u.onReinit((g) => reinits.push(g))
      assert.equal(typeof offAbort, 'function')
      assert.equal(typeof offReinit, 'function')
      m.bump()

      u.terminate('host said so')
      assert.equal(u.state, 'terminated')
      assert.equal(aborts.length, 1)
      assert.equal(aborts[0].name, 'WasmAbortError')
      assert.equal(aborts[0].generation, 0)
      assert.equal(m.counter(), 0, 'lazy: re-created on the next call')
      assert.deepEqual(reinits, [1])

      m.bump()
      u.reinit()
      assert.equal(u.state, 'live')
      assert.equal(u.generation, 2)
      assert.equal(m.counter(), 0)
      assert.deepEqual(reinits, [1, 2])

      offAbort()
      offReinit()
      abortOnce(m)
      m.bump()
      assert.equal(aborts.length, 2, 'reinit() of a live instance counts as its end; later ones are not heard')
      assert.deepEqual(reinits, [1, 2])
      assert.equal(u.generation, 3)
    })

    test('policy eager re-creates the instance right after the abort', async () => {
      const { m, u } = await freshPatched(target, { policy: 'eager' })
      assert.equal(u.policy, 'eager')
      m.bump()
      const reinits = []
      u.onReinit((g) => reinits.push(g))
      abortOnce(m)
      assert.equal(await u.ready, 1)
      assert.equal(u.state, 'live', 'no call needed')
      assert.equal(u.generation, 1)
      assert.deepEqual(reinits, [1])
      assert.equal(m.counter(), 0)
    })

    test('policy manual keeps the module terminated until reinit()', async () => {
      const { m, u } = await freshPatched(target, { policy: 'manual' })
      assert.equal(u.policy, 'manual')
      m.bump()
      const e = abortOnce(m)
      await tick()
      assert.throws(() => m.bump(), isAbort)
      assert.throws(() => m.counter(), isAbort)
      assert.equal(u.state, 'terminated')
      assert.equal(u.generation, 0)
      assert.equal(e.generation, 0)
      u.reinit()
      assert.equal(u.generation, 1)
      assert.equal(m.counter(), 0)
    })

    test('the policy can be changed at run time', async () => {
      const { m, u } = await freshPatched(target)
      u.policy = 'manual'
      assert.equal(u.policy, 'manual')
      abortOnce(m)
      assert.throws(() => m.bump(), isAbort)
      u.policy = 'lazy'
      assert.equal(m.bump(), 1)
      assert.throws(() => {
        u.policy = 'sometimes'
      }, TypeError)
    })

    if (target === 'web') {
      test('web: the async default init also recovers', async () => {
        const dir = patchedCopy('web')
        const m = await loadPackage(dir, 'web', { asyncInit: true })
        const u = m.__unbrick
        assert.equal(u.state, 'live')
        assert.equal(m.bump(), 1)
        abortOnce(m)
        assert.equal(m.counter(), 0)
        assert.equal(u.generation, 1)
        assertExpectedNormal(await normalResults(m))
      })
    }

    test('the patched package is marked and patching it again changes nothing', async () => {
      const dir = patchedCopy(target)
      const glue = target === 'bundler' ? 'bricked_bg.js' : 'bricked.js'
      const text = fs.readFileSync(path.join(dir, glue), 'utf8')
      assert.match(text, /wasm-unbrick [^\n]*patched/)
      const before = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]))
      const r = runCli([dir])
      assert.equal(r.status, 0, r.stdout + r.stderr)
      for (const f of fs.readdirSync(dir)) assert.deepEqual(fs.readFileSync(path.join(dir, f)), before[f], f)
    })
  })
}
