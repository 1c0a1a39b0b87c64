// Bun (JavaScriptCore): the patched nodejs, web and bundler targets of the
// panic=abort fixture and of every panic=unwind fixture, each in a Bun
// process of its own (bun-runner.mjs) running the scenarios the other
// engines run; this file asserts on what they report. Bun 1.4 has modern
// and legacy exception handling and WebAssembly.JSTag, so every EH mode
// loads and auto picks the mode the module was built with.
//
// scripts/test.mjs runs this file once, on Node 24. Bun is installed from
// npm when missing (scripts/install-runtimes.mjs); a failed install fails.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { BUN_BIN, BUN_VERSION, ensureBun } from '../scripts/install-runtimes.mjs'
import { expectedCheckpoint } from './checkpoint-scenario.mjs'
import { assertFaultReport, faultPackages, RUNNERS_AT_ONCE, runFaultRunner } from './fault-matrix.mjs'
import {
  assertAbortScenario,
  assertEhResults,
  assertExpectedNormal,
  assertUnwindFixtures,
  bestEhMode,
  builtEhMode,
  ehModesMade,
  FIXTURES,
  freshDir,
  patchFixture,
  ROOT,
  recordEngineResult,
  TARGETS,
  TRIGGERS,
  UNWIND_FIXTURES,
  unpatchedCopy,
} from './helpers.mjs'

// What the further abort triggers of browser-scenario.mjs have as their cause.
const BUN_ABORT_CAUSES = { overflow_stack: 'RuntimeError', overflow_native_stack: 'RangeError', abort_now: 'RuntimeError' }
const RUNNER = path.join(ROOT, '__test__', 'bun-runner.mjs')
const OUT = path.join(ROOT, 'fixtures', 'out')
// How each target is started (bun-runner.mjs): the web target both by its
// default async init and by initSync.
const STARTS = { nodejs: ['import'], web: ['web', 'web-sync'], bundler: ['import'] }
// The unpatched bundler target imports its .wasm as an ES module, which
// Bun without a bundler does not do: it gets the file's path instead.
const NO_WASM_IMPORT = /^wasm\.__wbindgen_start is not a function/

/** Runs bun-runner.mjs in Bun and returns what it printed, bigints revived. */
function bun(task, dir, start, trigger) {
  const args = [RUNNER, task, dir, start, ...(trigger === undefined ? [] : [trigger])]
  const r = spawnSync(BUN_BIN, args, { encoding: 'utf8', timeout: 60_000 })
  const what = `bun bun-runner.mjs ${task} ${start}${trigger === undefined ? '' : ` ${trigger}`}`
  assert.equal(r.status, 0, `${what} exited with ${r.status ?? r.signal ?? r.error?.message}\n${r.stderr}`)
  const line = r.stdout.trim().split('\n').pop()
  const out = JSON.parse(line, (_, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))
  assert.deepEqual(out.engine, { bun: BUN_VERSION, jsTag: true }, 'the Bun that ran, and its WebAssembly.JSTag')
  delete out.engine
  return out
}

/** A copy of the unpatched fixture directory `from`. */
function plainCopy(from) {
  const dir = freshDir('plain-bun')
  fs.cpSync(from, dir, { recursive: true })
  return dir
}

// bun-runner.mjs's trigger task, as bricked.test.mjs asserts it on Node.
function assertTrigger(out, trigger, plain) {
  assert.deepEqual(out.start, { generation: 0, state: 'live', mode: 'none', policy: 'lazy' })
  assert.deepEqual(out.bumps, [1, 2])
  assert.equal(out.bumperBefore, 3)
  assert.equal(out.threw, true, 'the trigger throws')
  const e = out.error
  assert.equal(e.name, 'WasmAbortError', `got ${e.name}: ${e.message}`)
  assert.equal(e.isWasmAbortError, true)
  assert.equal(e.generation, 0)
  assert.equal(e.causeIsError, true, 'cause is the original error')
  assert.equal(e.cause, trigger.cause)
  if (trigger.panic !== null) {
    assert.ok(e.panicMessage?.includes(trigger.panic), `panicMessage: ${e.panicMessage}`)
    assert.equal(out.panicLogged, true, 'console_error_panic_hook still reaches console.error')
  }
  assert.deepEqual(out.afterAbort, { state: 'terminated', generation: 0, aborts: 1, same: true, reinits: 0 })

  assert.equal(out.counterAfter, 0, 'the next call re-creates the instance: fresh Rust state')
  assert.deepEqual(out.revived, { state: 'live', generation: 1, reinits: [1], statsReinits: 1 })
  const stale = { error: 'StaleHandleError' }
  assert.deepEqual(out.stale, {
    total: stale,
    add: stale,
    snapshot: stale,
    snapTotal: stale,
    snapEntries: stale,
    closure: stale,
    ctx: trigger.setup ? stale : null,
  })
  assert.equal(out.counterAfterStale, 0, 'stale handles did not touch the new instance')
  assert.equal(out.lastBump, 1000)
  assertExpectedNormal(out.normal)
  assert.deepEqual(out.normal, plain)
  assert.deepEqual(out.end, { generation: 1, state: 'live', aborts: 1 })
}

describe(`Bun ${BUN_VERSION}`, () => {
  // First: every other test needs it, and fails without it.
  test(`Bun ${BUN_VERSION} is installed (scripts/install-runtimes.mjs)`, () => {
    assert.equal(ensureBun(), BUN_BIN)
    assert.equal(spawnSync(BUN_BIN, ['--version'], { encoding: 'utf8' }).stdout.trim(), BUN_VERSION)
  })

  test('the fixtures are all there', () => {
    assertUnwindFixtures(OUT)
    for (const target of TARGETS) assert.ok(fs.existsSync(path.join(FIXTURES, target, 'bricked_bg.wasm')), `wbg-0.2.130/${target}`)
  })

  // "A patched package starts wherever the unpatched one starts": in Bun the
  // unpatched nodejs and web targets start, the bundler target does not; the
  // patched bundler target compiles its own .wasm and starts anyway.
  for (const version of ['wbg-0.2.130', ...UNWIND_FIXTURES]) {
    for (const target of TARGETS) {
      test(`${version} ${target}: starts patched, and unpatched ${target === 'bundler' ? 'fails' : 'too'}`, () => {
        const from = path.join(OUT, version, target)
        const mode = version.includes('unwind') ? builtEhMode(from) : 'none'
        const start = STARTS[target][0]
        const plain = bun('start', plainCopy(from), start)
        if (target === 'bundler') {
          assert.equal(plain.started, false, 'the unpatched bundler target does not start in Bun')
          assert.equal(plain.error.name, 'TypeError')
          assert.match(plain.error.message, NO_WASM_IMPORT)
        } else {
          assert.deepEqual(plain, { started: true, add: 5, mode: null })
        }
        assert.deepEqual(bun('start', patchFixture(target, { from }), start), { started: true, add: 5, mode })
      })
    }
  }

  // The unpatched module's normal results, by target; the bundler target,
  // which does not start unpatched, is compared with the web target's.
  const plainResults = new Map()
  function plainNormal(target) {
    const of = target === 'bundler' ? 'web' : target
    if (!plainResults.has(of)) {
      const results = STARTS[of].map((start) => bun('plain', unpatchedCopy(of), start).normal)
      for (const r of results) assertExpectedNormal(r)
      for (const r of results.slice(1)) assert.deepEqual(r, results[0])
      plainResults.set(of, results[0])
    }
    return plainResults.get(of)
  }

  describe('panic=abort (wbg-0.2.130)', () => {
    for (const target of TARGETS) {
      // The unpatched bundler target does not start (above).
      if (target !== 'bundler') {
        test(`${target}: unpatched, a panic and an abort brick the module`, () => {
          for (const name of ['panic_while_borrowed', 'abort_now (std::process::abort)']) {
            const trigger = TRIGGERS.find((t) => t.name === name)
            const out = bun('bricked', unpatchedCopy(target), STARTS[target].at(-1), name)
            assert.equal(out.threw, true, name)
            assert.equal(out.error, trigger.cause, name)
            assert.equal(out.panicLogged, trigger.panic !== null, name)
            // JavaScriptCore's words for V8's "unreachable".
            assert.match(String(out.after), /^RuntimeError: Unreachable code should not be executed/, `${name}, then bump()`)
          }
        })
      }

      for (const start of STARTS[target]) {
        test(`${target} (${start}): patched, abort, recovery, stale handles, same results`, () => {
          assertAbortScenario(bun('scenario', patchFixture(target), start), plainNormal(target), BUN_ABORT_CAUSES)
          recordEngineResult(`Bun ${BUN_VERSION}`, 'panic=abort', 'auto', 'none')
        })
      }

      for (const trigger of TRIGGERS) {
        const start = STARTS[target].at(-1)
        test(`${target} (${start}): patched, ${trigger.name} throws WasmAbortError and recovers`, () => {
          assertTrigger(bun('trigger', patchFixture(target), start, trigger.name), trigger, plainNormal(target))
        })
      }
    }
  })

  // As checkpoint.test.mjs on Node: every target and start, with and
  // without a standby.
  describe('rollback to a checkpoint (wbg-0.2.130)', () => {
    for (const target of TARGETS) {
      for (const start of STARTS[target]) {
        for (const standby of [false, true]) {
          test(`${target} (${start})${standby ? ', with a standby' : ''}: the next instance is restored to the checkpoint`, () => {
            const args = ['--rollback', 'checkpoint', ...(standby ? ['--standby'] : [])]
            assert.deepEqual(bun('checkpoint', patchFixture(target, { args }), start), expectedCheckpoint(standby))
          })
        }
      }
    }
  })

  // As eh-modes.test.mjs on Node: auto and every mode forced with --eh-mode.
  for (const version of UNWIND_FIXTURES) {
    describe(`panic=unwind (${version})`, () => {
      for (const target of TARGETS) {
        for (const start of STARTS[target]) {
          test(`${target} (${start}): auto picks the built mode and every mode behaves the same`, () => {
            const dir = path.join(OUT, version, target)
            const built = builtEhMode(dir)
            const autoDir = patchFixture(target, { from: dir })
            const made = ehModesMade(autoDir, built)
            assert.deepEqual([...made].sort(), ['legacy', 'modern', 'none'])
            const { support, wasmFile, ...auto } = bun('eh', autoDir, start)
            assert.deepEqual(support, { modern: true, legacy: true }, 'Bun 1.4 has modern (with JSTag) and legacy EH')
            const best = bestEhMode(built, made, support)
            assert.equal(best, built)
            assert.equal(auto.mode, best)
            const results = { auto }
            for (const mode of made) {
              // A package made for one mode has no variants: nothing to probe for.
              const forced = bun('eh', patchFixture(target, { from: dir, args: ['--eh-mode', mode] }), start)
              const { support: _, wasmFile: file, ...result } = forced
              assert.equal(result.mode, mode)
              if (start === 'web-sync') {
                const variant = mode === built ? '' : `.${mode === 'none' ? 'noeh' : mode}`
                assert.equal(file, `bricked_bg${variant}.wasm`, 'the file initSync was given')
              }
              results[mode] = result
            }
            if (start === 'web-sync') assert.equal(wasmFile, 'bricked_bg.wasm')
            assertEhResults(results, best, dir, `Bun ${BUN_VERSION}`)
          })
        }
      }
    })
  }
})

// The fault matrix (fault-scenario.mjs) in Bun: every target and build,
// each package in a Bun process of its own (fault-runner.mjs, Bun.gc).
describe(`Bun ${BUN_VERSION} fault matrix`, { concurrency: RUNNERS_AT_ONCE }, () => {
  const packages = faultPackages(TARGETS)
  for (const { build, target, dir, startPanicDir } of packages) {
    for (const startPanic of [false, true]) {
      test(`${build} ${target}: ${startPanic ? 'a start that panics on re-creation' : 'every fault'}`, async () => {
        const report = await runFaultRunner(BUN_BIN, [], { dir: startPanic ? startPanicDir : dir, target, startPanic })
        assertFaultReport(report, { engine: `Bun ${BUN_VERSION}`, build, target, startPanic })
      })
    }
  }
})
