// Rollback to a checkpoint, measured on the fixture (nodejs target) in fresh
// processes, several rounds, median and range:
//   - the cost of __unbrick.checkpoint() by size of the linear memory (grown
//     with reverse_bytes), the first one (which allocates the copy) and a
//     second one (which reuses it);
//   - the first call after an abort (counter()), restored to the checkpoint
//     vs a fresh instance (rollback 'none'), each with and without a standby
//     (which is given the checkpoint's memory while the program is idle),
//     beside a bare `new WebAssembly.Instance` of the module;
//   - what rollback 'every-call' costs a call (bump()), patched with and
//     without it, the two builds alternating.
//
//   node scripts/bench-checkpoint.mjs [--rounds=N]   (npm run bench:checkpoint)
// Prints figures; nothing here is asserted.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(root, 'bin/wasm-unbrick.js')
const SELF = fileURLToPath(import.meta.url)
const MARK = '@@bench-checkpoint '
const MEMORY_MB = [1, 16, 64, 256]
const CALLS = 20_000

const now = () => Number(process.hrtime.bigint()) / 1e3 // µs

function quietly(fn) {
  const original = console.error
  console.error = () => {}
  try {
    fn()
  } catch {
    // the abort
  } finally {
    console.error = original
  }
}

// Child: one process, one cell.
async function child(dir, kind, arg) {
  const m = createRequire(path.join(dir, 'noop.js'))(path.join(dir, 'bricked.js'))
  const u = m.__unbrick
  if (kind === 'calls') {
    for (let i = 0; i < 1000; i++) m.bump()
    const t = now()
    for (let i = 0; i < CALLS; i++) m.bump()
    return { perCall: (now() - t) / CALLS, bytes: u.lastCheckpoint?.bytes }
  }
  const { mb, rollback, standby } = JSON.parse(arg)
  u.maxAborts = Number.MAX_SAFE_INTEGER
  // Grows the memory: reverse_bytes holds its input and its output.
  if (mb > 1) m.reverse_bytes(new Uint8Array((mb << 20) / 2))
  for (let i = 0; i < 5; i++) m.bump()
  u.standby = standby
  for (let i = 0; standby && !u.standbyReady && i < 3000; i++) await sleep(1)
  let t = now()
  u.checkpoint()
  const first = now() - t
  t = now()
  u.checkpoint()
  const again = now() - t
  const bytes = u.lastCheckpoint.bytes
  if (rollback === 'none') u.rollback = 'none'
  // Idle time, in every cell: with a standby the spare gets the checkpoint's memory then.
  await sleep(100)
  for (let i = 0; standby && !u.standbyReady && i < 3000; i++) await sleep(1)
  const bytesOfModule = fs.readFileSync(path.join(dir, 'bricked_bg.wasm'))
  const module = new WebAssembly.Module(bytesOfModule)
  const imports = Object.fromEntries(
    WebAssembly.Module.imports(module).map(({ module: ns }) => [ns, new Proxy({}, { get: () => () => {} })]),
  )
  t = now()
  new WebAssembly.Instance(module, imports)
  const bare = now() - t
  quietly(() => m.panic_while_borrowed())
  t = now()
  const counter = m.counter()
  const afterAbort = now() - t
  return { first, again, bytes, afterAbort, bare, counter, rollbacks: u.stats.rollbacks }
}

if (process.argv[2] === '--child') {
  const out = await child(process.argv[3], process.argv[4], process.argv[5])
  process.stdout.write(`${MARK}${JSON.stringify(out)}\n`)
  process.exit(0)
}

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-checkpoint-'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const f = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(x < 10 ? 2 : 1)} µs`)
const fmt = (xs) => `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`

function run(dir, kind, arg = '') {
  const p = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', dir, kind, arg], { encoding: 'utf8' })
  const line = p.stdout.split('\n').find((l) => l.startsWith(MARK))
  if (!line) throw new Error(`child failed: ${p.stderr.slice(-500)}`)
  return JSON.parse(line.slice(MARK.length))
}

try {
  const fixture = path.join(root, 'fixtures/out/wbg-0.2.130/nodejs')
  const build = (name, args) => {
    const dir = path.join(tmp, name)
    execFileSync(process.execPath, [CLI, fixture, '--out-dir', dir, ...args], { stdio: 'ignore' })
    return dir
  }
  const checkpointBuild = build('checkpoint', ['--rollback', 'checkpoint'])
  const everyCallBuild = build('every-call', ['--rollback', 'every-call'])
  const plainBuild = build('plain', [])

  console.log(`rollback to a checkpoint, fixture (nodejs), ${rounds} fresh processes per cell, Node ${process.version}`)
  console.log(
    '| memory | checkpoint(), first | checkpoint(), again | per MB (again) | first call after the abort: ' +
      'restored | restored, standby | fresh | fresh, standby | bare new WebAssembly.Instance |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const mb of MEMORY_MB) {
    const cells = ['checkpoint', 'checkpoint+standby', 'none', 'none+standby']
    const runs = Object.fromEntries(cells.map((c) => [c, []]))
    for (let r = 0; r < rounds; r++) {
      for (const cell of cells) {
        const [rollback, standby] = [cell.split('+')[0], cell.endsWith('+standby')]
        const out = run(checkpointBuild, 'latency', JSON.stringify({ mb, rollback, standby }))
        const expected = rollback === 'checkpoint' ? 5 : 0
        if (out.counter !== expected) throw new Error(`${cell} ${mb} MB: counter ${out.counter}, expected ${expected}`)
        runs[cell].push(out)
      }
    }
    const all = Object.values(runs).flat()
    const col = (cell, k) => runs[cell].map((o) => o[k])
    const perMb = all.map((o) => o.again / (o.bytes / 2 ** 20))
    console.log(
      `| ${(median(all.map((o) => o.bytes)) / 2 ** 20).toFixed(1)} MiB | ${fmt(all.map((o) => o.first))} | ` +
        `${fmt(all.map((o) => o.again))} | ${fmt(perMb)} | ${fmt(col('checkpoint', 'afterAbort'))} | ` +
        `${fmt(col('checkpoint+standby', 'afterAbort'))} | ${fmt(col('none', 'afterAbort'))} | ` +
        `${fmt(col('none+standby', 'afterAbort'))} | ${fmt(all.map((o) => o.bare))} |`,
    )
  }

  const calls = { plain: [], 'every-call': [] }
  let bytes = 0
  for (let r = 0; r < rounds; r++) {
    calls.plain.push(run(plainBuild, 'calls').perCall)
    const out = run(everyCallBuild, 'calls')
    calls['every-call'].push(out.perCall)
    bytes = out.bytes
  }
  const ratios = calls['every-call'].map((x, i) => x / calls.plain[i])
  const mib = (bytes / 2 ** 20).toFixed(2)
  console.log(`\nrollback 'every-call', bump() on the fixture's ${mib} MiB memory, ${CALLS} calls per process:`)
  console.log(`  patched without it: ${fmt(calls.plain)} per call`)
  console.log(`  with it:            ${fmt(calls['every-call'])} per call (${median(ratios).toFixed(0)}x)`)
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
