// Exception-handling variants of panic=unwind modules: each patched package
// carries the module in every mode (modern, legacy, none), and the runtime
// loads the best one the engine supports, found by probing. The same
// scenario runs on every mode this engine can load (forced with --eh-mode)
// and must give the same results, apart from the one documented difference:
// without exception handling a panic is an abort, recovered by re-creating
// the instance, instead of unwinding in place.
//
// scripts/test.mjs runs this file on Node 20 (legacy only), 22, 24, 26, and
// again on Node 26 with all exception handling disabled and on Node 22
// without legacy exception handling.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { ROOT, runCli, withConsoleError } from './helpers.mjs'

const require = createRequire(import.meta.url)
const OUT = path.join(ROOT, 'fixtures', 'out')
const FLAGS = process.execArgv.filter((a) => a.includes('wasm')).join(' ') || 'default flags'

const LOADERS = {
  nodejs: (dir) => require(path.join(dir, 'bricked.js')),
  web: async (dir) => {
    const m = await import(pathToFileURL(path.join(dir, 'bricked.js')))
    m.initSync({ module: fs.readFileSync(path.join(dir, m.__unbrick.wasmFile('bricked_bg.wasm'))) })
    return m
  },
  bundler: (dir) => import(pathToFileURL(path.join(dir, 'bricked.js'))),
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-eh-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))
let copies = 0
function patched(dir, ehMode) {
  const dest = path.join(scratch, `copy${copies++}`)
  runCli([dir, '--out-dir', dest, ...(ehMode ? ['--eh-mode', ehMode] : [])])
  if (path.basename(dir) !== 'nodejs') fs.writeFileSync(path.join(dest, 'package.json'), '{"type":"module"}')
  return dest
}

function attempt(f) {
  try {
    const v = f()
    return typeof v === 'bigint' ? `${v}n` : v
  } catch (e) {
    return `${e.name}: ${e.message}`
  }
}

// Everything a program can observe, as plain data.
function scenario(m) {
  const u = m.__unbrick
  const r = { mode: u.mode, add: m.add(40, 2), greet: m.greet('wörld ✓'), bump: m.bump() }
  const acc = new m.Accumulator(1n)
  const panic = withConsoleError(() => m.panic_while_borrowed())
  r.panic = panic.error instanceof WebAssembly.Exception ? 'WebAssembly.Exception' : panic.error && panic.error.name
  r.afterPanic = m.bump()
  r.accAfterPanic = attempt(() => acc.add(1n))
  const abort = withConsoleError(() => m.abort_now())
  r.abort = [abort.error.name, abort.error.cause && abort.error.cause.name]
  r.afterAbort = m.bump()
  r.staleAfterAbort = attempt(() => acc.add(1n))
  r.jsError = attempt(() => m.fail_with_js_error('js'))
  r.afterJsError = m.bump()
  r.generation = u.generation
  r.state = u.state
  return r
}

// What a panic changes when it is an abort: the instance is re-created, so
// the state starts again and objects of the old one are stale.
function asReinit(unwound) {
  return {
    ...unwound,
    mode: 'none',
    panic: 'WasmAbortError',
    afterPanic: 1,
    accAfterPanic: unwound.staleAfterAbort,
    afterAbort: 1,
    afterJsError: unwound.afterJsError - unwound.afterAbort + 1,
    generation: unwound.generation + 1,
  }
}

const SUPPORT_KEY = Symbol.for('wasm-unbrick.eh-support')
const fixtures = fs.readdirSync(OUT).filter((d) => d.includes('unwind')).sort()

for (const version of fixtures) {
  const built = version.includes('legacy') ? 'legacy' : 'modern'
  describe(`${version} on Node ${process.version} (${FLAGS})`, () => {
    for (const target of Object.keys(LOADERS)) {
      const dir = path.join(OUT, version, target)
      if (!fs.existsSync(dir)) continue
      test(`${target}: the best variant is chosen and every loadable mode behaves the same`, async () => {
        const autoDir = patched(dir)
        const made = ['modern', 'legacy', 'none']
          .filter((m) => m === built || fs.existsSync(path.join(autoDir, `bricked_bg.${m === 'none' ? 'noeh' : m}.wasm`)))
        assert.ok(made.includes('none'), 'a reinit-only variant is always made')
        const auto = await LOADERS[target](autoDir)
        const support = globalThis[SUPPORT_KEY]
        assert.ok(support, 'the runtime probed the engine')
        const order = built === 'legacy' ? ['legacy', 'modern'] : ['modern', 'legacy']
        const best = order.find((m) => support[m] && made.includes(m)) || 'none'
        assert.equal(auto.__unbrick.mode, best, `probe said ${JSON.stringify(support)}`)
        const results = { auto: scenario(auto) }
        for (const mode of made.filter((m) => m === 'none' || support[m])) {
          const m = await LOADERS[target](patched(dir, mode))
          assert.equal(m.__unbrick.mode, mode)
          results[mode] = scenario(m)
        }
        const unwound = results.modern || results.legacy
        if (unwound) {
          // Glue older than 0.2.114 has no PanicError: the Rust exception
          // itself reaches the caller.
          const glue = fs.readdirSync(dir).filter((f) => f.endsWith('.js'))
          const panicError = glue.some((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('PanicError'))
          assert.equal(unwound.panic, panicError ? 'PanicError' : 'WebAssembly.Exception', 'a panic unwinds')
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
      })
    }
  })
}
