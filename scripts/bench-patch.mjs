#!/usr/bin/env node
// Time to patch the largest public wasm-bindgen package we know,
// @biomejs/wasm-nodejs 2.5.14 (45 MB .wasm, 35,881 functions, panic=abort),
// as a user pays it: the whole CLI process, into a fresh --out-dir, and
// `inspect` alone. Beside them, as a yardstick, a process that only reads
// the package and writes it into a fresh directory.
//
//   node scripts/bench-patch.mjs [--rounds=5]   (part of npm run bench; downloads the package once)
//
// Each command runs in a fresh process, in turn (patch, inspect, copy,
// patch, ...), after one warm-up round; medians and ranges are printed.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fetchPackage } from './npm-package.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'wasm-unbrick.js')
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 5)

const pkg = fetchPackage('@biomejs/wasm-nodejs', '2.5.14')
const wasmBytes = fs.statSync(path.join(pkg, 'biome_wasm_bg.wasm')).size
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-patch-'))

const COPY = `const fs = require('node:fs'), path = require('node:path'); const [from, to] = process.argv.slice(1);
fs.mkdirSync(to); for (const f of fs.readdirSync(from)) fs.writeFileSync(path.join(to, f), fs.readFileSync(path.join(from, f)))`
let n = 0
const commands = {
  'patch (CLI, --out-dir)': () => [CLI, pkg, '--out-dir', path.join(tmp, `out-${n++}`)],
  'inspect (CLI)': () => [CLI, 'inspect', pkg],
  'read + write the package (yardstick)': () => ['-e', COPY, pkg, path.join(tmp, `copy-${n++}`)],
}

function timeOnce(args) {
  const started = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`)
  return seconds
}

const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]))
try {
  for (let round = 0; round <= rounds; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const t = timeOnce(args())
      if (round > 0) times[name].push(t) // round 0 warms the file cache
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(
  `@biomejs/wasm-nodejs 2.5.14: ${(wasmBytes / 1e6).toFixed(1)} MB .wasm; Node ${process.version}; ${rounds} rounds, fresh processes in turn`,
)
for (const [name, xs] of Object.entries(times)) {
  const s = (x) => `${x.toFixed(3)} s`
  console.log(`  ${name.padEnd(38)} median ${s(median(xs))}  (${s(Math.min(...xs))} to ${s(Math.max(...xs))})`)
}
const ratio = median(times['patch (CLI, --out-dir)']) / median(times['read + write the package (yardstick)'])
console.log(`  patch / yardstick: ${ratio.toFixed(2)}x (the goal: patch in 0.3 s or less)`)
