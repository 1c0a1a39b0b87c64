// The addon's ehVariant(): one .wasm in, the module in another
// exception-handling flavour out (what the transform writes as
// x_bg.modern.wasm, x_bg.legacy.wasm and x_bg.noeh.wasm).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { test } from 'node:test'
import { ROOT } from './helpers.mjs'

const require = createRequire(import.meta.url)
const unbrick = require('../index.js')
const wasmOf = (fixture) => fs.readFileSync(path.join(ROOT, 'fixtures', 'out', fixture, 'nodejs', 'bricked_bg.wasm'))
const compiles = (bytes) => {
  try {
    new WebAssembly.Module(bytes)
    return true
  } catch {
    return false
  }
}

for (const [fixture, own, other] of [
  ['wbg-0.2.130-unwind-modern', 'modern', 'legacy'],
  ['wbg-0.2.130-unwind-legacy', 'legacy', 'modern'],
]) {
  test(`${fixture}: every flavour is made, its own comes back unchanged`, () => {
    const input = wasmOf(fixture)
    assert.deepEqual(unbrick.ehVariant(input, own), input)
    const translated = unbrick.ehVariant(input, other)
    const stripped = unbrick.ehVariant(input, 'none')
    assert.notDeepEqual(translated, input)
    // Without exception handling the module compiles on every engine.
    assert.ok(compiles(stripped), 'the none variant compiles')
    // Each flavour compiles where the engine has it (this one compiles the input).
    if (compiles(input) && other === 'legacy') assert.ok(compiles(translated), 'the legacy variant compiles')
    assert.ok(WebAssembly.Module.imports(new WebAssembly.Module(stripped)).every((i) => i.kind !== 'tag'))
  })
}

test('bad input: a clear error with a code', () => {
  const abort = wasmOf('wbg-0.2.130')
  assert.throws(() => unbrick.ehVariant(abort, 'legacy'), {
    code: 'usage',
    message: /no legacy variant can be made of a module with no exception handling/,
  })
  assert.throws(() => unbrick.ehVariant(abort, 'auto'), { code: 'usage', message: /mode must be 'modern', 'legacy' or 'none'/ })
  assert.throws(() => unbrick.ehVariant(Buffer.from('not wasm'), 'none'), { code: 'invalid-wasm' })
})
