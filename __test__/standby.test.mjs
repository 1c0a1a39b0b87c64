// The standby instance (`--standby`): on every target, a spare instance is
// made after load, off the call path; an abort swaps it in, so the call
// after the abort neither compiles nor instantiates anything; the next
// spare follows, and `standby = false` drops it.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPackage, patchedCopy, TARGETS, withConsoleErrorAsync } from './helpers.mjs'

async function until(ready) {
  for (let i = 0; i < 300 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  return ready()
}

/** Counts the instances made synchronously while `fn` runs. */
function instancesMadeBy(fn) {
  const Instance = WebAssembly.Instance
  let made = 0
  WebAssembly.Instance = class extends Instance {
    constructor(...args) {
      super(...args)
      made++
    }
  }
  try {
    return { value: fn(), made }
  } finally {
    WebAssembly.Instance = Instance
  }
}

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
      const next = instancesMadeBy(() => m.bump())
      assert.equal(next.value, 1, 'the glue state is fresh')
      assert.equal(next.made, 0, 'no instance made on the call path')
      assert.equal(u.generation, 1)
      assert.equal(u.stats.standbyUsed, 1)
      assert.throws(() => acc.add(1n), { name: 'StaleHandleError' })
      assert.ok(await until(() => u.standbyReady), 'the next spare follows')
      u.standby = false
      assert.equal(u.standbyReady, false)
      await withConsoleErrorAsync(async () => assert.throws(() => m.panic_while_borrowed(), { name: 'WasmAbortError' }))
      assert.equal(instancesMadeBy(() => m.bump()).made, 1, 'without a standby the instance is made on the call path')
      assert.equal(u.stats.standbyUsed, 1)
    })
  }
})
