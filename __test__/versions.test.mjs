// Every committed wasm-bindgen version x target that this Node can run:
// patched, the module recovers from a panic; unpatched (where Node can
// load it), the same panic bricks it; normal results are identical.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import vm from 'node:vm'
import { DENO_BIN } from '../scripts/install-runtimes.mjs'
import { errorName } from './eh-scenario.mjs'
import { ROOT, runCli, unwoundPanicName, withConsoleError } from './helpers.mjs'

const require = createRequire(import.meta.url)
const NODE_MAJOR = Number(process.versions.node.split('.')[0])
const OUT = path.join(ROOT, 'fixtures', 'out')
const WASM_MODULES = process.execArgv.includes('--experimental-wasm-modules')

// How this Node loads each target; null when it cannot.
const LOADERS = {
  nodejs: (dir) => require(path.join(dir, 'bricked.js')),
  'experimental-nodejs-module': (dir) => import(pathToFileURL(path.join(dir, 'bricked.js'))),
  web: async (dir) => {
    const m = await import(pathToFileURL(path.join(dir, 'bricked.js')))
    const bytes = fs.readFileSync(path.join(dir, 'bricked_bg.wasm'))
    initSync(m.initSync, bytes)
    return m
  },
  'no-modules': (dir) => {
    // A classic script declaring `wasm_bindgen`; a function scope keeps
    // several copies apart.
    const source = fs.readFileSync(path.join(dir, 'bricked.js'), 'utf8')
    const m = vm.runInThisContext(`(function () {\n${source}\nreturn wasm_bindgen;\n})()`)
    initSync(m.initSync, fs.readFileSync(path.join(dir, 'bricked_bg.wasm')))
    return m
  },
}

// initSync took the bytes before 0.2.93 and `{ module }` after.
function initSync(init, bytes) {
  if (init.toString().includes('Object.getPrototypeOf(module) === Object.prototype')) init({ module: bytes })
  else init(bytes)
}

function loaderFor(target, patched) {
  if (target === 'bundler') {
    // The patched entry compiles its .wasm itself; the plain one imports it.
    return patched || WASM_MODULES ? (dir) => import(pathToFileURL(path.join(dir, 'bricked.js'))) : null
  }
  if (target === 'module') {
    // `import source` of a .wasm: Node 24+ with --experimental-wasm-modules.
    return NODE_MAJOR >= 24 && WASM_MODULES ? (dir) => import(pathToFileURL(path.join(dir, 'bricked.js'))) : null
  }
  return LOADERS[target] ?? null
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-versions-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))
let copies = 0
function copyOf(dir, patched) {
  const dest = path.join(scratch, `copy${copies++}`)
  if (patched) {
    runCli([dir, '--out-dir', dest])
  } else {
    fs.cpSync(dir, dest, { recursive: true })
  }
  // ESM glue without a package.json of its own.
  if (!fs.existsSync(path.join(dest, 'package.json')) && !['nodejs', 'no-modules'].includes(path.basename(dir))) {
    fs.writeFileSync(path.join(dest, 'package.json'), '{"type":"module"}')
  }
  return dest
}

function normal(m) {
  const acc = new m.Accumulator(7n)
  return {
    add: m.add(40, 2),
    greet: m.greet('wörld ✓'),
    checksum: m.checksum(new Uint8Array([1, 2, 3, 250])),
    reversed: Array.from(m.reverse_bytes(new Uint8Array([1, 2, 3]))),
    total: acc.add(5n),
    snapshot: acc.snapshot().entries,
  }
}

// The deno target runs in Deno itself (installed by scripts/test.mjs).
function runInDeno(dir) {
  const r = spawnSync(DENO_BIN, ['run', '--allow-read', path.join(ROOT, '__test__', 'deno-scenario.mjs'), dir], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}
const hasDeno = fs.existsSync(DENO_BIN)

// panic=unwind builds: a panic unwinds (wasm-bindgen throws PanicError, or
// before 0.2.114 the Rust exception itself, and the instance stays live with
// its state); only a hard abort re-creates it.
function unwindTests(dir, target, loadPlain, loadPatched) {
  const why = `Node ${process.version} cannot load this module (exception handling) or target`
  test(`${target}: an abort bricks the unpatched module`, { skip: !loadPlain && why }, async () => {
    const m = await loadPlain(copyOf(dir, false))
    assert.equal(errorName(withConsoleError(() => m.panic_while_borrowed()).error), unwoundPanicName(dir))
    assert.equal(withConsoleError(() => m.abort_now()).error.name, 'RuntimeError')
    // wasm-bindgen's own flag ("Module terminated"), or the RefCell the abort
    // left borrowed (a panic, reported by the panic hook).
    const after = withConsoleError(() => m.bump())
    assert.ok(after.threw, 'bricked')
    assert.match(`${after.error.message} ${after.logs.join(' ')}`, /Module terminated|already borrowed/)
  })
  test(`${target}: patched, a panic is recovered in place and an abort re-creates the instance`, {
    skip: !loadPatched && why,
  }, async () => {
    const m = await loadPatched(copyOf(dir, true))
    const u = m.__unbrick
    assert.equal(u.mode, dir.includes('legacy') ? 'legacy' : 'modern')
    assert.equal(m.bump(), 1)
    const acc = new m.Accumulator(1n)
    const panic = withConsoleError(() => m.panic_while_borrowed())
    assert.equal(errorName(panic.error), unwoundPanicName(dir))
    assert.equal(u.state, 'live')
    assert.equal(m.bump(), 1002, 'state kept: the borrow was released by unwinding')
    assert.equal(acc.add(1n), 2n)
    const abort = withConsoleError(() => m.abort_now())
    assert.equal(abort.error.name, 'WasmAbortError')
    assert.equal(abort.error.cause.name, 'RuntimeError')
    assert.equal(abort.error.panicMessage, undefined, 'the recovered panic is not reported again')
    assert.equal(m.bump(), 1)
    assert.equal(u.generation, 1)
    assert.throws(() => acc.add(1n), { name: 'StaleHandleError' })
    assert.equal(m.fail_with_js_error.length, 1)
    assert.throws(() => m.fail_with_js_error('js'), { message: 'js' })
    assert.equal(u.generation, 1)
  })
}

const versions = fs
  .readdirSync(OUT)
  .filter((d) => d.startsWith('wbg-'))
  .sort()
for (const version of versions) {
  describe(version, () => {
    for (const target of fs.readdirSync(path.join(OUT, version)).sort()) {
      const dir = path.join(OUT, version, target)
      if (target === 'deno') {
        test('deno: in Deno, bricked unpatched and recovered patched', {
          skip: !hasDeno && 'Deno is not installed (node scripts/install-runtimes.mjs)',
        }, () => {
          const plain = runInDeno(copyOf(dir, false))
          const patched = runInDeno(copyOf(dir, true))
          assert.equal(plain.error.name, 'RuntimeError')
          assert.match(plain.bumpAfter, /RuntimeError/)
          assert.deepEqual([patched.bump, patched.greet, patched.add], [plain.bump, plain.greet, plain.add])
          assert.deepEqual(patched.error, { name: 'WasmAbortError', cause: 'RuntimeError', panic: true })
          assert.equal(patched.bumpAfter, 1)
          assert.equal(patched.generation, 1)
          assert.equal(patched.stale, 'StaleHandleError')
        })
        continue
      }
      const runnable = WebAssembly.validate(fs.readFileSync(path.join(dir, 'bricked_bg.wasm')))
      const loadPatched = runnable ? loaderFor(target, true) : null
      const loadPlain = runnable ? loaderFor(target, false) : null
      if (version.includes('unwind')) {
        unwindTests(dir, target, loadPlain, loadPatched)
        continue
      }

      test(`${target}: a panic bricks the unpatched module`, {
        skip: !loadPlain && `Node ${process.version} cannot load this target unpatched`,
      }, async () => {
        const m = await loadPlain(copyOf(dir, false))
        assert.equal(m.bump(), 1)
        const r = withConsoleError(() => m.panic_while_borrowed())
        assert.ok(r.threw)
        assert.equal(r.error.name, 'RuntimeError')
        assert.throws(() => withConsoleError(() => m.bump()).error && m.bump(), /unreachable|borrow/)
      })

      test(`${target}: patched, the module recovers`, {
        skip: !loadPatched && `Node ${process.version} cannot load this target`,
      }, async () => {
        const m = await loadPatched(copyOf(dir, true))
        const u = m.__unbrick
        assert.equal(u.generation, 0)
        if (loadPlain) {
          const plain = await loadPlain(copyOf(dir, false))
          assert.deepEqual(normal(m), normal(plain))
        }
        assert.equal(m.bump(), 1)
        const acc = new m.Accumulator(1n)
        const r = withConsoleError(() => m.panic_while_borrowed())
        assert.ok(r.threw)
        assert.equal(r.error.name, 'WasmAbortError')
        assert.equal(r.error.cause.name, 'RuntimeError')
        assert.match(r.error.panicMessage ?? '', /panic while the counter is borrowed/)
        assert.equal(u.state, 'terminated')
        assert.equal(m.bump(), 1)
        assert.equal(u.generation, 1)
        assert.throws(() => acc.add(1n), { name: 'StaleHandleError' })
        for (let i = 0; i < 1000; i++) assert.equal(m.add(i, 1), i + 1)
        assert.equal(m.greet('again'), 'Hello, again!')
      })
    }
  })
}
