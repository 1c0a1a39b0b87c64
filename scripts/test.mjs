#!/usr/bin/env node
// Runs the JavaScript test suite: the Node tests in __test__/ on Node 20
// (this node), 22, 24 and 26, then the Chromium, plugin and npm pack tests,
// then the other engines' tests (workerd, Miniflare, Bun, Firefox) on Node
// 24. Prints a summary per run and exits non-zero when anything failed.
//
//   node scripts/test.mjs [--runtimes=20,24] [--no-chromium] [--only-chromium] [--no-engines] [--only-engines]
//
// Needs the addon built (`npm run build`). Installs the extra Node runtimes,
// Deno and Bun (scripts/install-runtimes.mjs), Chromium and Firefox ESR
// (scripts/install-chromium.mjs, install-firefox.mjs) when they are missing.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureChromium } from './install-chromium.mjs'
import { ensureFirefox } from './install-firefox.mjs'
import { DEFAULT_MAJORS, ensureDeno, ensureRuntimes } from './install-runtimes.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TEST_DIR = path.join(ROOT, '__test__')
// Run once, on this node: they drive Chromium, bundlers or npm itself.
const ONCE_TESTS = [
  'chromium.test.mjs',
  'plugins.test.mjs',
  'bundlers-rollup-rspack.test.mjs',
  'bundlers-esbuild.test.mjs',
  'bundler-options.test.mjs',
  'pack.test.mjs',
]
// Run once, on Node 24 (Miniflare needs Node 22 or newer): they start the
// other engines, each on 127.0.0.1, and stop them.
const ENGINE_TESTS = ['workerd.test.mjs', 'bun.test.mjs', 'firefox.test.mjs']
const ENGINE_TESTS_NODE = 24
const EH_FLAG_RUNS = [
  { major: 26, flags: ['--no-experimental-wasm-exnref', '--no-experimental-wasm-legacy-eh'] },
  { major: 22, flags: ['--no-experimental-wasm-legacy-eh'] },
  // Validates exnref but does not catch a JS throw with try_table (22.19 to 22.22.2).
  { major: '22.20.0', flags: [] },
]
const PER_TEST_TIMEOUT_MS = 180_000
const PER_RUN_TIMEOUT_MS = 6 * 60_000

function parseArgs(argv) {
  const opts = { runtimes: null, chromium: true, node: true, engines: true }
  for (const a of argv) {
    if (a.startsWith('--runtimes=')) opts.runtimes = a.slice('--runtimes='.length).split(',').map(Number)
    else if (a === '--no-chromium') opts.chromium = false
    else if (a === '--only-chromium') {
      opts.node = false
      opts.engines = false
    } else if (a === '--no-engines') opts.engines = false
    else if (a === '--only-engines') {
      opts.node = false
      opts.chromium = false
    } else {
      console.error(`test.mjs: unknown argument ${a}`)
      process.exit(2)
    }
  }
  return opts
}

function nodeTestFiles() {
  return fs
    .readdirSync(TEST_DIR)
    .filter((f) => f.endsWith('.test.mjs') && !ONCE_TESTS.includes(f) && !ENGINE_TESTS.includes(f))
    .sort()
    .map((f) => path.join('__test__', f))
}

// Counts from the TAP summary that `node --test` writes at its end.
function tapCounts(file) {
  const counts = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 }
  let text = ''
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
  let found = false
  for (const line of text.split('\n')) {
    const m = /^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line)
    if (m) {
      counts[m[1]] = Number(m[2])
      found = true
    }
  }
  return found ? counts : null
}

function runNodeTest(label, bin, files, extraFlags, tapFile) {
  const args = [
    ...extraFlags,
    '--test',
    `--test-timeout=${PER_TEST_TIMEOUT_MS}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ]
  const shown = bin.startsWith(ROOT + path.sep) ? path.relative(ROOT, bin) : bin
  console.log(`\n=== ${label}: ${shown} ${args.filter((a) => !a.startsWith('--test-reporter')).join(' ')}`)
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: process.env })
    const timer = setTimeout(() => {
      console.error(`=== ${label}: still running after ${PER_RUN_TIMEOUT_MS / 1000} s, killing it`)
      child.kill('SIGKILL')
    }, PER_RUN_TIMEOUT_MS)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ label, code, signal, seconds: (Date.now() - started) / 1000, counts: tapCounts(tapFile) })
    })
  })
}

function preflight() {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'wasm-unbrick.js'), '--version'], { encoding: 'utf8' })
  const addon = fs.readdirSync(ROOT).some((f) => /^wasm-unbrick\..*\.node$/.test(f))
  if (r.status !== 0 || !addon) {
    console.error(
      'test.mjs: warning: the wasm-unbrick addon does not seem to be built (run `npm run build`); ' + 'the patched tests will fail',
    )
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const systemMajor = Number(process.versions.node.split('.')[0])
  const wanted = opts.runtimes ?? [systemMajor, ...DEFAULT_MAJORS]
  preflight()

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-tap-'))
  const results = []
  const problems = []

  if (opts.node) {
    const runtimes = []
    if (wanted.includes(systemMajor)) runtimes.push({ major: systemMajor, bin: process.execPath, version: process.version })
    try {
      runtimes.push(...ensureRuntimes(wanted.filter((m) => m !== systemMajor)))
      ensureDeno()
    } catch (e) {
      problems.push(`installing runtimes: ${e.message}`)
    }
    const files = nodeTestFiles()
    for (const rt of runtimes) {
      // The unpatched bundler target imports its .wasm as an ES module:
      // Node 20 needs the flag, newer ones accept it.
      const flags = ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning']
      const r = await runNodeTest(`Node ${rt.version}`, rt.bin, files, flags, path.join(tmp, `node-${rt.major}.tap`))
      results.push(r)
    }
    // Engines with less exception handling than their version has: the
    // runtime must probe, not trust the version.
    for (const { major, flags } of EH_FLAG_RUNS) {
      let rt = runtimes.find((r) => r.major === major)
      if (!rt && typeof major === 'string' && wanted.includes(Number(major.split('.')[0]))) {
        try {
          ;[rt] = ensureRuntimes([major])
        } catch (e) {
          problems.push(`installing Node ${major}: ${e.message}`)
          continue
        }
      }
      if (!rt) continue
      const label = `Node ${major} ${flags.join(' ')}`.trim()
      results.push(
        await runNodeTest(label, rt.bin, [path.join('__test__', 'eh-modes.test.mjs')], flags, path.join(tmp, `node-${major}-eh.tap`)),
      )
    }
  }

  if (opts.chromium) {
    let chromiumOk = true
    try {
      ensureChromium()
    } catch (e) {
      chromiumOk = false
      problems.push(`Chromium: ${e.message}`)
    }
    if (chromiumOk) {
      const files = ONCE_TESTS.map((f) => path.join('__test__', f))
      const r = await runNodeTest('Chromium, plugins, npm pack', process.execPath, files, [], path.join(tmp, 'chromium.tap'))
      results.push(r)
    }
  }
  if (opts.engines) {
    try {
      ensureFirefox()
      const [rt] = ensureRuntimes([ENGINE_TESTS_NODE])
      const files = ENGINE_TESTS.map((f) => path.join('__test__', f))
      const missing = files.filter((f) => !fs.existsSync(path.join(ROOT, f)))
      if (missing.length > 0) problems.push(`engine tests missing: ${missing.join(', ')}`)
      results.push(
        await runNodeTest(
          'workerd, Miniflare, Bun, Firefox',
          rt.bin,
          files.filter((f) => !missing.includes(f)),
          [],
          path.join(tmp, 'engines.tap'),
        ),
      )
    } catch (e) {
      problems.push(`engine tests: ${e.message}`)
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true })

  // Summary.
  let pass = 0
  let fail = 0
  let skipped = 0
  let failedRuns = 0
  console.log('\n=== summary')
  for (const r of results) {
    const c = r.counts
    const ok = r.code === 0 && c !== null && c.fail === 0 && c.cancelled === 0 && c.tests > 0
    if (c !== null) {
      pass += c.pass
      fail += c.fail + c.cancelled
      skipped += c.skipped + c.todo
    }
    if (!ok) {
      failedRuns++
      // A run that died, or failed without a failing test, counts as one failure.
      if (c === null || c.fail + c.cancelled === 0) fail += 1
    }
    const detail =
      c !== null
        ? `${c.pass} passed, ${c.fail} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ''}, ${c.skipped} skipped`
        : 'no test results'
    const how = r.signal ? ` (killed by ${r.signal})` : r.code !== 0 ? ` (exit ${r.code})` : ''
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${r.label.padEnd(16)} ${detail}${how}  ${r.seconds.toFixed(1)} s`)
  }
  for (const p of problems) {
    console.log(`FAIL  ${p}`)
    fail += 1
  }
  console.log(`tests: ${pass} passed, ${fail} failed, ${skipped} skipped`)
  process.exit(failedRuns === 0 && problems.length === 0 ? 0 : 1)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
