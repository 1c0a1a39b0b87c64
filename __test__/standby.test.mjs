// The standby instance (`--standby`): on every target, a spare instance is
// made after load, off the call path; an abort swaps it in, so the call
// after the abort neither compiles nor instantiates anything; the next
// spare follows, and `standby = false` drops it.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPackage, patchedCopy, TARGETS, withConsoleErrorAsync } from './helpers.mjs'
import { countingInstances, until } from './large-scenario.mjs'

describe('standby instance', () => {
  for (const target of TARGETS) {
    test(`${target}: the spare is swapped in on the next call, without instantiating there`, async () => {
      const m = await loadPackage(patchedCopy(target, { args: ['--standby'] }), target)
      const u = m.__unbrick
      assert.equal(u.standby, true)
      assert.ok(await until(() => u.standbyReady), 'a spare is made after load')
      assert.equal(m.bump(), 1)
      const acc = new m.Accumulator(1n)
      await withConsoleErrorAsync(async () => assert.throws(() => m.panic_while_borrowed(), { name: 'WasmAbortError' }))
      const next = countingInstances(() => ({ value: m.bump() }))
      assert.equal(next.value, 1, 'the glue state is fresh')
      assert.equal(next.instancesTried, 0, 'no instance made on the call path')
      assert.equal(u.generation, 1)
      assert.equal(u.stats.standbyUsed, 1)
      assert.throws(() => acc.add(1n), { name: 'StaleHandleError' })
      assert.ok(await until(() => u.standbyReady), 'the next spare follows')
      u.standby = false
      assert.equal(u.standbyReady, false)
      await withConsoleErrorAsync(async () => assert.throws(() => m.panic_while_borrowed(), { name: 'WasmAbortError' }))
      assert.equal(
        countingInstances(() => ({ value: m.bump() })).instancesTried,
        1,
        'without a standby the instance is made on the call path',
      )
      assert.equal(u.stats.standbyUsed, 1)
    })
  }
})
