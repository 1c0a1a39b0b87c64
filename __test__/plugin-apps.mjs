// The small app of the bundler-plugin tests (__test__/apps/), shared by
// plugins.test.mjs (Chromium) and firefox.test.mjs: a project directory with
// one wasm-bindgen package in node_modules (`bricked`, the bundler target of
// the fixture) and one in a local `pkg/` (the web target), a server for its
// build, and the run of the app's scenario in a page of an openBrowser
// driver, with the checks of what the page must see.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { listen, sendFile } from './browser.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
export const ROOT = path.resolve(HERE, '..')
export const FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130')
/** Both packages over 8 MB. */
export const LARGE_FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-large')
/** panic=unwind (modern EH): every exception-handling variant travels with the bundle. */
export const UNWIND_FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-unwind-modern')
export const APPS = path.join(HERE, 'apps')
const require = createRequire(import.meta.url)
export const addon = require('../index.js')

export const sha = (bytes) => createHash('sha256').update(bytes).digest('hex')

export function readDir(dir) {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]))
}

/** The patched bytes of the fixture's .wasm, as the addon makes them. */
export function expectedWasm(fixtures = FIXTURES) {
  const r = addon.transform(readDir(path.join(fixtures, 'bundler')), 'bricked.js')
  return r.files['bricked_bg.wasm']
}

/** The sha256 of each EH variant of the panic=unwind fixture's patched .wasm, by file name. */
export function unwindVariants() {
  const files = addon.transform(readDir(path.join(UNWIND_FIXTURES, 'bundler')), 'bricked.js').files
  return Object.fromEntries(['bricked_bg.wasm', 'bricked_bg.legacy.wasm', 'bricked_bg.noeh.wasm'].map((f) => [f, sha(files[f])]))
}

/**
 * A project in a temp directory: the app's sources, node_modules/bricked
 * (the bundler target, as wasm-pack publishes it), pkg/ (the web target),
 * and links to this repository (wasm-unbrick) and to the bundlers and plugins the apps import.
 */
export function makeProject(kind, fixtures = FIXTURES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wasm-unbrick-${kind}-`))
  fs.cpSync(path.join(APPS, kind), dir, { recursive: true })
  fs.copyFileSync(path.join(APPS, 'shared', 'main.js'), path.join(dir, 'main.js'))
  fs.cpSync(path.join(fixtures, 'web'), path.join(dir, 'pkg'), { recursive: true })
  const modules = path.join(dir, 'node_modules')
  fs.cpSync(path.join(fixtures, 'bundler'), path.join(modules, 'bricked'), { recursive: true })
  fs.writeFileSync(
    path.join(modules, 'bricked', 'package.json'),
    JSON.stringify(
      {
        name: 'bricked',
        version: '0.1.0',
        type: 'module',
        module: 'bricked.js',
        types: 'bricked.d.ts',
        sideEffects: ['./bricked.js', './snippets/*'],
      },
      null,
      2,
    ),
  )
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `unbrick-${kind}-app`,
        private: true,
        type: 'module',
        dependencies: { bricked: '0.1.0' },
      },
      null,
      2,
    ),
  )
  fs.symlinkSync(ROOT, path.join(modules, 'wasm-unbrick'), 'dir')
  // What the apps' configurations import (esbuild: apps/esbuild/build.mjs, run with node).
  for (const tool of ['vite', 'webpack', 'esbuild', '@rollup/plugin-node-resolve']) {
    fs.mkdirSync(path.dirname(path.join(modules, tool)), { recursive: true })
    fs.symlinkSync(path.join(ROOT, 'node_modules', tool), path.join(modules, tool), 'dir')
  }
  return dir
}

/** Hashes of every file under dir (to check that node_modules is never written). */
export function snapshot(dir) {
  const out = {}
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, f)
    if (fs.lstatSync(p).isFile()) out[f] = sha(fs.readFileSync(p))
  }
  return out
}

/**
 * Serves the build in `root` on 127.0.0.1 (a directory answers with its
 * index.html, `/` with `indexHtml` when given): { server, base, close() }.
 */
export async function serveBuild(root, indexHtml) {
  const site = await listen((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    if (url.pathname === '/' && indexHtml !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(indexHtml)
      return
    }
    const file = path.resolve(root, ...url.pathname.split('/').filter(Boolean).map(decodeURIComponent))
    const inside = file === root || file.startsWith(root + path.sep)
    const target = inside && fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, 'index.html') : file
    sendFile(res, inside ? target : null)
  })
  return { ...site, close: () => new Promise((resolve) => site.server.close(resolve)) }
}

/**
 * Opens the app at url in a fresh page of `browser` (an openBrowser
 * driver), runs its scenario on both packages, and returns the results
 * with the .wasm responses the page received; the page must raise nothing.
 * `inline`: the build inlines its .wasm, and the page records what it
 * fetched from data: URLs (`window.unbrickFetched`): that is `wasm`, and
 * `overHttp` lists the .wasm URLs fetched over HTTP.
 */
export async function runApp(browser, url, { inline = false } = {}) {
  const page = await browser.newPage()
  try {
    await page.goto(url)
    await page.waitFor(() => window.unbrickReady === true, 20_000)
    const results = {}
    for (const which of ['node_modules', 'local']) {
      results[which] = await page.evaluate((w) => window.unbrickScenario(w), which)
    }
    const fetched = page.responses.filter((r) => /\.wasm(\?|$)/.test(new URL(r.url).pathname))
    assert.deepEqual(page.errors, [])
    if (inline) return { results, wasm: await page.evaluate(() => window.unbrickFetched), overHttp: fetched.map((r) => r.url) }
    const wasm = []
    for (const r of fetched) wasm.push({ url: r.url, status: r.status, type: r.type, sha: sha(await r.body()) })
    return { results, wasm }
  } finally {
    await page.close()
  }
}

/**
 * Both packages aborted and were re-created; every .wasm the page fetched
 * holds `expected` (the patched bytes). `syncRefused`: the engine cannot
 * re-create the instance synchronously (Chromium's main thread, over 8 MB).
 */
export function checkRecovered({ results, wasm }, { expected = expectedWasm(), syncRefused = false } = {}) {
  for (const [which, out] of Object.entries(results)) {
    assert.equal(out.hasHandle, true, `${which}: __unbrick exported`)
    assert.equal(out.generationBefore, 0, which)
    assert.deepEqual(out.bumps, [1, 2], which)
    assert.equal(out.abort?.name, 'WasmAbortError', `${which}: ${JSON.stringify(out.abort)}`)
    assert.equal(out.abort.isWasmAbortError, true, which)
    assert.equal(out.abort.generation, 0, which)
    assert.match(out.abort.panicMessage ?? '', /panic while the counter is borrowed/, which)
    if (syncRefused) {
      assert.equal(out.firstCallAfter.error, 'WasmAbortError', `${which}: ${JSON.stringify(out.firstCallAfter)}`)
      assert.match(out.firstCallAfter.message, /being created asynchronously; await __unbrick.ready/, which)
    } else {
      assert.deepEqual(out.firstCallAfter, { value: 0 }, `${which}: re-created on the call`)
    }
    assert.equal(out.readyGeneration, 1, which)
    assert.equal(out.counterAfter, 0, `${which}: counter() of a fresh instance`)
    assert.equal(out.generationAfter, 1, which)
    assert.equal(out.bumpAfter, 1, which)
    assert.deepEqual(out.stale, { error: 'StaleHandleError' }, which)
  }
  assert.ok(wasm.length >= 1, 'the page fetched a .wasm')
  for (const w of wasm) {
    assert.equal(w.status, 200, w.url)
    assert.equal(w.type, 'application/wasm', w.url)
    assert.equal(w.sha, sha(expected), `${w.url} holds the patched bytes`)
  }
}

/** A panic unwound in both packages (the instance and its state kept); every .wasm fetched has the sha `loaded`. */
export function checkUnwound({ results, wasm }, loaded) {
  for (const [which, out] of Object.entries(results)) {
    assert.equal(out.abort?.name, 'PanicError', `${which}: ${JSON.stringify(out.abort)}`)
    assert.equal(out.generationAfter, 0, `${which}: the instance is kept`)
    assert.equal(out.bumpAfter, out.counterAfter + 1, `${which}: the state is kept`)
    assert.deepEqual(Object.keys(out.stale), ['value'], `${which}: objects stay valid`)
  }
  assert.ok(wasm.length >= 1, 'the page fetched a .wasm')
  for (const w of wasm) {
    assert.equal(w.status, 200, w.url)
    assert.equal(w.type, 'application/wasm', w.url)
    assert.equal(w.sha, loaded, `${w.url} holds the variant the page must load`)
  }
}

/** The .wasm files directly in dir, as sha256s. */
export const emittedWasm = (dir) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => sha(fs.readFileSync(path.join(dir, f))))
