// wasm-unbrick/rollup, unplugin.rolldown() of wasm-unbrick/unplugin,
// wasm-unbrick/rspack and wasm-unbrick/webpack in real builds of the small
// app of the plugin tests (__test__/apps/, set up by plugin-apps.mjs; built
// by apps/<bundler>/build.mjs from the README's snippets): each build, of
// the panic=abort fixture and of the panic=unwind one, is loaded in
// headless Chromium and in Firefox ESR, where both packages of the app (the
// project's own pkg/ and node_modules/bricked) are trapped with
// panic_while_borrowed() and must recover (panic=abort) or unwind with the
// exception-handling variant the engine needs (panic=unwind). (webpack's
// README snippet is checked by plugins.test.mjs, which also runs its builds
// in Chromium.)
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { build as rolldownBuild } from './apps/rolldown/build.mjs'
import { build as rollupBuild } from './apps/rollup/build.mjs'
import { build as rspackBuild } from './apps/rspack/build.mjs'
import { build as webpackBuild } from './apps/webpack/build.mjs'
import { ENGINES, openBrowser } from './browser.mjs'
import {
  APPS,
  checkRecovered,
  checkUnwound,
  expectedWasm,
  makeProject,
  ROOT,
  runApp,
  serveBuild,
  sha,
  snapshot,
  UNWIND_FIXTURES,
  unwindVariants,
} from './plugin-apps.mjs'

const BUILDS = { rollup: rollupBuild, rolldown: rolldownBuild, rspack: rspackBuild, webpack: webpackBuild }
// The app configurations that are README snippets checked here, and the entry point each imports.
const CONFIGS = {
  rollup: ['rollup/rollup.config.mjs', 'wasm-unbrick/rollup'],
  rolldown: ['rolldown/rolldown.config.mjs', 'wasm-unbrick/unplugin'],
  rspack: ['rspack/rspack.config.mjs', 'wasm-unbrick/rspack'],
}

/** The .wasm files anywhere under dir, as sha256s. */
const wasmUnder = (dir) =>
  fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => sha(fs.readFileSync(path.join(dir, f))))

describe('rollup, rolldown, rspack and webpack, in Chromium and Firefox', () => {
  const browsers = []
  const cleanup = []

  before(async () => {
    for (const engine of [ENGINES.chromium, ENGINES.firefox]) {
      assert.ok(fs.existsSync(engine.executable), `${engine.executable} exists (${engine.installer} installs it)`)
    }
    browsers.push(...(await Promise.all([openBrowser(ENGINES.chromium), openBrowser(ENGINES.firefox)])))
  })

  after(async () => {
    const outside = browsers.filter((b) => b.engine.quiet).map((b) => [b.engine.name, [...b.outside]])
    for (const f of cleanup.reverse()) await f()
    for (const b of browsers) await b.close()
    for (const [name, requests] of outside) assert.deepEqual(requests, [], `${name} made no request beyond 127.0.0.1`)
  })

  function project(kind, fixtures) {
    const dir = makeProject(kind, fixtures)
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }))
    return dir
  }

  /** Serves `dist` and runs the app in every browser: `check(out, engine)` on each. */
  async function runEverywhere(t, dist, check) {
    const site = await serveBuild(dist)
    cleanup.push(site.close)
    await Promise.all(
      browsers.map(async (b) => {
        const out = await runApp(b, `${site.base}/`)
        check(out, b.engine)
        t.diagnostic(`${b.engine.name} ${b.version}: ${out.wasm.map((w) => new URL(w.url).pathname).join(' ')}`)
      }),
    )
  }

  for (const [kind, build] of Object.entries(BUILDS)) {
    test(`${kind} build (panic=abort): the patched .wasm emitted; both packages abort and recover`, async (t) => {
      const dir = project(kind)
      const untouched = snapshot(path.join(dir, 'node_modules', 'bricked'))
      const warnings = []
      const started = performance.now()
      const dist = await build(dir, undefined, { warnings })
      t.diagnostic(`${kind} build: ${(performance.now() - started).toFixed(0)} ms`)
      assert.deepEqual(warnings, [])
      const patched = expectedWasm()
      const emitted = wasmUnder(dist)
      assert.ok(emitted.length >= 1, 'a .wasm was emitted')
      assert.deepEqual(new Set(emitted), new Set([sha(patched)]), 'every emitted .wasm is the patched one')
      assert.deepEqual(snapshot(path.join(dir, 'node_modules', 'bricked')), untouched, 'node_modules untouched')
      // Tree-shaking keeps every function the module imports from the glue
      // (the glue hands its whole namespace to the runtime): each import
      // name is in the bundle.
      const bundle = fs.readFileSync(path.join(dist, 'main.js'), 'utf8')
      const imports = WebAssembly.Module.imports(new WebAssembly.Module(patched)).filter((i) => i.kind === 'function')
      assert.ok(imports.length > 10)
      for (const i of imports) assert.ok(bundle.includes(i.name), `the bundle keeps the import ${i.module} ${i.name}`)
      await runEverywhere(t, dist, (out) => checkRecovered(out, { expected: patched }))
    })

    for (const ehMode of [undefined, 'legacy']) {
      const loads = ehMode === 'legacy' ? 'bricked_bg.legacy.wasm' : 'bricked_bg.wasm'
      const title = `${kind} build of a panic=unwind package${ehMode ? `, ehMode '${ehMode}'` : ''}: every variant emitted, ${loads} loaded`
      test(title, async (t) => {
        const variants = unwindVariants()
        const dir = project(kind, UNWIND_FIXTURES)
        const warnings = []
        const dist = await build(dir, ehMode && { ehMode }, { warnings })
        assert.deepEqual(warnings, [])
        assert.deepEqual(new Set(wasmUnder(dist)), new Set(Object.values(variants)))
        await runEverywhere(t, dist, (out) => checkUnwound(out, variants[loads]))
      })
    }
  }

  test('README snippets are the rollup, rolldown and rspack app configurations', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    assert.ok(readme.includes('## Integrations'), 'README has the Integrations section')
    const section = readme.slice(readme.indexOf('## Integrations'))
    for (const [file, entry] of Object.values(CONFIGS)) {
      const lines = fs.readFileSync(path.join(APPS, file), 'utf8').split('\n')
      assert.match(lines[0], /^\/\/ README "Integrations → [^"]+" \(kept in sync by __test__\/bundlers-rollup-rspack\.test\.mjs\)$/)
      const heading = /"Integrations → ([^"]+)"/.exec(lines[0])[1]
      const body = lines
        .filter((l) => !l.startsWith('// README'))
        .join('\n')
        .trim()
      const start = section.indexOf(`\n### ${heading}\n`)
      assert.ok(start >= 0, `README has "### ${heading}" under Integrations`)
      const next = section.indexOf('\n### ', start + 1)
      const own = section.slice(start, next < 0 ? undefined : next)
      assert.ok(own.includes(`\`\`\`js\n${body}\n\`\`\``), `README "${heading}" shows __test__/apps/${file} verbatim`)
      assert.ok(own.includes(entry), `README "${heading}" imports ${entry}`)
    }
  })
})
