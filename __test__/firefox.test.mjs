// The browser test (browser-suite.mjs) in Debian's Firefox ESR (SpiderMonkey),
// driven by puppeteer-core over WebDriver BiDi: the patched web and bundler
// targets in a page beside the unpatched ones, the panic=unwind fixtures in
// every exception-handling mode (Firefox has modern EH with
// WebAssembly.JSTag and legacy EH), a web package over 8 MB on the main
// thread and in a worker, with and without the standby instance (Firefox
// has no main-thread size gate), then the
// vite-built app of the plugin tests (plugin-apps.mjs). Firefox's outside
// traffic goes to a sink proxy, which must see none.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { ENGINES } from './browser.mjs'
import { browserSuite } from './browser-suite.mjs'
import {
  checkRecovered,
  checkUnwound,
  emittedWasm,
  expectedWasm,
  LARGE_FIXTURES,
  makeProject,
  runApp,
  serveBuild,
  UNWIND_FIXTURES,
  unwindVariants,
} from './plugin-apps.mjs'

describe('Firefox', () => {
  browserSuite(ENGINES.firefox, {
    more({ browser }) {
      const cleanup = []
      after(async () => {
        for (const f of cleanup.reverse()) await f()
      })

      async function viteApp(fixtures, plugins) {
        const { build } = await import('vite')
        const dir = makeProject('vite', fixtures)
        cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }))
        const config = plugins ? { configFile: false, plugins } : { configFile: path.join(dir, 'vite.config.mjs') }
        await build({ root: dir, logLevel: 'silent', ...config })
        const site = await serveBuild(path.join(dir, 'dist'))
        cleanup.push(site.close)
        return { dist: path.join(dir, 'dist'), out: await runApp(browser(), `${site.base}/`) }
      }

      test("vite build of the plugin tests' app: both packages abort and recover", async () => {
        const { out } = await viteApp()
        checkRecovered(out)
      })

      test('vite build of packages over 8 MB: re-created synchronously on the call', async () => {
        const { out } = await viteApp(LARGE_FIXTURES)
        checkRecovered(out, { expected: expectedWasm(LARGE_FIXTURES), syncRefused: ENGINES.firefox.mainThreadSyncLimit })
      })

      test('vite build of a panic=unwind module: every variant emitted, the modern one loaded', async () => {
        const { default: unbrick } = await import('wasm-unbrick/vite')
        const variants = unwindVariants()
        const { dist, out } = await viteApp(UNWIND_FIXTURES, [unbrick()])
        const assets = path.join(dist, 'assets')
        assert.deepEqual(new Set(emittedWasm(assets)), new Set(Object.values(variants)))
        checkUnwound(out, variants['bricked_bg.wasm'])
      })
    },
  })
})

// The fault matrix again with SpiderMonkey's JS JITs off, where its memory
// check is asserted (with them on, JIT code holds dead instances a while).
describe('Firefox, JS JITs off', () => {
  browserSuite(ENGINES.firefoxNoJit)
})
