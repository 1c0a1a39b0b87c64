// The bundler plugins (wasm-unbrick/vite, wasm-unbrick/webpack) on a small
// app (__test__/apps/): one wasm-bindgen package in node_modules (`bricked`,
// the bundler target of the fixture) and one in a local `pkg/` (the web
// target). A real `vite build`, vite's dev server and a real webpack build;
// each result is loaded in headless Chromium (playwright-core), aborted with
// panic_while_borrowed() and checked to recover. The configuration files
// the apps use are the README's snippets (checked below).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { coreOptions, packageOf, patchPackage } from '../plugins/core.mjs'
import { CHROMIUM, launchChromium, listen, sendFile } from './browser.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '..')
const FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130')
const APPS = path.join(HERE, 'apps')
const require = createRequire(import.meta.url)
const addon = require('../index.js')

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex')

function readDir(dir) {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]))
}

/** The patched bytes of the fixture's .wasm, as the addon makes them. */
function expectedWasm(fixtures = FIXTURES) {
  const r = addon.transform(readDir(path.join(fixtures, 'bundler')), 'bricked.js')
  return r.files['bricked_bg.wasm']
}

/**
 * A project in a temp directory: the app's sources, node_modules/bricked
 * (the bundler target, as wasm-pack publishes it), pkg/ (the web target),
 * and links to this repository (wasm-unbrick) and to its vite and webpack.
 */
function makeProject(kind, fixtures = FIXTURES) {
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
  for (const tool of ['vite', 'webpack']) {
    fs.symlinkSync(path.dirname(require.resolve(`${tool}/package.json`)), path.join(modules, tool), 'dir')
  }
  return dir
}

/** Hashes of every file under dir (to check that node_modules is never written). */
function snapshot(dir) {
  const out = {}
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, f)
    if (fs.lstatSync(p).isFile()) out[f] = sha(fs.readFileSync(p))
  }
  return out
}

function serve(root, indexHtml) {
  return listen((req, res) => {
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
}

describe('bundler plugins', () => {
  let browser
  const projects = []
  const servers = []
  let patchedWasm

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} exists (scripts/install-chromium.mjs installs it)`)
    patchedWasm = expectedWasm()
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    for (const s of servers) await s.close()
    for (const p of projects) fs.rmSync(p, { recursive: true, force: true })
  })

  /**
   * Opens url, runs the scenario on both packages, and returns the results
   * with the .wasm responses the page received.
   */
  async function runInPage(url) {
    const context = await browser.newContext()
    const page = await context.newPage()
    const pageErrors = []
    const wasmResponses = []
    page.on('pageerror', (e) => pageErrors.push(String(e)))
    page.on('response', (r) => {
      if (/\.wasm(\?|$)/.test(new URL(r.url()).pathname)) wasmResponses.push(r)
    })
    await page.goto(url)
    await page.waitForFunction(() => window.unbrickReady === true, null, { timeout: 20_000 })
    const results = {}
    for (const which of ['node_modules', 'local']) {
      results[which] = await page.evaluate((w) => window.unbrickScenario(w), which)
    }
    const wasm = []
    for (const r of wasmResponses) {
      wasm.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'], sha: sha(await r.body()) })
    }
    await context.close()
    assert.deepEqual(pageErrors, [])
    return { results, wasm }
  }

  function checkRecovered({ results, wasm }, { expectedWasm = patchedWasm, syncRefused = false } = {}) {
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
      assert.equal(w.sha, sha(expectedWasm), `${w.url} holds the patched bytes`)
    }
  }

  test('vite build', async () => {
    const { build } = await import('vite')
    const dir = makeProject('vite')
    projects.push(dir)
    const before = snapshot(path.join(dir, 'node_modules', 'bricked'))
    await build({ root: dir, configFile: path.join(dir, 'vite.config.mjs'), logLevel: 'silent' })

    const assets = fs.readdirSync(path.join(dir, 'dist', 'assets'))
    const wasmFiles = assets.filter((f) => f.endsWith('.wasm'))
    assert.ok(wasmFiles.length >= 1, `a .wasm was emitted: ${assets}`)
    for (const f of wasmFiles) {
      assert.equal(sha(fs.readFileSync(path.join(dir, 'dist', 'assets', f))), sha(patchedWasm), `${f} is the patched .wasm`)
    }
    assert.deepEqual(snapshot(path.join(dir, 'node_modules', 'bricked')), before, 'node_modules untouched')

    const site = await serve(path.join(dir, 'dist'))
    servers.push({ close: () => new Promise((r) => site.server.close(r)) })
    checkRecovered(await runInPage(`${site.base}/`))
  })

  // Both packages of the app over 8 MB: on Chromium's main thread the bundle
  // starts (asynchronous instantiation) and recovers asynchronously.
  test('vite build of packages over 8 MB', async () => {
    const { build } = await import('vite')
    const large = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-large')
    const dir = makeProject('vite', large)
    projects.push(dir)
    await build({ root: dir, configFile: path.join(dir, 'vite.config.mjs'), logLevel: 'silent' })
    const site = await serve(path.join(dir, 'dist'))
    servers.push({ close: () => new Promise((r) => site.server.close(r)) })
    checkRecovered(await runInPage(`${site.base}/`), { expectedWasm: expectedWasm(large), syncRefused: true })
  })

  test('vite dev server', async () => {
    const { createServer } = await import('vite')
    const dir = makeProject('vite')
    projects.push(dir)
    const before = snapshot(path.join(dir, 'node_modules', 'bricked'))
    const server = await createServer({
      root: dir,
      configFile: path.join(dir, 'vite.config.mjs'),
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    })
    servers.push({ close: () => server.close() })
    await server.listen()
    const address = server.httpServer.address()
    const out = await runInPage(`http://127.0.0.1:${address.port}/`)
    checkRecovered(out)
    assert.ok(
      out.wasm.every((w) => new URL(w.url).pathname.startsWith('/@unbrick/')),
      JSON.stringify(out.wasm),
    )
    assert.deepEqual(snapshot(path.join(dir, 'node_modules', 'bricked')), before, 'node_modules untouched')
  })

  test('webpack build', async () => {
    const { default: webpack } = await import('webpack')
    const dir = makeProject('webpack')
    projects.push(dir)
    const before = snapshot(path.join(dir, 'node_modules', 'bricked'))
    const { default: config } = await import(pathToFileURL(path.join(dir, 'webpack.config.mjs')).href)
    const stats = await new Promise((resolve, reject) => {
      webpack({ ...config, context: dir }, (err, s) => (err ? reject(err) : resolve(s)))
    })
    assert.equal(stats.hasErrors(), false, stats.toString({ all: false, errors: true }))
    assert.deepEqual(stats.toJson({ all: false, warnings: true }).warnings, [])

    const dist = path.join(dir, 'dist')
    const wasmFiles = fs.readdirSync(dist).filter((f) => f.endsWith('.wasm'))
    assert.ok(wasmFiles.length >= 1, 'a .wasm was emitted')
    for (const f of wasmFiles) {
      assert.equal(sha(fs.readFileSync(path.join(dist, f))), sha(patchedWasm), `${f} is the patched .wasm`)
    }
    assert.deepEqual(snapshot(path.join(dir, 'node_modules', 'bricked')), before, 'node_modules untouched')

    const site = await serve(dist, '<!doctype html><meta charset="utf-8"><title>webpack app</title><script src="/main.js"></script>')
    servers.push({ close: () => new Promise((r) => site.server.close(r)) })
    checkRecovered(await runInPage(`${site.base}/`))
  })

  // panic=unwind: every exception-handling variant travels with the bundle,
  // and the page loads the one the engine supports (modern in Chromium) or
  // the one `ehMode` forces.
  const UNWIND = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-unwind-modern')
  function unwindVariants() {
    const files = addon.transform(readDir(path.join(UNWIND, 'bundler')), 'bricked.js').files
    return Object.fromEntries(['bricked_bg.wasm', 'bricked_bg.legacy.wasm', 'bricked_bg.noeh.wasm'].map((f) => [f, sha(files[f])]))
  }

  function checkUnwound({ results, wasm }, loaded) {
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

  async function webpackBuild(dir, options) {
    const { default: webpack } = await import('webpack')
    const { default: unbrick } = await import('wasm-unbrick/webpack')
    const { default: config } = await import(pathToFileURL(path.join(dir, 'webpack.config.mjs')).href)
    const plugins = options ? [unbrick(options)] : config.plugins
    const stats = await new Promise((resolve, reject) => {
      webpack({ ...config, plugins, context: dir }, (err, s) => (err ? reject(err) : resolve(s)))
    })
    assert.equal(stats.hasErrors(), false, stats.toString({ all: false, errors: true }))
    assert.deepEqual(stats.toJson({ all: false, warnings: true }).warnings, [])
    return path.join(dir, 'dist')
  }

  const emittedWasm = (dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => sha(fs.readFileSync(path.join(dir, f))))

  for (const ehMode of [undefined, 'legacy']) {
    const loads = ehMode === 'legacy' ? 'bricked_bg.legacy.wasm' : 'bricked_bg.wasm'
    test(`vite build of a panic=unwind module${ehMode ? `, ehMode '${ehMode}'` : ''}: every variant emitted, ${loads} loaded`, async () => {
      const { build } = await import('vite')
      const { default: unbrick } = await import('wasm-unbrick/vite')
      const variants = unwindVariants()
      const dir = makeProject('vite', UNWIND)
      projects.push(dir)
      await build({ root: dir, configFile: false, logLevel: 'silent', plugins: [unbrick({ ehMode })] })
      assert.deepEqual(new Set(emittedWasm(path.join(dir, 'dist', 'assets'))), new Set(Object.values(variants)))
      const site = await serve(path.join(dir, 'dist'))
      servers.push({ close: () => new Promise((r) => site.server.close(r)) })
      checkUnwound(await runInPage(`${site.base}/`), variants[loads])
    })

    test(`webpack build of a panic=unwind module${ehMode ? `, ehMode '${ehMode}'` : ''}: every variant emitted, ${loads} loaded`, async () => {
      const variants = unwindVariants()
      const dir = makeProject('webpack', UNWIND)
      projects.push(dir)
      const dist = await webpackBuild(dir, ehMode && { ehMode })
      // The tag imports of the module never reach webpack's Wasm parser: every
      // variant is an asset.
      assert.deepEqual(new Set(emittedWasm(dist)), new Set(Object.values(variants)))
      const site = await serve(dist, '<!doctype html><meta charset="utf-8"><title>webpack app</title><script src="/main.js"></script>')
      servers.push({ close: () => new Promise((r) => site.server.close(r)) })
      checkUnwound(await runInPage(`${site.base}/`), variants[loads])
    })
  }

  test('vite dev server, panic=unwind module: the variants are served from memory', async () => {
    const { createServer } = await import('vite')
    const { default: unbrick } = await import('wasm-unbrick/vite')
    const variants = unwindVariants()
    const dir = makeProject('vite', UNWIND)
    projects.push(dir)
    const server = await createServer({
      root: dir,
      configFile: false,
      plugins: [unbrick({ ehMode: 'none' })],
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    })
    servers.push({ close: () => server.close() })
    await server.listen()
    const out = await runInPage(`http://127.0.0.1:${server.httpServer.address().port}/`)
    // Without exception handling a panic is an abort, recovered by reinit.
    for (const [which, r] of Object.entries(out.results)) {
      assert.equal(r.abort?.name, 'WasmAbortError', which)
      assert.equal(r.generationAfter, 1, which)
    }
    assert.ok(out.wasm.length >= 1)
    for (const w of out.wasm) {
      assert.match(new URL(w.url).pathname, /^\/@unbrick\/[0-9a-f]{16}\/bricked_bg\.noeh\.wasm$/)
      assert.equal(w.sha, variants['bricked_bg.noeh.wasm'])
    }
  })

  test('include/exclude: an excluded package is left alone', async () => {
    const { build } = await import('vite')
    const { default: unbrick } = await import('wasm-unbrick/vite')
    const dir = makeProject('vite')
    projects.push(dir)
    const seen = []
    await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [unbrick({ exclude: ['**/node_modules/**'], onPatched: (p) => seen.push(path.relative(dir, p.dir)) })],
    })
    assert.deepEqual(seen, ['pkg'])
    // Vite 8 bundles the unpatched bundler target by itself (Wasm ESM
    // integration): its original .wasm is emitted beside the patched one.
    const assets = path.join(dir, 'dist', 'assets')
    const wasm = fs
      .readdirSync(assets)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => sha(fs.readFileSync(path.join(assets, f))))
    assert.deepEqual(wasm.sort(), [sha(patchedWasm), sha(fs.readFileSync(path.join(FIXTURES, 'bundler', 'bricked_bg.wasm')))].sort())
  })

  test('the plugins find a package as the core does: .d.mts typings give settle() to async exports', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-dmts-'))
    projects.push(dir)
    fs.cpSync(path.join(FIXTURES, 'web'), dir, { recursive: true })
    fs.renameSync(path.join(dir, 'bricked.d.ts'), path.join(dir, 'bricked.d.mts'))
    const pkg = packageOf(path.join(dir, 'bricked.js'))
    assert.deepEqual(pkg.files, ['bricked.js', 'bricked_bg.wasm', 'bricked.d.mts', 'bricked_bg.wasm.d.ts'])
    assert.equal(packageOf(path.join(dir, 'bricked_bg.wasm'))?.role, 'wasm')
    assert.equal(packageOf(path.join(dir, 'bricked.d.mts')), null)
    const r = await patchPackage(pkg, coreOptions({ include: /x/ }))
    assert.ok(r.changed.has('bricked.d.mts'), 'the typings gain __unbrick')
    assert.match(r.files.get('bricked.js').toString(), /export function delayed_double[\s\S]*?return __unbrick_rt\.settle\(/)
    assert.throws(() => coreOptions({ policy: 'sometimes' }), { code: 'usage', message: /policy: unknown variant/ })
  })

  test('README snippets are the app configurations', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Integrations'))
    assert.ok(readme.includes('## Integrations'), 'README has the Integrations section')
    for (const file of ['vite/vite.config.mjs', 'webpack/webpack.config.mjs']) {
      const body = fs
        .readFileSync(path.join(APPS, file), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('// README'))
        .join('\n')
        .trim()
      assert.ok(section.includes(body), `README shows __test__/apps/${file} verbatim`)
    }
  })

  test('README JS API snippet runs', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const api = readme.slice(readme.indexOf('### JS API'))
    const snippet = /```js\n([\s\S]*?)```/.exec(api)?.[1]
    assert.ok(snippet, 'README has a JS API snippet')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-api-'))
    projects.push(dir)
    fs.cpSync(path.join(FIXTURES, 'web'), path.join(dir, 'pkg'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'wasm-unbrick'), 'dir')
    fs.writeFileSync(path.join(dir, 'snippet.mjs'), snippet)
    const r = spawnSync(process.execPath, ['snippet.mjs'], { cwd: dir, encoding: 'utf8' })
    assert.equal(r.status, 0, r.stdout + r.stderr)
    assert.equal(r.stdout, 'patched web bricked.d.ts bricked.js bricked_bg.wasm bricked_bg.wasm.d.ts\npatched true\n')
    // The in-memory transform changed nothing on disk; patchAsync wrote pkg-patched.
    assert.deepEqual(readDir(path.join(dir, 'pkg')), readDir(path.join(FIXTURES, 'web')))
    assert.ok(fs.existsSync(path.join(dir, 'pkg-patched', 'bricked.js')))
  })
})

describe('JS API (index.js)', () => {
  const files = () => readDir(path.join(FIXTURES, 'web'))

  test('transform returns only the changed files, as Buffers; input untouched', async () => {
    const input = files()
    const copy = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, Buffer.from(v)]))
    const sync = addon.transform(input, 'bricked.js', { policy: 'eager' })
    assert.equal(sync.status, 'patched')
    assert.deepEqual(Object.keys(sync.files).sort(), ['bricked.d.ts', 'bricked.js', 'bricked_bg.wasm', 'bricked_bg.wasm.d.ts'])
    assert.ok(Object.values(sync.files).every((b) => Buffer.isBuffer(b)))
    assert.match(sync.files['bricked.js'].toString(), /policy[^\n]*eager/)
    assert.equal(sync.analysis.target, 'web')
    assert.deepEqual(sync.wasmFiles, ['bricked_bg.wasm'])
    // Where the patched glue names its .wasm, in bytes of the patched file: what the plugins rewrite.
    assert.deepEqual(
      sync.wasmUrls['bricked.js'].map(({ start, end, file }) => [sync.files['bricked.js'].subarray(start, end).toString(), file]),
      [["new URL('bricked_bg.wasm', import.meta.url)", 'bricked_bg.wasm']],
    )
    assert.deepEqual(sync.notes, [])
    assert.deepEqual(addon.transform(input, 'bricked.js', { ehMode: 'legacy' }).notes, [
      "ehMode 'legacy' has no effect: the module has no exception handling (built with panic=abort)",
    ])
    assert.deepEqual(input, copy)

    // Plain Uint8Arrays are accepted; the async variant gives the same bytes.
    const views = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, new Uint8Array(v.buffer, v.byteOffset, v.byteLength)]))
    const async = await addon.transformAsync(views, 'bricked.js', { policy: 'eager' })
    for (const [name, bytes] of Object.entries(sync.files)) assert.ok(async.files[name].equals(bytes), name)

    // A patched package comes back as already patched, with no files.
    const patched = { ...input, ...sync.files }
    const again = await addon.transformAsync(patched, 'bricked.js')
    assert.deepEqual({ status: again.status, files: again.files }, { status: 'already-patched', files: {} })
  })

  test('errors carry code, thrown or as rejections', async () => {
    assert.throws(() => addon.transform(files(), 'nope.js'), { code: 'usage', message: /glueName 'nope\.js'/ })
    assert.throws(() => addon.transformAsync(files(), 'bricked.js', { policy: 'sometimes' }), { code: 'usage' })
    assert.throws(() => addon.transform(files(), 'bricked.js', { maxAborts: -1 }), { code: 'usage', message: /maxAborts/ })
    assert.throws(() => addon.transform(files(), 'bricked.js', { ehVariants: false }), {
      code: 'usage',
      message: /unknown field `ehVariants`/,
    })
    assert.throws(() => addon.transform(files(), 'bricked.js', { dryRun: true }), {
      code: 'usage',
      message: /applies to a package on disk/,
    })
    await assert.rejects(addon.transformAsync({ 'a.js': Buffer.from('x'), 'a_bg.wasm': Buffer.from('nope') }, 'a.js'), {
      code: 'invalid-wasm',
      message: /a_bg\.wasm/,
    })
    await assert.rejects(addon.analyzeAsync(path.join(os.tmpdir(), 'no-such-wasm-unbrick-dir')), { code: 'io' })
    await assert.rejects(addon.patchAsync(path.join(os.tmpdir(), 'no-such-wasm-unbrick-dir')), { code: 'io' })
  })

  test('analyzeAsync / patchAsync / patch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-dir-'))
    try {
      fs.cpSync(path.join(FIXTURES, 'bundler'), path.join(dir, 'pkg'), { recursive: true })
      const a = await addon.analyzeAsync(path.join(dir, 'pkg'))
      assert.deepEqual(
        { target: a.target, alreadyPatched: a.alreadyPatched, supported: a.supported },
        { target: 'bundler', alreadyPatched: false, supported: true },
      )
      const dry = await addon.patchAsync(path.join(dir, 'pkg'), { dryRun: true })
      assert.equal(dry.status, 'would-patch')
      const report = addon.patch(path.join(dir, 'pkg'))
      assert.equal(report.status, 'patched')
      assert.equal((await addon.analyzeAsync(path.join(dir, 'pkg'))).alreadyPatched, true)
      assert.equal((await addon.patchAsync(path.join(dir, 'pkg'))).status, 'already-patched')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
