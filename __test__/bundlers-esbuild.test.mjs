// wasm-unbrick/esbuild on the small app of the plugin tests (apps/esbuild,
// set up by plugin-apps.mjs): one wasm-bindgen package in node_modules
// (`bricked`, the bundler target) and one in a local `pkg/` (the web
// target), in panic=abort and panic=unwind builds, bundled by the real
// esbuild. esbuild has no `new URL(..., import.meta.url)` handling: the
// plugin hands each patched .wasm (and each exception-handling variant) to
// esbuild's `file` loader, which copies it into the output directory
// (default), or to its `dataurl` loader, which inlines it (`wasmLoader:
// 'dataurl'`). Every build is loaded in headless Chromium and in Firefox
// ESR, aborted with panic_while_borrowed() and checked to recover (or, for
// panic=unwind, to unwind with the variant the engine needs); options that
// would give a bundle failing at run time fail the build, saying what to
// set. The build script the app uses is the README's snippet (checked
// below).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import * as esbuild from 'esbuild'
import { build, esbuildOptions, INDEX_HTML } from './apps/esbuild/app.mjs'
import { ENGINES, openBrowser } from './browser.mjs'
import {
  APPS,
  checkRecovered,
  checkUnwound,
  emittedWasm,
  expectedWasm,
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

const projects = []
const servers = []
after(async () => {
  for (const s of servers) await s.close()
  for (const p of projects) fs.rmSync(p, { recursive: true, force: true })
})

function project(fixtures) {
  const dir = makeProject('esbuild', fixtures)
  projects.push(dir)
  return dir
}

const once = (fn) => {
  let pending = null
  return () => {
    pending ??= fn()
    return pending
  }
}

/** `node build.mjs` in dir, as a user runs the README snippet: resolves to its output directory. */
function runSnippet(dir) {
  const r = spawnSync(process.execPath, ['build.mjs'], { cwd: dir, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
  // esbuild prints its warnings (logLevel 'warning'): there must be none.
  assert.equal(r.stdout + r.stderr, '')
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), INDEX_HTML)
  return path.join(dir, 'dist')
}

/** build() of app.mjs, which must raise no warning. */
async function quietBuild(dir, pluginOptions) {
  const warnings = []
  const dist = await build(dir, pluginOptions, { warnings })
  assert.deepEqual(warnings, [])
  return dist
}

/** The build's files but index.html, by name (.wasm as their sha256). */
const outputs = (dist) =>
  Object.fromEntries(
    Object.entries(readDir(dist))
      .filter(([f]) => f !== 'index.html')
      .map(([f, b]) => [f, f.endsWith('.wasm') ? sha(b) : b.toString()]),
  )

// A page that records what it fetches from data: URLs (the inlined .wasm):
// the URL's start, the status, the type and the sha256 of the body.
const RECORDER = `<script>
window.unbrickFetched = [];
const fetchBefore = window.fetch;
window.fetch = async function (input, init) {
  const response = await fetchBefore.call(this, input, init);
  const url = String(input instanceof Request ? input.url : input);
  if (url.startsWith('data:')) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    window.unbrickFetched.push({ url: url.slice(0, 40), status: response.status, type: response.headers.get('content-type'), sha: hex });
  }
  return response;
};
</script>
`

// The builds, each made once and loaded in both browsers.
const builds = {
  // The README snippet, run as a user runs it.
  snippet: once(async () => runSnippet(project())),
  unwind: once(() => quietBuild(project(UNWIND), {})),
  unwindLegacy: once(() => quietBuild(project(UNWIND), { ehMode: 'legacy' })),
  inline: once(() => quietBuild(project(), { wasmLoader: 'dataurl' })),
  inlineUnwind: once(() => quietBuild(project(UNWIND), { wasmLoader: 'dataurl' })),
  // esbuild's default format for the browser (iife) with the web target
  // alone: the inlined .wasm needs no import.meta.url.
  iifeInline: once(async () => {
    const dir = project()
    fs.writeFileSync(
      path.join(dir, 'iife.js'),
      `import init, * as m from './pkg/bricked.js'
window.unbrickIife = async () => {
  await init()
  const out = { bumps: [m.bump(), m.bump()] }
  const original = console.error
  console.error = () => {}
  try {
    m.panic_while_borrowed()
    out.abort = 'no throw'
  } catch (e) {
    out.abort = e.name
  } finally {
    console.error = original
  }
  // The next call re-creates the instance (policy 'lazy').
  out.counter = m.counter()
  out.ready = await m.__unbrick.ready
  out.bump = m.bump()
  return out
}
`,
    )
    const options = await esbuildOptions(dir, { wasmLoader: 'dataurl' }, { entryPoints: ['iife.js'], format: undefined })
    const result = await esbuild.build(options)
    assert.deepEqual(result.warnings, [])
    const dist = path.join(dir, 'dist')
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="./iife.js"></script>\n')
    return dist
  }),
}

describe(`esbuild ${esbuild.version} builds`, () => {
  // First in the file: the first build patches both packages, the second
  // finds them in the content-hash cache of the process.
  for (const [label, fixtures] of [
    ['panic=abort', undefined],
    ['panic=unwind', UNWIND],
    ['over 8 MB', LARGE_FIXTURES],
  ]) {
    test(`a build of the app, ${label}: first and cached`, async (t) => {
      const dir = project(fixtures)
      const times = []
      for (let i = 0; i < 2; i++) {
        const start = performance.now()
        await quietBuild(dir)
        times.push(performance.now() - start)
      }
      t.diagnostic(`first ${times[0].toFixed(0)} ms, cached ${times[1].toFixed(0)} ms`)
    })
  }

  test('the README snippet (build.mjs): the patched .wasm copied into outdir, node_modules untouched, the same files as app.mjs', async () => {
    const dist = await builds.snippet()
    const dir = path.dirname(dist)
    const files = outputs(dist)
    const wasm = Object.keys(files).filter((f) => f.endsWith('.wasm'))
    // Both packages have the same patched module: one asset, named by its hash.
    assert.equal(wasm.length, 1, Object.keys(files).join(' '))
    assert.match(wasm[0], /^bricked_bg\.unbrick-[A-Z0-9]{8}\.wasm$/)
    assert.equal(files[wasm[0]], sha(expectedWasm()))
    assert.deepEqual(Object.keys(files).sort(), ['main.js', wasm[0]].sort())
    // The glue fetches it relative to the bundle, through esbuild's path.
    assert.ok(files['main.js'].includes(`"./${wasm[0]}"`))
    assert.ok(!files['main.js'].includes('wasm-unbrick-wasm:'))
    // esbuild read the patched module from the cache; nothing of the packages is written.
    const cache = path.join(dir, 'node_modules', '.cache', 'wasm-unbrick')
    assert.deepEqual(
      fs.readdirSync(cache, { recursive: true }).filter((f) => f.endsWith('.wasm')),
      [path.join(sha(fs.readFileSync(path.join(dist, wasm[0]))).slice(0, 16), 'bricked_bg.unbrick.wasm')],
    )
    const fresh = makeProject('esbuild')
    projects.push(fresh)
    for (const sub of [path.join('node_modules', 'bricked'), 'pkg']) {
      assert.deepEqual(snapshot(path.join(dir, sub)), snapshot(path.join(fresh, sub)), `${sub} untouched`)
    }
    // app.mjs, which the other tests use, builds what the snippet builds.
    const copy = makeProject('esbuild')
    projects.push(copy)
    assert.deepEqual(outputs(await quietBuild(copy)), files)
  })

  test('panic=unwind: every variant copied into outdir', async () => {
    const variants = unwindVariants()
    for (const dist of [await builds.unwind(), await builds.unwindLegacy()]) {
      assert.deepEqual(new Set(emittedWasm(dist)), new Set(Object.values(variants)))
      assert.deepEqual(
        fs
          .readdirSync(dist)
          .filter((f) => f.endsWith('.wasm'))
          .map((f) => f.replace(/-[A-Z0-9]{8}\.wasm$/, '.wasm'))
          .sort(),
        ['bricked_bg.legacy.unbrick.wasm', 'bricked_bg.noeh.unbrick.wasm', 'bricked_bg.unbrick.wasm'],
      )
    }
  })

  test("wasmLoader: 'dataurl': no .wasm in outdir, every module and variant inlined", async () => {
    for (const [dist, expected] of [
      [await builds.inline(), [sha(expectedWasm())]],
      [await builds.inlineUnwind(), Object.values(unwindVariants())],
    ]) {
      assert.deepEqual(Object.keys(outputs(dist)), ['main.js'])
      const bundle = fs.readFileSync(path.join(dist, 'main.js'), 'utf8')
      const inlined = [...bundle.matchAll(/"data:application\/wasm;base64,([A-Za-z0-9+/=]+)"/g)].map((m) =>
        sha(Buffer.from(m[1], 'base64')),
      )
      assert.deepEqual(new Set(inlined), new Set(expected))
    }
  })

  test('a rebuild of an esbuild context carries the patched .wasm again', async () => {
    const dir = project()
    const ctx = await esbuild.context(await esbuildOptions(dir))
    try {
      for (let i = 0; i < 2; i++) {
        fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true })
        const result = await ctx.rebuild()
        assert.deepEqual(result.errors, [])
        assert.deepEqual(emittedWasm(path.join(dir, 'dist')), [sha(expectedWasm())])
      }
    } finally {
      await ctx.dispose()
    }
  })

  test('publicPath: the glue fetches the module under it', async () => {
    const dir = project()
    const result = await esbuild.build(await esbuildOptions(dir, {}, { publicPath: '/static/', write: false }))
    const bundle = result.outputFiles.find((f) => f.path.endsWith('main.js')).text
    const wasm = result.outputFiles.filter((f) => f.path.endsWith('.wasm'))
    assert.equal(wasm.length, 1)
    assert.equal(sha(wasm[0].contents), sha(expectedWasm()))
    assert.ok(bundle.includes(`"/static/${path.basename(wasm[0].path)}"`))
  })

  test('the cache keeps the modules used last', async () => {
    const dir = project()
    const cache = path.join(dir, 'node_modules', '.cache', 'wasm-unbrick')
    const old = new Date(Date.now() - 86_400_000)
    for (let i = 0; i < 40; i++) {
      fs.mkdirSync(path.join(cache, `old${i}`), { recursive: true })
      fs.utimesSync(path.join(cache, `old${i}`), old, new Date(old.getTime() + i))
    }
    await quietBuild(dir)
    const kept = fs.readdirSync(cache)
    assert.equal(kept.length, 32)
    assert.ok(kept.includes(sha(expectedWasm()).slice(0, 16)))
    // The most recently used of the others stay.
    assert.deepEqual(kept.filter((d) => d.startsWith('old')).length, 31)
    assert.ok(kept.includes('old39') && !kept.includes('old0'))
  })

  test("without format: 'esm' (esbuild's default for the browser is iife) the build fails, saying what to set", async () => {
    for (const format of [undefined, 'iife', 'cjs']) {
      const dir = project()
      const err = await esbuild.build(await esbuildOptions(dir, {}, { format })).then(
        () => assert.fail(`format ${format} built`),
        (e) => e,
      )
      const ours = err.errors.filter((e) => e.pluginName === 'wasm-unbrick')
      // One error for each package (the bundler target also uses top-level
      // await, which esbuild itself refuses in these formats).
      assert.equal(ours.length, 2, JSON.stringify(err.errors))
      for (const e of ours) {
        assert.match(e.text, /new URL\(\.\.\., import\.meta\.url\), which esbuild's "(iife|cjs)" format leaves empty/)
        assert.match(e.text, /set format: 'esm' .* or wasmLoader: 'dataurl'/)
      }
      assert.ok(!fs.existsSync(path.join(dir, 'dist')), 'nothing written')
    }
  })

  test('without bundle: true the build fails, saying what to set', async () => {
    const dir = project()
    const options = await esbuildOptions(dir, {}, { entryPoints: ['pkg/bricked.js'], bundle: false })
    await assert.rejects(esbuild.build(options), (e) => {
      assert.equal(e.errors.length, 1, JSON.stringify(e.errors))
      assert.equal(e.errors[0].pluginName, 'wasm-unbrick')
      assert.match(e.errors[0].text, /runs without bundle: true, so the patched glue cannot carry its patched \.wasm; set bundle: true/)
      return true
    })
  })

  test('wasmLoader takes file or dataurl', async () => {
    const { default: unbrick } = await import('wasm-unbrick/esbuild')
    assert.throws(() => unbrick({ wasmLoader: 'binary' }), {
      name: 'TypeError',
      message: "wasm-unbrick: wasmLoader must be 'file' or 'dataurl', got \"binary\"",
    })
    assert.equal(unbrick({ wasmLoader: 'dataurl', policy: 'eager' }).name, 'wasm-unbrick')
  })

  test('README snippet is the app build script', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const at = readme.indexOf('### esbuild', readme.indexOf('## Integrations'))
    assert.ok(at > 0, 'README has Integrations → esbuild')
    const section = readme.slice(at, readme.indexOf('\n### ', at + 1))
    const body = fs
      .readFileSync(path.join(APPS, 'esbuild', 'build.mjs'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('// README'))
      .join('\n')
      .trim()
    assert.ok(section.includes(`\`\`\`js\n${body}\n\`\`\``), 'README shows __test__/apps/esbuild/build.mjs verbatim')
  })
})

// A page that hangs fails its test rather than the run.
const IN_PAGE = { timeout: 60_000 }

for (const engine of [ENGINES.chromium, ENGINES.firefox]) {
  describe(`esbuild builds in ${engine.name}`, () => {
    let browser

    before(async () => {
      assert.ok(fs.existsSync(engine.executable), `${engine.executable} exists (${engine.installer} installs it)`)
      browser = await openBrowser(engine)
    })

    after(async () => {
      await browser?.close()
    })

    async function serve(dist, indexHtml) {
      const site = await serveBuild(dist, indexHtml)
      servers.push(site)
      return `${site.base}/`
    }

    test('the README snippet: both packages abort and recover', IN_PAGE, async () => {
      checkRecovered(await runApp(browser, await serve(await builds.snippet())))
    })

    for (const [name, loads] of [
      ['unwind', 'bricked_bg.wasm'],
      ['unwindLegacy', 'bricked_bg.legacy.wasm'],
    ]) {
      test(
        `panic=unwind${name === 'unwindLegacy' ? ", ehMode 'legacy'" : ''}: both packages unwind, ${loads} loaded`,
        IN_PAGE,
        async () => {
          checkUnwound(await runApp(browser, await serve(await builds[name]())), unwindVariants()[loads])
        },
      )
    }

    test("wasmLoader: 'dataurl': both packages abort and recover from the inlined module", IN_PAGE, async () => {
      const out = await runApp(browser, await serve(await builds.inline(), RECORDER + INDEX_HTML), { inline: true })
      assert.deepEqual(out.overHttp, [])
      checkRecovered(out)
      assert.ok(
        out.wasm.every((w) => w.url.startsWith('data:application/wasm;base64,')),
        JSON.stringify(out.wasm),
      )
    })

    test("wasmLoader: 'dataurl', panic=unwind: both packages unwind, the modern variant loaded", IN_PAGE, async () => {
      const out = await runApp(browser, await serve(await builds.inlineUnwind(), RECORDER + INDEX_HTML), { inline: true })
      assert.deepEqual(out.overHttp, [])
      checkUnwound(out, unwindVariants()['bricked_bg.wasm'])
    })

    test("wasmLoader: 'dataurl' in esbuild's default iife format: the web target aborts and recovers", IN_PAGE, async () => {
      const page = await browser.newPage()
      try {
        await page.goto(await serve(await builds.iifeInline()))
        await page.waitFor(() => typeof window.unbrickIife === 'function', 20_000)
        const out = await page.evaluate(() => window.unbrickIife())
        assert.deepEqual(out, { bumps: [1, 2], abort: 'WasmAbortError', counter: 0, ready: 1, bump: 1 })
        assert.deepEqual(page.errors, [])
      } finally {
        await page.close()
      }
    })
  })
}
