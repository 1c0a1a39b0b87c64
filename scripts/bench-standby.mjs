// Recovery latency with and without the standby instance (`--standby`): the
// time of the first call after an abort, which re-creates the instance on
// the call path without a standby and swaps the spare in with one, beside
// the same call on a live instance and a bare `new WebAssembly.Instance`
// of the module; and the same first call again after 30 recoveries in the
// process (the steady state, once V8 has compiled the recovery path), and
// in that state the re-creation alone (reinit()) and the call after it. Each
// figure comes from a fresh process (the two builds alternating), several
// rounds, median and range.
//   - the fixture (nodejs target): panic_while_borrowed(), then bump();
//   - @biomejs/wasm-nodejs 2.5.14 (45 MB .wasm, downloaded once, never
//     vendored): __unbrick.terminate(), then Workspace.prototype... via
//     `new Workspace()` (the package's cheapest call into the instance).
//
//   node scripts/bench-standby.mjs [--rounds=N]   (npm run bench:standby)
// Prints figures; nothing here is asserted.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { fetchPackage } from './npm-package.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(root, 'bin/wasm-unbrick.js')
const SELF = fileURLToPath(import.meta.url)
const MARK = '@@bench-standby '
const WARM_CYCLES = 30

// Child: one measurement of one package, printed as JSON.
async function child(dir, kind) {
  const require = createRequire(path.join(dir, 'noop.js'))
  const m = require(path.join(dir, kind === 'fixture' ? 'bricked.js' : 'biome_wasm.js'))
  const u = m.__unbrick
  const call = kind === 'fixture' ? () => m.bump() : () => new m.Workspace().free()
  const now = () => Number(process.hrtime.bigint()) / 1e3 // µs
  call()
  // Both builds wait here, so that the live call is timed alike.
  await sleep(10)
  for (let i = 0; u.standby && !u.standbyReady && i < 3000; i++) await sleep(10)
  let t = now()
  call()
  const live = now() - t
  const bytes = fs.readFileSync(path.join(dir, kind === 'fixture' ? 'bricked_bg.wasm' : 'biome_wasm_bg.wasm'))
  const module = new WebAssembly.Module(bytes)
  t = now()
  // A bare instance of the module, with imports that are never called.
  const imports = Object.fromEntries(
    WebAssembly.Module.imports(module).map(({ module: ns }) => [ns, new Proxy({}, { get: () => () => {} })]),
  )
  new WebAssembly.Instance(module, imports)
  const bare = now() - t
  const abortOnce = () => {
    const original = console.error
    console.error = () => {}
    try {
      if (kind === 'fixture') m.panic_while_borrowed()
      else u.terminate('bench-standby')
    } catch {
      // the abort
    } finally {
      console.error = original
    }
  }
  abortOnce()
  t = now()
  call()
  const afterAbort = now() - t
  const rss = process.memoryUsage().rss / 2 ** 20
  const first = { standbyUsed: u.stats.standbyUsed, generation: u.generation }
  // The steady state: the same after WARM_CYCLES recoveries in this process;
  // every other cycle times the re-creation alone (reinit() on the
  // terminated instance: the swap, or the instantiation) and then the call
  // on the new instance, apart.
  u.maxAborts = Number.MAX_SAFE_INTEGER
  let steady
  let recreation
  let callOnNew
  for (let i = 0; i < 2 * WARM_CYCLES; i++) {
    for (let j = 0; u.standby && !u.standbyReady && j < 3000; j++) await sleep(1)
    abortOnce()
    if (i % 2 === 0) {
      t = now()
      call()
      steady = now() - t
    } else {
      t = now()
      u.reinit()
      recreation = now() - t
      t = now()
      call()
      callOnNew = now() - t
    }
  }
  // What the module's own start costs on a new instance (the swap runs it),
  // with the no-op imports above.
  const fresh = new WebAssembly.Instance(module, imports).exports
  t = now()
  fresh.__wbindgen_start?.()
  const ownStart = now() - t
  return { live, bare, afterAbort, steady, recreation, callOnNew, ownStart, rss, ...first }
}

if (process.argv[2] === '--child') {
  const out = await child(process.argv[3], process.argv[4])
  process.stdout.write(`${MARK}${JSON.stringify(out)}\n`)
  process.exit(0)
}

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 7)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-standby-'))
try {
  const biome = fetchPackage('@biomejs/wasm-nodejs', '2.5.14')
  const sources = { fixture: path.join(root, 'fixtures/out/wbg-0.2.130/nodejs'), biome }
  const dirs = {}
  for (const [kind, from] of Object.entries(sources)) {
    for (const standby of [false, true]) {
      const dir = path.join(tmp, `${kind}-${standby ? 'standby' : 'plain'}`)
      execFileSync(process.execPath, [CLI, from, '--out-dir', dir, ...(standby ? ['--standby'] : [])], { stdio: 'ignore' })
      dirs[`${kind}:${standby}`] = dir
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const fmt = (xs, unit = 'µs') => {
    const f = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} ${unit}`)
    return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`
  }
  console.log(`recovery latency, ${rounds} fresh processes per cell, Node ${process.version}`)
  console.log(
    `| package | standby | first call after the abort | the same, after ${WARM_CYCLES} recoveries | same call, live | ` +
      'steady state, apart: re-creation (reinit()) + the call on the new instance | bare new WebAssembly.Instance | ' +
      'its __wbindgen_start | RSS |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const kind of Object.keys(sources)) {
    const runs = { false: [], true: [] }
    for (let r = 0; r < rounds; r++) {
      for (const standby of [false, true]) {
        const p = spawnSync(process.execPath, [SELF, '--child', dirs[`${kind}:${standby}`], kind], { encoding: 'utf8' })
        const line = p.stdout.split('\n').find((l) => l.startsWith(MARK))
        if (!line) throw new Error(`child failed: ${p.stderr.slice(-500)}`)
        runs[standby].push(JSON.parse(line.slice(MARK.length)))
      }
    }
    for (const standby of [false, true]) {
      const rs = runs[standby]
      if (rs.some((r) => r.generation !== 1 || r.standbyUsed !== (standby ? 1 : 0))) throw new Error(`${kind}: unexpected stats`)
      const col = (k) => rs.map((r) => r[k])
      console.log(
        `| ${kind} | ${standby ? 'on' : 'off'} | ${fmt(col('afterAbort'))} | ${fmt(col('steady'))} | ${fmt(col('live'))} | ` +
          `${fmt(col('recreation'))} + ${fmt(col('callOnNew'))} | ${fmt(col('bare'))} | ${fmt(col('ownStart'))} | ` +
          `${median(col('rss')).toFixed(0)} MiB |`,
      )
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
