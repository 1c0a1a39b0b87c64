// Tests of runtime/eh-support.js, loaded as the glue embeds it.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import test from 'node:test'
import vm from 'node:vm'

const source = fs.readFileSync(new URL('./eh-support.js', import.meta.url), 'utf8')
const __unbrickEhSupport = vm.runInThisContext(`(function () { ${source}; return __unbrickEhSupport; })()`)
const KEY = Symbol.for('wasm-unbrick.eh-support')

test('the probe says what this engine catches, once per process', () => {
  delete globalThis[KEY]
  const support = __unbrickEhSupport()
  // Every Node this project supports has legacy exception handling; modern
  // needs WebAssembly.JSTag (Node 22 and later).
  assert.equal(support.legacy, true)
  assert.equal(typeof support.modern, 'boolean')
  if (WebAssembly.JSTag === undefined) assert.equal(support.modern, false)
  assert.equal(__unbrickEhSupport(), support, 'probed once: the result is kept on globalThis')
  assert.equal(globalThis[KEY], support)
})
