// The bundler plugins (wasm-unbrick/vite, wasm-unbrick/webpack) on a small
// app (__test__/apps/, set up by plugin-apps.mjs): one wasm-bindgen package
// in node_modules (`bricked`, the bundler target of the fixture) and one in
// a local `pkg/` (the web target). A real `vite build`, vite's dev server
// and a real webpack build; each result is loaded in headless Chromium
// (playwright-core), aborted with panic_while_borrowed() and checked to
// recover (firefox.test.mjs loads the vite build in Firefox). The
// configuration files the apps use are the README's snippets (checked
// below).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { coreOptions, packageOf, patchPackage } from '../plugins/core.mjs'
import { ENGINES, openBrowser } from './browser.mjs'
import {
  APPS,
  addon,
  checkRecovered,
  checkUnwound,
  emittedWasm,
  expectedWasm,
  FIXTURES,
  LARGE_FIXTURES,
  makeProject,
  ROOT,
  readDir,
  runApp,
  serveBuild,
  sha,
  snapshot,
  UNWIND_FIXTURES as UNWIND,
  unwindVariants,
} from './plugin-apps.mjs'

describe('bundler plugins', () => {
  let browser
  const projects = []
  const servers = []
  let patchedWasm

  before(async () => {
    const { executable, installer } = ENGINES.chromium
    assert.ok(fs.existsSync(executable), `${executable} exists (${installer} installs it)`)
    patchedWasm = expectedWasm()
    browser = await openBrowser(ENGINES.chromium)
  })

  after(async () => {
    await browser?.close()
    for (const s of servers) await s.close()
    for (const p of projects) fs.rmSync(p, { recursive: true, force: true })
  })

  const runInPage = (url) => runApp(browser, url)

  async function serve(root, indexHtml) {
    const site = await serveBuild(root, indexHtml)
    servers.push(site)
    return site
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
    checkRecovered(await runInPage(`${site.base}/`))
  })

  // Both packages of the app over 8 MB: on Chromium's main thread the bundle
  // starts (asynchronous instantiation) and recovers asynchronously.
  test('vite build of packages over 8 MB', async () => {
    const { build } = await import('vite')
    const large = LARGE_FIXTURES
    const dir = makeProject('vite', large)
    projects.push(dir)
    await build({ root: dir, configFile: path.join(dir, 'vite.config.mjs'), logLevel: 'silent' })
    const site = await serve(path.join(dir, 'dist'))
    checkRecovered(await runInPage(`${site.base}/`), { expected: expectedWasm(large), syncRefused: true })
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
    checkRecovered(await runInPage(`${site.base}/`))
  })

  // panic=unwind: every exception-handling variant travels with the bundle,
  // and the page loads the one the engine supports (modern in Chromium) or
  // the one `ehMode` forces.
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
