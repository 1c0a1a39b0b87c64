// worker-build's own panic recovery against wasm-unbrick's, side by side in
// one run: the workers-rs fixture (fixtures/out/workers-rs) built with
// recovery, built with --no-panic-recovery, and that build patched by the
// CLI, each served by a fresh workerd process per round on 127.0.0.1, the
// builds in turn. Per round: the median latency of GET / over REQUESTS
// requests, and of PANICS panics the time from sending /panic-borrowed to
// the next successful /count. Prints the median of the round medians and
// their range.
//   node scripts/bench-workers-rs.mjs [--rounds N]
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWorkerd } from '../__test__/workerd.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURE = path.join(ROOT, 'fixtures', 'out', 'workers-rs')
const REQUESTS = 500
const PANICS = 4 // under the crash-loop guard's default of 5 aborts in 10 s
const roundsArg = process.argv.indexOf('--rounds')
const ROUNDS = roundsArg === -1 ? 5 : Number(process.argv[roundsArg + 1])

const patched = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-workers-rs-'))
fs.rmSync(patched, { recursive: true })
const cli = spawnSync(
  process.execPath,
  [path.join(ROOT, 'bin', 'wasm-unbrick.js'), path.join(FIXTURE, 'no-recovery'), '--out-dir', patched],
  {
    encoding: 'utf8',
  },
)
if (cli.status !== 0) throw new Error(`wasm-unbrick failed: ${cli.stderr}`)

const BUILDS = {
  "worker-build's recovery": { dir: path.join(FIXTURE, 'recovery'), entry: 'index.js', wasm: 'index_bg.wasm', recovers: true },
  '--no-panic-recovery': { dir: path.join(FIXTURE, 'no-recovery'), entry: 'shim.mjs', wasm: 'index.wasm', recovers: false },
  '--no-panic-recovery + wasm-unbrick': { dir: patched, entry: 'shim.mjs', wasm: 'index.wasm', recovers: true },
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function timed(w, route) {
  const t = process.hrtime.bigint()
  const res = await w.fetch(route)
  await res.arrayBuffer()
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.status }
}

async function round({ dir, entry, wasm, recovers }) {
  const w = await startWorkerd({
    [entry]: { type: 'esModule', file: path.join(dir, entry) },
    [wasm]: { type: 'wasm', file: path.join(dir, wasm) },
  })
  try {
    for (let i = 0; i < 50; i++) await timed(w, '/') // warm-up
    const latencies = []
    for (let i = 0; i < REQUESTS; i++) latencies.push((await timed(w, '/')).ms)
    const recoveries = []
    if (recovers) {
      for (let i = 0; i < PANICS; i++) {
        const start = process.hrtime.bigint()
        await timed(w, '/panic-borrowed')
        const next = await timed(w, '/count')
        if (next.status !== 200) throw new Error(`/count after a panic answered ${next.status}`)
        recoveries.push(Number(process.hrtime.bigint() - start) / 1e6)
      }
    }
    return { latency: median(latencies), recovery: recoveries.length ? median(recoveries) : null }
  } finally {
    await w.stop()
  }
}

const results = Object.fromEntries(Object.keys(BUILDS).map((name) => [name, { latency: [], recovery: [] }]))
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, build] of Object.entries(BUILDS)) {
    const { latency, recovery } = await round(build)
    results[name].latency.push(latency)
    if (recovery !== null) results[name].recovery.push(recovery)
  }
}
fs.rmSync(patched, { recursive: true, force: true })

const fmt = (xs) =>
  xs.length === 0
    ? 'none: the state a panic left stays'
    : `${median(xs).toFixed(2)} ms (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`
const workerd = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'workerd'), ['--version'], { encoding: 'utf8' }).stdout.trim()
console.log(`${workerd}, ${ROUNDS} rounds (a fresh workerd per build and round), ${REQUESTS} requests and ${PANICS} panics a round\n`)
console.log('| build | GET / latency | panic → next successful response |')
console.log('|---|---|---|')
for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${fmt(r.latency)} | ${fmt(r.recovery)} |`)
