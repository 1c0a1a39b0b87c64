// Builds the README's compatibility matrix from test results: runs
// __test__/versions.test.mjs on every Node runtime and rewrites the table
// between the README's compat markers.
//   node scripts/compat-matrix.mjs [--check]   (--check: print only)
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_MAJORS, ensureDeno, ensureRuntimes } from './install-runtimes.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const README = path.join(ROOT, 'README.md')
const START = '<!-- compat:start -->'
const END = '<!-- compat:end -->'

const runtimes = [{ major: Number(process.versions.node.split('.')[0]), bin: process.execPath }, ...ensureRuntimes(DEFAULT_MAJORS)]
ensureDeno()

// results[version][target][engine] = 'pass' | 'fail' | 'skip'
const results = {}
for (const rt of runtimes) {
  const r = spawnSync(
    rt.bin,
    [
      '--experimental-wasm-modules',
      '--disable-warning=ExperimentalWarning',
      '--test',
      '--test-reporter=tap',
      path.join(ROOT, '__test__', 'versions.test.mjs'),
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  )
  let version = null
  for (const line of r.stdout.split('\n')) {
    const suite = /^# Subtest: (wbg-[\w.-]+)$/.exec(line)
    if (suite) version = suite[1].slice(4)
    const m = /^ {4}(ok|not ok) \d+ - (\S+): (patched, .*?|in Deno, .*?)( # SKIP.*)?$/.exec(line)
    if (!m || version === null) continue
    const [, status, target, what, skip] = m
    const engine = what.startsWith('in Deno') ? 'Deno' : `Node ${rt.major}`
    results[version] ??= {}
    results[version][target] ??= {}
    const cell = results[version][target]
    cell[engine] = skip ? 'skip' : status === 'ok' ? 'pass' : 'fail'
  }
}

// "0.2.130-heap": a version, then a variant of its output.
const compare = (a, b) => {
  const [va, xa = ''] = a.split('-')
  const [vb, xb = ''] = b.split('-')
  const d = va
    .split('.')
    .map(Number)
    .reduce((acc, x, i) => acc || x - Number(vb.split('.')[i]), 0)
  return d || xa.localeCompare(xb)
}
const lines = ['| wasm-bindgen | target | engines where the patched module recovers (✗ = fails) |', '|---|---|---|']
for (const version of Object.keys(results).sort(compare)) {
  for (const target of Object.keys(results[version]).sort()) {
    const cells = results[version][target]
    const engines = Object.entries(cells).filter(([, s]) => s !== 'skip')
    const text =
      engines.length === 0 ? 'not runnable here' : engines.map(([engine, s]) => (s === 'pass' ? engine : `${engine} ✗`)).join(', ')
    lines.push(`| ${version} | ${target} | ${text} |`)
  }
}
const table = lines.join('\n')
console.log(table)
if (!process.argv.includes('--check')) {
  const readme = fs.readFileSync(README, 'utf8')
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end === -1) throw new Error(`README.md has no ${START} ... ${END} markers`)
  fs.writeFileSync(README, `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`)
}
