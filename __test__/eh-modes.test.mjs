// Exception-handling variants of panic=unwind modules: each patched package
// carries the module in every mode (modern, legacy, none), and the runtime
// loads the best one the engine supports, found by probing. The same
// scenario runs on every mode this engine can load (forced with --eh-mode)
// and must give the same results, apart from the one documented difference:
// without exception handling a panic is an abort, recovered by re-creating
// the instance, instead of unwinding in place.
//
// scripts/test.mjs runs this file on Node 20 (legacy only), 22, 24, 26, and
// again on Node 26 with all exception handling disabled, on Node 22 without
// legacy exception handling, and on Node 22.20.0, whose exnref EH does not
// catch JS throws.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { scenario } from './eh-scenario.mjs'
import {
  assertEhResults,
  assertUnwindFixtures,
  bestEhMode,
  builtEhMode,
  EH_SUPPORT_KEY,
  ehModesMade,
  patchFixture,
  ROOT,
  UNWIND_FIXTURES,
} from './helpers.mjs'

const require = createRequire(import.meta.url)
const OUT = path.join(ROOT, 'fixtures', 'out')
// The flags that change exception handling, for the engine matrix.
const EH_FLAGS = process.execArgv.filter((a) => a.includes('-eh') || a.includes('exnref')).join(' ')
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

// Node 22.19 to 22.22.2 validate exnref but do not catch JS throws with
// try_table (catch $JSTag).
const [MAJOR, MINOR, PATCH] = process.versions.node.split('.').map(Number)
const BROKEN_JSTAG = MAJOR === 22 && MINOR >= 19 && (MINOR < 22 || (MINOR === 22 && PATCH <= 2))

test('the panic=unwind fixtures are all there', () => assertUnwindFixtures(OUT))

for (const version of UNWIND_FIXTURES) {
  describe(`${version} on Node ${process.version} (${FLAGS})`, () => {
    for (const target of Object.keys(LOADERS)) {
      const dir = path.join(OUT, version, target)
      test(`${target}: the best variant is chosen and every loadable mode behaves the same`, async () => {
        const built = builtEhMode(dir)
        const autoDir = patchFixture(target, { from: dir })
        const made = ehModesMade(autoDir, built)
        assert.ok(made.includes('none'), 'a reinit-only variant is always made')
        const auto = await LOADERS[target](autoDir)
        const support = globalThis[EH_SUPPORT_KEY]
        assert.ok(support, 'the runtime probed the engine')
        if (BROKEN_JSTAG) {
          // The module validates, yet the probe finds that exnref EH does not
          // catch a JS throw: the version alone would have said modern.
          assert.equal(
            WebAssembly.validate(fs.readFileSync(path.join(OUT, 'wbg-0.2.130-unwind-modern', 'nodejs', 'bricked_bg.wasm'))),
            true,
          )
          assert.deepEqual(support, { modern: false, legacy: true })
        }
        const best = bestEhMode(built, made, support)
        assert.equal(auto.__unbrick.mode, best, `probe said ${JSON.stringify(support)}`)
        const results = { auto: scenario(auto) }
        for (const mode of made.filter((m) => m === 'none' || support[m])) {
          const m = await LOADERS[target](patchFixture(target, { from: dir, args: ['--eh-mode', mode] }))
          assert.equal(m.__unbrick.mode, mode)
          results[mode] = scenario(m)
        }
        assertEhResults(results, best, dir, `Node ${process.versions.node}${EH_FLAGS === '' ? '' : ` ${EH_FLAGS}`}`)
      })
    }
  })
}
