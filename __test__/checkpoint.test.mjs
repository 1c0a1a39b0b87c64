// Rollback to a checkpoint (`--rollback checkpoint`): on every target, with
// and without a standby, the scenario of checkpoint-scenario.mjs (objects
// made before the checkpoint keep their state, those made after are
// refused, checkpoints are refused with a Wasm frame on the stack or a
// promise pending, a grown memory is restored, 'none' and 'every-call');
// the same in Deno, on its deno and web targets (deno-checkpoint.mjs); and
// a CRDT document of loro-crdt, downloaded from the npm registry, that
// outlives a genuine trap.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, test } from 'node:test'
import { DENO_BIN } from '../scripts/install-runtimes.mjs'
import { fetchPackage } from '../scripts/npm-package.mjs'
import { checkpointScenario, expectedCheckpoint } from './checkpoint-scenario.mjs'
import { CLI, freshDir, loadPackage, patchedCopy, ROOT, TARGETS, withConsoleError } from './helpers.mjs'

const require = createRequire(import.meta.url)

describe('rollback to a checkpoint', () => {
  // The glue of a module built without reference types keeps JS values in
  // a heap slab of its own (a JS array), which a checkpoint copies.
  for (const target of TARGETS) {
    test(`${target}, heap-slab glue (wasm-bindgen 0.2.130 without reference types): restored to the checkpoint`, async () => {
      const from = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-heap', target)
      const m = await loadPackage(patchedCopy(target, { from, args: ['--rollback', 'checkpoint'] }), target)
      assert.deepEqual(await checkpointScenario(m), expectedCheckpoint(false))
    })
  }
  // A panic=unwind module: a panic unwinds (no abort, nothing rolled back);
  // a trap aborts, and the next instance is restored.
  for (const build of ['wbg-0.2.130-unwind-modern', 'wbg-0.2.130-unwind-legacy']) {
    test(`${build} nodejs: a panic unwinds, a trap rolls back to the checkpoint`, async () => {
      const from = path.join(ROOT, 'fixtures', 'out', build, 'nodejs')
      const m = await loadPackage(patchedCopy('nodejs', { from, args: ['--rollback', 'checkpoint'] }), 'nodejs')
      const u = m.__unbrick
      for (let i = 0; i < 5; i++) m.bump()
      const acc = new m.Accumulator(3n)
      assert.equal(u.checkpoint(), 1)
      m.bump()
      assert.equal(withConsoleError(() => m.panic_while_borrowed()).error?.name, 'PanicError')
      assert.equal(u.generation, 0, 'a panic that unwinds is no abort')
      const { error } = withConsoleError(() => m.abort_now())
      assert.equal(error?.name, 'WasmAbortError')
      assert.equal(error.checkpoint, 1)
      assert.deepEqual([m.counter(), acc.total, u.generation, u.stats.rollbacks], [5, 3n, 1, 1])
    })
  }
  for (const target of TARGETS) {
    for (const standby of [false, true]) {
      test(`${target}${standby ? ', with a standby' : ''}: the next instance is restored to the checkpoint`, async () => {
        const args = ['--rollback', 'checkpoint', ...(standby ? ['--standby'] : [])]
        const m = await loadPackage(patchedCopy(target, { args }), target)
        assert.deepEqual(await checkpointScenario(m), expectedCheckpoint(standby))
      })
    }
  }
})

// Deno (installed by scripts/test.mjs), as versions.test.mjs runs it.
const hasDeno = fs.existsSync(DENO_BIN)
const DENO_VERSION = hasDeno ? spawnSync(DENO_BIN, ['--version'], { encoding: 'utf8' }).stdout.split(' ')[1] : 'not installed'

/** Runs deno-checkpoint.mjs in Deno on the package in `dir`; what it printed, less `engine`. */
function runInDeno(dir, target) {
  const args = ['run', '--allow-read', path.join(ROOT, '__test__', 'deno-checkpoint.mjs'), dir, target]
  const r = spawnSync(DENO_BIN, args, { encoding: 'utf8', timeout: 60_000 })
  assert.equal(r.status, 0, `deno-checkpoint.mjs ${target} exited with ${r.status ?? r.signal ?? r.error?.message}\n${r.stderr}`)
  const { engine, ...out } = JSON.parse(r.stdout.trim().split('\n').pop())
  assert.deepEqual(engine, { deno: DENO_VERSION }, 'the Deno that ran')
  return out
}

describe(`rollback to a checkpoint in Deno ${DENO_VERSION}`, {
  skip: !hasDeno && 'Deno is not installed (node scripts/install-runtimes.mjs)',
}, () => {
  for (const target of ['deno', 'web']) {
    for (const standby of [false, true]) {
      test(`${target}${standby ? ', with a standby' : ''}: the next instance is restored to the checkpoint`, () => {
        const args = ['--rollback', 'checkpoint', ...(standby ? ['--standby'] : [])]
        assert.deepEqual(runInDeno(patchedCopy(target, { args }), target), expectedCheckpoint(standby))
      })
    }
  }
})

test('loro-crdt 1.17.1 from the npm registry: the same document keeps its contents through a genuine trap, and takes edits', () => {
  const dir = freshDir('loro-crdt')
  fs.cpSync(fetchPackage('loro-crdt', '1.17.1'), dir, { recursive: true })
  const patched = spawnSync(process.execPath, [CLI, dir, '--rollback', 'checkpoint'], { encoding: 'utf8' })
  assert.equal(patched.status, 0, patched.stderr)
  const m = require(path.join(dir, 'nodejs', 'index.js'))
  const u = m.__unbrick
  const doc = new m.LoroDoc()
  doc.setPeerId(1n)
  const text = doc.getText('text')
  text.insert(0, 'Hello')
  doc.getList('list').insert(0, 1)
  doc.commit()
  const before = doc.toJSON()
  assert.equal(u.checkpoint(), 1)
  // loro's genuine trap (as in scripts/real-packages/loro-crdt.mjs): a value
  // nested 100,000 arrays deep overflows the shadow stack in LoroMap.set.
  let value = 1
  for (let i = 0; i < 100_000; i++) value = [value]
  const { error } = withConsoleError(() => doc.getMap('map').set('deep', value))
  assert.equal(error?.name, 'WasmAbortError')
  assert.ok(error.cause instanceof WebAssembly.RuntimeError, 'a trap, not a forced abort')
  assert.equal(error.checkpoint, 1)
  assert.deepEqual(doc.toJSON(), before, 'the same document object answers with its contents before the trap')
  text.insert(5, ', world')
  doc.commit()
  assert.equal(doc.getText('text').toString(), 'Hello, world')
  const copy = new m.LoroDoc()
  copy.import(doc.export({ mode: 'snapshot' }))
  assert.deepEqual(copy.toJSON(), { text: 'Hello, world', list: [1] })
  assert.equal(u.generation, 1)
  assert.equal(u.stats.rollbacks, 1)
})
