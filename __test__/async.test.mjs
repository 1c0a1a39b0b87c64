// Aborts that reach host-scheduled callbacks (microtasks, promise
// reactions) end in the pending promises, not in the process.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { patchedCopy, ROOT, TARGETS } from './helpers.mjs'

for (const target of TARGETS) {
  test(`${target}: a continuation queued by a dead instance does not end the process`, () => {
    const dir = patchedCopy(target)
    const r = spawnSync(process.execPath, [...process.execArgv, path.join(ROOT, '__test__', 'async-scenario.mjs'), dir, target], {
      encoding: 'utf8',
    })
    assert.equal(r.status, 0, r.stderr)
    const out = JSON.parse(r.stdout.trim().split('\n').pop())
    assert.deepEqual(out, { released: true, pending: { error: 'WasmAbortError' }, bump: 1, generation: 1, doubled: 42 })
  })
}
