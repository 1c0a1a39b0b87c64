// The patched web target (default async init, instantiateStreaming) and the
// patched bundler target (its entry loaded directly as an ES module, with
// the top-level-await loader) in Debian's Chromium, driven by
// playwright-core. The packages are served from 127.0.0.1 with the
// application/wasm content type.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  EXPECTED_NORMAL, ROOT, assertEhResults, assertExpectedNormal, bestEhMode, builtEhMode, ehModesMade, patchFixture,
  unpatchedCopy,
} from './helpers.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run']

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.ts': 'text/plain' }

// The normal results as they come back from the page (bigint -> "<n>n").
function fromPage(value) {
  return JSON.parse(JSON.stringify(value), (_, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))
}

function serve(roots) {
  const requests = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    requests.push(url.pathname)
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><meta charset="utf-8"><title>wasm-unbrick</title><body>wasm-unbrick test page</body>')
      return
    }
    const [, prefix, ...rest] = url.pathname.split('/')
    const root = roots[prefix]
    const file = root && path.resolve(root, ...rest.map(decodeURIComponent))
    if (!file || !file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
      return
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    fs.createReadStream(file).pipe(res)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, requests, base: `http://127.0.0.1:${server.address().port}` }))
  })
}

describe('Chromium', () => {
  let browser
  let site
  // Served directories by URL prefix; tests add their own.
  const roots = {}
  let page
  const pageErrors = []

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} exists (scripts/install-chromium.mjs installs it)`)
    const { chromium } = await import('playwright-core')
    site = await serve(roots)
    Object.assign(roots, {
      web: patchFixture('web'),
      bundler: patchFixture('bundler'),
      'plain-web': unpatchedCopy('web'),
      t: HERE,
    })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  })

  after(async () => {
    await browser?.close()
    site?.server.close()
  })

  async function freshPage() {
    const context = await browser.newContext()
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(String(e)))
    await page.goto(`${site.base}/index.html`)
    return page
  }

  async function plainResults() {
    const p = await freshPage()
    const r = await p.evaluate(async (base) => {
      const s = await import(`${base}/t/browser-scenario.mjs`)
      return s.plain(`${base}/plain-web/bricked.js`, 'web')
    }, site.base)
    await p.context().close()
    return fromPage(r.normal)
  }

  for (const kind of ['web', 'bundler']) {
    test(`patched ${kind} target: abort, recovery, stale handles, same results`, async () => {
      const wasmPath = `/${kind}/bricked_bg.wasm`
      const fetchesBefore = site.requests.filter((r) => r === wasmPath).length
      const p = await freshPage()
      const out = fromPage(await p.evaluate(async ({ base, kind }) => {
        const s = await import(`${base}/t/browser-scenario.mjs`)
        return s.scenario(`${base}/${kind}/bricked.js`, kind)
      }, { base: site.base, kind }))
      await p.context().close()

      assert.equal(out.hasHandle, true)
      assert.deepEqual(out.start, { generation: 0, state: 'live', mode: 'none', policy: 'lazy' })
      assertExpectedNormal(out.normalBefore)
      assert.deepEqual(out.bumps, [1, 2])
      assert.equal(out.bumperBefore, 3)

      // The abort.
      assert.equal(out.abort?.name, 'WasmAbortError', JSON.stringify(out.abort))
      assert.equal(out.abort.isWasmAbortError, true)
      assert.equal(out.abort.generation, 0)
      assert.equal(out.abort.cause, 'RuntimeError')
      assert.match(out.abort.panicMessage ?? '', /panic while the counter is borrowed/)
      assert.equal(out.panicLogged, true, 'console_error_panic_hook still reaches console.error')
      assert.deepEqual(out.afterAbort, { state: 'terminated', generation: 0, aborts: [0] })
      assert.equal(out.pending?.rejected?.name, 'WasmAbortError', `pending wait_for_release: ${JSON.stringify(out.pending)}`)
      assert.equal(out.pending.rejected.generation, 0)

      // Recovery.
      assert.equal(out.counterAfter, 0)
      assert.equal(out.revived.state, 'live')
      assert.equal(out.revived.generation, 1)
      assert.equal(out.revived.stats.aborts, 1)
      assert.equal(out.revived.stats.reinits, 1)
      assert.deepEqual(out.stale, {
        total: { error: 'StaleHandleError' },
        add: { error: 'StaleHandleError' },
        snapshot: { error: 'StaleHandleError' },
        closure: { error: 'StaleHandleError' },
        free: 'ok',
      })
      assert.equal(out.lastBump, 1000)

      // Other aborts.
      const causes = { overflow_stack: 'RuntimeError', overflow_native_stack: 'RangeError', abort_now: 'RuntimeError' }
      let generation = 1
      for (const [name, cause] of Object.entries(causes)) {
        const r = out.more[name]
        assert.equal(r.error?.name, 'WasmAbortError', `${name}: ${JSON.stringify(r.error)}`)
        assert.equal(r.error.cause, cause, name)
        assert.equal(r.error.generation, generation, name)
        generation++
        assert.equal(r.greetAfter, 'Hello, again!', name)
        assert.equal(r.counterAfter, 0, name)
        assert.equal(r.generation, generation, name)
      }

      // Not aborts.
      assert.deepEqual(out.jsError, { name: 'Error', message: 'plain js error' })
      assert.deepEqual(out.callbackError, { same: true })
      assert.deepEqual(out.afterNonAborts, { generation, state: 'live' })

      // Same results as the unpatched web target, before and after.
      const plain = await plainResults()
      assertExpectedNormal(plain)
      assert.deepEqual(out.normalBefore, plain)
      assert.deepEqual(out.normalAfter, plain)
      assert.deepEqual(out.normalAfter.accumulator, EXPECTED_NORMAL.accumulator)

      // The .wasm was fetched once: new instances reuse the compiled module.
      assert.equal(site.requests.filter((r) => r === wasmPath).length - fetchesBefore, 1)
      assert.deepEqual(pageErrors, [])
    })
  }

  // panic=unwind fixtures: the page probes Chromium's exception handling and
  // loads the best variant; every mode runs the scenario of eh-modes.test.mjs.
  const OUT = path.join(ROOT, 'fixtures', 'out')
  let served = 0
  async function ehScenario(kind, from, args) {
    const pkg = patchFixture(kind, { from, args })
    const prefix = `eh${++served}`
    roots[prefix] = pkg
    const p = await freshPage()
    const result = await p.evaluate(async ({ base, prefix, kind }) => {
      const s = await import(`${base}/t/eh-scenario.mjs`)
      return s.inPage(`${base}/${prefix}/bricked.js`, kind)
    }, { base: site.base, prefix, kind })
    await p.context().close()
    const variant = result.mode === 'none' ? 'noeh' : result.mode
    const wasmFile = `/${prefix}/bricked_bg${result.mode === builtEhMode(from) ? '' : `.${variant}`}.wasm`
    assert.ok(site.requests.includes(wasmFile), `${wasmFile} was fetched`)
    return { pkg, result }
  }

  for (const version of fs.readdirSync(OUT).filter((d) => d.includes('unwind')).sort()) {
    for (const kind of ['web', 'bundler']) {
      test(`${version} ${kind}: the best EH variant is chosen and every mode behaves the same`, async () => {
        const dir = path.join(OUT, version, kind)
        const built = builtEhMode(dir)
        const auto = await ehScenario(kind, dir, [])
        const { support, ...autoResult } = auto.result
        assert.equal(support?.modern, true, `Chromium 137+ catches a JS throw with try_table: ${JSON.stringify(support)}`)
        assert.equal(support.legacy, true, 'Chromium still has legacy exception handling')
        const made = ehModesMade(auto.pkg, built)
        assert.deepEqual([...made].sort(), ['legacy', 'modern', 'none'])
        const best = bestEhMode(built, made, support)
        assert.equal(autoResult.mode, best)
        const results = { auto: autoResult }
        for (const mode of made) {
          const { result } = await ehScenario(kind, dir, ['--eh-mode', mode])
          assert.equal(result.mode, mode)
          delete result.support
          results[mode] = result
        }
        assertEhResults(results, best, dir)
        assert.deepEqual(pageErrors, [])
      })
    }
  }
})
