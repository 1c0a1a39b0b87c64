// The options of the bundler plugins, one set of tests run against every
// bundler the package exports (vite, webpack, rollup, rolldown through
// wasm-unbrick/unplugin, rspack, esbuild): each builds the small app of the
// plugin tests (apps/, set up by plugin-apps.mjs: node_modules/bricked is
// the bundler target of the fixture, pkg/ its web target) for real, with
// the helper of its app (apps/<kind>/build.mjs, apps/esbuild/app.mjs), and
// the output is read, not run (the browser tests run it). Checked in each
// bundler:
//   - include/exclude pick the packages that are patched (onPatched) and
//     the others reach the bundle as they are;
//   - the core's options reach the runtime configuration of each patched
//     glue, and a bad one, or an unknown key, fails the build with the
//     core's message;
//   - the content-hash cache: a second build in the process does not call
//     the addon's transform again, new options or a changed file do.
// What a bundler cannot do the same is an explicit per-bundler expectation
// below, with its reason.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import vm from 'node:vm'
import { build as esbuildBuild } from './apps/esbuild/app.mjs'
import { build as rolldownBuild } from './apps/rolldown/build.mjs'
import { build as rollupBuild } from './apps/rollup/build.mjs'
import { build as rspackBuild } from './apps/rspack/build.mjs'
import { build as viteBuild } from './apps/vite/build.mjs'
import { build as webpackBuild } from './apps/webpack/build.mjs'
import { addon, expectedWasm, FIXTURES, makeProject, sha } from './plugin-apps.mjs'

const BUILDS = {
  vite: viteBuild,
  webpack: webpackBuild,
  rollup: rollupBuild,
  rolldown: rolldownBuild,
  rspack: rspackBuild,
  esbuild: esbuildBuild,
}

// rollup, rolldown and esbuild have no Wasm ESM integration: the bundler
// target left unpatched (`import * as wasm from './bricked_bg.wasm'`, which
// the patched glue no longer has) fails their build with their own error
// (rolldown reads the .wasm as JavaScript). vite, webpack and rspack bundle
// it by themselves, its original .wasm included.
const UNPATCHED_BUNDLER_TARGET = {
  vite: 'bundled',
  webpack: 'bundled',
  rspack: 'bundled',
  rollup: /bricked_bg\.wasm[\s\S]*you need plugins to import files that are not JavaScript/,
  rolldown: /UNLOADABLE_DEPENDENCY[\s\S]*Could not load [^\n]*node_modules[\\/]bricked[\\/]bricked_bg\.wasm[\s\S]*not contain valid UTF-8/,
  esbuild: /No loader is configured for "\.wasm" files: node_modules[\\/]bricked[\\/]bricked_bg\.wasm/,
}
// rollup, rolldown and esbuild leave the web target's own `new
// URL('bricked_bg.wasm', import.meta.url)` as it is (they emit no asset for
// it); vite, webpack and rspack emit its original .wasm.
const EMITS_UNPATCHED_WEB_WASM = { vite: true, webpack: true, rspack: true, rollup: false, rolldown: false, esbuild: false }

const ORIGINAL_WASM = sha(fs.readFileSync(path.join(FIXTURES, 'bundler', 'bricked_bg.wasm')))
const PATCHED_WASM = sha(expectedWasm())
assert.equal(sha(fs.readFileSync(path.join(FIXTURES, 'web', 'bricked_bg.wasm'))), ORIGINAL_WASM, 'both targets share one .wasm')

const projects = []
after(() => {
  for (const p of projects) fs.rmSync(p, { recursive: true, force: true })
})

function project(kind) {
  const dir = makeProject(kind)
  projects.push(dir)
  return dir
}

/** Every file under dir, relative, with `/`. */
const filesUnder = (dir) =>
  fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))

/** The JavaScript of the build in outDir, every .js file joined. */
const bundleJs = (outDir) =>
  filesUnder(outDir)
    .filter((f) => /\.[cm]?js$/.test(f))
    .map((f) => fs.readFileSync(path.join(outDir, f), 'utf8'))
    .join('\n')

/** The sha256 of each .wasm under outDir, sorted. */
const wasmUnder = (outDir) =>
  filesUnder(outDir)
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => sha(fs.readFileSync(path.join(outDir, f))))
    .sort()

/** The end (exclusive) of the object literal opened at js[start] === '{', strings skipped. */
function literalEnd(js, start) {
  let depth = 0
  for (let i = start; i < js.length; i++) {
    const c = js[i]
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < js.length && js[i] !== c; i++) if (js[i] === '\\') i++
    } else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  throw new Error(`unterminated literal at ${start}`)
}

/**
 * The runtime configuration of every patched glue in the bundle, evaluated:
 * the object literal the glue hands to the runtime, `{"version":…,"mode":…}`
 * as the core writes it, or as a minifier rewrites it (keys unquoted,
 * `!0`, `1e4`, template-literal strings), which is why the bundle is not
 * searched for `"policy":"eager"` (nor for the `/* wasm-unbrick: patched`
 * comment, which minifiers drop).
 */
function runtimeConfigs(js) {
  const q = '["\'`]'
  const opening = new RegExp(`\\{\\s*${q}?version${q}?\\s*:\\s*${q}[^"'\`]+${q}\\s*,\\s*${q}?mode${q}?\\s*:`, 'g')
  return [...js.matchAll(opening)].map((m) => vm.runInNewContext(`(${js.slice(m.index, literalEnd(js, m.index))})`))
}

/** The message of the core's error for the core options `options`. */
function coreMessage(options) {
  try {
    addon.parseOptions(options)
  } catch (err) {
    assert.equal(err.code, 'usage')
    return err.message
  }
  throw new Error(`the core accepts ${JSON.stringify(options)}`)
}

/** build(dir, options) with onPatched recording each package (relative to the project); resolves to { outDir, patched, warnings }. */
async function buildSeeing(build, dir, options) {
  const patched = []
  const warnings = []
  const root = fs.realpathSync(dir)
  const onPatched = (p) => {
    assert.equal(p.status, 'patched', p.dir)
    patched.push(path.relative(root, fs.realpathSync(p.dir)).split(path.sep).join('/'))
  }
  const outDir = await build(dir, { ...options, onPatched }, { warnings })
  return { outDir, patched: patched.sort(), warnings }
}

/**
 * Runs fn with the addon's transformAsync counted (plugins/core.mjs calls it
 * on this same module object); resolves to { value, calls }, calls naming
 * the target of each package transformed ('bundler': it has a bricked_bg.js,
 * else 'web'), sorted.
 */
async function countingTransforms(fn) {
  const original = addon.transformAsync
  const calls = []
  addon.transformAsync = function (files, entry, ...rest) {
    calls.push('bricked_bg.js' in files ? 'bundler' : 'web')
    return original.call(this, files, entry, ...rest)
  }
  try {
    const value = await fn()
    return { value, calls: calls.sort() }
  } finally {
    addon.transformAsync = original
  }
}

describe('the plugin options, the same in every bundler', () => {
  Object.entries(BUILDS).forEach(([kind, build], index) => {
    describe(kind, () => {
      test(`include: ['**/node_modules/**'] patches node_modules/bricked alone; pkg/ reaches the bundle unpatched`, async () => {
        const dir = project(kind)
        const { outDir, patched, warnings } = await buildSeeing(build, dir, { include: ['**/node_modules/**'] })
        assert.deepEqual(patched, ['node_modules/bricked'])
        assert.deepEqual(warnings, [])
        const js = bundleJs(outDir)
        assert.equal(runtimeConfigs(js).length, 1, 'one patched glue in the bundle')
        const wasm = wasmUnder(outDir)
        assert.deepEqual(wasm, (EMITS_UNPATCHED_WEB_WASM[kind] ? [PATCHED_WASM, ORIGINAL_WASM] : [PATCHED_WASM]).sort())
        if (!EMITS_UNPATCHED_WEB_WASM[kind]) {
          // The glue of pkg/ as wasm-bindgen wrote it, its URL untouched.
          assert.match(js, /new URL\(\s*["'`]bricked_bg\.wasm["'`]\s*,\s*import\.meta\.url\s*\)/)
        }
      })

      test(`exclude: /[\\\\/]pkg[\\\\/]/ (a RegExp) patches node_modules/bricked alone`, async () => {
        const dir = project(kind)
        const { outDir, patched } = await buildSeeing(build, dir, { exclude: /[\\/]pkg[\\/]/ })
        assert.deepEqual(patched, ['node_modules/bricked'])
        assert.equal(runtimeConfigs(bundleJs(outDir)).length, 1)
      })

      test(`exclude: ['**/node_modules/**'] patches pkg/ alone; node_modules/bricked reaches the bundler unpatched`, async () => {
        const dir = project(kind)
        const expected = UNPATCHED_BUNDLER_TARGET[kind]
        if (expected === 'bundled') {
          const { outDir, patched, warnings } = await buildSeeing(build, dir, { exclude: ['**/node_modules/**'] })
          assert.deepEqual(patched, ['pkg'])
          assert.deepEqual(warnings, [])
          assert.equal(runtimeConfigs(bundleJs(outDir)).length, 1, 'one patched glue in the bundle')
          // The bundler's own Wasm handling emits the original module of node_modules/bricked.
          assert.deepEqual(wasmUnder(outDir), [PATCHED_WASM, ORIGINAL_WASM].sort())
        } else {
          // This bundler cannot build the unpatched bundler target at all
          // (see UNPATCHED_BUNDLER_TARGET): its own error, and no report of node_modules/bricked.
          const patched = []
          const onPatched = (p) => patched.push(path.relative(fs.realpathSync(dir), fs.realpathSync(p.dir)))
          await assert.rejects(build(dir, { exclude: ['**/node_modules/**'], onPatched }), expected)
          assert.ok(
            patched.every((p) => p === 'pkg'),
            JSON.stringify(patched),
          )
        }
      })

      test('the core options reach the runtime configuration of each patched glue', async () => {
        const dir = project(kind)
        const options = { policy: 'eager', standby: true, rollback: 'checkpoint', maxAborts: 7, windowMs: 2500 }
        const { outDir, patched, warnings } = await buildSeeing(build, dir, options)
        assert.deepEqual(patched, ['node_modules/bricked', 'pkg'])
        assert.deepEqual(warnings, [])
        const configs = runtimeConfigs(bundleJs(outDir))
        assert.equal(configs.length, 2, 'both packages patched')
        for (const c of configs) {
          assert.deepEqual(
            { policy: c.policy, standby: c.standby, rollback: c.rollback, maxAborts: c.maxAborts, windowMs: c.windowMs },
            options,
          )
        }
      })

      // The core checks the options when the plugin is made: unbrick(options)
      // throws for vite, rollup, rolldown and esbuild (unplugin makes the
      // plugin there and then), the compiler's creation for webpack and
      // rspack (unplugin makes it when the compiler applies it); no bundler
      // wraps the error.
      test('a bad core option, or an unknown key, fails the build with the core message', async () => {
        const dir = project(kind)
        for (const options of [{ policy: 'sometimes' }, { standby: 'yes' }, { polciy: 'eager' }]) {
          const message = coreMessage(options)
          await assert.rejects(build(dir, options), (err) => {
            assert.ok(String(err?.message).includes(message), `${JSON.stringify(options)}: ${err?.message} holds "${message}"`)
            assert.equal(err.code, 'usage')
            return true
          })
        }
      })

      test('the content-hash cache: a second build transforms nothing; new options or a changed file do', async () => {
        const dir = project(kind)
        // Options of this test alone (the cache is the process's, shared by every plugin instance).
        const options = { maxAborts: 40 + index }
        const first = await countingTransforms(() => buildSeeing(build, dir, options))
        assert.deepEqual(first.calls, ['bundler', 'web'])
        assert.deepEqual(first.value.patched, ['node_modules/bricked', 'pkg'])
        const wasm = wasmUnder(first.value.outDir)

        // onPatched reports every package again: once per plugin instance.
        const second = await countingTransforms(() => buildSeeing(build, dir, options))
        assert.deepEqual(second.calls, [], 'the second build is served from the cache')
        assert.deepEqual(second.value.patched, ['node_modules/bricked', 'pkg'])
        assert.deepEqual(wasmUnder(second.value.outDir), wasm)

        // The key is the content and the parsed options, not the project's path nor how they are spelled.
        const elsewhere = project(kind)
        const third = await countingTransforms(() => buildSeeing(build, elsewhere, { ...options, policy: 'lazy' }))
        assert.deepEqual(third.calls, [], 'same files, same parsed options, another project')
        assert.deepEqual(third.value.patched, ['node_modules/bricked', 'pkg'])

        const other = await countingTransforms(() => buildSeeing(build, dir, { ...options, windowMs: 3000 + index }))
        assert.deepEqual(other.calls, ['bundler', 'web'], 'new options patch again')

        fs.appendFileSync(path.join(dir, 'pkg', 'bricked.js'), '\n// changed\n')
        const changed = await countingTransforms(() => buildSeeing(build, dir, options))
        assert.deepEqual(changed.calls, ['web'], 'pkg/ changed, node_modules/bricked did not')
        assert.deepEqual(changed.value.patched, ['node_modules/bricked', 'pkg'])
        assert.equal(runtimeConfigs(bundleJs(changed.value.outDir)).length, 2)
      })
    })
  })
})
