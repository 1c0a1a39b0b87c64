// Packages as they are published (issue: glue found by content): the
// fixture's web glue bundled by esbuild into CJS, ESM and a minified IIFE
// under dist/, the module at the package root (published-layout.mjs).
// Pointed at any entry or at the package, the CLI patches every entry and
// the module at once; each entry then recovers from a panic.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { before, describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { packageOf, patchPackage } from '../plugins/core.mjs'
import { FIXTURES, freshDir, runCli } from './helpers.mjs'
import { buildPublishedPackage, ENTRIES, INLINE_ENTRIES, loadEntry, PLAIN_SCRIPT } from './published-layout.mjs'

let template
before(async () => {
  template = await buildPublishedPackage(path.join(FIXTURES, 'web'), path.join(freshDir('published'), 'pkg'))
})

function copy() {
  const dir = path.join(freshDir('published-copy'), 'node_modules', 'bricked-published')
  fs.cpSync(template, dir, { recursive: true })
  return dir
}

function contents(dir) {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true })
      .sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]),
  )
}

function patch(args) {
  const r = runCli(args, { env: { ...process.env, NO_COLOR: '1' } })
  assert.equal(r.status, 0, r.stdout + r.stderr)
  return r.stdout
}

async function panicAndRecover(m) {
  const acc = new m.Accumulator(1n)
  assert.equal(m.bump(), 1)
  const err = await captured(() => m.panic_while_borrowed())
  return { err, next: await captured(() => m.bump()), generation: m.__unbrick?.generation, stale: await captured(() => acc.add(1n)) }
}

async function captured(fn) {
  const error = console.error
  console.error = () => {}
  try {
    return fn()
  } catch (e) {
    return e
  } finally {
    console.error = error
  }
}

describe('a published package: glue bundled into dist/, the module at the root', () => {
  test('unpatched, a panic bricks every entry', async () => {
    const dir = copy()
    for (const entry of [...ENTRIES, ...INLINE_ENTRIES]) {
      const r = await panicAndRecover(await loadEntry(dir, entry))
      assert.equal(r.err.name, 'RuntimeError', entry)
      assert.equal(r.next.name, 'RuntimeError', `${entry}: the next call traps too`)
    }
  })

  for (const named of ['.', ...ENTRIES]) {
    test(`wasm-unbrick ${named === '.' ? '<package>' : `<package>/${named}`} patches every entry and the module`, () => {
      const dir = copy()
      const original = contents(dir)
      const out = patch([path.join(dir, named)])
      const after = contents(dir)
      for (const entry of ENTRIES) {
        assert.notEqual(after[entry], original[entry], `${entry} patched`)
        assert.match(out, new RegExp(`^  ${entry.replace(/\./g, '\\.')} .* glue of bricked_bg\\.wasm$`, 'm'), `a line for ${entry}`)
      }
      if (named === '.') {
        // The whole package: the entries with a module of their own, and what is left alone.
        for (const entry of INLINE_ENTRIES) {
          const line = new RegExp(`^  ${entry.replace(/\./g, '\\.')} .* glue of ${entry.replace(/\./g, '\\.')}#wasm$`, 'm')
          assert.match(out, line, `${entry}: its own module`)
        }
        assert.match(out, new RegExp(`left alone: ${PLAIN_SCRIPT.replace(/\./g, '\\.')}#wasm: .*neither an ES module`))
      } else {
        for (const entry of INLINE_ENTRIES) assert.equal(after[entry], original[entry], `${entry}: another module, not named`)
      }
      assert.equal(after[PLAIN_SCRIPT], original[PLAIN_SCRIPT], 'the plain script is not touched')
      assert.notEqual(after['bricked_bg.wasm'], original['bricked_bg.wasm'], 'the stack pointer is exported')
      assert.equal(after['package.json'], original['package.json'])
      assert.match(patch([path.join(dir, named)]), /already patched/)
      assert.deepEqual(contents(dir), after, 'patching again changes nothing')
      assert.equal(runCli(['--check', path.join(dir, named)]).status, 0)
    })
  }

  for (const entry of [...ENTRIES, ...INLINE_ENTRIES]) {
    test(`patched, ${entry} recovers from a panic`, async () => {
      const dir = copy()
      patch([dir])
      const r = await panicAndRecover(await loadEntry(dir, entry))
      assert.equal(r.err.name, 'WasmAbortError')
      assert.match(r.err.panicMessage, /panic while the counter is borrowed/)
      assert.equal(r.next, 1, 'the next call runs on a fresh instance')
      assert.equal(r.generation, 1)
      assert.equal(r.stale.name, 'StaleHandleError')
    })
  }

  test('a file that cannot be written: nothing of the package changes', () => {
    const dir = copy()
    const original = contents(dir)
    fs.chmodSync(path.join(dir, 'dist', 'index.mjs'), 0o444)
    const r = runCli([dir])
    assert.equal(r.status, 1, r.stdout + r.stderr)
    assert.match(r.stderr, /index\.mjs/)
    assert.deepEqual(contents(dir), original)
  })

  test('the plugins find the package under node_modules by content; its glue patched alone recovers with the unpatched .wasm', async () => {
    const dir = copy()
    const original = contents(dir)
    const pkg = packageOf(path.join(dir, 'dist', 'index.mjs'))
    assert.deepEqual(
      { entry: pkg.entry, wasm: pkg.wasm, role: pkg.role, files: pkg.files },
      { entry: 'dist/index.mjs', wasm: 'bricked_bg.wasm', role: 'entry', files: ['dist/index.mjs', 'bricked_bg.wasm'] },
    )
    const r = await patchPackage(pkg)
    assert.equal(r.status, 'patched')
    assert.deepEqual(contents(dir), original, 'nothing is written')
    // What a bundle of the app holds: the patched glue; the app hands it the package's own .wasm.
    fs.writeFileSync(path.join(dir, 'dist', 'index.mjs'), r.files.get('dist/index.mjs'))
    const m = await loadEntry(dir, 'dist/index.mjs')
    const out = await panicAndRecover(m)
    assert.equal(out.err.name, 'WasmAbortError')
    assert.equal(out.next, 1)
    assert.equal(out.stale.name, 'StaleHandleError')
  })
})

// The bundler target before wasm-bindgen 0.2.84 (photon 0.3.11, brotli-wasm
// 3.0.1 in the real-package sweep): x_bg.js imports the .wasm itself and
// there is no __wbg_set_wasm. Made from the 0.2.130 bundler output.
describe('the bundler target before wasm-bindgen 0.2.84', () => {
  test('patched, it loads without Wasm module imports and recovers from a panic', async () => {
    const dir = freshDir('old-bundler')
    fs.cpSync(path.join(FIXTURES, 'bundler'), dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
    const bg = path.join(dir, 'bricked_bg.js')
    const setter = 'let wasm;\nexport function __wbg_set_wasm(val) {\n    wasm = val;\n}\n'
    const source = fs.readFileSync(bg, 'utf8')
    assert.ok(source.includes(setter), 'the 0.2.130 setter to take out')
    fs.writeFileSync(bg, `import * as wasm from './bricked_bg.wasm';\n${source.replace(setter, '')}`)
    const entry = path.join(dir, 'bricked.js')
    const lines = fs.readFileSync(entry, 'utf8').split('\n')
    fs.writeFileSync(entry, lines.filter((line) => !line.includes('__wbg_set_wasm')).join('\n'))
    const out = patch([dir])
    assert.match(out, /patched \(bundler target/)
    assert.match(fs.readFileSync(bg, 'utf8'), /^let wasm;$/m, "x_bg.js's import of the .wasm became a let")
    const m = await import(pathToFileURL(entry).href)
    const r = await panicAndRecover(m)
    assert.equal(r.err.name, 'WasmAbortError')
    assert.equal(r.next, 1)
    assert.equal(r.generation, 1)
    assert.equal(r.stale.name, 'StaleHandleError')
  })
})

// A hand-written loader beside wasm-bindgen's bundler output (as
// @matrix-org/matrix-sdk-crypto-wasm and @wasm-fmt/* ship it): it
// instantiates the module itself with x_bg.js as its imports, and a wrapper
// re-exports everything. Made from the 0.2.130 bundler output.
describe('a hand-written loader and a wrapper over the bundler output', () => {
  const LOADER = `import fs from 'node:fs'
import * as bg from './pkg/bricked_bg.js'
const bytes = fs.readFileSync(new URL('./pkg/bricked_bg.wasm', import.meta.url))
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './bricked_bg.js': bg })
bg.__wbg_set_wasm(instance.exports)
instance.exports.__wbindgen_start()
export * from './pkg/bricked_bg.js'
`
  test('the loader is the entry, the wrapper is no glue, and it recovers', async () => {
    const dir = freshDir('loader')
    fs.cpSync(path.join(FIXTURES, 'bundler'), path.join(dir, 'pkg'), { recursive: true })
    fs.rmSync(path.join(dir, 'pkg', 'bricked.js'))
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
    fs.writeFileSync(path.join(dir, 'node.mjs'), LOADER)
    fs.writeFileSync(path.join(dir, 'index.mjs'), "export * from './node.mjs'\nexport { bump as __wbg_bump_alias } from './node.mjs'\n")
    const original = contents(dir)
    const out = patch([dir])
    assert.match(out, /\(hand-written entry\) target/)
    const after = contents(dir)
    for (const file of ['node.mjs', 'pkg/bricked_bg.js']) assert.notEqual(after[file], original[file], `${file} patched`)
    assert.equal(after['index.mjs'], original['index.mjs'], 'the wrapper is left as it is')
    const m = await import(pathToFileURL(path.join(dir, 'index.mjs')).href)
    const r = await panicAndRecover(m)
    assert.equal(r.err.name, 'WasmAbortError')
    assert.equal(r.next, 1)
    assert.equal(r.stale.name, 'StaleHandleError')
  })
})

// Glue whose module the package does not hold (the app fetches it from a
// URL at run time): the glue is patched alone, from what it says of the
// module, and recovers with the module as it was built.
describe('glue whose .wasm is not in the package', () => {
  test('is patched alone, says what that loses, and recovers with the unpatched module', async () => {
    const dir = copy()
    fs.rmSync(path.join(dir, 'bricked_bg.wasm'))
    const out = patch([dir])
    for (const entry of ENTRIES)
      assert.match(out, new RegExp(`^  ${entry.replace(/\./g, '\\.')} .* glue of ${entry.replace(/\./g, '\\.')}#no-wasm$`, 'm'))
    assert.match(out, /note: dist\/index\.mjs#no-wasm: no \.wasm of this glue is in the package .* stack pointers are not exported/)
    assert.equal(runCli(['--check', dir]).status, 0)
    // The bytes the app fetches: the module as wasm-bindgen built it.
    fs.copyFileSync(path.join(FIXTURES, 'web', 'bricked_bg.wasm'), path.join(dir, 'bricked_bg.wasm'))
    const r = await panicAndRecover(await loadEntry(dir, 'dist/index.mjs'))
    assert.equal(r.err.name, 'WasmAbortError')
    assert.equal(r.next, 1)
    assert.equal(r.generation, 1)
    assert.equal(r.stale.name, 'StaleHandleError')
  })
})
