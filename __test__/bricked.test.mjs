// Every abort trigger of the fixture crate, on every wasm-bindgen target:
// the unpatched module is left broken, the patched one throws
// WasmAbortError, re-creates its instance and behaves like new.
// Each test loads its own copy of the package, so no state leaks between
// triggers.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  assertExpectedNormal,
  canImportWasm,
  freshPatched,
  freshUnpatched,
  named,
  normalResults,
  TARGETS,
  TRIGGERS,
  withConsoleError,
} from './helpers.mjs'

const SKIP_UNPATCHED_BUNDLER = 'Node 20 loads `import * as wasm from "x_bg.wasm"` only with --experimental-wasm-modules'

for (const target of TARGETS) {
  const unpatchedSkip = target === 'bundler' && !canImportWasm ? SKIP_UNPATCHED_BUNDLER : false

  describe(`abort triggers: ${target} target`, () => {
    for (const trigger of TRIGGERS) {
      test(`unpatched: ${trigger.name} leaves the module broken`, { skip: unpatchedSkip }, async () => {
        const { m } = await freshUnpatched(target)
        assert.equal(m.add(1, 2), 3)
        const ctx = trigger.setup ? trigger.setup(m) : undefined
        const r = withConsoleError(() => trigger.fire(m, ctx))
        assert.ok(r.threw, 'the trigger throws')
        assert.equal(r.error.name, trigger.cause)
        if (trigger.panic !== null) {
          assert.ok(
            r.logs.some((l) => l.includes(trigger.panic)),
            `console_error_panic_hook reported "${trigger.panic}": ${JSON.stringify(r.logs)}`,
          )
        }
        const again = withConsoleError(() => trigger.bricked(m, ctx, r.error))
        if (again.threw) throw again.error
      })

      test(`patched: ${trigger.name} throws WasmAbortError and recovers`, async () => {
        const { m, u } = await freshPatched(target)
        assert.equal(u.generation, 0)
        assert.equal(u.state, 'live')
        assert.equal(u.mode, 'none')
        assert.equal(u.policy, 'lazy')

        // State and handles of generation 0.
        assert.equal(m.bump(), 1)
        assert.equal(m.bump(), 2)
        const acc = new m.Accumulator(10n)
        acc.add(5n)
        const snap = acc.snapshot()
        const bumper = m.make_bumper()
        assert.equal(bumper(), 3)
        assert.equal(m.counter(), 3)
        const ctx = trigger.setup ? trigger.setup(m) : undefined

        const aborts = []
        const reinits = []
        u.onAbort((e) => aborts.push(e))
        u.onReinit((g) => reinits.push(g))

        const r = withConsoleError(() => trigger.fire(m, ctx))
        assert.ok(r.threw, 'the trigger throws')
        const e = r.error
        assert.equal(e.name, 'WasmAbortError', `got ${e.name}: ${e.message}`)
        assert.ok(e instanceof u.WasmAbortError)
        assert.ok(e instanceof Error)
        assert.equal(e.generation, 0)
        assert.ok(e.cause instanceof Error, 'cause is the original error')
        assert.equal(e.cause.name, trigger.cause)
        if (trigger.panic !== null) {
          assert.equal(typeof e.panicMessage, 'string')
          assert.ok(e.panicMessage.includes(trigger.panic), `panicMessage: ${e.panicMessage}`)
        }
        assert.equal(u.state, 'terminated')
        assert.equal(u.generation, 0)
        assert.equal(aborts.length, 1)
        assert.equal(aborts[0], e)
        assert.equal(u.stats.aborts, 1)
        assert.equal(reinits.length, 0)

        // The next call re-creates the instance: fresh Rust state.
        assert.equal(m.counter(), 0)
        assert.equal(u.generation, 1)
        assert.equal(u.state, 'live')
        assert.deepEqual(reinits, [1])
        assert.equal(u.stats.reinits, 1)

        // Objects and closures of generation 0 are refused.
        const stale = named('StaleHandleError')
        assert.throws(() => acc.total, stale)
        assert.throws(() => acc.add(1n), stale)
        assert.throws(() => acc.snapshot(), stale)
        assert.throws(() => snap.total, stale)
        assert.throws(() => snap.entries, stale)
        assert.throws(() => bumper(), stale)
        if (ctx !== undefined) assert.throws(() => ctx.total, stale)
        acc.free()
        snap.free()
        if (ctx !== undefined) ctx.free()
        assert.equal(m.counter(), 0, 'stale handles did not touch the new instance')

        // 1,000 calls on the new instance.
        const fresh = new m.Accumulator(0n)
        for (let i = 1; i <= 1000; i++) {
          assert.equal(m.bump(), i)
          if (i % 10 === 0) {
            assert.equal(m.add(i, 1), i + 1)
            assert.equal(m.greet(`n${i}`), `Hello, n${i}!`)
            assert.equal(fresh.add(BigInt(i)), BigInt(((i / 10) * (i + 10)) / 2))
          }
        }
        fresh.free()
        assert.equal(u.generation, 1)
        assert.equal(u.stats.aborts, 1)

        // Same results as the unpatched module.
        const got = await normalResults(m)
        assertExpectedNormal(got)
        if (!unpatchedSkip) {
          const { m: plain } = await freshUnpatched(target)
          assert.deepEqual(got, await normalResults(plain))
        }
        assert.equal(u.generation, 1)
        assert.equal(u.state, 'live')
      })
    }
  })
}
